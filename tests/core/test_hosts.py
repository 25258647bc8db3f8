"""Hosts as the network reads them: every IPv4 notation, numeric-looking hosts, local names."""

from __future__ import annotations

import ipaddress
import socket
import sys

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from nodes.core.hosts import (
    address_kind,
    ascii_host,
    is_public_ip,
    local_name,
    looks_like_ipv4,
    parse_ip,
    parse_ipv4,
)

# Host forms that reach 127.0.0.1 somewhere: through inet_aton (and so getaddrinfo), or
# through IDNA mapping before any of those. Each must read as 127.0.0.1 here.
LOOPBACK_FORMS = [
    "127.0.0.1",
    "127.1",
    "127.0.1",
    "2130706433",
    "0x7f000001",
    "0X7F000001",
    "0x7F.1",
    "0x7f.0.0.1",
    "0x7f.0x0.0x0.0x1",
    "127.0.0.0x1",
    "127.0x0.0.01",
    "0177.0.0.1",
    "0177.1",
    "017700000001",
    "000000000000000177.0.0.1",
    "0x00000000007f.1",
    "127.0.0.1.",
    "127.1.",
    "2130706433.",
]
# The same after IDNA mapping (full-width digits and stops, ideographic and half-width
# full stops, circled digits): what yarl hands aiohttp, whatever its version.
UNICODE_LOOPBACK_FORMS = [
    "\uff11\uff12\uff17.\uff10.\uff10.\uff11",  # full-width digits
    "127\u30020\u30020\u30021",  # ideographic full stops
    "127\uff0e0\uff0e0\uff0e1",  # full-width full stops
    "127\uff610\uff610\uff611",  # half-width ideographic full stops
    "\u2460\u2461\u2466.0.0.1",  # circled digits
    "\uff11\uff12\uff17\u3002\uff11",  # full-width short form
]


class TestParseIpv4:
    """parse_ipv4 reads what inet_aton reads: one to four parts in three bases."""

    @pytest.mark.parametrize("text", LOOPBACK_FORMS)
    def test_every_notation_of_loopback(self, text: str) -> None:
        assert parse_ipv4(text) == ipaddress.IPv4Address("127.0.0.1")

    @pytest.mark.parametrize(
        ("text", "address"),
        [
            ("0", "0.0.0.0"),  # noqa: S104 - an address under test, not a bind
            ("0x0", "0.0.0.0"),  # noqa: S104
            ("1", "0.0.0.1"),
            ("1.2", "1.0.0.2"),
            ("1.2.3", "1.2.0.3"),
            ("10.1", "10.0.0.1"),
            ("167772161", "10.0.0.1"),
            ("012.0.0.1", "10.0.0.1"),  # octal 12
            ("192.168.257", "192.168.1.1"),  # the last part fills two bytes
            ("3232235777", "192.168.1.1"),
            ("0xa9fea9fe", "169.254.169.254"),
            ("0251.0376.0251.0376", "169.254.169.254"),
            ("169.254.43518", "169.254.169.254"),
            ("4294967295", "255.255.255.255"),
            ("0xffffffff", "255.255.255.255"),
            ("037777777777", "255.255.255.255"),
            ("1.16777215", "1.255.255.255"),
            ("1.2.65535", "1.2.255.255"),
            ("8.8.8.8", "8.8.8.8"),
            ("134744072", "8.8.8.8"),
        ],
    )
    def test_parts_and_bases(self, text: str, address: str) -> None:
        assert parse_ipv4(text) == ipaddress.IPv4Address(address)

    @pytest.mark.parametrize(
        "text",
        [
            "",
            ".",
            "..",
            "1..1",
            ".1.1.1",
            "1.1.1.1..",
            "1.2.3.4.5",  # five parts
            "256.0.0.1",  # a byte part past 255
            "1.256.1",
            "1.2.65536",  # the last part past what is left
            "1.16777216",
            "4294967296",  # past 32 bits
            "0x100000000",
            "040000000000",
            "99999999999999999999",
            "9" * 5000,  # longer than int() reads from text
            "08.1.1.1",  # not octal
            "0x",  # hex needs a digit (inet_aton)
            "0x.1.1.1",
            "0xg",
            "1e3",
            "+1",
            "-1",
            " 1",
            "1 ",
            "1.2.3.4 x",  # glibc stops at a space; hosts have none
            "\uff11\uff12\uff17.0.0.1",  # not ASCII: callers map it first
            "\u0661.\u0662.\u0663.\u0664",  # Arabic-Indic digits
            "localhost",
            "example.com",
            "::1",
        ],
    )
    def test_refused(self, text: str) -> None:
        assert parse_ipv4(text) is None

    @given(st.ip_addresses(v=4), st.data())
    def test_every_notation_of_every_address(
        self, address: ipaddress.IPv4Address, data: st.DataObject
    ) -> None:
        """Split an address into 1-4 parts, write each in any base: it reads back the same."""
        count = data.draw(st.integers(1, 4))
        value = int(address)
        sizes = [1] * (count - 1) + [5 - count]  # bytes per part; the last fills the rest
        parts: list[int] = []
        for size in reversed(sizes):
            parts.insert(0, value & ((1 << 8 * size) - 1))
            value >>= 8 * size
        written = [data.draw(_notation(part)) for part in parts]
        dot = data.draw(st.sampled_from(["", "."]))
        assert parse_ipv4(".".join(written) + dot) == address

    @pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's inet_aton")
    @given(st.text(alphabet="0123456789abcdefxX.", max_size=24))
    @example("0x7f.1")
    @example("0x.1.2.3")
    @example("00.0x0.1")
    def test_agrees_with_the_c_library(self, text: str) -> None:
        """Whatever inet_aton reads, parse_ipv4 reads the same (a trailing dot aside)."""
        try:
            expected: ipaddress.IPv4Address | None = ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            expected = None
        if text.endswith(".") and text.rstrip("."):
            return  # browsers (and this parser) accept one trailing dot; inet_aton does not
        assert parse_ipv4(text) == expected


