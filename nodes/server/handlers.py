"""The HTTP API under ``/awesome/v1/``: JSON in and out, every input bounded and checked.

Handlers never block ComfyUI's event loop: loading, searching and writing run in the
default executor. Bad input is answered with a 4xx and a message; only a bug in this
pack can produce a 500, and even then without a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from aiohttp import web

from ..app.actions import MAX_LINK_CHECK, check_resource_links, link_statuses, refresh
from ..app.pack import Pack, get_pack
from ..app.settings import OPTIONAL_SOURCES, SettingsError
from ..core.log import logger
from ..core.model import Problem
from ..core.query import QueryError, SearchIndex, parse_query
from ..core.validate import ID_RE, Location, parse_resource
from ..sources.userdata import UserDataError
from .openapi import openapi_document
from .table import Handler, register

MAX_BODY_BYTES = 64 * 1024
_SCALAR_PARAMS = (
    "q",
    "category",
    "kind",
    "source",
    "sort",
    "offset",
    "limit",
    "facets",
    "favorites",
    "installed",
)
T = TypeVar("T")


class RequestError(Exception):
    """Bad input in a request; becomes a JSON error response with ``status``."""

    def __init__(
        self,
        status: int,
        message: str,
        param: str | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.problems = problems or []


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.json_response(data, status=status, headers=headers, dumps=_dumps)


def error_response(error: RequestError) -> web.Response:
    body: dict[str, Any] = {"status": error.status, "message": error.message}
    if error.param is not None:
        body["param"] = error.param
    if error.problems:
        body["problems"] = [p.to_dict() for p in error.problems]
    return json_response({"error": body}, status=error.status)


def guarded(handler: Handler) -> Handler:
    """Turn every failure into a JSON answer; log real bugs, never show a traceback."""

    @functools.wraps(handler)
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except RequestError as exc:
            return error_response(exc)
        except QueryError as exc:
            return error_response(RequestError(400, exc.message, exc.param))
        except UserDataError as exc:
            return error_response(RequestError(exc.status, exc.message, problems=exc.problems))
        except Exception:  # noqa: BLE001 - a bug answers JSON, never a traceback
            logger.exception("%s %s failed", request.method, request.path)
            return error_response(
                RequestError(
                    500, "internal error in Awesome ComfyUI Beyond; the ComfyUI log has the details"
                )
            )

    return wrapped


async def in_thread(fn: Callable[..., T], *args: Any) -> T:
    """Run blocking work (disk, index building, search) off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(fn, *args))


