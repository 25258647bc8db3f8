"""The one set of validation rules: every field rule with its exact message, and duplicates."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from nodes.core.model import Category, Problem, Resource
from nodes.core.validate import (
    ID_RE,
    MAX_STARS,
    REQUIRED,
    Location,
    ResourceError,
    duplicate_problems,
    parse_category,
    parse_resource,
    require_resource,
    without_duplicates,
)

KNOWN_FIELDS = (
    "unknown field; known fields: id, name, url, category, kind, description, tags, author, "
    "license, install_url, stars, updated"
)
KIND_CHOICES = "node-pack, model, workflow, tool, platform, docs, tutorial, community"
BAD_ID = (
    "is not a valid id; use 1-80 lowercase letters, digits, '.', '_' or '-', starting and "
    "ending with a letter or digit"
)
BAD_TAG = "is not a valid tag; use lowercase letters, digits, '+', '.', '_' or '-' (at most 32)"
WHERE = Location("mine.yaml", 3, {"url": 5, "tags": 7})

RawFactory = Callable[..., dict[str, Any]]


def problems_of(raw: object, **options: Any) -> list[str]:
    """The problems of one raw entry as text."""
    resource, problems = parse_resource(raw, WHERE, **options)
    assert resource is None
    return [str(p) for p in problems]


class TestLocation:
    """A location turns a field name and message into a located problem."""

    def test_field_line_wins_over_entry_line(self) -> None:
        """A field with its own line is reported there; others at the entry's line."""
        assert WHERE.problem("url", "m") == Problem("mine.yaml", 5, "url", "m")
        assert WHERE.problem("name", "m") == Problem("mine.yaml", 3, "name", "m")

    def test_frozen(self) -> None:
        """A location cannot be changed once made."""
        with pytest.raises(dataclasses.FrozenInstanceError):
            WHERE.line = 4  # type: ignore[misc]

    def test_prefix_names_the_entry(self) -> None:
        """Formats without lines name the entry in the field instead."""
        where = Location("db.json", prefix="custom_nodes[4].")
        assert where.problem("url", "m") == Problem("db.json", None, "custom_nodes[4].url", "m")


