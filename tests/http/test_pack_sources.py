"""The pack's optional sources, their settings, and the node packs installed beside it."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from nodes.app.pack import MANAGER_FOLDERS, Pack
from nodes.app.settings import (
    DEFAULT_MANAGER_URL,
    DEFAULT_REGISTRY_URL,
    SETTINGS_FILE,
    Settings,
    SettingsError,
    SourceSetting,
    load_settings,
)
from nodes.core.files import display_path
from nodes.core.model import Problem
from nodes.sources.manager_files import folder_files
from nodes.sources.manager_remote import RemoteManagerSource
from nodes.sources.registry import RegistrySource
from nodes.sources.snapshot import ManagerSource
from tests.helpers.sample_catalogue import write_manager_folder
from tests.helpers.upstream import MANAGER_IDS

NO_MANAGER = "custom-node-list.json: file: not downloaded yet; refresh the manager source"


def git_clone(folder: Path, remote: str) -> Path:
    """A pack folder as ``git clone`` leaves it (only what the scan reads)."""
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "config").write_text(f'[remote "origin"]\n\turl = {remote}\n')
    return folder


def source_names(pack: Pack) -> list[str]:
    return [s.name for s in pack.store.sources]


@pytest.fixture
def pack(tmp_path: Path, data_dir: Path, custom_nodes: Path) -> Pack:
    return Pack(tmp_path / "user", data_dir, custom_nodes=[custom_nodes])


class TestStartUp:
    """The settings file decides the sources when the pack is created."""

    def test_no_settings_file_means_only_the_users_and_the_curated(self, pack: Pack) -> None:
        assert (pack.settings, pack.settings_problems) == (Settings(), [])
        assert source_names(pack) == ["user", "curated"]
        assert pack.allow_private_links is False
        assert pack.cache_dir == pack.user_dir / "cache"

    def test_sources_switched_on_in_the_file(
        self, tmp_path: Path, data_dir: Path, custom_nodes: Path
    ) -> None:
        folder = write_manager_folder(tmp_path / "db")
        user = tmp_path / "user"
        user.mkdir()
        (user / SETTINGS_FILE).write_text(
            json.dumps(
                {
                    "registry": {"enabled": True, "url": "https://registry.example.org"},
                    "manager": {"enabled": True, "folder": str(folder)},
                }
            )
        )
        pack = Pack(user, data_dir, custom_nodes=[custom_nodes])
        assert pack.store.sources[2:] == [
            RegistrySource(user / "cache", base_url="https://registry.example.org"),
            ManagerSource.in_folder(folder, cache_dir=user / "cache"),
        ]
        assert tuple(r.id for r in pack.catalog().resources[5:]) == MANAGER_IDS
        assert (user / "cache" / "manager.snapshot.json").is_file()

    def test_a_bad_settings_file_is_reported_and_ignored(
        self, tmp_path: Path, data_dir: Path
    ) -> None:
        (tmp_path / "user").mkdir()
        (tmp_path / "user" / SETTINGS_FILE).write_text('{"registry": {"enabled": "yes"}}')
        pack = Pack(tmp_path / "user", data_dir, custom_nodes=[])
        assert pack.settings == Settings()
        assert pack.settings_problems == [
            Problem(
                SETTINGS_FILE,
                None,
                "file",
                "is not usable (registry.enabled: must be true or false); using the defaults",
            )
        ]
        assert source_names(pack) == ["user", "curated"]

    def test_extra_sources_come_last(self, tmp_path: Path, data_dir: Path) -> None:
        extra = RegistrySource(tmp_path / "elsewhere", name="extra")
        pack = Pack(tmp_path / "user", data_dir, extra_sources=[extra], custom_nodes=[])
        pack.update_source("manager", {"enabled": True})
        assert source_names(pack) == ["user", "curated", "manager", "extra"]


class TestManagerFolder:
    """The Manager database is the folder set, else an installed Manager's, else downloaded."""

    def test_none_means_the_downloaded_copy(self, pack: Pack) -> None:
        assert pack.manager_folder() is None
        pack.update_source("manager", {"enabled": True})
        source = pack.store.sources[2]
        assert isinstance(source, RemoteManagerSource)
        assert source.cache.folder == pack.cache_dir / "remote"
        catalog = pack.catalog()
        assert [str(p) for p in catalog.problems] == [NO_MANAGER]

    @pytest.mark.parametrize("name", MANAGER_FOLDERS)
    def test_an_installed_manager(self, pack: Pack, custom_nodes: Path, name: str) -> None:
        folder = write_manager_folder(custom_nodes / name)
        assert pack.manager_folder() == folder
        pack.update_source("manager", {"enabled": True})
        files = folder_files(folder, "manager")
        assert pack.store.sources[2] == ManagerSource(files, cache_dir=pack.cache_dir)
        assert pack.manager_origin() == ("manager", display_path(folder / "custom-node-list.json"))
        assert tuple(r.id for r in pack.catalog().resources[5:]) == MANAGER_IDS

    @pytest.mark.parametrize("name", ["ComfyUI-Manager-main", "my-manager"])
    def test_an_installed_manager_under_another_name(
        self, pack: Pack, custom_nodes: Path, name: str
    ) -> None:
        """A ZIP download unpacks as ComfyUI-Manager-main; its database is found all the same."""
        (custom_nodes / "some-pack").mkdir()
        (custom_nodes / "a-file.py").write_text("")
        folder = write_manager_folder(custom_nodes / name)
        assert pack.manager_folder() == folder

    def test_an_unreadable_custom_nodes_folder_has_no_manager(
        self, pack: Pack, custom_nodes: Path
    ) -> None:
        custom_nodes.rmdir()
        assert pack.manager_folder() is None

    def test_a_manager_without_its_database_does_not_count(
        self, pack: Pack, custom_nodes: Path
    ) -> None:
        (custom_nodes / "ComfyUI-Manager").mkdir()
        (custom_nodes / "comfyui-manager").mkdir()
        (custom_nodes / "comfyui-manager" / "custom-node-list.json").mkdir()  # not a file
        assert pack.manager_folder() is None

    def test_every_custom_nodes_folder_is_searched(self, tmp_path: Path, data_dir: Path) -> None:
        first, second = tmp_path / "a", tmp_path / "b"
        first.mkdir()
        folder = write_manager_folder(second / "ComfyUI-Manager")
        pack = Pack(tmp_path / "user", data_dir, custom_nodes=[first, second])
        assert pack.manager_folder() == folder

    def test_the_folder_set_wins(self, pack: Pack, custom_nodes: Path, tmp_path: Path) -> None:
        write_manager_folder(custom_nodes / "ComfyUI-Manager")
        chosen = write_manager_folder(tmp_path / "chosen")
        pack.update_source("manager", {"folder": str(chosen)})
        assert pack.manager_folder() == chosen

    def test_the_folder_set_may_start_with_a_tilde(
        self, pack: Pack, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        pack.update_source("manager", {"folder": "~/manager-db"})
        assert pack.manager_folder() == tmp_path / "home" / "manager-db"

    def test_custom_nodes_outside_comfyui(
        self, tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setitem(sys.modules, "folder_paths", None)
        pack = Pack(tmp_path / "user", data_dir)
        assert pack.custom_nodes() == []
        assert pack.manager_folder() is None

    def test_custom_nodes_inside_comfyui(
        self, tmp_path: Path, data_dir: Path, custom_nodes: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        fake = types.ModuleType("folder_paths")
        fake.get_folder_paths = lambda kind: [str(custom_nodes)] if kind == "custom_nodes" else []  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "folder_paths", fake)
        folder = write_manager_folder(custom_nodes / "ComfyUI-Manager")
        pack = Pack(tmp_path / "user", data_dir)
        assert pack.custom_nodes() == [custom_nodes]
        assert pack.manager_folder() == folder


class TestUpdateSource:
    """A settings change is checked, saved atomically, and re-plans the sources at once."""

    def test_saved_and_applied(self, pack: Pack) -> None:
        settings = pack.update_source("registry", {"enabled": True, "url": "https://r.example.org"})
        assert settings == Settings(registry=SourceSetting(True, "", "https://r.example.org"))
        assert pack.settings == settings
        assert load_settings(pack.user_dir) == (settings, [])
        assert source_names(pack) == ["user", "curated", "registry"]
        assert pack.store.sources[2] == RegistrySource(
            pack.cache_dir, base_url="https://r.example.org"
        )
        pack.update_source("registry", {"enabled": False})
        assert source_names(pack) == ["user", "curated"]
        assert pack.settings.registry == SourceSetting(False, "", "https://r.example.org")

    def test_the_next_pack_reads_the_saved_settings(
        self, pack: Pack, data_dir: Path, custom_nodes: Path
    ) -> None:
        pack.update_source("manager", {"enabled": True, "url": "https://m.example.org"})
        again = Pack(pack.user_dir, data_dir, custom_nodes=[custom_nodes])
        assert again.settings == pack.settings
        assert source_names(again) == ["user", "curated", "manager"]

    def test_an_unknown_source(self, pack: Pack) -> None:
        with pytest.raises(KeyError) as caught:
            pack.update_source("curated", {"enabled": False})
        assert caught.value.args == ("curated",)
        assert not (pack.user_dir / SETTINGS_FILE).exists()

    def test_a_bad_change_changes_nothing(self, pack: Pack) -> None:
        pack.update_source("manager", {"enabled": True})
        saved = (pack.user_dir / SETTINGS_FILE).read_bytes()
        with pytest.raises(SettingsError, match=r"^manager\.url: must be text, got int$"):
            pack.update_source("manager", {"enabled": False, "url": 3})
        assert pack.settings.manager.enabled is True
        assert (pack.user_dir / SETTINGS_FILE).read_bytes() == saved
        assert source_names(pack) == ["user", "curated", "manager"]

    def test_a_good_change_replaces_a_bad_file_and_its_problem(
        self, tmp_path: Path, data_dir: Path
    ) -> None:
        (tmp_path / "user").mkdir()
        (tmp_path / "user" / SETTINGS_FILE).write_text("{broken")
        pack = Pack(tmp_path / "user", data_dir, custom_nodes=[])
        assert len(pack.settings_problems) == 1
        pack.update_source("registry", {"url": "https://r.example.org"})
        assert pack.settings_problems == []
        assert load_settings(pack.user_dir)[1] == []


class TestRefreshTarget:
    """What a refresh would fetch: the URL set, the public default, or nothing for a folder."""

    def test_defaults(self, pack: Pack) -> None:
        assert pack.refresh_target("registry") == DEFAULT_REGISTRY_URL
        assert pack.refresh_target("manager") == DEFAULT_MANAGER_URL

    def test_urls_set(self, pack: Pack) -> None:
        pack.update_source("registry", {"url": "http://127.0.0.1:9/api"})
        pack.update_source("manager", {"url": "https://m.example.org/db"})
        assert pack.refresh_target("registry") == "http://127.0.0.1:9/api"
        assert pack.refresh_target("manager") == "https://m.example.org/db"

    def test_a_local_manager_has_nothing_to_fetch(self, pack: Pack, custom_nodes: Path) -> None:
        pack.update_source("manager", {"url": "https://m.example.org/db"})
        write_manager_folder(custom_nodes / "ComfyUI-Manager")
        assert pack.refresh_target("manager") is None
        assert pack.refresh_target("registry") == DEFAULT_REGISTRY_URL


class TestInstalled:
    """Installed node packs are found in custom_nodes and rescanned when that folder changes."""

    def test_found_by_git_remote_or_by_folder_name(self, pack: Pack, custom_nodes: Path) -> None:
        git_clone(custom_nodes / "motion", "git@github.com:Example/AnimateDiff.git")
        (custom_nodes / "Video-Helper").mkdir()  # named like the repository
        index = pack.installed()
        assert [p.folder for p in index.packs] == ["Video-Helper", "motion"]
        assert pack.installed_ids(pack.catalog()) == {"animate-diff", "video-helper"}

    def test_only_node_packs_count(self, pack: Pack, custom_nodes: Path) -> None:
        entry = {"name": "Gizmo", "url": "https://github.com/example/gizmo", "kind": "tool"}
        pack.user.add(entry, pack.catalog())
        (custom_nodes / "gizmo").mkdir()
        assert [p.folder for p in pack.installed().packs] == ["gizmo"]
        assert pack.installed_ids(pack.catalog()) == frozenset()

    def test_kept_while_the_folder_is_unchanged(self, pack: Pack, custom_nodes: Path) -> None:
        (custom_nodes / "video-helper").mkdir()
        first = pack.installed()
        assert pack.installed() is first

    def test_rescanned_when_a_pack_is_added_or_removed(
        self, pack: Pack, custom_nodes: Path
    ) -> None:
        assert pack.installed_ids(pack.catalog()) == frozenset()
        (custom_nodes / "video-helper").mkdir()
        assert pack.installed_ids(pack.catalog()) == {"video-helper"}
        git_clone(custom_nodes / "motion", "https://github.com/example/animatediff")
        assert pack.installed_ids(pack.catalog()) == {"animate-diff", "video-helper"}
        (custom_nodes / "video-helper").rmdir()
        assert pack.installed_ids(pack.catalog()) == {"animate-diff"}

    def test_a_missing_custom_nodes_folder_is_a_problem_not_an_error(
        self, tmp_path: Path, data_dir: Path
    ) -> None:
        missing = tmp_path / "nowhere"
        pack = Pack(tmp_path / "user", data_dir, custom_nodes=[missing])
        index = pack.installed()
        assert [str(p) for p in index.problems] == [f"{missing}: folder: does not exist"]
        assert pack.installed_ids(pack.catalog()) == frozenset()
        missing.mkdir()
        (missing / "video-helper").mkdir()
        assert pack.installed_ids(pack.catalog()) == {"video-helper"}

    def test_nothing_is_installed_outside_comfyui(
        self, tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setitem(sys.modules, "folder_paths", None)
        pack = Pack(tmp_path / "user", data_dir)
        assert len(pack.installed()) == 0
        assert pack.installed_ids(pack.catalog()) == frozenset()