async def read_json(request: web.Request) -> Any:
    if request.content_type != "application/json":
        raise RequestError(415, "send the body as JSON with Content-Type: application/json")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise RequestError(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    # One read returns only what has arrived so far: keep reading to the end of the body.
    raw = bytearray()
    while chunk := await request.content.read(MAX_BODY_BYTES + 1 - len(raw)):
        raw += chunk
        if len(raw) > MAX_BODY_BYTES:
            raise RequestError(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise RequestError(400, f"the body is not valid JSON: {exc}") from None


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
    if not ID_RE.match(resource_id):
        raise RequestError(400, f"{resource_id[:100]!r} is not a valid resource id", "id")
    return resource_id


def _source_name(request: web.Request) -> str:
    name = request.match_info["name"]
    if name not in OPTIONAL_SOURCES:
        raise RequestError(
            404,
            f"no optional source {name[:50]!r}; use one of: {', '.join(OPTIONAL_SOURCES)}",
            "name",
        )
    return name


def _flag(params: dict[str, str], name: str) -> bool:
    value = params.pop(name, "0")
    if value not in ("0", "1", "true", "false"):
        raise RequestError(400, "must be 0 or 1", name)
    return value in ("1", "true")


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
        favorites_only = _flag(params, "favorites")
        installed_only = _flag(params, "installed")
        tags = request.rel_url.query.getall("tag", [])
        query = parse_query(params, tags=tags)  # validates before any work is done

        def run() -> tuple[dict[str, Any], str, SearchIndex]:
            current = pack()
            catalog = current.catalog()
            favorites = current.user.favorites()
            installed = current.installed_ids(catalog)
            chosen = query
            if favorites_only or installed_only:
                allowed = set(favorites) if favorites_only else set(installed)
                chosen = replace(
                    query, ids=frozenset(allowed & installed if installed_only else allowed)
                )
            result = catalog.index.search(chosen).to_dict()
            starred = set(favorites)
            for item in result["items"]:
                item["favorite"] = item["id"] in starred
                item["installed"] = item["id"] in installed
            state = _dumps([catalog.version, request.query_string, favorites, sorted(installed)])
            tag = hashlib.sha256(state.encode())
            return result, f'W/"{tag.hexdigest()[:24]}"', catalog.index

        body, etag, index = await in_thread(run)
        # Build the typo table in the background once the answer is on its way, so that
        # the first longer word a user types does not wait for it.
        asyncio.get_running_loop().run_in_executor(None, index.prepare_typos)
        if etag in request.headers.get("If-None-Match", ""):
            return web.Response(status=304, headers={"ETag": etag})
        return json_response(body, headers={"ETag": etag, "Cache-Control": "no-cache"})

    @guarded
    async def get_resource(request: web.Request) -> web.StreamResponse:
        resource_id = _resource_id(request)

        def run() -> dict[str, Any] | None:
            current = pack()
            resource = current.catalog().get(resource_id)
            if resource is None:
                return None
            return {
                **resource.to_dict(),
                "favorite": resource_id in current.user.favorites(),
                "installed": resource_id in current.installed_ids(current.catalog()),
            }

        found = await in_thread(run)
        if found is None:
            raise RequestError(404, f"no resource with id {resource_id!r}", "id")
        return json_response(found)

    @guarded
    async def categories(request: web.Request) -> web.StreamResponse:
        def run() -> list[dict[str, Any]]:
            catalog = pack().catalog()
            counts = catalog.index.search(parse_query({"limit": "1"})).facets["category"]
            return [{**c.to_dict(), "count": counts.get(c.id, 0)} for c in catalog.categories]

        return json_response({"categories": await in_thread(run)})

    @guarded
    async def sources(request: web.Request) -> web.StreamResponse:
        def run() -> dict[str, Any]:
            current = pack()
            catalog = current.catalog()
            problems = [*current.settings_problems, *catalog.problems]
            return {
                "version": catalog.version,
                "resources": len(catalog.resources),
                "sources": [s.to_dict() for s in catalog.sources],
                "settings": current.settings.to_dict(),
                "refresh": {name: current.refresh_target(name) for name in OPTIONAL_SOURCES},
                "problems": [p.to_dict() for p in problems[:200]],
                "problem_count": len(problems),
            }

        return json_response(await in_thread(run))

    @guarded
    async def update_source(request: web.Request) -> web.StreamResponse:
        name = _source_name(request)
        raw = await read_json(request)

        def run() -> dict[str, Any]:
            try:
                return pack().update_source(name, raw).to_dict()
            except SettingsError as exc:
                raise RequestError(400, str(exc), name) from None

        return json_response({"settings": await in_thread(run)})

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
        if check_lock.locked():
            raise RequestError(409, "a link check is already running; try again when it ends")
        async with check_lock:
            try:
                results = await check_resource_links(pack(), ids)
            except KeyError as exc:
                raise RequestError(400, f"no resource with id {exc.args[0]!r}", "ids") from None
        return json_response({"links": results})

    @guarded
    async def links(request: web.Request) -> web.StreamResponse:
        return json_response({"links": await in_thread(lambda: link_statuses(pack()))})

    @guarded
    async def validate(request: web.Request) -> web.StreamResponse:
        raw = await read_json(request)

        def run() -> dict[str, Any]:
            known = {c.id for c in pack().catalog().categories} | {"mine"}
            resource, problems = parse_resource(raw, Location("request"), categories=known)
            return {"ok": resource is not None, "problems": [p.to_dict() for p in problems]}

        return json_response(await in_thread(run))

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
        return json_response(openapi_document())

    return {
        "search_resources": search_resources,
        "get_resource": get_resource,
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
