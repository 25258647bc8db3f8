"""Guarded, bounded HTTP fetches: the one way this pack downloads anything.

:func:`fetch` takes http/https only, checks every redirect hop with the :mod:`.guard`
guard, enforces a size cap while reading and one overall time limit, and makes
conditional requests. :func:`open_url` is the redirect walk it (and the link checker)
stands on.

Nothing here touches the network at import or start-up; only an explicit call does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import zlib
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp
from yarl import URL

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


def not_ok(url: str, status: int) -> str:
    """The words for an answer that is neither a success nor a 304.

    >>> not_ok("https://x.org/db.json", 503)
    'https://x.org/db.json answered HTTP 503'
    """
    return f"{url} answered HTTP {status}"


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second (``2025-01-31T12:00:00+00:00``)."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def check_fetchable(url: str, guard: Guard) -> None:
    """Raise :class:`GuardError` for a private URL, :class:`FetchError` for one URL rules refuse.

    The guard speaks first, so a private address written another way (``127.1``) is
    refused as private; the URL rules then refuse what no aiohttp version may be handed
    as it stands (a non-http(s) scheme, an IPv4 address not written as four decimals).

    >>> check_fetchable("file:///etc/passwd", Guard())
    Traceback (most recent call last):
    ...
    nodes.net.fetch.FetchError: cannot fetch 'file:///etc/passwd': scheme 'file' is not allowed; \
use http or https
    >>> check_fetchable("http://0x7f.1/", Guard(allow_private=True))
    Traceback (most recent call last):
    ...
    nodes.net.fetch.FetchError: cannot fetch 'http://0x7f.1/': host '0x7f.1' is the IPv4 \
address 127.0.0.1 written another way; write 127.0.0.1
    """
    guard.check_url(url)
    problem = url_problem(url)
    if problem is not None:
        raise FetchError(f"cannot fetch {url!r}: {problem}")


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
    """Read a whole body, failing with :class:`FetchError` as soon as it exceeds ``max_bytes``.

    A gzip or deflate body (sessions from :func:`.guard.guarded_session` leave decoding
    to this function) is decompressed here, never to more than ``max_bytes`` + 1 bytes:
    the limit holds for what a body becomes, whatever aiohttp version is installed
    (before 3.13.3 its own decoding inflated each network read whole, so a 1 MiB
    "deflate bomb" took 250 MiB of memory before any limit could apply).
    """
    length = response.content_length
    if length is not None and length > max_bytes:
        raise FetchError(f"{url} is {length} bytes long; the limit is {max_bytes} bytes")
    inflater = _Inflater.of(response.headers.get("Content-Encoding", ""), url)
    chunks: list[bytes] = []
    total = 0
    async for data in response.content.iter_chunked(CHUNK):
        chunk = data if inflater is None else inflater.feed(data, max_bytes - total + 1)
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(f"{url} sent more than {max_bytes} bytes (the limit); stopped reading")
        chunks.append(chunk)
    if inflater is not None:
        inflater.finish()
    return b"".join(chunks)


class _Inflater:
    """Decompresses one gzip or deflate body piece by piece, each piece bounded."""

    def __init__(self, encoding: str, url: str) -> None:
        self.encoding = encoding
        self.url = url
        self._fed = False
        # deflate's own decompressor is made on the first piece, which tells zlib from raw
        self._decompressor = zlib.decompressobj(_GZIP_WBITS)

    @classmethod
    def of(cls, header: str, url: str) -> _Inflater | None:
        """The decoder ``Content-Encoding: header`` asks for; ``None`` for a plain body."""
        encoding = header.strip().lower()
        if encoding in ("", "identity"):
            return None
        if encoding not in ("gzip", "x-gzip", "deflate"):
            raise FetchError(
                f"{url} answered in the {header!r} encoding; this pack reads gzip and deflate only"
            )
        return cls(encoding, url)

    def feed(self, data: bytes, room: int) -> bytes:
        """Decompress ``data``, at most ``room`` bytes of it (more is over the caller's limit)."""
        if not self._fed and self.encoding == "deflate":
            # "deflate" is zlib-wrapped by the standard, raw from some servers (as aiohttp).
            wbits = zlib.MAX_WBITS if data[:1] and data[0] & 0x0F == _ZLIB_DEFLATED else -15
            self._decompressor = zlib.decompressobj(wbits)
        self._fed = True
        try:
            return self._decompressor.decompress(data, room)
        except zlib.error as exc:
            raise FetchError(
                f"the answer from {self.url} is not valid {self.encoding} data ({exc})"
            ) from None

    def finish(self) -> None:
        """Fail when the compressed body stopped before its end."""
        if self._fed and not self._decompressor.eof:
            ended = f"its {self.encoding} data ends early"
            raise FetchError(f"the answer from {self.url} was cut off before its end ({ended})")


_GZIP_WBITS = 16 + zlib.MAX_WBITS
_ZLIB_DEFLATED = 8  # the compression method of a zlib header's first byte


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

    ``session`` must come from :func:`.guard.guarded_session` (its guard then decides,
    and ``allow_private`` must agree with it); with ``None`` a session is made for this
    one fetch. ``etag``/``last_modified`` make the request conditional; a 304 answer has
    ``not_modified`` set and no body. Error statuses (404, 500, ...) are returned, not
    raised: check :attr:`FetchResult.ok`.

    Raises :class:`.guard.GuardError` when a hop is private, and :class:`FetchError`
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
