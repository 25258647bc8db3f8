"""Guarded fetches and the remote cache, against real local servers that misbehave on purpose."""

from __future__ import annotations

import asyncio
import json
import re
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from nodes.core.errors import DomainError, ErrorKind
from nodes.net import cache as cache_module
from nodes.net.cache import (
    MAX_META_BYTES,
    MAX_VALIDATOR,
    CachedCopy,
    RefreshOutcome,
    RemoteCache,
)
from nodes.net.fetch import (
    FetchError,
    FetchResult,
    check_fetchable,
    describe_error,
    fetch,
)
from nodes.net.guard import Guard, GuardError, guarded_session
from tests.helpers.netservers import closed_port, read_request, serve, serve_raw

pytestmark = pytest.mark.http
ROOT = Path(__file__).resolve().parents[2]


class State:
    """What the test server serves and what it saw."""

    def __init__(self) -> None:
        self.body = b'{"v": 1}'
        self.etag: str | None = '"v1"'
        self.last_modified: str | None = None
        self.requests: list[dict[str, str]] = []


def make_app(state: State) -> web.Application:
    routes = web.RouteTableDef()

    @routes.get("/data")
    async def data(request: web.Request) -> web.StreamResponse:
        state.requests.append(dict(request.headers))
        headers = {}
        if state.etag:
            headers["ETag"] = state.etag
            if request.headers.get("If-None-Match") == state.etag:
                return web.Response(status=304, headers=headers)
        if state.last_modified:
            headers["Last-Modified"] = state.last_modified
            if request.headers.get("If-Modified-Since") == state.last_modified:
                return web.Response(status=304)
        return web.Response(body=state.body, headers=headers)

    @routes.get("/chain/{n}")
    async def chain(request: web.Request) -> web.StreamResponse:
        n = int(request.match_info["n"])
        if n == 0:
            raise web.HTTPFound("../data")  # relative
        raise web.HTTPMovedPermanently(f"/chain/{n - 1}")

    @routes.get("/loop/{name}")
    async def loop(request: web.Request) -> web.StreamResponse:
        other = "b" if request.match_info["name"] == "a" else "a"
        raise web.HTTPTemporaryRedirect(f"/loop/{other}")

    @routes.get("/to")
    async def to(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302, headers={"Location": request.query["where"]})

    @routes.get("/no-location")
    async def no_location(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302, text="moved, but where?")

    @routes.get("/slow")
    async def slow(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(5)
        return web.Response(text="late")

    @routes.get("/big")
    async def big(request: web.Request) -> web.StreamResponse:
        return web.Response(body=b"x" * 5000)

    @routes.get("/stream")
    async def stream(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()  # chunked: no Content-Length to refuse early
        await response.prepare(request)
        for _ in range(5):
            await response.write(b"y" * 1000)
        await response.write_eof()
        return response

    @routes.get("/fail")
    async def fail(request: web.Request) -> web.StreamResponse:
        return web.Response(status=500, text="boom")

    @routes.get("/always-304")
    async def always_304(request: web.Request) -> web.StreamResponse:
        return web.Response(status=304)

    app = web.Application()
    app.add_routes(routes)
    return app


def run(scenario: Callable[[str, State], Awaitable[None]]) -> State:
    """Run ``scenario(base_url, state)`` with a fresh server in a fresh event loop."""
    state = State()

    async def main() -> None:
        async with serve(make_app(state)) as base:
            await scenario(base, state)

    asyncio.run(main())
    return state


async def get(url: str, **options: Any) -> FetchResult:
    options.setdefault("allow_private", True)
    options.setdefault("timeout", 5.0)
    return await fetch(None, url, **options)


def pack_version() -> str:
    """``[project].version`` in pyproject.toml."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    version = re.search(r'^\[project\][^\[]*?^version = "([^"]+)"', pyproject, re.M | re.S)
    assert version is not None
    return version.group(1)


def test_fetch_returns_the_body_and_its_validators() -> None:
    """The answer comes back whole; the request names the pack and its released version."""

    async def scenario(base: str, state: State) -> None:
        state.last_modified = "Wed, 01 Jan 2025 00:00:00 GMT"
        result = await get(f"{base}/data")
        assert result == FetchResult(
            200, b'{"v": 1}', '"v1"', "Wed, 01 Jan 2025 00:00:00 GMT", f"{base}/data", False
        )
        assert result.ok

    state = run(scenario)
    assert state.requests[0]["User-Agent"] == (
        f"awesome-comfyui-beyond/{pack_version()}"
        " (+https://github.com/umitkacar/Awesome-ComfyUI-Beyond)"
    )
    assert "If-None-Match" not in state.requests[0]


def test_a_matching_etag_gives_304_not_modified() -> None:
    async def scenario(base: str, state: State) -> None:
        result = await get(f"{base}/data", etag='"v1"')
        assert result == FetchResult(304, None, '"v1"', None, f"{base}/data", True)
        assert result.ok
        state.etag = '"v2"'
        changed = await get(f"{base}/data", etag='"v1"')
        assert (changed.status, changed.etag, changed.not_modified) == (200, '"v2"', False)

    state = run(scenario)
    assert state.requests[0]["If-None-Match"] == '"v1"'


def test_if_modified_since_is_sent_and_a_bare_304_keeps_the_validators() -> None:
    async def scenario(base: str, state: State) -> None:
        state.etag = None
        state.last_modified = "Wed, 01 Jan 2025 00:00:00 GMT"
        result = await get(f"{base}/data", etag='"old"', last_modified=state.last_modified)
        assert result.not_modified
        assert (result.etag, result.last_modified) == ('"old"', state.last_modified)

    state = run(scenario)
    assert state.requests[0]["If-Modified-Since"] == "Wed, 01 Jan 2025 00:00:00 GMT"


def test_error_statuses_are_returned_not_raised() -> None:
    async def scenario(base: str, state: State) -> None:
        result = await get(f"{base}/fail")
        assert (result.status, result.body, result.ok) == (500, b"boom", False)
        missing = await get(f"{base}/nothing-here")
        assert missing.status == 404

    run(scenario)


def test_redirect_chains_are_followed_hop_by_hop() -> None:
    async def scenario(base: str, state: State) -> None:
        result = await get(f"{base}/chain/3")
        assert (result.status, result.final_url, result.body) == (200, f"{base}/data", b'{"v": 1}')
        with pytest.raises(FetchError, match=r"redirects more than 2 times; the last hop was"):
            await get(f"{base}/chain/3", max_redirects=2)
        with pytest.raises(FetchError, match=r"redirects in a loop"):
            await get(f"{base}/loop/a")
        result = await get(f"{base}/no-location")
        assert (result.status, result.final_url) == (302, f"{base}/no-location")

    run(scenario)


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("ftp://example.com/file", "scheme 'ftp' is not allowed"),
        ("javascript:alert(1)", "must start with http:// or https://"),
        ("http://[::1", "redirects to an invalid address"),
    ],
)
def test_redirects_to_unfetchable_urls_are_refused(where: str, message: str) -> None:
    async def scenario(base: str, state: State) -> None:
        with pytest.raises(FetchError, match=re.escape(message)):
            await get(f"{base}/to?where={where}")

    run(scenario)


class LocalNames(AbstractResolver):
    """Resolves the test's made-up "public" host names to the local server."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if host not in ("public.test", "localhost"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            ResolveResult(
                hostname=host, host="127.0.0.1", port=port, family=family, proto=0, flags=0
            )
        ]

    async def close(self) -> None:
        pass


