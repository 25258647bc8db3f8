"""The catalogue kept in the pack's cache folder: written once per catalogue after a first
answer, read back at the next start instead of loading the sources and building the index,
and never trusted when it is damaged, for other sources, settings or code, or too large."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from nodes.app.pack import Pack
from nodes.core.catalog import CatalogStore, FunctionSource
from nodes.core.model import SourceResult
from nodes.core.query import Query
from nodes.sources import catalog_cache
from nodes.sources.catalog_cache import (
    CATALOG_FILE,
    MIN_KEPT_RESOURCES,
    CatalogFiles,
    code_salt,
)
from tests.helpers.builders import bare_resource

LOG = "awesome_comfyui_beyond"


class Counting:
    """A source the test controls: its fingerprint, its error, and how often it is read."""

    name = "manager"

    def __init__(self, count: int = MIN_KEPT_RESOURCES) -> None:
        self.result = SourceResult(
            "manager", tuple(bare_resource(f"p{i}", f"Video Pack {i}") for i in range(count))
        )
        self.print = "v1"
        self.loads = 0
        self.error = ""

    def fingerprint(self) -> str:
        return self.print

    def load(self) -> SourceResult:
        self.loads += 1
        if self.error:
            raise OSError(self.error)
        return self.result


def answer(store: CatalogStore, text: str = "video") -> list[str]:
    return [r.id for r in store.get().index.search(Query(text=text, limit=5)).items]


@pytest.fixture
def source() -> Counting:
    return Counting()


@pytest.fixture
def kept(tmp_path: Path, source: Counting) -> Path:
    """A cache folder holding the catalogue of ``source`` as a first run leaves it."""
    files = CatalogFiles(tmp_path)
    catalog = CatalogStore([source], cache=files).get()
    assert files.save(catalog)
    assert not files.save(catalog)  # once per catalogue
    source.loads = 0
    return tmp_path


class TestRestart:
    def test_the_next_start_reads_it_not_the_sources(self, kept: Path, source: Counting) -> None:
        store = CatalogStore([source], cache=CatalogFiles(kept))
        expected = answer(CatalogStore([source]))
        source.loads = 0
        assert answer(store) == expected
        assert source.loads == 0
        assert store.get().index_reused
        assert not CatalogFiles(kept).save(store.get())  # read back: nothing to write

    def test_changed_sources_are_loaded(
        self, kept: Path, source: Counting, caplog: pytest.LogCaptureFixture
    ) -> None:
        """The file's header names other sources: nothing more is read, nothing said."""
        source.print = "v2"
        store = CatalogStore([source], cache=CatalogFiles(kept))
        with caplog.at_level(logging.INFO, logger=LOG):
            assert answer(store)
        assert source.loads == 1
        assert caplog.text == ""

    def test_other_settings_are_another_catalogue(self, kept: Path, source: Counting) -> None:
        files = CatalogFiles(kept, settings=lambda: "registry on")
        assert files.load(CatalogStore([source]).get().version) is None

    def test_the_code_is_part_of_the_key(self, tmp_path: Path) -> None:
        code = tmp_path / "nodes" / "a.py"
        code.parent.mkdir()
        code.write_text("x = 1\n")
        before = code_salt(tmp_path)
        assert code_salt(tmp_path) == before
        code.write_text("x = 22\n")
        assert code_salt(tmp_path) != before


