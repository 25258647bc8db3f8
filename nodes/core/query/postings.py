"""The inverted index in flat arrays: each token's documents, grouped by field weight.

A dict of documents per token costs about 100 bytes a posting at 100k entries (2.5 million
postings, 240 MB). Here every posting is one 4-byte document number in a single array;
the tokens are two sorted lists (words, which prefixes and typos reach, and compounds,
which match only whole), and one offset per token and weight says where its documents
are. The array holds every token's documents of the lowest weight, then of the next, and
so on: the words sharing a prefix are neighbours, so their documents of one weight are one
slice, however many words there are. The arrays are what is kept on disk, read back
without a rebuild.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence
from itertools import chain, repeat
from operator import mod
from typing import Any

WEIGHTS = (1, 4, 5, 8)  # a field's weight; a token's documents are grouped by these, lowest first
_TIERS = len(WEIGHTS)
_SLOT = {weight: tier * 2 for tier, weight in enumerate(WEIGHTS)}
_COMPOUND = -1  # the weight a document gives a token it has only as a compound
_SLOT[_COMPOUND] = _SLOT[WEIGHTS[-1]] + 1
_LAST = chr(0x10FFFF)  # after every character: prefix + _LAST follows every longer word
# (weight, documents): in document order, those with the token only as a compound last
Tiers = list[tuple[int, Sequence[int]]]


class PostingsBuilder:
    """Collects each document's tokens (with their best weight) in document order."""

    def __init__(self, documents: int) -> None:
        # token -> slot * documents + doc, in document order. The slot is the weight's tier
        # times two, plus one for the documents that have the token only as a compound:
        # those follow the others (as they did when compounds were merged in after words).
        self._size = max(documents, 1)
        self._offsets = [slot * self._size for slot in _SLOT.values()]
        self._docs: dict[str, array[int]] = {}
        self._words: set[str] = set()  # tokens some document has outside compounds

    def add(self, doc: int, weights: dict[str, int], compounds: set[str]) -> None:
        """Add ``doc``: ``weights`` maps its words to their best weight; ``compounds`` (name
        parts and joined names, of the top weight) match whole and are not words unless
        some document has them as words."""
        weights.pop("", None)
        self._words.update(weights)
        only = compounds - weights.keys()
        weights.update(dict.fromkeys(compounds, WEIGHTS[-1]))
        weights.update(dict.fromkeys(only, _COMPOUND))
        value = dict(zip(_SLOT, map(doc.__add__, self._offsets), strict=True)).__getitem__
        postings = self._docs
        for token, packed in zip(weights, map(value, weights.values()), strict=True):
            docs = postings.get(token)
            if docs is None:
                postings[token] = array("q", (packed,))
            else:
                docs.append(packed)

    def build(self) -> Postings:
        words = sorted(self._words)
        compounds = sorted(self._docs.keys() - self._words)
        size = self._size
        bounds = [slot * size for slot in range(2, _TIERS * 2, 2)]
        by_tier: list[list[list[int]]] = [[] for _ in WEIGHTS]
        minimum = large_size(size)
        large = array("i")
        for number, token in enumerate(chain(words, compounds)):
            found = sorted(self._docs[token])  # by slot, then document
            cuts = [0, *(bisect_left(found, bound) for bound in bounds), len(found)]
            for tier, tokens in enumerate(by_tier):
                tokens.append(found[cuts[tier] : cuts[tier + 1]])
            if any(cuts[t + 1] - cuts[t] >= minimum for t in range(_TIERS)):
                large.append(number)
        docs = array("i")
        starts = array("i", [0])
        for tokens in by_tier:
            for found in tokens:
                docs.extend(map(mod, found, repeat(size)))
                starts.append(len(docs))
        return Postings(words, compounds, starts, docs, large)


def large_size(documents: int) -> int:
    """How many documents of one weight make a token large: one in 32, at least 64.

    A large token's documents are worth keeping as a set once made (:mod:`.text`); there are
    at most 32 times as many as the tokens of an average document.
    """
    return max(documents // 32, 64)


class Postings:
    """Tokens (sorted words, then sorted compounds) and their documents by weight."""

    def __init__(
        self,
        words: list[str],
        compounds: list[str],
        starts: array[int] | memoryview,
        docs: array[int] | memoryview,
        large: array[int] | memoryview,
    ) -> None:
        self.words = words  # what prefixes and typos reach
        self._compounds = compounds
        self._starts = starts
        self._docs = docs
        self._large = large  # the numbers of the large tokens (see large_size), in order
        self._tokens = len(words) + len(compounds)
        if len(starts) != self._tokens * _TIERS + 1:
            raise ValueError("postings offsets do not match the tokens")
        if len(large) and not (large[0] >= 0 and large[-1] < self._tokens):
            raise ValueError("postings large tokens do not match the tokens")

    def position(self, token: str) -> int | None:
        """The number of ``token`` (a word or a compound), ``None`` when not indexed."""
        for base, tokens in ((0, self.words), (len(self.words), self._compounds)):
            at = bisect_left(tokens, token)
            if at < len(tokens) and tokens[at] == token:
                return base + at
        return None

    def tiers(self, position: int) -> Tiers:
        """The documents of token number ``position``, by weight, lowest first."""
        return self.span(position, position + 1)

    def span(self, first: int, end: int) -> Tiers:
        """The documents of the tokens numbered ``first`` to ``end - 1``, by weight, lowest
        first: one slice each (a document is there once for each of those tokens it has)."""
        starts, docs, tokens = self._starts, self._docs, self._tokens
        found: Tiers = []
        for tier, weight in enumerate(WEIGHTS):
            start, stop = starts[tier * tokens + first], starts[tier * tokens + end]
            if start < stop:
                found.append((weight, docs[start:stop]))
        return found

    def large(self, first: int, end: int) -> Sequence[int]:
        """The large tokens numbered ``first`` to ``end - 1``, in order."""
        large = self._large
        return large[bisect_left(large, first) : bisect_left(large, end)]

    def word_span(self, prefix: str) -> tuple[int, int]:
        """The numbers of the words starting with ``prefix``: ``range(*word_span(prefix))``."""
        words = self.words
        first = bisect_left(words, prefix)
        return first, bisect_left(words, prefix + _LAST, first)

    def stored(self) -> dict[str, Any]:
        """What :meth:`from_stored` reads back: lists of strings and array bytes."""
        return {
            "words": self.words,
            "compounds": self._compounds,
            "starts": self._starts.tobytes(),
            "docs": self._docs.tobytes(),
            "large": self._large.tobytes(),
        }

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> Postings:
        """The postings :meth:`stored` gave; ``ValueError`` or ``TypeError`` when damaged."""
        starts, docs = int_view(stored["starts"]), int_view(stored["docs"])
        large = int_view(stored["large"])
        words, compounds = stored["words"], stored["compounds"]
        if not (isinstance(words, list) and isinstance(compounds, list)):
            raise TypeError("postings tokens are not lists")
        if not len(starts) or starts[-1] != len(docs):
            raise ValueError("postings offsets do not match the documents")
        return cls(words, compounds, starts, docs, large)


def int_view(data: object) -> memoryview:
    """``data`` (bytes of an ``array('i')``) read as integers, without a copy."""
    if not isinstance(data, bytes) or len(data) % array("i").itemsize:
        raise TypeError("not an array of integers")
    return memoryview(data).cast("i")
