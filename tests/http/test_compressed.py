"""Compressed answers: decoded by the pack within its size limit, whichever aiohttp is installed.

aiohttp before 3.13.3 inflated each network read whole before anyone could count the
bytes: a 1 MiB deflate body of zeros took about 250 MiB of memory under 3.11.8 although
the fetch's limit was 1 MiB. Guarded sessions therefore leave bodies compressed and
:func:`nodes.net.fetch.read_limited` inflates them piece by piece, never past the limit.
"""

from __future__ import annotations

import asyncio
import gzip
import tracemalloc
import zlib
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web

from nodes.net.fetch import FetchError, FetchResult, fetch
from nodes.net.links import check_links
from tests.helpers.netservers import serve

pytestmark = pytest.mark.http
BODY = b'{"custom_nodes": []}' * 500
MIB = 1024 * 1024


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _bomb(mebibytes: int) -> bytes:
    """``mebibytes`` MiB of zeros, deflated (about 1 KiB per MiB)."""
    compressor = zlib.compressobj(9)
    zeros = b"\0" * MIB
    return b"".join(compressor.compress(zeros) for _ in range(mebibytes)) + compressor.flush()


ANSWERS: dict[str, tuple[bytes, str]] = {
    "plain": (BODY, ""),
    "identity": (BODY, "identity"),
    "gzip": (gzip.compress(BODY), "gzip"),
    "x-gzip": (gzip.compress(BODY), "X-Gzip"),
    "deflate": (zlib.compress(BODY), "deflate"),
    "raw-deflate": (_raw_deflate(BODY), "deflate"),
    "brotli": (b"\x0b\x02\x80hello\x03", "br"),
    "corrupt": (b"\x1f\x8b not gzip at all", "gzip"),
    "cut-off": (gzip.compress(BODY)[:-20], "gzip"),
    "empty-gzip": (b"", "gzip"),
}


def make_app(seen: list[str], bomb: bytes) -> web.Application:
    async def answer(request: web.Request) -> web.StreamResponse:
        seen.append(request.headers.get("Accept-Encoding", ""))
        name = request.match_info["name"]
        body, encoding = (bomb, "deflate") if name == "bomb" else ANSWERS[name]
        headers = {"Content-Encoding": encoding} if encoding else {}
        if request.method == "HEAD":
            return web.Response(status=405)
        return web.Response(body=body, headers=headers, content_type="application/json")

    app = web.Application()
    app.router.add_route("*", "/{name}", answer)
    return app


def run(scenario: Callable[[str], Awaitable[None]], bomb: bytes = b"") -> list[str]:
    seen: list[str] = []

    async def main() -> None:
        async with serve(make_app(seen, bomb)) as base:
            await scenario(base)

    asyncio.run(main())
    return seen


async def get(url: str, max_bytes: int = MIB) -> FetchResult:
    return await fetch(None, url, allow_private=True, max_bytes=max_bytes, timeout=10)


@pytest.mark.parametrize("name", ["plain", "identity", "gzip", "x-gzip", "deflate", "raw-deflate"])
def test_bodies_are_decoded(name: str) -> None:
    results: list[FetchResult] = []

    async def scenario(base: str) -> None:
        results.append(await get(f"{base}/{name}"))

    seen = run(scenario)
    assert results[0].body == BODY
    assert seen == ["gzip, deflate"]  # what read_limited decodes, nothing else


def test_an_empty_compressed_body_is_empty() -> None:
    async def scenario(base: str) -> None:
        assert (await get(f"{base}/empty-gzip")).body == b""

    run(scenario)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("brotli", "answered in the 'br' encoding; this pack reads gzip and deflate only"),
        ("corrupt", "is not valid gzip data (Error -3 while decompressing data"),
        ("cut-off", "was cut off before its end (its gzip data ends early)"),
    ],
)
def test_what_cannot_be_decoded_is_an_error(name: str, message: str) -> None:
    async def scenario(base: str) -> None:
        with pytest.raises(FetchError) as caught:
            await get(f"{base}/{name}")
        assert message in str(caught.value)

    run(scenario)


def test_the_limit_holds_for_the_decoded_body() -> None:
    async def scenario(base: str) -> None:
        with pytest.raises(FetchError, match=r"sent more than 9999 bytes \(the limit\)"):
            await get(f"{base}/gzip", max_bytes=len(BODY) - 1)
        assert (await get(f"{base}/gzip", max_bytes=len(BODY))).body == BODY

    run(scenario)


def test_a_decompression_bomb_takes_no_more_memory_than_the_limit() -> None:
    """256 MiB of zeros in 256 KiB: refused, and the peak stays near the 1 MiB limit."""
    peaks: list[int] = []

    async def scenario(base: str) -> None:
        tracemalloc.start()
        try:
            with pytest.raises(FetchError, match="sent more than 1048576 bytes"):
                await get(f"{base}/bomb")
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()

    run(scenario, bomb=_bomb(256))
    assert peaks[0] < 16 * MIB  # aiohttp 3.11.8's own decoding: about 250 MiB


def test_link_checks_never_decode_bodies() -> None:
    """A GET fallback reads a few raw bytes; a bomb there costs nothing either."""
    results = {}

    async def scenario(base: str) -> None:
        tracemalloc.start()
        try:
            results.update(await check_links([f"{base}/bomb"], allow_private=True, timeout=10))
            results["peak"] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    run(scenario, bomb=_bomb(256))
    assert results[next(iter(results))].state == "alive"
    assert results["peak"] < 16 * MIB
