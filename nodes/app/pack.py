"""The pack's running state inside ComfyUI (or a test): the catalogue store and the user's data.

Created on first use, never at import: importing the pack must do no I/O.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..core.catalog import Catalog, CatalogStore, Source
from ..core.files import files_fingerprint, remove_stale_temp_files
from ..core.query import Query, SearchResult
from ..sources.curated import DEFAULT_DATA_DIR, CuratedSource
from ..sources.installed import InstalledIndex, scan_folders
from ..sources.snapshot import ManagerSource
from ..sources.userdata import UserData
from .comfy_paths import comfy_user_dir, custom_nodes_dirs
from .settings import (
    DEFAULT_MANAGER_URL,
    DEFAULT_REGISTRY_URL,
    OPTIONAL_SOURCES,
    Settings,
    load_settings,
    parse_setting,
    save_settings,
)

MANAGER_FOLDERS = ("ComfyUI-Manager", "comfyui-manager")


class Pack:
    """Everything a node or a route needs: one store, one user-data folder, the settings.

    Sources in precedence order: the user's entries, the curated list, then (when switched
    on) the Comfy Registry and ComfyUI-Manager's database.
    """

    def __init__(
        self,
        user_dir: Path,
        data_dir: Path = DEFAULT_DATA_DIR,
        extra_sources: Sequence[Source] = (),
        custom_nodes: Sequence[Path] | None = None,
    ) -> None:
        self.user_dir = user_dir
        self.cache_dir = user_dir / "cache"
        self.remote_dir = self.cache_dir / "remote"
        # Temporary files an interrupted write left in our folders: at start, never at import.
        for folder in (user_dir, self.cache_dir, self.remote_dir):
            remove_stale_temp_files(folder)
        self.user = UserData(user_dir)
        self._data_dir = data_dir
        self._extra = list(extra_sources)
        self._custom_nodes = None if custom_nodes is None else list(custom_nodes)
        self._lock = threading.Lock()
        self._installed: tuple[str, InstalledIndex] | None = None
        self._installed_ids: tuple[tuple[str, str], frozenset[str]] | None = None
        # Link checks and refreshes refuse private and loopback targets; only tests of this
        # pack's own local servers turn this on, never an HTTP request.
        self.allow_private_links = False
        self.settings, self.settings_problems = load_settings(user_dir)
        self.store = CatalogStore(self._sources())

    def catalog(self) -> Catalog:
        return self.store.get()

    def search(self, query: Query) -> SearchResult:
        return self.catalog().index.search(query)

    # -- sources ---------------------------------------------------------------------------

    def custom_nodes(self) -> list[Path]:
        return custom_nodes_dirs() if self._custom_nodes is None else self._custom_nodes

    def manager_folder(self) -> Path | None:
        """The Manager database to read locally: the folder set, or an installed Manager's."""
        if self.settings.manager.folder:
            return Path(self.settings.manager.folder).expanduser()
        for root in self.custom_nodes():
            for name in MANAGER_FOLDERS:
                if (root / name / "custom-node-list.json").is_file():
                    return root / name
        return None

    def _sources(self) -> list[Source]:
        sources: list[Source] = [self.user, CuratedSource(self._data_dir)]
        if self.settings.registry.enabled:
            from ..sources.registry import RegistrySource  # noqa: PLC0415 - aiohttp client only when used

            url = self.settings.registry.url or DEFAULT_REGISTRY_URL
            sources.append(RegistrySource(self.cache_dir, base_url=url))
        if self.settings.manager.enabled:
            folder = self.manager_folder()
            if folder is not None:
                sources.append(ManagerSource(folder, cache_dir=self.cache_dir))
            else:
                from ..sources.manager_remote import RemoteManagerSource  # noqa: PLC0415

                sources.append(RemoteManagerSource(self.remote_dir))
        return [*sources, *self._extra]

    def update_source(self, name: str, raw: object) -> Settings:
        """Change one optional source's setting, save it atomically, and re-plan the sources."""
        if name not in OPTIONAL_SOURCES:
            raise KeyError(name)
        with self._lock:
            changed = parse_setting(raw, self.settings.get(name), name)
            settings = replace(self.settings, **{name: changed})
            save_settings(self.user_dir, settings)
            self.settings = settings
            self.settings_problems = []  # the file just written is a good one
            self.store.set_sources(self._sources())
            return settings

    def refresh_target(self, name: str) -> str | None:
        """The URL a refresh of ``name`` would fetch from, or ``None`` for a local folder."""
        if name == "registry":
            return self.settings.registry.url or DEFAULT_REGISTRY_URL
        if self.manager_folder() is not None:
            return None
        return self.settings.manager.url or DEFAULT_MANAGER_URL

    # -- installed packs -------------------------------------------------------------------

    def installed(self) -> InstalledIndex:
        """Node packs in ComfyUI's custom_nodes, rescanned when a folder there changes."""
        return self._scan()[1]

    def _scan(self) -> tuple[str, InstalledIndex]:
        folders = self.custom_nodes()
        key = files_fingerprint(folders)
        with self._lock:
            if self._installed is None or self._installed[0] != key:
                self._installed = (key, scan_folders(folders))
            return self._installed

    def installed_ids(self, catalog: Catalog) -> frozenset[str]:
        """Installed node packs of ``catalog``, matched once per catalogue and folder state.

        Every search asks; matching thousands of packs each time would cost tens of ms.
        """
        key, index = self._scan()
        cached = self._installed_ids
        if cached is not None and cached[0] == (catalog.version, key):
            return cached[1]
        ids = index.installed_ids(catalog.resources)
        self._installed_ids = ((catalog.version, key), ids)
        return ids


_lock = threading.Lock()
_pack: Pack | None = None


def get_pack() -> Pack:
    """The process-wide pack, created on first call."""
    global _pack  # noqa: PLW0603 - one catalogue per ComfyUI process
    with _lock:
        if _pack is None:
            _pack = Pack(comfy_user_dir())
        return _pack


def set_pack(pack: Pack | None) -> None:
    """Replace the process-wide pack (tests, or a reconfiguration)."""
    global _pack  # noqa: PLW0603
    with _lock:
        _pack = pack
