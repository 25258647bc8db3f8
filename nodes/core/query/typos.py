"""The typo table: which words a term reaches with one letter wrong, left out or added.

Two words are a typo apart when leaving at most one letter out of each makes them equal
(the symmetric-delete idea). A dict from every such variant to its words held 1.6 million
strings at 100k entries (280 MB). Here each (variant, word) pair is one 4-byte CRC-32 of the
variant, sorted, beside the word's number: 8 bytes a pair, and the same arrays on disk. A
hash only proposes a word; the word itself confirms it, so a collision never adds one.
"""

from __future__ import annotations

from array import array
from binascii import crc32
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Any

from .postings import int_view

MIN_TYPO_LENGTH = 4  # shorter words are matched exactly or as prefixes only


def deletes(token: str) -> set[str]:
    """``token`` with each of its letters left out in turn.

    >>> sorted(deletes("face"))
    ['ace', 'fac', 'fae', 'fce']
    """
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def _key(variant: str) -> int:
    return crc32(variant.encode("utf-8", "surrogatepass"))


def _reaches(word: str, variant: str) -> bool:
    """Whether ``variant`` is ``word``, or ``word`` with one letter left out."""
    if len(word) != len(variant) + 1:
        return word == variant
    for at, (mine, theirs) in enumerate(zip(word, variant)):  # noqa: B905 - one longer
        if mine != theirs:
            return word[at + 1 :] == variant[at:]
    return True  # the last letter left out


class TypoTable:
    """For each word of four letters or more: itself and its one-letter-out variants, hashed."""

    def __init__(self, hashes: array[int] | memoryview, words: array[int] | memoryview) -> None:
        if len(hashes) != len(words):
            raise ValueError("typo hashes and words differ in length")
        self._hashes = hashes
        self._words = words

    @classmethod
    def build(cls, words: Sequence[str]) -> TypoTable:
        """The table over ``words`` (the index's sorted words, numbered by position)."""
        pairs = sorted(
            _key(variant) << 32 | position
            for position, word in enumerate(words)
            if len(word) >= MIN_TYPO_LENGTH
            for variant in deletes(word) | {word}
        )
        mask = (1 << 32) - 1
        return cls(
            array("I", [pair >> 32 for pair in pairs]), array("i", [p & mask for p in pairs])
        )

    def reached(self, term: str, words: Sequence[str]) -> set[int]:
        """The numbers of the words that ``term`` or one of its variants is a variant of."""
        hashes, numbers = self._hashes, self._words
        found: set[int] = set()
        for variant in deletes(term) | {term}:
            key = _key(variant)
            start = bisect_left(hashes, key)
            for at in range(start, bisect_right(hashes, key, start)):
                if _reaches(words[numbers[at]], variant):
                    found.add(numbers[at])
        return found

    def stored(self) -> dict[str, Any]:
        """What :meth:`from_stored` reads back."""
        return {"hashes": self._hashes.tobytes(), "words": self._words.tobytes()}

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> TypoTable:
        hashes = stored["hashes"]
        if not isinstance(hashes, bytes) or len(hashes) % 4:
            raise TypeError("typo hashes are not an array")
        return cls(memoryview(hashes).cast("I"), int_view(stored["words"]))
