"""What a search answer says beside its page: how many matches each data sort can order
(``sortable``), and how many the text finds without the filters when nothing matched them
(``unfiltered_total``)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nodes.core.constants import MAX_LIMIT
from nodes.core.model import Resource
from nodes.core.query import Query, SearchIndex
from tests.helpers.builders import bare_resource as res

CATALOGUE = (
    res("a", "Alpha video", stars=10, updated="2025-01-01", category="video", source="manager"),
    res("b", "Beta video", stars=0, downloads=0, category="video", kind="node-pack"),
    res("c", "Gamma video", downloads=500, tags=("x",), category="image"),
    res("d", "Delta", updated="2024-05-05", tags=("x",), category="image"),
    res("e", "Epsilon", tags=("x", "y"), category="image", source="registry"),
)


@pytest.fixture
def index() -> SearchIndex:
    return SearchIndex(CATALOGUE)


def _sortable(index: SearchIndex, **query: Any) -> dict[str, int]:
    return index.search(Query(**query)).sortable


class TestSortable:
    """Each data sort's count is the number of matches that have its data."""

    def test_whole_catalogue(self, index: SearchIndex) -> None:
        """0 stars sorts with the unknown, so it is not counted; 0 downloads is a figure."""
        assert _sortable(index) == {"stars": 1, "updated": 2, "downloads": 2}
        assert index.search(Query()).sortable is index.search(Query(sort="name")).sortable

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            pytest.param({"text": "video"}, {"stars": 1, "updated": 1, "downloads": 2}, id="text"),
            pytest.param(
                {"category": "image"}, {"stars": 0, "updated": 1, "downloads": 1}, id="category"
            ),
            pytest.param({"tags": ("x",)}, {"stars": 0, "updated": 1, "downloads": 1}, id="tag"),
            pytest.param(
                {"category": "image", "kind": "tool", "source": "registry"},
                {"stars": 0, "updated": 0, "downloads": 0},
                id="three filters: the tag facet counted alone",
            ),
            pytest.param(
                {"category": "video", "kind": "node-pack"},
                {"stars": 0, "updated": 0, "downloads": 1},
                id="two filters",
            ),
            pytest.param(
                {"ids": frozenset({"a", "c", "d", "e"})},
                {"stars": 1, "updated": 2, "downloads": 1},
                id="most documents in: counted by what is left out",
            ),
            pytest.param({"text": "zzzz"}, {"stars": 0, "updated": 0, "downloads": 0}, id="none"),
        ],
    )
    def test_counted_over_the_matches(
        self, index: SearchIndex, query: dict[str, Any], expected: dict[str, int]
    ) -> None:
        assert _sortable(index, **query) == expected

    def test_not_counted_without_facets(self, index: SearchIndex) -> None:
        """Later pages ask for no facets and get no counts either."""
        assert index.search(Query(facets=False)).sortable == {}


class TestUnfilteredTotal:
    """Only an empty answer to a filtered search says what the text finds without filters."""

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            pytest.param({"text": "alpha", "category": "image"}, 1, id="text and category"),
            pytest.param({"text": "video", "tags": ("nope",)}, 3, id="unknown tag"),
            pytest.param({"category": "nope"}, 5, id="no text: the whole catalogue"),
            pytest.param({"text": "delta", "ids": frozenset({"a"})}, 1, id="favourites only"),
            pytest.param({"text": "zzzz", "kind": "model"}, 0, id="text finds nothing either"),
        ],
    )
    def test_counted(self, index: SearchIndex, query: dict[str, Any], expected: int) -> None:
        result = index.search(Query(**query))
        assert result.total == 0
        assert result.unfiltered_total == expected
        assert result.to_dict()["unfiltered_total"] == expected

    @pytest.mark.parametrize(
        "query",
        [
            pytest.param({"text": "zzzz"}, id="no filters"),
            pytest.param({"text": "video", "category": "video"}, id="something matched"),
            pytest.param({}, id="empty query"),
        ],
    )
    def test_absent(self, index: SearchIndex, query: dict[str, Any]) -> None:
        result = index.search(Query(**query))
        assert result.unfiltered_total is None
        assert "unfiltered_total" not in result.to_dict()


_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["video tool", "image", "video", "audio nodes"]),
        st.sampled_from(["c1", "c2"]),
        st.sampled_from(["tool", "model"]),
        st.lists(st.sampled_from(["t1", "t2"]), unique=True).map(tuple),
        st.sampled_from(["curated", "manager"]),
        st.none() | st.integers(0, 3),
        st.sampled_from(["", "2025-01-02"]),
        st.none() | st.integers(0, 3),
    ),
    max_size=20,
)
_QUERIES = st.builds(
    Query,
    text=st.sampled_from(["", "video", "vid", "image", "zzz"]),
    category=st.sampled_from(["", "c1", "c2"]),
    kind=st.sampled_from(["", "tool"]),
    tags=st.lists(st.sampled_from(["t1", "t2"]), unique=True, max_size=2).map(tuple),
    source=st.sampled_from(["", "manager"]),
    ids=st.none() | st.frozensets(st.sampled_from([f"r{i}" for i in range(25)])),
)


def _catalogue(rows: list[tuple[Any, ...]]) -> list[Resource]:
    return [
        res(
            f"r{i}",
            f"{name} {i}",
            category=category,
            kind=kind,
            tags=tags,
            source=source,
            stars=stars,
            updated=updated,
            downloads=downloads,
        )
        for i, (name, category, kind, tags, source, stars, updated, downloads) in enumerate(rows)
    ]


@settings(max_examples=150, deadline=None)
@given(_ROWS.map(_catalogue), _QUERIES)
def test_counts_agree_with_the_matches(resources: list[Resource], query: Query) -> None:
    """sortable counts what the full answer holds; unfiltered_total is the text-only total."""
    index = SearchIndex(resources)
    result = index.search(query)
    full = index.search(Query(**{**_fields(query), "limit": MAX_LIMIT, "facets": False})).items
    assert result.sortable == {
        "stars": sum(1 for r in full if r.stars),
        "updated": sum(1 for r in full if r.updated),
        "downloads": sum(1 for r in full if r.downloads is not None),
    }
    narrowed = query.ids is not None or any((query.category, query.kind, query.source, query.tags))
    if result.total == 0 and narrowed:
        assert result.unfiltered_total == index.search(Query(text=query.text)).total
    else:
        assert result.unfiltered_total is None


def _fields(query: Query) -> dict[str, Any]:
    names = ("text", "category", "kind", "tags", "source", "ids", "sort")
    return {name: getattr(query, name) for name in names}
