"""Write failures and storage limits through the real routes: 507 when the disk is full, 503
naming the folder and the cause when it cannot be written, 409 naming the limit when the
user's entries would outgrow what the server reads back; and a GET afterwards lists exactly
what was there before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nodes.app.pack import Pack
from nodes.core.errors import ErrorKind
from nodes.server.responses import STATUS_OF_KIND
from nodes.sources import userdata
from tests.helpers.live import LiveServer, comfy_app
from tests.helpers.tmpfs import fill, read_only, tmpfs, unfill

pytestmark = pytest.mark.http

JSON = {"Content-Type": "application/json"}
ENTRY = {"name": "My Tool", "url": "https://github.com/Example/My-Tool", "kind": "tool"}
OTHER = {"name": "Other", "url": "https://example.org/other", "kind": "tool"}


def state(api: LiveServer) -> tuple[Any, ...]:
    """Everything a user sees of their data and settings."""
    return (
        api.get("/user/resources").json(),
        api.get("/user/favorites").json(),
        api.get("/sources").json()["settings"],
        api.get("/resources", params={"source": "user"}).json()["items"],
    )


def error(status: int, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "message": message}}


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "disk") as folder:
        yield folder


@pytest.fixture
def api(disk: Path, data_dir: Path) -> Iterator[LiveServer]:
    """The routes on a pack whose user folder is on the tmpfs, with one entry and one star."""
    pack = Pack(user_dir=disk / "user", data_dir=data_dir, custom_nodes=[])
    with LiveServer(comfy_app(lambda: pack)) as server:
        assert server.post("/user/resources", json=ENTRY).status == 201
        assert server.put("/user/favorites/example.my-tool", headers=JSON).status == 200
        yield server


CHANGES = [
    ("POST", "/user/resources", OTHER, "resources.json"),
    ("PUT", "/user/resources/example.my-tool", {**ENTRY, "name": "New"}, "resources.json"),
    ("DELETE", "/user/resources/example.my-tool", None, "resources.json"),
    ("PUT", "/user/favorites", {"ids": ["a"]}, "favorites.json"),
    ("PUT", "/user/favorites/other", None, "favorites.json"),
    ("DELETE", "/user/favorites/example.my-tool", None, "favorites.json"),
    ("PUT", "/sources/registry", {"enabled": True}, "sources.json"),
]


def test_the_statuses() -> None:
    """507 Insufficient Storage for a full disk; 503 for a folder that cannot be written
    (the request was fine and will work once the folder is: not a 500, which means a bug)."""
    assert STATUS_OF_KIND[ErrorKind.NO_SPACE] == 507
    assert STATUS_OF_KIND[ErrorKind.STORAGE] == 503


@pytest.mark.parametrize(("method", "path", "body", "file"), CHANGES)
def test_a_full_disk_answers_507_and_changes_nothing(
    api: LiveServer, disk: Path, method: str, path: str, body: Any, file: str
) -> None:
    before = state(api)
    fill(disk)
    reply = api.request(method, path, json=body, headers=JSON)
    assert (reply.status, reply.json()) == (
        507,
        error(
            507,
            f"cannot save {file} in {disk / 'user'}: No space left on device; "
            "free some space and try again",
        ),
    )
    assert state(api) == before
    unfill(disk)
    assert (
        api.request(method, path, json=body, headers=JSON).status < 300
    )  # the same change works now


@pytest.mark.parametrize(("method", "path", "body", "file"), CHANGES)
def test_a_read_only_folder_answers_503_naming_it(
    api: LiveServer, disk: Path, method: str, path: str, body: Any, file: str
) -> None:
    before = state(api)
    read_only(disk)
    reply = api.request(method, path, json=body, headers=JSON)
    assert (reply.status, reply.json()) == (
        503,
        error(503, f"cannot save {file} in {disk / 'user'}: Read-only file system"),
    )
    assert "Traceback" not in reply.text
    assert state(api) == before


def test_entries_beyond_what_is_read_back_answer_409_naming_the_limit(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(userdata, "MAX_FILE_BYTES", 16 * 1024)
    pack = Pack(user_dir=tmp_path / "user", data_dir=data_dir, custom_nodes=[])
    long_text = "\U0001f600" * 2000  # 8000 bytes as stored
    with LiveServer(comfy_app(lambda: pack)) as api:
        first = {**ENTRY, "description": long_text}
        assert api.post("/user/resources", json=first).status == 201
        before = api.get("/user/resources").json()
        reply = api.post("/user/resources", json={**OTHER, "description": long_text})
        assert reply.status == 409
        message = reply.json()["error"]["message"]
        assert message.startswith("your entries would take ")
        assert message.endswith(
            " bytes as stored; the limit is 16384 bytes for all your entries: "
            "delete or shorten some first"
        )
        assert api.get("/user/resources").json() == before
    restarted = Pack(user_dir=tmp_path / "user", data_dir=data_dir, custom_nodes=[])
    with LiveServer(comfy_app(lambda: restarted)) as api:
        assert api.get("/user/resources").json() == before
