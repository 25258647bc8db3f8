"""The answers every face gives: searches with the user's marks, one resource, categories with
counts, the state of the sources, a candidate checked, as functions of a pack or a catalogue.

The HTTP handlers parse a request, call one of these (off the event loop: some read files)
and send its result as JSON; the command line calls the same ones, so the two never count,
mark or filter differently.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..core.catalog import Catalog, SourceStatus
from ..core.constants import MAX_NODE_TYPES_ASKED
from ..core.errors import DomainError, ErrorKind
from ..core.excerpt import excerpt
from ..core.model import Problem, Resource
from ..core.query import Query, SearchResult
from ..core.validate import Location, node_type_problem, parse_resource
from ..sources.userdata import entry_categories
from .pack import Pack
from .settings import OPTIONAL_SOURCES

OWN_SOURCES = ("user", "curated")  # sources whose problems the user can fix
MAX_PROBLEMS_SHOWN = 200  # problems listed in a sources report; the count says how many in all


@dataclass(frozen=True, slots=True)
class Marks:
    """What the user has among the resources: installed node packs (``disabled`` those of
    them ComfyUI does not load), and favourites.

    ``favorites`` is ``None`` where they are not known (the command line keeps none); the
    results then carry no ``favorite`` field.
    """

    installed: frozenset[str] = frozenset()
    favorites: tuple[str, ...] | None = None
    disabled: frozenset[str] = frozenset()

    def mark(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Add ``favorite`` (when known), ``installed`` and ``disabled`` to items, in place."""
        starred = None if self.favorites is None else set(self.favorites)
        for item in items:
            if starred is not None:
                item["favorite"] = item["id"] in starred
            item["installed"] = item["id"] in self.installed
            item["disabled"] = item["id"] in self.disabled
        return items


def user_marks(pack: Pack, catalog: Catalog) -> Marks:
    """The favourites and installed (and disabled) packs of the pack's user, for ``catalog``."""
    installed, disabled = pack.installed_marks(catalog)
    return Marks(installed, tuple(pack.user.favorites()), disabled)


@dataclass(frozen=True, slots=True)
class Page:
    """One page of search results and the marks to show on them."""

    result: SearchResult
    marks: Marks

    def to_dict(self) -> dict[str, Any]:
        """``{total, offset, limit, items, facets}``, each item marked."""
        document = self.result.to_dict()
        self.marks.mark(document["items"])
        return document


def narrow(
    query: Query,
    marks: Marks,
    *,
    favorites_only: bool = False,
    installed_only: bool = False,
    disabled_only: bool = False,
) -> Query:
    """``query`` kept to the user's favourites, installed packs, disabled packs, or several.

    >>> marks = Marks(frozenset({"a", "b"}), ("b", "c"), frozenset({"a"}))
    >>> sorted(narrow(Query(), marks, favorites_only=True, installed_only=True).ids)
    ['b']
    >>> sorted(narrow(Query(), marks, disabled_only=True).ids)
    ['a']
    """
    allowed: set[str] | None = None
    if favorites_only:
        allowed = set(marks.favorites or ())
    for only, ids in ((installed_only, marks.installed), (disabled_only, marks.disabled)):
        if only:
            allowed = set(ids) if allowed is None else allowed & ids
    return query if allowed is None else replace(query, ids=frozenset(allowed))


def search(
    catalog: Catalog,
    query: Query,
    marks: Marks = Marks(),
    *,
    favorites_only: bool = False,
    installed_only: bool = False,
    disabled_only: bool = False,
) -> Page:
    """Run ``query`` over ``catalog``, kept to favourites, installed or disabled packs if asked."""
    chosen = narrow(
        query,
        marks,
        favorites_only=favorites_only,
        installed_only=installed_only,
        disabled_only=disabled_only,
    )
    return Page(catalog.index.search(chosen), marks)