def test_a_redirect_from_a_trusted_host_into_this_machine_is_refused() -> None:
    """``public.test`` stands for a public site (trusted by name); 127.0.0.1 is not."""

    async def scenario(base: str, state: State) -> None:
        port = base.rsplit(":", 1)[1]
        guard = Guard.of(allow_hosts=["public.test"])
        async with guarded_session(guard, inner=LocalNames()) as session:
            start = f"http://public.test:{port}"
            ok = await fetch(session, f"{start}/chain/1")  # same-host redirects are fine
            assert ok.final_url == f"{start}/data"
            for target in (f"{base}/data", f"http://localhost:{port}/data"):
                with pytest.raises(GuardError) as caught:
                    await fetch(session, f"{start}/to?where={target}")
                assert caught.value.target == target
                assert "on this machine or a private network" in str(caught.value)
            with pytest.raises(FetchError, match="cannot resolve the host name"):
                await fetch(session, f"{start}/to?where=http://unknown.test/")

    run(scenario)


def test_private_addresses_are_refused_by_default() -> None:
    async def scenario(base: str, state: State) -> None:
        with pytest.raises(GuardError) as caught:
            await fetch(None, f"{base}/data")
        assert str(caught.value) == (
            f"refusing to fetch {base}/data: the address 127.0.0.1 is on this machine"
            " or a private network (loopback)"
        )
        port = base.rsplit(":", 1)[1]
        with pytest.raises(GuardError, match="localhost resolves only to addresses"):
            await fetch(None, f"http://localhost:{port}/data")

    state = run(scenario)
    assert state.requests == []  # nothing reached the server


