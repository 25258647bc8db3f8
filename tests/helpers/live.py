"""A real aiohttp server on 127.0.0.1 with the pack's routes, and a small client for it.

The server runs on its own event loop in a thread, as ComfyUI's does: handlers hand
their work to that loop's executor, and requests arrive over a real socket. The client
keeps a second loop in the test's thread so that tests stay synchronous and can still
send many requests at once with :meth:`LiveServer.gather`.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web
from multidict import CIMultiDict

from nodes.app.pack import Pack
from nodes.server.handlers import add_routes
from nodes.server.table import PREFIX

Params = Mapping[str, str] | Iterable[tuple[str, str]]


@dataclass(frozen=True)
class Reply:
    """What came back: status, headers and the raw body."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Call:
    """One request for :meth:`LiveServer.gather`; ``path`` is relative to ``/awesome/v1``."""

    method: str
    path: str
    params: Params | None = None
    json: Any = None
    data: bytes | AsyncIterator[bytes] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


def comfy_app(pack: Callable[[], Pack]) -> web.Application:
    """The app as ComfyUI builds it: the pack adds to a route table, the server adds that."""
    routes = web.RouteTableDef()
    add_routes(routes, pack)
    app = web.Application()
    app.add_routes(routes)
    return app


class LiveServer:
    """Serve ``app`` on 127.0.0.1 (port chosen by the OS) until the ``with`` block ends."""

    def __init__(self, app: web.Application) -> None:
        self._app = app
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="live-server")
        self._runner = web.AppRunner(app, access_log=None)
        self._client_loop = asyncio.new_event_loop()
        self._session: aiohttp.ClientSession | None = None
        self.url = ""

    def __enter__(self) -> LiveServer:
        self._thread.start()
        host, port = asyncio.run_coroutine_threadsafe(self._start(), self._loop).result()
        self.url = f"http://{host}:{port}"
        self._session = self._client_loop.run_until_complete(self._open_session())
        return self

    async def _start(self) -> tuple[str, int]:
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        return host, port

    @staticmethod
    async def _open_session() -> aiohttp.ClientSession:
        return aiohttp.ClientSession()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._session is not None:
            self._client_loop.run_until_complete(self._session.close())
        self._client_loop.close()
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    async def _stop(self) -> None:
        await self._runner.cleanup()
        await asyncio.get_running_loop().shutdown_default_executor()

    # -- the client ---------------------------------------------------------------------

    async def _send(self, call: Call) -> Reply:
        assert self._session is not None
        async with self._session.request(
            call.method,
            f"{self.url}{PREFIX}{call.path}",
            params=call.params,
            json=call.json,
            data=call.data,
            headers=dict(call.headers),
        ) as response:
            return Reply(response.status, CIMultiDict(response.headers), await response.read())

    def request(self, method: str, path: str, **options: Any) -> Reply:
        """Send one request and wait for its answer."""
        return self._client_loop.run_until_complete(self._send(Call(method, path, **options)))

    def get(self, path: str, **options: Any) -> Reply:
        return self.request("GET", path, **options)

    def post(self, path: str, **options: Any) -> Reply:
        return self.request("POST", path, **options)

    def put(self, path: str, **options: Any) -> Reply:
        return self.request("PUT", path, **options)

    def delete(self, path: str, **options: Any) -> Reply:
        return self.request("DELETE", path, **options)

    def gather(self, calls: Iterable[Call]) -> list[Reply]:
        """Send every call at once (one connection each) and return the answers in order."""

        async def everything() -> list[Reply]:
            return list(await asyncio.gather(*(self._send(call) for call in calls)))

        return self._client_loop.run_until_complete(everything())
