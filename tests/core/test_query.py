"""The one query engine: parameters, ranked search, filters, facets, sorting and paging."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nodes.core.constants import DEFAULT_LIMIT, KINDS, MAX_LIMIT, MAX_OFFSET
from nodes.core.model import Resource
from nodes.core.query import (
    FACET_TAGS,
    Query,
    QueryError,
    SearchIndex,
    SearchResult,
    check_query,
    name_tokens,
    parse_flag,
    parse_query,
    tokenize,
)
from nodes.sources.curated import load_curated
from tests.helpers.builders import bare_resource as res

CATALOGUE = (
    res(
        "comfyui-kjnodes",
        "ComfyUI-KJNodes",
        url="https://github.com/kijai/ComfyUI-KJNodes",
        author="kijai",
        tags=("utility", "video"),
        stars=2000,
        updated="2025-03-01",
        category="essentials",
        kind="node-pack",
        description="Various quality of life nodes.",
    ),
    res(
        "video-helper-suite",
        "VideoHelperSuite",
        author="Kosinkadink",
        tags=("video", "animation"),
        stars=1500,
        updated="2025-02-01",
        category="video",
        kind="node-pack",
        description="Loading and combining video frames.",
    ),
    res(
        "flux-dev",
        "FLUX.1 dev",
        author="black-forest-labs",
        tags=("flux", "checkpoint"),
        category="models",
        kind="model",
        source="manager",
        description="Image model with strong prompt following.",
    ),
    res(
        "comfy-docs",
        "ComfyUI Docs",
        tags=("docs",),
        stars=0,
        updated="2024-12-31",
        category="learning",
        kind="docs",
        description="Official documentation for ComfyUI video workflows.",
    ),
    res(
        "upscaler",
        "Ultimate SD Upscale",
        author="ssitu",
        tags=("upscale",),
        stars=500,
        updated="2025-01-15",
        category="image",
        kind="node-pack",
        description="Tiled upscaling.",
    ),
)


@pytest.fixture
def index() -> SearchIndex:
    """An index over the small hand-made catalogue, built afresh for every test.

    Per test rather than per module, so every test exercises index construction: mutation
    testing then runs each test against the index-building code, not only the first one.
    """
    return SearchIndex(CATALOGUE)


def ids(index: SearchIndex, **query: Any) -> list[str]:
    """The ids a query returns, in order."""
    return [r.id for r in index.search(Query(**query)).items]


class TestCheckQuery:
    """Every query field is bounded; the first bad one raises with its parameter name."""

    @pytest.mark.parametrize(
        ("fields", "param", "message"),
        [
            pytest.param(
                {"text": "x" * 201}, "q", "is 201 characters long; the limit is 200", id="text"
            ),
            pytest.param(
                {"category": "Bad!"}, "category", "'Bad!' is not a valid category id", id="category"
            ),
            pytest.param(
                {"source": "my source"},
                "source",
                "'my source' is not a valid source id",
                id="source",
            ),
            pytest.param(
                {"kind": "plugin"},
                "kind",
                "'plugin' is not a kind; use one of: "
                "node-pack, model, workflow, tool, platform, docs, tutorial, community",
                id="kind",
            ),
            pytest.param(
                {"tags": tuple(f"t{i}" for i in range(11))},
                "tag",
                "at most 10 tags can be combined",
                id="tag-count",
            ),
            pytest.param(
                {"tags": ("ok", "Bad Tag")}, "tag", "'Bad Tag' is not a valid tag", id="tag"
            ),
            pytest.param(
                {"sort": "best"},
                "sort",
                "'best' is not a sort; use one of: relevance, name, stars, downloads, updated",
                id="sort",
            ),
            pytest.param(
                {"offset": -1}, "offset", "must be between 0 and 1000000", id="offset-neg"
            ),
            pytest.param(
                {"offset": MAX_OFFSET + 1},
                "offset",
                "must be between 0 and 1000000",
                id="offset-big",
            ),
            pytest.param(
                {"offset": True}, "offset", "must be between 0 and 1000000", id="offset-bool"
            ),
            pytest.param({"limit": 0}, "limit", "must be between 1 and 500", id="limit-zero"),
            pytest.param(
                {"limit": MAX_LIMIT + 1}, "limit", "must be between 1 and 500", id="limit-big"
            ),
            pytest.param({"limit": True}, "limit", "must be between 1 and 500", id="limit-bool"),
            pytest.param(
                {"text": "x" * 201, "sort": "best"},
                "q",
                "is 201 characters long; the limit is 200",
                id="first-wins",
            ),
        ],
    )
    def test_rejects(self, fields: dict[str, Any], param: str, message: str) -> None:
        """The error names the parameter, and its text reads 'param: message'."""
        with pytest.raises(QueryError) as info:
            Query(**fields)
        assert (info.value.param, info.value.message) == (param, message)
        assert str(info.value) == f"{param}: {message}"
        assert isinstance(info.value, ValueError)

    def test_accepts_limits(self) -> None:
        """Values at each bound pass; check_query can be called again on a valid query."""
        query = Query(
            text="x" * 200,
            category="a",
            source="b",
            kind="model",
            tags=tuple(f"t{i}" for i in range(10)),
            sort="updated",
            offset=MAX_OFFSET,
            limit=MAX_LIMIT,
        )
        check_query(query)
        assert Query(offset=0, limit=1).limit == 1

    def test_defaults(self) -> None:
        """An empty query asks for everything in catalogue order, first page of 50, with facets."""
        index = SearchIndex([res(f"r{i:02d}") for i in range(60)])
        result = index.search(Query())
        assert (result.total, result.offset, result.limit) == (60, 0, 50)
        assert [r.id for r in result.items] == [f"r{i:02d}" for i in range(50)]
        assert result.facets["kind"] == {"tool": 60}


class TestParseQuery:
    """String parameters (HTTP query strings, CLI options) become a checked Query."""

    def test_everything(self) -> None:
        """Each parameter is stripped and converted."""
        query = parse_query(
            {
                "q": "  video  ",
                "category": " video ",
                "kind": " node-pack ",
                "tag": " anim ",
                "source": " curated ",
                "sort": " stars ",
                "offset": "10",
                "limit": "5",
                "facets": "0",
            }
        )
        assert query == Query(
            text="video",
            category="video",
            kind="node-pack",
            tags=("anim",),
            source="curated",
            sort="stars",
            offset=10,
            limit=5,
            facets=False,
        )

    def test_empty(self) -> None:
        """No parameters, or empty ones, give the default query."""
        assert parse_query({}) == Query()
        assert parse_query({"q": "", "tag": "", "sort": "", "offset": "", "limit": ""}) == Query()

    @pytest.mark.parametrize(
        ("value", "on"), [("1", True), ("true", True), ("0", False), ("false", False)]
    )
    def test_flags(self, value: str, on: bool) -> None:
        """Every yes/no parameter, facets among them, is 0/1 or true/false."""
        assert parse_query({"facets": value}).facets is on
        assert parse_flag({"favorites": value}, "favorites") is on

    def test_an_absent_flag_takes_its_default(self) -> None:
        """Facets are counted unless switched off; other flags are off unless switched on."""
        assert parse_query({}).facets is True
        assert (parse_flag({}, "installed"), parse_flag({}, "x", default=True)) == (False, True)

    @pytest.mark.parametrize("value", ["yes", "", "TRUE", "2"])
    def test_a_flag_is_nothing_else(self, value: str) -> None:
        """Anything else is refused, naming the flag."""
        with pytest.raises(QueryError) as info:
            parse_flag({"installed": value}, "installed")
        assert str(info.value) == "installed: must be 0 or 1"

    def test_tags_argument_wins(self) -> None:
        """Repeated tags passed separately replace the single 'tag' parameter."""
        assert parse_query({"tag": "a"}, tags=[" b ", "c"]).tags == ("b", "c")

    def test_extra_fields(self) -> None:
        """Extra keyword arguments reach the Query (e.g. favourite ids)."""
        assert parse_query({}, ids=frozenset({"a"})).ids == frozenset({"a"})

    @pytest.mark.parametrize(
        ("params", "param", "message"),
        [
            pytest.param(
                {"zz": "1", "page": "2"},
                "page",
                "is not a known parameter",
                id="unknown-first-sorted",
            ),
            pytest.param({"facets": "yes"}, "facets", "must be 0 or 1", id="facets"),
            pytest.param({"limit": "abc"}, "limit", "must be a whole number, got 'abc'", id="text"),
            pytest.param(
                {"offset": "-1"}, "offset", "must be a whole number, got '-1'", id="negative"
            ),
            pytest.param(
                {"limit": "1.5"}, "limit", "must be a whole number, got '1.5'", id="decimal"
            ),
            pytest.param(
                {"limit": "٣"}, "limit", "must be a whole number, got '٣'", id="non-ascii-digit"
            ),
            pytest.param(
                {"limit": "x" * 30}, "limit", f"must be a whole number, got '{'x' * 20}'", id="cut"
            ),
            pytest.param(
                {"limit": "1" * 10}, "limit", "must be between 1 and 500", id="ten-digits"
            ),
            pytest.param(
                {"offset": "9" * 5000},
                "offset",
                "must be between 0 and 1000000",
                id="five-thousand-digits",
            ),
            pytest.param({"limit": "0"}, "limit", "must be between 1 and 500", id="zero"),
            pytest.param(
                {"sort": "best"},
                "sort",
                "'best' is not a sort; use one of: relevance, name, stars, downloads, updated",
                id="sort",
            ),
        ],
    )
    def test_rejects(self, params: dict[str, str], param: str, message: str) -> None:
        """Bad parameters raise QueryError naming the parameter."""
        with pytest.raises(QueryError) as info:
            parse_query(params)
        assert (info.value.param, info.value.message) == (param, message)

    @pytest.mark.parametrize(
        ("value", "expected"),
        [("0000000000007", 7), ("000000000000", 0), ("0001000000", MAX_OFFSET)],
    )
    def test_leading_zeros(self, value: str, expected: int) -> None:
        """Leading zeros do not count towards a number's length."""
        assert parse_query({"offset": value}).offset == expected

    @settings(max_examples=300)
    @given(
        st.dictionaries(
            st.sampled_from(
                [
                    "q",
                    "category",
                    "kind",
                    "tag",
                    "source",
                    "sort",
                    "offset",
                    "limit",
                    "facets",
                    "other",
                ]
            ),
            st.text(max_size=30),
        )
    )
    def test_never_raises_anything_else(self, params: dict[str, str]) -> None:
        """Any string parameters give a Query or a QueryError, nothing else."""
        error: QueryError | None = None
        try:
            check_query(parse_query(params))
        except QueryError as exc:
            error = exc
        assert error is None or error.param in params


