"""Fixtures for the pack's state tests: the sample data folder and a catalogue on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from nodes.core.catalog import Catalog, CatalogStore
from nodes.sources.curated import CuratedSource


@pytest.fixture
def curated(data_dir: Path) -> Catalog:
    """The sample catalogue without any user entries."""
    return CatalogStore([CuratedSource(data_dir)]).get()
