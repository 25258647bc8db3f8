"""The merged catalogue, and the store that loads it lazily and reloads changed sources."""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from nodes.core.catalog import (
    Catalog,
    CatalogStore,
    FunctionSource,
    SourceStatus,
    merge,
)
from nodes.core.model import Category, Problem, Resource, SourceResult
from nodes.core.query import SearchIndex
from nodes.sources.curated import DEFAULT_DATA_DIR, CuratedSource
from tests.helpers.builders import bare_resource
from tests.helpers.sample_catalogue import ALL_IDS


def res(resource_id: str, url: str, source: str = "curated", **fields: Any) -> Resource:
    """A resource at ``url`` from ``source``, as the loaders make them."""
    return bare_resource(resource_id, url=url, source=source, **fields)


class Counting:
    """A source whose data and fingerprint the test controls, counting every call."""

    def __init__(self, name: str, *resources: Resource) -> None:
        self.name = name
        self.result = SourceResult(name, resources)
        self.print = "v1"
        self.fingerprints = 0
        self.loads = 0
        self.error: Exception | None = None

    def fingerprint(self) -> str:
        self.fingerprints += 1
        return self.print

    def load(self) -> SourceResult:
        self.loads += 1
        if self.error is not None:
            raise self.error
        return self.result


class TestCatalog:
    """A catalogue holds every resource once, indexed by id, with a version."""

    def test_lookup_and_names(self) -> None:
        """Resources keep their order; ids look them up; a category's name is known by its id,
        and an unknown category is called by its id."""
        first, second = res("a", "https://a.org"), res("b", "https://b.org")
        catalog = Catalog([first, second], [Category("tools", "Tools")])
        assert catalog.resources == (first, second)
        assert catalog.get("b") is second
        assert catalog.get("nope") is None
        assert (catalog.category_name("tools"), catalog.category_name("gone")) == ("Tools", "gone")
        assert (catalog.problems, catalog.sources) == ((), ())

    def test_version_names_the_ids_and_urls_in_order(self) -> None:
        """Without a given version, the same ids at the same URLs (in any spelling) give the
        same version; another order, id or URL gives another."""
        first, second = res("a", "https://a.org"), res("b", "https://b.org")
        version = Catalog([first, second]).version
        assert len(version) == 16
        assert Catalog([first, res("b", "https://B.org/", name="Renamed")]).version == version
        others = [
            Catalog([second, first]),
            Catalog([first, res("c", "https://b.org")]),
            Catalog([first, res("b", "https://b.org/other")]),
            Catalog([first]),
            Catalog([]),
        ]
        assert len({version, *(c.version for c in others)}) == 1 + len(others)
        assert Catalog([first], version="given").version == "given"

    def test_index_is_built_once(self) -> None:
        """The search index is built on first use and then reused."""
        catalog = Catalog([res("a", "https://a.org")])
        index = catalog.index
        assert isinstance(index, SearchIndex)
        assert catalog.index is index
        assert index.resources == catalog.resources


class TestSourceStatus:
    """A source's status serialises for the sources endpoint."""

    def test_to_dict(self) -> None:
        """All four fields, the error empty by default."""
        assert SourceStatus("curated", 3, 1).to_dict() == {
            "name": "curated",
            "resources": 3,
            "problems": 1,
            "error": "",
        }
        assert SourceStatus("m", 0, 2, "boom").to_dict()["error"] == "boom"