class TestTokens:
    """Text is split into lowercase word tokens; names also at case changes."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            pytest.param(
                "ComfyUI-KJNodes: v2 (Video_Helper)",
                ["comfyui", "kjnodes", "v2", "video", "helper"],
                id="punctuation",
            ),
            pytest.param("FLUX.1 dev", ["flux", "1", "dev"], id="dots"),
            pytest.param("Straße ÜBER", ["strasse", "über"], id="casefold"),
            pytest.param("日本語 text", ["日本語", "text"], id="cjk"),
            pytest.param("__--!!", [], id="nothing"),
            pytest.param("", [], id="empty"),
        ],
    )
    def test_tokenize(self, text: str, expected: list[str]) -> None:
        """Underscores and punctuation separate words; case is folded."""
        assert tokenize(text) == expected

    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            pytest.param(
                "ComfyUI-KJNodes",
                ["comfy", "comfyui", "comfyuikjnodes", "kj", "kjnodes", "nodes", "ui"],
                id="camel-and-joined",
            ),
            pytest.param(
                "VideoHelperSuite",
                ["helper", "suite", "video", "videohelpersuite"],
                id="camel-only",
            ),
            pytest.param(
                "HTTPServer2Go", ["2", "go", "http", "httpserver2go", "server"], id="acronym"
            ),
            pytest.param("upscale", ["upscale"], id="one-word"),
        ],
    )
    def test_name_tokens(self, name: str, expected: list[str]) -> None:
        """Names are found by their parts and by all their words joined."""
        assert sorted(name_tokens(name)) == expected

    @settings(max_examples=300)
    @given(st.text())
    def test_tokens_are_lowercase_words(self, text: str) -> None:
        """Tokens are non-empty, case-folded, and free of underscores and spaces."""
        for token in tokenize(text):
            assert token
            assert token == token.casefold()
            assert "_" not in token
            assert not any(c.isspace() for c in token)


class TestTextSearch:
    """Text is matched in name, id, author, description and tags, ranked by where and how well."""

    def test_no_text_keeps_catalogue_order(self, index: SearchIndex) -> None:
        """Without text, relevance order is the catalogue's order."""
        assert ids(index) == [r.id for r in CATALOGUE]

    def test_field_weights(self, index: SearchIndex) -> None:
        """A name match beats a tag match, which beats a description match."""
        assert ids(index, text="video") == ["video-helper-suite", "comfyui-kjnodes", "comfy-docs"]

    def test_prefix(self, index: SearchIndex) -> None:
        """A word prefix matches, in the same order."""
        assert ids(index, text="vid") == ["video-helper-suite", "comfyui-kjnodes", "comfy-docs"]

    def test_prepare_makes_the_lookups_first_searches_would(self) -> None:
        index = SearchIndex([res("a", "Alpha"), res("b", "Beta")])
        index.prepare()
        made = {**vars(index._text), **vars(index)}
        assert {"by_id", "_by_url", "node_types", "_catalogue_order"} <= made.keys()
        assert index._text._typos is not None
        assert [r.id for r in index.search(Query(text="a")).items] == ["a"]

    def test_short_prefix_is_memoised(self, index: SearchIndex) -> None:
        """Two-letter prefixes answer the same twice."""
        first = ids(index, text="up")
        assert first == ["upscaler"]
        assert ids(index, text="up") == first

    def test_typo(self, index: SearchIndex) -> None:
        """One typo in a word of four letters or more still matches."""
        assert ids(index, text="vidoe") == ["video-helper-suite", "comfyui-kjnodes", "comfy-docs"]
        assert ids(index, text="upscail") == ["upscaler"]

    def test_typo_missing_letter(self, index: SearchIndex) -> None:
        """A word with one letter left out still matches."""
        assert ids(index, text="vdeo") == ["video-helper-suite", "comfyui-kjnodes", "comfy-docs"]

    def test_four_letter_typo(self) -> None:
        """Four-letter words take part in typo matching, on both the query and the index side."""
        index = SearchIndex([res("a", "Frames"), res("b", "From")])
        assert ids(index, text="fram") == ["a", "b"]

    def test_exact_beats_prefix(self) -> None:
        """An exact word outranks a longer word it begins, even one with more stars."""
        index = SearchIndex([res("a", "Videos", stars=100), res("b", "Video")])
        assert ids(index, text="video") == ["b", "a"]

    def test_prefix_beats_typo(self) -> None:
        """A prefix match outranks a typo match in the same field, even one with more stars."""
        index = SearchIndex([res("a", "Frames"), res("b", "From", stars=100)])
        assert ids(index, text="fram") == ["a", "b"]

    def test_typo_in_name_beats_exact_description(self) -> None:
        """A name with a typo still outranks an exact word in a description."""
        index = SearchIndex([res("a", "From"), res("b", "Other", description="fram", stars=100)])
        assert ids(index, text="fram") == ["a", "b"]

    def test_best_match_of_a_document_counts(self) -> None:
        """A document matching one word several ways keeps its best match, not its last."""
        index = SearchIndex([res("a", "Videos"), res("b", "Video", description="videos")])
        assert ids(index, text="video") == ["b", "a"]

    def test_short_words_need_no_typo(self, index: SearchIndex) -> None:
        """Words under four letters match exactly or as prefixes only."""
        assert ids(index, text="dex") == []

    def test_all_words_must_match(self, index: SearchIndex) -> None:
        """Several words narrow the result: each must match."""
        assert ids(index, text="video frames") == ["video-helper-suite"]
        assert ids(index, text="video zzzz") == []

    def test_every_word_is_checked(self) -> None:
        """With three words, each one narrows: the middle one is not skipped."""
        index = SearchIndex(
            [
                res("a", "alpha beta"),
                res("b", "alpha gamma"),
                res("c", "beta gamma delta"),
                res("d", "gamma delta"),
            ]
        )
        assert ids(index, text="alpha beta gamma") == []
        assert ids(index, text="alpha gamma") == ["b"]
        assert ids(index, text="beta gamma delta") == ["c"]

    def test_camel_case_parts(self, index: SearchIndex) -> None:
        """Parts of a camel-case name and the whole joined name both match."""
        assert ids(index, text="kj nodes") == ["comfyui-kjnodes"]
        assert ids(index, text="comfyuikjnodes") == ["comfyui-kjnodes"]
        assert ids(index, text="helper") == ["video-helper-suite"]

    def test_name_parts_when_the_id_differs(self) -> None:
        """Camel-case parts and the joined name come from the name alone, not only the id."""
        index = SearchIndex([res("vhs", "VideoHelperSuite"), res("usu", "Ultimate SD Upscale")])
        assert ids(index, text="helper") == ["vhs"]
        assert ids(index, text="ultimatesdupscale") == ["usu"]

    def test_compounds_match_only_whole(self, index: SearchIndex) -> None:
        """A joined name matches whole, never as a prefix or with a typo; real words do."""
        assert ids(index, text="comfyuikjnodes") == ["comfyui-kjnodes"]
        assert ids(index, text="comfyuikjnode") == []
        assert ids(index, text="comfyuikjnods") == []
        assert ids(index, text="kjnode") == ["comfyui-kjnodes"]

    def test_shared_description_word(self) -> None:
        """A word in several descriptions finds every one of them."""
        index = SearchIndex(
            [res("a", "Alpha", description="shared"), res("b", "Beta", description="shared")]
        )
        assert ids(index, text="shared") == ["a", "b"]

    def test_author(self, index: SearchIndex) -> None:
        """Authors match by word and as a whole."""
        assert ids(index, text="kijai") == ["comfyui-kjnodes"]
        assert ids(index, text="black-forest-labs") == ["flux-dev"]

    def test_words_add_up(self) -> None:
        """With several words a document's scores for each are summed, in either word order."""
        index = SearchIndex(
            [
                res("first", "Alpha", tags=("beta",)),
                res("second", "Beta", description="alpha"),
            ]
        )
        assert ids(index, text="alpha beta") == ["first", "second"]
        assert ids(index, text="beta alpha") == ["first", "second"]

    def test_popularity_breaks_ties_between_words(self) -> None:
        """Equal matches of several words are ordered by stars too."""
        index = SearchIndex([res("a", "Red tool one"), res("b", "Red tool two", stars=10)])
        assert ids(index, text="red tool") == ["b", "a"]

    def test_one_star_beats_none(self) -> None:
        """Any star outranks none, whatever the name order, in a catalogue of any size."""
        tools = [res(f"t{i:02d}", f"Tool {i:02d}") for i in range(40)]
        index = SearchIndex([*tools, res("z", "Zeta tool", stars=1)])
        assert ids(index, text="tool", limit=3) == ["z", "t00", "t01"]

    def test_stars_can_lift_a_weaker_match(self) -> None:
        """Popularity adds log10(stars + 1): 1500 stars lift a prefix over an exact word."""
        index = SearchIndex(
            [
                res("a", "Alpha", description="videos", stars=1500),
                res("b", "Beta", description="video"),
            ]
        )
        assert ids(index, text="video") == ["a", "b"]

    def test_popularity_breaks_ties(self) -> None:
        """Equal matches are ordered by stars, then by name."""
        index = SearchIndex(
            [
                res("c", "Gamma tool", stars=5),
                res("a", "Alpha tool"),
                res("b", "Beta tool", stars=50),
                res("d", "Delta tool"),
            ]
        )
        assert ids(index, text="tool") == ["b", "c", "a", "d"]

    def test_downloads_stand_in_for_missing_stars(self) -> None:
        """Without stars, Registry downloads count, a thousand to a star (log-scaled alike);
        stars win where both are known, and zero stars are known."""
        index = SearchIndex(
            [
                res("c", "Gamma tool", stars=100, downloads=10**9),
                res("a", "Alpha tool"),
                res("b", "Beta tool", downloads=50_000),
                res("d", "Delta tool", stars=0, downloads=10**6),
                res("e", "Epsilon tool", downloads=0),
            ]
        )
        assert ids(index, text="tool") == ["c", "b", "a", "d", "e"]

    def test_exact_id(self, index: SearchIndex) -> None:
        """A query that is an id puts that resource first."""
        assert ids(index, text="flux-dev")[0] == "flux-dev"
        assert ids(index, text="upscaler") == ["upscaler"]

    def test_exact_id_first_then_other_matches(self) -> None:
        """A query that is an id puts that resource first and still lists the other matches."""
        index = SearchIndex([res("big", "Big tool", stars=1000), res("tool", "Tool")])
        assert ids(index, text="tool") == ["tool", "big"]

    def test_owner_repo_names_only_that_resource(self) -> None:
        """A pasted owner/repo finds only its resource, even when other names share its words."""
        index = SearchIndex(
            [
                res("o.tool", "Tool", url="https://github.com/o/tool"),
                res("other", "O Tool", stars=1000),
            ]
        )
        assert ids(index, text="o/tool") == ["o.tool"]
        assert ids(index, text="o tool") == ["other", "o.tool"]

    @pytest.mark.parametrize(
        "text",
        [
            "https://github.com/kijai/ComfyUI-KJNodes",
            "http://www.github.com/Kijai/comfyui-kjnodes.git/",
            "kijai/ComfyUI-KJNodes",
        ],
    )
    def test_url_or_owner_repo(self, index: SearchIndex, text: str) -> None:
        """A resource's URL in any spelling, or GitHub owner/repo, finds it."""
        assert ids(index, text=text) == ["comfyui-kjnodes"]

    @pytest.mark.parametrize(
        "text", ["https://nowhere.org/x", "ftp://example.org/upscaler", "!!!", "other/thing"]
    )
    def test_no_match(self, index: SearchIndex, text: str) -> None:
        """Unknown URLs, bad URLs, punctuation and unknown owner/repo find nothing."""
        result = index.search(Query(text=text))
        assert (result.total, result.items) == (0, ())

    def test_many_words_are_cut(self, index: SearchIndex) -> None:
        """Only the first eight distinct words are used."""
        text = "video " * 3 + "a b c d e f g" + " zzzz"
        assert ids(index, text=text) == []
        assert ids(index, text="video video video a b c d e f zzzz") == []
        assert ids(index, text="frames video video frames") == ["video-helper-suite"]

    def test_ninth_word_ignored(self) -> None:
        """A ninth distinct word does not narrow the search."""
        index = SearchIndex([res("x", "one two three four five six seven eight")])
        assert ids(index, text="one two three four five six seven eight nine") == ["x"]
        assert ids(index, text="one two three four five six seven nine") == []


