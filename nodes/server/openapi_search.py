"""The OpenAPI schema of a search answer: the page, its facets, what each data sort can order,
and the next steps an empty answer offers (:mod:`..app.suggest`)."""

from __future__ import annotations

from typing import Any

from ..app.settings import OPTIONAL_SOURCES
from ..core.query.facets import SORT_DATA

_COUNT = {"type": "integer", "minimum": 0}
_MAYBE_COUNT = {"type": "integer", "minimum": 0, "nullable": True}  # OpenAPI 3.0


def _offer() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "An optional source that is off, and what switching it on would add.",
        "required": ["source", "ready", "download", "adds", "exact", "matches"],
        "properties": {
            "source": {"type": "string", "enum": list(OPTIONAL_SOURCES)},
            "ready": {"type": "boolean", "description": "there is data to read without a download"},
            "download": {"type": "boolean", "description": "not ready, and a refresh can fetch it"},
            "adds": {**_MAYBE_COUNT, "description": "entries it would add; null when unknown"},
            "exact": {
                "type": "boolean",
                "description": "adds counts the new entries (from a snapshot); false: the entries"
                " its files list, an upper bound",
            },
            "matches": {
                **_MAYBE_COUNT,
                "description": "how many of the added entries this search finds; null when unknown",
            },
        },
    }


def search_result() -> dict[str, Any]:
    """The ``SearchResult`` schema (``GET /awesome/v1/resources``)."""
    return {
        "type": "object",
        "required": ["total", "offset", "limit", "items", "facets", "sortable"],
        "properties": {
            "total": _COUNT,
            "offset": _COUNT,
            "limit": {"type": "integer", "minimum": 1},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Resource"}},
            "facets": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": {"type": "integer"},
                },
            },
            "sortable": {
                "type": "object",
                "description": "How many matches have what each data sort orders by (the rest"
                " follow by name); empty when facets=0.",
                "properties": dict.fromkeys(SORT_DATA, _COUNT),
                "additionalProperties": False,
            },
            "unfiltered_total": {
                **_COUNT,
                "description": "Only when nothing matched the filters (or favourites, installed):"
                " what the same text finds without them.",
            },
            "more_sources": {
                "type": "array",
                "description": "Only when nothing matched: the optional sources that are off.",
                "items": _offer(),
            },
        },
    }
