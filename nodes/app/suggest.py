"""The next steps an empty answer offers: the optional sources that are off, and what switching
each on would add.

Counted from what is already on disk, never by loading a source:

- a snapshot its last load or refresh left (the Registry's snapshot is the source itself;
  the Manager's is kept for the files it was made from): exact, the entries whose URL and id
  the catalogue lacks, and then how many of them a search finds;
- else the Manager's own files (a folder, or the copy a refresh downloaded): the entries they
  list, an upper bound, as some are invalid or already in the catalogue.

Reading a snapshot takes about 0.1 s at 6k entries, once per version of its files. An index
over it takes a second or more and tens of MB, so :func:`prepare` builds it off the request
after an empty answer asks; until then an offer counts the entries but not the matches.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..core.catalog import Catalog
from ..core.files import files_fingerprint
from ..core.model import Resource, SourceResult
from ..core.query import Query, SearchIndex
from ..sources.manager_db import LIST_KEYS, MAX_JSON_BYTES, MODEL_LIST, NODE_LIST
from ..sources.manager_remote import CACHE_NAMES, RemoteManagerSource
from ..sources.snapshot import ManagerSource, read_snapshot, read_snapshot_file
from .pack import Pack
from .settings import DEFAULT_REGISTRY_URL, OPTIONAL_SOURCES

Found = SourceResult | int | None  # a snapshot, the entries its files list, or nothing to read


@dataclass(frozen=True)
class _Place:
    """Where an off source's data is: its files' state, whether there is any, how to read it."""

    key: str
    ready: bool
    read: Callable[[], Found]


@dataclass
class _Held:
    """What was read of one off source, for one state of its files."""

    key: str
    resources: tuple[Resource, ...] | None  # from a snapshot: what switching it on loads
    listed: int | None  # else the entries its files list
    index: SearchIndex | None = None  # over ``resources``, built by prepare()
    new: tuple[str, frozenset[str]] | None = None  # (catalogue version, ids it lacks)


_held: dict[str, _Held] = {}
_lock = threading.Lock()
_building = threading.Lock()


def more_sources(
    pack: Pack, catalog: Catalog, query: Query, marked: bool = False
) -> list[dict[str, Any]]:
    """What switching on each optional source that is off would add to ``catalog``.

    Each offer: ``source``; ``ready`` (there is data to read; else ``download`` says a
    Refresh can fetch it); ``adds`` (entries, or ``None`` when unknown) and ``exact``
    (``False``: an upper bound, the entries its files list); ``matches``: how many of the
    added entries ``query`` finds, known from a snapshot once :func:`prepare` indexed it,
    and never for a search ``marked`` (kept to favourites or installed packs).
    """
    offers = []
    for name in OPTIONAL_SOURCES:
        if pack.settings.get(name).enabled:
            with _lock:
                _held.pop(name, None)  # on now: its data is in the catalogue
            continue
        place = _place(pack, name)
        download = not place.ready and pack.refresh_target(name) is not None
        if not place.ready and not download:
            continue  # a folder set that holds nothing: switching on would only fail
        offer: dict[str, Any] = {
            "source": name,
            "ready": place.ready,
            "download": download,
            "adds": None,
            "exact": False,
            "matches": None,
        }
        held = _read(name, place) if place.ready else None
        if held is not None and held.resources is not None:
            new = _new_ids(held, catalog)
            offer.update(adds=len(new), exact=True)
            if held.index is not None and not marked:
                asked = replace(query, ids=new, offset=0, limit=1, facets=False, sort="relevance")
                offer["matches"] = held.index.search(asked).total
        elif held is not None:
            offer["adds"] = held.listed
        offers.append(offer)
    return offers


def prepare(pack: Pack) -> None:
    """Index the snapshots of the off sources read so far; run it off the request.

    One build at a time: a call while another builds returns at once.
    """
    if not _building.acquire(blocking=False):
        return
    try:
        for name in OPTIONAL_SOURCES:
            with _lock:
                held = _held.get(name)
            if held is None or held.resources is None or held.index is not None:
                continue
            if pack.settings.get(name).enabled:
                continue
            index = SearchIndex(held.resources)
            index.prepare_typos()
            with _lock:
                held.index = index
    finally:
        _building.release()


def forget() -> None:
    """Drop what was read and indexed (tests; or to free the memory)."""
    with _lock:
        _held.clear()


def _read(name: str, place: _Place) -> _Held | None:
    with _lock:
        held = _held.get(name)
        if held is None or held.key != place.key:
            found = place.read()
            if found is None:
                return None
            if isinstance(found, SourceResult):
                held = _Held(place.key, found.resources, None)
            else:
                held = _Held(place.key, None, found)
            _held[name] = held
        return held


def _new_ids(held: _Held, catalog: Catalog) -> frozenset[str]:
    """The ids of the held entries that merging them into ``catalog`` would add."""
    with _lock:
        if held.new is not None and held.new[0] == catalog.version:
            return held.new[1]
    urls = {r.canonical_url for r in catalog.resources}
    ids: set[str] = set()
    for resource in held.resources or ():
        # As merge() does: a URL already held only fills fields; an id held is skipped.
        if resource.canonical_url in urls or resource.id in catalog.by_id or resource.id in ids:
            continue
        urls.add(resource.canonical_url)
        ids.add(resource.id)
    new = frozenset(ids)
    with _lock:
        held.new = (catalog.version, new)
    return new


def _place(pack: Pack, name: str) -> _Place:
    if name == "registry":
        from ..sources.registry import RegistrySource  # noqa: PLC0415 - aiohttp client only when used

        registry = RegistrySource(
            pack.cache_dir, base_url=pack.settings.registry.url or DEFAULT_REGISTRY_URL
        )
        path = registry.snapshot_path
        return _Place(files_fingerprint([path]), path.is_file(), registry.load)
    files = pack.manager_files()
    if files is None:
        remote = RemoteManagerSource(pack.remote_dir)
        lists = {file: remote.cache.paths(CACHE_NAMES[file])[0] for file in LIST_KEYS}
        return _Place(remote.fingerprint(), lists[NODE_LIST].is_file(), lambda: _listed(lists))
    manager = ManagerSource(files, cache_dir=pack.cache_dir)
    snapshot = pack.cache_dir / f"{manager.name}.snapshot.json"  # where ManagerSource keeps it
    lists = {NODE_LIST: files.node_list, MODEL_LIST: files.models}

    def read() -> Found:
        try:
            cached = read_snapshot(read_snapshot_file(snapshot), manager.fingerprint())
        except OSError:
            cached = None
        return cached if cached is not None else _listed(lists)

    key = files_fingerprint([*manager.files(), snapshot])
    return _Place(key, files.node_list.is_file(), read)


def _listed(files: dict[str, Path]) -> int | None:
    """How many entries the Manager's node and model lists hold; ``None`` if unreadable."""
    count = 0
    for file, path in files.items():
        if file == MODEL_LIST and not path.is_file():
            continue  # the model list is optional
        try:
            if path.stat().st_size > MAX_JSON_BYTES:
                return None
            entries = json.loads(path.read_bytes())[LIST_KEYS[file]]
        except (OSError, ValueError, TypeError, KeyError):
            return None
        if not isinstance(entries, list):
            return None
        count += len(entries)
    return count
