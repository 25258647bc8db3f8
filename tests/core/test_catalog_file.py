"""The catalogue file: everything the merged catalogue holds comes back equal, and a file
for other sources, other code, or damaged in any way is refused before it is unmarshalled."""

from __future__ import annotations

import json
import logging
import marshal
import struct
from binascii import crc32
from typing import Any

import pytest

from nodes.core.catalog import Catalog, SourceStatus
from nodes.core.catalog_file import MAGIC, catalog_bytes, catalog_key, read_catalog
from nodes.core.model import Category, Problem
from nodes.core.query import Query
from tests.helpers.builders import bare_resource, make_resource

PROBLEM = Problem("data/x.yaml", 3, "url", "must be a link")


def catalogue() -> Catalog:
    return Catalog(
        [
            make_resource(),  # every field set: a model file, a rating, node classes
            make_resource(id="y", url="https://example.org/y", rating=1.0, stars=1),
            bare_resource("z", tags=("a", "b"), category="tools"),
        ],
        [Category("tools", "Tools", "Things")],
        [PROBLEM],
        [SourceStatus("curated", 3, 1), SourceStatus("manager", 0, 0, "")],
        "v1",
        {"curated": [PROBLEM]},
    )


def sections(data: bytes) -> tuple[dict[str, Any], list[bytes]]:
    start = len(MAGIC) + 4
    (length,) = struct.unpack_from("<I", data, len(MAGIC))
    header = json.loads(data[start : start + length])
    found, at = [], start + length
    for size, _ in header["sections"]:
        found.append(data[at : at + size])
        at += size
    return header, found


def packed(header: dict[str, Any], parts: list[bytes]) -> bytes:
    """A file with these sections, its header's lengths and checksums made to match."""
    header = {**header, "sections": [[len(p), crc32(p)] for p in parts]}
    head = json.dumps(header).encode()
    return b"".join([MAGIC, struct.pack("<I", len(head)), head, *parts])


class TestRoundTrip:
    def test_everything_comes_back(self) -> None:
        catalog = catalogue()
        kept = read_catalog(catalog_bytes(catalog, "salt"), "v1", "salt")
        assert kept is not None
        assert kept.resources == catalog.resources
        assert [r.canonical_url for r in kept.resources] == [
            r.canonical_url for r in catalog.resources
        ]
        assert type(kept.resources[1].rating) is float  # 1.0 is not stored as 1
        assert kept.categories == catalog.categories
        assert kept.problems == catalog.problems
        assert kept.sources == catalog.sources
        assert kept.problems_of == catalog.problems_of
        assert kept.version == "v1"
        assert kept.by_id.keys() == catalog.by_id.keys()
        query = Query(text="x")
        assert kept.index.search(query) == catalog.index.search(query)
        assert kept.index_reused
        assert not catalog.index_reused

    def test_equal_strings_are_one_object(self) -> None:
        kept = read_catalog(catalog_bytes(catalogue(), "salt"), "v1", "salt")
        assert kept is not None
        first, second = kept.resources[:2]
        assert first.category is second.category
        assert first.files is second.files

    def test_empty(self) -> None:
        kept = read_catalog(catalog_bytes(Catalog([], version="v0"), "s"), "v0", "s")
        assert kept is not None
        assert kept.resources == ()
        assert kept.index.search(Query()).total == 0

    def test_key(self) -> None:
        assert catalog_key(catalog_bytes(catalogue(), "salt")) == "v1"
        assert catalog_key(b"nothing") is None


class TestRefused:
    """Anything but the very file written for these sources and this code answers ``None``."""

    @pytest.fixture
    def data(self) -> bytes:
        return catalog_bytes(catalogue(), "salt")

    def test_other_sources_or_code(self, data: bytes) -> None:
        assert read_catalog(data, "v2", "salt") is None
        assert read_catalog(data, "v1", "other") is None

    def test_truncated_anywhere(self, data: bytes) -> None:
        for end in (0, 5, len(MAGIC) + 2, len(MAGIC) + 10, len(data) // 2, len(data) - 1):
            assert read_catalog(data[:end], "v1", "salt") is None, end

    def test_a_changed_byte(self, data: bytes) -> None:
        for at in (len(data) // 3, len(data) - 1):
            damaged = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
            assert read_catalog(damaged, "v1", "salt") is None, at

    def test_garbage_and_trailing_bytes(self, data: bytes) -> None:
        assert read_catalog(b"\x00" * 4096, "v1", "salt") is None
        assert read_catalog(data + b"x", "v1", "salt") is None
        assert read_catalog(MAGIC + b"\xff\xff\xff\xff", "v1", "salt") is None

    @pytest.mark.parametrize(
        "header",
        [
            [],
            {"format": 0, "key": "v1", "salt": "salt", "sections": []},
            {"format": 1, "key": 1, "salt": "salt", "sections": []},
            {"format": 1, "key": "v1", "salt": "salt", "sections": {}},
            {"format": 1, "key": "v1", "salt": "salt", "sections": [[1]]},
            {"format": 1, "key": "v1", "salt": "salt", "sections": [[-1, 0]]},
            {"format": 1, "key": "v1", "salt": "salt", "sections": [[True, 0]]},
        ],
    )
    def test_a_header_not_ours(self, header: object) -> None:
        head = json.dumps(header).encode()
        assert read_catalog(MAGIC + struct.pack("<I", len(head)) + head, "v1", "salt") is None

    def test_sections_that_check_but_do_not_fit(self, data: bytes) -> None:
        """Written by other code under the same salt: refused, never half-read."""
        header, (document, index) = sections(data)
        assert read_catalog(packed(header, [document]), "v1", "salt") is None
        assert read_catalog(packed(header, [b"junk", index]), "v1", "salt") is None
        values = marshal.loads(document)  # noqa: S302 - made by this test
        for change in (
            {"fields": ["id"]},
            {"columns": values["columns"][:3]},
            {"columns": [c[:1] for c in values["columns"][:-1]] + [values["columns"][-1]]},
            {"problems": [[1]]},
        ):
            other = marshal.dumps({**values, **change})
            assert read_catalog(packed(header, [other, index]), "v1", "salt") is None, change

    def test_an_index_that_does_not_fit_is_built_again(
        self, data: bytes, caplog: pytest.LogCaptureFixture
    ) -> None:
        header, (document, _) = sections(data)
        expected = catalogue().index.search(Query(text="x"))
        for other in (marshal.dumps([1]), marshal.dumps({"size": 3}), b"junk", b""):
            kept = read_catalog(packed(header, [document, other]), "v1", "salt")
            assert kept is not None
            with caplog.at_level(logging.WARNING, logger="awesome_comfyui_beyond"):
                assert kept.index.search(Query(text="x")) == expected
            assert not kept.index_reused
            assert "the kept search index is not usable" in caplog.text
            caplog.clear()
