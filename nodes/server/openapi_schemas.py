"""The parts of the OpenAPI document: schemas, parameters and responses, built from the rules
the code checks (patterns, limits, kinds, sorts), so the document cannot drift from them.

The document is as strict as the validation: a request it describes is accepted (unless it
names something that does not exist or conflicts with what does), and one it rules out is
refused. Text fields are stripped before they are checked, so their patterns allow white
space around the text and count the length of what is inside.
"""

from __future__ import annotations

import re
from collections.abc import Collection
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
from ..core.urls import MAX_URL_LENGTH
from ..core.validate import (
    BIDI_CONTROLS,
    CONTROL,
    CONTROL_EXCEPT_NEWLINE,
    FIELDS,
    ID_RE,
    MAX_AUTHOR,
    MAX_DESCRIPTION,
    MAX_LICENSE,
    MAX_NAME,
    MAX_STARS,
    MAX_TAGS,
    MODEL_FILE_FIELDS,
    TAG_RE,
)
from ..sources.userdata import MAX_FAVORITES
from .openapi_search import search_result

# What Python's str.strip() removes (str.isspace), as a class of a regular expression.
WHITESPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_ID_CORE = ID_RE.pattern[1:-1]
_TAG_CORE = TAG_RE.pattern[1:-1]
ID = {"type": "string", "pattern": ID_RE.pattern}
TAG = {"type": "string", "pattern": TAG_RE.pattern}
_TEXT = {"type": "string"}
_ERRORS = {
    400: "bad input",
    404: "not found",
    409: "conflicts with current state",
    413: "body too large",
    415: "the request is not JSON: a request that changes something needs"
    " Content-Type: application/json",
    503: "the folder refused the write (read-only, no permission); nothing changed",
    507: "the disk is full; nothing changed",
}
# What a route that saves a file may answer besides its own errors.
WRITE_ERRORS = (503, 507)
# A plain http(s) URL (the URL rules' common case; IP addresses and other spellings the rules
# also take are not described), and the names only a local network knows, which links refuse.
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN_URL = (
    rf"[Hh][Tt][Tt][Pp][Ss]?://{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,63}}"
    r"(?:[/?#][^\x00-\x20\x7f-\x9f]*)?"
)
_LOCAL_NAMES = ("localhost", "local", "internal", "home.arpa")


def _any_case(word: str) -> str:
    """``word`` in any letter case, for regular expressions without flags."""
    return "".join(f"[{c.upper()}{c}]" if c.isalpha() else re.escape(c) for c in word)


_LOCAL_HOST = "|".join(_any_case(name) for name in _LOCAL_NAMES)
LINK_PATTERN = rf"^(?![A-Za-z]+://[^/?#]*\.(?:{_LOCAL_HOST})(?:[/?#]|$)){_PLAIN_URL}$"
URL_OR_EMPTY_PATTERN = rf"^(?:{_PLAIN_URL})?$"


def text_pattern(limit: int, *, multiline: bool = False) -> str:
    """Text as validation takes it: 1 to ``limit`` characters once stripped, no control
    characters (tabs and line breaks inside a multi-line text), none that reorder text."""
    inside = (CONTROL_EXCEPT_NEWLINE if multiline else CONTROL) + BIDI_CONTROLS
    edge = f"[^{WHITESPACE}{CONTROL}{BIDI_CONTROLS}]"
    return f"^[{WHITESPACE}]*{edge}(?:[^{inside}]{{0,{limit - 2}}}{edge})?[{WHITESPACE}]*$"


def stripped(core: str) -> str:
    """``core`` with the white space validation strips around it."""
    return f"^[{WHITESPACE}]*(?:{core})[{WHITESPACE}]*$"


def one_of(values: Collection[str]) -> str:
    """Exactly one of ``values`` (white space around it stripped)."""
    return stripped("|".join(re.escape(v) for v in sorted(values)))


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
            {"type": "string", "pattern": _QUERY_TEXT},
            f"words to find in name, author, description and tags; an id, URL or owner/repo"
            f" (at most {MAX_TEXT} characters)",
        ),
        _optional(
            "category", {"type": "string", "pattern": stripped(_ID_CORE)}, "only this category id"
        ),
        _optional("kind", {"type": "string", "enum": list(KINDS)}, "only this kind"),
        {
            **_param(
                "tag",
                {
                    "type": "array",
                    "items": {"type": "string", "pattern": stripped(_TAG_CORE)},
                    "maxItems": MAX_FILTER_TAGS,
                },
                "only resources with every given tag",
            ),
            "style": "form",
            "explode": True,
        },
        _optional(
            "source",
            {"type": "string", "pattern": stripped(_ID_CORE)},
            "only resources from this source",
        ),
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
        _flag("disabled", "only installed node packs ComfyUI-Manager has disabled"),
    ]


