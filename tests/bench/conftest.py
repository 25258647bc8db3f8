"""Benchmarks: run with ``./.ci/dev bench`` (files are named bench_*.py so the test run skips them).

Each group pairs the pack's code with a baseline measured in the same run, because these
machines are noisy: compare ratios, not absolute times.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from nodes.core.catalog import Catalog, merge
from nodes.sources.curated import load_curated
from nodes.sources.manager_db import load_manager_db

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("AWESOME_SHARED_DATA", REPO.parent / "shared" / "data"))
MANAGER = SHARED / "comfyui-manager"
_figures: list[str] = []


def figure(line: str) -> None:
    """Record a derived figure (p99, ratio) for the summary printed at the end."""
    _figures.append(line)


@pytest.fixture(scope="session")
def manager_dir() -> Path:
    if not (MANAGER / "custom-node-list.json").exists():
        pytest.skip(f"the ComfyUI-Manager data is not at {MANAGER} (set AWESOME_SHARED_DATA)")
    return MANAGER


@pytest.fixture(scope="session")
def big_catalog(manager_dir: Path) -> Iterator[Catalog]:
    return merge([load_curated(), load_manager_db(manager_dir)])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _figures:
        terminalreporter.write_sep("-", "derived figures")
        for line in _figures:
            terminalreporter.write_line(line)
