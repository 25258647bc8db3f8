"""The OpenAPI 3.0 description of ``/awesome/v1/``, built from the constants the code checks."""

from __future__ import annotations

from typing import Any

from ..app.settings import OPTIONAL_SOURCES
from ..core.constants import (
    DEFAULT_LIMIT,
    KINDS,
    MAX_FILTER_TAGS,
    MAX_LIMIT,
    MAX_LINK_CHECK,
    MAX_OFFSET,
    MAX_TEXT,
    SORTS,
)
from ..core.validate import FIELDS, MAX_AUTHOR, MAX_DESCRIPTION, MAX_LICENSE, MAX_NAME, MAX_TAGS

VERSION = "1.0.0"
_ID = {"type": "string", "pattern": r"^[a-z0-9](?:[a-z0-9._-]{0,78}[a-z0-9])?$"}
_TAG = {"type": "string", "pattern": r"^[a-z0-9][a-z0-9+._-]{0,31}$"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    words = {
        400: "bad input",
        404: "not found",
        409: "conflicts with current state",
        413: "body too large",
        415: "body is not JSON",
    }
    return {str(s): _json(_ref("Error"), words[s]) for s in statuses}


def _name_param() -> dict[str, Any]:
    return {
        "name": "name",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": list(OPTIONAL_SOURCES)},
    }


def _id_param() -> dict[str, Any]:
    return {"name": "id", "in": "path", "required": True, "schema": _ID}


def _query_params() -> list[dict[str, Any]]:
    def param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "schema": schema,
            "description": description,
        }

    def optional(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
        # ``?kind=&sort=`` as an HTML form sends it: an empty value means "not given".
        return {
            **param(name, schema, f"{description}; empty means not given"),
            "allowEmptyValue": True,
        }

    return [
        optional(
            "q",
            {"type": "string", "maxLength": MAX_TEXT},
            "words to find in name, author, description and tags; an id, URL or owner/repo",
        ),
        optional("category", _ID, "only this category id"),
        optional("kind", {"type": "string", "enum": list(KINDS)}, "only this kind"),
        {
            **param(
                "tag",
                {"type": "array", "items": _TAG, "maxItems": MAX_FILTER_TAGS},
                "only resources with every given tag",
            ),
            "style": "form",
            "explode": True,
        },
        optional("source", _ID, "only resources from this source"),
        optional("sort", {"type": "string", "enum": list(SORTS), "default": "relevance"}, "order"),
        optional(
            "offset",
            {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
            "results to skip",
        ),
        optional(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
            "results to return",
        ),
        param(
            "facets",
            {"type": "string", "enum": ["0", "1", "true", "false"]},
            "whether to count facets",
        ),
        param(
            "favorites",
            {"type": "string", "enum": ["0", "1", "true", "false"]},
            "only the user's favourites",
        ),
        param(
            "installed",
            {"type": "string", "enum": ["0", "1", "true", "false"]},
            "only node packs installed in ComfyUI's custom_nodes",
        ),
    ]


def _schemas() -> dict[str, Any]:
    text = {"type": "string"}
    resource_props: dict[str, Any] = {
        "id": _ID,
        "name": {**text, "maxLength": MAX_NAME},
        "url": {**text, "format": "uri"},
        "category": _ID,
        "kind": {"type": "string", "enum": list(KINDS)},
        "description": {**text, "maxLength": MAX_DESCRIPTION},
        "tags": {"type": "array", "items": _TAG, "maxItems": MAX_TAGS},
        "author": {**text, "maxLength": MAX_AUTHOR},
        "license": {**text, "maxLength": MAX_LICENSE},
        "install_url": text,
        "stars": {"type": "integer", "minimum": 0, "nullable": True},
        "updated": text,
        "source": text,
    }
    resource_props["favorite"] = {"type": "boolean"}
    resource_props["installed"] = {"type": "boolean"}
    problem = {
        "type": "object",
        "required": ["file", "line", "field", "message"],
        "properties": {
            "file": text,
            "line": {"type": "integer", "nullable": True},
            "field": text,
            "message": text,
        },
    }
    return {
        "Resource": {
            "type": "object",
            "required": [*FIELDS[:5], "source"],
            "properties": resource_props,
        },
        "ResourceInput": {
            "type": "object",
            "description": "a resource as a user writes it; id and category may be left out",
            "required": ["name", "url", "kind"],
            "properties": {k: v for k, v in resource_props.items() if k in FIELDS},
        },
        "Problem": problem,
        "SourceSetting": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "enabled": {"type": "boolean"},
                "folder": {"type": "string", "maxLength": 1024},
                "url": {"type": "string"},
            },
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["status", "message"],
                    "properties": {
                        "status": {"type": "integer"},
                        "message": text,
                        "param": text,
                        "problems": {"type": "array", "items": _ref("Problem")},
                    },
                }
            },
        },
        "SearchResult": {
            "type": "object",
            "required": ["total", "offset", "limit", "items", "facets"],
            "properties": {
                "total": {"type": "integer", "minimum": 0},
                "offset": {"type": "integer", "minimum": 0},
                "limit": {"type": "integer", "minimum": 1},
                "items": {"type": "array", "items": _ref("Resource")},
                "facets": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "object",
                        "additionalProperties": {"type": "integer"},
                    },
                },
            },
        },
        "Favorites": {
            "type": "object",
            "required": ["ids"],
            "properties": {"ids": {"type": "array", "items": _ID}},
        },
    }