class TestFilters:
    """Filters narrow results by category, kind, tags, source and ids."""

    @pytest.mark.parametrize(
        ("fields", "expected"),
        [
            pytest.param({"category": "video"}, ["video-helper-suite"], id="category"),
            pytest.param(
                {"kind": "node-pack"},
                ["comfyui-kjnodes", "video-helper-suite", "upscaler"],
                id="kind",
            ),
            pytest.param({"tags": ("video",)}, ["comfyui-kjnodes", "video-helper-suite"], id="tag"),
            pytest.param({"tags": ("video", "animation")}, ["video-helper-suite"], id="tags-and"),
            pytest.param({"source": "manager"}, ["flux-dev"], id="source"),
            pytest.param({"category": "nowhere"}, [], id="unknown-category"),
            pytest.param({"tags": ("nope",)}, [], id="unknown-tag"),
            pytest.param(
                {"kind": "node-pack", "text": "video"},
                ["video-helper-suite", "comfyui-kjnodes"],
                id="with-text",
            ),
            pytest.param(
                {"ids": frozenset({"upscaler", "flux-dev", "ghost"})},
                ["flux-dev", "upscaler"],
                id="ids",
            ),
            pytest.param({"ids": frozenset()}, [], id="no-ids"),
        ],
    )
    def test_filter(self, index: SearchIndex, fields: dict[str, Any], expected: list[str]) -> None:
        """Only matching resources come back, in order."""
        assert ids(index, **fields) == expected
        assert index.search(Query(**fields)).total == len(expected)


