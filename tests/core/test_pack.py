"""Pack: one catalogue store and one user folder, created on first use."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from nodes.app.comfy_paths import USER_DIR_ENV, comfy_user_dir
from nodes.app.pack import Pack, get_pack, set_pack
from nodes.core.catalog import FunctionSource
from nodes.core.model import Resource, SourceResult
from nodes.core.query import Query
from nodes.sources.curated import DEFAULT_DATA_DIR, CuratedSource
from tests.helpers.sample_catalogue import ALL_IDS


@pytest.fixture
def no_pack() -> Iterator[None]:
    """Start and end without a process-wide pack."""
    set_pack(None)
    yield
    set_pack(None)


@pytest.fixture
def outside_comfyui(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(USER_DIR_ENV, raising=False)
    monkeypatch.setitem(sys.modules, "folder_paths", None)


class TestPack:
    """A pack merges the user's entries before the curated data and searches them."""

    def test_sources_in_precedence_order(self, tmp_path: Path, data_dir: Path) -> None:
        extra = FunctionSource(
            "extra",
            lambda: "v1",
            lambda: SourceResult(
                "extra",
                (
                    Resource(
                        "extra-one",
                        "Extra One",
                        "https://example.com/extra",
                        "tools",
                        "tool",
                        source="extra",
                        canonical_url="https://example.com/extra",
                    ),
                ),
            ),
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

    def test_search_is_the_catalogues_search(self, tmp_path: Path, data_dir: Path) -> None:
        pack = Pack(user_dir=tmp_path / "user", data_dir=data_dir)
        query = Query(text="video", limit=2)
        assert pack.search(query) == pack.catalog().index.search(query)
        assert [r.id for r in pack.search(query).items] == ["video-helper", "animate-diff"]

    def test_default_data_is_the_bundled_catalogue(self, tmp_path: Path) -> None:
        pack = Pack(user_dir=tmp_path / "user")
        assert pack.store.sources[1] == CuratedSource(DEFAULT_DATA_DIR)


class TestUserDir:
    """comfy_user_dir: the environment variable, then ComfyUI's user folder, then XDG."""

    def test_environment_variable_wins(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        monkeypatch.setenv(USER_DIR_ENV, str(tmp_path / "chosen"))
        assert comfy_user_dir() == tmp_path / "chosen"

    def test_inside_comfyui(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.delenv(USER_DIR_ENV, raising=False)
        fake = types.ModuleType("folder_paths")
        fake.get_user_directory = lambda: str(tmp_path / "ComfyUI" / "user")  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "folder_paths", fake)
        assert comfy_user_dir() == tmp_path / "ComfyUI" / "user" / "awesome-comfyui-beyond"

    @pytest.mark.usefixtures("outside_comfyui")
    def test_xdg_data_home(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        assert comfy_user_dir() == tmp_path / "xdg" / "awesome-comfyui-beyond"

    @pytest.mark.usefixtures("outside_comfyui")
    def test_home(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert comfy_user_dir() == (
            tmp_path / "home" / ".local" / "share" / "awesome-comfyui-beyond"
        )


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
