"""Every IPv4 notation of this machine, against a real server on 127.0.0.1: nothing gets through.

The C library reads ``127.1``, ``2130706433``, ``0x7f000001`` or ``0177.0.0.1`` as
127.0.0.1, and IDNA mapping turns full-width digits into ASCII ones before any library
looks. aiohttp before 3.14 connects to the all-digit forms as they stand (no resolver is
asked); every version connects to the mapped full-width forms. The guard parses them all
itself, so fetches, link checks and source refreshes refuse them under any aiohttp
(``hatch run compat:test`` runs this file under the oldest one ComfyUI allows).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from nodes.net.cache import RemoteCache
from nodes.net.fetch import FetchError, fetch
from nodes.net.guard import Guard, GuardError, guarded_session
from nodes.net.links import check_links
from nodes.sources.manager_remote import refresh_manager
from nodes.sources.registry.source import refresh_registry
from tests.helpers.netservers import serve

pytestmark = pytest.mark.http

# What the C library reads as 127.0.0.1 (checked against it below).
SYSTEM_FORMS = [
    "127.1",
    "127.0.1",
    "2130706433",
    "0x7f000001",
    "0X7F000001",
    "0x7f.1",
    "0x7f.0.0.1",
    "0177.0.0.1",
    "0177.1",
    "017700000001",
    "127.0.0.0x1",
    "127.0x0.0.01",
    "000000000177.0.0.1",
]
# What IDNA mapping turns into 127.0.0.1 (or a form above) before any library looks.
MAPPED_FORMS = [
    "\uff11\uff12\uff17.\uff10.\uff10.\uff11",  # full-width digits
    "127\u30020\u30020\u30021",  # ideographic full stops
    "127\uff0e0\uff0e0\uff0e1",  # full-width full stops
    "127\uff610\uff610\uff611",  # half-width ideographic full stops
    "\u2460\u2461\u2466.0.0.1",  # circled digits
    "\uff11\uff12\uff17.\uff11",  # full-width, short
]
# What some resolvers or browsers read as 127.0.0.1, or as this machine (0.0.0.0).
OTHER_FORMS = ["127.0.0.1.", "127.1.", "2130706433.", "0", "0.0.0.0", "0x0"]  # noqa: S104
FORMS = SYSTEM_FORMS + MAPPED_FORMS + OTHER_FORMS


class Site:
    """A server that records every request that reaches it."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []

    def app(self) -> web.Application:
        async def answer(request: web.Request) -> web.StreamResponse:
            self.requests.append((request.method, request.path_qs))
            if request.path == "/to":
                raise web.HTTPFound(request.query["where"])
            return web.json_response({"secret": True})

        app = web.Application()
        app.router.add_route("*", "/{path:.*}", answer)
        return app


def run(scenario: Callable[[str, int], Awaitable[None]]) -> Site:
    """Run ``scenario(base_url, port)`` against a fresh server on 127.0.0.1."""
    site = Site()

    async def main() -> None:
        async with serve(site.app()) as base:
            await scenario(base, int(base.rsplit(":", 1)[1]))

    asyncio.run(main())
    return site


def test_the_c_library_reads_these_forms_as_this_machine() -> None:
    """The threat is real here: handed to the system, each form reaches 127.0.0.1."""
    for form in SYSTEM_FORMS:
        found = {a[4][0] for a in socket.getaddrinfo(form, 80, type=socket.SOCK_STREAM)}
        assert found == {"127.0.0.1"}, form
    for form in MAPPED_FORMS:
        mapped = form.encode("idna").decode()
        assert socket.inet_aton(mapped) == socket.inet_aton("127.0.0.1"), form


def test_the_server_is_reachable_when_allowed() -> None:
    """The refusals below are the guard's, not an unreachable server's."""
    results = []

    async def scenario(base: str, port: int) -> None:
        results.append(await fetch(None, f"{base}/data", allow_private=True, timeout=5))

    site = run(scenario)
    assert (results[0].status, results[0].body) == (200, b'{"secret": true}')
    assert site.requests == [("GET", "/data")]


