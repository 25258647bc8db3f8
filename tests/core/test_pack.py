"""Pack: one catalogue store and one user folder, created on first use."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from nodes.app.comfy_paths import USER_DIR_ENV
from nodes.app.pack import Pack, get_pack, set_pack
from nodes.core.catalog import FunctionSource
from nodes.core.files import TEMP_PREFIX
from nodes.core.model import SourceResult
from nodes.core.query import Query
from nodes.sources.curated import DEFAULT_DATA_DIR, CuratedSource
from tests.helpers.builders import bare_resource
from tests.helpers.sample_catalogue import ALL_IDS


@pytest.fixture
def no_pack() -> Iterator[None]:
    """Start and end without a process-wide pack."""
    set_pack(None)
    yield
    set_pack(None)


class TestPack:
    """A pack merges the user's entries before the curated data and searches them."""

    def test_sources_in_precedence_order(self, tmp_path: Path, data_dir: Path) -> None:
        extra = FunctionSource(
            "extra",
            lambda: "v1",
            lambda: SourceResult("extra", (bare_resource("extra-one", source="extra"),)),
        )
        pack = Pack(user_dir=tmp_path / "user", data_dir=data_dir, extra_sources=[extra])
        assert [s.name for s in pack.store.sources] == ["user", "curated", "extra"]
        pack.user.add(
            {"name": "Mine", "url": "https://example.com/mine", "kind": "tool"}, pack.catalog()
        )
        assert [r.id for r in pack.catalog().resources] == [
            "example-com-mine",
            *ALL_IDS,
            "extra-one",
        ]
        assert pack.user.folder == tmp_path / "user"

    def test_searches_its_catalogue(self, tmp_path: Path, data_dir: Path) -> None:
        pack = Pack(user_dir=tmp_path / "user", data_dir=data_dir)
        query = Query(text="video", limit=2)
        assert [r.id for r in pack.search(query).items] == ["video-helper", "animate-diff"]

    def test_default_data_is_the_bundled_catalogue(self, tmp_path: Path) -> None:
        pack = Pack(user_dir=tmp_path / "user")
        assert pack.store.sources[1] == CuratedSource(DEFAULT_DATA_DIR)


class TestStart:
    """Starting a pack removes the temporary files an interrupted write left in its folders."""

    def test_stale_temporary_files_are_removed(self, tmp_path: Path, data_dir: Path) -> None:
        user_dir = tmp_path / "user"
        folders = [user_dir, user_dir / "cache", user_dir / "cache" / "remote"]
        stale = [folder / f"{TEMP_PREFIX}x.json.{n}.tmp" for n, folder in enumerate(folders)]
        fresh = user_dir / f"{TEMP_PREFIX}y.json.new.tmp"
        for path in (*stale, fresh):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"half")
        for path in stale:
            os.utime(path, (0, 0))
        Pack(user_dir=user_dir, data_dir=data_dir)
        assert [path.exists() for path in stale] == [False, False, False]
        assert fresh.exists()


@pytest.mark.usefixtures("no_pack")
class TestProcessPack:
    """get_pack creates one pack on first call; set_pack replaces or clears it."""

    def test_created_once(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.setenv(USER_DIR_ENV, str(tmp_path / "user"))
        first = get_pack()
        assert get_pack() is first
        assert first.user.folder == tmp_path / "user"
        assert not (tmp_path / "user").exists()  # creating the pack reads and writes nothing

    def test_set_and_clear(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.setenv(USER_DIR_ENV, str(tmp_path / "user"))
        mine = Pack(user_dir=tmp_path / "other")
        set_pack(mine)
        assert get_pack() is mine
        set_pack(None)
        fresh = get_pack()
        assert fresh is not mine
        assert fresh.user.folder == tmp_path / "user"
