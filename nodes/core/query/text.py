"""Text matching: word tokens, the inverted index, prefixes, word forms, typos, exact ids.

A word matches exactly, as the prefix of a longer word, in another form of the same word
(a common English ending cut: "upscale" finds "upscaling"), or with one letter wrong or
left out (words of four letters or more); each field weighs differently, so a match in a
name outranks one in a description. A query that is a node class name (``VHS_LoadVideo``, in
any letter case) finds the packs that provide it first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property, lru_cache
from itertools import chain, count
from operator import attrgetter
from typing import Any

from ..constants import MAX_TERMS
from ..model import Resource
from ..urls import canonical_url, is_valid_url
from .bits import from_positions, union
from .node_types import NodeTypeIndex
from .postings import WEIGHTS, Postings, PostingsBuilder, large_size
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
# Short prefixes memoised at most (the least recently used go first): each keeps a set per
# score, up to 12.5 KB each at 100k entries.
MAX_CACHED_TERMS = 128
# Each score's documents as one set (bit n for document n); the scores are their keys.
Groups = dict[int, int]


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
    """The words of every document, by field weight; matches a text against them.

    The caller numbers the documents in the order that breaks ties between equally good
    matches (the best first), so the best of a set of equally good matches are its lowest
    numbers. ``postings`` and ``typos`` are given when read back from disk; otherwise
    they are built here, the typo table on first use.
    """

    def __init__(
        self,
        resources: Sequence[Resource],
        postings: Postings | None = None,
        typos: TypoTable | None = None,
    ) -> None:
        self._resources = resources
        self._postings = build_postings(resources) if postings is None else postings
        self._typos = typos
        # Bounded whatever is typed: the memo keeps the most recent short prefixes.
        self._short_prefix = lru_cache(maxsize=MAX_CACHED_TERMS)(self._match)
        # Large tokens' sets are kept once made (see large_size): there are at most 32 times
        # as many as the words of an average document, whatever is typed.
        self._large_size = large_size(len(resources))
        self._large_sets: dict[tuple[int, int], int] = {}

    @cached_property
    def by_id(self) -> dict[str, int]:
        return dict(zip(map(attrgetter("id"), self._resources), count()))

    @cached_property
    def _by_url(self) -> dict[str, int]:
        return dict(zip(map(attrgetter("canonical_url"), self._resources), count()))

    @cached_property
    def node_types(self) -> NodeTypeIndex:
        return NodeTypeIndex(self._resources)

    def stored(self) -> dict[str, Any]:
        """The postings and the typo table, for :meth:`from_stored` (the table built now)."""
        return {"postings": self._postings.stored(), "typos": self.prepare_typos().stored()}

    @classmethod
    def from_stored(cls, resources: Sequence[Resource], stored: dict[str, Any]) -> TextIndex:
        postings = Postings.from_stored(stored["postings"])
        return cls(resources, postings, TypoTable.from_stored(stored["typos"]))

    def _term_groups(self, term: str) -> Groups:
        """The documents matching ``term`` exactly, as a word prefix or with a typo; how well."""
        if len(term) <= _SHORT_PREFIX:  # short prefixes match much of the vocabulary: memoise
            return self._short_prefix(term)
        return self._match(term)

    def _match(self, term: str) -> Groups:
        """Each score's documents: each document in the set of its best match only."""
        dense: dict[int, list[int]] = {}
        sparse: dict[int, list[Sequence[int]]] = {}
        postings = self._postings
        for exactness, start, end in self._reached(term):
            first = start
            # The large tokens' sets are kept once made; the many small tokens between them
            # are read as one slice per weight and made into one set per score together.
            for large in [*postings.large(first, end), end]:
                for weight, docs in postings.span(first, large):
                    sparse.setdefault(weight * exactness, []).append(docs)
                if large < end:
                    for weight, docs in postings.tiers(large):
                        value = weight * exactness
                        if len(docs) >= self._large_size:
                            dense.setdefault(value, []).append(self._large_set(large, weight, docs))
                        else:
                            sparse.setdefault(value, []).append(docs)
                first = large + 1
        groups: Groups = {}
        seen = 0
        size = len(self._resources)
        for value in sorted(dense.keys() | sparse.keys(), reverse=True):
            docs_in = union(dense.get(value, ()))
            small = sparse.get(value)
            if small:
                count = sum(map(len, small))
                docs_in |= from_positions(chain.from_iterable(small), size, count)
            fresh = docs_in & ~seen
            if fresh:
                groups[value] = fresh
                seen |= fresh
        return groups

    def _reached(self, term: str) -> list[tuple[int, int, int]]:
        """The tokens ``term`` matches, as runs of neighbouring token numbers, each with how
        exactly: (exactness, first, end)."""
        postings = self._postings
        found: list[tuple[int, int, int]] = []
        exact = postings.position(term)
        if exact is not None:
            found.append((_EXACT, exact, exact + 1))
        first, end = postings.word_span(term)
        # The word itself is not its own prefix.
        found.append((_PREFIX, first + 1 if first == exact else first, end))
        root = stem(term)
        if root != term:  # other forms of the word: "upscale" finds "upscaling"
            # The words starting with ``term`` are a run inside those starting with ``root``.
            root_first, root_end = postings.word_span(root)
            found += [(_STEM, root_first, first), (_STEM, end, root_end)]
        if len(term) >= MIN_TYPO_LENGTH:
            found += [(_TYPO, position, position + 1) for position in self._typo_words(term)]
        return found

    def _large_set(self, position: int, weight: int, docs: Sequence[int]) -> int:
        found = self._large_sets.get((position, weight))
        if found is None:
            found = from_positions(docs, len(self._resources), len(docs))
            self._large_sets[position, weight] = found
        return found

    def prepare_typos(self) -> TypoTable:
        """Build the typo table (each word with one letter left out) unless it exists.

        It takes about a second at 100k entries, so the server builds it in the background
        after the first search instead of making the first typed word wait for it.
        """
        if self._typos is None:
            self._typos = TypoTable.build(self._postings.words)
        return self._typos

    def prepare(self) -> None:
        """The typo table and the lookups by id, URL and node class, made now."""
        self.prepare_typos()
        _ = self.by_id, self._by_url, self.node_types

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

    def groups(self, text: str) -> Groups:
        """The documents matching each word of ``text`` (the first few), by score.

        Scores are the sums of each word's best match, the keys of disjoint sets of
        documents; ties within a score go to the lowest number. A document providing the
        node class ``text`` names gets the score of an exact id, unless ``text`` is one
        plain word of the index ("flux", "mask"): a pack with a node called ``Flux`` then
        counts as a name match, not above every pack about Flux.
        """
        hit = self._exact_hit(text)
        if hit is not None and "/" in text:  # a pasted URL or id means that one
            return {_EXACT_ID_OR_URL: 1 << hit}
        groups = self._word_groups(text)
        if hit is not None:
            old = _take(groups, hit)
            _put(groups, hit, (old or 0) + _EXACT_ID_OR_URL)
        providers = self.node_types.providers(text)
        if providers:
            folded = text.casefold()
            plain_word = tokenize(text) == [folded] and self._postings.position(folded) is not None
            value = _NAME * _EXACT if plain_word else _EXACT_ID_OR_URL
            for doc in providers:
                old = _take(groups, doc)
                _put(groups, doc, value if old is None else max(old, value))
        return groups

    def _word_groups(self, text: str) -> Groups:
        terms = list(dict.fromkeys(tokenize(text)))[:MAX_TERMS]
        per_term = sorted((self._term_groups(t) for t in terms), key=len)
        if not per_term:
            return {}
        groups = dict(per_term[0])  # a copy: the memo's own is never changed
        for other in per_term[1:]:
            both: Groups = {}
            for value, docs in groups.items():
                for more, other_docs in other.items():
                    common = docs & other_docs
                    if common:
                        both[value + more] = both.get(value + more, 0) | common
            groups = both
        return groups


def _take(groups: Groups, doc: int) -> int | None:
    """Take ``doc`` out of ``groups``; the score it had there, if any."""
    member = 1 << doc
    for value, docs in groups.items():
        if docs & member:
            if docs == member:
                del groups[value]
            else:
                groups[value] = docs ^ member
            return value
    return None


def _put(groups: Groups, doc: int, value: int) -> None:
    groups[value] = groups.get(value, 0) | 1 << doc
