"""The query engine written out plainly, for the equivalence test.

The engine keeps its postings, typo table and sort orders in flat arrays (read back from
disk), numbers documents by rank, and matches, filters and counts with sets as integers,
stopping early where the rest cannot change a page. Here every rule is applied one document
at a time over dicts built as the engine built them before issue 11: a dict of documents
per token, with compounds merged in after every document's words, and a dict from each
one-letter-out variant to its words. What :class:`ReferenceIndex` answers is what the
rules say, so the engine must answer the same.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain

from nodes.core.constants import MAX_TERMS
from nodes.core.model import Resource
from nodes.core.query import FACET_TAGS, FACETS, Query, SearchResult
from nodes.core.query.facets import SORT_DATA
from nodes.core.query.index import _downloads, _negated_date, popularity
from nodes.core.query.node_types import NodeTypeIndex
from nodes.core.query.text import name_tokens, stem, tokenize
from nodes.core.query.typos import MIN_TYPO_LENGTH, TypoTable, deletes
from nodes.core.urls import canonical_url, is_valid_url

_COLUMNS = ("category", "kind", "source")
_OWNER_REPO = r"^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$"

_NAME, _TAG, _AUTHOR, _DESCRIPTION = 8, 5, 4, 1


class DictPostings:
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

    def weights(self, token: str) -> dict[int, int]:
        """Each document's best weight for ``token`` (empty when not indexed)."""
        return self._postings.get(token, {})


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