class TestMerge:
    """Sources merge in precedence order: one record per canonical URL."""

    def test_first_source_wins(self) -> None:
        """A URL named by two sources keeps the first source's record and id."""
        curated = res("mine", "https://github.com/o/r", name="Curated Name")
        manager = res("o.r", "http://GitHub.com/O/R.git", "manager", name="Manager Name")
        catalog = merge([SourceResult("curated", (curated,)), SourceResult("manager", (manager,))])
        assert catalog.resources == (curated,)
        assert catalog.get("o.r") is None

    def test_later_sources_fill_empty_fields(self) -> None:
        """Stars, updates and other empty fields are filled in; set fields are kept."""
        curated = res(
            "mine", "https://github.com/o/r", description="Curated words.", tags=("video",)
        )
        manager = res(
            "o.r",
            "https://github.com/o/r",
            "manager",
            description="Manager words.",
            tags=("other",),
            author="o",
            license="MIT",
            install_url="https://github.com/o/r.git",
            stars=42,
            updated="2025-01-02",
        )
        catalog = merge([SourceResult("curated", (curated,)), SourceResult("manager", (manager,))])
        assert catalog.resources == (
            replace(
                curated,
                author="o",
                license="MIT",
                install_url="https://github.com/o/r.git",
                stars=42,
                updated="2025-01-02",
            ),
        )
        assert catalog.resources[0].source == "curated"

    def test_zero_stars_are_kept(self) -> None:
        """Zero is a value, not an empty field: it is neither filled nor used to fill."""
        zero = res("a", "https://a.org", stars=0)
        other = res("b", "https://a.org", "manager", stars=9)
        assert (
            merge([SourceResult("x", (zero,)), SourceResult("y", (other,))]).resources[0].stars == 0
        )
        empty = res("a", "https://a.org")
        assert (
            merge([SourceResult("x", (empty,)), SourceResult("y", (zero,))]).resources[0].stars == 0
        )

    def test_nothing_to_fill_keeps_the_record(self) -> None:
        """When the later record adds nothing, the first record object is kept as is."""
        curated = res("a", "https://a.org", stars=3)
        catalog = merge(
            [SourceResult("x", (curated,)), SourceResult("y", (res("b", "https://a.org"),))]
        )
        assert catalog.resources[0] is curated

    def test_id_collision_reported_and_skipped(self) -> None:
        """A later record with a taken id but another URL is reported and left out."""
        first = res("same", "https://a.org")
        clash = res("same", "https://b.org", "manager")
        fine = res("other", "https://c.org", "manager")
        catalog = merge(
            [
                SourceResult("curated", (first,), problems=(Problem("f", 1, "x", "own"),)),
                SourceResult(
                    "manager", (clash, fine), problems=(Problem("g", None, "y", "theirs"),)
                ),
            ]
        )
        assert catalog.resources == (first, fine)
        assert [str(p) for p in catalog.problems] == [
            "f:1: x: own",
            "manager: id: 'same' (https://b.org) is already the id of https://a.org from "
            "curated; skipped",
            "g: y: theirs",
        ]
        assert catalog.sources == (SourceStatus("curated", 1, 1), SourceStatus("manager", 2, 1))

    def test_categories_first_definition_wins(self) -> None:
        """Categories are merged by id in source order."""
        catalog = merge(
            [
                SourceResult("a", categories=(Category("tools", "Tools"),)),
                SourceResult("b", categories=(Category("tools", "Other"), Category("x", "X"))),
            ]
        )
        assert catalog.categories == (Category("tools", "Tools"), Category("x", "X"))

    def test_version_passed_on(self) -> None:
        """The store's version key becomes the catalogue's version; without one, its own."""
        assert merge([], version="k").version == "k"
        assert merge([]).version == Catalog([]).version

    def test_a_failed_source_keeps_its_reason(self) -> None:
        """A source's error reaches its status."""
        catalog = merge([SourceResult("curated"), SourceResult("manager", error="gone")])
        assert catalog.sources == (
            SourceStatus("curated", 0, 0),
            SourceStatus("manager", 0, 0, "gone"),
        )


