"""Benchmarks: run with ``./.ci/dev bench`` (files are named bench_*.py so the test run skips them).

Each group pairs the pack's code with a baseline measured in the same run, because these
machines are noisy: compare ratios, not absolute times.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

from nodes.core.catalog import Catalog, merge
from nodes.sources.curated import load_curated
from nodes.sources.manager_db import load_manager_db

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("AWESOME_SHARED_DATA", REPO.parent / "shared" / "data"))
MANAGER = SHARED / "comfyui-manager"
_figures: list[str] = []
_growth: dict[str, dict[int, float]] = {}


def figure(line: str) -> None:
    """Record a derived figure (p99, ratio) for the summary printed at the end."""
    _figures.append(line)


def grows(name: str, size: int, value: float) -> None:
    """Record ``value`` (a time or a size) at catalogue ``size``; the summary gives how it
    grows between sizes: the exponent k of value ~ size^k (1 is linear)."""
    _growth.setdefault(name, {})[size] = value


def growth_lines() -> list[str]:
    """Each recorded quantity's exponent between consecutive sizes, and overall."""
    lines = []
    for name, values in _growth.items():
        sizes = sorted(values)
        steps = [
            f"{a}->{b} {math.log(values[b] / values[a]) / math.log(b / a):.2f}"
            for a, b in pairwise(sizes)
            if values[a] > 0 and values[b] > 0
        ]
        if len(sizes) > 2 and values[sizes[0]] > 0 and values[sizes[-1]] > 0:
            first, last = sizes[0], sizes[-1]
            overall = math.log(values[last] / values[first]) / math.log(last / first)
            steps.append(f"{first}->{last} {overall:.2f}")
        if steps:
            lines.append(f"{name}: {', '.join(steps)}")
    return lines


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
    growth = growth_lines()
    if growth:
        terminalreporter.write_sep("-", "growth exponents (value ~ size^k)")
        for line in growth:
            terminalreporter.write_line(line)
