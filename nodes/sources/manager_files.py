"""Where ComfyUI-Manager keeps its node database, and which copy of it to read.

A Manager ships the database in its own folder (``custom_nodes/ComfyUI-Manager`` for
v3, the ``comfyui_manager`` package for v4) and keeps the copy it last fetched of each
channel in its cache under ComfyUI's user directory (``default/ComfyUI-Manager/cache``,
or ``__manager/cache`` in newer ComfyUI). It names a cached file
``<hash>_<file name>``, where the hash (:func:`manager_hash`) is of the file's URL,
``<channel URL>/<file name>``: the node list and its companions from one channel have
different hashes, found from each other by :func:`companion_hash`.

Of the copies found, the newest whose node list is valid wins (:func:`newest_valid`).
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.files import files_fingerprint
from .manager_db import FILES, MAX_JSON_BYTES, MODEL_LIST, NODE_LIST, NODE_MAP, STATS

# Where a database was found: the folder set in the settings, an installed Manager's own
# copy, its cache, the v4 package; ``remote`` is the copy this pack downloaded.
ORIGINS = ("folder", "manager", "cache", "package", "remote")
DEFAULT_CHANNEL = "https://raw.githubusercontent.com/ltdrdata/ComfyUI-Manager/main"
# Channels of the Manager's channels.list.template that hold a part of the database
# only: a user who looked at "recent" must not be left with a catalogue of 50 packs.
SIDE_CHANNELS = tuple(
    f"{DEFAULT_CHANNEL}/node_db/{name}" for name in ("new", "legacy", "forked", "dev", "tutorial")
)
CACHE_FOLDERS = (("default", "ComfyUI-Manager", "cache"), ("__manager", "cache"))
MAX_CACHE_FILES = 1000  # entries of one cache folder looked at
_HASH_MODULUS = 2**32
_CACHED_LIST_RE = re.compile(r"^(\d{1,10})_" + re.escape(NODE_LIST) + "$")


@dataclass(frozen=True, slots=True)
class DatabaseFiles:
    """The Manager files to read: the node list and its (optional) companions."""

    node_list: Path
    node_map: Path
    stats: Path
    models: Path
    origin: str = "folder"

    def by_name(self) -> dict[str, Path]:
        """Each file by its Manager name, in the order they are joined (:data:`FILES`)."""
        paths = {
            STATS: self.stats,
            NODE_MAP: self.node_map,
            NODE_LIST: self.node_list,
            MODEL_LIST: self.models,
        }
        return {file: paths[file] for file in FILES}


def folder_files(folder: Path, origin: str = "folder") -> DatabaseFiles:
    """The files as a Manager folder (or a copy of one) holds them."""
    return DatabaseFiles(
        folder / NODE_LIST, folder / NODE_MAP, folder / STATS, folder / MODEL_LIST, origin
    )


MAX_PACK_FOLDERS = 2000  # pack folders of one custom_nodes folder looked at for a Manager


def installed_copies(custom_nodes: Path, names: Sequence[str]) -> list[DatabaseFiles]:
    """The databases installed Managers ship in ``custom_nodes``: in the folders of the usual
    ``names`` first, then in any other pack folder that holds a node list (a ZIP download
    of the Manager unpacks as ``ComfyUI-Manager-main``, and people rename folders)."""
    try:
        with os.scandir(custom_nodes) as entries:
            others = sorted(
                entry.name
                for entry in itertools.islice(entries, MAX_PACK_FOLDERS)
                if entry.name not in names and not entry.name.startswith(".") and entry.is_dir()
            )
    except OSError:
        others = []
    found = [n for n in others if (custom_nodes / n / NODE_LIST).is_file()]
    return [folder_files(custom_nodes / name, "manager") for name in [*names, *found]]


def manager_hash(text: str, start: int = 0) -> int:
    """The Manager's ``simple_hash`` of ``text`` (continued from ``start``).

    >>> manager_hash(
    ...     "https://raw.githubusercontent.com/ltdrdata/ComfyUI-Manager/main/custom-node-list.json"
    ... )
    1514988643
    """
    value = start
    for char in text:
        value = (value * 31 + ord(char)) % _HASH_MODULUS
    return value


def companion_hash(node_list_hash: int, file: str) -> int:
    """The hash of ``file`` from the channel whose node list has ``node_list_hash``.

    The hash of ``prefix + suffix`` is ``hash(prefix) * 31**len(suffix) + hash(suffix)``
    (modulo 2**32, where 31 is invertible), so the channel's own hash comes back out.

    >>> companion_hash(1514988643, "extension-node-map.json")
    1742899825
    """
    shift = pow(31, -len(NODE_LIST), _HASH_MODULUS)
    channel = (node_list_hash - manager_hash(NODE_LIST)) * shift % _HASH_MODULUS
    return manager_hash(file, channel)


_SIDE_HASHES = frozenset(manager_hash(f"{channel}/{NODE_LIST}") for channel in SIDE_CHANNELS)


def cache_files(node_list: Path) -> DatabaseFiles | None:
    """The files of the channel whose cached node list is ``node_list``; ``None`` when its
    name is not a cached node list's, or it is a side channel's (:data:`SIDE_CHANNELS`)."""
    match = _CACHED_LIST_RE.match(node_list.name)
    if match is None or int(match.group(1)) >= _HASH_MODULUS:
        return None
    value = int(match.group(1))
    if value in _SIDE_HASHES:
        return None

    def companion(file: str) -> Path:
        return node_list.with_name(f"{companion_hash(value, file)}_{file}")

    return DatabaseFiles(
        node_list, companion(NODE_MAP), companion(STATS), companion(MODEL_LIST), "cache"
    )


def cached_lists(folder: Path) -> list[DatabaseFiles]:
    """The channels' databases in a Manager cache folder (none when it is absent)."""
    found: list[DatabaseFiles] = []
    try:
        with os.scandir(folder) as entries:
            for entry in itertools.islice(entries, MAX_CACHE_FILES):
                files = cache_files(Path(entry.path))
                if files is not None:
                    found.append(files)
    except OSError:
        return []
    return sorted(found, key=lambda f: f.node_list.name)  # scandir order is the disk's


def is_valid(node_list: Path) -> bool:
    """Whether ``node_list`` is a readable JSON object holding a ``custom_nodes`` list."""
    try:
        if node_list.stat().st_size > MAX_JSON_BYTES:
            return False
        data = json.loads(node_list.read_bytes())
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and isinstance(data.get("custom_nodes"), list)


def newest_valid(candidates: Iterable[DatabaseFiles]) -> DatabaseFiles | None:
    """The candidate whose node list is newest (by modification time) and valid.

    Of copies as new as each other, the one listed first wins.
    """
    dated: list[tuple[int, int, DatabaseFiles]] = []
    for index, files in enumerate(candidates):
        try:
            dated.append((-files.node_list.stat().st_mtime_ns, index, files))
        except OSError:
            continue
    for _, _, files in sorted(dated, key=lambda item: item[:2]):
        if is_valid(files.node_list):
            return files
    return None


class DatabaseFinder:
    """:func:`newest_valid`, remembered while the candidates' node lists are unchanged.

    Deciding reads and parses a node list; the status page asks on every visit.
    """

    def __init__(self) -> None:
        self._last: tuple[object, DatabaseFiles | None] | None = None

    def find(self, candidates: Sequence[DatabaseFiles]) -> DatabaseFiles | None:
        key = (tuple(candidates), files_fingerprint(c.node_list for c in candidates))
        last = self._last
        if last is not None and last[0] == key:
            return last[1]
        found = newest_valid(candidates)
        self._last = (key, found)
        return found