# Search text: at most MAX_TEXT characters once stripped, any characters.
_QUERY_TEXT = (
    f"^[{WHITESPACE}]*(?:[^{WHITESPACE}](?:[\\s\\S]{{0,{MAX_TEXT - 2}}}[^{WHITESPACE}])?)?"
    f"[{WHITESPACE}]*$"
)
# A date validation reads from the start of a text: YYYY-MM-DD, any day a month has (the
# 29th of February left out); what follows (a time) is ignored.
_YEAR = "(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"
_MONTH_DAY = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
DATE_PATTERN = f"^[{WHITESPACE}]*{_YEAR}-{_MONTH_DAY}[\\s\\S]*$"


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional field: ``null`` means "not given"."""
    return {**schema, "nullable": True}


def _resource_properties() -> dict[str, Any]:
    """The fields of a resource as the API sends it."""
    return {
        "id": ID,
        "name": {**_TEXT, "maxLength": MAX_NAME},
        "url": {**_TEXT, "maxLength": MAX_URL_LENGTH},
        "category": ID,
        "kind": {"type": "string", "enum": list(KINDS)},
        "description": {**_TEXT, "maxLength": MAX_DESCRIPTION},
        "tags": {"type": "array", "items": TAG, "maxItems": MAX_TAGS},
        "author": {**_TEXT, "maxLength": MAX_AUTHOR},
        "license": {**_TEXT, "maxLength": MAX_LICENSE},
        "install_url": {**_TEXT, "maxLength": MAX_URL_LENGTH},
        "stars": {"type": "integer", "minimum": 0, "nullable": True},
        "updated": _TEXT,
        "source": _TEXT,
        "pack_id": {**_TEXT, "description": "the Registry / ComfyUI-Manager id, when known"},
        "install_type": {**_TEXT, "description": "ComfyUI-Manager's install type"},
        "files": {
            "type": "array",
            "items": _TEXT,
            "description": "what ComfyUI-Manager fetches to install it",
        },
        "version": {**_TEXT, "description": "the latest published version, when known"},
        "node_count": {"type": "integer", "minimum": 0},
        "node_types": {
            "type": "array",
            "items": _TEXT,
            "description": "the node classes the pack provides (one resource only)",
        },
        "model_file": {
            "type": "object",
            "nullable": True,
            "description": "a model file in ComfyUI-Manager's model list: what it downloads",
            "properties": dict.fromkeys(MODEL_FILE_FIELDS, _TEXT),
        },
        "downloads": {"type": "integer", "minimum": 0, "nullable": True},
        "rating": {"type": "number", "minimum": 0, "nullable": True},
        "publisher": _TEXT,
        "favorite": {"type": "boolean"},
        "installed": {"type": "boolean"},
        "disabled": {
            "type": "boolean",
            "description": "installed, but in custom_nodes/.disabled: ComfyUI does not load it",
        },
    }


def input_properties(categories: Collection[str] | None = None) -> dict[str, Any]:
    """The fields of a resource as a user writes it, with the rules validation applies.

    ``categories`` are the ids an entry may name (the catalogue's and the user's own);
    without them any well-formed id is described.
    """
    link = {"type": "string", "maxLength": MAX_URL_LENGTH, "pattern": LINK_PATTERN}
    category = stripped(_ID_CORE) if categories is None else one_of(categories)
    properties: dict[str, Any] = {
        "id": {"type": "string", "pattern": stripped(_ID_CORE)},
        "name": {"type": "string", "pattern": text_pattern(MAX_NAME)},
        "url": link,
        "category": {"type": "string", "pattern": category},
        "kind": {"type": "string", "enum": list(KINDS)},
        "description": _nullable(
            {"type": "string", "pattern": text_pattern(MAX_DESCRIPTION, multiline=True)}
        ),
        "tags": _nullable(
            {"type": "array", "items": TAG, "maxItems": MAX_TAGS, "uniqueItems": True}
        ),
        "author": _nullable({"type": "string", "pattern": text_pattern(MAX_AUTHOR)}),
        "license": _nullable({"type": "string", "pattern": text_pattern(MAX_LICENSE)}),
        "install_url": _nullable(link),
        "stars": _nullable({"type": "integer", "minimum": 0, "maximum": MAX_STARS}),
        "updated": _nullable({"type": "string", "pattern": DATE_PATTERN}),
    }
    assert tuple(properties) == FIELDS  # noqa: S101 - one description per rule
    return properties


def schemas(categories: Collection[str] | None = None) -> dict[str, Any]:
    """``components.schemas``: the documents the operations exchange."""
    inputs = input_properties(categories)
    return {
        "Resource": {
            "type": "object",
            "required": [*FIELDS[:5], "source"],
            "properties": _resource_properties(),
        },
        "ResourceInput": {
            "type": "object",
            "description": "a resource as a user writes it; id and category may be left out",
            "required": ["name", "url", "kind"],
            "properties": inputs,
            "additionalProperties": False,
        },
        "ResourceUpdate": {
            "type": "object",
            "description": "a user's entry replaced; its id is the one in the path",
            "required": ["name", "url", "kind"],
            "properties": {k: v for k, v in inputs.items() if k != "id"},
            "additionalProperties": False,
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
                "folder": {"type": "string", "maxLength": MAX_PATH, "pattern": "^[^\\x00]*$"},
                "url": {
                    "type": "string",
                    "maxLength": MAX_URL_LENGTH,
                    "pattern": URL_OR_EMPTY_PATTERN,
                    "description": "a base URL to download from (a local mirror too); empty"
                    " for the default",
                },
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
                        "existing": {
                            "type": "object",
                            "description": "what a conflict clashes with",
                            "required": ["id", "name"],
                            "properties": {"id": ID, "name": _TEXT},
                        },
                    },
                }
            },
        },
        "SearchResult": search_result(),
        "Favorites": {
            "type": "object",
            "required": ["ids"],
            "properties": {"ids": {"type": "array", "items": ID, "maxItems": MAX_FAVORITES}},
        },
    }
