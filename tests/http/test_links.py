"""Link health against real local servers: alive, moved, dead, blocked, slow, rude and busy ones."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from nodes.net.links import LinkCache, LinkStatus, check_links, verdict
from tests.helpers.netservers import read_request, serve, serve_raw

pytestmark = pytest.mark.http


class Site:
    """A test web site that records what it was asked and how many requests were in flight."""

    def __init__(self) -> None:
        self.methods: list[tuple[str, str]] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.big_bytes_sent = 0

    def app(self) -> web.Application:
        routes = web.RouteTableDef()

        @routes.route("*", "/{path:.*}")
        async def handle(request: web.Request) -> web.StreamResponse:
            self.methods.append((request.method, request.path))
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            try:
                return await self.answer(request)
            finally:
                self.in_flight -= 1

        app = web.Application()
        app.add_routes(routes)
        return app

    async def answer(self, request: web.Request) -> web.StreamResponse:  # noqa: PLR0911, PLR0912 - a path each
        path, head = request.path, request.method == "HEAD"
        if path == "/ok":
            return web.Response(text="fine")
        if path == "/busy":
            await asyncio.sleep(0.05)
            return web.Response(text="fine")
        if path.startswith("/moved/"):
            hops = int(path.rsplit("/", 1)[1])
            raise web.HTTPMovedPermanently("/ok" if hops == 0 else f"/moved/{hops - 1}")
        if path == "/loop":
            raise web.HTTPFound("/loop")
        if path == "/to":
            raise web.HTTPFound(request.query["where"])
        if path == "/no-head":
            return web.Response(status=405) if head else web.Response(text="GET only")
        if path == "/head-forbidden":
            return web.Response(status=403) if head else web.Response(text="GET works")
        if path == "/forbidden":
            return web.Response(status=403)
        if path == "/gone":
            return web.Response(status=410)
        if path == "/fail":
            return web.Response(status=503)
        if path == "/slow":
            await asyncio.sleep(5)
            return web.Response(text="late")
        if path == "/head-hangs-up":
            if head:
                assert request.transport is not None
                request.transport.close()
            return web.Response(text="GET works")
        if path == "/huge":
            return await self.huge(request)
        return web.Response(status=404)

    async def huge(self, request: web.Request) -> web.StreamResponse:
        if request.method == "HEAD":
            return web.Response(status=501)
        response = web.StreamResponse()
        await response.prepare(request)
        for _ in range(1000):  # up to 64 MB, unless the client stops reading
            await response.write(b"z" * 65536)
            self.big_bytes_sent += 65536
        return response


Scenario = Callable[[str, Site], Awaitable[None]]


def run(scenario: Scenario) -> Site:
    site = Site()

    async def main() -> None:
        async with serve(site.app()) as base:
            await scenario(base, site)

    asyncio.run(main())
    return site


def check(urls: list[str], **options: Any) -> Awaitable[dict[str, LinkStatus]]:
    options.setdefault("allow_private", True)
    options.setdefault("timeout", 5.0)
    return check_links(urls, **options)


def test_alive_redirected_and_dead_links() -> None:
    results: dict[str, LinkStatus] = {}

    async def scenario(base: str, site: Site) -> None:
        paths = ["/ok", "/moved/2", "/nowhere", "/gone", "/fail", "/forbidden"]
        results.update(await check([base + p for p in paths]))

    site = run(scenario)
    states = {
        url.rsplit("/", 1)[1] if "moved" not in url else "moved": s for url, s in results.items()
    }
    ok, moved = states["ok"], states["moved"]
    assert (ok.state, ok.status, ok.final_url, ok.message) == ("alive", 200, ok.url, "")
    assert (moved.state, moved.status) == ("redirected", 200)
    assert moved.final_url.endswith("/ok")
    assert moved.message == "redirected 3 time(s)"
    assert (states["nowhere"].state, states["nowhere"].status) == ("dead", 404)
    assert (states["gone"].state, states["gone"].message) == ("dead", "HTTP 410")
    assert (states["fail"].state, states["fail"].status) == ("error", 503)
    assert (states["forbidden"].state, states["forbidden"].status) == ("error", 403)
    assert ("HEAD", "/ok") in site.methods
    assert ("GET", "/ok") not in site.methods  # HEAD was enough
    assert ("GET", "/forbidden") in site.methods  # 403 to HEAD: GET asked too
    assert ok.checked_at.endswith("+00:00")


def test_get_is_the_fallback_when_head_is_refused_or_dropped() -> None:
    results: dict[str, LinkStatus] = {}

    async def scenario(base: str, site: Site) -> None:
        paths = ["/no-head", "/head-forbidden", "/head-hangs-up", "/huge"]
        results.update(await check([base + p for p in paths]))

    site = run(scenario)
    assert [(s.state, s.status) for s in results.values()] == [("alive", 200)] * 4
    for path in ("/no-head", "/head-forbidden", "/head-hangs-up", "/huge"):
        assert site.methods.count(("HEAD", path)) >= 1  # aiohttp retries a dropped request once
        assert site.methods.count(("GET", path)) == 1
    assert site.big_bytes_sent < 100 * 65536  # the client stopped after the first few bytes


def test_loops_slow_servers_and_bad_urls_are_errors() -> None:
    results: dict[str, LinkStatus] = {}

    async def scenario(base: str, site: Site) -> None:
        urls = [
            f"{base}/loop",
            f"{base}/moved/6",
            f"{base}/slow",
            "ftp://example.com/x",
            "http://[::1",
        ]
        results.update(await check(urls, timeout=0.3))

    run(scenario)
    loop, many, slow, ftp, broken = results.values()
    assert all(s.state == "error" and s.status is None for s in results.values())
    assert "redirects in a loop" in loop.message
    assert "redirects more than 5 times" in many.message
    assert slow.message == f"no complete answer from {slow.url} within 0.3 s"
    assert ftp.message == "not an http(s) link: scheme 'ftp' is not allowed; use http or https"
    assert broken.message.startswith("not an http(s) link: is not a valid URL")


async def _hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await read_request(reader)


async def _garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await read_request(reader)
    writer.write(b"garbage\r\n\r\n")
    await writer.drain()


def test_servers_that_hang_up_or_send_garbage_are_errors() -> None:
    async def scenario() -> dict[str, LinkStatus]:
        async with serve_raw(_hang_up) as rude, serve_raw(_garbage) as garbled:
            return await check([f"{rude}/x", f"{garbled}/y"])

    rude, garbled = asyncio.run(scenario()).values()
    assert rude.state == "error"
    assert "ServerDisconnectedError" in rude.message
    assert garbled.state == "error"
    assert "did not answer with valid HTTP" in garbled.message


def test_private_targets_are_blocked_by_default() -> None:
    results: dict[str, LinkStatus] = {}

    async def scenario(base: str, site: Site) -> None:
        port = base.rsplit(":", 1)[1]
        urls = [f"{base}/ok", f"http://localhost:{port}/ok", f"http://[::1]:{port}/ok"]
        results.update(await check(urls, allow_private=False))

    site = run(scenario)
    assert [s.state for s in results.values()] == ["blocked"] * 3
    literal, name, v6 = results.values()
    assert literal.message.endswith(
        "the address 127.0.0.1 is on this machine or a private network (loopback)"
    )
    assert "localhost resolves only to addresses on this machine" in name.message
    assert v6.message.endswith("(loopback)")
    assert site.methods == []  # nothing reached the server


def test_a_redirect_into_a_private_address_is_blocked() -> None:
    """``localhost`` is trusted by name here (it stands for a public site); 127.0.0.1 is not."""
    results: dict[str, LinkStatus] = {}

    async def scenario(base: str, site: Site) -> None:
        port = base.rsplit(":", 1)[1]
        public = f"http://localhost:{port}"
        urls = [f"{public}/moved/1", f"{public}/to?where={base}/ok"]
        results.update(await check(urls, allow_private=False, allow_hosts=["localhost"]))

    run(scenario)
    fine, sneaky = results.values()
    assert (fine.state, fine.final_url) == ("redirected", fine.url.split("/moved")[0] + "/ok")
    assert sneaky.state == "blocked"
    assert sneaky.final_url.endswith("/ok")
    assert sneaky.final_url.startswith("http://127.0.0.1:")
    assert sneaky.message.startswith(f"refusing to fetch {sneaky.final_url}: the address 127.0.0.1")


def test_concurrency_is_bounded_overall_and_per_host() -> None:
    async def scenario() -> list[Site]:
        sites = [Site(), Site()]
        async with (
            serve(sites[0].app(), "127.0.0.1") as one,
            serve(sites[1].app(), "127.0.0.2") as two,
        ):
            urls = [f"{base}/busy?n={i}" for i in range(12) for base in (one, two)]
            results = await check(urls, concurrency=5, per_host=3)
            assert len(results) == 24
            assert {s.state for s in results.values()} == {"alive"}
            overall = Site()
            async with serve(overall.app(), "127.0.0.3") as three:
                more = [f"{base}/busy?m={i}" for i in range(6) for base in (one, two, three)]
                await check(more, concurrency=4, per_host=4)
            sites.append(overall)
        return sites

    first, second, third = asyncio.run(scenario())
    assert first.most_in_flight == 3  # per host, although 5 were allowed overall
    assert second.most_in_flight == 3
    assert 1 <= third.most_in_flight <= 4


def test_check_links_keeps_order_drops_repeats_and_checks_its_limits() -> None:
    async def scenario(base: str, site: Site) -> None:
        urls = [f"{base}/gone", f"{base}/ok", f"{base}/gone"]
        results = await check(urls)
        assert list(results) == [f"{base}/gone", f"{base}/ok"]
        with pytest.raises(ValueError, match="at least 1"):
            await check_links(urls, concurrency=0)
        with pytest.raises(ValueError, match="at least 1"):
            await check_links(urls, per_host=0)

    site = run(scenario)
    assert site.methods.count(("HEAD", "/gone")) == 1


@pytest.mark.parametrize(
    ("status", "redirects", "expected"),
    [
        (200, 0, ("alive", "")),
        (204, 1, ("redirected", "redirected 1 time(s)")),
        (300, 0, ("alive", "")),
        (400, 0, ("dead", "HTTP 400")),
        (404, 2, ("dead", "HTTP 404")),
        (401, 0, ("error", "HTTP 401")),
        (429, 0, ("error", "HTTP 429")),
        (500, 0, ("error", "HTTP 500")),
    ],
)
def test_verdicts(status: int, redirects: int, expected: tuple[str, str]) -> None:
    assert verdict(status, redirects) == expected


# ------------------------------------------------------------------ LinkCache

STATUS = LinkStatus(
    "https://a.org", "dead", 404, "https://a.org", "2025-01-02T00:00:00+00:00", "HTTP 404"
)


def test_link_statuses_round_trip() -> None:
    assert LinkStatus.from_dict(STATUS.to_dict()) == STATUS


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"state": "fine"}, "state 'fine' is not one of alive, redirected, dead, blocked, error"),
        ({"status": "404"}, "status '404' is not an HTTP status"),
        ({"status": True}, "status True is not an HTTP status"),
        ({"final_url": None}, "final_url must be text"),
        ({"message": 3}, "message must be text"),
    ],
)
def test_link_status_from_bad_data(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LinkStatus.from_dict({**STATUS.to_dict(), **change})


def test_the_cache_merges_and_keeps_the_newest(tmp_path: Path) -> None:
    cache = LinkCache(tmp_path / "links.json")
    assert cache.load() == {}
    alive = LinkStatus("https://b.org", "alive", 200, "https://b.org", "2025-01-01T00:00:00+00:00")
    merged = cache.merge({STATUS.url: STATUS, alive.url: alive})
    assert merged == {STATUS.url: STATUS, alive.url: alive}
    newer = LinkStatus("https://a.org", "alive", 200, "https://a.org", "2025-02-01T00:00:00+00:00")
    assert cache.merge({newer.url: newer}) == {newer.url: newer, alive.url: alive}
    assert LinkCache(tmp_path / "links.json").load() == {newer.url: newer, alive.url: alive}
    document = json.loads((tmp_path / "links.json").read_text())
    assert document["schema"] == 1
    assert "url" not in document["links"]["https://a.org"]


def test_the_cache_drops_the_oldest_beyond_its_size(tmp_path: Path) -> None:
    cache = LinkCache(tmp_path / "links.json", max_entries=2)
    statuses = {
        f"https://{i}.org": LinkStatus(
            f"https://{i}.org", "alive", 200, f"https://{i}.org", f"2025-01-0{i}T00:00:00+00:00"
        )
        for i in (3, 1, 2)
    }
    assert list(cache.merge(statuses)) == ["https://2.org", "https://3.org"]


@pytest.mark.parametrize("content", ["{not json", "[]", '{"links": []}', '{"links": 3}', "{}"])
def test_a_damaged_cache_reads_as_empty(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "links.json"
    path.write_text(content)
    assert LinkCache(path).load() == {}
    assert "cannot read the link cache" in caplog.text


def test_bad_entries_are_skipped_and_the_rest_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "links.json"
    good = {k: v for k, v in STATUS.to_dict().items() if k != "url"}
    path.write_text(
        json.dumps(
            {
                "schema": 1,
                "links": {
                    STATUS.url: good,
                    "https://x.org": {**good, "state": "?"},
                    "https://y.org": "oops",
                },
            }
        )
    )
    assert LinkCache(path).load() == {STATUS.url: STATUS}
    assert "ignoring the entry for 'https://x.org'" in caplog.text
    assert "ignoring the entry for 'https://y.org'" in caplog.text


def _status(n: int, message: str = "") -> LinkStatus:
    url = f"https://{n}.org"
    return LinkStatus(url, "alive", 200, url, f"2025-01-{n:02d}T00:00:00+00:00", message)


def test_the_cache_is_bounded_in_bytes(tmp_path: Path) -> None:
    """Beyond max_bytes the oldest results are dropped; the file never outgrows its reader."""
    path = tmp_path / "links.json"
    cache = LinkCache(path, max_bytes=10_000)
    statuses = {s.url: s for s in (_status(n, "m" * 1000) for n in range(1, 20))}
    kept = cache.merge(statuses)
    assert len(kept) == 8  # each entry takes about 1,150 bytes
    assert list(kept) == [f"https://{n}.org" for n in range(20 - len(kept), 20)]
    assert path.stat().st_size <= 10_000
    assert LinkCache(path, max_bytes=10_000).load() == kept
    assert cache.merge({}) == kept  # what fits stays as it is


def test_an_oversized_cache_file_is_not_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "links.json"
    LinkCache(path).merge({STATUS.url: STATUS})
    size = path.stat().st_size
    assert LinkCache(path, max_bytes=size).load() == {STATUS.url: STATUS}
    assert LinkCache(path, max_bytes=size - 1).load() == {}
    assert f"it is {size} bytes; the limit is {size - 1}" in caplog.text


def test_any_text_is_stored_and_read_back(tmp_path: Path) -> None:
    """The file is ASCII JSON: 4-byte characters and even lone surrogates read back as sent."""
    odd = LinkStatus(
        "https://ex.org/\U0001f600", "error", None, "https://ex.org/\ud800", "2025-01-01", "é\udfff"
    )
    cache = LinkCache(tmp_path / "links.json")
    assert cache.merge({odd.url: odd}) == {odd.url: odd}
    assert LinkCache(tmp_path / "links.json").load() == {odd.url: odd}
    (tmp_path / "links.json").read_bytes().decode("ascii")
