"""Text matching: word tokens, the inverted index, prefixes, word forms, typos, exact ids.

A word matches exactly, as the prefix of a longer word, in another form of the same word
(a common English ending cut: "upscale" finds "upscaling"), or with one letter wrong or
left out (words of four letters or more); each field weighs differently, so a match in a
name outranks one in a description. A query that is a node class name (``VHS_LoadVideo``, in
any letter case) finds the packs that provide it first.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import cached_property, lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any

from ..constants import MAX_TERMS
from ..model import Resource
from ..urls import canonical_url, is_valid_url
from .node_types import NodeTypeIndex
from .postings import WEIGHTS, Postings, PostingsBuilder, Tiers
from .typos import MIN_TYPO_LENGTH, TypoTable

# What a match in each field is worth, times how exact it is.
_DESCRIPTION, _AUTHOR, _TAG, _NAME = WEIGHTS
_EXACT, _PREFIX, _STEM, _TYPO = 10, 7, 5, 4
_EXACT_ID_OR_URL = 10_000
_TOKEN_RE = re.compile(r"[^\W_]+")
_CAMEL_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_OWNER_REPO_RE = re.compile(r"^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$")
# Endings that make another form of the same English word ("upscaling", "upscaler",
# "upscale"): cut, the rest still has to be a prefix of an indexed word. Longest first.
_SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "er", "ed", "es", "s", "e")
_MIN_STEM = 4
_SHORT_PREFIX = 2  # prefixes this short are memoised: they match much of the vocabulary
MAX_CACHED_TERMS = 1024  # short prefixes memoised at most (the least recently used go first)
MAX_LISTED_TOKENS = 65_536  # tokens whose documents are kept as lists (then all let go)


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


def build_postings(resources: Sequence[Resource]) -> Postings:
    """Every document's words with the weight of the best field each is in."""
    builder = PostingsBuilder(len(resources))
    for doc, resource in enumerate(resources):
        # Fields from the lightest to the heaviest: a word keeps its best field's weight.
        weights = dict.fromkeys(tokenize(resource.description), _DESCRIPTION)
        author = [*tokenize(resource.author), resource.author.casefold()]
        weights.update(dict.fromkeys(author, _AUTHOR))
        tags = chain.from_iterable((t, *tokenize(t)) for t in resource.tags)
        weights.update(dict.fromkeys(tags, _TAG))
        words = set(tokenize(resource.name)) | set(tokenize(resource.id))
        weights.update(dict.fromkeys(words, _NAME))
        # Only real words take part in prefix and typo matching; compounds match whole.
        builder.add(doc, weights, (name_tokens(resource.name) | name_tokens(resource.id)) - words)
    return builder.build()


