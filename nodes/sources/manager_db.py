"""ComfyUI-Manager's node database: its node list, GitHub stats and model list (JSON).

The real files carry dirty entries (URLs that are not URLs, duplicate references that
differ only in case, stats keyed by misspelt URLs); each is reported and skipped, and
the rest load. Text is normalised here, validity is decided by :mod:`.validate`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..core.files import display_path
from ..core.model import Problem, Resource, SourceResult
from ..core.urls import canonical_url, github_repo, id_from_url, url_problem
from ..core.validate import (
    MAX_AUTHOR,
    MAX_DESCRIPTION,
    MAX_NAME,
    MAX_TAGS,
    TAG_RE,
    Location,
    parse_resource,
    without_duplicates,
)

NODE_LIST = "custom-node-list.json"
STATS = "github-stats.json"
MODEL_LIST = "model-list.json"
PACK_CATEGORY = "node-packs"
MODEL_CATEGORY = "model-files"
MAX_JSON_BYTES = 64 * 1024 * 1024
_SPACE_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_TAG_UNSAFE_RE = re.compile(r"[^a-z0-9+._-]+")


def clean_text(value: object, limit: int) -> str:
    """Collapse white space and control characters; cut at ``limit`` with an ellipsis.

    >>> clean_text("  Two\\nlines\\t here ", 100)
    'Two lines here'
    >>> clean_text("abcdefgh", 5)
    'abcd…'
    >>> clean_text(None, 5)
    ''
    """
    if not isinstance(value, str):
        return ""
    text = _SPACE_RE.sub(" ", value).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean_tags(values: object) -> list[str]:
    """Turn free-form tags into catalogue tags; drop what cannot be one.

    >>> clean_tags(["Object Recognition", "Flux", "flux", 3, "!!"])
    ['object-recognition', 'flux']
    """
    if not isinstance(values, list):
        return []
    tags: list[str] = []
    for value in values:
        if not isinstance(value, str):
            continue
        tag = _TAG_UNSAFE_RE.sub("-", value.strip().lower()).strip("-")[:32]
        if TAG_RE.match(tag) and tag not in tags:
            tags.append(tag)
    return tags[:MAX_TAGS]


def parse_stats(data: object, shown: str) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """Index ``github-stats.json`` by canonical URL."""
    if not isinstance(data, Mapping):
        return {}, [Problem(shown, None, "file", "must hold a JSON object keyed by repository URL")]
    stats: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        error = url_problem(key)
        if error is not None:
            problems.append(
                Problem(shown, None, f"[{key!r}]", f"key {error}; its stats are ignored")
            )
        elif isinstance(value, Mapping):
            stats[canonical_url(key)] = dict(value)
    return stats, problems


def _stats_fields(stats: Mapping[str, Any] | None) -> dict[str, Any]:
    if not stats:
        return {}
    fields: dict[str, Any] = {}
    stars = stats.get("stars")
    if isinstance(stars, int) and not isinstance(stars, bool) and stars >= 0:
        fields["stars"] = stars
    updated = stats.get("last_update")
    if isinstance(updated, str) and len(updated) >= 10:  # noqa: PLR2004 - YYYY-MM-DD
        fields["updated"] = updated[:10]
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
    for index, entry in enumerate(entries):
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
            problems += [_skipped(p) for p in errors]
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
            **_stats_fields(stats.get(canonical_url(url))),
        }
        install_type = str(entry.get("install_type", "")).lower()
        if install_type in ("git-clone", "git") and url_problem(first) is None:
            raw["install_url"] = first
        return raw

    return _parse_entries(data, shown, "custom_nodes", "reference", fields, source)


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

    return _parse_entries(data, shown, "models", "url", fields, source)


def _skipped(problem: Problem) -> Problem:
    return Problem(problem.file, problem.line, problem.field, f"{problem.message}; skipped")


def _load_json(path: Path) -> tuple[object, list[Problem]]:
    shown = display_path(path)
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            return None, [Problem(shown, None, "file", f"is larger than {MAX_JSON_BYTES} bytes")]
        return json.loads(path.read_bytes()), []
    except OSError as exc:
        return None, [Problem(shown, None, "file", f"cannot be read: {exc.strerror or exc}")]
    except (ValueError, RecursionError) as exc:
        return None, [Problem(shown, None, "file", f"is not valid JSON: {exc}")]


def load_manager_db(folder: Path, source: str = "manager") -> SourceResult:
    """Load the Manager files found in ``folder``; the node list is required, the rest optional."""
    problems: list[Problem] = []
    stats: dict[str, dict[str, Any]] = {}
    if (folder / STATS).exists():
        data, errors = _load_json(folder / STATS)
        problems += errors
        if data is not None:
            stats, errors = parse_stats(data, display_path(folder / STATS))
            problems += errors
    entries: list[tuple[Resource, Location]] = []
    data, errors = _load_json(folder / NODE_LIST)
    problems += errors
    if data is not None:
        found, errors = parse_node_list(data, display_path(folder / NODE_LIST), stats, source)
        entries += found
        problems += errors
    if (folder / MODEL_LIST).exists():
        data, errors = _load_json(folder / MODEL_LIST)
        problems += errors
        if data is not None:
            found, errors = parse_model_list(data, display_path(folder / MODEL_LIST), source)
            entries += found
            problems += errors
    kept, duplicates = without_duplicates(entries)
    return SourceResult(
        source, tuple(r for r, _ in kept), (), tuple(problems + [_skipped(p) for p in duplicates])
    )
