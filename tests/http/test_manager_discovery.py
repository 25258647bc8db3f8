"""Which copy of ComfyUI-Manager's database the pack reads, and what the sources status says.

Real folders laid out as a Manager leaves them: its shipped copy in custom_nodes, its
channel cache under ComfyUI's user directory (files named by the Manager's hash), and the
v4 ``comfyui_manager`` package on ``sys.path``. The newest valid node list wins, by the
files' real modification times.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from nodes.app.comfy_paths import USER_DIR_ENV
from nodes.app.pack import Pack
from nodes.core.files import display_path
from nodes.sources.manager_db import NODE_LIST
from nodes.sources.manager_files import DatabaseFiles, cache_files, folder_files
from nodes.sources.snapshot import ManagerSource, read_snapshot
from tests.helpers.live import LiveServer, comfy_app
from tests.helpers.upstream import MANAGER_DOCS, MANAGER_IDS

pytestmark = pytest.mark.http

DEFAULT_LIST = "1514988643_custom-node-list.json"  # the default channel's, as the Manager names it
RECENT_LIST = "2902516992_custom-node-list.json"  # the "recent" channel's
OLD, NEWER, NEWEST = 1_700_000_000, 1_700_100_000, 1_700_200_000


def write_db(files: DatabaseFiles, title: str, mtime: float, node_class: str = "") -> DatabaseFiles:
    """The hand-made Manager files at ``files``; the first pack titled ``title``, and its node
    class ``node_class`` when given; the node list dated ``mtime``."""
    docs: dict[str, Any] = json.loads(json.dumps(MANAGER_DOCS))
    docs[NODE_LIST]["custom_nodes"][0]["title"] = title
    if node_class:
        docs["extension-node-map.json"]["https://github.com/alice/ComfyUI-Alpha"][0] = [node_class]
    for name, path in files.by_name().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(docs[name]), encoding="utf-8")
    os.utime(files.node_list, (mtime, mtime))
    return files


def cached(folder: Path, name: str = DEFAULT_LIST) -> DatabaseFiles:
    files = cache_files(folder / name)
    assert files is not None
    return files


@pytest.fixture
def user(tmp_path: Path) -> Path:
    """ComfyUI's user directory."""
    return tmp_path / "ComfyUI" / "user"


@pytest.fixture
def legacy_cache(user: Path) -> Path:
    return user / "default" / "ComfyUI-Manager" / "cache"


@pytest.fixture
def system_cache(user: Path) -> Path:
    return user / "__manager" / "cache"


@pytest.fixture
def pack(tmp_path: Path, data_dir: Path, custom_nodes: Path, user: Path) -> Pack:
    pack = Pack(
        user / "awesome-comfyui-beyond", data_dir, custom_nodes=[custom_nodes], comfyui_user=user
    )
    pack.update_source("manager", {"enabled": True})
    return pack


def first_title(pack: Pack) -> str:
    return next(r.name for r in pack.catalog().resources if r.source == "manager")


def replan(pack: Pack) -> None:
    """Plan the sources again, as a settings change does."""
    pack.update_source("manager", {"enabled": True})


class TestNewestWins:
    """Of the shipped copy and the channel caches, the newest valid node list is read."""

    def test_the_newest_cache(
        self, pack: Pack, custom_nodes: Path, legacy_cache: Path, system_cache: Path
    ) -> None:
        write_db(folder_files(custom_nodes / "ComfyUI-Manager", "manager"), "Shipped", OLD)
        write_db(cached(legacy_cache), "Legacy cache", NEWER)
        newest = write_db(cached(system_cache), "System cache", NEWEST, node_class="AlphaNew")
        replan(pack)
        assert pack.manager_files() == newest
        assert pack.store.sources[2] == ManagerSource(newest, cache_dir=pack.cache_dir)
        assert first_title(pack) == "System cache"
        alpha = pack.catalog().by_id[MANAGER_IDS[0]]
        assert alpha.node_types == ("AlphaNew",)  # from the cache's own node map
        assert pack.manager_origin() == ("cache", display_path(newest.node_list))
        assert pack.refresh_target("manager") is None
        assert pack.node_patterns() == {"https://github.com/alice/comfyui-alpha": "^Alpha"}

    def test_the_legacy_cache_folder(self, pack: Pack, legacy_cache: Path) -> None:
        files = write_db(cached(legacy_cache), "Legacy cache", OLD)
        replan(pack)
        assert pack.manager_files() == files
        assert first_title(pack) == "Legacy cache"

    def test_a_newer_shipped_copy(self, pack: Pack, custom_nodes: Path, system_cache: Path) -> None:
        write_db(cached(system_cache), "Cache", OLD)
        shipped = write_db(folder_files(custom_nodes / "comfyui-manager", "manager"), "New", NEWER)
        replan(pack)
        assert pack.manager_files() == shipped
        assert pack.manager_origin() == ("manager", display_path(shipped.node_list))

    def test_a_cache_being_written_is_passed_over(
        self, pack: Pack, custom_nodes: Path, system_cache: Path
    ) -> None:
        shipped = write_db(folder_files(custom_nodes / "ComfyUI-Manager", "manager"), "S", OLD)
        broken = write_db(cached(system_cache), "Cache", NEWER)
        broken.node_list.write_text('{"custom_nodes": [{"refer')
        os.utime(broken.node_list, (NEWEST, NEWEST))
        replan(pack)
        assert pack.manager_files() == shipped

    def test_a_side_channel_is_not_the_database(self, pack: Pack, system_cache: Path) -> None:
        """The "recent" channel lists new packs only: it must not replace the database."""
        system_cache.mkdir(parents=True)
        (system_cache / RECENT_LIST).write_text(json.dumps(MANAGER_DOCS[NODE_LIST]))
        replan(pack)
        assert pack.manager_files() is None
        assert pack.manager_origin() == ("remote", "")

    def test_the_snapshot_follows_the_copy_read(
        self, pack: Pack, custom_nodes: Path, system_cache: Path
    ) -> None:
        """A newer copy appearing is read at the next plan, and the snapshot rebuilt for it."""
        write_db(folder_files(custom_nodes / "ComfyUI-Manager", "manager"), "Shipped", OLD)
        replan(pack)
        assert first_title(pack) == "Shipped"
        newer = write_db(cached(system_cache), "Cache", NEWER)
        replan(pack)
        assert first_title(pack) == "Cache"
        snapshot = (pack.cache_dir / "manager.snapshot.json").read_bytes()
        source = ManagerSource(newer, cache_dir=pack.cache_dir)
        assert read_snapshot(snapshot, source.fingerprint()) is not None


