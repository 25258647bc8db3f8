"""The immutable records: their JSON shapes, text forms and equality."""

from __future__ import annotations

import dataclasses

import pytest

from nodes.core.model import KINDS, Category, Problem, Resource, SourceResult


class TestKinds:
    """The kinds of resource are fixed, in the order the interface lists them."""

    def test_kinds(self) -> None:
        """Behaviour (installing node packs) depends on these exact names."""
        assert KINDS == (
            "node-pack",
            "model",
            "workflow",
            "tool",
            "platform",
            "docs",
            "tutorial",
            "community",
        )


class TestCategory:
    """A category serialises to its three fields."""

    def test_to_dict(self) -> None:
        """The description defaults to empty text."""
        assert Category("tools", "Tools").to_dict() == {
            "id": "tools",
            "name": "Tools",
            "description": "",
        }
        assert Category("a", "A", "About a").to_dict() == {
            "id": "a",
            "name": "A",
            "description": "About a",
        }


class TestResource:
    """A resource is frozen and serialises to the shape the HTTP API serves."""

    def test_to_dict_of_a_full_resource(self) -> None:
        """Every public field appears, tags as a list; the canonical URL stays internal."""
        resource = Resource(
            id="x",
            name="X",
            url="https://x.org",
            category="tools",
            kind="tool",
            description="About x.",
            tags=("a", "b"),
            author="me",
            license="MIT",
            install_url="https://x.org/x.git",
            stars=5,
            updated="2025-01-31",
            source="manager",
            canonical_url="https://x.org",
        )
        assert resource.to_dict() == {
            "id": "x",
            "name": "X",
            "url": "https://x.org",
            "category": "tools",
            "kind": "tool",
            "description": "About x.",
            "tags": ["a", "b"],
            "author": "me",
            "license": "MIT",
            "install_url": "https://x.org/x.git",
            "stars": 5,
            "updated": "2025-01-31",
            "source": "manager",
        }
        assert list(resource.to_dict()) == [
            "id",
            "name",
            "url",
            "category",
            "kind",
            "description",
            "tags",
            "author",
            "license",
            "install_url",
            "stars",
            "updated",
            "source",
        ]

    def test_defaults(self) -> None:
        """Optional fields default to empty, no stars, and the curated source."""
        resource = Resource("x", "X", "https://x.org", "tools", "tool")
        assert resource.to_dict() == {
            "id": "x",
            "name": "X",
            "url": "https://x.org",
            "category": "tools",
            "kind": "tool",
            "description": "",
            "tags": [],
            "author": "",
            "license": "",
            "install_url": "",
            "stars": None,
            "updated": "",
            "source": "curated",
        }
        assert resource.canonical_url == ""

    def test_canonical_url_is_not_compared(self) -> None:
        """Two records that differ only in their cached canonical URL are equal."""
        first = Resource("x", "X", "https://x.org", "tools", "tool", canonical_url="a")
        second = Resource("x", "X", "https://x.org", "tools", "tool", canonical_url="b")
        assert first == second

    def test_frozen(self) -> None:
        """A resource cannot be changed in place."""
        resource = Resource("x", "X", "https://x.org", "tools", "tool")
        with pytest.raises(dataclasses.FrozenInstanceError):
            resource.name = "Y"  # type: ignore[misc]


class TestProblem:
    """A problem reads as file:line: field: message."""

    def test_str_with_line(self) -> None:
        """The line follows the file after a colon."""
        problem = Problem("data/resources/video.yaml", 12, "url", "must not be empty")
        assert str(problem) == "data/resources/video.yaml:12: url: must not be empty"

    def test_str_without_line(self) -> None:
        """Without a line the file stands alone."""
        assert str(Problem("custom-node-list.json", None, "custom_nodes[3].url", "bad")) == (
            "custom-node-list.json: custom_nodes[3].url: bad"
        )

    def test_line_zero_is_still_a_line(self) -> None:
        """Only a missing line is left out, not line 0."""
        assert str(Problem("f", 0, "x", "m")) == "f:0: x: m"

    def test_to_dict(self) -> None:
        """The JSON form names all four parts."""
        assert Problem("f", 3, "id", "bad").to_dict() == {
            "file": "f",
            "line": 3,
            "field": "id",
            "message": "bad",
        }


class TestValues:
    """Every record is a frozen value: hashable, equal by content, and never changed in place."""

    @pytest.mark.parametrize(
        "record",
        [
            pytest.param(Category("tools", "Tools"), id="category"),
            pytest.param(Problem("f", 1, "id", "bad"), id="problem"),
            pytest.param(SourceResult("curated"), id="source-result"),
            pytest.param(Resource("x", "X", "https://x.org", "tools", "tool"), id="resource"),
        ],
    )
    def test_frozen_and_hashable(self, record: object) -> None:
        """Equal copies hash alike, and setting a field raises."""
        assert hash(record) == hash(dataclasses.replace(record))  # type: ignore[type-var]
        first_field = dataclasses.fields(record)[0].name  # type: ignore[arg-type]
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, first_field, "changed")


class TestSourceResult:
    """A source result defaults to nothing loaded and nothing wrong."""

    def test_defaults(self) -> None:
        """Resources, categories and problems default to empty tuples."""
        result = SourceResult("curated")
        assert (result.name, result.resources, result.categories, result.problems) == (
            "curated",
            (),
            (),
            (),
        )
