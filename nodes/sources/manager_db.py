"""ComfyUI-Manager's node database: its node list, GitHub stats and model list (JSON).

The real files carry dirty entries (URLs that are not URLs, duplicate references that
differ only in case, stats keyed by misspelt URLs); each is reported and skipped, and
the rest load. Text is normalised by :mod:`.records`, validity is decided by
:mod:`.validate`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..core.excerpt import excerpt
from ..core.files import cannot_read, display_path
from ..core.model import Problem, Resource, SourceResult
from ..core.urls import canonical_url, github_repo, id_from_url, url_problem
from ..core.validate import MAX_AUTHOR, MAX_DESCRIPTION, MAX_NAME, Location, parse_resource
from .records import clean_tags, clean_text, date, merged, skipped, stars

NODE_LIST = "custom-node-list.json"
STATS = "github-stats.json"
MODEL_LIST = "model-list.json"
FILES = (STATS, NODE_LIST, MODEL_LIST)  # in the order they are joined: stats first
LIST_KEYS = {NODE_LIST: "custom_nodes", MODEL_LIST: "models"}  # the list each file holds
PACK_CATEGORY = "node-packs"
MODEL_CATEGORY = "model-files"
MAX_JSON_BYTES = 64 * 1024 * 1024  # one file
MAX_TOTAL_BYTES = 64 * 1024 * 1024  # the three files together
MAX_ENTRIES = 20_000  # entries read from one list (the real node list has some 6,000)


_STATS_KEYS = ("stars", "last_update")  # what the catalogue takes from a pack's stats


def _too_many(found: int) -> str:
    return f"has {found} entries; only the first {MAX_ENTRIES} are read"


def parse_stats(data: object, shown: str) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """Index ``github-stats.json`` by canonical URL."""
    if not isinstance(data, Mapping):
        return {}, [Problem(shown, None, "file", "must hold a JSON object keyed by repository URL")]
    stats: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    if len(data) > MAX_ENTRIES:
        problems.append(Problem(shown, None, "file", _too_many(len(data))))
    for index, (key, value) in enumerate(data.items()):
        if index >= MAX_ENTRIES:
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


def _name(value: object, url: str) -> str:
    """The entry's own name, or else the last part of its URL (``.../ComfyUI-Foo/`` too)."""
    return clean_text(value, MAX_NAME) or clean_text(url.rstrip("/").rsplit("/", 1)[-1], MAX_NAME)


def _author_from(url: str) -> str:
    repo = github_repo(url)
    if repo is not None:
        return repo[0]
    parts = url.split("/")
    return parts[3] if len(parts) > 4 and "huggingface.co" in parts[2] else ""  # noqa: PLR2004


Entries = tuple[list[tuple[Resource, Location]], list[Problem]]


def _parse_entries(
    data: object,
    shown: str,
    key: str,
    url_field: str,
    fields: Callable[[Mapping[str, Any], str], dict[str, Any]],
    source: str,
) -> Entries:
    """The loop both Manager lists share: each entry's URL checked, the rest validated."""
    entries = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(entries, list):
        return [], [Problem(shown, None, key, f"the file must hold a '{key}' list")]
    found: list[tuple[Resource, Location]] = []
    problems: list[Problem] = []
    if len(entries) > MAX_ENTRIES:
        problems.append(Problem(shown, None, key, _too_many(len(entries))))
    for index, entry in enumerate(entries[:MAX_ENTRIES]):
        where = Location(shown, None, prefix=f"{key}[{index}].")
        if not isinstance(entry, Mapping):
            problems.append(where.problem("entry", "must be a JSON object; skipped"))
            continue
        url = entry.get(url_field)
        error = url_problem(url)
        if error is not None:
            problems.append(where.problem(url_field, f"{error}; skipped"))
            continue
        assert isinstance(url, str)  # noqa: S101 - url_problem accepted it
        resource, errors = parse_resource(fields(entry, url), where, source=source)
        if resource is None:
            problems += [skipped(p) for p in errors]
        else:
            found.append((resource, where))
    return found, problems


def parse_node_list(
    data: object, shown: str, stats: Mapping[str, Mapping[str, Any]], source: str = "manager"
) -> Entries:
    """Turn ``custom-node-list.json`` into resources, joined with their GitHub stats."""

    def fields(entry: Mapping[str, Any], url: str) -> dict[str, Any]:
        files = entry.get("files")
        first = files[0] if isinstance(files, list) and files else None
        raw: dict[str, Any] = {
            "id": id_from_url(url),
            "name": _name(entry.get("title"), url),
            "url": url,
            "category": PACK_CATEGORY,
            "kind": "node-pack",
            "description": clean_text(entry.get("description"), MAX_DESCRIPTION) or None,
            "author": clean_text(entry.get("author"), MAX_AUTHOR) or None,
            "tags": clean_tags(entry.get("tags")),
            **_stats_fields(stats.get(canonical_url(url), {})),
        }
        install_type = str(entry.get("install_type", "")).lower()
        if install_type in ("git-clone", "git") and url_problem(first) is None:
            raw["install_url"] = first
        return raw

    return _parse_entries(data, shown, LIST_KEYS[NODE_LIST], "reference", fields, source)


def parse_model_list(data: object, shown: str, source: str = "manager") -> Entries:
    """Turn ``model-list.json`` into model resources, tagged with their type and base model."""

    def fields(entry: Mapping[str, Any], url: str) -> dict[str, Any]:
        description = clean_text(entry.get("description"), MAX_DESCRIPTION)
        folder = clean_text(entry.get("save_path"), 200)
        if folder:
            description = clean_text(f"{description} Goes in models/{folder}.", MAX_DESCRIPTION)
        return {
            "id": id_from_url(url),
            "name": _name(entry.get("name"), url),
            "url": url,
            "category": MODEL_CATEGORY,
            "kind": "model",
            "description": description or None,
            "author": _author_from(url) or None,
            "tags": clean_tags([entry.get("type"), entry.get("base")]),
        }

    return _parse_entries(data, shown, LIST_KEYS[MODEL_LIST], "url", fields, source)


class ManagerFiles:
    """The Manager's files joined into one result; add them in the order of :data:`FILES`.

    The stats must come before the node list they annotate. Every file's problems are
    kept in the order the files came.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.stats: dict[str, dict[str, Any]] = {}
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
        if file == STATS:
            self.stats, errors = parse_stats(data, shown)
        elif file == NODE_LIST:
            found, errors = parse_node_list(data, shown, self.stats, self.source)
            self.entries += found
        else:
            found, errors = parse_model_list(data, shown, self.source)
            self.entries += found
        self.problems += errors

    def result(self) -> SourceResult:
        return merged(self.source, self.entries, self.problems)


def load_manager_db(folder: Path, source: str = "manager") -> SourceResult:
    """Load the Manager files found in ``folder``; the node list is required, the rest optional."""
    joined = ManagerFiles(source)
    for file in FILES:
        path = folder / file
        if file == NODE_LIST or path.exists():
            shown = display_path(path)
            body = _read(path, shown, joined)
            if body is not None:
                joined.add(file, shown, body)
    return joined.result()


def _read(path: Path, shown: str, joined: ManagerFiles) -> bytes | None:
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            joined.problem(shown, f"is larger than {MAX_JSON_BYTES} bytes")
            return None
        return path.read_bytes()
    except OSError as exc:
        joined.problem(shown, cannot_read(exc))
        return None
