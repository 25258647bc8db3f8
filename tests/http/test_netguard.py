"""The fetch guard: which addresses are public, and that aiohttp really goes through it."""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket

import aiohttp
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
from hypothesis import given
from hypothesis import strategies as st

from nodes.net.guard import (
    Guard,
    GuardedConnector,
    GuardedResolver,
    GuardError,
    address_kind,
    guarded_session,
    is_public_ip,
    parse_ip,
    session_guard,
)
from tests.helpers.netservers import serve

pytestmark = pytest.mark.http


class StaticResolver(AbstractResolver):
    """A name service with fixed answers (the HTTP around it stays real)."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.closed = False

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if host not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            ResolveResult(hostname=host, host=ip, port=port, family=family, proto=0, flags=0)
            for ip in self.table[host]
        ]

    async def close(self) -> None:
        self.closed = True


@pytest.mark.parametrize(
    "ip",
    [
        "8.8.8.8",
        "1.1.1.1",
        "93.184.216.34",
        "140.82.112.3",
        "2606:4700:4700::1111",
        "2a00:1450:4001:82b::200e",
        "[2606:4700:4700::1111]",
        "::ffff:8.8.8.8",  # IPv4-mapped public
        "2002:808:808::1",  # 6to4 of a public address
        "64:ff9b::808:808",  # NAT64 of a public address
    ],
)
def test_public_addresses_pass(ip: str) -> None:
    assert is_public_ip(ip)
    assert address_kind(ip) is None


@pytest.mark.parametrize(
    ("ip", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.255.254", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", "shared (carrier-grade NAT)"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 - an address under test, not a bind
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("192.0.2.10", "reserved (documentation)"),
        ("198.18.0.1", "reserved (benchmarking)"),
        ("::1", "loopback"),
        ("[::1]", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("fc00::1", "private (unique local)"),
        ("fd12:3456::1", "private (unique local)"),
        ("fec0::1", "site-local"),
        ("ff02::1", "multicast"),
        ("2001:db8::1", "reserved (documentation)"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.1.1", "link-local"),
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("64:ff9b:1::1", "private (local NAT64)"),
        ("::7f00:1", "reserved (IPv4-compatible)"),
    ],
)
def test_non_public_addresses_are_refused(ip: str, kind: str) -> None:
    assert not is_public_ip(ip)
    assert address_kind(ip) == kind


@pytest.mark.parametrize(
    "text", ["", "localhost", "example.com", "1.2.3.4.5", "999.1.1.1", "::g", "1.2.3.4%eth0", "[]"]
)
def test_text_that_is_no_address_is_refused(text: str) -> None:
    assert not is_public_ip(text)
    assert address_kind(text) == "not an IP address"
    assert parse_ip(text) is None


def test_parse_ip_accepts_brackets_zones_and_every_ipv4_notation() -> None:
    assert parse_ip("[fe80::1%25eth0]") == ipaddress.IPv6Address("fe80::1")
    assert parse_ip("10.0.0.1") == ipaddress.IPv4Address("10.0.0.1")
    assert parse_ip("1.2.3") == ipaddress.IPv4Address("1.2.0.3")  # as inet_aton reads it
    assert parse_ip("0xa.1") == ipaddress.IPv4Address("10.0.0.1")


@given(st.one_of(st.text(), st.text(alphabet="0123456789abcdefABCDEF:.%[]x", max_size=60)))
def test_is_public_ip_never_raises(text: str) -> None:
    """Any text, and text shaped like an address, gets an answer."""
    assert isinstance(is_public_ip(text), bool)


_REFUSED_NETWORKS = [
    "127.0.0.0/8",
    "10.0.0.0/8",
    "192.168.0.0/16",
    "172.16.0.0/12",
    "169.254.0.0/16",
    "100.64.0.0/10",
    "::1/128",
    "fe80::/10",
    "fc00::/7",
    "fec0::/10",
]


@given(st.sampled_from(_REFUSED_NETWORKS).flatmap(lambda network: st.ip_addresses(network=network)))
def test_every_address_of_a_refused_network_is_refused(address: object) -> None:
    assert not is_public_ip(str(address))


@given(st.ip_addresses(v=4))
def test_an_ipv4_address_python_calls_non_global_is_refused(
    address: ipaddress.IPv4Address,
) -> None:
    if not address.is_global:
        assert not is_public_ip(str(address))


@given(
    st.sampled_from(_REFUSED_NETWORKS[:6]).flatmap(lambda network: st.ip_addresses(network=network))
)
def test_ipv4_mapped_forms_are_refused_too(address: ipaddress.IPv4Address) -> None:
    assert not is_public_ip(f"::ffff:{address}")
    assert not is_public_ip(f"[::ffff:{address}]")


def test_guard_error_reads_well() -> None:
    error = GuardError("http://127.0.0.1/x", "the address 127.0.0.1 is on this machine")
    assert isinstance(error, ValueError)
    assert (
        str(error)
        == "refusing to fetch http://127.0.0.1/x: the address 127.0.0.1 is on this machine"
    )
    assert (error.target, error.reason) == (
        "http://127.0.0.1/x",
        "the address 127.0.0.1 is on this machine",
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.0.0.1:8188/api/x",
        "https://10.0.0.5/",
        "http://[::1]:8080/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:192.168.0.1]/",
    ],
)
def test_check_url_refuses_private_literals(url: str) -> None:
    with pytest.raises(GuardError, match="is on this machine or a private network") as caught:
        Guard().check_url(url)
    assert caught.value.target == url
    Guard(allow_private=True).check_url(url)  # allowed when asked


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/comfyanonymous/ComfyUI",
        "http://localhost:8188/",  # a name: the resolver decides
        "https://93.184.216.34/",
        "http://[2606:4700:4700::1111]/",
        "http://[::1",  # unparsable: left to the URL rules, nothing to check here
    ],
)
def test_check_url_lets_names_and_public_literals_through(url: str) -> None:
    Guard().check_url(url)


# Every notation of a non-public address that some reader (inet_aton, getaddrinfo, IDNA
# mapping) takes to it. tests/core/test_hosts.py checks the parse; these check the guard.
NOTATIONS = [
    ("127.1", "127.0.0.1"),
    ("127.0.1", "127.0.0.1"),
    ("2130706433", "127.0.0.1"),
    ("0x7f000001", "127.0.0.1"),
    ("0X7F.1", "127.0.0.1"),
    ("0177.0.0.1", "127.0.0.1"),
    ("017700000001", "127.0.0.1"),
    ("127.0.0.0x1", "127.0.0.1"),
    ("0x7f.0.0.1", "127.0.0.1"),
    ("127.0.0.1.", "127.0.0.1"),
    ("2130706433.", "127.0.0.1"),
    ("\uff11\uff12\uff17.\uff10.\uff10.\uff11", "127.0.0.1"),
    ("127\u30020\u30020\u30021", "127.0.0.1"),
    ("127\uff0e1", "127.0.0.1"),
    ("\u2460\u2461\u2466.0.0.1", "127.0.0.1"),
    ("0", "0.0.0.0"),  # noqa: S104 - connecting to it reaches this machine
    ("0x0.0", "0.0.0.0"),  # noqa: S104
    ("10.1", "10.0.0.1"),
    ("167772161", "10.0.0.1"),
    ("012.0.0.1", "10.0.0.1"),
    ("192.168.257", "192.168.1.1"),
    ("3232235777", "192.168.1.1"),
    ("0xc0a80101", "192.168.1.1"),
    ("0xa9fea9fe", "169.254.169.254"),
    ("2852039166", "169.254.169.254"),
    ("0251.0376.0251.0376", "169.254.169.254"),
    ("169.254.43518", "169.254.169.254"),
    ("100.64.1", "100.64.0.1"),
]


@pytest.mark.parametrize(("host", "address"), NOTATIONS)
def test_check_url_refuses_every_ipv4_notation(host: str, address: str) -> None:
    url = f"http://{host}:8188/api"
    with pytest.raises(GuardError) as caught:
        Guard().check_url(url)
    assert caught.value.target == url
    written = f" (written {host.lower()})" if host.isascii() else ""  # after IDNA mapping
    assert caught.value.reason.startswith(f"the address {address}{written}")
    assert "is on this machine or a private network" in caught.value.reason
    Guard(allow_private=True).check_url(url)  # allowed when asked


@pytest.mark.parametrize("host", ["999.1.1.1", "1.2.3.4.5", "1..1", "example.0x", "08.0.0.1"])
def test_check_url_refuses_hosts_that_only_look_like_addresses(host: str) -> None:
    """aiohttp before 3.14 hands all-digit hosts to the system unresolved: never let one by."""
    with pytest.raises(GuardError, match="looks like an IPv4 address but is not one"):
        Guard(allow_private=True).check_url(f"http://{host}/")


def test_check_url_lets_public_addresses_through_in_any_notation() -> None:
    for url in ("http://134744072/", "http://0x8080808/", "http://8.8.2056/"):
        Guard().check_url(url)  # the URL rules, not the guard, refuse the notation


def test_allow_hosts_trusts_named_hosts_only() -> None:
    guard = Guard.of(allow_hosts=["Mirror.LAN.", "127.0.0.2", "[::1]"])
    assert guard.allow_hosts == frozenset({"mirror.lan", "127.0.0.2", "::1"})
    guard.check_url("http://127.0.0.2/")
    guard.check_url("http://[::1]/")
    with pytest.raises(GuardError):
        guard.check_url("http://127.0.0.3/")
    assert guard.allows_any_address("MIRROR.lan")
    assert not guard.allows_any_address("other.lan")


def _results(*ips: str) -> list[ResolveResult]:
    return [
        ResolveResult(hostname="h", host=ip, port=80, family=socket.AF_INET, proto=0, flags=0)
        for ip in ips
    ]


def test_filter_keeps_public_addresses_only(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="awesome_comfyui_beyond")
    kept = Guard().filter_addresses(
        "mixed.test", _results("127.0.0.1", "93.184.216.34", "10.0.0.1")
    )
    assert [r["host"] for r in kept] == ["93.184.216.34"]
    assert "ignoring 2 non-public address(es) of mixed.test" in caplog.text


def test_filter_refuses_a_name_with_only_private_addresses() -> None:
    with pytest.raises(GuardError) as caught:
        Guard().filter_addresses("evil.test", _results("127.0.0.1", "::1", "127.0.0.1"))
    assert str(caught.value) == (
        "refusing to fetch evil.test: evil.test resolves only to addresses on this machine"
        " or a private network (127.0.0.1, ::1)"
    )


def test_filter_passes_through_when_allowed_or_empty() -> None:
    private = _results("127.0.0.1")
    assert Guard(allow_private=True).filter_addresses("x", private) == private
    assert Guard.of(allow_hosts=["mirror.test"]).filter_addresses("mirror.test", private) == private
    assert Guard().filter_addresses("x", []) == []
    assert Guard().filter_addresses("x", _results("8.8.8.8")) == _results("8.8.8.8")


def test_resolver_with_the_system_resolver() -> None:
    async def scenario() -> None:
        guarded = GuardedResolver()
        await guarded.close()  # nothing to close before first use
        with pytest.raises(GuardError, match="localhost resolves only to addresses"):
            await guarded.resolve("localhost", 80)
        await guarded.close()
        allowed = GuardedResolver(Guard(allow_private=True))
        results = await allowed.resolve("localhost", 80)
        assert {r["host"] for r in results} <= {"127.0.0.1", "::1"}
        await allowed.close()

    asyncio.run(scenario())


@pytest.mark.parametrize(("host", "address"), NOTATIONS)
def test_resolver_refuses_numeric_hosts_before_resolving(host: str, address: str) -> None:
    """A numeric host never reaches the system: refused, or read as the address it is."""

    async def scenario() -> None:
        inner = StaticResolver({})  # any lookup would fail with "not known"
        with pytest.raises(GuardError, match=f"the address {re.escape(address)} \\(written"):
            await GuardedResolver(inner=inner).resolve(host, 80)
        allowed = GuardedResolver(Guard(allow_private=True), inner=inner)
        (result,) = await allowed.resolve(host, 80)
        assert (result["host"], result["port"], result["family"]) == (address, 80, socket.AF_INET)

    asyncio.run(scenario())


def test_resolver_reads_ipv6_literals_itself() -> None:
    async def scenario() -> None:
        allowed = GuardedResolver(Guard(allow_private=True), inner=StaticResolver({}))
        (result,) = await allowed.resolve("::1", 443)
        assert (result["host"], result["family"]) == ("::1", socket.AF_INET6)
        with pytest.raises(GuardError, match="looks like an IPv4 address"):
            await allowed.resolve("1.2.3.4.5", 80)

    asyncio.run(scenario())


def test_resolver_wraps_and_closes_the_inner_resolver() -> None:
    async def scenario() -> None:
        inner = StaticResolver({"both.test": ["10.0.0.1", "8.8.8.8"]})
        guarded = GuardedResolver(inner=inner)
        assert [r["host"] for r in await guarded.resolve("both.test")] == ["8.8.8.8"]
        await guarded.close()
        assert inner.closed

    asyncio.run(scenario())


def _app() -> web.Application:
    async def hello(request: web.Request) -> web.Response:
        return web.Response(text=f"hello {request.host}")

    app = web.Application()
    app.router.add_get("/", hello)
    return app


def test_a_guarded_session_refuses_names_that_resolve_to_this_machine() -> None:
    async def scenario() -> None:
        async with serve(_app()) as base:
            port = base.rsplit(":", 1)[1]
            async with guarded_session() as session:  # the system resolver
                with pytest.raises(GuardError, match="localhost resolves only to addresses"):
                    await session.get(f"http://localhost:{port}/")
            inner = StaticResolver({"evil.test": ["127.0.0.1"], "mirror.test": ["127.0.0.1"]})
            guard = Guard.of(allow_hosts=["mirror.test"])
            async with guarded_session(guard, inner=inner) as session:
                with pytest.raises(GuardError, match=r"evil\.test resolves only"):
                    await session.get(f"http://evil.test:{port}/")
                async with session.get(f"http://mirror.test:{port}/") as response:
                    assert await response.text() == f"hello mirror.test:{port}"
            async with (
                guarded_session(Guard(allow_private=True)) as session,
                session.get(f"http://localhost:{port}/") as response,
            ):
                assert response.status == 200

    asyncio.run(scenario())


def test_session_guard_accepts_only_guarded_sessions() -> None:
    async def scenario() -> None:
        async with aiohttp.ClientSession() as plain:
            with pytest.raises(TypeError, match="guarded_session"):
                session_guard(plain)
        guard = Guard(allow_private=True)
        async with guarded_session(guard, limit=3, limit_per_host=2, timeout=5) as session:
            assert session_guard(session) is guard
            assert isinstance(session.connector, GuardedConnector)
            assert session.connector.limit == 3
            assert session.connector.limit_per_host == 2
        async with guarded_session() as session:
            assert session_guard(session) == Guard()

    asyncio.run(scenario())
