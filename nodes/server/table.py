"""The route table of ``/awesome/v1/``: every method, path and handler name in one place.

It imports nothing of the pack, so ComfyUI can register the routes at start-up while the
handlers (and with them the catalogue code) load on the first request; see
:mod:`..comfy.register`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

PREFIX = "/awesome/v1"
# (method, path under PREFIX, handler name in handlers.build_handlers)
ROUTE_TABLE: tuple[tuple[str, str, str], ...] = (
    ("GET", "/resources", "search_resources"),
    ("GET", "/resources/{id}", "get_resource"),
    ("POST", "/node-types", "node_types"),
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
# Methods that only read. Every other route may change something, so it obeys only requests
# that a browser could not have sent from another site without asking first (a preflight).
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def changes_state(method: str) -> bool:
    """Whether a route of this method may change anything (and so accepts only JSON)."""
    return method.upper() not in READ_ONLY_METHODS


def register(routes: web.RouteTableDef, handler_for: Callable[[str], Handler]) -> None:
    """Add every route of :data:`ROUTE_TABLE` to ``routes``."""
    for method, path, name in ROUTE_TABLE:
        routes.route(method, PREFIX + path)(handler_for(name))