class TestValidEntry:
    """A valid entry becomes a Resource with every given field, normalised."""

    def test_minimal(self, resource_dict: RawFactory) -> None:
        """Only the required fields: the rest take their defaults."""
        raw = resource_dict()
        del raw["description"]
        resource, problems = parse_resource(raw, WHERE)
        assert problems == []
        assert resource == Resource(
            id="gamma-tool",
            name="Gamma Tool",
            url="https://example.org/gamma",
            category="tools",
            kind="tool",
        )
        assert resource is not None
        assert resource.canonical_url == "https://example.org/gamma"
        assert resource.source == "curated"

    def test_every_field(self, resource_dict: RawFactory) -> None:
        """Text is stripped, tags become a tuple, dates become ISO text."""
        raw = resource_dict(
            name="  Gamma  ",
            url="https://GitHub.com/Ex/Gamma.git",
            description="Line one.\n\tTwo",
            tags=["a", "b+c", "d.e_f-g"],
            author=" me ",
            license="MIT",
            install_url="https://github.com/ex/gamma.git",
            stars=MAX_STARS,
            updated=dt.date(2025, 1, 31),
        )
        resource, problems = parse_resource(raw, WHERE, source="mine")
        assert problems == []
        assert resource == Resource(
            id="gamma-tool",
            name="Gamma",
            url="https://GitHub.com/Ex/Gamma.git",
            category="tools",
            kind="tool",
            description="Line one.\n\tTwo",
            tags=("a", "b+c", "d.e_f-g"),
            author="me",
            license="MIT",
            install_url="https://github.com/ex/gamma.git",
            stars=MAX_STARS,
            updated="2025-01-31",
            source="mine",
        )
        assert resource is not None
        assert resource.canonical_url == "https://github.com/ex/gamma"

    def test_empty_optional_fields_are_not_given(self, resource_dict: RawFactory) -> None:
        """`author:` with nothing after it in YAML means the field is absent."""
        resource, problems = parse_resource(
            resource_dict(author=None, tags=None, stars=None, updated=None), WHERE
        )
        assert problems == []
        assert resource is not None
        assert (resource.author, resource.tags, resource.stars, resource.updated) == (
            "",
            (),
            None,
            "",
        )

    def test_empty_optional_field_first(self, resource_dict: RawFactory) -> None:
        """An empty optional field does not stop the fields after it from being read."""
        raw = {"author": None, **resource_dict(license="MIT")}
        resource, problems = parse_resource(raw, WHERE)
        assert problems == []
        assert resource is not None
        assert (resource.id, resource.author, resource.license) == ("gamma-tool", "", "MIT")
        assert problems_of({"author": None, **resource_dict(license=7)}) == [
            "mine.yaml:3: license: must be text, got int"
        ]

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            pytest.param(dt.date(2024, 2, 29), "2024-02-29", id="date"),
            pytest.param(
                dt.datetime(2024, 2, 29, 23, 59, tzinfo=dt.timezone.utc),
                "2024-02-29",
                id="datetime",
            ),
            pytest.param("2025-01-31", "2025-01-31", id="text"),
            pytest.param(" 2025-01-31T10:00:00Z ", "2025-01-31", id="timestamp-text"),
            pytest.param("2025-01-31 10:45:44", "2025-01-31", id="manager-style"),
        ],
    )
    def test_dates(self, resource_dict: RawFactory, value: object, expected: str) -> None:
        """Dates, date-times and ISO text all become YYYY-MM-DD."""
        resource, _ = parse_resource(resource_dict(updated=value), WHERE)
        assert resource is not None
        assert resource.updated == expected

    @pytest.mark.parametrize(
        "value",
        [
            pytest.param("a", id="one-char"),
            pytest.param("a" * 80, id="eighty"),
            pytest.param("a_b.c-d9", id="punctuation"),
            pytest.param("0", id="digit"),
        ],
    )
    def test_ids(self, resource_dict: RawFactory, value: str) -> None:
        """Ids of 1-80 safe characters pass."""
        resource, problems = parse_resource(resource_dict(id=value), WHERE)
        assert problems == []
        assert resource is not None
        assert resource.id == value

    def test_limits_are_inclusive(self, resource_dict: RawFactory) -> None:
        """Values exactly at each limit pass."""
        raw = resource_dict(
            name="n" * 120,
            description="d" * 2000,
            author="a" * 100,
            license="l" * 64,
            tags=[f"t{i}" for i in range(20)],
            stars=0,
        )
        resource, problems = parse_resource(raw, WHERE)
        assert problems == []
        assert resource is not None
        assert resource.stars == 0
        assert len(resource.tags) == 20

    def test_tags_as_tuple_and_longest_tag(self, resource_dict: RawFactory) -> None:
        """A tuple of tags is accepted, and a tag of 32 characters too."""
        resource, problems = parse_resource(resource_dict(tags=("x" * 32,)), WHERE)
        assert problems == []
        assert resource is not None
        assert resource.tags == ("x" * 32,)