class TestTheFolderSet:
    """A folder set in the settings is the only one read, even when it holds nothing."""

    def test_only_it(self, pack: Pack, tmp_path: Path, system_cache: Path) -> None:
        write_db(cached(system_cache), "Cache", NEWEST)
        chosen = write_db(folder_files(tmp_path / "chosen"), "Chosen", OLD)
        pack.update_source("manager", {"folder": str(tmp_path / "chosen")})
        assert pack.manager_files() == chosen
        assert first_title(pack) == "Chosen"
        assert pack.manager_origin() == ("folder", display_path(chosen.node_list))
        pack.update_source("manager", {"folder": str(tmp_path / "empty")})
        assert pack.manager_files() == folder_files(tmp_path / "empty")
        assert [r for r in pack.catalog().resources if r.source == "manager"] == []


class TestThePackage:
    """ComfyUI-Manager v4's ``comfyui_manager`` package keeps the files in its folder; it is
    found on sys.path without being imported."""

    @pytest.fixture
    def site(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        site = tmp_path / "site-packages"
        package = site / "comfyui_manager"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text('raise RuntimeError("imported")\n')
        monkeypatch.syspath_prepend(str(site))
        importlib.invalidate_caches()
        return package

    def test_found_not_imported(self, pack: Pack, site: Path, legacy_cache: Path) -> None:
        write_db(cached(legacy_cache), "Cache", OLD)
        packaged = write_db(folder_files(site, "package"), "Packaged", NEWER)
        replan(pack)
        assert pack.manager_files() == packaged
        assert first_title(pack) == "Packaged"
        assert pack.manager_origin() == ("package", display_path(packaged.node_list))
        assert "comfyui_manager" not in sys.modules

    def test_an_older_package_copy_loses(self, pack: Pack, site: Path, legacy_cache: Path) -> None:
        write_db(folder_files(site, "package"), "Packaged", OLD)
        files = write_db(cached(legacy_cache), "Cache", NEWER)
        replan(pack)
        assert pack.manager_files() == files


class TestUserDirectory:
    """Outside ComfyUI, the user directory is the parent of $AWESOME_BEYOND_USER_DIR."""

    def test_from_the_environment(
        self,
        tmp_path: Path,
        data_dir: Path,
        user: Path,
        system_cache: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setitem(sys.modules, "folder_paths", None)
        monkeypatch.setenv(USER_DIR_ENV, str(user / "awesome-comfyui-beyond"))
        files = write_db(cached(system_cache), "Cache", OLD)
        pack = Pack(user / "awesome-comfyui-beyond", data_dir, custom_nodes=[])
        assert pack.manager_files() == files

    def test_none_without_it(
        self, tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setitem(sys.modules, "folder_paths", None)
        monkeypatch.delenv(USER_DIR_ENV, raising=False)
        pack = Pack(tmp_path / "user", data_dir, custom_nodes=[])
        assert pack.manager_candidates() == []


class TestSourcesReport:
    """GET /sources names the node list read and where it was found."""

    def test_off_then_cache(self, pack: Pack, system_cache: Path) -> None:
        files = write_db(cached(system_cache), "Cache", OLD)
        with LiveServer(comfy_app(lambda: pack)) as api:
            pack.update_source("manager", {"enabled": False})
            state = api.get("/sources").json()["states"]["manager"]
            assert (state["state"], state["file"], state["origin"]) == ("off", "", "")
            assert pack.node_patterns() == {}
            replan(pack)
            state = api.get("/sources").json()["states"]["manager"]
            assert state == {
                "state": "on",
                "resources": len(MANAGER_IDS),
                "skipped": 1,
                "detail": "",
                "file": display_path(files.node_list),
                "origin": "cache",
            }
            registry = api.get("/sources").json()["states"]["registry"]
            assert "origin" not in registry