def _notation(value: int) -> st.SearchStrategy[str]:
    """``value`` written in decimal, octal (leading zeros) or hexadecimal (either case)."""
    return st.one_of(
        st.just(str(value)),
        st.integers(1, 3).map(lambda zeros: "0" * zeros + format(value, "o")),
        st.sampled_from(["0x", "0X"]).flatmap(
            lambda prefix: st.sampled_from([format(value, "x"), format(value, "X")]).map(
                lambda digits: prefix + digits
            )
        ),
    )


class TestLooksLikeIpv4:
    """A host some reader takes for an IPv4 address must parse as one, or it is refused."""

    @pytest.mark.parametrize(
        "host",
        [
            "127.1",
            "999.1.1.1",
            "1.2.3.4.5",
            "1..1",
            "1..",
            "example.123",
            "example.0x1f",
            "example.0x",
            "example.123.",
            "0",
        ],
    )
    def test_numeric(self, host: str) -> None:
        assert looks_like_ipv4(host)

    @pytest.mark.parametrize(
        "host",
        ["", ".", "..", "example.com", "v1.example", "123.example", "1x", "0xg", "a.0x1g", "..."],
    )
    def test_names(self, host: str) -> None:
        assert not looks_like_ipv4(host)


class TestAsciiHost:
    """Hosts are read after IDNA mapping, as HTTP libraries read them."""

    @pytest.mark.parametrize("host", UNICODE_LOOPBACK_FORMS)
    def test_unicode_digits_and_stops_become_an_address(self, host: str) -> None:
        name = ascii_host(host)
        assert name is not None
        assert parse_ipv4(name) == ipaddress.IPv4Address("127.0.0.1")

    def test_names_and_literals(self) -> None:
        assert ascii_host("B\u00fccher.DE") == "xn--bcher-kva.de"
        assert ascii_host("[::FFFF:7F00:1]") == "::ffff:7f00:1"
        assert ascii_host("FE80::1%eth0") == "fe80::1%eth0"
        assert ascii_host("a" * 64 + "\u00e9.com") is None  # a label too long
        assert ascii_host("a..\u00e9") is None  # an empty label


class TestKinds:
    """Whether an address is public does not depend on how it is written."""

    @pytest.mark.parametrize("text", LOOPBACK_FORMS)
    def test_loopback_in_any_notation(self, text: str) -> None:
        assert address_kind(text) == "loopback"
        assert not is_public_ip(text)

    @pytest.mark.parametrize(
        ("text", "kind"),
        [
            ("0", "unspecified"),
            ("10.1", "private"),
            ("0xa.0.0.1", "private"),
            ("3232235777", "private"),
            ("0xa9fea9fe", "link-local"),
            ("169.254.43518", "link-local"),
            ("[::ffff:7f00:1]", "loopback"),
            ("::127.0.0.1", "reserved (IPv4-compatible)"),
            ("fe80::1%25eth0", "link-local"),
            ("1.2.3.4.5", "not an IP address"),
            ("[::1", "not an IP address"),
        ],
    )
    def test_other_kinds(self, text: str, kind: str) -> None:
        assert address_kind(text) == kind

    def test_public_in_any_notation(self) -> None:
        for text in ("8.8.8.8", "134744072", "0x8080808", "8.8.2056", "010.010.010.010"):
            assert is_public_ip(text), text
        assert parse_ip("[2606:4700:4700::1111]") == ipaddress.IPv6Address("2606:4700:4700::1111")


class TestLocalNames:
    """Names that only this machine or a local network knows."""

    @pytest.mark.parametrize(
        ("host", "name"),
        [
            ("localhost", "localhost"),
            ("localhost.", "localhost"),
            ("app.localhost", "localhost"),
            ("printer.local", "local"),
            ("nas.home.arpa", "home.arpa"),
            ("git.corp.internal", "internal"),
            ("internal", "internal"),
        ],
    )
    def test_local(self, host: str, name: str) -> None:
        assert local_name(host) == name

    @pytest.mark.parametrize(
        "host", ["github.com", "localhost.com", "mylocal", "notlocalhost", "internal.example"]
    )
    def test_public(self, host: str) -> None:
        assert local_name(host) is None