def test_only_http_and_https_are_fetched() -> None:
    async def scenario() -> None:
        for url in ("file:///etc/passwd", "ftp://example.com/x", "not a url"):
            with pytest.raises(FetchError, match="cannot fetch"):
                await fetch(None, url)

    asyncio.run(scenario())
    check_fetchable("https://example.com/", Guard())


def test_a_slow_server_times_out_with_a_clear_message() -> None:
    async def scenario(base: str, state: State) -> None:
        with pytest.raises(FetchError) as caught:
            await get(f"{base}/slow", timeout=0.2)
        assert str(caught.value) == f"no complete answer from {base}/slow within 0.2 s"

    run(scenario)


def test_oversized_bodies_are_refused() -> None:
    async def scenario(base: str, state: State) -> None:
        with pytest.raises(FetchError, match=r"is 5000 bytes long; the limit is 1000 bytes"):
            await get(f"{base}/big", max_bytes=1000)
        with pytest.raises(FetchError, match=r"sent more than 2500 bytes \(the limit\)"):
            await get(f"{base}/stream", max_bytes=2500)
        assert (await get(f"{base}/stream", max_bytes=5000)).body == b"y" * 5000

    run(scenario)


async def _truncated(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await read_request(reader)
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"0123456789")
    await writer.drain()


async def _garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await read_request(reader)
    writer.write(b"SURPRISE! this is not HTTP\r\n\r\n")
    await writer.drain()


async def _hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await read_request(reader)


def test_truncated_garbled_and_dropped_answers_are_errors() -> None:
    async def scenario() -> None:
        async with serve_raw(_truncated) as base:
            with pytest.raises(FetchError, match=r"was cut off before its end"):
                await get(f"{base}/x")
        async with serve_raw(_garbage) as base:
            # aiohttp's own words differ by version ("Bad status line", "Expected HTTP/")
            with pytest.raises(FetchError, match=r"did not answer with valid HTTP \(.*SURPRISE"):
                await get(f"{base}/x")
        async with serve_raw(_hang_up) as base:
            with pytest.raises(FetchError, match=r"cannot fetch .*ServerDisconnectedError"):
                await get(f"{base}/x")
        base = await closed_port()
        with pytest.raises(FetchError, match=r"cannot connect to http://127\.0\.0\.1:\d+/x \("):
            await get(f"{base}/x")
        # Every aiohttp refuses it the same way (3.14 would itself; 3.11 would connect).
        with pytest.raises(FetchError, match=r"'127\.1' is the IPv4 address 127\.0\.0\.1 written"):
            await get("http://127.1/x")

    asyncio.run(scenario())


