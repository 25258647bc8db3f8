"""Real local HTTP servers for the network tests: aiohttp apps and raw-socket misbehavers.

Every server listens on a loopback address with an ephemeral port and lives for one
``async with`` block, inside the test's own event loop. Slow handlers are cancelled
when the client goes away, so a timeout test does not wait for the server to finish.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager

from aiohttp import web

RawHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def serve(app: web.Application, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Run ``app`` on ``host`` (port 0) and yield its base URL, ``http://host:port``."""
    runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.5, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def serve_raw(handler: RawHandler, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Run a raw TCP server (for answers no HTTP framework would send); yield its base URL."""

    async def wrapped(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await handler(reader, writer)
        finally:
            writer.close()

    server = await asyncio.start_server(wrapped, host, 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.close()
        await server.wait_closed()


async def read_request(reader: asyncio.StreamReader) -> bytes:
    """Read one request's head (the raw servers ignore bodies)."""
    return await reader.readuntil(b"\r\n\r\n")


async def closed_port() -> str:
    """A base URL on 127.0.0.1 where nothing listens (connections are refused)."""
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    return f"http://127.0.0.1:{port}"


@contextmanager
def serve_in_thread(app: web.Application) -> Iterator[str]:
    """Run ``app`` on 127.0.0.1 (port 0) in a thread of its own and yield its base URL.

    For code that runs its own event loop: the command line's ``asyncio.run``, or the live
    API server of the HTTP tests fetching from it.
    """
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="upstream", daemon=True)
    thread.start()
    server = serve(app)
    try:
        url = asyncio.run_coroutine_threadsafe(server.__aenter__(), loop).result()
        try:
            yield url
        finally:
            asyncio.run_coroutine_threadsafe(server.__aexit__(None, None, None), loop).result()
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()
