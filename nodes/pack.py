"""The pack's running state inside ComfyUI (or a test): the catalogue store and the user's data.

Created on first use, never at import: importing the pack must do no I/O.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

from .catalog import Catalog, CatalogStore, CuratedSource, Source
from .curated import DEFAULT_DATA_DIR
from .query import Query, SearchResult
from .userdata import UserData

USER_DIR_ENV = "AWESOME_BEYOND_USER_DIR"


class Pack:
    """Everything a node or a route needs: one store, one user-data folder."""

    def __init__(self, user_dir: Path, data_dir: Path = DEFAULT_DATA_DIR,
                 extra_sources: Sequence[Source] = ()) -> None:
        self.user = UserData(user_dir)
        self.store = CatalogStore([self.user, CuratedSource(data_dir), *extra_sources])

    def catalog(self) -> Catalog:
        return self.store.get()

    def search(self, query: Query) -> SearchResult:
        return self.catalog().index.search(query)


def comfy_user_dir() -> Path:
    """Where user data lives: ComfyUI's user directory, else ``$AWESOME_BEYOND_USER_DIR``.

    Outside ComfyUI (the command line, tests) the environment variable or
    ``~/.local/share/awesome-comfyui-beyond`` is used instead.
    """
    configured = os.environ.get(USER_DIR_ENV)
    if configured:
        return Path(configured)
    try:
        import folder_paths  # noqa: PLC0415 - ComfyUI's module, present only inside it
    except ImportError:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return Path(base) / "awesome-comfyui-beyond"
    return Path(folder_paths.get_user_directory()) / "awesome-comfyui-beyond"


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