def test_describe_error_keeps_messages_on_one_line() -> None:
    text = describe_error(aiohttp.ClientError("two\n   lines"), "http://x.org", 1)
    assert text == "cannot fetch http://x.org (ClientError: two lines)"


def test_a_given_session_must_be_guarded_and_agree() -> None:
    async def scenario(base: str, state: State) -> None:
        async with aiohttp.ClientSession() as plain:
            with pytest.raises(TypeError, match="guarded_session"):
                await fetch(plain, f"{base}/data")
        async with guarded_session(Guard(allow_private=True)) as session:
            with pytest.raises(ValueError, match="disagrees with the session's guard"):
                await fetch(session, f"{base}/data")
            result = await fetch(session, f"{base}/data", allow_private=True)
            assert result.status == 200

    run(scenario)


# ------------------------------------------------------------------ RemoteCache


def _json(body: bytes) -> dict[str, Any]:
    value = json.loads(body)
    if not isinstance(value, dict):
        raise ValueError("expected a JSON object")
    return value


def test_refresh_stores_a_new_copy_then_asks_conditionally(tmp_path: Path) -> None:
    cache = RemoteCache(tmp_path / "remote")
    outcomes: list[RefreshOutcome[dict[str, Any]]] = []
    bases: list[str] = []

    async def scenario(base: str, state: State) -> None:
        bases.append(base)
        outcomes.append(await cache.refresh("db", f"{base}/data", _json, allow_private=True))
        outcomes.append(await cache.refresh("db", f"{base}/data", _json, allow_private=True))
        state.body, state.etag = b'{"v": 2}', '"v2"'
        outcomes.append(await cache.refresh("db", f"{base}/data", _json, allow_private=True))

    state = run(scenario)
    first, second, third = outcomes
    assert (first.state, first.value, first.ok) == ("changed", {"v": 1}, True)
    assert first.message == "db was updated (8 bytes)"
    assert first.fetched_at == first.when
    assert (second.state, second.value, second.message) == (
        "not-modified",
        None,
        "db is up to date",
    )
    assert second.fetched_at == first.fetched_at
    assert (third.state, third.value) == ("changed", {"v": 2})
    assert [r.get("If-None-Match") for r in state.requests] == [None, '"v1"', '"v1"']
    held = cache.read("db")
    assert held is not None
    assert (held.body, held.etag, held.url) == (b'{"v": 2}', '"v2"', f"{bases[0]}/data")
    meta = json.loads((tmp_path / "remote" / "db.meta.json").read_text())
    assert set(meta) == {
        "url",
        "etag",
        "last_modified",
        "fetched_at",
        "checked_at",
        "sha256",
        "size",
    }
    assert first.to_dict() == {
        "name": "db",
        "state": "changed",
        "message": "db was updated (8 bytes)",
        "when": first.when,
        "fetched_at": first.fetched_at,
    }


def test_an_invalid_new_copy_never_replaces_the_good_one(tmp_path: Path) -> None:
    cache = RemoteCache(tmp_path)
    outcomes: list[RefreshOutcome[dict[str, Any]]] = []

    async def scenario(base: str, state: State) -> None:
        outcomes.append(await cache.refresh("db", f"{base}/data", _json, allow_private=True))
        state.body, state.etag = b"[1, 2", '"broken"'
        outcomes.append(await cache.refresh("db", f"{base}/data", _json, allow_private=True))
        state.body, state.etag = b"[1, 2]", '"list"'
        outcomes.append(await cache.refresh("db", f"{base}/data", _json, allow_private=True))

    run(scenario)
    good, broken, wrong_shape = outcomes
    for outcome in (broken, wrong_shape):
        assert outcome.state == "failed"
        assert not outcome.ok
        assert outcome.message.endswith(f"; keeping the copy from {good.fetched_at}")
        assert outcome.fetched_at == good.fetched_at
    assert "is not valid: Expecting" in broken.message
    assert "is not valid: expected a JSON object" in wrong_shape.message
    held = cache.read("db")
    assert held is not None
    assert (held.body, held.etag) == (b'{"v": 1}', '"v1"')


