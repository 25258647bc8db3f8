"""The index's arrays: postings by weight, the hashed typo table, and what ``stored()`` gives,
read back whole or refused (never half-used) when it does not fit the resources."""

from __future__ import annotations

import marshal
from array import array
from typing import Any

import pytest

from nodes.core.model import Resource
from nodes.core.query import Query, SearchIndex
from nodes.core.query.postings import Postings, PostingsBuilder, int_view
from nodes.core.query.typos import TypoTable, deletes
from tests.helpers.builders import bare_resource


def pack(resource_id: str, name: str = "", **fields: Any) -> Resource:
    return bare_resource(resource_id, name, **fields)


CATALOGUE = [
    pack("kj", "ComfyUI-KJNodes", description="Video helpers", tags=("video",), stars=5),
    pack("vhs", "Video Helper Suite", description="Load video", author="Kosinkadink"),
    pack("up", "Upscaler", description="Upscaling images", tags=("image", "upscale")),
]


def stored(index: SearchIndex) -> dict[str, Any]:
    """What the file keeps, through marshal as the file does."""
    return marshal.loads(marshal.dumps(index.stored()))  # noqa: S302 - made here


class TestPostings:
    """Each token's documents, by weight; words and compounds apart."""

    def test_tiers_words_and_compounds(self) -> None:
        builder = PostingsBuilder(3)
        builder.add(0, {"video": 1, "": 1}, {"kjnodes"})
        builder.add(1, {"video": 8, "kjnodes": 1}, {"kjnodes"})
        builder.add(2, {"load": 4}, {"video", "vhs"})
        postings = builder.build()
        assert postings.words == ["kjnodes", "load", "video"]  # "" is never a token
        video = postings.position("video")
        assert video == 2
        # Document 2 has "video" only as a compound: after the others of its weight.
        assert [(w, list(d)) for w, d in postings.tiers(video)] == [(1, [0]), (8, [1, 2])]
        vhs = postings.position("vhs")
        assert vhs == 3  # compounds after the words
        assert [(w, list(d)) for w, d in postings.tiers(vhs)] == [(8, [2])]
        assert postings.position("vh") is None
        assert postings.position("zzz") is None

    def test_neighbouring_words_are_one_slice_per_weight(self) -> None:
        """The words sharing a prefix are neighbours; their documents of one weight are one
        slice, and the large tokens among them are listed (one document in 32, 64 at least)."""
        size = 200
        builder = PostingsBuilder(size)
        for doc in range(size):
            words = {"upscale": 8} if doc < 100 else {"upscaler": 1, "video": 4}
            builder.add(doc, {**words, f"up{doc}": 1}, set())
        postings = builder.build()
        first, end = postings.word_span("up")
        assert postings.words[first:end] == sorted(postings.words[first:end])
        assert all(w.startswith("up") for w in postings.words[first:end])
        assert end - first == size + 2
        spans = {w: sorted(d) for w, d in postings.span(first, end)}
        assert spans == {1: sorted([*range(size), *range(100, size)]), 8: list(range(100))}
        large = [postings.words[n] for n in postings.large(0, end + 1)]
        assert large == ["upscale", "upscaler", "video"]
        assert list(postings.large(first, first)) == []
        assert postings.word_span("zz") == (end + 1, end + 1)

    def test_empty(self) -> None:
        postings = PostingsBuilder(0).build()
        assert postings.words == []
        assert postings.position("a") is None
        assert Postings.from_stored(postings.stored()).words == []

    @pytest.mark.parametrize(
        ("change", "error"),
        [
            ({"words": ("a",)}, TypeError),
            ({"starts": b"\x00" * 5}, TypeError),
            ({"docs": "not bytes"}, TypeError),
            ({"docs": b""}, ValueError),
            ({"starts": b""}, ValueError),
            ({"starts": array("i", [0, 1]).tobytes()}, ValueError),
            ({"large": array("i", [1]).tobytes()}, ValueError),
            ({"large": array("i", [-1]).tobytes()}, ValueError),
        ],
    )
    def test_refused_when_damaged(self, change: dict[str, Any], error: type[Exception]) -> None:
        builder = PostingsBuilder(1)
        builder.add(0, {"video": 1}, set())
        with pytest.raises(error):
            Postings.from_stored({**builder.build().stored(), **change})

    def test_int_view(self) -> None:
        assert list(int_view(array("i", [3, -1]).tobytes())) == [3, -1]