def resource_details(catalog: Catalog, resource_id: str, marks: Marks) -> dict[str, Any]:
    """One resource with its marks and every node class it provides (``node_types``: lists
    carry only ``node_count``); :class:`DomainError` (not found) for an unknown id."""
    resource = catalog.get(resource_id)
    if resource is None:
        raise DomainError(
            ErrorKind.NOT_FOUND, f"no resource with id {excerpt(resource_id)}", param="id"
        )
    details = {**resource.to_dict(), "node_types": list(resource.node_types)}
    return marks.mark([details])[0]


def catalogue_facets(catalog: Catalog) -> dict[str, dict[str, int]]:
    """Each facet counted over the whole catalogue."""
    return catalog.index.search(Query(limit=1)).facets


def categories(catalog: Catalog) -> list[dict[str, Any]]:
    """Every category in order, with how many resources it holds."""
    counts = catalogue_facets(catalog)["category"]
    return [{**c.to_dict(), "count": counts.get(c.id, 0)} for c in catalog.categories]


def _summary(catalog: Catalog) -> dict[str, Any]:
    return {
        "version": catalog.version,
        "resources": len(catalog.resources),
        "sources": [s.to_dict() for s in catalog.sources],
    }


def catalogue_stats(catalog: Catalog) -> dict[str, Any]:
    """Resources by source, kind and category, and how many problems were skipped."""
    facets = catalogue_facets(catalog)
    return {
        **_summary(catalog),
        "kinds": facets["kind"],
        "categories": facets["category"],
        "problems": len(catalog.problems),
    }


def problems_by_source(catalog: Catalog) -> dict[str, list[Problem]]:
    """The catalogue's problems, by the source they came from, in the sources' order."""
    return {s.name: list(catalog.problems_of.get(s.name, ())) for s in catalog.sources}


def source_state(
    pack: Pack, name: str, status: SourceStatus | None, problems: Sequence[Problem]
) -> dict[str, Any]:
    """An optional source's state for people: ``off``, ``on``, ``missing`` or ``failed``.

    ``missing`` means there is nothing to read yet (no installed ComfyUI-Manager and
    nothing downloaded); ``failed`` carries the reason in ``detail``. ``skipped`` counts
    what was left out of the source's own data: entries, and single values (a bad id or
    model file) of entries that were kept. The Manager's state also
    names the node list read (``file``) and where it was found (``origin``: ``folder``,
    ``manager``, ``cache``, ``package`` or ``remote``; both empty when it is off).
    """
    where: dict[str, str] = {}
    if name == "manager":
        origin, file = pack.manager_origin()
        where = {"file": file, "origin": origin}
    if not pack.settings.get(name).enabled:
        return {"state": "off", "resources": 0, "skipped": 0, "detail": "", **where}
    resources = 0 if status is None else status.resources
    skipped = 0
    if status is not None and status.error:
        state, detail = "failed", status.error
    elif status is not None and resources > 0:
        state, detail = "on", ""
        clashes = sum(1 for p in problems if p.file == name and p.field == "id")
        skipped = status.problems + clashes  # also those left out of the list
    elif pack.refresh_target(name) is not None:
        state, detail = "missing", ""
    else:
        state = "failed"
        detail = str(problems[0]) if problems else "no entries in the folder's database"
    return {"state": state, "resources": resources, "skipped": skipped, "detail": detail, **where}


