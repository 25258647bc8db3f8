"""Text matching: word tokens, the inverted index, prefixes, word forms, typos, exact ids.

A word matches exactly, as the prefix of a longer word, in another form of the same word
(a common English ending cut: "upscale" finds "upscaling"), or with one letter wrong or
left out (words of four letters or more); each field weighs differently, so a match in a
name outranks one in a description.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain
from operator import itemgetter

from ..constants import MAX_TERMS
from ..model import Resource
from ..urls import canonical_url, is_valid_url

# What a match in each field is worth, times how exact it is.
_NAME, _TAG, _AUTHOR, _DESCRIPTION = 8, 5, 4, 1
_EXACT, _PREFIX, _STEM, _TYPO = 10, 7, 5, 4
_EXACT_ID_OR_URL = 10_000
_TOKEN_RE = re.compile(r"[^\W_]+")
_CAMEL_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_OWNER_REPO_RE = re.compile(r"^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$")
_MIN_TYPO_LENGTH = 4
# Endings that make another form of the same English word ("upscaling", "upscaler",
# "upscale"): cut, the rest still has to be a prefix of an indexed word. Longest first.
_SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "er", "ed", "es", "s", "e")
_MIN_STEM = 4
_SHORT_PREFIX = 2  # prefixes this short are memoised: they match much of the vocabulary
MAX_CACHED_TERMS = 1024  # short prefixes memoised at most (the least recently used go first)


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


def stem(word: str) -> str:
    """``word`` without the first ending of :data:`_SUFFIXES` that leaves four letters or more.

    >>> [stem(w) for w in ("upscaling", "upscale", "upscaler", "faces", "video", "sdxl")]
    ['upscal', 'upscal', 'upscal', 'face', 'video', 'sdxl']
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def _deletes(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


class TextIndex:
    """The words of every document, by field weight; scores a text against them.

    ``bonus`` (one per document) breaks ties between equally good matches.
    """

    def __init__(self, resources: Sequence[Resource], bonus: Sequence[float]) -> None:
        self._bonus = bonus
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
        # Only real words take part in prefix and typo matching; compounds match whole.
        self._vocabulary = sorted(self._postings)
        for token, weights in compounds.items():
            merged = self._postings.setdefault(token, {})
            for doc, weight in weights.items():
                merged[doc] = max(weight, merged.get(doc, 0))
        self._by_url = {r.canonical_url: doc for doc, r in enumerate(resources)}
        self.by_id = {r.id: doc for doc, r in enumerate(resources)}
        self._typo_map: dict[str, list[str]] | None = None
        # Bounded whatever is typed: the memo keeps the most recent short prefixes, and the
        # tiers are kept for the index's own words only (a word it lacks has none).
        self._short_prefix = lru_cache(maxsize=MAX_CACHED_TERMS)(self._match)
        self._tier_cache: dict[str, list[tuple[int, list[int]]]] = {}

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

    def _term_scores(self, term: str) -> dict[int, int]:
        """The documents matching ``term`` exactly, as a word prefix or with a typo; how well."""
        if len(term) <= _SHORT_PREFIX:  # short prefixes match much of the vocabulary: memoise
            return self._short_prefix(term)
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
        root = stem(term)
        if root != term:  # other forms of the word: "upscale" finds "upscaling"
            for position in range(bisect_left(vocabulary, root), len(vocabulary)):
                token = vocabulary[position]
                if not token.startswith(root):
                    break
                if not token.startswith(term):
                    layers += [(weight * _STEM, docs) for weight, docs in self._tiers(token)]
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
            postings = self._postings.get(token)
            if postings is None:
                return []  # not a word of the index: nothing to keep
            groups: dict[int, list[int]] = {}
            for doc, weight in postings.items():
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
        if text in self.by_id:
            return self.by_id[text]
        if _OWNER_REPO_RE.match(text):
            text = f"https://github.com/{text}"
        if "://" in text and is_valid_url(text):
            return self._by_url.get(canonical_url(text))
        return None

    def scores(self, text: str) -> dict[int, float]:
        """Every document matching each word of ``text`` (the first few), with its score."""
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