class TestFacets:
    """Facets count each value over the matches of every other filter."""

    def test_no_filter(self, index: SearchIndex) -> None:
        """Without filters each facet counts the whole catalogue, most common first."""
        facets = index.search(Query()).facets
        assert facets == {
            "category": {"essentials": 1, "video": 1, "models": 1, "learning": 1, "image": 1},
            "kind": {"node-pack": 3, "model": 1, "docs": 1},
            "tag": {
                "video": 2,
                "utility": 1,
                "animation": 1,
                "flux": 1,
                "checkpoint": 1,
                "docs": 1,
                "upscale": 1,
            },
            "source": {"curated": 4, "manager": 1},
        }
        assert list(facets["kind"]) == ["node-pack", "model", "docs"]
        assert index.search(Query()).facets is facets

    def test_own_filter_ignored(self, index: SearchIndex) -> None:
        """A facet's own filter does not narrow it, so other choices stay visible."""
        facets = index.search(Query(kind="node-pack")).facets
        assert facets["kind"] == {"node-pack": 3, "model": 1, "docs": 1}
        assert facets["category"] == {"essentials": 1, "video": 1, "image": 1}
        assert facets["source"] == {"curated": 3}

    def test_with_text(self, index: SearchIndex) -> None:
        """Text narrows every facet."""
        facets = index.search(Query(text="video")).facets
        assert facets["kind"] == {"node-pack": 2, "docs": 1}
        assert facets["tag"] == {"video": 2, "utility": 1, "animation": 1, "docs": 1}

    def test_tags_counted_within_matches(self, index: SearchIndex) -> None:
        """Tags combine with AND, so a tag's count is what adding it would give."""
        facets = index.search(Query(tags=("video",))).facets
        assert facets["tag"] == {"video": 2, "utility": 1, "animation": 1}
        assert facets["category"] == {"essentials": 1, "video": 1}
        assert len(ids(index, tags=("video", "utility"))) == facets["tag"]["utility"]

    def test_selected_tags_always_shown(self, index: SearchIndex) -> None:
        """A selected tag appears even when nothing has it."""
        facets = index.search(Query(tags=("nope",))).facets
        assert facets["tag"]["nope"] == 0
        assert facets["category"] == {}

    def test_ids_narrow_every_facet(self, index: SearchIndex) -> None:
        """A favourites view counts only the favourites, in every facet."""
        facets = index.search(Query(ids=frozenset({"flux-dev", "upscaler"}))).facets
        assert facets == {
            "category": {"models": 1, "image": 1},
            "kind": {"model": 1, "node-pack": 1},
            "tag": {"flux": 1, "checkpoint": 1, "upscale": 1},
            "source": {"manager": 1, "curated": 1},
        }

    def test_switched_off(self, index: SearchIndex) -> None:
        """facets=False skips counting."""
        assert index.search(Query(facets=False)).facets == {}

    def test_top_tags_only(self) -> None:
        """Only the 40 most common tags are listed, plus any selected tag."""
        resources = [res(f"r{i}", f"R {i}", tags=(f"t{i}", "common")) for i in range(50)]
        index = SearchIndex(resources)
        tags = index.search(Query()).facets["tag"]
        assert len(tags) == FACET_TAGS
        assert next(iter(tags.items())) == ("common", 50)
        selected = index.search(Query(tags=("t48", "t49"))).facets["tag"]
        assert selected == {"t48": 0, "t49": 0}
        # Equal counts: the tag the catalogue has first comes first.
        assert list(index.search(Query(text="r", tags=("t49",))).facets["tag"]) == ["common", "t49"]
        assert index.search(Query(tags=("common",))).facets["tag"] == tags

    def test_selected_tag_beyond_the_top_keeps_its_count(self) -> None:
        """A selected tag cut from the top tags is still listed with its real count."""
        many = tuple(f"t{i:02d}" for i in range(FACET_TAGS + 5))
        index = SearchIndex([res("a", "A", tags=(*many, "rare"))])
        tags = index.search(Query(tags=("rare",))).facets["tag"]
        assert len(tags) == FACET_TAGS + 1
        assert tags["rare"] == 1
        assert list(tags)[-1] == "rare"

    def test_most_documents_counted_by_complement(self) -> None:
        """When a filter keeps most documents the counts are still exact."""
        resources = [
            res(
                f"r{i}",
                f"R {i}",
                category="a" if i < 7 else "b",
                kind="tool" if i < 9 else "model",
                tags=("x",) if i % 2 else (),
            )
            for i in range(10)
        ]
        facets = SearchIndex(resources).search(Query(kind="tool")).facets
        assert facets["category"] == {"a": 7, "b": 2}
        assert facets["tag"] == {"x": 4}
        assert facets["kind"] == {"tool": 9, "model": 1}

    def test_empty_index(self) -> None:
        """An empty catalogue answers with nothing and empty facets."""
        result = SearchIndex([]).search(Query(text="x"))
        assert result == SearchResult(
            0,
            0,
            DEFAULT_LIMIT,
            (),
            {"category": {}, "kind": {}, "tag": {}, "source": {}},
            {"stars": 0, "updated": 0, "downloads": 0},
        )


