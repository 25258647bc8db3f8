"""The search index: text scores, filters and facets together, then one ordered page."""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain, compress, islice
from typing import Any

from ..model import Resource
from .bits import first, from_positions, members, positions, union
from .facets import FacetIndex, Facets, Sortable
from .params import Query
from .postings import int_view
from .text import Groups, TextIndex

MAX_CACHED_QUERIES = 256  # whole queries answered from memory (the least recently used go)
_STORED_ORDERS = ("name", "stars", "downloads", "updated")  # relevance is catalogue order
# A sorted page of few matches is their numbers sorted (about this many times the cost of
# stepping once through an order); of many, a walk through the order until the page is full.
_SORT_COST = 15


@dataclass(frozen=True, slots=True)
class SearchResult:
    total: int
    offset: int
    limit: int
    items: tuple[Resource, ...]
    facets: Facets = field(default_factory=dict)
    # How many matches have each sort's data (counted with the facets).
    sortable: Sortable = field(default_factory=dict)
    # Nothing matched the filters: how many the same text finds without them.
    unfiltered_total: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The shape served at ``GET /awesome/v1/resources`` and printed by ``search --json``."""
        document: dict[str, Any] = {
            "total": self.total,
            "offset": self.offset,
            "limit": self.limit,
            "items": [r.to_dict() for r in self.items],
            "facets": self.facets,
            "sortable": self.sortable,
        }
        if self.unfiltered_total is not None:
            document["unfiltered_total"] = self.unfiltered_total
        return document


class SearchIndex:
    """An immutable index over one catalogue's resources; build once, query many times.

    Inside, documents are numbered by rank: by the tie-breaking bonus (popularity, then
    name), best first. Sets of documents are integers (:mod:`.bits`), so matching,
    filtering and counting facets run in C over the whole catalogue at once, and the best
    matches of each score are that score's lowest numbers.

    :meth:`stored` gives what is built (the ranking, the sort orders, the postings, the typo
    table, the facet columns) as plain values and array bytes, and
    ``SearchIndex(resources, stored)`` takes them back for the same resources instead of
    building again (``ValueError``, ``TypeError`` or ``KeyError`` when they do not fit).
    """

    def __init__(
        self, resources: Sequence[Resource], stored: Mapping[str, Any] | None = None
    ) -> None:
        self.resources = tuple(resources)
        if stored is None:
            self._build()
        else:
            self._load(stored)
        self._everything = (1 << len(self.resources)) - 1
        self._place_of: dict[str, Sequence[int]] = {}
        self._recent = lru_cache(maxsize=MAX_CACHED_QUERIES)(self.run)

    def _build(self) -> None:
        resources = self.resources
        docs = range(len(resources))
        by_name = sorted(docs, key=lambda d: (resources[d].name.casefold(), resources[d].id))
        name_rank = [0] * len(resources)
        for place, doc in enumerate(by_name):
            name_rank[doc] = place
        # Popularity breaks ties between equally good matches, then name order does.
        count = max(len(resources), 1)
        bonus = [
            popularity(r) + (count - name_rank[d]) / count * 1e-3 for d, r in enumerate(resources)
        ]
        self._by_rank: Sequence[int] = array("i", sorted(docs, key=lambda d: (-bonus[d], d)))
        self._bonus = [bonus[doc] for doc in self._by_rank]
        rank = _inverse(self._by_rank)
        names = [name_rank[doc] for doc in self._by_rank]
        self._ranked = ranked = list(map(resources.__getitem__, self._by_rank))
        ranks = range(len(ranked))
        self._orders: dict[str, array[int] | memoryview] = {
            "name": array("i", map(rank.__getitem__, by_name)),
            "stars": _order(ranks, lambda r: (-(ranked[r].stars or -1), names[r])),
            "downloads": _order(ranks, lambda r: (-_downloads(ranked[r]), names[r])),
            "updated": _order(ranks, lambda r: (_negated_date(ranked[r].updated), names[r])),
        }
        self._text = TextIndex(ranked)
        self._facets = FacetIndex(ranked, self._by_rank)

    def _load(self, stored: Mapping[str, Any]) -> None:
        size = len(self.resources)
        self._by_rank = int_view(stored["by_rank"])
        self._orders = {name: int_view(stored["orders"][name]) for name in _STORED_ORDERS}
        bonus = stored["bonus"]
        if not isinstance(bonus, bytes):
            raise TypeError("the stored bonus is not an array")
        values = array("d")
        values.frombytes(bonus)
        self._bonus = values.tolist()
        sizes = {len(self._bonus), len(self._by_rank), *map(len, self._orders.values())}
        if stored["size"] != size or sizes != {size} or set(self._by_rank) != set(range(size)):
            raise ValueError("the stored index is for another catalogue")
        self._ranked = ranked = list(map(self.resources.__getitem__, self._by_rank))
        self._text = TextIndex.from_stored(ranked, stored["text"])
        self._facets = FacetIndex(ranked, self._by_rank, stored["facets"])

    def stored(self) -> dict[str, Any]:
        """Everything built, as plain values (strings, numbers, bytes) marshal can keep."""
        return {
            "size": len(self.resources),
            "by_rank": array("i", self._by_rank).tobytes(),
            "orders": {name: self._orders[name].tobytes() for name in _STORED_ORDERS},
            "bonus": array("d", self._bonus).tobytes(),
            "text": self._text.stored(),
            "facets": self._facets.stored(),
        }

    @cached_property
    def _catalogue_order(self) -> Sequence[int]:
        """The ranks in catalogue order: relevance when nothing is typed."""
        return _inverse(self._by_rank)

    def prepare_typos(self) -> None:
        """Build the typo table now (a few hundred ms at 6k entries) rather than on first use."""
        self._text.prepare_typos()

    def prepare(self) -> None:
        """Make now what searches would make on first use: the typo table, the id, URL and
        node class lookups and the catalogue order (0.1-0.2 s at 100k entries when the
        rest is read back from the kept catalogue)."""
        self._text.prepare()
        _ = self._catalogue_order

    def providers(self, node_type: str) -> list[Resource]:
        """The resources listing the node class ``node_type`` in any letter case."""
        found = sorted(self._by_rank[r] for r in self._text.node_types.providers(node_type))
        return [self.resources[doc] for doc in found]

    def search(self, query: Query) -> SearchResult:
        """Run ``query``, or answer it from the memo of recent queries.

        Typing and backspacing ask the same queries again; a result is immutable and the
        index never changes, so the :data:`MAX_CACHED_QUERIES` most recent are kept.
        """
        return self._recent(query)

    def run(self, query: Query) -> SearchResult:
        """Run ``query`` without the memo: match, filter, count facets, order, cut one page."""
        text = query.text.strip()
        groups = self._text.groups(text) if text else None
        found = self._everything if groups is None else union(list(groups.values()))
        base = found
        if query.ids is not None:  # the set every facet is counted in, like the text matches
            by_id = self._text.by_id
            chosen = {by_id[i] for i in query.ids if i in by_id}
            base &= from_positions(chosen, len(self.resources), len(chosen))
        sets = self._facets.filter_sets(query)
        matched = base
        for allowed in chain.from_iterable(sets.values()):
            matched &= allowed
        facets, sortable = self._facets.facets(base, sets, query) if query.facets else ({}, {})
        # The text alone is counted already: its matches before the ids and filters narrowed them.
        narrowed = query.ids is not None or any(sets.values())
        unfiltered = None if matched or not narrowed else found.bit_count()
        total = matched.bit_count()
        end = query.offset + query.limit
        top: Sequence[int]
        if groups is not None and query.sort == "relevance":
            top = self._best(groups, matched, end)
        else:
            top = self._walk(query.sort, matched, total, end)
        items = tuple(self._ranked[r] for r in top[query.offset :])
        return SearchResult(total, query.offset, query.limit, items, facets, sortable, unfiltered)

    def _best(self, groups: Groups, matched: int, end: int) -> list[int]:
        """The ``end`` best of ``matched`` by score plus bonus, best first.

        Within one score the best are the lowest ranks; a lower score is looked at only while
        its best could still beat the last of those kept so far.
        """
        bonus = self._bonus
        highest = bonus[0] if bonus else 0.0
        kept: list[tuple[float, int]] = []
        for value in sorted(groups, reverse=True):
            if len(kept) >= end and value + highest < -kept[-1][0]:
                break
            ranks = first(groups[value] & matched, end)
            kept += [(-(value + bonus[r]), r) for r in ranks]
            kept.sort()
            del kept[end:]
        return [r for _, r in kept]

    def _walk(self, sort: str, matched: int, total: int, end: int) -> Sequence[int]:
        """The first ``end`` of ``matched`` in the order of ``sort``."""
        order = self._order_of(sort)
        size = len(self.resources)
        if total == size:
            return order[:end]
        if total * _SORT_COST < min(size, end * size // max(total, 1)):  # few: sort them
            place = self._places(sort)
            return sorted(positions(matched), key=place.__getitem__)[:end]
        member = members(matched, size)  # many: walk the order only as far as the page needs
        return list(islice(compress(order, map(member.__getitem__, order)), end))

    def _order_of(self, sort: str) -> Sequence[int]:
        """The ranks in the order of ``sort``; relevance without text is catalogue order."""
        return self._catalogue_order if sort == "relevance" else self._orders[sort]

    def _places(self, sort: str) -> Sequence[int]:
        """Where each rank stands in the order of ``sort`` (made on first use); a rank's
        place in the catalogue is its document number, kept already."""
        if sort == "relevance":
            return self._by_rank
        found = self._place_of.get(sort)
        if found is None:
            found = self._place_of[sort] = _inverse(self._orders[sort])
        return found


def _inverse(order: Sequence[int]) -> array[int]:
    """The position of each number in ``order``, a permutation of ``range(len(order))``."""
    place = array("i", bytes(len(order) * array("i").itemsize))
    for position, number in enumerate(order):
        place[number] = position
    return place


# Registry downloads per GitHub star, roughly: turns a download count into the stars scale
# for packs the Registry counts but no star figure covers. An order of magnitude, no more.
DOWNLOADS_PER_STAR = 1000


def popularity(resource: Resource) -> float:
    """log10 of the stars, else of the downloads in stars (:data:`DOWNLOADS_PER_STAR`)."""
    if resource.stars is None and resource.downloads:
        return math.log10(resource.downloads / DOWNLOADS_PER_STAR + 1)
    return math.log10((resource.stars or 0) + 1)


def _order(ranks: range, key: Callable[[int], tuple[Any, int]]) -> array[int]:
    return array("i", sorted(ranks, key=key))


def _downloads(resource: Resource) -> int:
    """Sort key part: the download count, -1 when unknown (so 0 downloads come before it)."""
    return -1 if resource.downloads is None else resource.downloads


def _negated_date(date: str) -> str:
    """Sort key that puts later ISO dates first and undated entries last."""
    if not date:
        return "~"
    return "".join(chr(ord("9") - int(c) + ord("0")) if c.isdigit() else c for c in date)
