"""The one query engine: ranked text search, filters, facet counts, sorting and paging.

The nodes, the HTTP routes and the command line all call :meth:`SearchIndex.search`
with a :class:`Query`, so the sidebar never filters differently from a node.
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from operator import itemgetter
from typing import Any

from .constants import (
    DEFAULT_LIMIT,
    KINDS,
    MAX_FILTER_TAGS,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_TERMS,
    MAX_TEXT,
    SORTS,
)
from .model import Resource
from .urls import canonical_url, is_valid_url
from .validate import ID_RE, TAG_RE

FACET_TAGS = 40  # the most common tags shown as a facet; selected tags are always included
FACETS = ("category", "kind", "tag", "source")

# What a match in each field is worth, times how exact it is.
_NAME, _TAG, _AUTHOR, _DESCRIPTION = 8, 5, 4, 1
_EXACT, _PREFIX, _TYPO = 10, 7, 4
_EXACT_ID_OR_URL = 10_000
_TOKEN_RE = re.compile(r"[^\W_]+")
_CAMEL_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_OWNER_REPO_RE = re.compile(r"^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$")
_MIN_TYPO_LENGTH = 4
_SHORT_PREFIX = 2  # prefixes this short are memoised: they match much of the vocabulary


class QueryError(ValueError):
    """A query parameter is malformed; ``param`` names it for the caller's error message."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


@dataclass(frozen=True, slots=True)
class Query:
    """What to look for; an empty string or tuple means "no filter"."""

    text: str = ""
    category: str = ""
    kind: str = ""
    tags: tuple[str, ...] = ()
    source: str = ""
    ids: frozenset[str] | None = None  # restrict to these ids (favourites, user entries)
    sort: str = "relevance"
    offset: int = 0
    limit: int = DEFAULT_LIMIT
    facets: bool = True

    def __post_init__(self) -> None:
        check_query(self)


def check_query(query: Query) -> None:
    """Raise :class:`QueryError` for the first malformed field of ``query``."""
    if len(query.text) > MAX_TEXT:
        raise QueryError("q", f"is {len(query.text)} characters long; the limit is {MAX_TEXT}")
    for param, value in (("category", query.category), ("source", query.source)):
        if value and not ID_RE.match(value):
            raise QueryError(param, f"{value!r} is not a valid {param} id")
    if query.kind and query.kind not in KINDS:
        raise QueryError("kind", f"{query.kind!r} is not a kind; use one of: {', '.join(KINDS)}")
    if len(query.tags) > MAX_FILTER_TAGS:
        raise QueryError("tag", f"at most {MAX_FILTER_TAGS} tags can be combined")
    for tag in query.tags:
        if not TAG_RE.match(tag):
            raise QueryError("tag", f"{tag!r} is not a valid tag")
    if query.sort not in SORTS:
        raise QueryError("sort", f"{query.sort!r} is not a sort; use one of: {', '.join(SORTS)}")
    if isinstance(query.offset, bool) or not 0 <= query.offset <= MAX_OFFSET:
        raise QueryError("offset", f"must be between 0 and {MAX_OFFSET}")
    if isinstance(query.limit, bool) or not 1 <= query.limit <= MAX_LIMIT:
        raise QueryError("limit", f"must be between 1 and {MAX_LIMIT}")


def _int_param(params: Mapping[str, str], name: str, default: int) -> int:
    raw = params.get(name, "")
    if raw == "":
        return default
    if not raw.isascii() or not raw.isdigit():
        raise QueryError(name, f"must be a whole number, got {raw[:20]!r}")
    digits = raw.lstrip("0") or "0"
    # Longer numbers are out of every range; check_query says which range applies.
    return int(digits) if len(digits) <= 9 else 10**9  # noqa: PLR2004


