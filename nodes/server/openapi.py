"""The OpenAPI 3.0 description of ``/awesome/v1/``: its paths, over the parts of
:mod:`.openapi_schemas`."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ..app.service import MAX_PROVIDERS
from ..core.constants import MAX_LINK_CHECK, MAX_NODE_TYPES_ASKED
from ..core.validate import MAX_NODE_TYPE
from .openapi_schemas import (
    ID,
    WRITE_ERRORS,
    errors,
    id_param,
    json_body,
    name_param,
    object_with,
    query_params,
    ref,
    required_body,
    schemas,
    text_pattern,
)
from .table import PREFIX

VERSION = "1.0.0"


# Routes that change something without reading a body still need Content-Type:
# application/json, so that no page on another site can send them without a preflight.
_NO_BODY = required_body(
    {"description": "not read: any JSON, or nothing at all with the same Content-Type"}
)


_NODE_TYPES_ASKED = {
    "type": "object",
    "required": ["types"],
    "properties": {
        "types": {
            "type": "array",
            "items": {"type": "string", "pattern": text_pattern(MAX_NODE_TYPE)},
            "maxItems": MAX_NODE_TYPES_ASKED,
            "description": "node class names, as a workflow's nodes give them",
        }
    },
}
_NODE_TYPES_ANSWER = {
    "type": "object",
    "required": ["types", "unmatched"],
    "properties": {
        "types": {
            "type": "array",
            "description": "one per distinct type asked about, in the order asked",
            "items": {
                "type": "object",
                "required": ["type", "providers"],
                "properties": {
                    "type": {"type": "string"},
                    "providers": {
                        "type": "array",
                        "items": ref("Resource"),
                        "maxItems": MAX_PROVIDERS,
                    },
                },
            },
        },
        "unmatched": {"type": "integer", "minimum": 0},
    },
}


def _paths() -> dict[str, Any]:
    resource = json_body(ref("Resource"), "the resource")
    favorites = json_body(ref("Favorites"), "the favourite ids")
    entry = required_body(ref("ResourceInput"))
    problems = {"type": "array", "items": ref("Problem")}
    return {
        "/resources": {
            "get": {
                "summary": "Search, filter, sort and page the catalogue",
                "parameters": query_params(),
                "responses": {
                    "200": json_body(ref("SearchResult"), "one page of results"),
                    "304": {"description": "unchanged since the ETag sent"},
                    **errors(400),
                },
            }
        },
        "/resources/{id}": {
            "get": {
                "summary": "One resource",
                "parameters": [id_param()],
                "responses": {"200": resource, **errors(400, 404)},
            }
        },
        "/node-types": {
            "post": {
                "summary": "The node packs that provide each node class",
                "description": (
                    "Each type's providers list it in exactly this spelling (else, when none "
                    "does, in another letter case): installed packs first, then the most "
                    f"starred, {MAX_PROVIDERS} at most. `unmatched` counts the types no pack "
                    "provides."
                ),
                "requestBody": required_body(_NODE_TYPES_ASKED),
                "responses": {
                    "200": json_body(_NODE_TYPES_ANSWER, "the providers of each type"),
                    **errors(400, 413, 415),
                },
            }
        },
        "/categories": {
            "get": {
                "summary": "Categories with resource counts",
                "responses": {"200": object_with("categories", description="the categories")},
            }
        },
        "/sources": {
            "get": {
                "summary": "Each source's status and the problems found",
                "description": (
                    "`states` gives each optional source's state (`off`, `on`, `missing`: "
                    "nothing to read yet, `failed`: `detail` says why) and how many entries "
                    "of its data were `skipped`. `problems` are those the user can fix "
                    "(settings, their own entries, the curated list); `upstream_problems` "
                    "those in other sources' data."
                ),
                "responses": {
                    "200": object_with(
                        "sources",
                        "states",
                        "problems",
                        "upstream_problems",
                        description="the sources",
                    )
                },
            }
        },
        "/sources/{name}": {
            "put": {
                "summary": "Switch an optional source on or off, or set its folder or URL",
                "parameters": [name_param()],
                "requestBody": required_body(ref("SourceSetting")),
                "responses": {
                    "200": object_with("settings", description="the settings now in force"),
                    **errors(400, 404, 413, 415, *WRITE_ERRORS),
                },
            }
        },
        "/sources/{name}/refresh": {
            "post": {
                "summary": "Download an optional source now; the last good copy is kept on failure",
                "parameters": [name_param()],
                "requestBody": _NO_BODY,
                "responses": {
                    "200": object_with(
                        "name", "ok", "outcomes", description="what the refresh did"
                    ),
                    **errors(404, 409, 415),
                },
            }
        },
        "/links/check": {
            "post": {
                "summary": "Check the links of catalogue resources (private addresses refused)",
                "requestBody": required_body(
                    {
                        "type": "object",
                        "required": ["ids"],
                        "properties": {
                            "ids": {
                                "type": "array",
                                "items": ID,
                                "minItems": 1,
                                "maxItems": MAX_LINK_CHECK,
                            }
                        },
                    }
                ),
                "responses": {
                    "200": object_with("links", description="a status for each resource"),
                    **errors(400, 409, 413, 415, *WRITE_ERRORS),
                },
            }
        },
        "/links": {
            "get": {
                "summary": "Every cached link status, by URL",
                "responses": {"200": object_with("links", description="the statuses")},
            }
        },
        "/validate": {
            "post": {
                "summary": "Check a candidate resource with the catalogue's rules",
                # Any JSON value is a candidate: what is wrong with it is the answer, not an error.
                "requestBody": required_body({"anyOf": [ref("ResourceInput"), {}]}),
                "responses": {
                    "200": json_body(
                        {
                            "type": "object",
                            "required": ["ok", "problems"],
                            "properties": {"ok": {"type": "boolean"}, "problems": problems},
                        },
                        "the problems, if any",
                    ),
                    **errors(400, 413, 415),
                },
            }
        },
        "/user/resources": {
            "get": {
                "summary": "The user's own entries",
                "responses": {"200": object_with("items", description="the entries")},
            },
            "post": {
                "summary": "Add an entry",
                "requestBody": entry,
                "responses": {"201": resource, **errors(400, 409, 413, 415, *WRITE_ERRORS)},
            },
        },
        "/user/resources/{id}": {
            "put": {
                "summary": "Replace an entry",
                "parameters": [id_param()],
                "requestBody": required_body(ref("ResourceUpdate")),
                "responses": {"200": resource, **errors(400, 404, 409, 413, 415, *WRITE_ERRORS)},
            },
            "delete": {
                "summary": "Delete an entry",
                "parameters": [id_param()],
                "requestBody": _NO_BODY,
                "responses": {
                    "204": {"description": "deleted"},
                    **errors(400, 404, 415, *WRITE_ERRORS),
                },
            },
        },
        "/user/favorites": {
            "get": {"summary": "The favourite ids", "responses": {"200": favorites}},
            "put": {
                "summary": "Replace the favourite ids",
                "requestBody": required_body(ref("Favorites")),
                "responses": {"200": favorites, **errors(400, 413, 415, *WRITE_ERRORS)},
            },
        },
        "/user/favorites/{id}": {
            "put": {
                "summary": "Star a resource",
                "parameters": [id_param()],
                "requestBody": _NO_BODY,
                "responses": {"200": favorites, **errors(400, 415, *WRITE_ERRORS)},
            },
            "delete": {
                "summary": "Unstar a resource",
                "parameters": [id_param()],
                "requestBody": _NO_BODY,
                "responses": {"200": favorites, **errors(400, 415, *WRITE_ERRORS)},
            },
        },
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "responses": {"200": {"description": "the OpenAPI document"}},
            }
        },
    }


def openapi_document(categories: Collection[str] | None = None) -> dict[str, Any]:
    """The API description served at ``/awesome/v1/openapi.json``.

    ``categories`` are the ids a user's entry may name in the catalogue being served;
    without them the document describes any well-formed id.
    """
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Awesome ComfyUI Beyond",
            "version": VERSION,
            "description": "Browse and search the catalogue of ComfyUI resources.",
        },
        "paths": {PREFIX + path: item for path, item in _paths().items()},
        "components": {"schemas": schemas(categories)},
    }
