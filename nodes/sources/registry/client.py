"""Paging through the Comfy Registry's ``GET {base}/nodes?page=N&limit=L``, politely and bounded."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp

from ...core.model import Problem, SourceResult
from ...net.fetch import DEFAULT_TIMEOUT, fetch, not_ok
from ...net.guard import Guard, guarded_session
from . import parse
from .parse import NodesPage, RegistryError, build_result, parse_nodes_page

DEFAULT_BASE_URL = "https://api.comfy.org"
DEFAULT_LIMIT = 100
DEFAULT_DELAY = 0.2
DEFAULT_MAX_PAGES = 200
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
MAX_LIMIT = 1000


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


DEFAULT_OPTIONS = RegistryOptions()


async def fetch_registry(
    base_url: str = DEFAULT_BASE_URL,
    options: RegistryOptions = DEFAULT_OPTIONS,
    *,
    session: aiohttp.ClientSession | None = None,
    source: str = "registry",
) -> tuple[SourceResult, int]:
    """Download and validate every node page; return the result and the number of pages read.

    Stops at the last page (``totalPages``, or a short or empty page), at ``max_pages``
    with a problem saying so, or once more than :data:`.parse.MAX_NODES` nodes came (the
    result then says only the first were read). Raises :class:`.RegistryError`,
    :class:`.fetch.FetchError` or :class:`.guard.GuardError` when a page is unusable: nothing
    partial comes back.
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
    nodes = 0
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
            raise RegistryError(not_ok(url, result.status))
        budget -= len(result.body)
        page = parse_nodes_page(result.body, page_number)
        pages.append(page)
        nodes += len(page.nodes)
        if page.total_pages is not None:
            last = page_number >= page.total_pages
        else:  # no page count: a short page is the last (a server may cap ``limit`` lower)
            last = len(page.nodes) < limit
        if last or not page.nodes or nodes > parse.MAX_NODES:
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
