"""The route table, registered inside ComfyUI without importing the rest of the pack.

ComfyUI imports every pack before it serves a page, so what runs at import is kept to
this table: each handler here loads :mod:`.routes` (and with it the catalogue code) on
the first request. The pack's import then adds well under a millisecond for its API.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from .log import logger

PREFIX = "/awesome/v1"
# (method, path under PREFIX, handler name in routes.build_handlers)
ROUTE_TABLE: tuple[tuple[str, str, str], ...] = (
    ("GET", "/resources", "search_resources"),
    ("GET", "/resources/{id}", "get_resource"),
    ("GET", "/categories", "categories"),
    ("GET", "/sources", "sources"),
    ("PUT", "/sources/{name}", "update_source"),
    ("POST", "/sources/{name}/refresh", "refresh_source"),
    ("POST", "/links/check", "check_links_route"),
    ("GET", "/links", "links"),
    ("POST", "/validate", "validate"),
    ("GET", "/user/resources", "list_user_resources"),
    ("POST", "/user/resources", "add_user_resource"),
    ("PUT", "/user/resources/{id}", "update_user_resource"),
    ("DELETE", "/user/resources/{id}", "delete_user_resource"),
    ("GET", "/user/favorites", "get_favorites"),
    ("PUT", "/user/favorites", "put_favorites"),
    ("PUT", "/user/favorites/{id}", "star"),
    ("DELETE", "/user/favorites/{id}", "unstar"),
    ("GET", "/openapi.json", "openapi"),
)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def register(routes: web.RouteTableDef, handler_for: Callable[[str], Handler]) -> None:
    """Add every route of :data:`ROUTE_TABLE` to ``routes``."""
    for method, path, name in ROUTE_TABLE:
        routes.route(method, PREFIX + path)(handler_for(name))


def _on_first_use(name: str) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        from .routes import default_handlers  # noqa: PLC0415 - loaded on the first request

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
