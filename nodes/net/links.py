"""Link health: are the catalogue's URLs alive, moved, dead, or out of bounds?

:func:`check_links` asks every URL concurrently but politely: HEAD first, a short GET
when a server refuses HEAD, redirects followed by hand within limits, a bound on
requests in flight overall and per host, a time limit per link, and the
:mod:`.guard` guard on every hop. :class:`LinkCache` keeps the results in a JSON
file so the sidebar can show them without checking again.

States:

- ``alive``: the server answered with a success (or any non-error status);
- ``redirected``: it did so after one or more redirects (``final_url`` says where);
- ``dead``: the server says the page is not there (4xx, such as 404 or 410);
- ``blocked``: the URL or a redirect leads to this machine or a private network;
- ``error``: no verdict: a timeout, a connection failure, a server error (5xx), a
  refusal to answer robots (401, 403, 429), a redirect loop, or a URL that is not http(s).
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

import aiohttp

from ..core.files import save_files, too_large
from ..core.log import logger
from ..core.urls import url_problem
from .fetch import FetchError, describe_error, now_iso, open_url
from .guard import Guard, GuardError, guarded_session

LinkState = Literal["alive", "redirected", "dead", "blocked", "error"]
STATES: tuple[str, ...] = get_args(LinkState)
DEFAULT_CONCURRENCY = 32
DEFAULT_PER_HOST = 6  # what browsers allow per host: polite for real servers
DEFAULT_TIMEOUT = 10.0
GET_READ_BYTES = 4096  # a GET fallback reads at most this much of the body
RETRY_WITH_GET = frozenset({403, 405, 501})  # HEAD answers that do not speak for GET
_NO_VERDICT = frozenset({401, 403, 407, 408, 425, 429})  # 4xx that do not mean "not there"
CACHE_SCHEMA = 1
# The link cache file, as its reader accepts it and its writer may make it. 50,000 links of
# a typical 300 bytes take 15 MB: the count binds first, the bytes only for unusually long
# URLs and messages.
MAX_LINK_CACHE_BYTES = 32 * 1024 * 1024
_HEAD = b'{"schema": %d, "links": {\n' % CACHE_SCHEMA
_SEPARATOR = b",\n"
_TAIL = b"\n}}\n"


@dataclass(frozen=True, slots=True)
class LinkStatus:
    """The verdict on one URL: its state, the last HTTP status, where it led, when, and why."""

    url: str
    state: LinkState
    status: int | None
    final_url: str
    checked_at: str
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "state": self.state,
            "status": self.status,
            "final_url": self.final_url,
            "checked_at": self.checked_at,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LinkStatus:
        """Rebuild a status from :meth:`to_dict`'s shape; ``ValueError`` when it is not one."""
        state, status = data.get("state"), data.get("status")
        if state not in STATES:
            raise ValueError(f"state {state!r} is not one of {', '.join(STATES)}")
        if status is not None and (isinstance(status, bool) or not isinstance(status, int)):
            raise ValueError(f"status {status!r} is not an HTTP status")
        url, final_url, checked_at, message = (
            _text(data, key) for key in ("url", "final_url", "checked_at", "message")
        )
        return cls(url, state, status, final_url, checked_at, message)


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key} must be text")
    return value


def verdict(status: int, redirects: int) -> tuple[LinkState, str]:
    """The state an HTTP status stands for, and a few words on it.

    >>> verdict(200, 0), verdict(200, 2), verdict(404, 0), verdict(503, 1)
    (('alive', ''), ('redirected', 'redirected 2 time(s)'), ('dead', 'HTTP 404'), \
('error', 'HTTP 503'))
    """
    if status < 400:  # noqa: PLR2004 - success, or a final 3xx without a Location
        return ("redirected", f"redirected {redirects} time(s)") if redirects else ("alive", "")
    if status < 500 and status not in _NO_VERDICT:  # noqa: PLR2004
        return "dead", f"HTTP {status}"
    return "error", f"HTTP {status}"


async def _probe(
    session: aiohttp.ClientSession, url: str, method: str, max_redirects: int
) -> tuple[int, str, int]:
    async with open_url(session, url, method=method, max_redirects=max_redirects) as opened:
        if method == "GET":
            await opened.response.content.read(GET_READ_BYTES)
        return opened.response.status, opened.final_url, opened.redirects


async def check_link(
    session: aiohttp.ClientSession,
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_redirects: int = 5,
) -> LinkStatus:
    """Check one URL with a session from :func:`.guard.guarded_session`; never raises.

    ``timeout`` bounds the whole check, a GET fallback included.
    """
    problem = url_problem(url)
    if problem is not None:
        return LinkStatus(url, "error", None, url, now_iso(), f"not an http(s) link: {problem}")

    async def run() -> tuple[int, str, int]:
        try:
            found = await _probe(session, url, "HEAD", max_redirects)
        except aiohttp.ClientError as exc:  # some servers drop HEAD requests
            logger.debug("HEAD %s failed (%s); trying GET", url, exc)
        else:
            if found[0] not in RETRY_WITH_GET:
                return found
        return await _probe(session, url, "GET", max_redirects)

    try:
        status, final_url, redirects = await asyncio.wait_for(run(), timeout)
    except GuardError as exc:
        return LinkStatus(url, "blocked", None, exc.target, now_iso(), str(exc))
    except FetchError as exc:
        return LinkStatus(url, "error", None, url, now_iso(), str(exc))
    except (asyncio.TimeoutError, aiohttp.ClientError) as exc:
        return LinkStatus(url, "error", None, url, now_iso(), describe_error(exc, url, timeout))
    state, message = verdict(status, redirects)
    return LinkStatus(url, state, status, final_url, now_iso(), message)


