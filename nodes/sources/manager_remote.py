"""ComfyUI-Manager's database fetched from a URL on request, and read from the last good copy.

Loading never touches the network: :class:`RemoteManagerSource` reads what the last
successful :func:`refresh_manager` kept. A refresh validates each file before swapping it
in, so a broken or truncated download leaves the previous copy in use.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from ..core.files import files_fingerprint
from ..core.model import SourceResult
from ..net.cache import RefreshOutcome, RemoteCache
from ..net.fetch import not_ok
from .manager_db import FILES, LIST_KEYS, MODEL_LIST, NODE_LIST, NODE_MAP, STATS, ManagerFiles
from .manager_map import read_node_patterns

# Cache names of the files (the cache allows no capital letters or dots at the end), in
# the order a refresh fetches them.
CACHE_NAMES = {
    NODE_LIST: "manager-custom-node-list",
    STATS: "manager-github-stats",
    MODEL_LIST: "manager-model-list",
    NODE_MAP: "manager-extension-node-map",
}
# Files a Manager mirror may lack: without them the packs load without their node classes.
OPTIONAL_FILES = (NODE_MAP,)
MAX_MANAGER_BYTES = 32 * 1024 * 1024


def _validator(file: str) -> Callable[[bytes], int]:
    """Check a downloaded file's shape before it replaces the held copy; count its records."""
    key = LIST_KEYS.get(file)

    def validate(body: bytes) -> int:
        data = json.loads(body)
        if not isinstance(data, Mapping) or (
            key is not None and not isinstance(data.get(key), list)
        ):
            want = f"a JSON object with a '{key}' list" if key else "a JSON object keyed by URL"
            raise ValueError(f"{file} must be {want}")
        return len(data) if key is None else len(data[key])

    return validate


def parse_manager_blobs(blobs: Mapping[str, bytes | None], source: str = "manager") -> SourceResult:
    """Turn the files' bytes (any may be ``None``) into one source result."""
    joined = ManagerFiles(source)
    for file in FILES:
        body = blobs.get(file)
        if body is not None:
            joined.add(file, file, body)
        elif file == NODE_LIST:
            joined.problem(file, "not downloaded yet; refresh the manager source")
    return joined.result()


class RemoteManagerSource:
    """The Manager database as last downloaded into ``cache_dir`` (never fetches)."""

    name = "manager"
    origin = "remote"

    def __init__(self, cache_dir: Path) -> None:
        self.cache = RemoteCache(cache_dir)

    def fingerprint(self) -> str:
        return files_fingerprint(self.cache.paths(n)[0] for n in CACHE_NAMES.values())

    def database_file(self) -> Path | None:
        """The node list downloaded last, or ``None`` before a first download."""
        path = self.cache.paths(CACHE_NAMES[NODE_LIST])[0]
        return path if path.is_file() else None

    def node_patterns(self) -> dict[str, str]:
        """The packs' simple ``nodename_pattern`` by canonical URL (not a resource field)."""
        return read_node_patterns(self.cache.paths(CACHE_NAMES[NODE_MAP])[0])

    def load(self) -> SourceResult:
        blobs: dict[str, bytes | None] = {}
        for file, name in CACHE_NAMES.items():
            copy = self.cache.read(name)
            blobs[file] = None if copy is None else copy.body
        return parse_manager_blobs(blobs, self.name)


async def refresh_manager(
    cache_dir: Path, base_url: str, *, allow_private: bool = False
) -> list[RefreshOutcome[int]]:
    """Download the files from ``base_url`` (conditionally), each validated first.

    A mirror without an optional file (:data:`OPTIONAL_FILES`, HTTP 404) has not failed.
    """
    cache = RemoteCache(cache_dir)
    outcomes = []
    for file, name in CACHE_NAMES.items():
        url = f"{base_url.rstrip('/')}/{file}"
        outcome = await cache.refresh(
            name, url, _validator(file), allow_private=allow_private, max_bytes=MAX_MANAGER_BYTES
        )
        if file in OPTIONAL_FILES and outcome.message.startswith(not_ok(url, 404) + ";"):
            held = f"keeping the copy from {outcome.fetched_at}" if outcome.fetched_at else ""
            message = f"{url} is not there (HTTP 404); {held or 'packs load without node classes'}"
            outcome = replace(outcome, state="not-modified", message=message)
        outcomes.append(outcome)
    return outcomes