def test_network_failures_keep_the_last_good_copy(tmp_path: Path) -> None:
    cache = RemoteCache(tmp_path)
    outcomes: list[RefreshOutcome[dict[str, Any]]] = []

    async def scenario(base: str, state: State) -> None:
        url = f"{base}/data"
        outcomes.append(await cache.refresh("db", url, _json, allow_private=True))
        outcomes.append(await cache.refresh("db", f"{base}/fail", _json, allow_private=True))
        outcomes.append(
            await cache.refresh("db", f"{base}/slow", _json, allow_private=True, timeout=0.2)
        )
        outcomes.append(
            await cache.refresh("db", f"{base}/big", _json, allow_private=True, max_bytes=3)
        )
        outcomes.append(await cache.refresh("db", url, _json))  # the guard refuses
        outcomes.append(
            await cache.refresh("db", f"{await closed_port()}/x", _json, allow_private=True)
        )

    run(scenario)
    good, *failures = outcomes
    messages = [f.message for f in failures]
    assert all(f.state == "failed" and f.fetched_at == good.fetched_at for f in failures)
    assert messages[0].startswith("http://127.0.0.1:")
    assert "/fail answered HTTP 500" in messages[0]
    assert "within 0.2 s" in messages[1]
    assert "the limit is 3 bytes" in messages[2]
    assert messages[3].startswith("refusing to fetch")
    assert "cannot connect" in messages[4]
    held = cache.read("db")
    assert held is not None
    assert held.body == b'{"v": 1}'


def test_a_failure_with_no_copy_says_so(tmp_path: Path) -> None:
    cache = RemoteCache(tmp_path)

    async def scenario() -> RefreshOutcome[dict[str, Any]]:
        return await cache.refresh("db", f"{await closed_port()}/x", _json, allow_private=True)

    outcome = asyncio.run(scenario())
    assert outcome.state == "failed"
    assert outcome.message.endswith("; no copy is held")
    assert outcome.fetched_at == ""
    assert cache.read("db") is None


def test_an_unchanged_body_without_validators_is_not_modified(tmp_path: Path) -> None:
    cache = RemoteCache(tmp_path)
    outcomes: list[RefreshOutcome[dict[str, Any]]] = []

    async def scenario(base: str, state: State) -> None:
        state.etag = None
        outcomes.append(await cache.refresh("db", f"{base}/data", _json, allow_private=True))
        outcomes.append(await cache.refresh("db", f"{base}/data", _json, allow_private=True))

    run(scenario)
    first, second = outcomes
    assert (second.state, second.message, second.value) == (
        "not-modified",
        "db is unchanged",
        {"v": 1},
    )
    assert second.fetched_at == first.fetched_at
    held = cache.read("db")
    assert held is not None
    assert held.checked_at == second.when


def test_a_new_url_is_fetched_unconditionally(tmp_path: Path) -> None:
    cache = RemoteCache(tmp_path)
    outcomes: list[RefreshOutcome[dict[str, Any]]] = []

    async def scenario(base: str, state: State) -> None:
        outcomes.append(await cache.refresh("db", f"{base}/data", _json, allow_private=True))
        outcomes.append(await cache.refresh("db", f"{base}/chain/0", _json, allow_private=True))
        outcomes.append(await cache.refresh("db", f"{base}/always-304", _json, allow_private=True))

    state = run(scenario)
    assert [o.state for o in outcomes] == ["changed", "changed", "failed"]
    assert [r.get("If-None-Match") for r in state.requests] == [None, None]
    assert "answered 304 Not Modified to a plain request" in outcomes[2].message


