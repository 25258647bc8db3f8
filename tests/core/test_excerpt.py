"""Short excerpts of values: what ``repr`` shows, cut with an ellipsis, never built whole."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nodes.core.excerpt import ELLIPSIS, EXCERPT, excerpt, short

# Text without quotes: repr picks its quotes from the whole text, an excerpt from its start.
TEXT = st.text(st.characters(blacklist_characters="'\""))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)


class TestExcerpt:
    @pytest.mark.parametrize(
        "value",
        [
            "plain",
            "it's",
            "tab\there\u202e",
            b"bytes",
            bytearray(b"ba"),
            12,
            -7,
            1.5,
            True,
            None,
            dt.date(2025, 1, 31),
            dt.datetime(2025, 1, 31, 12, 0, tzinfo=dt.UTC),
            [1, "a", [None]],
            (1,),
            (1, 2),
            {"k": [1, {"n": 2}]},
            {3},
            set(),
            frozenset(),
            [],
            {},
        ],
    )
    def test_short_values_read_as_repr(self, value: Any) -> None:
        if isinstance(value, tuple) and len(value) == 1:
            assert excerpt(value) == "(1)"  # no lone comma: it is an excerpt, not Python
        else:
            assert excerpt(value) == repr(value)

    @given(JSON)
    def test_json_values_are_repr_or_its_start(self, value: Any) -> None:
        text = excerpt(value)
        full = repr(value)
        assert len(text) <= EXCERPT
        if len(full) <= EXCERPT:
            assert text == full
        else:
            assert text.endswith(ELLIPSIS)
            assert full.startswith(text[:-1])

    @pytest.mark.parametrize("limit", [1, 2, 5, 80, 200])
    def test_a_long_string_is_cut_to_the_limit(self, limit: int) -> None:
        text = excerpt("y" * 10_000, limit)
        assert len(text) == limit
        assert text.endswith(ELLIPSIS)

    def test_escapes_count_toward_the_limit(self) -> None:
        text = excerpt("\x00" * 100, 20)
        assert text == "'" + "\\x00" * 4 + "\\x…"

    def test_a_huge_number_is_described(self) -> None:
        assert excerpt(10**5000) == "<a number of 5001 digits>"
        assert excerpt(-(10**2000), 20) == "<a number of 2001 d…"
        assert excerpt(10**70) == repr(10**70)
        assert excerpt(10**500) == "1" + "0" * 78 + "…"

    def test_other_objects_are_named_by_type(self) -> None:
        class Thing:
            def __repr__(self) -> str:
                raise AssertionError("never built")

        assert excerpt(Thing()) == "<Thing>"
        assert excerpt([Thing(), 1]) == "[<Thing>, 1]"

    def test_a_structure_containing_itself(self) -> None:
        loop: dict[str, Any] = {}
        loop["me"] = loop
        assert excerpt(loop) == repr(loop) == "{'me': {...}}"
        pair: list[Any] = [1]
        pair.append([pair])
        assert excerpt(pair) == repr(pair)

    def test_shared_parts_are_not_a_loop(self) -> None:
        part = [1]
        assert excerpt([part, part]) == "[[1], [1]]"

    def test_a_deep_nesting_stops_at_the_limit(self) -> None:
        deep: list[Any] = []
        for _ in range(100_000):
            deep = [deep]
        assert excerpt(deep) == "[" * (EXCERPT - 1) + ELLIPSIS

    def test_a_limit_below_one_still_gives_a_character(self) -> None:
        assert excerpt("abc", 0) == ELLIPSIS


class TestShort:
    @pytest.mark.parametrize(
        ("text", "limit", "expected"),
        [("abc", 3, "abc"), ("abcd", 3, "ab…"), ("abcd", 1, "…"), ("abcd", 0, "…"), ("", 0, "")],
    )
    def test_examples(self, text: str, limit: int, expected: str) -> None:
        assert short(text, limit) == expected