class TestFieldRules:
    """Each field rule reports its exact message at file:line: field."""

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            pytest.param("id", "X!", f"'X!' {BAD_ID}", id="id-chars"),
            pytest.param("id", "-a", f"'-a' {BAD_ID}", id="id-start"),
            pytest.param("id", "a-", f"'a-' {BAD_ID}", id="id-end"),
            pytest.param("id", "Abc", f"'Abc' {BAD_ID}", id="id-case"),
            pytest.param("id", "a" * 81, "is 81 characters long; the limit is 80", id="id-long"),
            pytest.param("id", 7, "must be text, got int", id="id-int"),
            pytest.param("id", "a\nb", "must not contain control characters", id="id-newline"),
            pytest.param("name", "", "must not be empty", id="name-empty"),
            pytest.param("name", "   ", "must not be empty", id="name-blank"),
            pytest.param(
                "name", "n" * 121, "is 121 characters long; the limit is 120", id="name-long"
            ),
            pytest.param("name", "a\nb", "must not contain control characters", id="name-newline"),
            pytest.param("name", "a\x85b", "must not contain control characters", id="name-c1"),
            pytest.param("name", {"en": "x"}, "must be text, got a mapping", id="name-mapping"),
            pytest.param("name", ["x"], "must be text, got a list", id="name-list"),
            pytest.param("name", True, "must be text, got true/false", id="name-bool"),
            pytest.param("name", 1.5, "must be text, got float", id="name-float"),
            pytest.param(
                "url", "github.com/a/b", "must start with http:// or https://", id="url-bare"
            ),
            pytest.param(
                "url",
                "ftp://x.org",
                "scheme 'ftp' is not allowed; use http or https",
                id="url-scheme",
            ),
            pytest.param("url", ["https://x.org"], "must be text, got a list", id="url-list"),
            pytest.param("url", {"href": "x"}, "must be text, got a mapping", id="url-mapping"),
            pytest.param("install_url", 5, "must be text, got int", id="install-url-int"),
            pytest.param("category", "Bad Cat", f"'Bad Cat' {BAD_ID}", id="category-id"),
            pytest.param(
                "kind", "plugin", f"'plugin' is not a kind; use one of: {KIND_CHOICES}", id="kind"
            ),
            pytest.param(
                "kind",
                ["tool"],
                f"['tool'] is not a kind; use one of: {KIND_CHOICES}",
                id="kind-list",
            ),
            pytest.param(
                "description",
                "d" * 2001,
                "is 2001 characters long; the limit is 2000",
                id="description-long",
            ),
            pytest.param(
                "description", "a\rb", "must not contain control characters", id="description-cr"
            ),
            pytest.param(
                "description", "a\x00b", "must not contain control characters", id="description-nul"
            ),
            pytest.param("tags", "video", "must be a list of tags, got str", id="tags-text"),
            pytest.param(
                "tags", {"a": 1}, "must be a list of tags, got a mapping", id="tags-mapping"
            ),
            pytest.param(
                "tags", [f"t{i}" for i in range(21)], "has 21 tags; the limit is 20", id="tags-many"
            ),
            pytest.param("tags", ["ok", "Video", "Bad"], f"'Video' {BAD_TAG}", id="tags-case"),
            pytest.param("tags", [3], f"3 {BAD_TAG}", id="tags-int"),
            pytest.param("tags", ["x" * 33], f"'{'x' * 33}' {BAD_TAG}", id="tags-long"),
            pytest.param("tags", ["-x"], f"'-x' {BAD_TAG}", id="tags-start"),
            pytest.param("tags", ["b", "a", "b", "a"], "tag 'a' is listed twice", id="tags-dupe"),
            pytest.param(
                "author", "a" * 101, "is 101 characters long; the limit is 100", id="author-long"
            ),
            pytest.param(
                "license", "l" * 65, "is 65 characters long; the limit is 64", id="license-long"
            ),
            pytest.param(
                "install_url",
                "git@github.com:a/b.git",
                "must start with http:// or https://",
                id="install-url",
            ),
            pytest.param("stars", True, "must be a whole number, got true/false", id="stars-bool"),
            pytest.param("stars", "5", "must be a whole number, got str", id="stars-text"),
            pytest.param("stars", 1.5, "must be a whole number, got float", id="stars-float"),
            pytest.param("stars", -1, f"must be between 0 and {MAX_STARS}", id="stars-negative"),
            pytest.param(
                "stars", MAX_STARS + 1, f"must be between 0 and {MAX_STARS}", id="stars-huge"
            ),
            pytest.param(
                "updated",
                "2025-13-01",
                "must be a date like 2025-01-31, got '2025-13-01'",
                id="updated-month",
            ),
            pytest.param(
                "updated",
                "yesterday",
                "must be a date like 2025-01-31, got 'yesterday'",
                id="updated-word",
            ),
            pytest.param(
                "updated",
                20250131,
                "must be a date like 2025-01-31, got 20250131",
                id="updated-int",
            ),
        ],
    )
    def test_rule(self, resource_dict: RawFactory, field: str, value: object, message: str) -> None:
        """The bad field is the only problem, located on its own line or the entry's."""
        line = {"url": 5, "tags": 7}.get(field, 3)
        assert problems_of(resource_dict(**{field: value})) == [
            f"mine.yaml:{line}: {field}: {message}"
        ]

    @pytest.mark.parametrize("field", ["id", "name", "url", "category", "kind"])
    def test_required_field_missing(self, resource_dict: RawFactory, field: str) -> None:
        """Each required field, when absent, is reported as required."""
        raw = resource_dict()
        del raw[field]
        line = 5 if field == "url" else 3
        assert problems_of(raw) == [f"mine.yaml:{line}: {field}: is required"]

    @pytest.mark.parametrize(
        ("field", "message"),
        [
            pytest.param("id", "must be text, got nothing", id="id"),
            pytest.param("url", "must be text, got nothing", id="url"),
            pytest.param("kind", f"None is not a kind; use one of: {KIND_CHOICES}", id="kind"),
        ],
    )
    def test_required_field_empty(
        self, resource_dict: RawFactory, field: str, message: str
    ) -> None:
        """A required field written with no value is checked, not skipped."""
        line = 5 if field == "url" else 3
        assert problems_of(resource_dict(**{field: None})) == [
            f"mine.yaml:{line}: {field}: {message}"
        ]

    def test_extra_required_fields(self, resource_dict: RawFactory) -> None:
        """A source may require more fields, e.g. the curated list requires a description."""
        raw = resource_dict()
        del raw["description"]
        required = (*REQUIRED, "description")
        assert problems_of(raw, required=required) == ["mine.yaml:3: description: is required"]
        assert problems_of(resource_dict(description=None), required=required) == [
            "mine.yaml:3: description: must be text, got nothing"
        ]

    def test_unknown_fields(self, resource_dict: RawFactory) -> None:
        """Unknown keys, text or not, are named with the list of known fields."""
        given = resource_dict(homepage="https://x.org", source="me")
        raw: dict[object, Any] = dict(given.items())
        raw[5] = "five"
        assert problems_of(raw) == [
            f"mine.yaml:3: homepage: {KNOWN_FIELDS}",
            f"mine.yaml:3: source: {KNOWN_FIELDS}",
            f"mine.yaml:3: 5: {KNOWN_FIELDS}",
        ]

    def test_every_problem_at_once_in_order(self) -> None:
        """Field problems come in the entry's order, then missing fields in required order."""
        raw = {"kind": "plugin", "url": "ftp://x", "id": "X!", "extra": 1}
        assert problems_of(raw) == [
            f"mine.yaml:3: kind: 'plugin' is not a kind; use one of: {KIND_CHOICES}",
            "mine.yaml:5: url: scheme 'ftp' is not allowed; use http or https",
            f"mine.yaml:3: id: 'X!' {BAD_ID}",
            f"mine.yaml:3: extra: {KNOWN_FIELDS}",
            "mine.yaml:3: name: is required",
            "mine.yaml:3: category: is required",
        ]

    @pytest.mark.parametrize(
        ("raw", "kind"),
        [
            pytest.param([1, 2], "a list", id="list"),
            pytest.param("text", "str", id="text"),
            pytest.param(None, "nothing", id="none"),
            pytest.param(False, "true/false", id="bool"),
        ],
    )
    def test_not_a_mapping(self, raw: object, kind: str) -> None:
        """An entry that is not a mapping is one problem, named 'entry'."""
        assert problems_of(raw) == [f"mine.yaml:3: entry: must be a mapping of fields, got {kind}"]

    def test_not_a_mapping_with_prefix(self) -> None:
        """With a prefix the problem names the entry by its position."""
        where = Location("db.json", prefix="custom_nodes[7].")
        resource, problems = parse_resource(["x"], where)
        assert resource is None
        assert problems == [
            Problem("db.json", None, "custom_nodes[7]", "must be a mapping of fields, got a list")
        ]

    def test_prefix_loses_only_its_dots(self) -> None:
        """Only the trailing dots of a prefix are dropped; the name before them is kept whole."""
        where = Location("models.json", prefix="models.FLUX.")
        assert parse_resource("x", where) == (
            None,
            [Problem("models.json", None, "models.FLUX", "must be a mapping of fields, got str")],
        )