class ReferenceIndex:
    """The query engine's rules written out plainly, one document at a time: the oracle the
    engine (sets as integers, ranks, pruning) must agree with.

    - A term matches each token exactly (x10), as a prefix of a longer word (x7), in
      another form of the word (x5) or with one typo (x4), times the field's weight; a
      document keeps its best match per term and must match every term, scores adding up.
    - An id, URL or ``owner/repo`` names its entry; node class providers score as a name.
    - Relevance orders by score plus bonus (popularity, then name), then by bonus, then by
      catalogue position; without text, relevance is catalogue order.
    - Each facet counts over the matches of every other filter (tags: every filter); values
      by count, ties by where the value first appears in the catalogue; 40 tags at most,
      then each selected tag not among them.
    """

    def __init__(self, resources: Sequence[Resource]) -> None:
        self.resources = list(resources)
        n = len(resources)
        self.postings = DictPostings(resources)
        self.typos = DictTypos(self.postings.words)
        by_name = sorted(range(n), key=lambda d: (resources[d].name.casefold(), resources[d].id))
        name_rank = {doc: rank for rank, doc in enumerate(by_name)}
        count = max(n, 1)
        self.bonus = [
            popularity(r) + (count - name_rank[d]) / count * 1e-3 for d, r in enumerate(resources)
        ]
        self.orders: dict[str, list[int]] = {
            "relevance": list(range(n)),
            "name": by_name,
            "stars": sorted(range(n), key=lambda d: (-(resources[d].stars or -1), name_rank[d])),
            "downloads": sorted(range(n), key=lambda d: (-_downloads(resources[d]), name_rank[d])),
            "updated": sorted(
                range(n), key=lambda d: (_negated_date(resources[d].updated), name_rank[d])
            ),
        }
        self.node_types = NodeTypeIndex(resources)

    def providers(self, name: str) -> list[Resource]:
        return [self.resources[doc] for doc in sorted(self.node_types.providers(name))]

    def _term(self, term: str) -> dict[int, int]:
        scores: dict[int, int] = {}

        def add(token: str, exactness: int) -> None:
            for doc, weight in self.postings.weights(token).items():
                scores[doc] = max(scores.get(doc, 0), weight * exactness)

        add(term, 10)
        root = stem(term)
        for word in self.postings.words:
            if word.startswith(term) and word != term:
                add(word, 7)
            elif root != term and word.startswith(root) and not word.startswith(term):
                add(word, 5)
        if len(term) >= MIN_TYPO_LENGTH:
            for position in self.typos.reached(term, self.postings.words):
                word = self.postings.words[position]
                if not word.startswith(term):
                    add(word, 4)
        return scores

    def _hit(self, text: str) -> int | None:
        for doc, r in enumerate(self.resources):
            if r.id == text:
                return doc
        url = f"https://github.com/{text}" if re.match(_OWNER_REPO, text) else text
        if "://" in url and is_valid_url(url):
            wanted = canonical_url(url)
            for doc, r in enumerate(self.resources):
                if r.canonical_url == wanted:
                    return doc
        return None

    def scores(self, text: str) -> dict[int, int]:
        hit = self._hit(text)
        if hit is not None and "/" in text:
            return {hit: 10_000}
        per_term = [self._term(t) for t in list(dict.fromkeys(tokenize(text)))[:MAX_TERMS]]
        scores = (
            {d: sum(p[d] for p in per_term) for d in per_term[0] if all(d in p for p in per_term)}
            if per_term
            else {}
        )
        if hit is not None:
            scores[hit] = scores.get(hit, 0) + 10_000
        providers = self.node_types.providers(text)
        if providers:
            folded = text.casefold()
            plain = tokenize(text) == [folded] and bool(self.postings.weights(folded))
            value = 80 if plain else 10_000
            for doc in providers:
                scores[doc] = max(scores.get(doc, value), value)
        return scores

    def _has(self, doc: int, name: str, value: str) -> bool:
        r = self.resources[doc]
        return value in r.tags if name == "tag" else getattr(r, name) == value

    def search(self, query: Query) -> SearchResult:
        text = query.text.strip()
        scores = self.scores(text) if text else None
        found = set(range(len(self.resources))) if scores is None else set(scores)
        base = set(found)
        if query.ids is not None:
            base = {d for d in base if self.resources[d].id in query.ids}
        chosen = [
            *((name, value) for name in _COLUMNS if (value := getattr(query, name))),
            *(("tag", tag) for tag in query.tags),
        ]
        matched = {d for d in base if all(self._has(d, n, v) for n, v in chosen)}
        facets: dict[str, dict[str, int]] = {}
        sortable: dict[str, int] = {}
        if query.facets:
            for name in FACETS:
                others = [(n, v) for n, v in chosen if n != name or name == "tag"]
                docs = [d for d in sorted(base) if all(self._has(d, n, v) for n, v in others)]
                facets[name] = self._facet(name, docs, query.tags)
            sortable = {
                name: sum(1 for d in matched if test(self.resources[d]))
                for name, test in SORT_DATA.items()
            }
        narrowed = query.ids is not None or bool(chosen)
        unfiltered = None if matched or not narrowed else len(found)
        if scores is not None and query.sort == "relevance":
            bonus = self.bonus
            ordered = sorted(matched, key=lambda d: (-(scores[d] + bonus[d]), -bonus[d], d))
        else:
            ordered = [d for d in self.orders[query.sort] if d in matched]
        page = ordered[query.offset : query.offset + query.limit]
        items = tuple(self.resources[d] for d in page)
        return SearchResult(
            len(matched), query.offset, query.limit, items, facets, sortable, unfiltered
        )

    def _facet(self, name: str, docs: list[int], selected: tuple[str, ...]) -> dict[str, int]:
        def values(doc: int) -> tuple[str, ...]:
            r = self.resources[doc]
            return r.tags if name == "tag" else (getattr(r, name),)

        first: dict[str, tuple[int, int]] = {}
        for doc in range(len(self.resources)):
            for at, value in enumerate(values(doc)):
                first.setdefault(value, (doc, at))
        counts = Counter(v for d in docs for v in values(d))
        ordered = sorted(counts.items(), key=lambda vc: (-vc[1], first[vc[0]]))
        if name != "tag":
            return dict(ordered)
        top = dict(ordered[:FACET_TAGS])
        top.update((tag, counts.get(tag, 0)) for tag in selected if tag not in top)
        return top
