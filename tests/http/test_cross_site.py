"""No state change from another site: every POST, PUT and DELETE route refuses a body that is
not JSON with 415 before it does anything, bodyless routes included, over a real socket.

A page on another site can send ``text/plain``, form and multipart POSTs (and bodyless
ones) without a CORS preflight; ComfyUI's origin check lets ``Origin: null`` through.
Only ``Content-Type: application/json`` makes the browser ask first, so only it is obeyed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from nodes.app.pack import Pack
from nodes.server.table import ROUTE_TABLE, changes_state
from tests.helpers.live import LiveServer
from tests.helpers.upstream import Upstream

pytestmark = pytest.mark.http

JSON = {"Content-Type": "application/json"}
ENTRY = {"name": "Evil Entry", "url": "https://evil.example.org/entry", "kind": "tool"}
ENTRY_TEXT = '{"name": "Evil Entry", "url": "https://evil.example.org/entry", "kind": "tool"}'
BOUNDARY = "----cross-site-boundary"
MULTIPART = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="name"\r\n\r\nEvil Entry\r\n'
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="url"\r\n\r\n'
    f"https://evil.example.org/entry\r\n--{BOUNDARY}--\r\n"
).encode()
# What a page on another site can send without a preflight, and a client that sends nothing.
NOT_JSON: dict[str, tuple[bytes | None, dict[str, str]]] = {
    "text/plain": (ENTRY_TEXT.encode(), {"Content-Type": "text/plain"}),
    "text/plain;charset=UTF-8": (ENTRY_TEXT.encode(), {"Content-Type": "text/plain;charset=UTF-8"}),
    "form": (
        b"name=Evil+Entry&url=https%3A%2F%2Fevil.example.org%2Fentry",
        {"Content-Type": "application/x-www-form-urlencoded"},
    ),
    "multipart": (MULTIPART, {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}),
    "no content type, no body": (None, {}),
    "no content type, a body": (ENTRY_TEXT.encode(), {}),
    "almost JSON": (ENTRY_TEXT.encode(), {"Content-Type": "application/jsonp"}),
}
STATE_CHANGING = [(method, path) for method, path, _ in ROUTE_TABLE if changes_state(method)]
ENTRY_ID = "example.mine"


@pytest.fixture
def pack(tmp_path: Path, data_dir: Path, custom_nodes: Path) -> Pack:
    made = Pack(user_dir=tmp_path / "user", data_dir=data_dir, custom_nodes=[custom_nodes])
    made.allow_private_links = True  # a refresh that got through would reach ``upstream``
    return made


@pytest.fixture
def ready(api: LiveServer, base: str) -> LiveServer:
    """A user entry, a favourite and a manager URL on the local upstream, set with JSON."""
    mine = {
        "id": ENTRY_ID,
        "name": "Mine",
        "url": "https://github.com/example/mine",
        "kind": "tool",
    }
    assert api.post("/user/resources", json=mine).status == 201
    assert api.put("/user/favorites/video-helper", headers=JSON).status == 200
    assert api.put("/sources/manager", json={"url": base}).status == 200
    return api


def concrete(path: str) -> str:
    return path.replace("{id}", ENTRY_ID).replace("{name}", "manager")


def state(api: LiveServer, user_dir: Path) -> dict[str, Any]:
    """Everything a request could change: the answers of the GET routes, and the files
    (not the cache: what the pack works out and keeps, such as which entries are installed,
    written on a first search)."""
    files = {
        str(p.relative_to(user_dir)): p.read_bytes()
        for p in sorted(user_dir.rglob("*"))
        if p.is_file() and p.relative_to(user_dir).parts[0] != "cache"
    }
    return {
        "entries": api.get("/user/resources").json(),
        "favorites": api.get("/user/favorites").json(),
        "sources": api.get("/sources").json(),
        "resources": api.get("/resources").json(),
        "files": files,
    }


def test_every_route_that_is_not_get_changes_state() -> None:
    """The table's own rule: GET reads, every other method may change something."""
    assert {m for m, _, _ in ROUTE_TABLE} == {"GET", "POST", "PUT", "DELETE"}
    assert [changes_state(m) for m in ("GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE")] == [
        False,
        False,
        False,
        True,
        True,
        True,
    ]
    assert len(STATE_CHANGING) == 11


@pytest.mark.parametrize("kind", list(NOT_JSON))
@pytest.mark.parametrize(("method", "path"), STATE_CHANGING)
def test_a_request_that_is_not_json_changes_nothing(
    ready: LiveServer,
    pack: Pack,
    upstream: Upstream,
    method: str,
    path: str,
    kind: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = state(ready, pack.user_dir)
    body, headers = NOT_JSON[kind]
    caplog.set_level(logging.INFO, logger="awesome_comfyui_beyond")
    reply = ready.request(method, concrete(path), data=body, headers=headers)
    assert reply.status == 415, reply.text
    assert reply.json() == {
        "error": {
            "status": 415,
            "message": "send the request as JSON with Content-Type: application/json",
        }
    }
    assert state(ready, pack.user_dir) == before
    assert upstream.requests == []
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 1
    assert refusals[0].levelno == logging.INFO
    assert refusals[0].exc_info is None


@pytest.mark.parametrize(("method", "path"), STATE_CHANGING)
def test_an_unknown_source_or_bad_id_is_refused_as_not_json_first(
    api: LiveServer, method: str, path: str
) -> None:
    """The content type is checked before anything else, the path included."""
    odd = path.replace("{id}", "Not An Id").replace("{name}", "curated")
    assert api.request(method, odd, data=b"x", headers={"Content-Type": "text/plain"}).status == 415


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("PUT", "/user/favorites/wan-model", 200),
        ("DELETE", "/user/favorites/wan-model", 200),
        ("DELETE", f"/user/resources/{ENTRY_ID}", 204),
        ("POST", "/sources/manager/refresh", 200),
    ],
)
def test_a_bodyless_route_works_with_the_json_content_type(
    ready: LiveServer, upstream: Upstream, method: str, path: str, status: int
) -> None:
    assert ready.request(method, path, headers=JSON).status == status


def test_a_bodyless_route_ignores_a_json_body(ready: LiveServer) -> None:
    reply = ready.put("/user/favorites/wan-model", json={"anything": True})
    assert reply.json() == {"ids": ["video-helper", "wan-model"]}


def test_refresh_with_json_reaches_the_source(ready: LiveServer, upstream: Upstream) -> None:
    """The positive control: the same refresh with JSON does fetch."""
    body = ready.post("/sources/manager/refresh", headers=JSON).json()
    assert [o["state"] for o in body["outcomes"]] == ["changed"] * 4
    assert len(upstream.requests) == 4


@pytest.mark.parametrize("path", ["/resources", "/sources", "/user/resources", "/openapi.json"])
def test_get_routes_need_no_content_type(api: LiveServer, path: str) -> None:
    assert api.get(path, headers={"Content-Type": "text/plain"}).status == 200
