"""Guarded HTTP fetches, and a folder of validated remote copies that survive failed refreshes.

:func:`fetch` is the one way this pack downloads anything: http/https only, every
redirect hop checked by the :mod:`.netguard` guard, a size cap enforced while reading, one
overall time limit, conditional requests. :class:`RemoteCache` keeps the last good copy
of each remote file and swaps in a new one only after it validated.

Nothing here touches the network at import or start-up; only an explicit call does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import re
import threading
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import aiohttp
from yarl import URL

from ..core.files import write_atomic
from ..core.log import logger
from ..core.urls import url_problem
from .guard import Guard, GuardError, guarded_session, session_guard

PACK_VERSION = "0.1.0"  # == [project].version in pyproject.toml (a test keeps them equal)
USER_AGENT = (
    f"awesome-comfyui-beyond/{PACK_VERSION} (+https://github.com/umitkacar/Awesome-ComfyUI-Beyond)"
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
DEFAULT_TIMEOUT = 30.0
CHUNK = 64 * 1024
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")

T = TypeVar("T")


class FetchError(Exception):
    """A fetch that did not produce an answer, with a message a user can act on."""


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The final answer of a fetch, after redirects.

    ``body`` is ``None`` only when ``not_modified`` (a 304 answer to a conditional request);
    ``etag`` and ``last_modified`` are the server's validators, or the ones sent when a 304
    did not repeat them.
    """

    status: int
    body: bytes | None
    etag: str | None
    last_modified: str | None
    final_url: str
    not_modified: bool

    @property
    def ok(self) -> bool:
        """Whether the answer is a success (2xx) or a 304 Not Modified."""
        return self.not_modified or 200 <= self.status < 300  # noqa: PLR2004


@dataclass(frozen=True, slots=True)
class Opened:
    """A response at the end of a redirect chain, open for reading."""

    response: aiohttp.ClientResponse
    final_url: str
    redirects: int


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second (``2025-01-31T12:00:00+00:00``)."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def check_fetchable(url: str, guard: Guard) -> None:
    """Raise :class:`FetchError` for a non-http(s) URL, :class:`GuardError` for a private one.

    >>> check_fetchable("file:///etc/passwd", Guard())
    Traceback (most recent call last):
    ...
    nodes.net.remote.FetchError: cannot fetch 'file:///etc/passwd': scheme 'file' is not allowed; \
use http or https
    """
    problem = url_problem(url)
    if problem is not None:
        raise FetchError(f"cannot fetch {url!r}: {problem}")
    guard.check_url(url)


@asynccontextmanager
async def open_url(
    session: aiohttp.ClientSession,
    url: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    max_redirects: int = 5,
) -> AsyncIterator[Opened]:
    """Send ``method`` to ``url`` and follow redirects by hand, checking every hop.

    Each hop must be http(s) and pass the session's guard (literal IPs here, names in
    its resolver); a loop or more than ``max_redirects`` redirects is a
    :class:`FetchError`. The method is kept on every hop (this pack only sends GET and
    HEAD). The response is released on leaving the block.
    """
    guard = session_guard(session)
    sent = {"User-Agent": USER_AGENT, **(headers or {})}
    seen = {url}
    current = url
    for hop in range(max_redirects + 1):
        check_fetchable(current, guard)
        try:
            response = await session.request(method, current, headers=sent, allow_redirects=False)
        except GuardError as exc:  # from the resolver, which only knows the host name
            raise GuardError(current, exc.reason) from None
        redirect = response.status in REDIRECT_STATUSES
        location = response.headers.get("Location") if redirect else None
        if location is None:
            try:
                yield Opened(response, current, hop)
            finally:
                response.release()
            return
        response.release()
        try:
            target = str(response.url.join(URL(location)))
        except ValueError as exc:
            reason = f"{current} redirects to an invalid address {location!r}: {exc}"
            raise FetchError(reason) from None
        if target in seen:
            raise FetchError(f"{url} redirects in a loop ({current} leads back to {target})")
        seen.add(target)
        current = target
    raise FetchError(f"{url} redirects more than {max_redirects} times; the last hop was {current}")


