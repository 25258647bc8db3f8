"""The Comfy Registry (``api.comfy.org``) as a catalogue source, refreshed only on request.

:func:`refresh_registry` pages through ``GET {base}/nodes?page=N&limit=L`` politely (a
pause between pages, caps on pages and bytes), validates every node with the shared
rules, and stores the result as a validated snapshot (the format of :mod:`.sources`)
in the cache folder. :class:`RegistrySource` loads that snapshot and nothing else: the
catalogue never waits for the network, and a failed refresh leaves the last good copy.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from ..core.files import files_fingerprint, write_atomic
from ..core.log import logger
from ..core.model import Problem, Resource, SourceResult
from ..core.urls import id_from_url, url_problem
from ..core.validate import (
    MAX_AUTHOR,
    MAX_DESCRIPTION,
    MAX_LICENSE,
    MAX_NAME,
    MAX_STARS,
    Location,
    parse_resource,
    without_duplicates,
)
from ..net.guard import Guard, GuardError, guarded_session
from ..net.remote import DEFAULT_TIMEOUT, FetchError, RefreshOutcome, fetch, now_iso
from .manager_db import PACK_CATEGORY, clean_tags, clean_text
from .snapshot import read_snapshot, snapshot_bytes

DEFAULT_BASE_URL = "https://api.comfy.org"
NODE_PAGE_URL = "https://registry.comfy.org/nodes/"  # a node's page, for nodes with no repository
DEFAULT_LIMIT = 100
DEFAULT_DELAY = 0.2
DEFAULT_MAX_PAGES = 200
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
_SLUG_UNSAFE_RE = re.compile(r"[^a-z0-9_.-]+")
# A licence worth showing is a short name (MIT, GPL-3.0, Apache-2.0 ...); the Registry
# often holds a file reference instead ("LICENSE", '{"file": "LICENSE"}').
_LICENSE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*(?: [A-Za-z0-9.+-]+)*$")
MAX_LIMIT = 1000
_STORE_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class RegistryOptions:
    """How politely and how far to page through the registry.

    ``limit`` nodes per page, ``delay`` seconds between pages, at most ``max_pages``
    pages and ``max_bytes`` bytes in all, ``timeout`` seconds per page.
    ``allow_private`` lets the base URL be a local or LAN mirror.
    """

    limit: int = DEFAULT_LIMIT
    delay: float = DEFAULT_DELAY
    max_pages: int = DEFAULT_MAX_PAGES
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT
    allow_private: bool = False

    def __post_init__(self) -> None:
        problems = [
            text
            for bad, text in (
                (not 1 <= self.limit <= MAX_LIMIT, f"limit must be 1-{MAX_LIMIT}"),
                (self.delay < 0, "delay must not be negative"),
                (self.max_pages < 1, "max_pages must be at least 1"),
                (self.max_bytes < 1, "max_bytes must be at least 1"),
                (self.timeout <= 0, "timeout must be positive"),
            )
            if bad
        ]
        if problems:
            raise ValueError("; ".join(problems))


class RegistryError(Exception):
    """A registry answer that cannot be used at all (not JSON, not a nodes page)."""


def registry_key(base_url: str) -> str:
    """The snapshot key: a snapshot from one registry is never read as another's."""
    return f"comfy-registry:{base_url.rstrip('/')}"


def _skipped(problem: Problem) -> Problem:
    return Problem(problem.file, problem.line, problem.field, f"{problem.message}; skipped")


def _slug(text: str) -> str:
    return _SLUG_UNSAFE_RE.sub("-", text.lower()).strip("-._")


def _date(value: object) -> str | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            return None
    return None


def _license(value: object) -> str | None:
    text = clean_text(value, MAX_LICENSE)
    lowered = text.lower()
    if not _LICENSE_RE.match(text) or lowered.startswith("license") or "file" in lowered:
        return None
    return text


def _author(node: Mapping[str, Any]) -> str | None:
    publisher = node.get("publisher")
    candidates = [node.get("author")]
    if isinstance(publisher, Mapping):
        candidates += [publisher.get("name"), publisher.get("id")]
    for candidate in candidates:
        text = clean_text(candidate, MAX_AUTHOR)
        if text:
            return text
    return None


