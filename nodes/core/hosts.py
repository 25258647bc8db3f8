"""Hosts as the network reads them: every IPv4 notation, and the addresses that are not public.

Pure (no network, no HTTP client). The URL rules (:mod:`.urls`) and the network guard
(``nodes/net/guard.py``) decide on this one parse, so neither leans on whatever the
installed HTTP library or C library happens to accept.

The C library's ``inet_aton``, which name lookups end in, reads far more than
``127.0.0.1``: one to four parts, each decimal, ``0x`` hexadecimal or leading-``0``
octal, the last part filling the bytes left (``127.1``, ``2130706433``, ``0x7f000001``,
``0177.0.0.1``, ``127.0.0.0x1``). HTTP libraries differ on these: aiohttp before 3.14
connects to ``127.1`` as it stands, 3.14 refuses it. And a URL's host passes through
IDNA mapping first, so full-width digits and ideographic full stops (U+FF11, U+3002)
become ``127.0.0.1`` before anyone connects: callers parse the host in its ASCII form
(:func:`ascii_host`).
"""

from __future__ import annotations

import ipaddress
import re

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# One inet_aton part: 0x hexadecimal (at least one digit), leading-0 octal (``0`` alone
# is zero), or decimal. ASCII only: ``\d`` would take other scripts' digits.
_HEX_RE = re.compile(r"0[xX][0-9a-fA-F]+")
_OCTAL_RE = re.compile(r"0[0-7]*")
_DECIMAL_RE = re.compile(r"[1-9][0-9]*")
# The last label of a host that the URL standard (WHATWG) reads as an IPv4 address.
_NUMBER_LABEL_RE = re.compile(r"[0-9]+|0[xX][0-9a-fA-F]*")
_DIGITS_AND_DOTS = frozenset("0123456789.")
_MAX_PARTS = 4
_BYTE = 256
_MAX_DECIMAL_DIGITS = 10  # 4294967295, the largest address as one number
PRIVATE_HELP = "on this machine or a private network"

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
# Names that never lead to the public internet: this machine (RFC 6761) and the names
# set aside for local networks (multicast DNS, RFC 6762; home networks, RFC 8375; the
# private-use top-level domain ICANN reserved in 2024).
_LOCAL_NAMES = ("localhost", "local", "home.arpa", "internal")


def ascii_host(host: str) -> str | None:
    """``host`` as the network sees it: IDNA-mapped, lowercase, brackets dropped; ``None``
    when it has no such form.

    IDNA mapping turns full-width digits and ideographic full stops into ASCII ones,
    as HTTP libraries do before connecting.

    >>> ascii_host("\\uff11\\uff12\\uff17\\u3002\\uff10\\u3002\\uff10\\u3002\\uff11")
    '127.0.0.1'
    >>> ascii_host("GitHub.com"), ascii_host("[::1]")
    ('github.com', '::1')
    """
    if host.startswith("[") and host.endswith("]"):
        return host[1:-1].lower()
    if ":" in host or host.isascii():
        return host.lower()
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None


def _number(part: str) -> int | None:
    if _HEX_RE.fullmatch(part):
        return int(part[2:], 16)
    if _OCTAL_RE.fullmatch(part):
        return int(part, 8)
    if _DECIMAL_RE.fullmatch(part) and len(part) <= _MAX_DECIMAL_DIGITS:
        return int(part)
    return None  # longer decimals are past 2**32 (and past what int() reads from text)


