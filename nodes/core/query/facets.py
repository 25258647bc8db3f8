"""Filters and facet counts: which documents have each category, kind, tag and source.

A facet counts each value over the matches of every *other* filter, so the choices a
user has not made yet stay visible with what choosing them would give.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from itertools import chain

from ..model import Resource
from .params import Query

FACET_TAGS = 40  # the most common tags shown as a facet; selected tags are always included
FACETS = ("category", "kind", "tag", "source")
Facets = dict[str, dict[str, int]]


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
    """The documents of each facet value, and the counts of the whole catalogue."""

    def __init__(self, resources: Sequence[Resource]) -> None:
        self._size = len(resources)
        self._columns = {
            "category": [r.category for r in resources],
            "kind": [r.kind for r in resources],
            "source": [r.source for r in resources],
        }
        self._tags = [r.tags for r in resources]
        self._filters: dict[str, dict[str, set[int]]] = {f: {} for f in FACETS}
        for name, column in self._columns.items():
            for doc, value in enumerate(column):
                self._filters[name].setdefault(value, set()).add(doc)
        for doc, tags in enumerate(self._tags):
            for tag in tags:
                self._filters["tag"].setdefault(tag, set()).add(doc)
        self._all = frozenset(range(self._size))
        self._all_counts: dict[str, Counter[str]] = {
            **{name: Counter(column) for name, column in self._columns.items()},
            "tag": Counter(chain.from_iterable(self._tags)),
        }
        self._all_facets: Facets | None = None
        # Each document's category, kind and source as one number, so a single pass counts
        # the three columns: there are few such combinations, each split up afterwards.
        combos: dict[tuple[str, ...], int] = {}
        self._combo = [
            combos.setdefault(values, len(combos))
            for values in zip(*self._columns.values(), strict=True)
        ]
        self._combos = list(combos)

    def filter_sets(self, query: Query) -> dict[str, list[set[int]]]:
        """For each facet, the document sets ``query``'s filters on it allow."""
        empty: set[int] = set()
        sets: dict[str, list[set[int]]] = {name: [] for name in FACETS}
        for name, value in (
            ("category", query.category),
            ("kind", query.kind),
            ("source", query.source),
        ):
            if value:
                sets[name].append(self._filters[name].get(value, empty))
        sets["tag"] = [self._filters["tag"].get(tag, empty) for tag in query.tags]
        return sets

    def facets(
        self, base: Collection[int], sets: dict[str, list[set[int]]], query: Query
    ) -> Facets:
        """Count each facet over ``base`` narrowed by the filters of every *other* facet."""
        if not any(sets.values()) and len(base) == self._size:
            if self._all_facets is None:
                self._all_facets = self._count(base, query)
            return self._all_facets
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
        for others, names in groups.values():
            counts.update(self._count(restrict(base, others), query, names))
        return {name: counts[name] for name in FACETS}

    def _count(self, docs: Collection[int], query: Query, only: Collection[str] = FACETS) -> Facets:
        # Counting what is left out is cheaper when most documents are in.
        complement = len(docs) * 2 > self._size
        counted = self._all.difference(docs) if complement else docs
        counts: Facets = {}
        names = [(i, name) for i, name in enumerate(self._columns) if name in only]
        if names:
            # Split in the order combinations first appear: each value keeps its place.
            columns: dict[str, Counter[str]] = {name: Counter() for _, name in names}
            for combo, count in Counter(map(self._combo.__getitem__, counted)).items():
                values = self._combos[combo]
                for i, name in names:
                    columns[name][values[i]] += count
            for _, name in names:
                found = self._tally(columns[name], name, complement)
                counts[name] = dict(found.most_common())
        if "tag" in only:
            tags = Counter(chain.from_iterable(map(self._tags.__getitem__, counted)))
            tags = self._tally(tags, "tag", complement)
            top = dict(tags.most_common(FACET_TAGS))
            top.update((tag, tags.get(tag, 0)) for tag in query.tags if tag not in top)
            counts["tag"] = top
        return counts

    def _tally(self, found: Counter[str], name: str, complement: bool) -> Counter[str]:
        if not complement:
            return found
        total = self._all_counts[name].copy()
        total.subtract(found)
        return +total  # drops zero counts
