"""Link checks: 1,000 links against local servers answering in 100 ms (target: under 5 s).

The servers run in their own thread and event loop, so the client's loop is measured
alone. The links are spread over eight loopback addresses (127.0.0.1 to 127.0.0.8 are
all this machine on Linux; each is its own host to aiohttp), because the per-host bound
(6, what browsers use) is what keeps real servers happy: with every link on one host the
check can go no faster than 6 answers per 100 ms, and a figure below measures that too.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest
from aiohttp import web

from nodes.net.guard import Guard, guarded_session
from nodes.net.links import DEFAULT_CONCURRENCY, DEFAULT_PER_HOST, check_link, check_links

from .conftest import figure

DELAY = 0.1
LINKS = 1000
HOSTS = [f"127.0.0.{i}" for i in range(1, 9)]


class Servers:
    """Slow web servers (every answer after ``DELAY`` seconds) on several loopback hosts."""

    def __init__(self, hosts: list[str]) -> None:
        self.hosts = hosts
        self.bases: list[str] = []
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.runner: web.AppRunner | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._start())
        self.ready.set()
        self.loop.run_forever()

    async def _start(self) -> None:
        async def slow(request: web.Request) -> web.Response:
            await asyncio.sleep(DELAY)
            return web.Response(text="ok")

        app = web.Application()
        app.router.add_get("/{path:.*}", slow)  # answers HEAD too
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self.runner.setup()
        for host in self.hosts:
            site = web.TCPSite(self.runner, host, 0)
            await site.start()
        self.bases = [f"http://{host}:{port}" for host, port in self.runner.addresses]

    def __enter__(self) -> Servers:
        self.thread.start()
        self.ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.runner is not None
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    with Servers(HOSTS) as running:
        yield running


def _urls(bases: list[str], count: int) -> list[str]:
    return [f"{bases[i % len(bases)]}/page/{i}" for i in range(count)]


def _check(urls: list[str]) -> dict[str, object]:
    results = asyncio.run(check_links(urls, allow_private=True))
    assert {s.state for s in results.values()} == {"alive"}, results
    return dict(results)


def _sequential_latency(base: str, count: int = 20) -> float:
    """Median seconds per link when checked one after another (one HEAD each)."""

    async def run() -> list[float]:
        times = []
        async with guarded_session(Guard(allow_private=True)) as session:
            for i in range(count):
                start = time.perf_counter()
                status = await check_link(session, f"{base}/seq/{i}")
                times.append(time.perf_counter() - start)
                assert status.state == "alive"
        return sorted(times)

    times = asyncio.run(run())
    return times[len(times) // 2]


@pytest.mark.benchmark(group="links")
def test_thousand_links_over_eight_hosts(benchmark, servers: Servers) -> None:
    """1,000 links, pack defaults (32 in flight, 6 per host), 100 ms per answer."""
    urls = _urls(servers.bases, LINKS)
    results = benchmark.pedantic(_check, args=(urls,), rounds=3, iterations=1, warmup_rounds=0)
    assert len(results) == LINKS
    one = _sequential_latency(servers.bases[0])
    sequential = one * LINKS
    best = benchmark.stats.stats.min
    median = benchmark.stats.stats.median
    floor = LINKS / min(DEFAULT_CONCURRENCY, DEFAULT_PER_HOST * len(HOSTS)) * DELAY
    figure(
        f"links: {LINKS} links over {len(HOSTS)} hosts, concurrency {DEFAULT_CONCURRENCY},"
        f" {DEFAULT_PER_HOST} per host: median {median:.2f} s, best {best:.2f} s"
        f" (target < 5 s; floor {floor:.2f} s)"
    )
    figure(
        f"links: sequential estimate {LINKS} x {one * 1e3:.1f} ms = {sequential:.1f} s;"
        f" speed-up {sequential / median:.1f}x"
    )


@pytest.mark.benchmark(group="links")
def test_one_host_is_held_to_the_per_host_limit(benchmark, servers: Servers) -> None:
    """120 links to a single host: at most 6 in flight, so about 120 / 6 x 100 ms = 2 s."""
    urls = _urls(servers.bases[:1], 120)
    benchmark.pedantic(_check, args=(urls,), rounds=1, iterations=1, warmup_rounds=0)
    median = benchmark.stats.stats.median
    projected = median * LINKS / len(urls)
    floor = len(urls) / DEFAULT_PER_HOST * DELAY
    figure(
        f"links: {len(urls)} links on one host: {median:.2f} s (floor {floor:.1f} s);"
        f" {LINKS} on one host would take about {projected:.1f} s"
    )
