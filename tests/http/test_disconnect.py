"""A client that goes away in the middle of its body: a real socket sends half and closes.

That is the client's doing, not a bug of the pack: it is logged in one quiet line, with no
traceback, nothing is changed, and the server goes on answering.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from nodes.app.pack import Pack
from nodes.server.table import PREFIX
from tests.helpers.live import LiveServer

pytestmark = pytest.mark.http

LOGGER = "awesome_comfyui_beyond"
JSON = {"Content-Type": "application/json"}
ENTRY = b'{"name": "Half", "url": "https://example.org/half", "kind": "tool"}'


def send_half(url: str, method: str, path: str, *, chunked: bool) -> None:
    """Send the head and half of the body of a request, then close the connection."""
    parts = urlsplit(url)
    length = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(ENTRY) * 4}"
    head = (
        f"{method} {PREFIX}{path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Content-Type: application/json\r\n{length}\r\n\r\n"
    ).encode()
    half = ENTRY[: len(ENTRY) // 2]
    body = f"{len(ENTRY):x}\r\n".encode() + half if chunked else half
    with socket.create_connection((parts.hostname, parts.port)) as sock:
        sock.sendall(head + body)
        time.sleep(0.05)  # the server is now waiting for the rest


def wait_for(found: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not found() and time.monotonic() < deadline:
        time.sleep(0.02)


@pytest.mark.parametrize("chunked", [False, True], ids=["with-length", "chunked"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/validate"),
        ("POST", "/user/resources"),
        ("PUT", "/user/resources/example.half"),
        ("PUT", "/user/favorites"),
        ("PUT", "/sources/manager"),
    ],
)
def test_a_client_gone_mid_body_is_one_quiet_line(
    api: LiveServer,
    pack: Pack,
    caplog: pytest.LogCaptureFixture,
    method: str,
    path: str,
    chunked: bool,
) -> None:
    before = sorted(p.name for p in Path(pack.user_dir).glob("*")) if pack.user_dir.exists() else []
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        send_half(api.url, method, path, chunked=chunked)
        wait_for(lambda: any("went away" in r.getMessage() for r in caplog.records))
    ours = [r for r in caplog.records if r.name == LOGGER]
    assert [r.levelno for r in ours] == [logging.INFO]
    assert ours[0].getMessage() == (
        f"{method} {PREFIX}{path}: the client went away before its request body ended"
    )
    assert ours[0].exc_info is None
    after = sorted(p.name for p in Path(pack.user_dir).glob("*")) if pack.user_dir.exists() else []
    assert after == before
    # The server goes on answering, and the same request sent whole works.
    assert api.post("/validate", data=ENTRY, headers=JSON).status == 200
