"""The one set of rules every resource passes, whatever its source.

Curated YAML, the user's own entries, imported databases and HTTP requests all go
through :func:`parse_resource`, which reports every problem at once, each located.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .excerpt import excerpt, short
from .model import KINDS, Category, Problem, Resource
from .urls import SURROGATE_MESSAGE, SURROGATE_RE, canonical_url, link_problem

ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,78}[a-z0-9])?$")
TAG_RE = re.compile(r"^[a-z0-9][a-z0-9+._-]{0,31}$")
# Character classes, as regular expression text (the OpenAPI document repeats them).
CONTROL = r"\x00-\x1f\x7f-\x9f"
CONTROL_EXCEPT_NEWLINE = r"\x00-\x08\x0b-\x1f\x7f-\x9f"  # descriptions keep tabs and lines
# Embeddings, overrides and isolates: they make text read in another order than it is stored
# ("evil\u202etxt.exe" shows as "evilexe.txt"), so a name could pass for another.
BIDI_CONTROLS = r"\u202a-\u202e\u2066-\u2069"
_CONTROL_RE = re.compile(f"[{CONTROL}]")
_CONTROL_EXCEPT_NEWLINE_RE = re.compile(f"[{CONTROL_EXCEPT_NEWLINE}]")
_BIDI_RE = re.compile(f"[{BIDI_CONTROLS}]")
_CONTROL_MESSAGE = "must not contain control characters"
_BIDI_MESSAGE = (
    "must not contain characters that reorder text on screen (U+202A-U+202E, U+2066-U+2069)"
)
MAX_NAME = 120
MAX_DESCRIPTION = 2000
MAX_AUTHOR = 100
MAX_LICENSE = 64
MAX_TAGS = 20
MAX_STARS = 10_000_000
REQUIRED = ("id", "name", "url", "category", "kind")
MAX_UNKNOWN_FIELDS = 5  # unknown fields of one entry named one by one; the rest are counted
MAX_KNOWN_SHOWN = 20  # known categories listed when an entry names another


@dataclass(frozen=True, slots=True)
class Location:
    """Where a raw entry came from: a file, the entry's line, and each field's line."""

    file: str
    line: int | None = None
    field_lines: Mapping[str, int] = field(default_factory=dict)
    prefix: str = ""  # e.g. ``custom_nodes[12].`` where a format has no line numbers

    def problem(self, name: str, message: str) -> Problem:
        return Problem(
            self.file, self.field_lines.get(name, self.line), self.prefix + name, message
        )


class ResourceError(ValueError):
    """Raised by :func:`require_resource` with every problem of an entry."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _text(value: object, *, limit: int, multiline: bool = False) -> tuple[str | None, str | None]:
    if not isinstance(value, str):
        return None, f"must be text, got {_type_name(value)}"
    text = value.strip()
    if not text:
        return None, "must not be empty"
    if len(text) > limit:
        return None, f"is {len(text)} characters long; the limit is {limit}"
    checks = (
        (_CONTROL_EXCEPT_NEWLINE_RE if multiline else _CONTROL_RE, _CONTROL_MESSAGE),
        (_BIDI_RE, _BIDI_MESSAGE),
        (SURROGATE_RE, SURROGATE_MESSAGE),
    )
    for pattern, message in checks:
        if pattern.search(text):
            return None, message
    return text, None


def _type_name(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):  # YAML mappings are LineDicts: never name that class
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "true/false" if isinstance(value, bool) else type(value).__name__


def _check_id(value: object) -> tuple[Any, str | None]:
    text, error = _text(value, limit=80)
    if text is not None and not ID_RE.fullmatch(text):
        return None, (
            f"{excerpt(text)} is not a valid id; use 1-80 lowercase letters, digits, '.', '_'"
            " or '-', starting and ending with a letter or digit"
        )
    return text, error


def _check_url(value: object) -> tuple[Any, str | None]:
    if not isinstance(value, str):
        return None, f"must be text, got {_type_name(value)}"
    error = link_problem(value)  # public http(s) links only (urls.link_problem)
    return (value if error is None else None), error


