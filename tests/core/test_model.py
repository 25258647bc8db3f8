"""The immutable records: their JSON shapes, text forms and equality."""

from __future__ import annotations

import dataclasses

import pytest

from nodes.core.model import KINDS, Category, Problem, Resource, SourceResult
from nodes.core.validate import ID_RE
from tests.helpers.builders import MODEL_URL, make_resource
from tests.helpers.sample_catalogue import NO_DATABASE_FACTS


class TestKinds:
    """The kinds of resource are ids: they appear in URLs, facets and saved workflows."""

    def test_kinds_are_distinct_ids(self) -> None:
        """Each kind passes the id rule, once; node packs (which install) are one of them."""
        assert all(ID_RE.match(kind) for kind in KINDS)
        assert len(set(KINDS)) == len(KINDS)
        assert "node-pack" in KINDS


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
        """Every public field appears, in this order, lists as lists; the node classes as their
        count (one resource's details add the list); the canonical URL stays internal."""
        resource = make_resource(canonical_url="https://example.org/x/")
        assert list(resource.to_dict().items()) == [
            ("id", "x"),
            ("name", "X"),
            ("url", "https://example.org/x"),
            ("category", "tools"),
            ("kind", "tool"),
            ("description", "About x."),
            ("tags", ["a", "b"]),
            ("author", "me"),
            ("license", "MIT"),
            ("install_url", "https://example.org/x.git"),
            ("stars", 5),
            ("updated", "2025-01-31"),
            ("source", "manager"),
            ("pack_id", "comfyui-x"),
            ("install_type", "git-clone"),
            ("files", ["https://example.org/x.git"]),
            ("version", "1.2.0"),
            ("node_count", 2),
            (
                "model_file",
                {
                    "name": "X",
                    "type": "checkpoint",
                    "base": "SDXL",
                    "save_path": "checkpoints",
                    "filename": "x.safetensors",
                    "url": MODEL_URL,
                },
            ),
            ("downloads", 1200),
            ("rating", 4.5),
            ("publisher", "x-org"),
        ]

    def test_defaults(self) -> None:
        """Optional fields default to empty, no figures, and the curated source."""
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
            **NO_DATABASE_FACTS,
        }
        assert resource.canonical_url == ""

    def test_canonical_url_is_not_compared(self) -> None:
        """Two records that differ only in their cached canonical URL are equal."""
        assert make_resource(canonical_url="a") == make_resource(canonical_url="b")


class TestProblem:
    """A problem reads as file:line: field: message."""

    @pytest.mark.parametrize(
        ("problem", "text"),
        [
            pytest.param(
                Problem("data/resources/video.yaml", 12, "url", "must not be empty"),
                "data/resources/video.yaml:12: url: must not be empty",
                id="with-line",
            ),
            pytest.param(
                Problem("custom-node-list.json", None, "custom_nodes[3].url", "bad"),
                "custom-node-list.json: custom_nodes[3].url: bad",
                id="without-line",
            ),
            pytest.param(Problem("f", 0, "x", "m"), "f:0: x: m", id="line-zero-is-a-line"),
        ],
    )
    def test_str(self, problem: Problem, text: str) -> None:
        """The line follows the file after a colon; only a missing line is left out."""
        assert str(problem) == text

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
            pytest.param(make_resource(), id="resource"),
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
        """Resources, categories and problems default to empty tuples; no error."""
        assert SourceResult("curated") == SourceResult("curated", (), (), (), "")