class TextIndex:
    """The words of every document, by field weight; scores a text against them.

    ``bonus`` (one per document) breaks ties between equally good matches. ``postings`` and
    ``typos`` are given when read back from disk; otherwise they are built here, the typo
    table on first use.
    """

    def __init__(
        self,
        resources: Sequence[Resource],
        bonus: Sequence[float],
        postings: Postings | None = None,
        typos: TypoTable | None = None,
    ) -> None:
        self._resources = resources
        self._bonus = bonus
        self._postings = build_postings(resources) if postings is None else postings
        self._typos = typos
        # Bounded whatever is typed: the memo keeps the most recent short prefixes, and the
        # lists are kept for the index's own tokens only, up to MAX_LISTED_TOKENS.
        self._short_prefix = lru_cache(maxsize=MAX_CACHED_TERMS)(self._match)
        self._listed: dict[int, Tiers] = {}

    @cached_property
    def by_id(self) -> dict[str, int]:
        return {r.id: doc for doc, r in enumerate(self._resources)}

    @cached_property
    def _by_url(self) -> dict[str, int]:
        return {r.canonical_url: doc for doc, r in enumerate(self._resources)}

    @cached_property
    def node_types(self) -> NodeTypeIndex:
        return NodeTypeIndex(self._resources)

    def stored(self) -> dict[str, Any]:
        """The postings and the typo table, for :meth:`from_stored` (the table built now)."""
        return {"postings": self._postings.stored(), "typos": self.prepare_typos().stored()}

    @classmethod
    def from_stored(
        cls, resources: Sequence[Resource], bonus: Sequence[float], stored: dict[str, Any]
    ) -> TextIndex:
        postings = Postings.from_stored(stored["postings"])
        return cls(resources, bonus, postings, TypoTable.from_stored(stored["typos"]))

    def _term_scores(self, term: str) -> dict[int, int]:
        """The documents matching ``term`` exactly, as a word prefix or with a typo; how well."""
        if len(term) <= _SHORT_PREFIX:  # short prefixes match much of the vocabulary: memoise
            return self._short_prefix(term)
        return self._match(term)

    def _match(self, term: str) -> dict[int, int]:
        tiers, words = self._tiers, self._postings.words
        exact = self._postings.position(term)
        layers = [] if exact is None else [(w * _EXACT, d) for w, d in tiers(exact)]
        for position in range(bisect_left(words, term), len(words)):
            token = words[position]
            if not token.startswith(term):
                break
            if token != term:
                layers += [(w * _PREFIX, d) for w, d in tiers(position)]
        root = stem(term)
        if root != term:  # other forms of the word: "upscale" finds "upscaling"
            for position in range(bisect_left(words, root), len(words)):
                token = words[position]
                if not token.startswith(root):
                    break
                if not token.startswith(term):
                    layers += [(w * _STEM, d) for w, d in tiers(position)]
        if len(term) >= MIN_TYPO_LENGTH:
            for position in self._typo_words(term):
                layers += [(w * _TYPO, d) for w, d in tiers(position)]
        # Applied from the weakest to the strongest, so each document keeps its best match;
        # every step is one C-level dict update instead of a loop over documents.
        layers.sort(key=itemgetter(0))
        scores: dict[int, int] = {}
        for value, docs in layers:
            scores.update(dict.fromkeys(docs, value))
        return scores

    def _tiers(self, position: int) -> Tiers:
        """A token's documents by weight, as lists once used: dicts are then made from them
        in C without an integer object made per document (the same ones serve every list)."""
        tiers = self._listed.get(position)
        if tiers is None:
            if len(self._listed) >= MAX_LISTED_TOKENS:  # bounded whatever is typed
                self._listed.clear()
            number = self._numbers.__getitem__
            tiers = [(w, list(map(number, docs))) for w, docs in self._postings.tiers(position)]
            self._listed[position] = tiers
        return tiers

    @cached_property
    def _numbers(self) -> list[int]:
        return list(range(len(self._resources)))

    def prepare_typos(self) -> TypoTable:
        """Build the typo table (each word with one letter left out) unless it exists.

        It takes about a second at 100k entries, so the server builds it in the background
        after the first search instead of making the first typed word wait for it.
        """
        if self._typos is None:
            self._typos = TypoTable.build(self._postings.words)
        return self._typos

    def _typo_words(self, term: str) -> list[int]:
        """The words a typo away from ``term``, in word order, not those it is a prefix of."""
        words = self._postings.words
        found = self.prepare_typos().reached(term, words)
        return sorted(p for p in found if not words[p].startswith(term))

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
        """Every document matching each word of ``text`` (the first few), with its score.

        A document providing the node class ``text`` names gets the top score of an exact id,
        unless ``text`` is one plain word of the index ("flux", "mask"): a pack with a node
        called ``Flux`` then counts as a name match, not above every pack about Flux.
        """
        hit = self._exact_hit(text)
        if hit is not None and "/" in text:  # a pasted URL or id means that one
            scores = {hit: _EXACT_ID_OR_URL + self._bonus[hit]}
        else:
            scores = self._word_scores(text)
            if hit is not None:
                scores[hit] = scores.get(hit, 0) + _EXACT_ID_OR_URL
        providers = self.node_types.providers(text)
        if providers:
            folded = text.casefold()
            plain_word = tokenize(text) == [folded] and self._postings.position(folded) is not None
            value = _NAME * _EXACT if plain_word else _EXACT_ID_OR_URL
            for doc in providers:
                scores[doc] = max(scores.get(doc, 0), value + self._bonus[doc])
        return scores

    def _word_scores(self, text: str) -> dict[int, float]:
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
        return scores