def _check_kind(value: object) -> tuple[Any, str | None]:
    if value in KINDS:
        return value, None
    return None, f"{excerpt(value)} is not a kind; use one of: {', '.join(KINDS)}"


def _check_tags(value: object) -> tuple[Any, str | None]:
    if not isinstance(value, list | tuple):
        return None, f"must be a list of tags, got {_type_name(value)}"
    if len(value) > MAX_TAGS:
        return None, f"has {len(value)} tags; the limit is {MAX_TAGS}"
    bad = [t for t in value if not isinstance(t, str) or not TAG_RE.fullmatch(t)]
    if bad:
        return None, (
            f"{excerpt(bad[0])} is not a valid tag; use lowercase letters, digits, '+', '.', '_'"
            " or '-' (at most 32)"
        )
    dupes = sorted({t for t in value if value.count(t) > 1})
    if dupes:
        return None, f"tag {excerpt(dupes[0])} is listed twice"
    return tuple(value), None


def _check_stars(value: object) -> tuple[Any, str | None]:
    if isinstance(value, bool) or not isinstance(value, int):
        return None, f"must be a whole number, got {_type_name(value)}"
    if not 0 <= value <= MAX_STARS:
        return None, f"must be between 0 and {MAX_STARS}"
    return value, None


def _check_updated(value: object) -> tuple[Any, str | None]:
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat(), None
        except ValueError:
            pass
    return None, f"must be a date like 2025-01-31, got {excerpt(value)}"


def _limited(limit: int, *, multiline: bool = False) -> Callable[[object], tuple[Any, str | None]]:
    return lambda value: _text(value, limit=limit, multiline=multiline)


_CHECKS: dict[str, Callable[[object], tuple[Any, str | None]]] = {
    "id": _check_id,
    "name": _limited(MAX_NAME),
    "url": _check_url,
    "category": _check_id,
    "kind": _check_kind,
    "description": _limited(MAX_DESCRIPTION, multiline=True),
    "tags": _check_tags,
    "author": _limited(MAX_AUTHOR),
    "license": _limited(MAX_LICENSE),
    "install_url": _check_url,
    "stars": _check_stars,
    "updated": _check_updated,
}
FIELDS: tuple[str, ...] = tuple(_CHECKS)
_KNOWN = f"known fields: {', '.join(FIELDS)}"


def _field_name(key: object) -> str:
    """A key as a problem names it: the text itself, cut short when it is long."""
    return short(key) if isinstance(key, str) else excerpt(key)