class TestCategories:
    """The category must be one the catalogue defines, when the caller knows them."""

    def test_unknown_category(self, resource_dict: RawFactory) -> None:
        """The known categories are listed, sorted."""
        assert problems_of(resource_dict(category="video"), categories={"tools", "audio"}) == [
            "mine.yaml:3: category: 'video' is not a known category; known: audio, tools"
        ]

    def test_no_categories_defined(self, resource_dict: RawFactory) -> None:
        """An empty set of categories says none are defined."""
        assert problems_of(resource_dict(), categories=set()) == [
            "mine.yaml:3: category: 'tools' is not a known category; known: none defined"
        ]

    def test_known_category(self, resource_dict: RawFactory) -> None:
        """A known category passes."""
        resource, problems = parse_resource(resource_dict(), WHERE, categories=["tools"])
        assert problems == []
        assert resource is not None

    def test_invalid_category_is_reported_once(self, resource_dict: RawFactory) -> None:
        """A malformed category id is not also reported as unknown."""
        assert problems_of(resource_dict(category="Bad!"), categories={"tools"}) == [
            f"mine.yaml:3: category: 'Bad!' {BAD_ID}"
        ]


class TestRequireResource:
    """require_resource returns the resource or raises with every problem."""

    def test_returns(self, resource_dict: RawFactory) -> None:
        """A valid entry comes back, with the options passed through."""
        resource = require_resource(resource_dict(), WHERE, source="user")
        assert resource.source == "user"

    def test_raises_with_all_problems(self) -> None:
        """The error's text joins every problem; the list is kept for the caller."""
        with pytest.raises(ResourceError) as info:
            require_resource({"id": "ok"}, Location("request"))
        assert str(info.value) == (
            "request: name: is required; request: url: is required; "
            "request: category: is required; request: kind: is required"
        )
        assert [p.field for p in info.value.problems] == ["name", "url", "category", "kind"]
        assert isinstance(info.value, ValueError)


