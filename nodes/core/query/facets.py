"""Filters and facet counts: which documents have each category, kind, tag and source.

A facet counts each value over the matches of every *other* filter, so the choices a
user has not made yet stay visible with what choosing them would give. In the same pass,
:data:`SORT_DATA` counts how many matches have what each data sort orders by, so a sort
the results lack data for can say so instead of silently ordering by name.
"""

from __future__ import annotations

from array import array
from bisect import insort
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from functools import cached_property
from itertools import chain
from typing import Any

from ..model import Resource
from .bits import from_positions, members, positions, union
from .params import Query
from .postings import int_view

FACET_TAGS = 40  # the most common tags shown as a facet; selected tags are always included
FACETS = ("category", "kind", "tag", "source")
_COLUMNS = ("category", "kind", "source")  # one value per document
TAG_SETS_BYTES = 8 << 20  # the most used tags' sets, kept as integers up to this in all
_FEW_DOCS = 32  # one document in this many or fewer: tags counted document by document
MAX_KEPT_FILTERS = 256  # filter sets kept (then all let go), up to 12.5 KB each at 100k
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


class FacetIndex:
    """Each document's category, kind, source and tags, and sets of documents (:mod:`.bits`)
    for each value, so counting a value among the matches is one ``&`` and one
    ``bit_count``. Values are ordered by count, then by where they first appear in the
    catalogue.

    ``stored`` (from :meth:`stored`) is what a build of the same resources computed.
    """

    def __init__(
        self,
        resources: Sequence[Resource],
        places: Sequence[int],
        stored: Mapping[str, Any] | None = None,
    ) -> None:
        # ``places``: each document's place in the catalogue, whose order breaks ties.
        self._size = size = len(resources)
        self._tags = [r.tags for r in resources]
        self._everything = (1 << size) - 1
        if stored is None:
            self._combos, self._combo_sets = _combinations(resources, places)
            names, tag_docs = _tag_lists(self._tags, places)
            self._tag_docs: dict[str, Sequence[int]] = dict(zip(names, tag_docs, strict=True))
            sets = None
        else:
            self._combos = [tuple(values) for values in stored["combos"]]
            self._combo_sets = [int.from_bytes(b, "little") for b in stored["combo_sets"]]
            if (
                any(len(values) != len(_COLUMNS) + len(SORT_DATA) for values in self._combos)
                or len(self._combo_sets) != len(self._combos)
                or sum(found.bit_count() for found in self._combo_sets) != size
                or union(self._combo_sets) != self._everything
            ):
                raise ValueError("the stored facets are for another catalogue")
            names, starts, docs = stored["tags"], stored["tag_starts"], stored["tag_docs"]
            starts, docs = int_view(starts), int_view(docs)
            if (
                not isinstance(names, list)
                or len(starts) != len(names) + 1
                or starts[-1] != len(docs)
                or (len(docs) and not 0 <= min(docs) <= max(docs) < size)
            ):
                raise ValueError("the stored tags are for another catalogue")
            self._tag_docs = {name: docs[starts[n] : starts[n + 1]] for n, name in enumerate(names)}
            sets = [int.from_bytes(b, "little") for b in stored["tag_sets"]]
        self._tag_order = {tag: number for number, tag in enumerate(self._tag_docs)}
        self._tags_by_size = self._by_size(sets)
        # Bounded whatever is asked: a filter's set is kept only for values some document
        # has, MAX_KEPT_FILTERS at most.
        self._filters: dict[str, dict[str, int]] = {f: {} for f in FACETS}
        self._all_facets: Facets | None = None

    def stored(self) -> dict[str, Any]:
        """The combinations and the tags with their sets, for ``stored`` above."""
        starts = array("i", [0])
        for docs in self._tag_docs.values():
            starts.append(starts[-1] + len(docs))
        return {
            "combos": self._combos,
            "combo_sets": [_bytes(found, self._size) for found in self._combo_sets],
            "tags": list(self._tag_docs),
            "tag_starts": starts.tobytes(),
            "tag_docs": array("i", chain.from_iterable(self._tag_docs.values())).tobytes(),
            "tag_sets": [
                _bytes(found, self._size)
                for _, _, found in self._tags_by_size
                if isinstance(found, int)
            ],
        }

    def _by_size(self, sets: list[int] | None) -> list[tuple[str, int, int | array[int]]]:
        """(tag, documents, their set) from the most used tag down: the set as an integer
        for the most used tags (up to :data:`TAG_SETS_BYTES` in all; ``sets`` when read
        back), else as an array of numbers (an integer of 12.5 KB each for thousands of rare
        tags would be too much)."""
        ordered = sorted(self._tag_docs.items(), key=lambda entry: -len(entry[1]))
        as_sets = TAG_SETS_BYTES * 8 // max(self._size, 1) if sets is None else len(sets)
        if sets is not None and len(sets) > len(ordered):
            raise ValueError("the stored tag sets are for another catalogue")
        found: list[tuple[str, int, int | array[int]]] = []
        for number, (tag, docs) in enumerate(ordered):
            if number >= as_sets:
                found.append((tag, len(docs), array("i", docs)))
            elif sets is None:
                found.append((tag, len(docs), from_positions(docs, self._size, len(docs))))
            else:
                found.append((tag, len(docs), sets[number]))
        return found

    @cached_property
    def _first_seen(self) -> list[dict[str, int]]:
        """For each column, where each value first appears (combinations are in that order)."""
        found: list[dict[str, int]] = [{} for _ in _COLUMNS]
        for number, values in enumerate(self._combos):
            for i, first in enumerate(found):
                first.setdefault(str(values[i]), number)
        return found

    def _docs_with(self, name: str, value: str) -> int:
        """The documents whose facet ``name`` has ``value``."""
        known = self._filters[name].get(value)
        if known is not None:
            return known
        if name == "tag":
            docs = self._tag_docs.get(value, [])
            found = from_positions(docs, self._size, len(docs))
        else:
            at = _COLUMNS.index(name)
            found = union(
                [
                    docs
                    for values, docs in zip(self._combos, self._combo_sets, strict=True)
                    if values[at] == value
                ]
            )
        if found:  # a value no document has is not kept: anything can be asked
            if sum(map(len, self._filters.values())) >= MAX_KEPT_FILTERS:
                for kept in self._filters.values():
                    kept.clear()
            self._filters[name][value] = found
        return found

    def filter_sets(self, query: Query) -> dict[str, list[int]]:
        """For each facet, the document sets ``query``'s filters on it allow."""
        sets: dict[str, list[int]] = {name: [] for name in FACETS}
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
        self, base: int, sets: dict[str, list[int]], query: Query
    ) -> tuple[Facets, Sortable]:
        """Count each facet over ``base`` narrowed by the filters of every *other* facet, and
        the matches (``base`` narrowed by every filter) that have each sort's data."""
        if not any(sets.values()) and base == self._everything:
            if self._all_facets is None:
                self._all_facets, self._all_sortable = self._count(base, query)
            return self._all_facets, self._all_sortable
        # Facets narrowed by the same filters are counted together: with no filter, or only
        # tags, all four at once.
        groups: dict[tuple[int, ...], tuple[list[int], list[str]]] = {}
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
            docs = base
            for allowed in others:
                docs &= allowed
            found, has = self._count(docs, query, names)
            counts.update(found)
            sortable.update(has)
        return {name: counts[name] for name in FACETS}, sortable

    def _count(
        self, docs: int, query: Query, only: Collection[str] = FACETS
    ) -> tuple[Facets, Sortable]:
        """The facets of ``only`` over ``docs``; with the tag facet, the sort data too.

        Tags are counted within every filter, so the tag facet's documents are the matches.
        """
        counts: Facets = {}
        names = [(i, name) for i, name in enumerate(_COLUMNS) if name in only]
        columns: dict[str, Counter[str]] = {name: Counter() for _, name in names}
        flags = len(_COLUMNS)
        has = [0] * len(SORT_DATA)
        for values, combo_docs in zip(self._combos, self._combo_sets, strict=True):
            count = (docs & combo_docs).bit_count()
            if not count:
                continue
            for i, name in names:
                columns[name][str(values[i])] += count
            for i in range(len(has)):
                has[i] += count if values[flags + i] else 0
        for i, name in names:
            first = self._first_seen[i]
            ordered = sorted(columns[name].items(), key=lambda vc: (-vc[1], first[vc[0]]))
            counts[name] = dict(ordered)
        sortable: Sortable = {}
        if "tag" in only:
            counts["tag"] = self._count_tags(docs, query.tags)
            sortable = dict(zip(SORT_DATA, has, strict=True))
        return counts, sortable

    def _count_tags(self, docs: int, chosen: Sequence[str]) -> dict[str, int]:
        """The :data:`FACET_TAGS` most common tags of ``docs``, then each of ``chosen``."""
        order = self._tag_order
        if docs.bit_count() * _FEW_DOCS <= self._size:  # few documents: count their tags
            counted = Counter(chain.from_iterable(map(self._tags.__getitem__, positions(docs))))
            found = sorted((-count, order[tag], tag) for tag, count in counted.items())
        else:
            found = self._count_tag_sets(docs)
        top = {tag: -count for count, _, tag in found[:FACET_TAGS]}
        for tag in chosen:
            if tag not in top:
                top[tag] = (docs & self._docs_with("tag", tag)).bit_count()
        return top

    def _count_tag_sets(self, docs: int) -> list[tuple[int, int, str]]:
        """Each tag's documents among ``docs``, from the most used tag down, until no later
        tag can be among the :data:`FACET_TAGS` most common: (-count, place, tag), sorted."""
        member: bytes | None = None
        found: list[tuple[int, int, str]] = []
        order = self._tag_order
        for tag, size, tag_docs in self._tags_by_size:
            if len(found) >= FACET_TAGS and size < -found[FACET_TAGS - 1][0]:
                break  # this tag and every later one have fewer documents than the last kept
            if isinstance(tag_docs, int):
                count = (docs & tag_docs).bit_count()
            else:
                if member is None:
                    member = members(docs, self._size)
                count = sum(map(member.__getitem__, tag_docs))
            if count:
                insort(found, (-count, order[tag], tag))
        return found


