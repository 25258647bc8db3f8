"""What a query asks, and the one grammar its string parameters are read with.

HTTP query strings and the command line's options both become a :class:`Query` here;
every field is bounded, and the first bad one is named in a :class:`QueryError`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..constants import (
    DEFAULT_LIMIT,
    KINDS,
    MAX_FILTER_TAGS,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_TEXT,
    SORTS,
)
from ..errors import DomainError, ErrorKind
from ..excerpt import excerpt, short
from ..validate import ID_RE, TAG_RE

# The parameters of a search, as the HTTP API and parse_query name them.
QUERY_PARAMS = ("q", "category", "kind", "tag", "source", "sort", "offset", "limit", "facets")
# How a yes/no parameter is written: 0/1, or false/true.
FLAG_VALUES = ("0", "1", "true", "false")
_TRUE = ("1", "true")
_MAX_DIGITS = 9  # longer numbers are out of every range


class QueryError(DomainError):
    """A query parameter is malformed; ``param`` names it for the caller's error message."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(ErrorKind.INVALID, message, param=param)
        self.param: str = param

    def __str__(self) -> str:
        return f"{self.param}: {self.message}"


@dataclass(frozen=True, slots=True)
class Query:
    """What to look for; an empty string or tuple means "no filter"."""

    text: str = ""
    category: str = ""
    kind: str = ""
    tags: tuple[str, ...] = ()
    source: str = ""
    ids: frozenset[str] | None = None  # restrict to these ids (favourites, installed packs)
    sort: str = "relevance"
    offset: int = 0
    limit: int = DEFAULT_LIMIT
    facets: bool = True

    def __post_init__(self) -> None:
        check_query(self)


def check_query(query: Query) -> None:
    """Raise :class:`QueryError` for the first malformed field of ``query``."""
    if len(query.text) > MAX_TEXT:
        raise QueryError("q", f"is {len(query.text)} characters long; the limit is {MAX_TEXT}")
    for param, value in (("category", query.category), ("source", query.source)):
        if value and not ID_RE.fullmatch(value):
            raise QueryError(param, f"{excerpt(value)} is not a valid {param} id")
    if query.kind and query.kind not in KINDS:
        raise QueryError(
            "kind", f"{excerpt(query.kind)} is not a kind; use one of: {', '.join(KINDS)}"
        )
    if len(query.tags) > MAX_FILTER_TAGS:
        raise QueryError("tag", f"at most {MAX_FILTER_TAGS} tags can be combined")
    for tag in query.tags:
        if not TAG_RE.fullmatch(tag):
            raise QueryError("tag", f"{excerpt(tag)} is not a valid tag")
    if query.sort not in SORTS:
        raise QueryError(
            "sort", f"{excerpt(query.sort)} is not a sort; use one of: {', '.join(SORTS)}"
        )
    if isinstance(query.offset, bool) or not 0 <= query.offset <= MAX_OFFSET:
        raise QueryError("offset", f"must be between 0 and {MAX_OFFSET}")
    if isinstance(query.limit, bool) or not 1 <= query.limit <= MAX_LIMIT:
        raise QueryError("limit", f"must be between 1 and {MAX_LIMIT}")


def parse_flag(params: Mapping[str, str], name: str, default: bool = False) -> bool:
    """Read the yes/no parameter ``name``: 0 or 1, false or true; absent means ``default``.

    >>> parse_flag({"facets": "true"}, "facets"), parse_flag({}, "facets", default=True)
    (True, True)
    >>> try:
    ...     parse_flag({"favorites": "yes"}, "favorites")
    ... except QueryError as exc:
    ...     print(exc)
    favorites: must be 0 or 1
    """
    if name not in params:
        return default
    value = params[name]
    if value not in FLAG_VALUES:
        raise QueryError(name, "must be 0 or 1")
    return value in _TRUE


def _int_param(params: Mapping[str, str], name: str, default: int) -> int:
    raw = params.get(name, "")
    if raw == "":
        return default
    if not raw.isascii() or not raw.isdigit():
        raise QueryError(name, f"must be a whole number, got {raw[:20]!r}")
    digits = raw.lstrip("0") or "0"
    # Longer numbers are out of every range; check_query says which range applies.
    return int(digits) if len(digits) <= _MAX_DIGITS else 10**_MAX_DIGITS


def parse_query(params: Mapping[str, str], tags: Sequence[str] = (), **extra: Any) -> Query:
    """Build a :class:`Query` from string parameters (HTTP query strings, CLI options).

    >>> parse_query({"q": "video", "limit": "5"}).limit
    5
    >>> try:
    ...     parse_query({"sort": "best"})
    ... except QueryError as exc:
    ...     print(exc.param, "-", exc.message)
    sort - 'best' is not a sort; use one of: relevance, name, stars, downloads, updated
    """
    unknown = sorted(set(params) - set(QUERY_PARAMS))
    if unknown:
        raise QueryError(short(unknown[0]), "is not a known parameter")
    facets = parse_flag(params, "facets", default=True)
    tag_list = tuple(tags) or ((params["tag"],) if params.get("tag") else ())
    return Query(
        text=params.get("q", "").strip(),
        category=params.get("category", "").strip(),
        kind=params.get("kind", "").strip(),
        tags=tuple(t.strip() for t in tag_list),
        source=params.get("source", "").strip(),
        sort=params.get("sort", "").strip() or "relevance",
        offset=_int_param(params, "offset", 0),
        limit=_int_param(params, "limit", DEFAULT_LIMIT),
        facets=facets,
        **extra,
    )