def sources_report(pack: Pack) -> dict[str, Any]:
    """Each source's state, the optional sources' settings, and the problems found.

    ``problems`` are those the user can fix (settings, their own entries, the curated
    list); ``upstream_problems`` (each with its ``source``) those in other sources' data,
    which only curators can take up with their maintainers.
    """
    catalog = pack.catalog()
    blocks = problems_by_source(catalog)
    problems: list[Problem] = [*pack.settings_problems]
    upstream: list[dict[str, Any]] = []
    for name, block in blocks.items():
        if name in OWN_SOURCES:
            problems += block
        else:
            upstream += [{"source": name, **p.to_dict()} for p in block]
    statuses = {s.name: s for s in catalog.sources}
    return {
        **_summary(catalog),
        "settings": pack.settings.to_dict(),
        "refresh": {name: pack.refresh_target(name) for name in OPTIONAL_SOURCES},
        "states": {
            name: source_state(pack, name, statuses.get(name), blocks.get(name, []))
            for name in OPTIONAL_SOURCES
        },
        "problems": [p.to_dict() for p in problems[:MAX_PROBLEMS_SHOWN]],
        "problem_count": len(problems),
        "upstream_problems": upstream[:MAX_PROBLEMS_SHOWN],
        "upstream_problem_count": len(upstream),
    }


def check_entry(catalog: Catalog, raw: object) -> dict[str, Any]:
    """Check a candidate entry with the rules the user's entries are added with."""
    resource, problems = parse_resource(
        raw, Location("request"), categories=entry_categories(catalog)
    )
    return {"ok": resource is not None, "problems": [p.to_dict() for p in problems]}


MAX_PROVIDERS = 50  # packs listed per node class (the real node map has at most 16 for one)


def node_providers(
    catalog: Catalog, types: object, marks: Marks, patterns: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The packs that provide each node class of ``types`` (a list of names), marked.

    A type's providers are the packs whose node map lists it in this exact spelling, since
    ComfyUI looks node classes up that way; only when none does, those that list it in
    another letter case, and then those whose Manager ``nodename_pattern`` (``patterns``,
    by canonical URL: ``\\(mtb\\)$`` for a pack that lists no names) finds it. Installed
    packs come first, then the most starred, at most :data:`MAX_PROVIDERS`. ``unmatched``
    counts the types no pack provides. :class:`DomainError` (invalid, ``param="types"``)
    names the first bad item.
    """
    by_pattern = _pattern_packs(catalog, patterns or {})
    answers: list[dict[str, Any]] = []
    for name in _node_type_names(types):
        found = catalog.index.providers(name.strip()) or [
            resource for pattern, resource in by_pattern if pattern.search(name)
        ]
        exact = [r for r in found if name.strip() in r.node_types]
        chosen = heapq.nsmallest(
            MAX_PROVIDERS,
            exact or found,
            key=lambda r: (r.id not in marks.installed, -(r.stars or -1), r.name.casefold()),
        )
        answers.append({"type": name, "providers": marks.mark([r.to_dict() for r in chosen])})
    unmatched = sum(1 for answer in answers if not answer["providers"])
    return {"types": answers, "unmatched": unmatched}


def _pattern_packs(
    catalog: Catalog, patterns: Mapping[str, str]
) -> list[tuple[re.Pattern[str], Resource]]:
    """The catalogue's packs that name their node classes by a pattern, with it compiled.

    The patterns were checked to be simple when read (no nested repetition), so a search
    over a name of at most 200 characters stays short.
    """
    if not patterns:
        return []
    return [
        (re.compile(patterns[r.canonical_url]), r)
        for r in catalog.resources
        if r.canonical_url in patterns
    ]


def _node_type_names(types: object) -> list[str]:
    """``types`` as distinct node class names, in order; :class:`DomainError` if it is not."""
    if not isinstance(types, list):
        raise DomainError(ErrorKind.INVALID, 'send {"types": [node class names]}', param="types")
    if len(types) > MAX_NODE_TYPES_ASKED:
        raise DomainError(
            ErrorKind.INVALID,
            f"{len(types)} node types; ask about {MAX_NODE_TYPES_ASKED} at most per request",
            param="types",
        )
    for position, item in enumerate(types):
        problem = node_type_problem(item)
        if problem is not None:
            raise DomainError(
                ErrorKind.INVALID, f"types[{position}] {excerpt(item)} {problem}", param="types"
            )
    return list(dict.fromkeys(types))
