"""The Comfy Registry as a catalogue source: the last refreshed snapshot, kept in the remote cache.

:func:`refresh_registry` pages through the registry and keeps the validated result as a
snapshot (the format of :mod:`..snapshot`) through :class:`.cache.RemoteCache`, which
also says what the refresh did. :class:`RegistrySource` loads that snapshot and nothing
else: the catalogue never waits for the network, and a failed refresh leaves the last
good copy.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from ...core.excerpt import excerpt
from ...core.files import cannot_read, files_fingerprint
from ...core.log import logger
from ...core.model import Problem, SourceResult
from ...core.urls import url_problem
from ...net.cache import CachedCopy, RefreshOutcome, RemoteCache, failed_outcome
from ...net.fetch import FetchError, now_iso
from ...net.guard import GuardError
from ..snapshot import read_snapshot, read_snapshot_file, snapshot_bytes
from .client import DEFAULT_BASE_URL, DEFAULT_OPTIONS, RegistryOptions, fetch_registry
from .parse import RegistryError

SNAPSHOT_SUFFIX = ".snapshot.json"  # the cache's body file: a snapshot, named as such


def registry_key(base_url: str) -> str:
    """The snapshot key: a snapshot from one registry is never read as another's."""
    return f"comfy-registry:{base_url.rstrip('/')}"


@dataclass(frozen=True)
class RegistrySource:
    """The last refreshed copy of the Comfy Registry; loading never touches the network."""

    cache_dir: Path
    base_url: str = DEFAULT_BASE_URL
    name: str = "registry"

    @property
    def cache(self) -> RemoteCache:
        return RemoteCache(self.cache_dir, body_suffix=SNAPSHOT_SUFFIX)

    @property
    def snapshot_path(self) -> Path:
        return self.cache.paths(self.name)[0]

    @property
    def meta_path(self) -> Path:
        return self.cache.paths(self.name)[1]

    def fingerprint(self) -> str:
        return files_fingerprint([self.snapshot_path])

    def load(self) -> SourceResult:
        """The cached registry nodes; empty (and no problem) when it was never refreshed.

        The snapshot names the registry it came from and is checked on reading, so the
        cache's metadata is not needed here.
        """
        try:
            data = read_snapshot_file(self.snapshot_path)
        except FileNotFoundError:
            return SourceResult(self.name)
        except OSError as exc:
            return self._unusable(cannot_read(exc))
        result = read_snapshot(data, registry_key(self.base_url))
        if result is None:
            return self._unusable(f"is not a snapshot of {self.base_url}; refresh the source")
        return result

    def _unusable(self, message: str) -> SourceResult:
        return SourceResult(
            self.name, problems=(Problem(str(self.snapshot_path), None, "file", message),)
        )

    def fetched_at(self) -> str:
        """When the held copy was downloaded (ISO), or ``""`` when none is held."""
        held = self.cache.read(self.name)
        return "" if held is None else held.fetched_at


async def refresh_registry(
    cache_dir: Path,
    base_url: str = DEFAULT_BASE_URL,
    options: RegistryOptions = DEFAULT_OPTIONS,
    *,
    name: str = "registry",
    session: aiohttp.ClientSession | None = None,
) -> RefreshOutcome[SourceResult]:
    """Fetch the whole registry and replace the cached snapshot when every page was usable.

    Never raises for network or data failures: the outcome says ``failed`` and why, and
    the last good snapshot stays. ``changed`` carries the new result as ``value``;
    ``not-modified`` means the validated content is identical to the held one.
    """
    cache = RegistrySource(cache_dir, base_url, name).cache
    when = now_iso()
    held = await asyncio.to_thread(cache.read, name)
    problem = url_problem(base_url)
    if problem is not None:
        reason = f"the registry address {excerpt(base_url)} {problem}"
        return failed_outcome(name, reason, when, held)
    try:
        result, pages = await fetch_registry(base_url, options, session=session, source=name)
    except (RegistryError, FetchError, GuardError) as exc:
        return failed_outcome(name, str(exc), when, held)
    copy = CachedCopy(
        snapshot_bytes(result, registry_key(base_url)), base_url, None, None, when, when
    )
    same = await asyncio.to_thread(cache.store, name, copy, held)
    summary = (
        f"{len(result.resources)} node packs from {pages} page(s),"
        f" {len(result.problems)} problem(s)"
    )
    if same is not None:
        return RefreshOutcome(
            name, "not-modified", f"{name} is unchanged: {summary}", when, same.fetched_at, result
        )
    logger.info("refreshed %s from %s: %s", name, base_url, summary)
    return RefreshOutcome(name, "changed", f"{name} was updated: {summary}", when, when, result)