def parse_ipv4(text: str) -> ipaddress.IPv4Address | None:
    """Read ``text`` as ``inet_aton`` does (and one trailing dot, as browsers do); else ``None``.

    One to four parts, each decimal, ``0x`` hexadecimal or leading-``0`` octal; every part
    but the last is one byte, the last fills the bytes left. ASCII digits only.

    >>> [str(parse_ipv4(t)) for t in ("127.1", "2130706433", "0x7f.0.0.0x1", "0177.0.0.1.")]
    ['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1']
    >>> parse_ipv4("256.0.0.1"), parse_ipv4("08.1.1.1"), parse_ipv4("1.2.3.4.5")
    (None, None, None)
    """
    parts = text.split(".")
    if len(parts) > 1 and not parts[-1]:
        parts.pop()  # ``127.0.0.1.``, a fully qualified form
    if len(parts) > _MAX_PARTS:
        return None
    numbers = [_number(part) for part in parts]
    last = numbers.pop()
    if last is None or last >= _BYTE ** (_MAX_PARTS + 1 - len(parts)):
        return None
    value = 0
    for number in numbers:
        if number is None or number >= _BYTE:
            return None
        value = value * _BYTE + number
    return ipaddress.IPv4Address((value << 8 * (_MAX_PARTS - len(parts) + 1)) + last)


def looks_like_ipv4(host: str) -> bool:
    """Whether some reader takes ASCII ``host`` for an IPv4 address rather than a name.

    The URL standard does when the last label (one trailing dot aside) is a decimal or
    ``0x`` number; older HTTP libraries (aiohttp before 3.14) whenever the host is only
    digits and dots. Such a host must parse (:func:`parse_ipv4`), or it is no host at all.

    >>> looks_like_ipv4("example.123"), looks_like_ipv4("1..2"), looks_like_ipv4("v1.example")
    (True, True, False)
    """
    if any(c.isdigit() for c in host) and set(host) <= _DIGITS_AND_DOTS:
        return True
    labels = host.split(".")
    if len(labels) > 1 and not labels[-1]:
        labels.pop()
    return _NUMBER_LABEL_RE.fullmatch(labels[-1]) is not None


def parse_ip(text: str) -> IPAddress | None:
    """The address ``text`` spells in any notation (brackets, an IPv6 zone allowed), else ``None``.

    >>> parse_ip("[::1]"), parse_ip("fe80::1%eth0"), parse_ip("127.1"), parse_ip("example.com")
    (IPv6Address('::1'), IPv6Address('fe80::1'), IPv4Address('127.0.0.1'), None)
    """
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if ":" not in text:
        return parse_ipv4(text)
    try:
        return ipaddress.IPv6Address(text.partition("%")[0])
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

    Every notation counts (``127.1`` is loopback). Text that is not an IP address at all
    is "not an IP address".

    >>> address_kind("10.1.2.3"), address_kind("::ffff:127.0.0.1"), address_kind("8.8.8.8")
    ('private', 'loopback', None)
    """
    address = parse_ip(ip)
    if address is None:
        return "not an IP address"
    return _kind(address)


def _kind(address: IPAddress) -> str | None:
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:  # the packets go to the IPv4 address it carries
            return _kind(embedded)
    for network, kind in _BLOCKED_NETWORKS:
        if address.version == network.version and address in network:
            return kind
    return None


def is_public_ip(ip: str) -> bool:
    """Return whether ``ip`` is an address on the public internet; never raises.

    Loopback, private, link-local, multicast, reserved, unspecified, shared (100.64/10)
    and site-local addresses are refused, in every notation and when an IPv6 address
    carries one (``::ffff:127.0.0.1``, 6to4, NAT64). Text that is not an address is
    refused too.

    >>> is_public_ip("93.184.216.34"), is_public_ip("0x7f000001"), is_public_ip("[fe80::1]")
    (True, False, False)
    >>> is_public_ip("not an address")
    False
    """
    return address_kind(ip) is None


def local_name(host: str) -> str | None:
    """The reserved name that makes ASCII ``host`` local-only (``localhost``), else ``None``.

    >>> local_name("localhost."), local_name("printer.local"), local_name("github.com")
    ('localhost', 'local', None)
    """
    name = host.rstrip(".")
    for suffix in _LOCAL_NAMES:
        if name == suffix or name.endswith(f".{suffix}"):
            return suffix
    return None
