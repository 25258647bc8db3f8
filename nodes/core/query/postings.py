"""The inverted index in flat arrays: each token's documents, grouped by field weight.

A dict of documents per token costs about 100 bytes a posting at 100k entries (2.5 million
postings, 240 MB). Here every posting is one 4-byte document number in a single array;
the tokens are two sorted lists (words, which prefixes and typos reach, and compounds,
which match only whole), and one offset per token and weight says where its documents
are. The arrays are what is kept on disk, read back without a rebuild.
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
        first, second, third = (slot * size for slot in range(2, _TIERS * 2, 2))
        docs = array("i")
        starts = array("i", [0])
        postings = self._docs
        for token in chain(words, compounds):
            found = sorted(postings[token])  # by slot, then document
            at = len(docs)
            starts.extend(
                (
                    at + bisect_left(found, first),
                    at + bisect_left(found, second),
                    at + bisect_left(found, third),
                    at + len(found),
                )
            )
            docs.extend(map(mod, found, repeat(size)))
        return Postings(words, compounds, starts, docs)


class Postings:
    """Tokens (sorted words, then sorted compounds) and their documents by weight."""

    def __init__(
        self,
        words: list[str],
        compounds: list[str],
        starts: array[int] | memoryview,
        docs: array[int] | memoryview,
    ) -> None:
        self.words = words  # what prefixes and typos reach
        self._compounds = compounds
        self._starts = starts
        self._docs = docs
        if len(starts) != (len(words) + len(compounds)) * _TIERS + 1:
            raise ValueError("postings offsets do not match the tokens")

    def position(self, token: str) -> int | None:
        """The number of ``token`` (a word or a compound), ``None`` when not indexed."""
        for base, tokens in ((0, self.words), (len(self.words), self._compounds)):
            at = bisect_left(tokens, token)
            if at < len(tokens) and tokens[at] == token:
                return base + at
        return None

    def tiers(self, position: int) -> Tiers:
        """The documents of token number ``position``, by weight, lowest first."""
        starts, docs = self._starts, self._docs
        base = position * _TIERS
        found: Tiers = []
        for tier, weight in enumerate(WEIGHTS):
            start, end = starts[base + tier], starts[base + tier + 1]
            if start < end:
                found.append((weight, docs[start:end]))
        return found

    def stored(self) -> dict[str, Any]:
        """What :meth:`from_stored` reads back: lists of strings and array bytes."""
        return {
            "words": self.words,
            "compounds": self._compounds,
            "starts": self._starts.tobytes(),
            "docs": self._docs.tobytes(),
        }

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> Postings:
        """The postings :meth:`stored` gave; ``ValueError`` or ``TypeError`` when damaged."""
        starts, docs = int_view(stored["starts"]), int_view(stored["docs"])
        words, compounds = stored["words"], stored["compounds"]
        if not (isinstance(words, list) and isinstance(compounds, list)):
            raise TypeError("postings tokens are not lists")
        if not len(starts) or starts[-1] != len(docs):
            raise ValueError("postings offsets do not match the documents")
        return cls(words, compounds, starts, docs)


def int_view(data: object) -> memoryview:
    """``data`` (bytes of an ``array('i')``) read as integers, without a copy."""
    if not isinstance(data, bytes) or len(data) % array("i").itemsize:
        raise TypeError("not an array of integers")
    return memoryview(data).cast("i")