def openapi_document() -> dict[str, Any]:
    """The API description served at ``/awesome/v1/openapi.json``."""
    resource = _json(_ref("Resource"), "the resource")
    favorites = _json(_ref("Favorites"), "the favourite ids")
    body = {"required": True, "content": {"application/json": {"schema": _ref("ResourceInput")}}}
    # Any JSON value is a candidate: what is wrong with it is the answer, not an error.
    candidate = {
        "required": True,
        "content": {"application/json": {"schema": {"anyOf": [_ref("ResourceInput"), {}]}}},
    }
    paths: dict[str, Any] = {
        "/awesome/v1/resources": {
            "get": {
                "summary": "Search, filter, sort and page the catalogue",
                "parameters": _query_params(),
                "responses": {
                    "200": _json(_ref("SearchResult"), "one page of results"),
                    "304": {"description": "unchanged since the ETag sent"},
                    **_errors(400),
                },
            }
        },
        "/awesome/v1/resources/{id}": {
            "get": {
                "summary": "One resource",
                "parameters": [_id_param()],
                "responses": {"200": resource, **_errors(400, 404)},
            }
        },
        "/awesome/v1/categories": {
            "get": {
                "summary": "Categories with resource counts",
                "responses": {
                    "200": _json({"type": "object", "required": ["categories"]}, "the categories")
                },
            }
        },
        "/awesome/v1/sources": {
            "get": {
                "summary": "Each source's status and the problems found",
                "responses": {
                    "200": _json(
                        {"type": "object", "required": ["sources", "problems"]}, "the sources"
                    )
                },
            }
        },
        "/awesome/v1/sources/{name}": {
            "put": {
                "summary": "Switch an optional source on or off, or set its folder or URL",
                "parameters": [_name_param()],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("SourceSetting")}},
                },
                "responses": {
                    "200": _json(
                        {"type": "object", "required": ["settings"]}, "the settings now in force"
                    ),
                    **_errors(400, 404, 413, 415),
                },
            }
        },
        "/awesome/v1/sources/{name}/refresh": {
            "post": {
                "summary": "Download an optional source now; the last good copy is kept on failure",
                "parameters": [_name_param()],
                "responses": {
                    "200": _json(
                        {"type": "object", "required": ["name", "ok", "outcomes"]},
                        "what the refresh did",
                    ),
                    **_errors(404, 409),
                },
            }
        },
        "/awesome/v1/links/check": {
            "post": {
                "summary": "Check the links of catalogue resources (private addresses refused)",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["ids"],
                                "properties": {
                                    "ids": {
                                        "type": "array",
                                        "items": _ID,
                                        "minItems": 1,
                                        "maxItems": MAX_LINK_CHECK,
                                    }
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": _json(
                        {"type": "object", "required": ["links"]}, "a status for each resource"
                    ),
                    **_errors(400, 409, 413, 415),
                },
            }
        },
        "/awesome/v1/links": {
            "get": {
                "summary": "Every cached link status, by URL",
                "responses": {
                    "200": _json({"type": "object", "required": ["links"]}, "the statuses")
                },
            }
        },
        "/awesome/v1/validate": {
            "post": {
                "summary": "Check a candidate resource with the catalogue's rules",
                "requestBody": candidate,
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["ok", "problems"],
                            "properties": {
                                "ok": {"type": "boolean"},
                                "problems": {"type": "array", "items": _ref("Problem")},
                            },
                        },
                        "the problems, if any",
                    ),
                    **_errors(400, 413, 415),
                },
            }
        },
        "/awesome/v1/user/resources": {
            "get": {
                "summary": "The user's own entries",
                "responses": {
                    "200": _json({"type": "object", "required": ["items"]}, "the entries")
                },
            },
            "post": {
                "summary": "Add an entry",
                "requestBody": body,
                "responses": {"201": resource, **_errors(400, 409, 413, 415)},
            },
        },
        "/awesome/v1/user/resources/{id}": {
            "put": {
                "summary": "Replace an entry",
                "parameters": [_id_param()],
                "requestBody": body,
                "responses": {"200": resource, **_errors(400, 404, 409, 413, 415)},
            },
            "delete": {
                "summary": "Delete an entry",
                "parameters": [_id_param()],
                "responses": {"204": {"description": "deleted"}, **_errors(400, 404)},
            },
        },
        "/awesome/v1/user/favorites": {
            "get": {"summary": "The favourite ids", "responses": {"200": favorites}},
            "put": {
                "summary": "Replace the favourite ids",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("Favorites")}},
                },
                "responses": {"200": favorites, **_errors(400, 413, 415)},
            },
        },
        "/awesome/v1/user/favorites/{id}": {
            "put": {
                "summary": "Star a resource",
                "parameters": [_id_param()],
                "responses": {"200": favorites, **_errors(400)},
            },
            "delete": {
                "summary": "Unstar a resource",
                "parameters": [_id_param()],
                "responses": {"200": favorites, **_errors(400)},
            },
        },
        "/awesome/v1/openapi.json": {
            "get": {
                "summary": "This document",
                "responses": {"200": {"description": "the OpenAPI document"}},
            }
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Awesome ComfyUI Beyond",
            "version": VERSION,
            "description": "Browse and search the catalogue of ComfyUI resources.",
        },
        "paths": paths,
        "components": {"schemas": _schemas()},
    }
