"""The curated catalogue in ``data/``: ``categories.yaml`` and ``resources/*.yaml``."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.excerpt import short
from ..core.files import (
    PACK_ROOT,
    cannot_read,
    display_path,
    files_fingerprint,
    not_utf8,
    too_large,
)
from ..core.model import Category, Problem, Resource, SourceResult
from ..core.validate import Location, parse_category, parse_resource, without_duplicates
from ..core.yaml_lines import LineDict, parse_yaml

CATEGORIES_FILE = "categories.yaml"
RESOURCES_DIR = "resources"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 20 * 1024 * 1024  # all resource files together
MAX_ENTRIES = 10_000  # entries read from all resource files together
DEFAULT_DATA_DIR = PACK_ROOT / "data"


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file of bounded size, turning every failure into a problem."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Problem(shown, None, "file", too_large(size, MAX_FILE_BYTES))]
        return path.read_text(encoding="utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [Problem(shown, None, "file", not_utf8(exc))]
    except OSError as exc:
        return None, [Problem(shown, None, "file", cannot_read(exc))]


def _entries(path: Path, key: str) -> tuple[str, list[object], list[Problem]]:
    """Parse ``path`` and return the list under its top-level ``key``."""
    shown = display_path(path)
    text, problems = read_text(path, shown)
    if text is None:
        return shown, [], problems
    data, problems = parse_yaml(text, shown)
    if data is None:  # not YAML (the problems say why), or nothing but comments
        return (
            shown,
            [],
            problems or [Problem(shown, None, key, f"the file is empty; expected a '{key}:' list")],
        )
    if not isinstance(data, LineDict) or not isinstance(data.get(key), list):
        return shown, [], [*problems, Problem(shown, 1, key, f"the file must hold a '{key}:' list")]
    extra = [k for k in data if k != key]
    problems += [
        Problem(
            shown, data.key_lines[k], short(str(k)), f"unknown top-level key; only '{key}' is read"
        )
        for k in extra
    ]
    return shown, data[key], problems


def _location(shown: str, raw: object, index: int, key: str) -> Location:
    if isinstance(raw, LineDict):
        return Location(shown, raw.line, {str(k): v for k, v in raw.key_lines.items()})
    return Location(shown, None, prefix=f"{key}[{index}].")


def load_categories(path: Path) -> tuple[list[Category], list[Problem]]:
    shown, raw_list, problems = _entries(path, "categories")
    categories: list[Category] = []
    seen: dict[str, Location] = {}
    for index, raw in enumerate(raw_list):
        where = _location(shown, raw, index, "categories")
        category, found = parse_category(raw, where)
        problems += found
        if category is None:
            continue
        if category.id in seen:
            problems.append(where.problem("id", f"category {category.id!r} is defined twice"))
            continue
        seen[category.id] = where
        categories.append(category)
    return categories, problems


def load_resource_file(
    path: Path, categories: Collection[str] | None, source: str = "curated"
) -> tuple[list[tuple[Resource, Location]], list[Problem]]:
    found, problems, _ = _load_resource_file(path, categories, source)
    return found, problems


def _load_resource_file(
    path: Path, categories: Collection[str] | None, source: str, limit: int | None = None
) -> tuple[list[tuple[Resource, Location]], list[Problem], int]:
    """The file's valid entries and its problems, reading at most ``limit`` entries; and
    how many entries it holds."""
    shown, raw_list, problems = _entries(path, "resources")
    found: list[tuple[Resource, Location]] = []
    for index, raw in enumerate(raw_list[:limit]):
        where = _location(shown, raw, index, "resources")
        resource, errors = parse_resource(
            raw,
            where,
            categories=categories,
            source=source,
            required=("id", "name", "url", "category", "kind", "description"),
        )
        problems += errors
        if resource is not None:
            found.append((resource, where))
    return found, problems, len(raw_list)


def resource_files(data_dir: Path) -> list[Path]:
    folder = data_dir / RESOURCES_DIR
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def _no_resource_files(data_dir: Path) -> Problem:
    return Problem(
        display_path(data_dir / RESOURCES_DIR), None, "resources", "no *.yaml files found"
    )


def load_curated(data_dir: Path = DEFAULT_DATA_DIR, source: str = "curated") -> SourceResult:
    """Load and validate a whole data folder; bad entries are reported and left out."""
    categories, problems = load_categories(data_dir / CATEGORIES_FILE)
    ids = {c.id for c in categories}
    entries: list[tuple[Resource, Location]] = []
    files = resource_files(data_dir)
    if not files:
        problems.append(_no_resource_files(data_dir))
    total = read = 0
    for path in files:
        total += _size(path)
        if total > MAX_TOTAL_BYTES:
            problems.append(
                Problem(
                    display_path(path),
                    None,
                    "file",
                    f"the catalogue's files hold more than {MAX_TOTAL_BYTES} bytes together;"
                    " this one is not read",
                )
            )
            continue
        found, errors, held = _load_resource_file(path, ids, source, MAX_ENTRIES - read)
        entries += found
        problems += errors
        read += held
        if read > MAX_ENTRIES:
            problems.append(
                Problem(
                    display_path(data_dir / RESOURCES_DIR),
                    None,
                    "resources",
                    f"the catalogue has more than {MAX_ENTRIES} entries;"
                    f" only the first {MAX_ENTRIES} are read",
                )
            )
            break
    return _finish(source, entries, categories, problems)


def _size(path: Path) -> int:
    """A file's size, or 0 when it cannot be read (reading it then says why)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _finish(
    source: str,
    entries: Sequence[tuple[Resource, Location]],
    categories: Sequence[Category],
    problems: list[Problem],
) -> SourceResult:
    kept, duplicates = without_duplicates(entries)  # in file order: the later one is named
    # The list's own order: its sections as categories.yaml orders them (not the files'
    # names), each section's entries as written. An empty search shows it so.
    order = {c.id: i for i, c in enumerate(categories)}
    resources = sorted((r for r, _ in kept), key=lambda r: order.get(r.category, len(order)))
    return SourceResult(source, tuple(resources), tuple(categories), tuple(problems + duplicates))


def validate_paths(paths: Iterable[Path]) -> tuple[SourceResult, int]:
    """Validate data folders and single resource files, as ``python -m nodes validate`` does.

    A single resource file is checked against the ``categories.yaml`` of its data folder.
    Returns what loaded and how many files were read.
    """
    categories: dict[str, Category] = {}
    entries: list[tuple[Resource, Location]] = []
    problems: list[Problem] = []
    count = 0
    for path in paths:
        data_dir = path if path.is_dir() else path.parent.parent
        if path.is_dir() or not path.exists():
            files = resource_files(path) if path.is_dir() else [path]
        else:
            files = [path]
        cats, errors = load_categories(data_dir / CATEGORIES_FILE)
        problems += [e for e in errors if e not in problems]
        categories.update((c.id, c) for c in cats)
        if path.is_dir() and not files:
            problems.append(_no_resource_files(path))
        for file in files:
            found, errors = load_resource_file(file, {c.id for c in cats})
            entries += found
            problems += errors
            count += 1
    return _finish("curated", entries, list(categories.values()), problems), count


@dataclass(frozen=True)
class CuratedSource:
    """The curated YAML catalogue (``data/`` by default)."""

    data_dir: Path = DEFAULT_DATA_DIR
    name: str = "curated"

    def fingerprint(self) -> str:
        return files_fingerprint([self.data_dir / CATEGORIES_FILE, *resource_files(self.data_dir)])

    def load(self) -> SourceResult:
        return load_curated(self.data_dir, self.name)
