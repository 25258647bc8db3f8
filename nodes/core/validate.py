"""The one set of rules every resource passes, whatever its source.

Curated YAML, the user's own entries, imported databases and HTTP requests all go
through :func:`parse_resource`, which reports every problem at once, each located.
Each field's own rule is in :mod:`.fields`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .excerpt import excerpt, short
from .fields import (
    BIDI_CONTROLS,
    CHECKS,
    CONTROL,
    CONTROL_EXCEPT_NEWLINE,
    DATABASE_CHECKS,
    DATABASE_FIELDS,
    FIELDS,
    ID_RE,
    INSTALL_TYPES,
    MAX_AUTHOR,
    MAX_DESCRIPTION,
    MAX_DOWNLOADS,
    MAX_FILES,
    MAX_LICENSE,
    MAX_NAME,
    MAX_NODE_TYPE,
    MAX_NODE_TYPES,
    MAX_RATING,
    MAX_STARS,
    MAX_TAGS,
    MODEL_FILE_FIELDS,
    PACK_ID_RE,
    TAG_RE,
    VERSION_RE,
    check_id,
    limited,
    node_type_problem,
    type_name,
)
from .model import Category, Problem, Resource
from .urls import canonical_url

__all__ = [
    "BIDI_CONTROLS",
    "CONTROL",
    "CONTROL_EXCEPT_NEWLINE",
    "DATABASE_FIELDS",
    "FIELDS",
    "ID_RE",
    "INSTALL_TYPES",
    "MAX_AUTHOR",
    "MAX_DESCRIPTION",
    "MAX_DOWNLOADS",
    "MAX_FILES",
    "MAX_KNOWN_SHOWN",
    "MAX_LICENSE",
    "MAX_NAME",
    "MAX_NODE_TYPE",
    "MAX_NODE_TYPES",
    "MAX_RATING",
    "MAX_STARS",
    "MAX_TAGS",
    "MAX_UNKNOWN_FIELDS",
    "MODEL_FILE_FIELDS",
    "PACK_ID_RE",
    "REQUIRED",
    "TAG_RE",
    "VERSION_RE",
    "Location",
    "ResourceError",
    "duplicate_problems",
    "node_type_problem",
    "parse_category",
    "parse_resource",
    "require_resource",
    "without_duplicates",
]
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
    database: bool = False,
) -> tuple[Resource | None, list[Problem]]:
    """Turn a raw entry into a :class:`Resource`, or say everything that is wrong with it.

    Never returns both: a resource comes back only when there are no problems. Only a
    ``database`` source's entries may carry :data:`DATABASE_FIELDS`.

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
                f"must be a mapping of fields, got {type_name(raw)}",
            )
        ]
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    unknown = 0
    checks = {**CHECKS, **DATABASE_CHECKS} if database else CHECKS
    known = f"known fields: {', '.join(checks)}"
    for key, value in raw.items():
        check = checks.get(key) if isinstance(key, str) else None
        if check is None:
            unknown += 1
            if unknown <= MAX_UNKNOWN_FIELDS:
                problems.append(where.problem(_field_name(key), f"unknown field; {known}"))
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
        problems.append(where.problem("entry", f"and {more} more unknown fields; {known}"))
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
            where.problem("category", f"must be a mapping of fields, got {type_name(raw)}")
        ]
    problems: list[Problem] = []
    checks = {"id": check_id, "name": limited(80), "description": limited(MAX_DESCRIPTION)}
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
