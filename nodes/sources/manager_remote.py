"""ComfyUI-Manager's database fetched from a URL on request, and read from the last good copy.

Loading never touches the network: :class:`RemoteManagerSource` reads what the last
successful :func:`refresh_manager` kept. A refresh validates each file before swapping it
in, so a broken or truncated download leaves the previous copy in use.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.files import files_fingerprint
from ..core.model import Problem, Resource, SourceResult
from ..core.validate import Location, without_duplicates
from ..net.remote import RefreshOutcome, RemoteCache
from .manager_db import (
    MODEL_LIST,
    NODE_LIST,
    STATS,
    parse_model_list,
    parse_node_list,
    parse_stats,
)

# Cache names of the three files (the cache allows no capital letters or dots at the end).
CACHE_NAMES = {
    NODE_LIST: "manager-custom-node-list",
    STATS: "manager-github-stats",
    MODEL_LIST: "manager-model-list",
}
MAX_MANAGER_BYTES = 32 * 1024 * 1024


def _decode(body: bytes, file: str, key: str | None) -> Any:
    """Parse one downloaded file; raise ``ValueError`` saying what is wrong with it."""
    data = json.loads(body)
    if not isinstance(data, Mapping) or (key is not None and not isinstance(data.get(key), list)):
        want = f"a JSON object with a '{key}' list" if key else "a JSON object keyed by URL"
        raise ValueError(f"{file} must be {want}")
    return data


def _validator(file: str) -> Any:
    key = {NODE_LIST: "custom_nodes", MODEL_LIST: "models", STATS: None}[file]

    def validate(body: bytes) -> int:
        data = _decode(body, file, key)
        return len(data) if key is None else len(data[key])

    return validate


def parse_manager_blobs(blobs: Mapping[str, bytes | None], source: str = "manager") -> SourceResult:
    """Turn the three files' bytes (any may be ``None``) into one source result."""
    problems: list[Problem] = []
    stats: dict[str, dict[str, Any]] = {}
    entries: list[tuple[Resource, Location]] = []
    for file in (STATS, NODE_LIST, MODEL_LIST):
        body = blobs.get(file)
        if body is None:
            if file == NODE_LIST:
                problems.append(
                    Problem(file, None, "file", "not downloaded yet; refresh the manager source")
                )
            continue
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:
            problems.append(Problem(file, None, "file", f"is not valid JSON: {exc}"))
            continue
        if file == STATS:
            stats, errors = parse_stats(data, file)
        elif file == NODE_LIST:
            found, errors = parse_node_list(data, file, stats, source)
            entries += found
        else:
            found, errors = parse_model_list(data, file, source)
            entries += found
        problems += errors
    kept, duplicates = without_duplicates(entries)
    problems += [Problem(p.file, p.line, p.field, f"{p.message}; skipped") for p in duplicates]
    return SourceResult(source, tuple(r for r, _ in kept), (), tuple(problems))


class RemoteManagerSource:
    """The Manager database as last downloaded into ``cache_dir`` (never fetches)."""

    name = "manager"

    def __init__(self, cache_dir: Path) -> None:
        self.cache = RemoteCache(cache_dir)

    def fingerprint(self) -> str:
        return files_fingerprint(self.cache.paths(n)[0] for n in CACHE_NAMES.values())

    def load(self) -> SourceResult:
        blobs: dict[str, bytes | None] = {}
        for file, name in CACHE_NAMES.items():
            copy = self.cache.read(name)
            blobs[file] = None if copy is None else copy.body
        return parse_manager_blobs(blobs, self.name)


async def refresh_manager(
    cache_dir: Path, base_url: str, *, allow_private: bool = False
) -> list[RefreshOutcome[int]]:
    """Download the three files from ``base_url`` (conditionally), each validated first."""
    cache = RemoteCache(cache_dir)
    outcomes = []
    for file, name in CACHE_NAMES.items():
        url = f"{base_url.rstrip('/')}/{file}"
        outcomes.append(
            await cache.refresh(
                name,
                url,
                _validator(file),
                allow_private=allow_private,
                max_bytes=MAX_MANAGER_BYTES,
            )
        )
    return outcomes