def _listed(names: list[str]) -> str:
    """The first few of ``names``, and how many more there are."""
    if not names:
        return "none defined"
    shown = ", ".join(names[:MAX_KNOWN_SHOWN])
    more = len(names) - MAX_KNOWN_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def parse_resource(
    raw: object,
    where: Location,
    *,
    categories: Collection[str] | None = None,
    source: str = "curated",
    required: Collection[str] = REQUIRED,
) -> tuple[Resource | None, list[Problem]]:
    """Turn a raw entry into a :class:`Resource`, or say everything that is wrong with it.

    Never returns both: a resource comes back only when there are no problems.

    >>> where = Location("mine.yaml", 3)
    >>> r, problems = parse_resource({"id": "x", "name": "X", "url": "https://x.org",
    ...     "category": "tools", "kind": "tool"}, where)
    >>> r.canonical_url, problems
    ('https://x.org', [])
    >>> r, problems = parse_resource({"id": "X!", "url": "ftp://x"}, where)
    >>> r is None, [str(p) for p in problems][:2]
    (True, ["mine.yaml:3: id: 'X!' is not a valid id; use 1-80 lowercase letters, digits, \
'.', '_' or '-', starting and ending with a letter or digit", "mine.yaml:3: url: scheme \
'ftp' is not allowed; use http or https"])
    """
    if not isinstance(raw, Mapping):
        return None, [
            Problem(
                where.file,
                where.line,
                where.prefix.rstrip(".") or "entry",
                f"must be a mapping of fields, got {_type_name(raw)}",
            )
        ]
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    unknown = 0
    for key, value in raw.items():
        check = _CHECKS.get(key) if isinstance(key, str) else None
        if check is None:
            unknown += 1
            if unknown <= MAX_UNKNOWN_FIELDS:
                problems.append(where.problem(_field_name(key), f"unknown field; {_KNOWN}"))
            continue
        if value is None and key not in required:
            continue  # an empty optional field in YAML (``author:``) means "not given"
        parsed, error = check(value)
        if error is not None:
            problems.append(where.problem(key, error))
        else:
            values[key] = parsed
    if unknown > MAX_UNKNOWN_FIELDS:
        more = unknown - MAX_UNKNOWN_FIELDS
        problems.append(where.problem("entry", f"and {more} more unknown fields; {_KNOWN}"))
    problems.extend(where.problem(name, "is required") for name in required if name not in raw)
    category = values.get("category")
    if categories is not None and category is not None and category not in categories:
        problems.append(
            where.problem(
                "category",
                f"{excerpt(category)} is not a known category; known: "
                + _listed(sorted(categories)),
            )
        )
    if problems:
        return None, problems
    return Resource(**values, source=source, canonical_url=canonical_url(values["url"])), []


def require_resource(raw: object, where: Location, **options: Any) -> Resource:
    """Like :func:`parse_resource`, but raise :class:`ResourceError` on any problem."""
    resource, problems = parse_resource(raw, where, **options)
    if resource is None:
        raise ResourceError(problems)
    return resource


def duplicate_problems(entries: Iterable[tuple[Resource, Location]]) -> list[Problem]:
    """Report entries of one source that repeat an earlier entry's id or URL."""
    return without_duplicates(entries)[1]


def without_duplicates(
    entries: Iterable[tuple[Resource, Location]],
) -> tuple[list[tuple[Resource, Location]], list[Problem]]:
    """Keep the first entry for each id and URL; report and leave out every later one.

    Only kept entries claim an id or URL, so an entry dropped for repeating one id does
    not make a later entry with its other URL a duplicate too.
    """
    kept: list[tuple[Resource, Location]] = []
    problems: list[Problem] = []
    ids: dict[str, Location] = {}
    urls: dict[str, Location] = {}
    for resource, where in entries:
        keys = ((resource.id, ids, "id"), (resource.canonical_url, urls, "url"))
        found = [
            where.problem(
                name, f"{excerpt(key)} is already used by the entry at {_at(seen[key], name)}"
            )
            for key, seen, name in keys
            if key in seen
        ]
        if found:
            problems += found
            continue
        ids[resource.id] = urls[resource.canonical_url] = where
        kept.append((resource, where))
    return kept, problems


def _at(where: Location, name: str) -> str:
    line = where.field_lines.get(name, where.line)
    return where.file if line is None else f"{where.file}:{line}"


def parse_category(raw: object, where: Location) -> tuple[Category | None, list[Problem]]:
    """Validate one entry of ``categories.yaml``: an id, a name and an optional description."""
    if not isinstance(raw, Mapping):
        return None, [
            where.problem("category", f"must be a mapping of fields, got {_type_name(raw)}")
        ]
    problems: list[Problem] = []
    checks = {"id": _check_id, "name": _limited(80), "description": _limited(MAX_DESCRIPTION)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        check = checks.get(key) if isinstance(key, str) else None
        if check is None:
            problems.append(
                where.problem(
                    _field_name(key), "unknown field; known fields: id, name, description"
                )
            )
            continue
        parsed, error = check(value)
        if error is not None:
            problems.append(where.problem(key, error))
        else:
            values[key] = parsed
    problems.extend(
        where.problem(name, "is required") for name in ("id", "name") if name not in raw
    )
    if problems:
        return None, problems
    return Category(**values), []