def _host_of(url: str) -> str:
    try:
        parts = urlsplit(url)
        return f"{(parts.hostname or '').lower()}:{parts.port or parts.scheme}"
    except ValueError:
        return ""


async def check_links(
    urls: Iterable[str],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    per_host: int = DEFAULT_PER_HOST,
    timeout: float = DEFAULT_TIMEOUT,
    allow_private: bool = False,
    max_redirects: int = 5,
    allow_hosts: Collection[str] = (),
) -> dict[str, LinkStatus]:
    """Check every distinct URL; return a status for each, in the order given.

    At most ``concurrency`` checks run at once and at most ``per_host`` of them against
    one host (a check waiting for its host holds no global slot, so one busy host does
    not stall the others; the connection pool enforces the same per-host bound on
    redirect hops). ``timeout`` is per link and starts when its check starts, not while
    it waits its turn. ``allow_private`` / ``allow_hosts`` relax the guard (see
    :class:`.guard.Guard`). Never raises for a bad link.
    """
    if concurrency < 1 or per_host < 1:
        raise ValueError("concurrency and per_host must be at least 1")
    distinct = list(dict.fromkeys(urls))
    overall = asyncio.Semaphore(concurrency)
    hosts: dict[str, asyncio.Semaphore] = {}
    guard = Guard.of(allow_private, allow_hosts)

    async with guarded_session(guard, limit=concurrency, limit_per_host=per_host) as session:

        async def one(url: str) -> LinkStatus:
            host = hosts.setdefault(_host_of(url), asyncio.Semaphore(per_host))
            async with host, overall:
                return await check_link(session, url, timeout=timeout, max_redirects=max_redirects)

        results = await asyncio.gather(*(one(url) for url in distinct))
    return dict(zip(distinct, results, strict=True))


class LinkCache:
    """Link statuses kept in one JSON file, written atomically; the newest result per URL wins.

    Bounded in entries (``max_entries``) and bytes (``max_bytes``, one limit for the writer
    and the reader): beyond either, the results checked longest ago are dropped. Blocking
    file I/O: inside the server, call :meth:`load` and :meth:`merge` through
    ``asyncio.to_thread``. Merges are serialised within the process.
    """

    def __init__(
        self, path: Path, *, max_entries: int = 50_000, max_bytes: int = MAX_LINK_CACHE_BYTES
    ) -> None:
        self.path = path
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._lock = threading.Lock()

    def load(self) -> dict[str, LinkStatus]:
        """Every stored status by URL; a missing, oversized or damaged file gives what can be
        read."""
        try:
            size = self.path.stat().st_size
            if size > self.max_bytes:
                raise ValueError(f"it {too_large(size, self.max_bytes)}")
            document: Any = json.loads(self.path.read_bytes())
            links = document["links"]
            items = list(links.items())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            logger.warning("cannot read the link cache %s: %s", self.path, exc)
            return {}
        statuses: dict[str, LinkStatus] = {}
        for url, raw in items:
            try:
                status = LinkStatus.from_dict({**raw, "url": url})
            except (ValueError, TypeError) as exc:
                logger.warning("link cache %s: ignoring the entry for %r: %s", self.path, url, exc)
                continue
            statuses[url] = status
        return statuses

    def merge(self, results: Mapping[str, LinkStatus]) -> dict[str, LinkStatus]:
        """Add ``results`` to the file (replacing older results for the same URLs); return all
        that is kept, oldest first.

        Beyond ``max_entries`` or ``max_bytes``, the results checked longest ago are dropped.
        A write that fails raises :class:`..core.errors.DomainError` and changes nothing.
        """
        with self._lock:
            merged = self.load()
            merged.update(results)
            ordered = sorted(merged.items(), key=lambda item: item[1].checked_at)
            pieces = [_encode_link(url, status) for url, status in ordered]
            start, size = len(ordered), len(_HEAD) + len(_TAIL)
            while start > 0 and len(ordered) - start < self.max_entries:
                cost = len(pieces[start - 1]) + len(_SEPARATOR)
                if size + cost > self.max_bytes:
                    break
                size, start = size + cost, start - 1
            save_files([(self.path, _HEAD + _SEPARATOR.join(pieces[start:]) + _TAIL)])
            return dict(ordered[start:])


def _encode_link(url: str, status: LinkStatus) -> bytes:
    """One link as stored: ``"<url>": {fields}``, in ASCII (any text can be written)."""
    fields = {k: v for k, v in status.to_dict().items() if k != "url"}
    return f"{json.dumps(url)}: {json.dumps(fields)}".encode()
