"""Fixtures for the pack's state tests: the sample data folder and a catalogue on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from nodes.catalog import Catalog, CatalogStore, CuratedSource
from tests.sample_catalogue import write_catalogue


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The sample curated data folder."""
    return write_catalogue(tmp_path / "data")


@pytest.fixture
def curated(data_dir: Path) -> Catalog:
    """The sample catalogue without any user entries."""
    return CatalogStore([CuratedSource(data_dir)]).get()
