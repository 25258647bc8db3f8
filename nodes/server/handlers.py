"""The HTTP API under ``/awesome/v1/``: each handler parses its request, calls the app layer's
service and answers JSON.

Handlers never block ComfyUI's event loop: loading, searching and writing run in the
default executor. Bad input is answered with a 4xx and a message; only a bug in this
pack can produce a 500, and even then without a traceback (see :mod:`.responses`).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from aiohttp import web

from ..app import service, suggest
from ..app.actions import MAX_LINK_CHECK, check_resource_links, link_statuses, refresh
from ..app.pack import Pack, get_pack
from ..app.settings import OPTIONAL_SOURCES
from ..app.translate import english_query
from ..core.catalog import Catalog
from ..core.excerpt import excerpt
from ..core.query import QUERY_PARAMS, parse_flag, parse_query
from ..core.validate import ID_RE
from ..sources.userdata import entry_categories
from .openapi import openapi_document
from .responses import (
    RequestError,
    compressed,
    dumps,
    guarded,
    in_thread,
    json_response,
    read_json,
)
from .table import Handler, register

# Search parameters given once at most (``tag`` repeats), with the flags of the marks.
_MARK_FLAGS = ("favorites", "installed", "disabled")
_SCALAR_PARAMS = frozenset(QUERY_PARAMS) - {"tag"} | frozenset(_MARK_FLAGS)


def _scalar_params(request: web.Request) -> dict[str, str]:
    query = request.rel_url.query
    params: dict[str, str] = {}
    for key in query:
        if key == "tag":
            continue
        values = query.getall(key)
        if key in _SCALAR_PARAMS and len(values) > 1:
            raise RequestError(400, "is given more than once", key)
        params[key] = values[0]
    return params


def _resource_id(request: web.Request) -> str:
    resource_id = request.match_info["id"]
    if not ID_RE.fullmatch(resource_id):
        raise RequestError(400, f"{excerpt(resource_id)} is not a valid resource id", "id")
    return resource_id


def _source_name(request: web.Request) -> str:
    name = request.match_info["name"]
    if name not in OPTIONAL_SOURCES:
        raise RequestError(
            404,
            f"no optional source {excerpt(name)}; use one of: {', '.join(OPTIONAL_SOURCES)}",
            "name",
        )
    return name


def add_routes(routes: web.RouteTableDef, pack: Callable[[], Pack] = get_pack) -> None:
    """Register every endpoint on ``routes``, serving the pack that ``pack()`` returns."""
    register(routes, build_handlers(pack).__getitem__)


@functools.cache
def default_handlers() -> dict[str, Handler]:
    """The handlers ComfyUI's routes call, built once, for the process-wide pack."""
    return build_handlers(get_pack)