class TestSources:
    """The curated folder and function-backed sources."""

    def test_curated_source(self, data_dir: Path) -> None:
        """It loads the folder under its name; by default the pack's own data, as 'curated'."""
        result = CuratedSource(data_dir, name="bundled").load()
        assert (result.name, [r.id for r in result.resources]) == ("bundled", list(ALL_IDS))
        assert (CuratedSource().data_dir, CuratedSource().name) == (DEFAULT_DATA_DIR, "curated")

    @pytest.mark.parametrize(
        "change",
        [
            pytest.param(("categories.yaml", "categories: []\n"), id="categories"),
            pytest.param(("resources/main.yaml", "resources: []\n"), id="resource-file"),
            pytest.param(("resources/new.yml", "resources: []\n"), id="new-file"),
        ],
    )
    def test_curated_source_sees_its_files_change(
        self, data_dir: Path, change: tuple[str, str]
    ) -> None:
        """Changing categories.yaml or a resource file, or adding one, changes the fingerprint."""
        source = CuratedSource(data_dir)
        before = source.fingerprint()
        assert source.fingerprint() == before
        name, text = change
        (data_dir / name).write_text(text, encoding="utf-8")
        assert source.fingerprint() != before

    def test_sources_are_values(self, data_dir: Path) -> None:
        """Sources and statuses are frozen values: equal when configured alike, and hashable."""
        assert CuratedSource(data_dir) == CuratedSource(data_dir)
        assert hash(CuratedSource(data_dir)) == hash(CuratedSource(data_dir))
        assert hash(SourceStatus("a", 1, 0)) == hash(SourceStatus("a", 1, 0))
        fingerprint, load = (lambda: "p"), (lambda: SourceResult("fn"))
        assert hash(FunctionSource("fn", fingerprint, load)) == hash(
            FunctionSource("fn", fingerprint, load)
        )

    def test_function_source(self) -> None:
        """Both callables are called through."""
        result = SourceResult("fn")
        source = FunctionSource("fn", lambda: "print", lambda: result)
        assert (source.name, source.fingerprint(), source.load()) == ("fn", "print", result)


