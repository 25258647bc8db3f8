"""Server-side fetch safety: remote sources and link checks never reach this machine or its LAN.

A URL from a catalogue, a user entry or a redirect may name ``127.0.0.1``, the cloud
metadata service (``169.254.169.254``), a router on ``192.168.0.1``, or a public-looking
name that resolves to one of them. Every fetch this pack makes goes through a
:class:`Guard`:

- :meth:`Guard.check_url` refuses URLs whose host is an IP literal that is not public,
  in any notation (``127.1``, ``0x7f000001``, full-width digits): it reads the host as
  the HTTP library will (yarl's IDNA mapping) and parses it itself
  (:mod:`..core.hosts`), so the verdict does not depend on which aiohttp is installed
  (before 3.14, aiohttp connects to ``127.1`` without asking any resolver);
- :class:`GuardedResolver` refuses numeric hosts before any lookup, drops every
  non-public address a host name resolves to, and refuses the name when none is left.
  The addresses it keeps are the ones aiohttp connects to, so a name cannot resolve one
  way for the check and another for the connection.

Both are needed on every hop of a redirect chain; :mod:`.fetch` does that. A session
for guarded fetches comes from :func:`guarded_session`.
"""

from __future__ import annotations

import socket
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from ..core.hosts import (
    PRIVATE_HELP,
    IPAddress,
    address_kind,
    ascii_host,
    is_public_ip,
    looks_like_ipv4,
    parse_ip,
)
from ..core.log import logger

ACCEPT_ENCODING = "gzip, deflate"  # what .fetch.read_limited decodes
__all__ = [
    "ACCEPT_ENCODING",
    "PRIVATE_HELP",
    "Guard",
    "GuardError",
    "GuardedConnector",
    "GuardedResolver",
    "address_kind",
    "guarded_session",
    "is_public_ip",
    "parse_ip",
    "session_guard",
]


class GuardError(ValueError):
    """A fetch refused because its target is not on the public internet.

    >>> str(GuardError("http://127.0.0.1/x", "the address 127.0.0.1 is on this machine (loopback)"))
    'refusing to fetch http://127.0.0.1/x: the address 127.0.0.1 is on this machine (loopback)'
    """

    def __init__(self, target: str, reason: str) -> None:
        super().__init__(f"refusing to fetch {target}: {reason}")
        self.target = target
        self.reason = reason


def _describe(host: str, address: IPAddress, kind: str) -> str:
    written = "" if host == str(address) else f" (written {host})"
    return f"the address {address}{written} is {PRIVATE_HELP} ({kind})"


def _url_host(url: str) -> str | None:
    """The host aiohttp will connect to for ``url``: yarl's, IDNA-mapped; ``None`` if none."""
    try:
        return URL(url).raw_host
    except ValueError:  # not a URL aiohttp would open either
        return None


@dataclass(frozen=True, slots=True)
class Guard:
    """Which hosts a server-side fetch may reach.

    ``allow_private`` lets every address through (for a LAN mirror, or tests against a
    local server). ``allow_hosts`` names hosts (as written in URLs, lowercase) that are
    trusted whatever they resolve to, while everything else stays guarded.
    """

    allow_private: bool = False
    allow_hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, allow_private: bool = False, allow_hosts: Collection[str] = ()) -> Guard:
        """Build a guard, normalising host names (``Guard.of(allow_hosts=["Mirror.lan"])``)."""
        return cls(allow_private, frozenset(_host_key(h) for h in allow_hosts))

    def allows_any_address(self, host: str) -> bool:
        """Whether ``host`` may be reached whatever its addresses are."""
        return self.allow_private or _host_key(host) in self.allow_hosts

    def check_url(self, url: str) -> None:
        """Raise :class:`GuardError` when ``url``'s host is a non-public IP literal in any notation.

        The host is read as aiohttp reads it (full-width digits are digits) and parsed
        here, every IPv4 notation included. A host that looks like an IPv4 address but
        is not one is refused too: some libraries hand such hosts to the system as they
        stand. Host names pass here; :class:`GuardedResolver` checks what they resolve to.

        >>> Guard().check_url("https://93.184.216.34/")
        >>> Guard().check_url("http://[::1]:8188/api")
        Traceback (most recent call last):
        ...
        nodes.net.guard.GuardError: refusing to fetch http://[::1]:8188/api: the address ::1 \
is on this machine or a private network (loopback)
        >>> Guard().check_url("http://127.1/")
        Traceback (most recent call last):
        ...
        nodes.net.guard.GuardError: refusing to fetch http://127.1/: the address 127.0.0.1 \
(written 127.1) is on this machine or a private network (loopback)
        """
        host = _url_host(url)
        if host is not None:
            self.check_host(url, host)

    def check_host(self, target: str, host: str) -> IPAddress | None:
        """Refuse a literal ``host`` this guard does not allow; return its address, if it is one."""
        name = ascii_host(host) or host
        address = parse_ip(name)
        if address is None and ":" not in name and looks_like_ipv4(name):
            reason = f"the host {host} looks like an IPv4 address but is not one"
            raise GuardError(target, reason)
        if address is None or self.allows_any_address(host):
            return address
        kind = address_kind(str(address))
        if kind is not None:
            raise GuardError(target, _describe(host, address, kind))
        return address

    def filter_addresses(self, host: str, results: list[ResolveResult]) -> list[ResolveResult]:
        """Keep the public addresses ``host`` resolved to; refuse it when none is left."""
        if self.allows_any_address(host):
            return results
        kept = [r for r in results if is_public_ip(r["host"])]
        if results and not kept:
            addresses = ", ".join(dict.fromkeys(r["host"] for r in results))
            reason = f"{host} resolves only to addresses {PRIVATE_HELP} ({addresses})"
            raise GuardError(host, reason)
        if len(kept) < len(results):
            logger.info("ignoring %d non-public address(es) of %s", len(results) - len(kept), host)
        return kept