class TestSortingAndPaging:
    """Sorts order every match; offset and limit cut one page."""

    def test_name(self, index: SearchIndex) -> None:
        """Names sort case-insensitively, then by id."""
        assert ids(index, sort="name") == [
            "comfy-docs",
            "comfyui-kjnodes",
            "flux-dev",
            "upscaler",
            "video-helper-suite",
        ]

    def test_stars(self, index: SearchIndex) -> None:
        """Most stars first; no stars and zero stars last, by name."""
        assert ids(index, sort="stars") == [
            "comfyui-kjnodes",
            "video-helper-suite",
            "upscaler",
            "comfy-docs",
            "flux-dev",
        ]

    def test_downloads(self) -> None:
        """Most Registry downloads first; zero before unknown; unknown last, by name."""
        index = SearchIndex(
            [
                res("a", "Alpha"),
                res("b", "Beta", downloads=0),
                res("c", "Gamma", downloads=5000, stars=1),
                res("d", "Delta", downloads=70),
                res("e", "Epsilon", stars=900),
                res("f", "Zeta", downloads=5000),
            ]
        )
        assert ids(index, sort="downloads") == ["c", "f", "d", "b", "a", "e"]

    def test_updated(self, index: SearchIndex) -> None:
        """Latest update first; undated last."""
        assert ids(index, sort="updated") == [
            "comfyui-kjnodes",
            "video-helper-suite",
            "upscaler",
            "comfy-docs",
            "flux-dev",
        ]

    def test_sort_with_text_and_filter(self, index: SearchIndex) -> None:
        """A sort orders the text matches instead of relevance."""
        assert ids(index, text="video", sort="name") == [
            "comfy-docs",
            "comfyui-kjnodes",
            "video-helper-suite",
        ]
        assert ids(index, kind="node-pack", sort="stars", limit=2) == [
            "comfyui-kjnodes",
            "video-helper-suite",
        ]

    def test_one_star_before_none(self) -> None:
        """One star sorts before no stars at all, whatever the names."""
        index = SearchIndex(
            [res("a", "Alpha"), res("b", "Beta", stars=1), res("c", "Gamma", stars=0)]
        )
        assert ids(index, sort="stars") == ["b", "a", "c"]

    def test_same_name_sorted_by_id(self) -> None:
        """Equal names are ordered by id."""
        index = SearchIndex([res("b", "Same"), res("a", "same")])
        assert ids(index, sort="name") == ["a", "b"]

    def test_paging(self, index: SearchIndex) -> None:
        """Pages cut the full order; the total stays; past the end is empty."""
        result = index.search(Query(sort="name", offset=1, limit=2))
        assert (result.total, result.offset, result.limit) == (5, 1, 2)
        assert [r.id for r in result.items] == ["comfyui-kjnodes", "flux-dev"]
        assert ids(index, text="video", offset=2, limit=5) == ["comfy-docs"]
        past = index.search(Query(offset=10))
        assert (past.total, past.items) == (5, ())

    def test_to_dict(self, index: SearchIndex) -> None:
        """The HTTP and --json shape: total, offset, limit, items, facets, sortable."""
        result = index.search(Query(text="flux", limit=1, facets=False))
        assert result.to_dict() == {
            "total": 1,
            "offset": 0,
            "limit": 1,
            "items": [CATALOGUE[2].to_dict()],
            "facets": {},
            "sortable": {},
        }