def parse_query(params: Mapping[str, str], tags: Sequence[str] = (), **extra: Any) -> Query:
    """Build a :class:`Query` from string parameters (HTTP query strings, CLI options).

    >>> parse_query({"q": "video", "limit": "5"}).limit
    5
    >>> try:
    ...     parse_query({"sort": "best"})
    ... except QueryError as exc:
    ...     print(exc.param, "-", exc.message)
    sort - 'best' is not a sort; use one of: relevance, name, stars, updated
    """
    unknown = sorted(
        set(params)
        - {"q", "category", "kind", "tag", "source", "sort", "offset", "limit", "facets"}
    )
    if unknown:
        raise QueryError(unknown[0], "is not a known parameter")
    facets = params.get("facets", "1")
    if facets not in ("0", "1", "true", "false"):
        raise QueryError("facets", "must be 0 or 1")
    tag_list = tuple(tags) or ((params["tag"],) if params.get("tag") else ())
    return Query(
        text=params.get("q", "").strip(),
        category=params.get("category", "").strip(),
        kind=params.get("kind", "").strip(),
        tags=tuple(t.strip() for t in tag_list),
        source=params.get("source", "").strip(),
        sort=params.get("sort", "").strip() or "relevance",
        offset=_int_param(params, "offset", 0),
        limit=_int_param(params, "limit", DEFAULT_LIMIT),
        facets=facets in ("1", "true"),
        **extra,
    )