class TestCatalogStore:
    """The store loads on first use, caches, and reloads only what changed."""

    def test_lazy(self) -> None:
        """Creating a store reads nothing."""
        source = Counting("a", res("a", "https://a.org"))
        store = CatalogStore([source])
        assert (source.fingerprints, source.loads) == (0, 0)
        assert store.sources == [source]

    def test_caches(self) -> None:
        """A second get() with unchanged sources returns the same catalogue without loading."""
        source = Counting("a", res("a", "https://a.org"))
        store = CatalogStore([source])
        first = store.get()
        second = store.get()
        assert second is first
        assert (source.fingerprints, source.loads) == (2, 1)
        assert [r.id for r in first.resources] == ["a"]

    def test_reloads_only_changed_sources(self) -> None:
        """A changed fingerprint reloads that source; the other comes from the cache."""
        first, second = (
            Counting("a", res("a", "https://a.org")),
            Counting("b", res("b", "https://b.org")),
        )
        store = CatalogStore([first, second])
        before = store.get()
        second.print = "v2"
        second.result = SourceResult("b", (res("c", "https://c.org"),))
        after = store.get()
        assert after is not before
        assert (first.loads, second.loads) == (1, 2)
        assert [r.id for r in after.resources] == ["a", "c"]
        assert after.version != before.version

    def test_reloads_when_a_file_changes(self, data_dir: Path) -> None:
        """A data file of another size reloads, even with the same mtime; the version changes."""
        store = CatalogStore([CuratedSource(data_dir)])
        path = data_dir / "resources" / "main.yaml"
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
        before = store.get()
        assert store.get() is before
        path.write_text(
            path.read_text(encoding="utf-8").replace("Wan Model", "Wan Model 2"), encoding="utf-8"
        )
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
        after = store.get()
        assert after is not before
        assert after.by_id["wan-model"].name == "Wan Model 2"
        assert after.version != before.version

    def test_touch_alone_reloads(self, data_dir: Path) -> None:
        """An mtime change alone (same bytes) is enough to reload."""
        store = CatalogStore([CuratedSource(data_dir)])
        path = data_dir / "resources" / "main.yaml"
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
        before = store.get()
        os.utime(path, ns=(1_000_000_000, 2_000_000_000))
        after = store.get()
        assert after is not before
        assert after.resources == before.resources
        assert after.version != before.version

    def test_keeps_last_good_copy(self, caplog: pytest.LogCaptureFixture) -> None:
        """When a reload raises, the previous result stays, with the reason in the source's
        status, and the error is logged."""
        source = Counting("a", res("a", "https://a.org"))
        store = CatalogStore([source])
        good = store.get()
        source.print = "v2"
        source.error = RuntimeError("disk on fire")
        with caplog.at_level(logging.ERROR, logger="awesome_comfyui_beyond"):
            after = store.get()
        assert after.resources == good.resources
        assert after.sources == (SourceStatus("a", 1, 0, "disk on fire"),)
        assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
            ("awesome_comfyui_beyond", logging.ERROR, "source a failed to load")
        ]
        assert caplog.records[0].exc_info is not None
        assert store.get() is after
        assert source.loads == 2

    def test_first_load_failing(self, caplog: pytest.LogCaptureFixture) -> None:
        """A source that fails before any good load becomes one problem and says why in its
        status; the others still load."""
        broken = Counting("broken")
        broken.error = ValueError("bad config")
        fine = Counting("fine", res("a", "https://a.org"))
        with caplog.at_level(logging.ERROR, logger="awesome_comfyui_beyond"):
            catalog = CatalogStore([broken, fine]).get()
        assert [r.id for r in catalog.resources] == ["a"]
        assert catalog.problems == (Problem("broken", None, "source", "bad config"),)
        assert catalog.sources == (
            SourceStatus("broken", 0, 1, "bad config"),
            SourceStatus("fine", 1, 0),
        )

    @pytest.mark.parametrize(
        ("error", "reason"),
        [
            pytest.param(KeyError(), "KeyError", id="no-message"),
            pytest.param(OSError("x" * 500), "x" * 199 + "…", id="long-message"),
        ],
    )
    def test_the_reason_is_short_and_never_empty(self, error: Exception, reason: str) -> None:
        """A failure without a message is named by its type; a long message is cut."""
        broken = Counting("broken")
        broken.error = error
        assert CatalogStore([broken]).get().sources[0].error == reason

    def test_retries_a_failed_source_when_it_changes(self) -> None:
        """A failed source is not cached: a later change loads it again."""
        source = Counting("a", res("a", "https://a.org"))
        source.error = OSError("not yet")
        store = CatalogStore([source])
        assert store.get().resources == ()
        source.error = None
        source.print = "v2"
        assert [r.id for r in store.get().resources] == ["a"]
        assert store.get().sources == (SourceStatus("a", 1, 0),)

    def test_warns_about_problems(self, caplog: pytest.LogCaptureFixture) -> None:
        """Problems in a source's data are logged once, with the count and the first."""
        source = Counting("a")
        source.result = SourceResult(
            "a", problems=(Problem("f", 2, "id", "bad"), Problem("f", 3, "x", "y"))
        )
        store = CatalogStore([source])
        with caplog.at_level(logging.WARNING, logger="awesome_comfyui_beyond"):
            store.get()
            store.get()
        assert [r.getMessage() for r in caplog.records] == [
            "a: 2 problem(s) in source data; first: f:2: id: bad"
        ]
        assert caplog.records[0].levelno == logging.WARNING

    def test_set_sources(self) -> None:
        """Replacing the sources rebuilds the catalogue, reusing loaded sources."""
        first, second = (
            Counting("a", res("a", "https://a.org")),
            Counting("b", res("b", "https://b.org")),
        )
        store = CatalogStore([first])
        before = store.get()
        store.set_sources([first, second])
        after = store.get()
        assert after is not before
        assert [r.id for r in after.resources] == ["a", "b"]
        assert (first.loads, second.loads) == (1, 1)
        assert store.sources == [first, second]
        store.sources.clear()
        assert store.sources == [first, second]

    def test_set_same_sources_rebuilds(self) -> None:
        """Even the same sources give a fresh catalogue object after set_sources."""
        source = Counting("a", res("a", "https://a.org"))
        store = CatalogStore([source])
        before = store.get()
        store.set_sources([source])
        assert store.get() is not before
        assert source.loads == 1
