"""ComfyUI-Manager's node database: its node list, node map, GitHub stats and model list (JSON).

The real files carry dirty entries (URLs that are not URLs, duplicate references that
differ only in case, stats keyed by misspelt URLs); each is reported and skipped, and
the rest load. Text is normalised by :mod:`.records`, validity is decided by
:mod:`.validate`. What installing takes (the Manager's id, install type, files, node
classes, a model's download fields) is optional: a bad value of one of those is
reported and left out, and the entry still loads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.excerpt import excerpt
from ..core.files import cannot_read, display_path
from ..core.model import Problem, Resource, SourceResult
from ..core.urls import canonical_url, id_from_url, link_problem, url_problem
from ..core.validate import MAX_AUTHOR, MAX_DESCRIPTION, MAX_FILES, MAX_NODE_TYPES, Location
from . import manager_entries
from .manager_entries import (
    LIST_KEYS,
    MODEL_CATEGORY,
    MODEL_LIST,
    NODE_LIST,
    PACK_CATEGORY,
    STATS,
    Entries,
    capped,
    name_from,
    parse_entries,
)
from .manager_map import NODE_MAP, NodeMap, parse_node_map
from .manager_models import parse_model_list
from .records import clean_tags, clean_text, date, merged, stars

__all__ = [
    "FILES",
    "LIST_KEYS",
    "MODEL_CATEGORY",
    "MODEL_LIST",
    "NODE_LIST",
    "NODE_MAP",
    "PACK_CATEGORY",
    "STATS",
    "ManagerFiles",
    "load_manager_db",
    "load_manager_files",
    "parse_model_list",
    "parse_node_list",
    "parse_stats",
]

# In the order they are joined: the stats and the node map annotate the node list.
FILES = (STATS, NODE_MAP, NODE_LIST, MODEL_LIST)
MAX_JSON_BYTES = 64 * 1024 * 1024  # one file
# The four files together: the real ones hold under 7 MiB (2.4 MiB of it the node map).
MAX_TOTAL_BYTES = 64 * 1024 * 1024
_INSTALL_TYPES = {"git": "git-clone"}  # the Manager's other spellings of an install type


_STATS_KEYS = ("stars", "last_update")  # what the catalogue takes from a pack's stats


def parse_stats(data: object, shown: str) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """Index ``github-stats.json`` by canonical URL."""
    if not isinstance(data, Mapping):
        return {}, [Problem(shown, None, "file", "must hold a JSON object keyed by repository URL")]
    stats: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    if len(data) > manager_entries.MAX_ENTRIES:
        problems.append(Problem(shown, None, "file", manager_entries.too_many(len(data))))
    for index, (key, value) in enumerate(data.items()):
        if index >= manager_entries.MAX_ENTRIES:
            break
        error = url_problem(key)
        if error is not None:
            problems.append(
                Problem(shown, None, f"[{excerpt(key)}]", f"key {error}; its stats are ignored")
            )
        elif isinstance(value, Mapping):
            stats[canonical_url(key)] = {k: value[k] for k in _STATS_KEYS if k in value}
    return stats, problems


def _stats_fields(stats: Mapping[str, Any]) -> dict[str, Any]:
    """The stars and last update a pack takes from its stats; a bad value leaves its field out.

    One unusable value (stars ``"abc"`` or ``-1``, a date that is no date) must not cost the
    pack its place in the catalogue: only what validation accepts is kept.
    """
    fields: dict[str, Any] = {}
    found_stars = stars(stats.get("stars"))
    if found_stars is not None:
        fields["stars"] = found_stars
    updated = date(stats.get("last_update"))
    if updated is not None:
        fields["updated"] = updated
    return fields


def _install_fields(
    entry: Mapping[str, Any], url: str, node_map: NodeMap, where: Location
) -> tuple[dict[str, Any], list[Problem]]:
    """What the Manager needs to install a pack: its id, install type, files, node classes.

    Values of the wrong type are passed on as they are, for validation to report.
    """
    raw: dict[str, Any] = {"pack_id": entry.get("id")}  # only an explicit id: none is derived
    problems: list[Problem] = []
    install_type = entry.get("install_type")
    if isinstance(install_type, str):
        install_type = _INSTALL_TYPES.get(install_type.lower(), install_type.lower())
    raw["install_type"] = install_type
    files = entry.get("files")
    if isinstance(files, list):
        files, problems = capped(files, MAX_FILES, "files", where, "files")
    raw["files"] = files or None  # no files: none to report
    urls = (
        [url, *(f for f in files if url_problem(f) is None)] if isinstance(files, list) else [url]
    )
    node_types, found = capped(
        node_map.node_types(urls), MAX_NODE_TYPES, "node classes", where, "node_types"
    )
    raw["node_types"] = node_types or None
    return raw, [*problems, *found]


def parse_node_list(
    data: object,
    shown: str,
    stats: Mapping[str, Mapping[str, Any]],
    source: str = "manager",
    node_map: NodeMap | None = None,
) -> Entries:
    """Turn ``custom-node-list.json`` into resources, joined with their stats and node classes."""
    classes = NodeMap() if node_map is None else node_map

    def fields(
        entry: Mapping[str, Any], where: Location
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        url = entry.get("reference")
        error = url_problem(url)
        if error is not None:
            return None, [where.problem("reference", f"{error}; skipped")]
        assert isinstance(url, str)  # noqa: S101 - url_problem accepted it
        files = entry.get("files")
        first = files[0] if isinstance(files, list) and files else None
        raw: dict[str, Any] = {
            "id": id_from_url(url),
            "name": name_from(entry.get("title"), url),
            "url": url,
            "category": PACK_CATEGORY,
            "kind": "node-pack",
            "description": clean_text(entry.get("description"), MAX_DESCRIPTION) or None,
            "author": clean_text(entry.get("author"), MAX_AUTHOR) or None,
            "tags": clean_tags(entry.get("tags")),
            **_stats_fields(stats.get(canonical_url(url), {})),
        }
        install, problems = _install_fields(entry, url, classes, where)
        raw.update(install)
        # The clone command shown to people needs a public link; a mirror only this network
        # reaches stays in ``files``, for the Manager.
        if raw.get("install_type") == "git-clone" and link_problem(first) is None:
            raw["install_url"] = first
        return raw, problems

    return parse_entries(data, shown, LIST_KEYS[NODE_LIST], fields, source)


class ManagerFiles:
    """The Manager's files joined into one result; add them in the order of :data:`FILES`.

    The stats and the node map must come before the node list they annotate. Every
    file's problems are kept in the order the files came.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.stats: dict[str, dict[str, Any]] = {}
        self.node_map = NodeMap()
        self.entries: list[tuple[Resource, Location]] = []
        self.problems: list[Problem] = []
        self.bytes_read = 0

    def problem(self, shown: str, message: str) -> None:
        """A problem with a whole file (``shown`` is its name as a curator sees it)."""
        self.problems.append(Problem(shown, None, "file", message))

    def add(self, file: str, shown: str, body: bytes) -> None:
        """Parse one file (``file`` is its Manager name: :data:`NODE_LIST`, ...).

        The files together hold at most :data:`MAX_TOTAL_BYTES`; one past that is not read.
        """
        self.bytes_read += len(body)
        if self.bytes_read > MAX_TOTAL_BYTES:
            self.problem(
                shown,
                f"the Manager's files hold more than {MAX_TOTAL_BYTES} bytes together;"
                " this one is not read",
            )
            return
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:
            self.problem(shown, f"is not valid JSON: {exc}")
            return
        errors: list[Problem]
        if file == STATS:
            self.stats, errors = parse_stats(data, shown)
        elif file == NODE_MAP:
            self.node_map, errors = parse_node_map(data, shown, manager_entries.MAX_ENTRIES)
        elif file == NODE_LIST:
            found, errors = parse_node_list(data, shown, self.stats, self.source, self.node_map)
            self.entries += found
        else:
            found, errors = parse_model_list(data, shown, self.source)
            self.entries += found
        self.problems += errors

    def result(self) -> SourceResult:
        return merged(self.source, self.entries, self.problems)


def load_manager_files(paths: Mapping[str, Path], source: str = "manager") -> SourceResult:
    """Load the Manager files at ``paths`` (by Manager name); only the node list is required."""
    joined = ManagerFiles(source)
    for file in FILES:
        path = paths.get(file)
        if path is not None and (file == NODE_LIST or path.exists()):
            shown = display_path(path)
            body = _read(path, shown, joined)
            if body is not None:
                joined.add(file, shown, body)
    return joined.result()


def load_manager_db(folder: Path, source: str = "manager") -> SourceResult:
    """Load the Manager files found in ``folder``; the node list is required, the rest optional."""
    return load_manager_files({file: folder / file for file in FILES}, source)


def _read(path: Path, shown: str, joined: ManagerFiles) -> bytes | None:
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            joined.problem(shown, f"is larger than {MAX_JSON_BYTES} bytes")
            return None
        return path.read_bytes()
    except OSError as exc:
        joined.problem(shown, cannot_read(exc))
        return None