# -- properties over generated catalogues ----------------------------------------------------

_WORDS = ["video", "image", "upscale", "flux", "nodes", "model", "face", "depth"]
_CATEGORIES = ["a", "b", "c"]
_TAGS = ["x", "y", "z", "w"]
_SOURCES = ["s1", "s2"]


_ROWS = st.tuples(
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3),
    st.lists(st.sampled_from(_WORDS), max_size=4),
    st.sampled_from(_CATEGORIES),
    st.sampled_from(KINDS[:3]),
    st.lists(st.sampled_from(_TAGS), unique=True, max_size=3),
    st.sampled_from(_SOURCES),
    st.none() | st.integers(0, 1000),
    st.sampled_from(["", "2024-01-02", "2025-06-30", "2023-12-31"]),
)


def _catalogue(rows: list[tuple[Any, ...]]) -> list[Resource]:
    return [
        res(
            f"r{i}",
            " ".join(name).title() + f" {i % 3}",
            description=" ".join(words),
            category=category,
            kind=kind,
            tags=tuple(tags),
            source=source,
            stars=stars,
            updated=updated,
        )
        for i, (name, words, category, kind, tags, source, stars, updated) in enumerate(rows)
    ]


# Up to 25 resources with overlapping words, categories, tags and sources.
catalogues = st.lists(_ROWS, max_size=25).map(_catalogue)


