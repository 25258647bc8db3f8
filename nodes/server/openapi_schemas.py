"""The parts of the OpenAPI document: schemas, parameters and responses, built from the rules
the code checks (patterns, limits, kinds, sorts), so the document cannot drift from them."""

from __future__ import annotations

from typing import Any

from ..app.settings import MAX_PATH, OPTIONAL_SOURCES
from ..core.constants import (
    DEFAULT_LIMIT,
    KINDS,
    MAX_FILTER_TAGS,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_TEXT,
    SORTS,
)
from ..core.query import FLAG_VALUES
from ..core.validate import (
    FIELDS,
    ID_RE,
    MAX_AUTHOR,
    MAX_DESCRIPTION,
    MAX_LICENSE,
    MAX_NAME,
    MAX_TAGS,
    TAG_RE,
)

ID = {"type": "string", "pattern": ID_RE.pattern}
TAG = {"type": "string", "pattern": TAG_RE.pattern}
_TEXT = {"type": "string"}
_ERRORS = {
    400: "bad input",
    404: "not found",
    409: "conflicts with current state",
    413: "body too large",
    415: "body is not JSON",
}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: dict[str, Any], description: str) -> dict[str, Any]:
    """A response (or request body) holding JSON of ``schema``."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def required_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def errors(*statuses: int) -> dict[str, Any]:
    """The error responses of an operation, each an ``Error`` document."""
    return {str(s): json_body(ref("Error"), _ERRORS[s]) for s in statuses}


def object_with(*required: str, description: str) -> dict[str, Any]:
    """A JSON response of an object with these fields at least."""
    return json_body({"type": "object", "required": list(required)}, description)


def name_param() -> dict[str, Any]:
    return {
        "name": "name",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": list(OPTIONAL_SOURCES)},
    }


def id_param() -> dict[str, Any]:
    return {"name": "id", "in": "path", "required": True, "schema": ID}


def _param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _optional(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    # ``?kind=&sort=`` as an HTML form sends it: an empty value means "not given".
    return {
        **_param(name, schema, f"{description}; empty means not given"),
        "allowEmptyValue": True,
    }


def _flag(name: str, description: str) -> dict[str, Any]:
    return _param(name, {"type": "string", "enum": list(FLAG_VALUES)}, description)


def query_params() -> list[dict[str, Any]]:
    """The parameters of ``GET /resources``."""
    return [
        _optional(
            "q",
            {"type": "string", "maxLength": MAX_TEXT},
            "words to find in name, author, description and tags; an id, URL or owner/repo",
        ),
        _optional("category", ID, "only this category id"),
        _optional("kind", {"type": "string", "enum": list(KINDS)}, "only this kind"),
        {
            **_param(
                "tag",
                {"type": "array", "items": TAG, "maxItems": MAX_FILTER_TAGS},
                "only resources with every given tag",
            ),
            "style": "form",
            "explode": True,
        },
        _optional("source", ID, "only resources from this source"),
        _optional("sort", {"type": "string", "enum": list(SORTS), "default": "relevance"}, "order"),
        _optional(
            "offset",
            {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
            "results to skip",
        ),
        _optional(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
            "results to return",
        ),
        _flag("facets", "whether to count facets"),
        _flag("favorites", "only the user's favourites"),
        _flag("installed", "only node packs installed in ComfyUI's custom_nodes"),
    ]


def _resource_properties() -> dict[str, Any]:
    return {
        "id": ID,
        "name": {**_TEXT, "maxLength": MAX_NAME},
        "url": {**_TEXT, "format": "uri"},
        "category": ID,
        "kind": {"type": "string", "enum": list(KINDS)},
        "description": {**_TEXT, "maxLength": MAX_DESCRIPTION},
        "tags": {"type": "array", "items": TAG, "maxItems": MAX_TAGS},
        "author": {**_TEXT, "maxLength": MAX_AUTHOR},
        "license": {**_TEXT, "maxLength": MAX_LICENSE},
        "install_url": _TEXT,
        "stars": {"type": "integer", "minimum": 0, "nullable": True},
        "updated": _TEXT,
        "source": _TEXT,
        "favorite": {"type": "boolean"},
        "installed": {"type": "boolean"},
    }


def schemas() -> dict[str, Any]:
    """``components.schemas``: the documents the operations exchange."""
    resource_props = _resource_properties()
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
        "Problem": {
            "type": "object",
            "required": ["file", "line", "field", "message"],
            "properties": {
                "file": _TEXT,
                "line": {"type": "integer", "nullable": True},
                "field": _TEXT,
                "message": _TEXT,
            },
        },
        "SourceSetting": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "enabled": {"type": "boolean"},
                "folder": {"type": "string", "maxLength": MAX_PATH},
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
                        "message": _TEXT,
                        "param": _TEXT,
                        "problems": {"type": "array", "items": ref("Problem")},
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
                "items": {"type": "array", "items": ref("Resource")},
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
            "properties": {"ids": {"type": "array", "items": ID}},
        },
    }