def _entry(
    resource_id: str, url: str, line: int, file: str = "a.yaml"
) -> tuple[Resource, Location]:
    resource, problems = parse_resource(
        {"id": resource_id, "name": resource_id, "url": url, "category": "c", "kind": "tool"},
        Location(file, line, {"id": line, "url": line + 2}),
    )
    assert resource is not None, problems
    return resource, Location(file, line, {"id": line, "url": line + 2})


class TestDuplicates:
    """Within one source the first entry for an id or URL wins; later ones are reported."""

    def test_no_duplicates(self) -> None:
        """Distinct entries are all kept, in order, with no problems."""
        entries = [_entry("a", "https://x.org/a", 2), _entry("b", "https://x.org/b", 8)]
        kept, problems = without_duplicates(entries)
        assert kept == entries
        assert problems == []

    def test_same_url_in_another_spelling(self) -> None:
        """URLs equal after canonicalisation are duplicates, reported at the later URL line."""
        entries = [
            _entry("a", "https://github.com/o/r", 2),
            _entry("b", "http://GitHub.com/O/R/", 8),
        ]
        kept, problems = without_duplicates(entries)
        assert kept == entries[:1]
        assert [str(p) for p in problems] == [
            "a.yaml:10: url: 'https://github.com/o/r' is already used by the entry at a.yaml:4"
        ]

    def test_same_id_and_url(self) -> None:
        """An entry repeating both gets two problems, id first."""
        entries = [_entry("a", "https://x.org/a", 2), _entry("a", "https://x.org/a", 8, "b.yaml")]
        kept, problems = without_duplicates(entries)
        assert kept == entries[:1]
        assert [str(p) for p in problems] == [
            "b.yaml:8: id: 'a' is already used by the entry at a.yaml:2",
            "b.yaml:10: url: 'https://x.org/a' is already used by the entry at a.yaml:4",
        ]

    def test_dropped_entry_claims_nothing(self) -> None:
        """An entry dropped for its id does not make a later entry with its URL a duplicate."""
        first = _entry("a", "https://x.org/a", 2)
        dropped = _entry("a", "https://x.org/b", 8)
        later = _entry("b", "https://x.org/b", 14)
        kept, problems = without_duplicates([first, dropped, later])
        assert kept == [first, later]
        assert [str(p) for p in problems] == [
            "a.yaml:8: id: 'a' is already used by the entry at a.yaml:2"
        ]

    def test_first_entry_without_line(self) -> None:
        """When the first entry has no line, the problem names its file alone."""
        resource, _ = _entry("a", "https://x.org/a", 2)
        first = (resource, Location("db.json", None, prefix="custom_nodes[0]."))
        second = (resource, Location("db.json", None, prefix="custom_nodes[9]."))
        assert [str(p) for p in duplicate_problems([first, second])] == [
            "db.json: custom_nodes[9].id: 'a' is already used by the entry at db.json",
            "db.json: custom_nodes[9].url: 'https://x.org/a' is already used by the entry at "
            "db.json",
        ]

    def test_first_entry_without_field_lines(self) -> None:
        """When the first entry has a line but no field lines, the problem names that line."""
        resource, _ = _entry("a", "https://x.org/a", 2)
        first = (resource, Location("a.yaml", 2))
        second = (resource, Location("a.yaml", 8))
        assert [str(p) for p in duplicate_problems([first, second])] == [
            "a.yaml:8: id: 'a' is already used by the entry at a.yaml:2",
            "a.yaml:8: url: 'https://x.org/a' is already used by the entry at a.yaml:2",
        ]

    def test_duplicate_problems_matches(self) -> None:
        """duplicate_problems returns the same problems as without_duplicates."""
        entries = [_entry("a", "https://x.org/a", 2), _entry("a", "https://x.org/z", 8)]
        assert duplicate_problems(entries) == without_duplicates(entries)[1]
        assert len(duplicate_problems(entries)) == 1