_QUERIES = st.builds(
    Query,
    text=st.sampled_from(["", "", "video", "vid", "flux nodes", "imgae", "r3", "zzz", "a"]),
    category=st.sampled_from(["", "", *_CATEGORIES, "none"]),
    kind=st.sampled_from(["", "", *KINDS[:3]]),
    tags=st.lists(st.sampled_from(_TAGS), unique=True, max_size=2).map(tuple),
    source=st.sampled_from(["", "", *_SOURCES]),
    sort=st.sampled_from(["relevance", "name", "stars", "updated"]),
    ids=st.none() | st.frozensets(st.sampled_from([f"r{i}" for i in range(30)]), max_size=12),
)


def _what(query: Query, **changes: Any) -> dict[str, Any]:
    """What ``query`` looks for and in which order, without its page."""
    fields = ("text", "category", "kind", "tags", "source", "ids", "sort")
    return {**{name: getattr(query, name) for name in fields}, **changes}


def _full(index: SearchIndex, query: Query, **changes: Any) -> list[str]:
    chosen = Query(**_what(query, **changes), limit=MAX_LIMIT, facets=False)
    return [r.id for r in index.search(chosen).items]


def _matches(resource: Resource, query: Query) -> bool:
    return (
        (not query.category or resource.category == query.category)
        and (not query.kind or resource.kind == query.kind)
        and (not query.source or resource.source == query.source)
        and all(tag in resource.tags for tag in query.tags)
        and (query.ids is None or resource.id in query.ids)
    )