@dataclass(frozen=True, slots=True)
class SearchResult:
    total: int
    offset: int
    limit: int
    items: tuple[Resource, ...]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The shape served at ``GET /awesome/v1/resources`` and printed by ``search --json``."""
        return {
            "total": self.total,
            "offset": self.offset,
            "limit": self.limit,
            "items": [r.to_dict() for r in self.items],
            "facets": self.facets,
        }


def tokenize(text: str) -> list[str]:
    """Split text into lowercase word tokens.

    >>> tokenize("ComfyUI-KJNodes: v2 (Video_Helper)")
    ['comfyui', 'kjnodes', 'v2', 'video', 'helper']
    """
    return _TOKEN_RE.findall(text.casefold())


def name_tokens(name: str) -> set[str]:
    """Tokens of a name, also split at case changes and joined: ``KJNodes`` matches ``kj nodes``.

    >>> sorted(name_tokens("ComfyUI-KJNodes"))
    ['comfy', 'comfyui', 'comfyuikjnodes', 'kj', 'kjnodes', 'nodes', 'ui']
    """
    words = tokenize(name)
    tokens = set(words)
    tokens.update(part.casefold() for part in _CAMEL_RE.findall(name))
    if len(words) > 1:
        tokens.add("".join(words))
    return tokens


def _deletes(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


class SearchIndex:
    """An immutable index over one catalogue's resources; build once, query many times."""

    def __init__(self, resources: Sequence[Resource]) -> None:
        self.resources = tuple(resources)
        docs = range(len(self.resources))
        self._category = [r.category for r in self.resources]
        self._kind = [r.kind for r in self.resources]
        self._tags = [r.tags for r in self.resources]
        self._source = [r.source for r in self.resources]
        self._filters: dict[str, dict[str, set[int]]] = {f: {} for f in FACETS}
        for doc in docs:
            self._filters["category"].setdefault(self._category[doc], set()).add(doc)
            self._filters["kind"].setdefault(self._kind[doc], set()).add(doc)
            self._filters["source"].setdefault(self._source[doc], set()).add(doc)
            for tag in self._tags[doc]:
                self._filters["tag"].setdefault(tag, set()).add(doc)
        by_name = sorted(
            docs, key=lambda d: (self.resources[d].name.casefold(), self.resources[d].id)
        )
        self._name_rank = [0] * len(self.resources)
        for rank, doc in enumerate(by_name):
            self._name_rank[doc] = rank
        self._orders: dict[str, list[int]] = {
            "relevance": list(docs),
            "name": by_name,
            "stars": sorted(
                docs, key=lambda d: (-(self.resources[d].stars or -1), self._name_rank[d])
            ),
            "updated": sorted(
                docs, key=lambda d: (_negated_date(self.resources[d].updated), self._name_rank[d])
            ),
        }
        self._postings: dict[str, dict[int, int]] = {}
        self._compounds: dict[str, dict[int, int]] = {}
        for doc, resource in enumerate(self.resources):
            self._add(doc, tokenize(resource.description), _DESCRIPTION)
            self._add(doc, [*tokenize(resource.author), resource.author.casefold()], _AUTHOR)
            self._add(doc, chain.from_iterable((t, *tokenize(t)) for t in resource.tags), _TAG)
            words = set(tokenize(resource.name)) | set(tokenize(resource.id))
            self._add(doc, words, _NAME)
            extra = (name_tokens(resource.name) | name_tokens(resource.id)) - words
            self._add(doc, extra, _NAME, self._compounds)
        # Only real words take part in prefix and typo matching; compounds match whole.
        self._vocabulary = sorted(self._postings)
        for token, weights in self._compounds.items():  # not ``docs``: self._all needs that
            merged = self._postings.setdefault(token, {})
            for doc, weight in weights.items():
                merged[doc] = max(weight, merged.get(doc, 0))
        self._by_url = {r.canonical_url: doc for doc, r in enumerate(self.resources)}
        self._by_id = {r.id: doc for doc, r in enumerate(self.resources)}
        # Popularity breaks ties between equally good matches, then name order does.
        count = max(len(self.resources), 1)
        self._bonus = [
            math.log10((r.stars or 0) + 1) + (count - self._name_rank[d]) / count * 1e-3
            for d, r in enumerate(self.resources)
        ]
        self._all = frozenset(docs)
        self._typo_map: dict[str, list[str]] | None = None
        self._short_prefix: dict[str, dict[int, int]] = {}
        self._tier_cache: dict[str, list[tuple[int, list[int]]]] = {}
        self._all_facets: dict[str, dict[str, int]] | None = None
        self._all_counts: dict[str, Counter[str]] | None = None
        self._all_counts = {
            "category": Counter(self._category),
            "kind": Counter(self._kind),
            "source": Counter(self._source),
            "tag": Counter(chain.from_iterable(self._tags)),
        }

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

    # -- text matching -------------------------------------------------------------------

    def _term_scores(self, term: str) -> dict[int, int]:
        """The documents matching ``term`` exactly, as a word prefix or with a typo; how well."""
        if len(term) <= _SHORT_PREFIX:  # short prefixes match much of the vocabulary: memoise
            memo = self._short_prefix.get(term)
            if memo is None:
                memo = self._short_prefix[term] = self._match(term)
            return memo
        return self._match(term)

    def _match(self, term: str) -> dict[int, int]:
        layers = [(weight * _EXACT, docs) for weight, docs in self._tiers(term)]
        vocabulary = self._vocabulary
        for position in range(bisect_left(vocabulary, term), len(vocabulary)):
            token = vocabulary[position]
            if not token.startswith(term):
                break
            if token != term:
                layers += [(weight * _PREFIX, docs) for weight, docs in self._tiers(token)]
        if len(term) >= _MIN_TYPO_LENGTH:
            for token in self._typo_tokens(term):
                layers += [(weight * _TYPO, docs) for weight, docs in self._tiers(token)]
        # Applied from the weakest to the strongest, so each document keeps its best match;
        # every step is one C-level dict update instead of a loop over documents.
        layers.sort(key=itemgetter(0))
        scores: dict[int, int] = {}
        for value, docs in layers:
            scores.update(dict.fromkeys(docs, value))
        return scores

    def _tiers(self, token: str) -> list[tuple[int, list[int]]]:
        """A token's documents grouped by field weight, lowest first (computed once)."""
        tiers = self._tier_cache.get(token)
        if tiers is None:
            groups: dict[int, list[int]] = {}
            for doc, weight in self._postings.get(token, {}).items():
                groups.setdefault(weight, []).append(doc)
            tiers = self._tier_cache[token] = sorted(groups.items())
        return tiers

    def prepare_typos(self) -> dict[str, list[str]]:
        """Build the typo table (each word with one letter left out) unless it exists.

        It takes a few hundred ms at 6k entries, so the server builds it in the background
        after the first search instead of making the first typed word wait for it.
        """
        if self._typo_map is None:
            typo_map: dict[str, list[str]] = {}
            for token in self._vocabulary:
                if len(token) >= _MIN_TYPO_LENGTH:
                    for variant in _deletes(token) | {token}:
                        typo_map.setdefault(variant, []).append(token)
            self._typo_map = typo_map
        return self._typo_map

    def _typo_tokens(self, term: str) -> list[str]:
        typo_map = self.prepare_typos()
        found: set[str] = set()
        for variant in _deletes(term) | {term}:
            found.update(typo_map.get(variant, ()))
        found.discard(term)
        return sorted(t for t in found if not t.startswith(term))

    def _exact_hit(self, text: str) -> int | None:
        """A query that is a resource's id, URL or GitHub ``owner/repo`` names that resource."""
        if text in self._by_id:
            return self._by_id[text]
        if _OWNER_REPO_RE.match(text):
            text = f"https://github.com/{text}"
        if "://" in text and is_valid_url(text):
            return self._by_url.get(canonical_url(text))
        return None

    def _text_scores(self, text: str) -> dict[int, float]:
        hit = self._exact_hit(text)
        if hit is not None and "/" in text:
            return {hit: _EXACT_ID_OR_URL + self._bonus[hit]}  # a pasted URL or id means that one
        terms = list(dict.fromkeys(tokenize(text)))[:MAX_TERMS]
        per_term = sorted((self._term_scores(t) for t in terms), key=len)
        scores: dict[int, float] = {}
        if len(per_term) == 1:
            bonus = self._bonus
            scores = {doc: score + bonus[doc] for doc, score in per_term[0].items()}
        elif per_term:
            first, rest = per_term[0], per_term[1:]
            for doc, score in first.items():
                total = score
                for other in rest:
                    value = other.get(doc)
                    if value is None:
                        break
                    total += value
                else:
                    scores[doc] = total + self._bonus[doc]
        if hit is not None:
            scores[hit] = scores.get(hit, 0) + _EXACT_ID_OR_URL
        return scores

    # -- filtering, facets, ordering ------------------------------------------------------

    def _filter_sets(self, query: Query) -> dict[str, list[set[int]]]:
        empty: set[int] = set()
        sets: dict[str, list[set[int]]] = {name: [] for name in FACETS}
        if query.category:
            sets["category"].append(self._filters["category"].get(query.category, empty))
        if query.kind:
            sets["kind"].append(self._filters["kind"].get(query.kind, empty))
        if query.source:
            sets["source"].append(self._filters["source"].get(query.source, empty))
        sets["tag"] = [self._filters["tag"].get(tag, empty) for tag in query.tags]
        return sets

    def _restrict(self, docs: Collection[int], sets: Iterable[set[int]]) -> Collection[int]:
        for allowed in sorted(sets, key=len):
            docs = (
                allowed.intersection(docs)
                if len(allowed) < len(docs)
                else {d for d in docs if d in allowed}
            )
        return docs

    def _facets(
        self, base: Collection[int], sets: dict[str, list[set[int]]], query: Query
    ) -> dict[str, dict[str, int]]:
        """Count each facet over the matches of every *other* filter, so choices stay visible."""
        if not any(sets.values()) and len(base) == len(self.resources):
            if self._all_facets is None:
                self._all_facets = self._count(base, query)
            return self._all_facets
        facets: dict[str, dict[str, int]] = {}
        for name in FACETS:
            # One category, kind or source is chosen at a time, so each is counted without its
            # own filter; tags combine with AND, so they are counted within the matches.
            others = [
                s for other, group in sets.items() if other != name or name == "tag" for s in group
            ]
            docs = self._restrict(base, others)
            facets[name] = self._count(docs, query, only=name)[name]
        return facets

    def _count(
        self, docs: Collection[int], query: Query, only: str = ""
    ) -> dict[str, dict[str, int]]:
        # Counting what is left out is cheaper when most documents are in.
        complement = len(docs) * 2 > len(self.resources) and self._all_counts is not None
        counted = self._all.difference(docs) if complement else docs
        values = {"category": self._category, "kind": self._kind, "source": self._source}
        counts: dict[str, dict[str, int]] = {}
        for name, column in values.items():
            if not only or only == name:
                found = self._tally(Counter(map(column.__getitem__, counted)), name, complement)
                counts[name] = dict(found.most_common())
        if not only or only == "tag":
            tags = Counter(chain.from_iterable(map(self._tags.__getitem__, counted)))
            tags = self._tally(tags, "tag", complement)
            top = dict(tags.most_common(FACET_TAGS))
            top.update((tag, tags.get(tag, 0)) for tag in query.tags if tag not in top)
            counts["tag"] = top
        return counts

    def _tally(self, found: Counter[str], name: str, complement: bool) -> Counter[str]:
        if not complement:
            return found
        assert self._all_counts is not None  # noqa: S101 - checked by the caller
        total = self._all_counts[name].copy()
        total.subtract(found)
        return +total  # drops zero counts

    def search(self, query: Query) -> SearchResult:
        """Run ``query``: match, filter, count facets, order and cut one page."""
        text = query.text.strip()
        scores = self._text_scores(text) if text else None
        base: Collection[int] = range(len(self.resources)) if scores is None else scores.keys()
        if query.ids is not None:  # the set every facet is counted in, like the text matches
            base = self._restrict(base, [{self._by_id[i] for i in query.ids if i in self._by_id}])
        sets = self._filter_sets(query)
        matched = self._restrict(base, chain.from_iterable(sets.values()))
        facets = self._facets(base, sets, query) if query.facets else {}
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
