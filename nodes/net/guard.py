"""Server-side fetch safety: remote sources and link checks never reach this machine or its LAN.

A URL from a catalogue, a user entry or a redirect may name ``127.0.0.1``, the cloud
metadata service (``169.254.169.254``), a router on ``192.168.0.1``, or a public-looking
name that resolves to one of them. Every fetch this pack makes goes through a
:class:`Guard`:

- :meth:`Guard.check_url` refuses URLs whose host is an IP literal that is not public
  (aiohttp connects to literals without asking the resolver);
- :class:`GuardedResolver` drops every non-public address a host name resolves to, and
  refuses the name when none is left. The addresses it keeps are the ones aiohttp
  connects to, so a name cannot resolve one way for the check and another for the
  connection.

Both are needed on every hop of a redirect chain; :mod:`.fetch` does that. A session
for guarded fetches comes from :func:`guarded_session`.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from ..core.log import logger

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Everything a server-side fetch must not reach: the IANA special-purpose registries for
# IPv4 and IPv6, less the few global entries. Listed here rather than taken from
# ``ipaddress``'s ``is_global``, whose answers differ between Python versions.
_BLOCKED_NETWORKS: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.ip_network(network), kind)
    for network, kind in (
        ("0.0.0.0/8", "unspecified"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "shared (carrier-grade NAT)"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "reserved"),
        ("192.0.2.0/24", "reserved (documentation)"),
        ("192.88.99.0/24", "reserved (6to4 relay)"),
        ("192.168.0.0/16", "private"),
        ("198.18.0.0/15", "reserved (benchmarking)"),
        ("198.51.100.0/24", "reserved (documentation)"),
        ("203.0.113.0/24", "reserved (documentation)"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("::1/128", "loopback"),
        ("::/128", "unspecified"),
        ("::/96", "reserved (IPv4-compatible)"),
        ("::ffff:0:0:0/96", "reserved (IPv4-translated)"),
        ("64:ff9b:1::/48", "private (local NAT64)"),
        ("100::/64", "reserved (discard)"),
        ("2001::/23", "reserved (IETF protocols)"),
        ("2001:db8::/32", "reserved (documentation)"),
        ("3fff::/20", "reserved (documentation)"),
        ("5f00::/16", "reserved (segment routing)"),
        ("fc00::/7", "private (unique local)"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local"),
        ("ff00::/8", "multicast"),
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
PRIVATE_HELP = "on this machine or a private network"


class GuardError(ValueError):
    """A fetch refused because its target is not on the public internet.

    >>> str(GuardError("http://127.0.0.1/x", "the address 127.0.0.1 is on this machine (loopback)"))
    'refusing to fetch http://127.0.0.1/x: the address 127.0.0.1 is on this machine (loopback)'
    """

    def __init__(self, target: str, reason: str) -> None:
        super().__init__(f"refusing to fetch {target}: {reason}")
        self.target = target
        self.reason = reason


def parse_ip(text: str) -> IPAddress | None:
    """Return the address ``text`` spells (brackets and an IPv6 zone allowed), else ``None``.

    >>> parse_ip("[::1]"), parse_ip("fe80::1%eth0"), parse_ip("example.com")
    (IPv6Address('::1'), IPv6Address('fe80::1'), None)
    """
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    text = text.partition("%")[0] if ":" in text else text
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries: IPv4-mapped, 6to4 or NAT64."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_kind(ip: str) -> str | None:
    """Say why ``ip`` must not be fetched ("loopback", "private", ...), or ``None`` if it is public.

    Text that is not an IP address at all is "not an IP address".

    >>> address_kind("10.1.2.3"), address_kind("::ffff:127.0.0.1"), address_kind("8.8.8.8")
    ('private', 'loopback', None)
    """
    address = parse_ip(ip)
    if address is None:
        return "not an IP address"
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:  # the packets go to the IPv4 address it carries
            return address_kind(str(embedded))
    for network, kind in _BLOCKED_NETWORKS:
        if address.version == network.version and address in network:
            return kind
    return None


def is_public_ip(ip: str) -> bool:
    """Return whether ``ip`` is an address on the public internet; never raises.

    Loopback, private, link-local, multicast, reserved, unspecified, shared (100.64/10)
    and site-local addresses are refused, including when an IPv6 address carries one
    (``::ffff:127.0.0.1``, 6to4, NAT64). Text that is not an address is refused too.

    >>> is_public_ip("93.184.216.34"), is_public_ip("127.0.0.1"), is_public_ip("[fe80::1]")
    (True, False, False)
    >>> is_public_ip("not an address")
    False
    """
    return address_kind(ip) is None


def _describe(address: str, kind: str) -> str:
    return f"the address {address} is {PRIVATE_HELP} ({kind})"


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
        """Raise :class:`GuardError` when ``url``'s host is a non-public IP literal.

        Host names pass here; :class:`GuardedResolver` checks what they resolve to.

        >>> Guard().check_url("https://93.184.216.34/")
        >>> Guard().check_url("http://[::1]:8188/api")
        Traceback (most recent call last):
        ...
        nodes.net.guard.GuardError: refusing to fetch http://[::1]:8188/api: the address ::1 \
is on this machine or a private network (loopback)
        """
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        address = parse_ip(host)
        if address is None or self.allows_any_address(host):
            return
        kind = address_kind(str(address))
        if kind is not None:
            raise GuardError(url, _describe(str(address), kind))

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
    return host.strip("[]").rstrip(".").lower()


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
    out of the guard's sight) and keeps no cookies.
    """
    return aiohttp.ClientSession(
        connector=GuardedConnector(guard, inner=inner, limit=limit, limit_per_host=limit_per_host),
        timeout=aiohttp.ClientTimeout(total=timeout),
        headers=dict(headers or {}),
        cookie_jar=aiohttp.DummyCookieJar(),
        trust_env=False,
    )


def session_guard(session: aiohttp.ClientSession) -> Guard:
    """The guard of a session made by :func:`guarded_session`; ``TypeError`` for any other."""
    connector = session.connector
    if not isinstance(connector, GuardedConnector):
        raise TypeError("the session must come from netguard.guarded_session(), which guards it")
    return connector.guard
