"""The search index kept the way it was before issue 11, for the equivalence test.

The engine now keeps its postings, typo table, sort orders and facet columns in flat
arrays (and reads them back from disk). Here the same data is built as it used to be: a
dict of documents per token with compounds merged in after every document's words, a
dict from each one-letter-out variant to its words, lists of documents per sort, and
every filter's documents as a set built up front. :func:`reference_index` puts them in
place of the arrays, so the scoring code on top of them is what answers both ways.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from typing import Any

from nodes.core.model import Resource
from nodes.core.query import SearchIndex
from nodes.core.query.facets import SORT_DATA, FacetIndex
from nodes.core.query.index import _downloads, _negated_date, _popularity
from nodes.core.query.postings import Postings, Tiers
from nodes.core.query.text import TextIndex, name_tokens, tokenize
from nodes.core.query.typos import MIN_TYPO_LENGTH, TypoTable, deletes

_NAME, _TAG, _AUTHOR, _DESCRIPTION = 8, 5, 4, 1


class DictPostings(Postings):
    """Postings as a dict of dicts, built as the engine built them before."""

    def __init__(self, resources: Sequence[Resource]) -> None:
        self._postings: dict[str, dict[int, int]] = {}
        compounds: dict[str, dict[int, int]] = {}
        for doc, resource in enumerate(resources):
            self._add(doc, tokenize(resource.description), _DESCRIPTION)
            self._add(doc, [*tokenize(resource.author), resource.author.casefold()], _AUTHOR)
            self._add(doc, chain.from_iterable((t, *tokenize(t)) for t in resource.tags), _TAG)
            words = set(tokenize(resource.name)) | set(tokenize(resource.id))
            self._add(doc, words, _NAME)
            extra = (name_tokens(resource.name) | name_tokens(resource.id)) - words
            self._add(doc, extra, _NAME, compounds)
        self.words = sorted(self._postings)
        for token, weights in compounds.items():
            merged = self._postings.setdefault(token, {})
            for doc, weight in weights.items():
                merged[doc] = max(weight, merged.get(doc, 0))
        only = sorted(set(self._postings) - set(self.words))
        self._tokens = [*self.words, *only]
        self._numbers = {token: number for number, token in enumerate(self._tokens)}

    def _add(
        self,
        doc: int,
        tokens: Iterable[str],
        weight: int,
        postings: dict[str, dict[int, int]] | None = None,
    ) -> None:
        postings = self._postings if postings is None else postings
        for token in tokens:
            if not token:
                continue
            docs = postings.get(token)
            if docs is None:
                postings[token] = {doc: weight}
            elif docs.get(doc, 0) < weight:
                docs[doc] = weight

    def position(self, token: str) -> int | None:
        return self._numbers.get(token)

    def tiers(self, position: int) -> Tiers:
        groups: dict[int, list[int]] = {}
        for doc, weight in self._postings[self._tokens[position]].items():
            groups.setdefault(weight, []).append(doc)
        return sorted(groups.items())

    def prefixed(self, prefix: str) -> Iterator[int]:
        for position in range(bisect_left(self.words, prefix), len(self.words)):
            if not self.words[position].startswith(prefix):
                return
            yield position


class DictTypos(TypoTable):
    """The typo table as a dict from every variant to its words."""

    def __init__(self, words: Sequence[str]) -> None:
        self._map: dict[str, list[str]] = {}
        self._positions = {word: position for position, word in enumerate(words)}
        for token in words:
            if len(token) >= MIN_TYPO_LENGTH:
                for variant in deletes(token) | {token}:
                    self._map.setdefault(variant, []).append(token)

    def reached(self, term: str, words: Sequence[str]) -> set[int]:
        found: set[str] = set()
        for variant in deletes(term) | {term}:
            found.update(self._map.get(variant, ()))
        return {self._positions[token] for token in found}


def reference_index(resources: Sequence[Resource]) -> SearchIndex:
    """An index whose data is kept as before issue 11 (see the module docstring)."""
    index = SearchIndex(resources)
    docs = range(len(resources))
    by_name = sorted(docs, key=lambda d: (resources[d].name.casefold(), resources[d].id))
    name_rank = [0] * len(resources)
    for rank, doc in enumerate(by_name):
        name_rank[doc] = rank
    orders: dict[str, Any] = {
        "name": by_name,
        "stars": sorted(docs, key=lambda d: (-(resources[d].stars or -1), name_rank[d])),
        "downloads": sorted(docs, key=lambda d: (-_downloads(resources[d]), name_rank[d])),
        "updated": sorted(docs, key=lambda d: (_negated_date(resources[d].updated), name_rank[d])),
    }
    index._orders = orders
    count = max(len(resources), 1)
    bonus = [
        _popularity(r) + (count - name_rank[d]) / count * 1e-3 for d, r in enumerate(resources)
    ]
    postings = DictPostings(resources)
    index._text = TextIndex(resources, bonus, postings, DictTypos(postings.words))
    index._facets = _dict_facets(resources)
    return index


def _dict_facets(resources: Sequence[Resource]) -> FacetIndex:
    """Facets whose filter sets and whole-catalogue counts are built up front, as before."""
    facets = FacetIndex(resources)
    columns = {
        "category": [r.category for r in resources],
        "kind": [r.kind for r in resources],
        "source": [r.source for r in resources],
    }
    for name, column in columns.items():
        for doc, value in enumerate(column):
            facets._filters[name].setdefault(value, set()).add(doc)
    for doc, resource in enumerate(resources):
        for tag in resource.tags:
            facets._filters["tag"].setdefault(tag, set()).add(doc)
    has = [tuple(test(r) for test in SORT_DATA.values()) for r in resources]
    facets.__dict__.update(
        _all=frozenset(docs for docs in range(len(resources))),
        _all_counts={
            **{name: Counter(column) for name, column in columns.items()},
            "tag": Counter(chain.from_iterable(r.tags for r in resources)),
        },
        _all_sortable={name: sum(flags[i] for flags in has) for i, name in enumerate(SORT_DATA)},
    )
    return facets