@pytest.mark.parametrize("form", FORMS)
def test_fetch_refuses_every_form(form: str) -> None:
    messages: list[str] = []

    async def scenario(base: str, port: int) -> None:
        url = f"http://{form}:{port}/data"
        with pytest.raises(GuardError) as caught:
            await fetch(None, url, timeout=5)
        assert caught.value.target == url
        messages.append(caught.value.reason)

    site = run(scenario)
    assert site.requests == []
    (message,) = messages
    assert message.startswith(("the address 127.0.0.1", "the address 0.0.0.0"))
    assert message.endswith(("(loopback)", "(unspecified)"))


@pytest.mark.parametrize("form", SYSTEM_FORMS + MAPPED_FORMS + OTHER_FORMS[:3])
def test_allowing_private_addresses_does_not_allow_other_notations(form: str) -> None:
    """Even a mirror on this machine is reached by its four decimals only: every aiohttp
    version then does the same thing (3.14 refuses these forms, 3.11 would connect)."""

    async def scenario(base: str, port: int) -> None:
        with pytest.raises(FetchError, match=r"written another way; write 127\.0\.0\.1"):
            await fetch(None, f"http://{form}:{port}/data", allow_private=True, timeout=5)

    assert run(scenario).requests == []


def test_link_checks_block_every_form() -> None:
    results = {}

    async def scenario(base: str, port: int) -> None:
        urls = [f"http://{form}:{port}/page" for form in FORMS]
        results.update(await check_links(urls, timeout=5))

    site = run(scenario)
    assert site.requests == []
    assert len(results) == len(FORMS)
    assert all(status.status is None for status in results.values())
    # The guard blocks the private four-decimal forms; the URL rules refuse every other
    # notation before that (an "error": no verdict on a link that is not well written).
    states = {url.split("//")[1].rsplit(":", 1)[0]: s.state for url, s in results.items()}
    assert {form for form, state in states.items() if state == "blocked"} == {"0.0.0.0"}  # noqa: S104
    assert all(
        "written another way; write" in status.message
        for status in results.values()
        if status.state == "error"
    )


def test_source_refreshes_refuse_every_form(tmp_path: Path) -> None:
    outcomes = []

    async def scenario(base: str, port: int) -> None:
        cache = RemoteCache(tmp_path / "remote")
        for index, form in enumerate(FORMS):
            base_url = f"http://{form}:{port}"
            outcomes.append(await cache.refresh(f"db{index}", f"{base_url}/db.json", bytes))
            outcomes.extend(await refresh_manager(tmp_path / "manager", base_url))
            outcomes.append(await refresh_registry(tmp_path / "registry", base_url))

    site = run(scenario)
    assert site.requests == []
    assert len(outcomes) == 6 * len(FORMS)  # one file, the Manager's four, the Registry
    assert {outcome.state for outcome in outcomes} == {"failed"}
    assert all(
        "refusing to fetch" in outcome.message or "written another way" in outcome.message
        for outcome in outcomes
    )


class TrustedName(AbstractResolver):
    """Resolves ``public.test`` (a stand-in for a public site) to the local server."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if host != "public.test":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            ResolveResult(
                hostname=host, host="127.0.0.1", port=port, family=family, proto=0, flags=0
            )
        ]

    async def close(self) -> None:
        pass


def test_a_redirect_to_any_form_is_refused_on_that_hop() -> None:
    refused: list[str] = []

    async def scenario(base: str, port: int) -> None:
        guard = Guard.of(allow_hosts=["public.test"])
        async with guarded_session(guard, inner=TrustedName()) as session:
            for form in FORMS:
                target = f"http://{form}:{port}/data"
                with pytest.raises(GuardError) as caught:
                    await fetch(session, f"http://public.test:{port}/to?where={target}")
                refused.append(caught.value.target)

    site = run(scenario)
    assert len(refused) == len(FORMS)
    assert [path for _, path in site.requests if not path.startswith("/to")] == []


def test_a_session_used_directly_is_guarded_too() -> None:
    """Bypassing fetch(), the resolver still refuses numeric hosts before any lookup
    (aiohttp 3.11 asks it for ``0x7f000001``; 3.14 refuses such hosts itself)."""

    async def scenario(base: str, port: int) -> None:
        async with guarded_session() as session:
            for form in ("0x7f000001", "0x7f.1", "127.0.0.0x1"):
                with pytest.raises((GuardError, aiohttp.InvalidURL)):
                    await session.get(f"http://{form}:{port}/data")

    assert run(scenario).requests == []
