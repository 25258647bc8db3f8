"""What the nodes compute from a catalogue: queries, the listing and the picker's labels."""

from __future__ import annotations

import json
from typing import Any

import pytest

from nodes.app import browse
from nodes.app.browse import (
    ALL,
    Listing,
    clamp_text,
    input_problem,
    listing,
    node_query,
    picker_labels,
    split_tags,
)
from nodes.core.catalog import Catalog
from nodes.core.constants import MAX_TEXT
from nodes.core.model import Category, Resource
from nodes.core.query import Query, QueryError
from tests.helpers.builders import bare_resource


def resource(rid: str, name: str, category: str = "tools", **fields: Any) -> Resource:
    return bare_resource(rid, name, category=category, **fields)


CATEGORIES = (Category("tools", "Tools"), Category("video", "Video"))


class TestSplitTags:
    """Tags typed in one box: commas or spaces, lower case, each once."""

    @pytest.mark.parametrize(
        ("text", "tags"),
        [
            ("", ()),
            (" , ,", ()),
            ("Video", ("video",)),
            ("video,upscaling  face", ("video", "upscaling", "face")),
            ("a, A, b,a", ("a", "b")),
        ],
    )
    def test_split(self, text: str, tags: tuple[str, ...]) -> None:
        assert split_tags(text) == tags


class TestNodeQuery:
    """node_query maps the node's widgets onto a Query; 'all' means no filter."""

    def test_all_means_no_filter(self) -> None:
        assert node_query("  video ", ALL, ALL, "A, b", "name", 7) == Query(
            text="video", tags=("a", "b"), sort="name", limit=7, facets=False
        )

    def test_filters(self) -> None:
        query = node_query("", "tools", "model", "", "stars", 1)
        assert (query.category, query.kind, query.sort) == ("tools", "model", "stars")

    def test_bad_input_raises(self) -> None:
        with pytest.raises(QueryError, match=r"^kind: 'x' is not a kind"):
            node_query("", ALL, "x", "", "relevance", 5)


class TestInputProblem:
    """input_problem explains bad free text, or returns None."""

    def test_fine(self) -> None:
        assert input_problem() is None
        assert input_problem("  " + "x" * MAX_TEXT + "  ", "a b") is None

    def test_bad(self) -> None:
        assert input_problem("x" * (MAX_TEXT + 1)) == "q: is 201 characters long; the limit is 200"
        assert input_problem(tags="ok bad!") == "tag: 'bad!' is not a valid tag"
        assert input_problem(tags=" ".join("abcdefghijk")) == (
            "tag: at most 10 tags can be combined"
        )


class TestClampText:
    """clamp_text keeps what the engine accepts."""

    def test_clamp(self) -> None:
        assert clamp_text("  hi  ") == "hi"
        assert clamp_text(" " + "y" * 500) == "y" * MAX_TEXT


class TestListing:
    """listing renders the matches as Markdown, JSON and a count."""

    def test_every_fact_when_known(self) -> None:
        catalog = Catalog(
            [
                resource(
                    "full", "Full", "video", stars=3, updated="2025-01-02", description="All."
                ),
                resource("bare", "Bare", "elsewhere"),
            ],
            CATEGORIES,
        )
        result = listing(catalog, Query(sort="name"))
        assert result == Listing(
            "2 of 2 resources\n\n"
            "1. **Bare** (tool · elsewhere)\n   https://example.org/bare\n\n"
            "2. **Full** (tool · Video · ★ 3 · updated 2025-01-02)\n   https://example.org/full\n"
            "   All.",
            json.dumps([catalog.by_id["bare"].to_dict(), catalog.by_id["full"].to_dict()]),
            2,
        )

    def test_stars_zero_is_shown(self) -> None:
        catalog = Catalog([resource("z", "Zero", stars=0)], CATEGORIES)
        assert "(tool · Tools · ★ 0)" in listing(catalog, Query()).markdown

    def test_text_is_quoted_and_limit_counts(self) -> None:
        catalog = Catalog([resource(f"r{n}", f"Tool {n}") for n in range(3)], CATEGORIES)
        result = listing(catalog, Query(text="tool", limit=1))
        assert result.markdown.startswith("1 of 3 resources for “tool”\n\n1. **Tool ")
        assert result.count == 3
        assert len(json.loads(result.json)) == 1

    def test_nothing(self) -> None:
        result = listing(Catalog([], CATEGORIES), Query(text="x"))
        assert result == Listing("0 of 0 resources for “x”. Try fewer words or filters.", "[]", 0)

    def test_unicode_stays_readable(self) -> None:
        catalog = Catalog([resource("u", "Ünïcode ✓")], CATEGORIES)
        assert "Ünïcode ✓" in listing(catalog, Query()).json


class TestPickerLabels:
    """Labels are Category / Name, made unique with the id, and cached per catalogue version."""

    def test_labels(self) -> None:
        catalog = Catalog(
            [
                resource("a", "Same"),
                resource("b", "Same"),
                resource("c", "Other", "video"),
                resource("d", "Lost", "gone"),
            ],
            CATEGORIES,
        )
        assert picker_labels(catalog) == {
            "Tools / Same [a]": "a",
            "Tools / Same [b]": "b",
            "Video / Other": "c",
            "gone / Lost": "d",
        }

    def test_cached_per_version(self) -> None:
        one = Catalog([resource("a", "A")], CATEGORIES, version="one")
        labels = picker_labels(one)
        assert picker_labels(Catalog([resource("b", "B")], CATEGORIES, version="one")) is labels
        two = Catalog([resource("b", "B")], CATEGORIES, version="two")
        assert picker_labels(two) == {"Tools / B": "b"}
        assert list(browse._labels_cache) == ["two"]
