"""The route table and the handlers agree: every route has its handler, and no handler is
left without a route. ComfyUI registers the table at start-up and looks the handler up by
name on the first request, so a name missing on either side would only fail then."""

from __future__ import annotations

from collections import Counter

from nodes.app.pack import Pack
from nodes.server.handlers import build_handlers
from nodes.server.table import ROUTE_TABLE


def no_pack() -> Pack:
    raise AssertionError("building the handlers must not load the pack")


def test_the_handlers_are_exactly_the_routes_names() -> None:
    handlers = build_handlers(no_pack)
    names = Counter(name for _, _, name in ROUTE_TABLE)
    assert set(handlers) == set(names)
    assert [name for name, count in names.items() if count > 1] == []


def test_each_route_is_one_method_on_one_path() -> None:
    routes = Counter((method, path) for method, path, _ in ROUTE_TABLE)
    assert [route for route, count in routes.items() if count > 1] == []
