"""Loading the 6.4k-entry catalogue against ``json.loads`` of the same bytes (target: within 2x)."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import pytest

from nodes.sources.curated import load_curated
from nodes.sources.manager_db import FILES, load_manager_db
from nodes.sources.snapshot import ManagerSource

from .conftest import figure

# The baseline parses every file the source reads, the node map included (its node class
# names are in the snapshot too).


def _median_seconds(fn: object, rounds: int = 15) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@pytest.mark.benchmark(group="load")
def test_baseline_json_loads(benchmark, manager_dir: Path) -> None:
    """Baseline: parse the Manager files with json.loads and nothing else."""
    blobs = [(manager_dir / name).read_bytes() for name in FILES]
    benchmark(lambda: [json.loads(b) for b in blobs])


@pytest.mark.benchmark(group="load")
def test_manager_db_validated(benchmark, manager_dir: Path) -> None:
    """Read, validate and normalise every Manager entry (the first load, or after a change)."""
    result = benchmark(load_manager_db, manager_dir)
    assert len(result.resources) > 6000


@pytest.mark.benchmark(group="load")
def test_manager_db_from_snapshot(benchmark, manager_dir: Path, tmp_path: Path) -> None:
    """Every later load: the validated snapshot, while the Manager files are unchanged."""
    source = ManagerSource.in_folder(manager_dir, cache_dir=tmp_path)
    source.load()  # writes the snapshot
    result = benchmark(source.load)
    assert len(result.resources) > 6000
    blobs = [(manager_dir / name).read_bytes() for name in FILES]
    base = _median_seconds(lambda: [json.loads(b) for b in blobs])
    ours = _median_seconds(source.load)
    figure(
        f"snapshot load / json.loads of the Manager files: {ours * 1e3:.1f} ms / "
        f"{base * 1e3:.1f} ms = {ours / base:.2f}x (target <= 2x)"
    )


@pytest.mark.benchmark(group="load")
def test_curated_yaml(benchmark) -> None:
    """The bundled curated YAML catalogue (about a hundred entries)."""
    result = benchmark(load_curated)
    assert not result.problems
