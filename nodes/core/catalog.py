"""The merged catalogue, and the store that loads it lazily and reloads it when a source changes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Protocol

from .excerpt import excerpt, short
from .files import digest
from .log import logger
from .model import Category, Problem, Resource, SourceResult
from .query import SearchIndex

# Fields a lower-precedence source may fill in when the record that wins leaves them empty.
_FILLABLE = (
    "description",
    "author",
    "license",
    "install_url",
    "stars",
    "updated",
    "tags",
    "pack_id",
    "install_type",
    "files",
    "version",
    "node_types",
    "model_file",
    "downloads",
    "rating",
    "publisher",
)
MAX_ERROR = 200  # characters of a failed source's reason kept in its status
MAX_PROBLEMS = 1000  # problems kept per source; the rest are counted


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """How one source fared in the last load; ``error`` is why it failed to load, if it did."""

    name: str
    resources: int
    problems: int
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "resources": self.resources,
            "problems": self.problems,
            "error": self.error,
        }


class Catalog:
    """Every resource once, in source precedence order, with its search index built on demand."""

    def __init__(
        self,
        resources: Sequence[Resource],
        categories: Sequence[Category] = (),
        problems: Sequence[Problem] = (),
        sources: Sequence[SourceStatus] = (),
        version: str = "",
        problems_of: Mapping[str, Sequence[Problem]] | None = None,
        *,
        stored_index: Callable[[], Mapping[str, Any]] | None = None,
    ) -> None:
        self.resources = tuple(resources)
        self.categories = tuple(categories)
        self.problems = tuple(problems)
        self.sources = tuple(sources)
        # The problems each source brought, id clashes with earlier sources included (merge
        # knows; a catalogue made by hand files them all under no source).
        self.problems_of = {name: tuple(found) for name, found in (problems_of or {}).items()}
        self.by_id = {r.id: r for r in self.resources}
        self._category_names = {c.id: c.name for c in self.categories}
        self.version = version or digest(r.id + r.canonical_url for r in self.resources)
        # What a catalogue file kept of the index (see catalog_file.py), read on first use.
        self._stored_index = stored_index
        self.index_reused = False  # the index came from that file, not built

    def get(self, resource_id: str) -> Resource | None:
        return self.by_id.get(resource_id)

    @cached_property
    def index(self) -> SearchIndex:
        stored, self._stored_index = self._stored_index, None
        if stored is not None:
            try:
                index = SearchIndex(self.resources, stored())
            except (ValueError, TypeError, KeyError, IndexError, EOFError) as exc:
                logger.warning("the kept search index is not usable (%s); building it", exc)
            else:
                self.index_reused = True
                return index
        return SearchIndex(self.resources)

    def category_name(self, category_id: str) -> str:
        """What a category is called; its id when the catalogue does not define it."""
        return self._category_names.get(category_id, category_id)


def merge(results: Sequence[SourceResult], version: str = "") -> Catalog:
    """Merge sources given in precedence order; one record per canonical URL.

    The first source to name a URL keeps its record; later ones only fill fields it left
    empty (a curated description with the Manager's stars and last update, for example).
    """
    kept: dict[str, Resource] = {}
    owner: dict[str, str] = {}  # id -> canonical URL of the record holding it
    categories: dict[str, Category] = {}
    problems: list[Problem] = []
    problems_of: dict[str, list[Problem]] = {}
    statuses: list[SourceStatus] = []
    for result in results:
        start = len(problems)
        for category in result.categories:
            categories.setdefault(category.id, category)
        for resource in result.resources:
            key = resource.canonical_url
            current = kept.get(key)
            if current is not None:
                kept[key] = _fill(current, resource)
                continue
            holder = owner.get(resource.id)
            if holder is not None:
                problems.append(
                    Problem(
                        result.name,
                        None,
                        "id",
                        (
                            f"{excerpt(resource.id)} ({short(resource.url)}) is already the id of "
                            f"{short(kept[holder].url)} from {kept[holder].source}; skipped"
                        ),
                    )
                )
                continue
            kept[key] = resource
            owner[resource.id] = key
        problems += result.problems
        if result.problems_omitted:
            more = f"and {result.problems_omitted} more problems"
            problems.append(Problem(result.name, None, "problems", more))
        problems_of.setdefault(result.name, []).extend(problems[start:])
        count = len(result.problems) + result.problems_omitted
        statuses.append(SourceStatus(result.name, len(result.resources), count, result.error))
    return Catalog(
        list(kept.values()), list(categories.values()), problems, statuses, version, problems_of
    )


def _fill(current: Resource, other: Resource) -> Resource:
    changes = {
        name: getattr(other, name)
        for name in _FILLABLE
        if getattr(current, name) in ("", None, ()) and getattr(other, name) not in ("", None, ())
    }
    return replace(current, **changes) if changes else current


class Source(Protocol):
    """Anything the store can load: a name, a cheap change check, and a loader."""

    @property
    def name(self) -> str: ...  # read-only, so frozen dataclasses are sources too

    def fingerprint(self) -> str: ...

    def load(self) -> SourceResult: ...


@dataclass(frozen=True)
class FunctionSource:
    """A source made of two callables; handy for sources whose data lives elsewhere."""

    name: str
    fingerprint_fn: Callable[[], str]
    load_fn: Callable[[], SourceResult]

    def fingerprint(self) -> str:
        return self.fingerprint_fn()

    def load(self) -> SourceResult:
        return self.load_fn()


class CatalogCache(Protocol):
    """Where merged catalogues are kept between runs, by the key of their sources."""

    def load(self, key: str) -> Catalog | None: ...


class CatalogStore:
    """Loads sources on first use, caches each, and reloads only those whose files changed.

    Thread-safe: ComfyUI calls nodes from its worker thread while routes run in executors.
    A ``cache`` holding a catalogue for the sources' current fingerprints answers first.
    """

    def __init__(self, sources: Sequence[Source], cache: CatalogCache | None = None) -> None:
        self._sources = list(sources)
        self._cache = cache
        self._lock = threading.Lock()
        self._loaded: dict[str, tuple[str, SourceResult]] = {}
        self._catalog: Catalog | None = None
        self._key = ""

    @property
    def sources(self) -> list[Source]:
        return list(self._sources)

    def set_sources(self, sources: Sequence[Source]) -> None:
        with self._lock:
            self._sources = list(sources)
            self._catalog = None

    def get(self) -> Catalog:
        with self._lock:
            prints = [(s, s.fingerprint()) for s in self._sources]
            key = digest(f"{s.name}={p}" for s, p in prints)
            if self._catalog is not None and key == self._key:
                return self._catalog
            kept = None if self._cache is None else self._cache.load(key)
            if kept is not None:  # what was built for these very sources, read back
                self._catalog, self._key = kept, key
                return kept
            results = [self._load(source, fingerprint) for source, fingerprint in prints]
            self._catalog = merge(results, version=key)
            self._key = key
            return self._catalog

    def _load(self, source: Source, fingerprint: str) -> SourceResult:
        cached = self._loaded.get(source.name)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        try:
            result = source.load()
        except Exception as exc:  # noqa: BLE001 - one broken source must not hide the others
            logger.exception("source %s failed to load", source.name)
            reason = failure_reason(exc)
            if cached is not None:
                return replace(cached[1], error=reason)  # keep the last good copy
            return SourceResult(
                source.name,
                problems=(Problem(source.name, None, "source", reason),),
                error=reason,
            )
        result = bounded_problems(result)
        if result.problems:
            logger.warning(
                "%s: %d problem(s) in source data; first: %s",
                source.name,
                len(result.problems),
                result.problems[0],
            )
        self._loaded[source.name] = (fingerprint, result)
        return result


def bounded_problems(result: SourceResult, limit: int | None = None) -> SourceResult:
    """``result`` with at most ``limit`` (:data:`MAX_PROBLEMS`) problems; the rest counted.

    >>> many = SourceResult("s", problems=tuple(Problem("f", i, "x", "bad") for i in range(5)))
    >>> cut = bounded_problems(many, 2)
    >>> len(cut.problems), cut.problems_omitted
    (2, 3)
    """
    limit = MAX_PROBLEMS if limit is None else limit
    if len(result.problems) <= limit:
        return result
    omitted = result.problems_omitted + len(result.problems) - limit
    return replace(result, problems=result.problems[:limit], problems_omitted=omitted)


def failure_reason(exc: BaseException) -> str:
    """A short reason for a failure, for people: the message, or the error's name.

    >>> failure_reason(OSError("disk on fire")), failure_reason(KeyError())
    ('disk on fire', 'KeyError')
    """
    return short(str(exc) or type(exc).__name__, MAX_ERROR)
