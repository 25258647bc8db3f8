"""The pack's running state inside ComfyUI (or a test): the catalogue store and the user's data.

Created on first use, never at import: importing the pack must do no I/O.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.catalog import Catalog, CatalogStore, Source
from ..core.files import display_path, files_fingerprint, remove_stale_temp_files
from ..core.query import Query, SearchResult
from ..sources.catalog_cache import CatalogFiles
from ..sources.curated import DEFAULT_DATA_DIR, CuratedSource
from ..sources.installed import DISABLED_DIR, InstalledIndex, scan_folders
from ..sources.installed.kept_marks import read_marks, save_marks
from ..sources.manager_files import (
    CACHE_FOLDERS,
    DatabaseFiles,
    DatabaseFinder,
    cached_lists,
    folder_files,
    installed_copies,
)
from ..sources.snapshot import ManagerSource
from ..sources.userdata import UserData
from .comfy_paths import comfy_user_dir, comfyui_user_dir, custom_nodes_dirs, package_dir
from .settings import (
    DEFAULT_MANAGER_URL,
    DEFAULT_REGISTRY_URL,
    OPTIONAL_SOURCES,
    Settings,
    load_settings,
    parse_setting,
    save_settings,
)

if TYPE_CHECKING:
    from ..sources.manager_remote import RemoteManagerSource

MANAGER_FOLDERS = ("ComfyUI-Manager", "comfyui-manager")
MANAGER_PACKAGE = "comfyui_manager"  # ComfyUI-Manager v4, installed with pip


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
        comfyui_user: Path | None = None,
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
        self._comfyui_user = comfyui_user
        self._finder = DatabaseFinder()
        self._lock = threading.Lock()
        self._preparing = threading.Lock()
        self._installed: tuple[str, InstalledIndex] | None = None
        self._marks: tuple[tuple[str, str], tuple[frozenset[str], frozenset[str]]] | None = None
        # Link checks and refreshes refuse private and loopback targets; only tests of this
        # pack's own local servers turn this on, never an HTTP request.
        self.allow_private_links = False
        self.settings, self.settings_problems = load_settings(user_dir)
        # The last catalogue and index built, for the next start (see prepare()).
        self.catalogs = CatalogFiles(self.cache_dir, lambda: repr(self.settings))
        self.store = CatalogStore(self._sources(), cache=self.catalogs)

    def catalog(self) -> Catalog:
        return self.store.get()

    def search(self, query: Query) -> SearchResult:
        return self.catalog().index.search(query)

    def prepare(self, catalog: Catalog) -> None:
        """After a first answer: build the typo table and the index's lookups, and keep the
        catalogue with its index so that the next start reads them instead of building
        (once per catalogue)."""
        if not self._preparing.acquire(blocking=False):
            return  # another search's preparation is under way: one is enough
        try:
            catalog.index.prepare()
            self.catalogs.save(catalog)
        finally:
            self._preparing.release()

    # -- sources ---------------------------------------------------------------------------

    def custom_nodes(self) -> list[Path]:
        return custom_nodes_dirs() if self._custom_nodes is None else self._custom_nodes

    def manager_candidates(self) -> list[DatabaseFiles]:
        """Every copy of the Manager's database found, shipped, cached or packaged."""
        found = [
            files
            for root in self.custom_nodes()
            for files in installed_copies(root, MANAGER_FOLDERS)
        ]
        user = self._comfyui_user or comfyui_user_dir()
        if user is not None:
            for parts in CACHE_FOLDERS:
                found += cached_lists(user.joinpath(*parts))
        package = package_dir(MANAGER_PACKAGE)
        if package is not None:
            found.append(folder_files(package, "package"))
        return found

    def manager_files(self) -> DatabaseFiles | None:
        """The Manager database to read locally: the folder set (then only it), else the
        newest valid copy an installed Manager keeps, else ``None`` (download one)."""
        if self.settings.manager.folder:
            return folder_files(Path(self.settings.manager.folder).expanduser())
        return self._finder.find(self.manager_candidates())

    def manager_folder(self) -> Path | None:
        """The folder of the Manager database read locally, or ``None``."""
        files = self.manager_files()
        return None if files is None else files.node_list.parent

    def manager_origin(self) -> tuple[str, str]:
        """Where the catalogue's Manager database comes from (one of ``ORIGINS``), and the
        node list read, as shown; ``("", "")`` when the source is off."""
        source = self._manager
        if source is None:
            return "", ""
        file = source.database_file()
        return source.origin, "" if file is None else display_path(file)

    def node_patterns(self) -> dict[str, str]:
        """The Manager's simple ``nodename_pattern`` of each pack, by canonical URL."""
        return {} if self._manager is None else self._manager.node_patterns()

    def _sources(self) -> list[Source]:
        sources: list[Source] = [self.user, CuratedSource(self._data_dir)]
        if self.settings.registry.enabled:
            from ..sources.registry import RegistrySource  # noqa: PLC0415 - aiohttp client only when used

            url = self.settings.registry.url or DEFAULT_REGISTRY_URL
            sources.append(RegistrySource(self.cache_dir, base_url=url))
        self._manager: ManagerSource | RemoteManagerSource | None = None
        if self.settings.manager.enabled:
            files = self.manager_files()
            if files is not None:
                self._manager = ManagerSource(files, cache_dir=self.cache_dir)
            else:
                from ..sources.manager_remote import RemoteManagerSource  # noqa: PLC0415

                self._manager = RemoteManagerSource(self.remote_dir)
            sources.append(self._manager)
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
        if self.manager_files() is not None:
            return None
        return self.settings.manager.url or DEFAULT_MANAGER_URL

    # -- installed packs -------------------------------------------------------------------

    def installed(self) -> InstalledIndex:
        """Node packs in ComfyUI's custom_nodes, rescanned when a folder there changes."""
        return self._scan()[1]

    def _scan(self) -> tuple[str, InstalledIndex]:
        folders = self.custom_nodes()
        # A pack disabled, enabled or removed changes custom_nodes or its .disabled folder.
        key = files_fingerprint([*folders, *(f / DISABLED_DIR for f in folders)])
        with self._lock:
            if self._installed is None or self._installed[0] != key:
                self._installed = (key, scan_folders(folders))
            return self._installed

    def installed_ids(self, catalog: Catalog) -> frozenset[str]:
        """Installed node packs of ``catalog`` (the disabled ones too)."""
        return self.installed_marks(catalog)[0]

    def installed_marks(self, catalog: Catalog) -> tuple[frozenset[str], frozenset[str]]:
        """Installed node packs of ``catalog`` and the disabled ones among them.

        Matched once per catalogue and folder state: every search asks, and matching
        thousands of packs each time would cost tens of ms.
        """
        key, index = self._scan()
        cached = self._marks
        if cached is not None and cached[0] == (catalog.version, key):
            return cached[1]
        # The next start with the same catalogue and custom_nodes reads them back.
        kept_key = f"{catalog.version} {key}"
        marks = read_marks(self.cache_dir, kept_key)
        if marks is None:
            marks = index.marks_for(catalog.resources)
            save_marks(self.cache_dir, kept_key, marks)
        self._marks = ((catalog.version, key), marks)
        return marks


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
