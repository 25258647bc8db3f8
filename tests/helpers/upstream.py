"""A local stand-in for the remote sources: ComfyUI-Manager's files, the Comfy Registry, links.

One aiohttp app serves all three on 127.0.0.1 (see :mod:`tests.helpers.netservers`):

- ``/custom-node-list.json``, ``/github-stats.json``, ``/model-list.json``,
  ``/extension-node-map.json``: small hand-made Manager files, with ETags (a matching
  ``If-None-Match`` gets a 304), or a 500 or garbage when :attr:`Upstream.broken` says so;
- ``/nodes?page=&limit=``: one page of Comfy Registry nodes;
- ``/links/{status}``: answers that status; ``/links/moved`` redirects to ``/links/200``.

Every request waits at :attr:`Upstream.gate` when one is set, until the test opens it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hashlib
import json
from typing import Any

from aiohttp import web

from nodes.sources.manager_db import MODEL_LIST, NODE_LIST, NODE_MAP, STATS

NODE_LIST_DOC: dict[str, Any] = {
    "custom_nodes": [
        {
            "reference": "https://github.com/alice/ComfyUI-Alpha",
            "title": "Alpha Nodes",
            "author": "alice",
            "description": "Alpha things for video.",
            "install_type": "git-clone",
            "files": ["https://github.com/alice/ComfyUI-Alpha"],
            "tags": ["Video"],
        },
        {
            "reference": "https://github.com/bob/beta-nodes",
            "title": "Beta Nodes",
            "author": "bob",
            "description": "Beta things.",
        },
        {"reference": "not a url", "title": "Broken"},
    ]
}
STATS_DOC: dict[str, Any] = {
    "https://github.com/alice/ComfyUI-Alpha": {"stars": 42, "last_update": "2025-02-03 04:05:06"},
    "https://github.com/bob/beta-nodes": {"stars": 7},
}
MODEL_LIST_DOC: dict[str, Any] = {
    "models": [
        {
            "name": "Gamma VAE",
            "type": "VAE",
            "base": "SDXL",
            "save_path": "vae",
            "description": "A small VAE.",
            "filename": "gamma.safetensors",
            "url": "https://huggingface.co/carol/gamma/resolve/main/gamma.safetensors",
        }
    ]
}
NODE_MAP_DOC: dict[str, Any] = {
    "https://github.com/alice/ComfyUI-Alpha": [
        ["AlphaLoader", "AlphaSave"],
        {"title_aux": "Alpha Nodes", "nodename_pattern": "^Alpha"},
    ],
}
# In the order a refresh fetches them.
MANAGER_DOCS = {
    NODE_LIST: NODE_LIST_DOC,
    STATS: STATS_DOC,
    MODEL_LIST: MODEL_LIST_DOC,
    NODE_MAP: NODE_MAP_DOC,
}
# What the files above load as: ids in order, and the one entry that is skipped.
MANAGER_IDS = (
    "alice.comfyui-alpha",
    "bob.beta-nodes",
    "huggingface-co-carol-gamma-resolve-main-gamma-safetensors",
)
MANAGER_PROBLEM = (
    "custom-node-list.json: custom_nodes[2].reference: must not contain spaces or control"
    " characters; skipped"
)


def registry_node(i: int) -> dict[str, Any]:
    """A Comfy Registry ``Node`` as ``/nodes`` returns it."""
    return {
        "id": f"reg-pack-{i}",
        "name": f"Registry Pack {i}",
        "description": f"Registry thing {i}.",
        "publisher": {"id": f"pub{i}", "name": f"Publisher {i}"},
        "repository": f"https://github.com/pub{i}/registry-pack-{i}",
        "github_stars": i,
        "latest_version": {"version": "1.0.0", "createdAt": "2025-01-02T03:04:05Z"},
    }


REGISTRY_IDS = ("pub0.registry-pack-0", "pub1.registry-pack-1")


def etag_of(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:16]}"'


class Gate:
    """Holds requests until the test opens it; usable from any thread and event loop."""

    def __init__(self) -> None:
        self.arrived: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._opened: concurrent.futures.Future[None] = concurrent.futures.Future()

    async def wait(self, timeout: float = 10.0) -> None:
        """Say that a request arrived, then wait until the gate opens (or ``timeout``)."""
        if not self.arrived.done():
            self.arrived.set_result(None)
        # A test that never opens the gate fails on its answers, not by hanging.
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.wrap_future(self._opened), timeout)

    def open(self) -> None:
        if not self._opened.done():
            self._opened.set_result(None)


class Upstream:
    """What the stand-in serves, what it was asked, and how it misbehaves."""

    def __init__(self) -> None:
        self.files = {name: json.dumps(doc).encode() for name, doc in MANAGER_DOCS.items()}
        self.broken: dict[str, str] = {}  # file name -> "fail" (HTTP 500) | "garbage"
        self.nodes: list[Any] = [registry_node(i) for i in range(len(REGISTRY_IDS))]
        self.requests: list[tuple[str, str]] = []  # (path, the If-None-Match sent or "")
        self.gate: Gate | None = None  # when set, every request waits for it

    async def manager_file(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        mode = self.broken.get(name)
        if mode == "fail":
            return web.Response(status=500, text="internal error")
        if name not in self.files:
            raise web.HTTPNotFound()
        body = b"<html>maintenance</html>" if mode == "garbage" else self.files[name]
        etag = etag_of(body)
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=body, headers={"ETag": etag}, content_type="application/json")

    async def registry_nodes(self, request: web.Request) -> web.StreamResponse:
        if self.broken.get("nodes") == "fail":
            return web.Response(status=500, text="internal error")
        return web.json_response({"nodes": self.nodes, "totalPages": 1})

    async def link(self, request: web.Request) -> web.StreamResponse:
        status = request.match_info["status"]
        if status == "moved":
            raise web.HTTPMovedPermanently("/links/200")
        return web.Response(status=int(status), text=status)

    def app(self) -> web.Application:
        @web.middleware
        async def record(request: web.Request, handler: Any) -> web.StreamResponse:
            self.requests.append((request.path, request.headers.get("If-None-Match", "")))
            if self.gate is not None:
                await self.gate.wait()
            response: web.StreamResponse = await handler(request)
            return response

        app = web.Application(middlewares=[record])
        app.router.add_get("/nodes", self.registry_nodes)
        app.router.add_get("/links/{status}", self.link)
        app.router.add_get("/{name:[a-z-]+\\.json}", self.manager_file)
        return app
