"""Registration inside a running ComfyUI: the route table now, the handlers on first use.

ComfyUI imports every pack before it serves a page, so what runs at import is the table
alone; each route loads :mod:`..server.handlers` (and with it the catalogue code) on the
first request. The pack's import then adds well under a millisecond for its API.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..core.log import logger
from ..server.table import Handler, register


def _on_first_use(name: str) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        from ..server.handlers import default_handlers  # noqa: PLC0415 - on first request

        return await default_handlers()[name](request)

    handler.__name__ = name
    return handler


def register_with_comfyui() -> bool:
    """Add the routes to a running ComfyUI; a no-op (returning False) anywhere else."""
    try:
        from server import PromptServer  # noqa: PLC0415 - ComfyUI's module, only inside it
    except ImportError:
        return False
    instance: Any = getattr(PromptServer, "instance", None)
    if instance is None:
        logger.warning("ComfyUI's server is not running yet; the sidebar's API is unavailable")
        return False
    register(instance.routes, _on_first_use)
    return True
