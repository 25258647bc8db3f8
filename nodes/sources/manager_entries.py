"""What ComfyUI-Manager's two lists share: their names, limits, and the loop over their entries.

Each entry becomes a resource or is reported and skipped. What installing takes (the
Manager's id, install type, files, node classes, a model's download fields) is optional:
a bad value of one of those is reported and left out, and the entry still loads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ..core.model import Problem, Resource
from ..core.validate import MAX_NAME, Location, parse_resource
from .records import clean_text, skipped

NODE_LIST = "custom-node-list.json"
STATS = "github-stats.json"
MODEL_LIST = "model-list.json"
LIST_KEYS = {NODE_LIST: "custom_nodes", MODEL_LIST: "models"}  # the list each file holds
PACK_CATEGORY = "node-packs"
MODEL_CATEGORY = "model-files"
MAX_ENTRIES = 20_000  # entries read from one file (the real node list has some 6,000)
# Database fields an entry may do without: a bad one is left out, not the entry.
OPTIONAL_FIELDS = frozenset(("pack_id", "install_type", "files", "node_types", "model_file"))

T = TypeVar("T")
Entries = tuple[list[tuple[Resource, Location]], list[Problem]]
# An entry's raw resource fields, or ``None`` when it is skipped; and what to report.
Fields = Callable[[Mapping[str, Any], Location], tuple[dict[str, Any] | None, list[Problem]]]


def too_many(found: int) -> str:
    return f"has {found} entries; only the first {MAX_ENTRIES} are read"


def name_from(value: object, url: str) -> str:
    """The entry's own name, or else the last part of its URL (``.../ComfyUI-Foo/`` too)."""
    return clean_text(value, MAX_NAME) or clean_text(url.rstrip("/").rsplit("/", 1)[-1], MAX_NAME)


def left_out(problem: Problem) -> Problem:
    """The same problem, saying that its field was left out and the entry kept."""
    return Problem(problem.file, problem.line, problem.field, f"{problem.message}; left out")


def capped(
    values: list[T], limit: int, what: str, where: Location, name: str
) -> tuple[list[T], list[Problem]]:
    """``(values, [])``, or the first ``limit`` of them and a problem that says so."""
    if len(values) <= limit:
        return values, []
    message = f"has {len(values)} {what}; only the first {limit} are kept"
    return values[:limit], [where.problem(name, message)]


def _resource(
    raw: dict[str, Any], where: Location, source: str
) -> tuple[Resource | None, list[Problem]]:
    """Validate ``raw``; when optional fields fail, leave them out and try once more."""
    resource, errors = parse_resource(raw, where, source=source, database=True)
    bad = [p for p in errors if p.field.removeprefix(where.prefix) in OPTIONAL_FIELDS]
    if not bad:
        return resource, [skipped(p) for p in errors]
    names = {p.field.removeprefix(where.prefix) for p in bad}
    kept = {k: v for k, v in raw.items() if k not in names}
    resource, errors = parse_resource(kept, where, source=source, database=True)
    if resource is None:
        return None, [skipped(p) for p in errors]
    return resource, [left_out(p) for p in bad]


def parse_entries(data: object, shown: str, key: str, fields: Fields, source: str) -> Entries:
    """The loop both Manager lists share: each entry made a resource, or reported."""
    entries = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(entries, list):
        return [], [Problem(shown, None, key, f"the file must hold a '{key}' list")]
    found: list[tuple[Resource, Location]] = []
    problems: list[Problem] = []
    if len(entries) > MAX_ENTRIES:
        problems.append(Problem(shown, None, key, too_many(len(entries))))
    for index, entry in enumerate(entries[:MAX_ENTRIES]):
        where = Location(shown, None, prefix=f"{key}[{index}].")
        if not isinstance(entry, Mapping):
            problems.append(where.problem("entry", "must be a JSON object; skipped"))
            continue
        raw, notes = fields(entry, where)
        if raw is None:
            problems += notes
            continue
        resource, errors = _resource(raw, where, source)
        if resource is not None:
            found.append((resource, where))
            problems += notes  # what was cut or left out of a kept entry
        problems += errors
    return found, problems