def _stars(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_STARS:
        return value
    return None


def parse_node(
    node: object, where: Location, source: str = "registry"
) -> tuple[Resource | None, list[Problem]]:
    """Turn one Registry ``Node`` into a node-pack resource, or say why it is skipped.

    The id comes from the repository URL (as for the Manager's entries, so both name a
    pack alike); a node without a repository gets ``registry.<node id>`` and its
    Registry page. Unusable optional values (a licence that is a file name, a malformed
    date) are left out rather than failing the node.

    >>> r, _ = parse_node(
    ...     {
    ...         "id": "kj",
    ...         "name": "KJNodes",
    ...         "repository": "https://github.com/kijai/ComfyUI-KJNodes",
    ...     },
    ...     Location("page 1"),
    ... )
    >>> r.id, r.url, r.source
    ('kijai.comfyui-kjnodes', 'https://github.com/kijai/ComfyUI-KJNodes', 'registry')
    """
    if not isinstance(node, Mapping):
        return None, [where.problem("entry", "must be a JSON object; skipped")]
    node_id = node.get("id")
    slug = _slug(node_id) if isinstance(node_id, str) else ""
    if not slug:
        return None, [where.problem("id", f"must be a node id, got {node_id!r}; skipped")]
    repository = node.get("repository")
    if repository in (None, ""):
        url, resource_id = NODE_PAGE_URL + slug, "registry." + slug[:71].rstrip("-._")
    else:
        problem = url_problem(repository)
        if problem is not None:
            return None, [where.problem("repository", f"{problem}; skipped")]
        assert isinstance(repository, str)  # noqa: S101 - url_problem accepted it
        url, resource_id = repository, id_from_url(repository)
    latest = node.get("latest_version")
    created = latest.get("createdAt") if isinstance(latest, Mapping) else None
    raw: dict[str, Any] = {
        "id": resource_id,
        "name": clean_text(node.get("name"), MAX_NAME) or slug,
        "url": url,
        "category": PACK_CATEGORY,
        "kind": "node-pack",
        "description": clean_text(node.get("description"), MAX_DESCRIPTION) or None,
        "author": _author(node),
        "tags": clean_tags(node.get("tags")),
        "license": _license(node.get("license")),
        "stars": _stars(node.get("github_stars")),
        "updated": _date(created) or _date(node.get("created_at")),
    }
    resource, problems = parse_resource(raw, where, source=source)
    return resource, [_skipped(p) for p in problems]


@dataclass(frozen=True, slots=True)
class NodesPage:
    """One ``/nodes`` answer: its nodes and how many pages the registry says there are."""

    nodes: list[Any]
    total_pages: int | None


def parse_nodes_page(body: bytes, page: int) -> NodesPage:
    """Read one ``/nodes`` page; :class:`RegistryError` when it is not JSON or not a nodes page."""
    try:
        document: Any = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise RegistryError(f"nodes page {page} is not valid JSON ({exc})") from None
    nodes = document.get("nodes") if isinstance(document, Mapping) else None
    if not isinstance(nodes, list):
        raise RegistryError(f"nodes page {page} is not a Comfy Registry page (no 'nodes' list)")
    total = document.get("totalPages")
    valid_total = isinstance(total, int) and not isinstance(total, bool) and total >= 0
    return NodesPage(nodes, total if valid_total else None)


def build_result(pages: list[NodesPage], source: str = "registry") -> SourceResult:
    """Validate the nodes of every page; bad records become problems, duplicates are skipped."""
    entries: list[tuple[Resource, Location]] = []
    problems: list[Problem] = []
    for number, page in enumerate(pages, start=1):
        for index, node in enumerate(page.nodes):
            where = Location(f"nodes page {number}", None, prefix=f"[{index}].")
            resource, errors = parse_node(node, where, source)
            if resource is None:
                problems += errors
            else:
                entries.append((resource, where))
    kept, duplicates = without_duplicates(entries)
    return SourceResult(
        source, tuple(r for r, _ in kept), (), tuple(problems + [_skipped(p) for p in duplicates])
    )


async def fetch_registry(
    base_url: str = DEFAULT_BASE_URL,
    options: RegistryOptions = RegistryOptions(),
    *,
    session: aiohttp.ClientSession | None = None,
    source: str = "registry",
) -> tuple[SourceResult, int]:
    """Download and validate every node page; return the result and the number of pages read.

    Stops at the last page (``totalPages``, or a short or empty page), or at ``max_pages``
    with a problem saying so. Raises :class:`RegistryError`, :class:`.remote.FetchError`
    or :class:`.netguard.GuardError` when a page is unusable: nothing partial comes back.
    ``max_bytes`` caps all pages together, ``timeout`` each page.
    """
    if session is None:
        guard = Guard(options.allow_private)
        async with guarded_session(guard, timeout=options.timeout) as own:
            return await fetch_registry(base_url, options, session=own, source=source)
    base = base_url.rstrip("/")
    limit, max_pages = options.limit, options.max_pages
    pages: list[NodesPage] = []
    budget = options.max_bytes
    notes: list[Problem] = []
    page_number = 1
    while True:
        url = f"{base}/nodes?page={page_number}&limit={limit}"
        result = await fetch(
            session,
            url,
            max_bytes=budget,
            timeout=options.timeout,
            allow_private=options.allow_private,
        )
        if not result.ok or result.body is None:
            raise RegistryError(f"{url} answered HTTP {result.status}")
        budget -= len(result.body)
        page = parse_nodes_page(result.body, page_number)
        pages.append(page)
        if page.total_pages is not None:
            last = page_number >= page.total_pages
        else:  # no page count: a short page is the last (a server may cap ``limit`` lower)
            last = len(page.nodes) < limit
        if last or not page.nodes:
            break
        if page_number >= max_pages:
            notes.append(
                Problem(
                    base,
                    None,
                    "pages",
                    (
                        f"the registry has more than {max_pages} pages of {limit} nodes;"
                        " only the first were read"
                    ),
                )
            )
            break
        page_number += 1
        await asyncio.sleep(options.delay)
    built = await asyncio.to_thread(build_result, pages, source)
    return SourceResult(built.name, built.resources, (), built.problems + tuple(notes)), len(pages)


@dataclass(frozen=True)
class RegistrySource:
    """The last refreshed copy of the Comfy Registry; loading never touches the network."""

    cache_dir: Path
    base_url: str = DEFAULT_BASE_URL
    name: str = "registry"

    @property
    def snapshot_path(self) -> Path:
        return self.cache_dir / f"{self.name}.snapshot.json"

    @property
    def meta_path(self) -> Path:
        return self.cache_dir / f"{self.name}.meta.json"

    def fingerprint(self) -> str:
        return files_fingerprint([self.snapshot_path])

    def load(self) -> SourceResult:
        """The cached registry nodes; empty (and no problem) when it was never refreshed."""
        try:
            data = self.snapshot_path.read_bytes()
        except FileNotFoundError:
            return SourceResult(self.name)
        except OSError as exc:
            return self._unusable(f"cannot be read: {exc.strerror or exc}")
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
        try:
            meta: Any = json.loads(self.meta_path.read_bytes())
            return str(meta["fetched_at"])
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return ""


async def refresh_registry(
    cache_dir: Path,
    base_url: str = DEFAULT_BASE_URL,
    options: RegistryOptions = RegistryOptions(),
    *,
    name: str = "registry",
    session: aiohttp.ClientSession | None = None,
) -> RefreshOutcome[SourceResult]:
    """Fetch the whole registry and replace the cached snapshot when every page was usable.

    Never raises for network or data failures: the outcome says ``failed`` and why, and
    the last good snapshot stays. ``changed`` carries the new result as ``value``;
    ``not-modified`` means the validated content is identical to the held one.
    """
    source = RegistrySource(cache_dir, base_url, name)
    when = now_iso()
    held_at = await asyncio.to_thread(source.fetched_at)
    problem = url_problem(base_url)
    if problem is not None:
        return _failed(source, f"the registry address {base_url!r} {problem}", when, held_at)
    try:
        result, pages = await fetch_registry(base_url, options, session=session, source=name)
    except (RegistryError, FetchError, GuardError) as exc:
        return _failed(source, str(exc), when, held_at)
    data = snapshot_bytes(result, registry_key(base_url))
    changed = await asyncio.to_thread(_store, source, data, when, pages, len(result.resources))
    summary = (
        f"{len(result.resources)} node packs from {pages} page(s),"
        f" {len(result.problems)} problem(s)"
    )
    if not changed:
        return RefreshOutcome(
            name, "not-modified", f"{name} is unchanged: {summary}", when, held_at, result
        )
    logger.info("refreshed %s from %s: %s", name, base_url, summary)
    return RefreshOutcome(name, "changed", f"{name} was updated: {summary}", when, when, result)


def _store(source: RegistrySource, data: bytes, when: str, pages: int, count: int) -> bool:
    """Write the snapshot when it differs from the held one; return whether it did."""
    meta = {"url": source.base_url, "fetched_at": when, "pages": pages, "resources": count}
    with _STORE_LOCK:
        try:
            unchanged = source.snapshot_path.read_bytes() == data
        except OSError:
            unchanged = False
        if not unchanged:
            write_atomic(source.snapshot_path, data)
            write_atomic(source.meta_path, json.dumps(meta, indent=2).encode() + b"\n")
    return not unchanged


def _failed(source: RegistrySource, reason: str, when: str, held_at: str) -> RefreshOutcome[Any]:
    kept = f"; keeping the copy from {held_at}" if held_at else "; no copy is held"
    logger.warning("refreshing %s failed: %s%s", source.name, reason, kept)
    return RefreshOutcome(source.name, "failed", reason + kept, when, held_at)