def build_handlers(  # noqa: PLR0915 - one short closure per endpoint
    pack: Callable[[], Pack],
) -> dict[str, Handler]:
    """One handler per entry of :data:`ROUTE_TABLE`, by name."""

    @guarded
    async def search_resources(request: web.Request) -> web.StreamResponse:
        params = _scalar_params(request)
        favorites_only, installed_only, disabled_only = (parse_flag(params, f) for f in _MARK_FLAGS)
        for flag in _MARK_FLAGS:
            params.pop(flag, None)
        query = parse_query(params, tags=request.rel_url.query.getall("tag", []))

        known = request.headers.get("If-None-Match", "")

        def run() -> tuple[dict[str, Any] | None, str, Catalog | None]:
            current = pack()
            catalog = current.catalog()
            marks = service.user_marks(current, catalog)
            # The ETag names the answer before it is computed: the catalogue's version, the
            # query as parsed (so spelling and order of parameters do not matter) and the
            # user's marks. A client that holds it gets a 304 without a search.
            state = [
                catalog.version,
                repr(query),
                favorites_only,
                installed_only,
                disabled_only,
                marks.favorites,
                sorted(marks.installed),
                sorted(marks.disabled),
                current.settings.to_dict(),  # an empty answer offers the sources that are off
            ]
            etag = f'W/"{hashlib.sha256(dumps(state).encode()).hexdigest()[:24]}"'
            if etag in known:
                return None, etag, None
            searched = replace(query, text=english_query(query.text))  # "视频" finds "video"
            page = service.search(
                catalog,
                searched,
                marks,
                favorites_only=favorites_only,
                installed_only=installed_only,
                disabled_only=disabled_only,
            )
            body = page.to_dict()
            if body["total"] == 0:
                marked = favorites_only or installed_only or disabled_only
                offers = suggest.more_sources(current, catalog, searched, marked)
                if offers:  # counted from files that change under the same catalogue: no ETag
                    body["more_sources"], etag = offers, ""
            return body, etag, catalog

        body, etag, catalog = await in_thread(run)
        if body is None or catalog is None:
            return web.Response(status=304, headers={"ETag": etag})
        # Build the typo table in the background once the answer is on its way, so that
        # the first longer word a user types does not wait for it; then keep the catalogue
        # and its index on disk for the next start (once per catalogue).
        asyncio.get_running_loop().run_in_executor(None, pack().prepare, catalog)
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if "more_sources" in body:  # and index what they would add, for the next empty answer
            headers = {"Cache-Control": "no-store"}
            asyncio.get_running_loop().run_in_executor(None, suggest.prepare, pack())
        return compressed(request, json_response(body, headers=headers))

    @guarded
    async def get_resource(request: web.Request) -> web.StreamResponse:
        resource_id = _resource_id(request)

        def run() -> dict[str, Any]:
            current = pack()
            catalog = current.catalog()
            marks = service.user_marks(current, catalog)
            return service.resource_details(catalog, resource_id, marks)

        return json_response(await in_thread(run))

    @guarded
    async def node_types(request: web.Request) -> web.StreamResponse:
        raw = await read_json(request)
        if not isinstance(raw, dict) or "types" not in raw:
            raise RequestError(400, 'send {"types": [node class names]}', "types")

        def run() -> dict[str, Any]:
            current = pack()
            catalog = current.catalog()
            marks = service.user_marks(current, catalog)
            return service.node_providers(catalog, raw["types"], marks, current.node_patterns())

        return compressed(request, json_response(await in_thread(run)))

    @guarded
    async def categories(request: web.Request) -> web.StreamResponse:
        found = await in_thread(lambda: service.categories(pack().catalog()))
        return json_response({"categories": found})

    @guarded
    async def sources(request: web.Request) -> web.StreamResponse:
        return json_response(await in_thread(lambda: service.sources_report(pack())))

    @guarded
    async def update_source(request: web.Request) -> web.StreamResponse:
        name = _source_name(request)
        raw = await read_json(request)
        settings = await in_thread(lambda: pack().update_source(name, raw))
        return json_response({"settings": settings.to_dict()})

    refresh_locks = {name: asyncio.Lock() for name in OPTIONAL_SOURCES}

    @guarded
    async def refresh_source(request: web.Request) -> web.StreamResponse:
        name = _source_name(request)
        lock = refresh_locks[name]
        if lock.locked():
            raise RequestError(409, f"a refresh of {name} is already running", "name")
        async with lock:
            outcomes = await refresh(pack(), name)
        ok = all(o["state"] != "failed" for o in outcomes)
        return json_response({"name": name, "ok": ok, "outcomes": outcomes})

    check_lock = asyncio.Lock()

    @guarded
    async def check_links_route(request: web.Request) -> web.StreamResponse:
        raw = await read_json(request)
        ids = raw.get("ids") if isinstance(raw, dict) else None
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            raise RequestError(400, 'send {"ids": [resource ids]} with at least one id', "ids")
        if len(ids) > MAX_LINK_CHECK:
            raise RequestError(400, f"at most {MAX_LINK_CHECK} resources per check", "ids")
        bad = [i for i in ids if not ID_RE.fullmatch(i)]
        if bad:
            raise RequestError(400, f"{excerpt(bad[0])} is not a valid resource id", "ids")
        if check_lock.locked():
            raise RequestError(409, "a link check is already running; try again when it ends")
        async with check_lock:
            results = await check_resource_links(pack(), ids)
        return json_response({"links": results})

    @guarded
    async def links(request: web.Request) -> web.StreamResponse:
        return json_response({"links": await in_thread(lambda: link_statuses(pack()))})

    @guarded
    async def validate(request: web.Request) -> web.StreamResponse:
        raw = await read_json(request)
        return json_response(await in_thread(lambda: service.check_entry(pack().catalog(), raw)))

    @guarded
    async def list_user_resources(request: web.Request) -> web.StreamResponse:
        entries = await in_thread(pack().user.entries)
        return json_response({"items": [r.to_dict() for r in entries]})

    @guarded
    async def add_user_resource(request: web.Request) -> web.StreamResponse:
        raw = await read_json(request)

        def run() -> dict[str, Any]:
            current = pack()
            return current.user.add(raw, current.catalog()).to_dict()

        return json_response(await in_thread(run), status=201)

    @guarded
    async def update_user_resource(request: web.Request) -> web.StreamResponse:
        resource_id = _resource_id(request)
        raw = await read_json(request)

        def run() -> dict[str, Any]:
            current = pack()
            return current.user.update(resource_id, raw, current.catalog()).to_dict()

        return json_response(await in_thread(run))

    @guarded
    async def delete_user_resource(request: web.Request) -> web.StreamResponse:
        resource_id = _resource_id(request)
        await in_thread(lambda: pack().user.delete(resource_id))
        return web.Response(status=204)

    @guarded
    async def get_favorites(request: web.Request) -> web.StreamResponse:
        return json_response({"ids": await in_thread(pack().user.favorites)})

    @guarded
    async def put_favorites(request: web.Request) -> web.StreamResponse:
        raw = await read_json(request)
        if not isinstance(raw, dict) or "ids" not in raw:
            raise RequestError(400, 'send {"ids": [resource ids]}', "ids")
        ids = await in_thread(pack().user.set_favorites, raw["ids"])
        return json_response({"ids": ids})

    @guarded
    async def star(request: web.Request) -> web.StreamResponse:
        resource_id = _resource_id(request)
        ids = await in_thread(lambda: pack().user.toggle_favorite(resource_id, on=True))
        return json_response({"ids": ids})

    @guarded
    async def unstar(request: web.Request) -> web.StreamResponse:
        resource_id = _resource_id(request)
        ids = await in_thread(lambda: pack().user.toggle_favorite(resource_id, on=False))
        return json_response({"ids": ids})

    @guarded
    async def openapi(request: web.Request) -> web.StreamResponse:
        # The categories a user's entry may name are the catalogue's: the document says which.
        known = await in_thread(lambda: sorted(entry_categories(pack().catalog())))
        return json_response(openapi_document(known))

    return {
        "search_resources": search_resources,
        "get_resource": get_resource,
        "node_types": node_types,
        "categories": categories,
        "sources": sources,
        "update_source": update_source,
        "refresh_source": refresh_source,
        "check_links_route": check_links_route,
        "links": links,
        "validate": validate,
        "list_user_resources": list_user_resources,
        "add_user_resource": add_user_resource,
        "update_user_resource": update_user_resource,
        "delete_user_resource": delete_user_resource,
        "get_favorites": get_favorites,
        "put_favorites": put_favorites,
        "star": star,
        "unstar": unstar,
        "openapi": openapi,
    }
