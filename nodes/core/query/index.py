"""The search index: text scores, filters and facets together, then one ordered page."""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, islice
from typing import Any

from ..model import Resource
from .facets import FacetIndex, Facets, Sortable, restrict
from .params import Query
from .postings import int_view
from .text import TextIndex

MAX_CACHED_QUERIES = 256  # whole queries answered from memory (the least recently used go)
_STORED_ORDERS = ("name", "stars", "downloads", "updated")  # relevance is catalogue order


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

    :meth:`stored` gives what is built (the sort orders, the tie-breaking bonus, the
    postings, the typo table, the facet columns) as plain values and array bytes, and
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
        self._recent = lru_cache(maxsize=MAX_CACHED_QUERIES)(self.run)

    def _build(self) -> None:
        resources = self.resources
        docs = range(len(resources))
        by_name = sorted(docs, key=lambda d: (resources[d].name.casefold(), resources[d].id))
        name_rank = [0] * len(resources)
        for rank, doc in enumerate(by_name):
            name_rank[doc] = rank
        self._orders: dict[str, array[int] | memoryview] = {
            "name": array("i", by_name),
            "stars": _order(docs, lambda d: (-(resources[d].stars or -1), name_rank[d])),
            "downloads": _order(docs, lambda d: (-_downloads(resources[d]), name_rank[d])),
            "updated": _order(docs, lambda d: (_negated_date(resources[d].updated), name_rank[d])),
        }
        # Popularity breaks ties between equally good matches, then name order does.
        count = max(len(resources), 1)
        self._bonus = [
            _popularity(r) + (count - name_rank[d]) / count * 1e-3 for d, r in enumerate(resources)
        ]
        self._text = TextIndex(resources, self._bonus)
        self._facets = FacetIndex(resources)

    def _load(self, stored: Mapping[str, Any]) -> None:
        size = len(self.resources)
        self._orders = {name: int_view(stored["orders"][name]) for name in _STORED_ORDERS}
        bonus = stored["bonus"]
        if not isinstance(bonus, bytes):
            raise TypeError("the stored bonus is not an array")
        values = array("d")
        values.frombytes(bonus)
        self._bonus = values.tolist()  # read per match: a list is faster than the array
        if stored["size"] != size or {len(self._bonus), *map(len, self._orders.values())} != {size}:
            raise ValueError("the stored index is for another catalogue")
        self._text = TextIndex.from_stored(self.resources, self._bonus, stored["text"])
        self._facets = FacetIndex(self.resources, stored["facets"])

    def stored(self) -> dict[str, Any]:
        """Everything built, as plain values (strings, numbers, bytes) marshal can keep."""
        return {
            "size": len(self.resources),
            "orders": {name: self._orders[name].tobytes() for name in _STORED_ORDERS},
            "bonus": array("d", self._bonus).tobytes(),
            "text": self._text.stored(),
            "facets": self._facets.stored(),
        }

    def prepare_typos(self) -> None:
        """Build the typo table now (a few hundred ms at 6k entries) rather than on first use."""
        self._text.prepare_typos()

    def providers(self, node_type: str) -> list[Resource]:
        """The resources listing the node class ``node_type`` in any letter case."""
        return [self.resources[doc] for doc in self._text.node_types.providers(node_type)]

    def search(self, query: Query) -> SearchResult:
        """Run ``query``, or answer it from the memo of recent queries.

        Typing and backspacing ask the same queries again; a result is immutable and the
        index never changes, so the :data:`MAX_CACHED_QUERIES` most recent are kept.
        """
        return self._recent(query)

    def run(self, query: Query) -> SearchResult:
        """Run ``query`` without the memo: match, filter, count facets, order, cut one page."""
        text = query.text.strip()
        scores = self._text.scores(text) if text else None
        found: Collection[int] = range(len(self.resources)) if scores is None else scores.keys()
        base = found
        if query.ids is not None:  # the set every facet is counted in, like the text matches
            by_id = self._text.by_id
            base = restrict(base, [{by_id[i] for i in query.ids if i in by_id}])
        sets = self._facets.filter_sets(query)
        matched = restrict(base, chain.from_iterable(sets.values()))
        facets, sortable = self._facets.facets(base, sets, query) if query.facets else ({}, {})
        # The text alone is counted already: its matches before the ids and filters narrowed them.
        narrowed = query.ids is not None or any(sets.values())
        unfiltered = None if matched or not narrowed else len(found)
        end = query.offset + query.limit
        top: Sequence[int]
        if scores is not None and query.sort == "relevance":
            top = heapq.nlargest(end, matched, key=scores.__getitem__)
        else:
            order = (
                range(len(self.resources))
                if query.sort == "relevance"
                else self._orders[query.sort]
            )
            chosen = matched if isinstance(matched, set | range) else set(matched)
            # Walk the precomputed order only as far as the page needs.
            top = (
                list(islice(filter(chosen.__contains__, order), end))
                if len(chosen) < len(order)
                else order[:end]
            )
        items = tuple(self.resources[d] for d in top[query.offset :])
        return SearchResult(
            len(matched), query.offset, query.limit, items, facets, sortable, unfiltered
        )


# Registry downloads per GitHub star, roughly: turns a download count into the stars scale
# for packs the Registry counts but no star figure covers. An order of magnitude, no more.
DOWNLOADS_PER_STAR = 1000


def _popularity(resource: Resource) -> float:
    """log10 of the stars, else of the downloads in stars (:data:`DOWNLOADS_PER_STAR`)."""
    if resource.stars is None and resource.downloads:
        return math.log10(resource.downloads / DOWNLOADS_PER_STAR + 1)
    return math.log10((resource.stars or 0) + 1)


def _order(docs: range, key: Callable[[int], tuple[Any, int]]) -> array[int]:
    return array("i", sorted(docs, key=key))


def _downloads(resource: Resource) -> int:
    """Sort key part: the download count, -1 when unknown (so 0 downloads come before it)."""
    return -1 if resource.downloads is None else resource.downloads


def _negated_date(date: str) -> str:
    """Sort key that puts later ISO dates first and undated entries last."""
    if not date:
        return "~"
    return "".join(chr(ord("9") - int(c) + ord("0")) if c.isdigit() else c for c in date)