class TestTypoTable:
    """A hash proposes a word; the word itself confirms it."""

    words = ("face", "faces", "fade", "upscale", "vae", "video")

    def test_reached(self) -> None:
        table = TypoTable.build(self.words)

        def reached(term: str) -> list[str]:
            return sorted(self.words[p] for p in table.reached(term, self.words))

        assert reached("face") == ["face", "faces", "fade"]
        assert reached("fce") == ["face"]  # one left out
        assert reached("facse") == ["face", "faces"]  # one added, or one wrong
        assert reached("vidoe") == ["video"]  # two swapped
        assert reached("upscle") == ["upscale"]
        assert reached("vae") == []  # short words are no typo targets

    def test_a_colliding_hash_adds_nothing(self) -> None:
        """Every pair claims the same hash: only real variants are found."""
        table = TypoTable.build(self.words)
        stored = table.stored()
        same = array("I", [0] * (len(stored["hashes"]) // 4)).tobytes()
        collided = TypoTable.from_stored({**stored, "hashes": same})
        assert collided.reached("", self.words) == set()  # all of them proposed, none kept
        assert collided.reached("fce", self.words) == set()  # hashes differ from 0 now

    def test_deletes(self) -> None:
        assert deletes("aab") == {"ab", "aa"}

    @pytest.mark.parametrize(
        "change",
        [{"hashes": "x"}, {"hashes": b"\x00" * 3}, {"hashes": b""}, {"words": b"\x00" * 3}],
    )
    def test_refused_when_damaged(self, change: dict[str, Any]) -> None:
        stored = TypoTable.build(self.words).stored()
        with pytest.raises((TypeError, ValueError)):
            TypoTable.from_stored({**stored, **change})


class TestStoredIndex:
    """``SearchIndex(resources, stored)`` answers as the index that was built."""

    def test_round_trip(self) -> None:
        built = SearchIndex(CATALOGUE)
        kept = SearchIndex(CATALOGUE, stored(built))
        for query in (
            Query(),
            Query(text="vidoe"),
            Query(text="video", sort="stars"),
            Query(tags=("video",)),
            Query(kind="tool", sort="name"),
            Query(category="nope"),
        ):
            assert kept.search(query) == built.search(query)

    def test_refused_when_the_combinations_overlap(self) -> None:
        data = stored(SearchIndex(CATALOGUE))
        sets = data["facets"]["combo_sets"]
        assert len(sets) > 1
        data["facets"]["combo_sets"] = [b"\x07"] * len(sets)  # every document in each
        with pytest.raises(ValueError, match="another catalogue"):
            SearchIndex(CATALOGUE, data)

    def test_refused_when_a_tag_names_a_missing_document(self) -> None:
        data = stored(SearchIndex(CATALOGUE))
        docs = array("i")
        docs.frombytes(data["facets"]["tag_docs"])
        docs[0] = len(CATALOGUE)
        data["facets"]["tag_docs"] = docs.tobytes()
        with pytest.raises(ValueError, match="another catalogue"):
            SearchIndex(CATALOGUE, data)

    def test_empty_catalogue(self) -> None:
        kept = SearchIndex([], stored(SearchIndex([])))
        assert kept.search(Query(text="x")).total == 0

    @pytest.mark.parametrize(
        ("path", "value", "error"),
        [
            (("size",), 4, ValueError),
            (("bonus",), "x", TypeError),
            (("bonus",), b"", ValueError),
            (("orders", "stars"), b"", ValueError),
            (("orders", "name"), b"\x00", TypeError),
            (("facets", "combo_sets"), [], ValueError),
            (("facets", "tags"), "video", ValueError),
            (("facets", "tag_starts"), b"", ValueError),
            (("facets", "tag_docs"), b"\x00" * 4, ValueError),
            (("facets", "tag_sets"), [b"\x01"] * 9, ValueError),
            (("facets", "combos"), [("node-packs",)], ValueError),
            (("by_rank",), b"\x00\x00\x00\x00" * 3, ValueError),
            (("text", "typos"), {"hashes": b""}, KeyError),
        ],
    )
    def test_refused_when_it_does_not_fit(
        self, path: tuple[str, ...], value: object, error: type[Exception]
    ) -> None:
        data = stored(SearchIndex(CATALOGUE))
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        with pytest.raises(error):
            SearchIndex(CATALOGUE, data)