class TestParseCategory:
    """Entries of categories.yaml: an id, a name and an optional description."""

    def test_valid(self) -> None:
        """Text is stripped; the description is optional."""
        assert parse_category({"id": "tools", "name": " Tools "}, WHERE) == (
            Category("tools", "Tools"),
            [],
        )
        assert parse_category({"id": "a", "name": "A", "description": "About"}, WHERE) == (
            Category("a", "A", "About"),
            [],
        )

    def test_not_a_mapping(self) -> None:
        """A category that is not a mapping is one problem."""
        assert parse_category("tools", WHERE) == (
            None,
            [Problem("mine.yaml", 3, "category", "must be a mapping of fields, got str")],
        )

    def test_every_problem(self) -> None:
        """Unknown fields, bad values and missing fields are all reported, in that order."""
        category, problems = parse_category(
            {"id": "Bad!", "description": None, "icon": "x", 3: "y"}, WHERE
        )
        assert category is None
        assert [str(p) for p in problems] == [
            f"mine.yaml:3: id: 'Bad!' {BAD_ID}",
            "mine.yaml:3: description: must be text, got nothing",
            "mine.yaml:3: icon: unknown field; known fields: id, name, description",
            "mine.yaml:3: 3: unknown field; known fields: id, name, description",
            "mine.yaml:3: name: is required",
        ]

    def test_limits(self) -> None:
        """Names stop at 80 characters, descriptions at 2000."""
        assert (
            parse_category({"id": "a", "name": "n" * 80, "description": "d" * 2000}, WHERE)[1] == []
        )
        _, problems = parse_category(
            {"id": "a", "name": "n" * 81, "description": "d" * 2001}, WHERE
        )
        assert [p.message for p in problems] == [
            "is 81 characters long; the limit is 80",
            "is 2001 characters long; the limit is 2000",
        ]

    def test_control_characters(self) -> None:
        """Neither a category's name nor its description may contain a line break."""
        _, problems = parse_category({"id": "a", "name": "A\nB", "description": "x\ny"}, WHERE)
        assert [str(p) for p in problems] == [
            "mine.yaml:3: name: must not contain control characters",
            "mine.yaml:3: description: must not contain control characters",
        ]

    def test_missing_both(self) -> None:
        """An empty mapping misses both id and name."""
        assert [str(p) for p in parse_category({}, Location("c.yaml"))[1]] == [
            "c.yaml: id: is required",
            "c.yaml: name: is required",
        ]


class TestIdPattern:
    """The id pattern is shared with the query engine's filters."""

    @pytest.mark.parametrize(
        ("value", "ok"),
        [
            ("a", True),
            ("a.b", True),
            ("a" * 80, True),
            ("a" * 81, False),
            ("", False),
            (".a", False),
            ("a.", False),
            ("A", False),
        ],
    )
    def test_matches(self, value: str, ok: bool) -> None:
        """Lowercase, 1-80 characters, letters or digits at both ends."""
        assert bool(ID_RE.match(value)) is ok


MODEL_FILE = {
    "name": "SDXL base",
    "type": "checkpoint",
    "base": "SDXL",
    "save_path": "default",
    "filename": "sd_xl_base_1.0.safetensors",
    "url": "http://127.0.0.1:8000/sd_xl_base_1.0.safetensors",
}