class TestSearchProperties:
    """Search over generated catalogues: total, determinism, filters, paging and facets agree."""

    @settings(max_examples=100, deadline=None)
    @given(catalogues, _QUERIES)
    def test_results_satisfy_filters_and_total(
        self, resources: list[Resource], query: Query
    ) -> None:
        """Every item matches the filters; total counts the matches; text only narrows."""
        index = SearchIndex(resources)
        result = index.search(query)
        assert all(_matches(r, query) for r in result.items)
        full = _full(index, query)
        assert result.total == len(full)
        assert [r.id for r in result.items] == full[: query.limit]
        filtered = [r.id for r in resources if _matches(r, query)]
        if not query.text:
            assert result.total == len(filtered)
        assert set(full) <= set(filtered)

    @settings(max_examples=100, deadline=None)
    @given(catalogues, _QUERIES)
    def test_deterministic(self, resources: list[Resource], query: Query) -> None:
        """The same query gives the same ids, from the same index and from a new one."""
        index = SearchIndex(resources)
        first = index.search(query)
        assert index.search(query) == first
        assert [r.id for r in SearchIndex(resources).search(query).items] == [
            r.id for r in first.items
        ]

    @settings(max_examples=100, deadline=None)
    @given(catalogues, _QUERIES, st.sampled_from(_CATEGORIES), st.sampled_from(_TAGS))
    def test_filters_commute(
        self, resources: list[Resource], query: Query, category: str, tag: str
    ) -> None:
        """Category then tag, or tag then category, or both at once: the same ids."""
        index = SearchIndex(resources)
        both = _full(index, query, category=category, tags=(tag,))
        by_category = _full(index, query, category=category, tags=())
        by_tag = _full(index, query, category="", tags=(tag,))
        assert both == [i for i in by_category if i in by_tag]
        assert both == [i for i in by_tag if i in by_category]

    @settings(max_examples=100, deadline=None)
    @given(catalogues, _QUERIES, st.integers(1, 7))
    def test_pages_concatenate(self, resources: list[Resource], query: Query, size: int) -> None:
        """Consecutive pages put together give the full ordering, with the same total."""
        index = SearchIndex(resources)
        full = _full(index, query)
        pages: list[str] = []
        for offset in range(0, len(full) + size, size):
            page = index.search(Query(**_what(query), offset=offset, limit=size))
            assert page.total == len(full)
            assert len(page.items) <= size
            pages += [r.id for r in page.items]
        assert pages == full

    @settings(max_examples=100, deadline=None)
    @given(catalogues, _QUERIES)
    def test_facets_equal_filtered_totals(self, resources: list[Resource], query: Query) -> None:
        """Each facet count is the total found when that value is chosen as the filter."""
        index = SearchIndex(resources)
        facets = index.search(query).facets
        for category in _CATEGORIES:
            assert facets["category"].get(category, 0) == len(
                _full(index, query, category=category)
            )
        for kind in KINDS[:3]:
            assert facets["kind"].get(kind, 0) == len(_full(index, query, kind=kind))
        for source in _SOURCES:
            assert facets["source"].get(source, 0) == len(_full(index, query, source=source))
        for tag in _TAGS:
            chosen = tuple(dict.fromkeys((*query.tags, tag)))
            assert facets["tag"].get(tag, 0) == len(_full(index, query, tags=chosen))
        assert all(
            count > 0 for name in ("category", "kind", "source") for count in facets[name].values()
        )

    @settings(max_examples=100, deadline=None)
    @given(catalogues, st.text(max_size=40))
    def test_any_text(self, resources: list[Resource], text: str) -> None:
        """Any text at all is searched without error."""
        result = SearchIndex(resources).search(Query(text=text))
        assert result.total == len(result.items) or result.total > DEFAULT_LIMIT


class TestWordForms:
    """Another form of the same English word finds it, below the word's own matches."""

    FORMS = (
        ("upscale", "Upscaling Toolkit"),
        ("upscaling", "Upscale Models"),
        ("upscaler", "Upscaling Toolkit"),
        ("animations", "Animate Anything"),
        ("faces", "Face Restore"),
        ("masking", "Mask Editor"),
        ("rendered", "Render Farm"),
    )

    @pytest.fixture
    def forms(self) -> SearchIndex:
        names = sorted({name for _, name in self.FORMS} | {"Upscaler Pro", "Video Helper"})
        return SearchIndex([res(name.lower().replace(" ", "-"), name) for name in names])

    @pytest.mark.parametrize(("query", "name"), FORMS)
    def test_a_form_finds_the_other(self, forms: SearchIndex, query: str, name: str) -> None:
        found = [r.name for r in forms.search(Query(text=query)).items]
        assert name in found
        assert "Video Helper" not in found

    def test_the_word_itself_ranks_above_its_other_forms(self, forms: SearchIndex) -> None:
        found = [r.name for r in forms.search(Query(text="upscaler")).items]
        assert found[0] == "Upscaler Pro"  # the word itself, then other forms
        assert set(found[1:]) == {"Upscaling Toolkit", "Upscale Models"}

    def test_recall_on_the_curated_list(self) -> None:
        """Each pair of forms finds the same curated entries (the query set of issue 13)."""
        index = SearchIndex(load_curated().resources)
        pairs = [("upscale", "upscaling"), ("animation", "animate"), ("face", "faces")]
        for one, other in pairs:
            first = {r.id for r in index.search(Query(text=one, limit=MAX_LIMIT)).items}
            second = {r.id for r in index.search(Query(text=other, limit=MAX_LIMIT)).items}
            assert first == second, (one, other)
            assert first, one
