"""The search index: text scores, filters and facets together, then one ordered page."""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, islice
from typing import Any

from ..model import Resource
from .facets import FacetIndex, Facets, restrict
from .params import Query
from .text import TextIndex

MAX_CACHED_QUERIES = 256  # whole queries answered from memory (the least recently used go)


@dataclass(frozen=True, slots=True)
class SearchResult:
    total: int
    offset: int
    limit: int
    items: tuple[Resource, ...]
    facets: Facets = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The shape served at ``GET /awesome/v1/resources`` and printed by ``search --json``."""
        return {
            "total": self.total,
            "offset": self.offset,
            "limit": self.limit,
            "items": [r.to_dict() for r in self.items],
            "facets": self.facets,
        }


class SearchIndex:
    """An immutable index over one catalogue's resources; build once, query many times."""

    def __init__(self, resources: Sequence[Resource]) -> None:
        self.resources = tuple(resources)
        docs = range(len(self.resources))
        by_name = sorted(
            docs, key=lambda d: (self.resources[d].name.casefold(), self.resources[d].id)
        )
        name_rank = [0] * len(self.resources)
        for rank, doc in enumerate(by_name):
            name_rank[doc] = rank
        self._orders: dict[str, list[int]] = {
            "relevance": list(docs),
            "name": by_name,
            "stars": sorted(docs, key=lambda d: (-(self.resources[d].stars or -1), name_rank[d])),
            "updated": sorted(
                docs, key=lambda d: (_negated_date(self.resources[d].updated), name_rank[d])
            ),
        }
        # Popularity breaks ties between equally good matches, then name order does.
        count = max(len(self.resources), 1)
        bonus = [
            math.log10((r.stars or 0) + 1) + (count - name_rank[d]) / count * 1e-3
            for d, r in enumerate(self.resources)
        ]
        self._text = TextIndex(self.resources, bonus)
        self._facets = FacetIndex(self.resources)
        self._recent = lru_cache(maxsize=MAX_CACHED_QUERIES)(self.run)

    def prepare_typos(self) -> None:
        """Build the typo table now (a few hundred ms at 6k entries) rather than on first use."""
        self._text.prepare_typos()

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
        base: Collection[int] = range(len(self.resources)) if scores is None else scores.keys()
        if query.ids is not None:  # the set every facet is counted in, like the text matches
            by_id = self._text.by_id
            base = restrict(base, [{by_id[i] for i in query.ids if i in by_id}])
        sets = self._facets.filter_sets(query)
        matched = restrict(base, chain.from_iterable(sets.values()))
        facets = self._facets.facets(base, sets, query) if query.facets else {}
        end = query.offset + query.limit
        if scores is not None and query.sort == "relevance":
            top = heapq.nlargest(end, matched, key=scores.__getitem__)
        else:
            order = self._orders[query.sort]
            chosen = matched if isinstance(matched, set | range) else set(matched)
            # Walk the precomputed order only as far as the page needs.
            top = (
                list(islice(filter(chosen.__contains__, order), end))
                if len(chosen) < len(order)
                else order[:end]
            )
        items = tuple(self.resources[d] for d in top[query.offset :])
        return SearchResult(len(matched), query.offset, query.limit, items, facets)


def _negated_date(date: str) -> str:
    """Sort key that puts later ISO dates first and undated entries last."""
    if not date:
        return "~"
    return "".join(chr(ord("9") - int(c) + ord("0")) if c.isdigit() else c for c in date)