class TestDatabaseFields:
    """What only a database brings: accepted from one, refused from people."""

    def test_a_full_database_entry(self, resource_dict: RawFactory) -> None:
        """Every database field parses; a mirror on this network is fine for what is fetched."""
        raw = resource_dict(
            pack_id="ComfyUI_KJNodes",
            install_type="git-clone",
            files=["http://127.0.0.1:9/kj.git"],
            version="1.2.0",
            node_types=["VHS_LoadVideo", "Image Blend (mtb)", "VHS_LoadVideo"],
            model_file=MODEL_FILE,
            downloads=12_345,
            rating=4,
            publisher="kijai",
        )
        resource, problems = parse_resource(raw, WHERE, database=True)
        assert problems == []
        assert resource is not None
        assert resource.node_types == ("VHS_LoadVideo", "Image Blend (mtb)")  # once each
        assert resource.rating == 4.0
        assert isinstance(resource.rating, float)
        assert resource.model_file is not None
        assert resource.model_file.to_dict() == MODEL_FILE
        assert resource.files == ("http://127.0.0.1:9/kj.git",)

    def test_people_cannot_write_them(self, resource_dict: RawFactory) -> None:
        """A user entry or a curated file naming an install fact is told what it may write."""
        assert problems_of(resource_dict(pack_id="kj")) == [f"mine.yaml:3: pack_id: {KNOWN_FIELDS}"]

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            pytest.param(
                "pack_id",
                "a b",
                "'a b' is not a pack id; use letters, digits, '.', '_' or '-'",
                id="pack-id",
            ),
            pytest.param("pack_id", 3, "must be text, got int", id="pack-id-int"),
            pytest.param("version", "v 1", "'v 1' is not a version like 1.2.0", id="version"),
            pytest.param(
                "install_type",
                "pip",
                "'pip' is not an install type; use one of: git-clone, copy, unzip, cnr",
                id="install-type",
            ),
            pytest.param(
                "files", "https://x.org", "must be a list of URLs, got str", id="files-text"
            ),
            pytest.param(
                "files", ["https://x.org"] * 21, "has 21 URLs; the limit is 20", id="files-many"
            ),
            pytest.param(
                "files",
                ["ftp://x.org"],
                "'ftp://x.org': scheme 'ftp' is not allowed; use http or https",
                id="files-scheme",
            ),
            pytest.param(
                "node_types", "A", "must be a list of node class names, got str", id="nodes-text"
            ),
            pytest.param(
                "node_types",
                ["A"] * 5001,
                "has 5001 node classes; the limit is 5000",
                id="nodes-many",
            ),
            pytest.param("node_types", ["A", ""], "'' must not be empty", id="nodes-empty"),
            pytest.param(
                "model_file",
                "x",
                "must be a mapping of name, type, base, save_path, filename, url, got str",
                id="model-text",
            ),
            pytest.param(
                "model_file",
                {**MODEL_FILE, "sha": "1"},
                "'sha' is not a field; use name, type, base, save_path, filename, url",
                id="model-extra",
            ),
            pytest.param(
                "model_file", {**MODEL_FILE, "base": ""}, "base must not be empty", id="model-empty"
            ),
            pytest.param(
                "model_file",
                {**MODEL_FILE, "url": "file:///etc/passwd"},
                "url scheme 'file' is not allowed; use http or https",
                id="model-url",
            ),
            pytest.param(
                "model_file",
                {**MODEL_FILE, "filename": "../x.safetensors"},
                "filename must be a file name, not a path",
                id="model-path",
            ),
            pytest.param(
                "downloads", -1, f"must be between 0 and {10_000_000_000}", id="downloads-negative"
            ),
            pytest.param("downloads", "9", "must be a whole number, got str", id="downloads-text"),
            pytest.param("rating", True, "must be a number, got true/false", id="rating-bool"),
            pytest.param("rating", 5.5, "must be between 0 and 5", id="rating-high"),
            pytest.param("rating", float("nan"), "must be between 0 and 5", id="rating-nan"),
        ],
    )
    def test_rule(self, resource_dict: RawFactory, field: str, value: object, message: str) -> None:
        assert problems_of(resource_dict(**{field: value}), database=True) == [
            f"mine.yaml:3: {field}: {message}"
        ]