def test_damaged_cache_files_are_ignored(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = RemoteCache(tmp_path)
    body_path, meta_path = cache.paths("db")
    copy = CachedCopy(
        b"{}",
        "https://x.org/db.json",
        None,
        None,
        "2025-01-01T00:00:00+00:00",
        "2025-01-01T00:00:00+00:00",
    )
    cache.write("db", copy)
    assert cache.read("db") == copy
    meta = json.loads(meta_path.read_text())
    del meta["checked_at"]
    meta["etag"] = 12  # not text: treated as absent
    meta_path.write_text(json.dumps(meta))
    assert cache.read("db") == copy
    body_path.write_bytes(b"{} ")  # a body that does not match its metadata
    assert cache.read("db") is None
    assert "does not match its metadata" in caplog.text
    meta_path.write_text("not json")
    assert cache.read("db") is None
    meta_path.write_text("[]")
    assert cache.read("db") is None
    assert "cannot read the cached db" in caplog.text
    assert cache.read("other") is None


@pytest.mark.parametrize("name", ["", "../escape", "Upper", "a/b", "x" * 65, ".hidden"])
def test_cache_names_are_checked(tmp_path: Path, name: str) -> None:
    cache = RemoteCache(tmp_path)
    with pytest.raises(ValueError, match="is not a cache name"):
        cache.paths(name)
    with pytest.raises(ValueError, match="is not a cache name"):
        asyncio.run(cache.refresh(name, "https://example.com/", _json))


def _copy(body: bytes, url: str = "https://x.org/db.json", etag: str | None = None) -> CachedCopy:
    return CachedCopy(
        body, url, etag, None, "2025-01-01T00:00:00+00:00", "2025-01-01T00:00:00+00:00"
    )


def test_copies_are_bounded_in_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """One limit for the writer and the reader, for the body and for its metadata."""
    cache = RemoteCache(tmp_path)
    held = _copy(b"x" * 100)
    cache.write("db", held)
    monkeypatch.setattr(cache_module, "MAX_COPY_BYTES", 50)
    with pytest.raises(DomainError) as caught:
        cache.write("db", _copy(b"y" * 51))
    assert (caught.value.kind, caught.value.message) == (
        ErrorKind.FULL,
        "the copy of db is 51 bytes; the limit is 50",
    )
    assert cache.read("db") is None  # the held copy is over the lowered limit: not loaded
    assert "cannot read the cached db" in caplog.text
    assert "db.body is 100 bytes; the limit is 50" in caplog.text
    monkeypatch.undo()
    assert cache.read("db") == held  # and it was never changed
    with pytest.raises(DomainError, match=r"^the metadata of db is \d+ bytes; the limit is 65536$"):
        cache.write("db", _copy(b"z", url="https://x.org/" + "u" * MAX_META_BYTES))
    assert cache.read("db") == held


def test_overlong_validators_are_not_kept(tmp_path: Path) -> None:
    cache = RemoteCache(tmp_path)
    cache.write("db", _copy(b"{}", etag='"' + "e" * MAX_VALIDATOR + '"'))
    assert cache.read("db") == _copy(b"{}")  # the next refresh asks unconditionally
    cache.write("db", _copy(b"{}", etag='"' + "e" * (MAX_VALIDATOR - 2) + '"'))
    assert cache.read("db") == _copy(b"{}", etag='"' + "e" * (MAX_VALIDATOR - 2) + '"')


def test_an_oversized_metadata_file_is_not_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = RemoteCache(tmp_path)
    cache.write("db", _copy(b"{}"))
    _, meta_path = cache.paths("db")
    meta_path.write_bytes(b" " * (MAX_META_BYTES + 1))
    assert cache.read("db") is None
    assert f"db.meta.json is {MAX_META_BYTES + 1} bytes" in caplog.text