async def read_limited(response: aiohttp.ClientResponse, max_bytes: int, url: str) -> bytes:
    """Read a whole body, failing with :class:`FetchError` as soon as it exceeds ``max_bytes``."""
    length = response.content_length
    if length is not None and length > max_bytes:
        raise FetchError(f"{url} is {length} bytes long; the limit is {max_bytes} bytes")
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.content.iter_chunked(CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(f"{url} sent more than {max_bytes} bytes (the limit); stopped reading")
        chunks.append(chunk)
    return b"".join(chunks)


def describe_error(exc: BaseException, url: str, timeout: float) -> str:
    """A readable sentence for a failed request (timeouts, refused connections, cut-off answers)."""
    return " ".join(_describe_error(exc, url, timeout).split())  # aiohttp's can span lines


def _describe_error(exc: BaseException, url: str, timeout: float) -> str:
    if isinstance(exc, asyncio.TimeoutError):
        return f"no complete answer from {url} within {timeout:g} s"
    if isinstance(exc, aiohttp.ClientPayloadError):
        return f"the answer from {url} was cut off before its end ({exc})"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return f"cannot resolve the host name of {url} ({exc.os_error})"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"cannot connect to {url} ({exc.os_error})"
    if isinstance(exc, aiohttp.ClientResponseError):
        return f"{url} did not answer with valid HTTP ({exc.message})"
    return f"cannot fetch {url} ({type(exc).__name__}: {exc})"


async def fetch(
    session: aiohttp.ClientSession | None,
    url: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    etag: str | None = None,
    last_modified: str | None = None,
    allow_private: bool = False,
    max_redirects: int = 5,
) -> FetchResult:
    """GET ``url`` with every safety rule of the pack, and return its final answer.

    ``session`` must come from :func:`.netguard.guarded_session` (its guard then decides,
    and ``allow_private`` must agree with it); with ``None`` a session is made for this
    one fetch. ``etag``/``last_modified`` make the request conditional; a 304 answer has
    ``not_modified`` set and no body. Error statuses (404, 500, ...) are returned, not
    raised: check :attr:`FetchResult.ok`.

    Raises :class:`.netguard.GuardError` when a hop is private, and :class:`FetchError`
    for everything else: a non-http(s) URL, redirect loops, a body over ``max_bytes``,
    no complete answer within ``timeout`` seconds (for the whole chain), network errors.
    """
    if session is None:
        async with guarded_session(Guard(allow_private), timeout=timeout) as own:
            return await fetch(
                own,
                url,
                max_bytes=max_bytes,
                timeout=timeout,
                etag=etag,
                last_modified=last_modified,
                allow_private=allow_private,
                max_redirects=max_redirects,
            )
    guard = session_guard(session)
    if guard.allow_private != allow_private:
        raise ValueError(
            f"allow_private={allow_private} disagrees with the session's guard"
            f" (allow_private={guard.allow_private})"
        )
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    async def run() -> FetchResult:
        async with open_url(session, url, headers=headers, max_redirects=max_redirects) as opened:
            response = opened.response
            new_etag = response.headers.get("ETag")
            new_modified = response.headers.get("Last-Modified")
            if response.status == 304:  # noqa: PLR2004 - Not Modified
                return FetchResult(
                    304,
                    None,
                    new_etag or etag,
                    new_modified or last_modified,
                    opened.final_url,
                    True,
                )
            body = await read_limited(response, max_bytes, opened.final_url)
            return FetchResult(
                response.status, body, new_etag, new_modified, opened.final_url, False
            )

    try:
        return await asyncio.wait_for(run(), timeout)
    except (asyncio.TimeoutError, aiohttp.ClientError) as exc:
        raise FetchError(describe_error(exc, url, timeout)) from exc


# ------------------------------------------------------------------ the cache folder


@dataclass(frozen=True, slots=True)
class CachedCopy:
    """The last good copy of a remote file, and what the server said about it."""

    body: bytes
    url: str
    etag: str | None
    last_modified: str | None
    fetched_at: str  # when this body was downloaded
    checked_at: str  # when the server last confirmed it (a 304) or sent it


@dataclass(frozen=True)  # no slots: Python 3.10 cannot subscript a slotted frozen generic
class RefreshOutcome(Generic[T]):
    """What a refresh did: ``changed``, ``not-modified`` or ``failed`` (and why).

    ``when`` is the time of this attempt; ``fetched_at`` the time of the copy now held
    (empty when there is none). ``value`` is the validated new content when it changed.
    """

    name: str
    state: Literal["changed", "not-modified", "failed"]
    message: str
    when: str
    fetched_at: str = ""
    value: T | None = None

    @property
    def ok(self) -> bool:
        return self.state != "failed"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape for the HTTP API and ``--json`` output (``value`` left out)."""
        return {
            "name": self.name,
            "state": self.state,
            "message": self.message,
            "when": self.when,
            "fetched_at": self.fetched_at,
        }


class RemoteCache:
    """A folder of remote copies: ``<name>.body`` and ``<name>.meta.json`` for each name.

    Both files are written atomically, the body first: a crash in between leaves a new
    body with old metadata, whose checksum then no longer matches, so the next refresh
    asks unconditionally instead of trusting a stale ETag.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()  # one body + metadata pair at a time

    def paths(self, name: str) -> tuple[Path, Path]:
        """The body and metadata files of ``name`` (``ValueError`` for an unsafe name)."""
        if not _NAME_RE.match(name):
            raise ValueError(
                f"{name!r} is not a cache name; use 1-64 lowercase letters, digits, '.', '_' or '-'"
            )
        return self.folder / f"{name}.body", self.folder / f"{name}.meta.json"

    def read(self, name: str) -> CachedCopy | None:
        """The copy held for ``name``, or ``None`` when there is none or it is damaged.

        Blocking file I/O: inside the server, call it through ``asyncio.to_thread``.
        """
        body_path, meta_path = self.paths(name)
        try:
            body = body_path.read_bytes()
            meta: Any = json.loads(meta_path.read_bytes())
            if meta.get("sha256") != hashlib.sha256(body).hexdigest():
                logger.warning("the cached %s does not match its metadata; ignoring it", name)
                return None
            return CachedCopy(
                body,
                str(meta["url"]),
                _opt_str(meta.get("etag")),
                _opt_str(meta.get("last_modified")),
                str(meta["fetched_at"]),
                str(meta.get("checked_at") or meta["fetched_at"]),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, AttributeError, RecursionError) as exc:
            logger.warning("cannot read the cached %s in %s: %s", name, self.folder, exc)
            return None

    def write(self, name: str, copy: CachedCopy, *, body_changed: bool = True) -> None:
        """Store ``copy`` atomically (blocking: use ``asyncio.to_thread`` in the server)."""
        body_path, meta_path = self.paths(name)
        meta = {
            "url": copy.url,
            "etag": copy.etag,
            "last_modified": copy.last_modified,
            "fetched_at": copy.fetched_at,
            "checked_at": copy.checked_at,
            "sha256": hashlib.sha256(copy.body).hexdigest(),
            "size": len(copy.body),
        }
        with self._lock:
            if body_changed:
                write_atomic(body_path, copy.body)
            write_atomic(meta_path, json.dumps(meta, indent=2).encode() + b"\n")

    async def refresh(  # noqa: PLR0911 - one return per outcome
        self,
        name: str,
        url: str,
        validate: Callable[[bytes], T],
        *,
        session: aiohttp.ClientSession | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = DEFAULT_TIMEOUT,
        allow_private: bool = False,
        max_redirects: int = 5,
    ) -> RefreshOutcome[T]:
        """Fetch ``url`` (conditionally when a copy is held) and keep it if ``validate`` accepts it.

        ``validate`` runs in a worker thread on the new bytes before anything is written;
        whatever it raises is reported and the old copy stays. Network failures, error
        statuses and oversized answers keep the old copy too. Never raises for those.
        """
        self.paths(name)  # a bad name is the caller's bug: raise it now
        when = now_iso()
        held = await asyncio.to_thread(self.read, name)
        # Ask conditionally only for the URL the held copy came from.
        prior = held if held is not None and held.url == url else None
        try:
            result = await fetch(
                session,
                url,
                max_bytes=max_bytes,
                timeout=timeout,
                etag=None if prior is None else prior.etag,
                last_modified=None if prior is None else prior.last_modified,
                allow_private=allow_private,
                max_redirects=max_redirects,
            )
        except (FetchError, GuardError) as exc:
            return _failed(name, str(exc), when, held)
        if result.not_modified:
            if prior is None:
                reason = f"{url} answered 304 Not Modified to a plain request"
                return _failed(name, reason, when, held)
            confirmed = CachedCopy(
                prior.body, url, result.etag, result.last_modified, prior.fetched_at, when
            )
            await asyncio.to_thread(self.write, name, confirmed, body_changed=False)
            return RefreshOutcome(
                name, "not-modified", f"{name} is up to date", when, prior.fetched_at
            )
        if not result.ok:
            return _failed(name, f"{url} answered HTTP {result.status}", when, held)
        body = result.body or b""
        try:
            value = await asyncio.to_thread(validate, body)
        except Exception as exc:  # noqa: BLE001 - any validation failure keeps the old copy
            return _failed(
                name, f"the new copy from {result.final_url} is not valid: {exc}", when, held
            )
        if prior is not None and prior.body == body:  # a server without validators
            same = CachedCopy(body, url, result.etag, result.last_modified, prior.fetched_at, when)
            await asyncio.to_thread(self.write, name, same, body_changed=False)
            return RefreshOutcome(
                name, "not-modified", f"{name} is unchanged", when, prior.fetched_at, value
            )
        copy = CachedCopy(body, url, result.etag, result.last_modified, when, when)
        await asyncio.to_thread(self.write, name, copy)
        logger.info("refreshed %s from %s (%d bytes)", name, result.final_url, len(body))
        return RefreshOutcome(
            name, "changed", f"{name} was updated ({len(body)} bytes)", when, when, value
        )


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _failed(name: str, reason: str, when: str, held: CachedCopy | None) -> RefreshOutcome[Any]:
    kept = f"; keeping the copy from {held.fetched_at}" if held is not None else "; no copy is held"
    logger.warning("refreshing %s failed: %s%s", name, reason, kept)
    return RefreshOutcome(
        name, "failed", reason + kept, when, "" if held is None else held.fetched_at
    )
