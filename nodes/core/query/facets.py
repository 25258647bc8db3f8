"""Filters and facet counts: which documents have each category, kind, tag and source.

A facet counts each value over the matches of every *other* filter, so the choices a
user has not made yet stay visible with what choosing them would give. In the same pass,
:data:`SORT_DATA` counts how many matches have what each data sort orders by, so a sort
the results lack data for can say so instead of silently ordering by name.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import cached_property
from itertools import chain
from typing import Any

from ..model import Resource
from .params import Query
from .postings import int_view

FACET_TAGS = 40  # the most common tags shown as a facet; selected tags are always included
FACETS = ("category", "kind", "tag", "source")
_COLUMNS = ("category", "kind", "source")  # one value per document
_EMPTY: set[int] = set()  # never changed: the documents of a value none has
Facets = dict[str, dict[str, int]]
Sortable = dict[str, int]
# The sorts that order by a figure entries may lack, and the test that says an entry has
# it; the rest follow by name. As the sort keys of index.py read them: 0 stars sorts with
# the unknown, 0 downloads does not.
SORT_DATA: dict[str, Callable[[Resource], bool]] = {
    "stars": lambda r: bool(r.stars),
    "updated": lambda r: bool(r.updated),
    "downloads": lambda r: r.downloads is not None,
}


def restrict(docs: Collection[int], sets: Iterable[set[int]]) -> Collection[int]:
    """The documents of ``docs`` that are in every one of ``sets``, smallest set first."""
    for allowed in sorted(sets, key=len):
        docs = (
            allowed.intersection(docs)
            if len(allowed) < len(docs)
            else {d for d in docs if d in allowed}
        )
    return docs


class FacetIndex:
    """Each document's category, kind, source and tags; the documents of each value, found on
    first use; and the counts of the whole catalogue.

    ``stored`` (from :meth:`stored`) is what a build of the same resources computed.
    """

    def __init__(
        self, resources: Sequence[Resource], stored: Mapping[str, Any] | None = None
    ) -> None:
        self._size = len(resources)
        self._tags = [r.tags for r in resources]
        if stored is None:
            # Each document's category, kind, source and which sort data it has as one number,
            # so a single pass counts them all: there are few such combinations, each split up
            # afterwards.
            has = [tuple(test(r) for test in SORT_DATA.values()) for r in resources]
            combos: dict[tuple[str | bool, ...], int] = {}
            self._combo = [
                combos.setdefault((r.category, r.kind, r.source, *flags), len(combos))
                for r, flags in zip(resources, has, strict=True)
            ]
            self._combos = list(combos)
        else:
            self._combo = int_view(stored["combo"]).tolist()  # read per match: a list is faster
            self._combos = [tuple(values) for values in stored["combos"]]
            counts = {name: Counter(found) for name, found in stored["counts"].items()}
            if (
                len(self._combo) != self._size
                or any(len(values) != len(_COLUMNS) + len(SORT_DATA) for values in self._combos)
                or list(counts) != [*_COLUMNS, "tag"]
                or list(stored["sortable"]) != list(SORT_DATA)
            ):
                raise ValueError("the stored facets are for another catalogue")
            self.__dict__.update(_all_counts=counts, _all_sortable=dict(stored["sortable"]))
        self._filters: dict[str, dict[str, set[int]]] = {f: {} for f in FACETS}
        self._all_facets: Facets | None = None

    def stored(self) -> dict[str, Any]:
        """The combinations and the whole catalogue's counts, for ``stored`` above."""
        return {
            "combo": array("i", self._combo).tobytes(),
            "combos": self._combos,
            "counts": {name: dict(found) for name, found in self._all_counts.items()},
            "sortable": self._all_sortable,
        }

    @cached_property
    def _all(self) -> frozenset[int]:
        return frozenset(range(self._size))

    @cached_property
    def _all_counts(self) -> dict[str, Counter[str]]:
        """Each facet's counts over the whole catalogue, values in order of first appearance."""
        counts: dict[str, Counter[str]] = {name: Counter() for name in _COLUMNS}
        # Combinations are numbered in the order they first appear, and so come their values.
        for combo, count in sorted(Counter(self._combo).items()):
            for name, value in zip(_COLUMNS, self._combos[combo], strict=False):
                counts[name][str(value)] += count
        counts["tag"] = Counter(chain.from_iterable(self._tags))
        return counts

    @cached_property
    def _all_sortable(self) -> Sortable:
        flags = len(_COLUMNS)
        found = Counter(self._combo)
        return {
            name: sum(n for combo, n in found.items() if self._combos[combo][flags + i])
            for i, name in enumerate(SORT_DATA)
        }

    def _docs_with(self, name: str, value: str) -> set[int]:
        """The documents whose facet ``name`` has ``value`` (kept once found: few values)."""
        known = self._filters[name].get(value)
        if known is not None:
            return known
        if name == "tag":
            found = {doc for doc, tags in enumerate(self._tags) if value in tags}
        else:
            at = _COLUMNS.index(name)
            combos = {n for n, values in enumerate(self._combos) if values[at] == value}
            found = {doc for doc, combo in enumerate(self._combo) if combo in combos}
        if not found:
            return _EMPTY  # a value no document has is not kept: anything can be asked
        self._filters[name][value] = found
        return found

    def filter_sets(self, query: Query) -> dict[str, list[set[int]]]:
        """For each facet, the document sets ``query``'s filters on it allow."""
        sets: dict[str, list[set[int]]] = {name: [] for name in FACETS}
        for name, value in (
            ("category", query.category),
            ("kind", query.kind),
            ("source", query.source),
        ):
            if value:
                sets[name].append(self._docs_with(name, value))
        sets["tag"] = [self._docs_with("tag", tag) for tag in query.tags]
        return sets

    def facets(
        self, base: Collection[int], sets: dict[str, list[set[int]]], query: Query
    ) -> tuple[Facets, Sortable]:
        """Count each facet over ``base`` narrowed by the filters of every *other* facet, and
        the matches (``base`` narrowed by every filter) that have each sort's data."""
        if not any(sets.values()) and len(base) == self._size:
            if self._all_facets is None:
                self._all_facets = self._count(base, query)[0]
            return self._all_facets, self._all_sortable
        # Facets narrowed by the same filters are counted together, in one pass over the same
        # documents: with no filter, or only tags, that is all four at once.
        groups: dict[tuple[int, ...], tuple[list[set[int]], list[str]]] = {}
        for name in FACETS:
            # One category, kind or source is chosen at a time, so each is counted without its
            # own filter; tags combine with AND, so they are counted within the matches.
            others = [
                s for other, group in sets.items() if other != name or name == "tag" for s in group
            ]
            groups.setdefault(tuple(map(id, others)), (others, []))[1].append(name)
        counts: Facets = {}
        sortable: Sortable = {}
        for others, names in groups.values():
            found, has = self._count(restrict(base, others), query, names)
            counts.update(found)
            sortable.update(has)
        return {name: counts[name] for name in FACETS}, sortable

    def _count(
        self, docs: Collection[int], query: Query, only: Collection[str] = FACETS
    ) -> tuple[Facets, Sortable]:
        """The facets of ``only`` over ``docs``; with the tag facet, the sort data too.

        Tags are counted within every filter, so the tag facet's documents are the matches.
        """
        # Counting what is left out is cheaper when most documents are in.
        complement = len(docs) * 2 > self._size
        counted = self._all.difference(docs) if complement else docs
        counts: Facets = {}
        sortable: Sortable = {}
        names = [(i, name) for i, name in enumerate(_COLUMNS) if name in only]
        # Split in the order combinations first appear: each value keeps its place.
        columns: dict[str, Counter[str]] = {name: Counter() for _, name in names}
        flags = len(_COLUMNS)
        has = [0] * len(SORT_DATA)
        for combo, count in Counter(map(self._combo.__getitem__, counted)).items():
            values = self._combos[combo]
            for i, name in names:
                columns[name][str(values[i])] += count
            for i in range(len(has)):
                has[i] += count if values[flags + i] else 0
        for _, name in names:
            found = self._tally(columns[name], name, complement)
            counts[name] = dict(found.most_common())
        if "tag" in only:
            tags = Counter(chain.from_iterable(map(self._tags.__getitem__, counted)))
            tags = self._tally(tags, "tag", complement)
            top = dict(tags.most_common(FACET_TAGS))
            top.update((tag, tags.get(tag, 0)) for tag in query.tags if tag not in top)
            counts["tag"] = top
            sortable = {
                name: self._all_sortable[name] - n if complement else n
                for name, n in zip(SORT_DATA, has, strict=True)
            }
        return counts, sortable

    def _tally(self, found: Counter[str], name: str, complement: bool) -> Counter[str]:
        if not complement:
            return found
        total = self._all_counts[name].copy()
        total.subtract(found)
        return +total  # drops zero counts