def _combinations(
    resources: Sequence[Resource], places: Sequence[int]
) -> tuple[list[tuple[str | bool, ...]], list[int]]:
    """Each document's category, kind, source and which sort data it has, as one of a few
    combinations, numbered in the catalogue order of their first document; the documents
    of each."""
    has = [tuple(test(r) for test in SORT_DATA.values()) for r in resources]
    combos: dict[tuple[str | bool, ...], list[int]] = {}
    for doc, (r, flags) in enumerate(zip(resources, has, strict=True)):
        combos.setdefault((r.category, r.kind, r.source, *flags), []).append(doc)
    ordered = sorted(combos.items(), key=lambda entry: min(map(places.__getitem__, entry[1])))
    size = len(resources)
    return [values for values, _ in ordered], [
        from_positions(docs, size, len(docs)) for _, docs in ordered
    ]


def _tag_lists(
    tags: Sequence[tuple[str, ...]], places: Sequence[int]
) -> tuple[list[str], list[list[int]]]:
    """The tags in the order they first appear in the catalogue, and the documents of each."""
    first: dict[str, tuple[int, int]] = {}
    docs: dict[str, list[int]] = {}
    size = len(tags)
    for doc, found in enumerate(tags):
        place = places[doc]
        for at, tag in enumerate(found):
            docs.setdefault(tag, []).append(doc)
            if (place, at) < first.get(tag, (size, 0)):
                first[tag] = (place, at)
    names = sorted(first, key=first.__getitem__)
    return names, [docs[name] for name in names]


def _bytes(found: int, size: int) -> bytes:
    return found.to_bytes((size + 7) // 8, "little")
