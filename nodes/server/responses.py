"""JSON in and out for the handlers: request bodies read within bounds, every failure a JSON
answer, and the one table that turns a domain error's kind into an HTTP status."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Callable, Collection
from typing import Any, TypeVar

import aiohttp
from aiohttp import web

from ..core.errors import DomainError, ErrorKind
from ..core.excerpt import excerpt, short
from ..core.log import logger
from ..core.model import Problem
from .table import Handler, changes_state

MAX_BODY_BYTES = 64 * 1024
COMPRESS_MIN_BYTES = 1024  # smaller answers are sent as they are
JSON_TYPE = "application/json"
NOT_JSON = f"send the request as JSON with Content-Type: {JSON_TYPE}"
# How each kind of domain error is answered.
STATUS_OF_KIND: dict[ErrorKind, int] = {
    ErrorKind.INVALID: 400,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.FULL: 409,
    # A write the disk refused changed nothing. 507 Insufficient Storage says so for a full
    # disk; any other refusal (read-only or unwritable folder) is 503: the request was fine
    # and works again once the folder does. Not 500, which says the server has a bug.
    ErrorKind.NO_SPACE: 507,
    ErrorKind.STORAGE: 503,
}
T = TypeVar("T")


class RequestError(Exception):
    """Bad input in a request; becomes a JSON error response with ``status``."""

    def __init__(
        self,
        status: int,
        message: str,
        param: str | None = None,
        problems: Collection[Problem] = (),
        existing: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.problems = list(problems)
        self.existing = existing

    @classmethod
    def of(cls, error: DomainError) -> RequestError:
        """The answer to a domain error: its message and details, the status of its kind."""
        status = STATUS_OF_KIND[error.kind]
        return cls(status, error.message, error.param, error.problems, error.existing)


class ClientGone(Exception):  # noqa: N818 - it is the client that is gone, not an error of ours
    """The client closed the connection before its request body ended."""


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.json_response(data, status=status, headers=headers, dumps=dumps)


def compressed(request: web.Request, response: web.Response) -> web.Response:
    """``response`` sent gzip-compressed when it is large and the client accepts gzip.

    A page of 100 results is some 50 KiB of JSON; gzip makes it about a quarter of that.
    """
    body = response.body
    size = len(body) if isinstance(body, bytes | bytearray) else 0
    if size >= COMPRESS_MIN_BYTES and "gzip" in request.headers.get("Accept-Encoding", ""):
        response.enable_compression(web.ContentCoding.gzip)
    return response


def error_response(error: RequestError) -> web.Response:
    body: dict[str, Any] = {"status": error.status, "message": error.message}
    if error.param is not None:
        body["param"] = error.param
    if error.problems:
        body["problems"] = [p.to_dict() for p in error.problems]
    if error.existing is not None:
        body["existing"] = error.existing
    return json_response({"error": body}, status=error.status)


def guarded(handler: Handler) -> Handler:
    """Turn every failure into a JSON answer; log real bugs, never show a traceback."""

    @functools.wraps(handler)
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            if changes_state(request.method) and request.content_type != JSON_TYPE:
                _log_refusal(request)
                raise RequestError(415, NOT_JSON)
            return await handler(request)
        except RequestError as exc:
            return error_response(exc)
        except ClientGone:
            # The client's doing, not a bug: one quiet line, no traceback. Nothing was changed,
            # and the answer goes nowhere.
            logger.info(
                "%s %s: the client went away before its request body ended",
                request.method,
                _path(request),
            )
            return error_response(RequestError(400, "the request body ended early"))
        except DomainError as exc:
            return error_response(RequestError.of(exc))
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


def _path(request: web.Request) -> str:
    """The path as sent (percent-encoded: no line breaks can reach the log), cut short."""
    return short(request.rel_url.raw_path, 200)


def _log_refusal(request: web.Request) -> None:
    """Say who was refused: a page on another site sends ``text/plain`` or a form."""
    logger.info(
        "refused %s %s: Content-Type %s is not %s (Origin %s)",
        request.method,
        _path(request),
        excerpt(request.headers.get("Content-Type", "")),
        JSON_TYPE,
        excerpt(request.headers.get("Origin", "")),
    )


async def read_json(request: web.Request) -> Any:
    if request.content_type != JSON_TYPE:
        raise RequestError(415, NOT_JSON)
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise RequestError(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    # One read returns only what has arrived so far: keep reading to the end of the body.
    raw = bytearray()
    try:
        while chunk := await request.content.read(MAX_BODY_BYTES + 1 - len(raw)):
            raw += chunk
            if len(raw) > MAX_BODY_BYTES:
                raise RequestError(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    except (ConnectionError, aiohttp.ClientPayloadError) as exc:
        raise ClientGone from exc
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise RequestError(400, f"the body is not valid JSON: {exc}") from None