class TestDamaged:
    """Whatever is on disk, the search answers; the next save puts a good file back."""

    @pytest.mark.parametrize(
        "damage",
        [
            lambda data: data[: len(data) // 2],  # truncated
            lambda data: data[:-1],
            lambda data: b"",
            lambda data: os.urandom(4096),  # garbage
            lambda data: data[:100] + bytes([data[100] ^ 1]) + data[101:],
            lambda data: data.replace(b'"format":1', b'"format":9'),
        ],
    )
    def test_a_damaged_file_is_rebuilt(
        self,
        kept: Path,
        source: Counting,
        damage: Callable[[bytes], bytes],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        path = kept / CATALOG_FILE
        expected = answer(CatalogStore([source]))
        path.write_bytes(damage(path.read_bytes()))
        source.loads = 0
        files = CatalogFiles(kept)
        store = CatalogStore([source], cache=files)
        with caplog.at_level(logging.INFO, logger=LOG):
            assert answer(store) == expected
        assert source.loads == 1
        assert "is damaged or from other code" in caplog.text
        assert files.save(store.get())
        assert CatalogFiles(kept).load(store.get().version) is not None

    def test_unreadable(
        self, tmp_path: Path, source: Counting, caplog: pytest.LogCaptureFixture
    ) -> None:
        (tmp_path / CATALOG_FILE).mkdir()  # a folder where the file goes
        files = CatalogFiles(tmp_path)
        store = CatalogStore([source], cache=files)
        with caplog.at_level(logging.WARNING, logger=LOG):
            assert answer(store)
            assert not files.save(store.get())
        assert "cannot read the kept catalogue" in caplog.text
        assert "cannot keep the catalogue" in caplog.text

    def test_too_large(
        self,
        kept: Path,
        source: Counting,
        monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        size = (kept / CATALOG_FILE).stat().st_size
        monkeypatch.setattr(catalog_cache, "MAX_CATALOG_BYTES", size - 1)
        files = CatalogFiles(kept)
        source.print = "v2"  # a new catalogue to keep
        with caplog.at_level(logging.INFO, logger=LOG):
            assert files.load(CatalogStore([source]).get().version) is None
            assert not files.save(CatalogStore([source]).get())
        assert "larger than" in caplog.text
        assert "too large to keep" in caplog.text


class TestNotKept:
    def test_a_small_catalogue_is_not_kept(self, tmp_path: Path) -> None:
        """It loads and indexes in a few ms: a file would save nothing."""
        catalog = CatalogStore([Counting(MIN_KEPT_RESOURCES - 1)]).get()
        assert not CatalogFiles(tmp_path).save(catalog)
        assert CatalogFiles(tmp_path, min_resources=0).save(catalog)

    def test_a_failed_source_is_not_kept(self, tmp_path: Path, source: Counting) -> None:
        source.error = "disk on fire"
        catalog = CatalogStore([source]).get()
        assert catalog.sources[0].error
        assert not CatalogFiles(tmp_path).save(catalog)
        assert not (tmp_path / CATALOG_FILE).exists()


class TestPack:
    """The pack keeps its catalogue after a first answer; the next pack starts from it."""

    def test_prepare_keeps_it_for_the_next_start(self, tmp_path: Path, data_dir: Path) -> None:
        extra = FunctionSource("extra", lambda: "v1", lambda: Counting().result)
        first = Pack(user_dir=tmp_path, data_dir=data_dir, extra_sources=[extra])
        query = Query(text="video")
        expected = first.search(query)
        first.prepare(first.catalog())
        assert (tmp_path / "cache" / CATALOG_FILE).is_file()
        loads: list[int] = []

        def refuse() -> SourceResult:
            loads.append(1)
            return Counting().result

        again = Pack(
            user_dir=tmp_path,
            data_dir=data_dir,
            extra_sources=[FunctionSource("extra", lambda: "v1", refuse)],
        )
        assert again.search(query) == expected
        assert again.catalog().index_reused
        assert loads == []

    def test_one_preparation_at_a_time(self, tmp_path: Path, data_dir: Path) -> None:
        extra = FunctionSource("extra", lambda: "v1", lambda: Counting().result)
        pack = Pack(user_dir=tmp_path, data_dir=data_dir, extra_sources=[extra])
        with pack._preparing:  # another thread is preparing
            pack.prepare(pack.catalog())
        assert not (tmp_path / "cache" / CATALOG_FILE).exists()
        pack.prepare(pack.catalog())
        assert (tmp_path / "cache" / CATALOG_FILE).exists()
