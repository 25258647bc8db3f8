"""Importing the pack as ComfyUI does, against an empty pack (target: under 10 ms more).

ComfyUI has already imported aiohttp and PyYAML when it loads custom nodes, so both are
imported first here too; what is measured is this pack's own modules.
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp.web  # noqa: F401 - preloaded, as inside ComfyUI
import pytest
import yaml  # noqa: F401 - preloaded, as inside ComfyUI

from .conftest import REPO, figure


def _import_fresh(name: str, folder: Path) -> None:
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


@pytest.fixture(scope="module", autouse=True)
def bytecode_cache() -> Iterator[None]:
    """ComfyUI starts with .pyc files written; measure with them, not with recompilation."""
    before = sys.dont_write_bytecode
    sys.dont_write_bytecode = False
    yield
    sys.dont_write_bytecode = before


@pytest.fixture(scope="module")
def empty_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("empty_pack")
    (folder / "__init__.py").write_text("NODE_CLASS_MAPPINGS = {}\n")
    return folder


def _median_ms(name: str, folder: Path, rounds: int = 30) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        _import_fresh(name, folder)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


@pytest.mark.benchmark(group="import")
def test_baseline_empty_pack(benchmark, empty_pack: Path) -> None:
    """Baseline: a pack whose __init__.py only defines an empty mapping."""
    benchmark(_import_fresh, "bench_empty_pack", empty_pack)


@pytest.mark.benchmark(group="import")
def test_import_pack(benchmark, empty_pack: Path) -> None:
    """This pack: nodes, routes module and core modules, no catalogue load."""
    benchmark(_import_fresh, "bench_awesome_pack", REPO)
    ours = _median_ms("bench_awesome_pack", REPO)
    base = _median_ms("bench_empty_pack", empty_pack)
    figure(
        f"pack import: {ours:.2f} ms vs empty pack {base:.2f} ms: "
        f"{ours - base:.2f} ms more (target < 10 ms)"
    )