def _host_key(host: str) -> str:
    return (ascii_host(host.strip("[]")) or host).rstrip(".").lower()


class GuardedResolver(AbstractResolver):
    """An aiohttp resolver that only ever returns addresses its :class:`Guard` allows.

    ``inner`` does the resolving (aiohttp's default resolver when ``None``, created on
    first use because it needs a running event loop).
    """

    def __init__(self, guard: Guard | None = None, inner: AbstractResolver | None = None) -> None:
        self.guard = guard or Guard()
        self._inner = inner

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        address = self.guard.check_host(host, host)
        if address is not None:  # a literal in some notation: never handed to the system
            kind = socket.AF_INET if address.version == 4 else socket.AF_INET6  # noqa: PLR2004
            return [
                ResolveResult(
                    hostname=host, host=str(address), port=port, family=kind, proto=0, flags=0
                )
            ]
        if self._inner is None:
            self._inner = aiohttp.DefaultResolver()
        results = await self._inner.resolve(host, port, family)
        return self.guard.filter_addresses(host, results)

    async def close(self) -> None:
        if self._inner is not None:
            await self._inner.close()


class GuardedConnector(aiohttp.TCPConnector):
    """A TCP connector whose every name lookup goes through a :class:`GuardedResolver`.

    :mod:`.fetch` and :mod:`.links` accept only sessions built on one, so a caller's
    session cannot quietly skip the guard. Keyword arguments go to ``TCPConnector``.
    """

    def __init__(
        self,
        guard: Guard | None = None,
        *,
        inner: AbstractResolver | None = None,
        limit: int = 100,
        limit_per_host: int = 0,
    ) -> None:
        self.guard = guard or Guard()
        super().__init__(
            resolver=GuardedResolver(self.guard, inner),
            limit=limit,
            limit_per_host=limit_per_host,
        )


def guarded_session(
    guard: Guard | None = None,
    *,
    limit: int = 100,
    limit_per_host: int = 0,
    timeout: float | None = None,
    headers: Mapping[str, str] | None = None,
    inner: AbstractResolver | None = None,
) -> aiohttp.ClientSession:
    """A client session for guarded fetches; call inside a running event loop, close it after.

    It ignores proxy settings from the environment (a proxy would resolve names itself,
    out of the guard's sight) and keeps no cookies. It asks for gzip or deflate and leaves
    bodies compressed: :func:`.fetch.read_limited` decodes them within its size limit,
    which aiohttp's own decoding did not respect before 3.13.3.
    """
    return aiohttp.ClientSession(
        connector=GuardedConnector(guard, inner=inner, limit=limit, limit_per_host=limit_per_host),
        timeout=aiohttp.ClientTimeout(total=timeout),
        headers={"Accept-Encoding": ACCEPT_ENCODING, **(headers or {})},
        cookie_jar=aiohttp.DummyCookieJar(),
        trust_env=False,
        auto_decompress=False,
    )


def session_guard(session: aiohttp.ClientSession) -> Guard:
    """The guard of a session made by :func:`guarded_session`; ``TypeError`` for any other."""
    connector = session.connector
    if not isinstance(connector, GuardedConnector):
        raise TypeError("the session must come from netguard.guarded_session(), which guards it")
    return connector.guard
