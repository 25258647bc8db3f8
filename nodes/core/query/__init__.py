"""The one query engine: ranked text search, filters, facet counts, sorting and paging.

The nodes, the HTTP routes and the command line all call :meth:`SearchIndex.search`
with a :class:`Query`, so the sidebar never filters differently from a node.

- :mod:`.params`: the query, its bounds, and how string parameters are read;
- :mod:`.text`: word tokens and text matching (prefixes, typos, ids and URLs);
- :mod:`.facets`: filters and facet counts;
- :mod:`.index`: the index that puts them together and cuts one page.
"""

from __future__ import annotations

from .facets import FACET_TAGS, FACETS
from .index import SearchIndex, SearchResult
from .params import (
    FLAG_VALUES,
    QUERY_PARAMS,
    Query,
    QueryError,
    check_query,
    parse_flag,
    parse_query,
)
from .text import name_tokens, tokenize

__all__ = [
    "FACETS",
    "FACET_TAGS",
    "FLAG_VALUES",
    "QUERY_PARAMS",
    "Query",
    "QueryError",
    "SearchIndex",
    "SearchResult",
    "check_query",
    "name_tokens",
    "parse_flag",
    "parse_query",
    "tokenize",
]
