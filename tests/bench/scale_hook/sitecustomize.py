"""Raises the pack's cap on ComfyUI-Manager entries inside a ComfyUI started by a benchmark.

Python imports this module at start (``site``) when its folder is on ``PYTHONPATH``; only
the benchmarks at scale put it there, for the ComfyUI they start (see
``tests/bench/scale_world.py``, :func:`comfyui_env`). Nothing else does.

The pack reads at most ``manager_entries.MAX_ENTRIES`` (20,000) entries from each file of
the Manager's database, and a synthetic database of 100,000 entries holds more. With
``AWESOME_BENCH_MAX_ENTRIES`` set, the cap is raised to that number right after the pack
itself imports the module (on its first catalogue load): nothing is imported early, and no
other code or setting changes. A line in ComfyUI's log says when it happened.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
from collections.abc import Sequence
from types import ModuleType

MODULE = ".nodes.sources.manager_entries"  # the pack's, under the name ComfyUI gives the pack
CAP = int(os.environ.get("AWESOME_BENCH_MAX_ENTRIES") or 0)


class RaiseCap(importlib.abc.MetaPathFinder):
    """Finds the module as Python would, and raises its cap once it has run."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if not fullname.endswith(MODULE):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        loader = None if spec is None else spec.loader
        if loader is None:
            return spec
        run = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            names = vars(module)
            before = names["MAX_ENTRIES"]
            names["MAX_ENTRIES"] = max(before, CAP)
            sys.stderr.write(
                f"[benchmark] {fullname}.MAX_ENTRIES: {before} -> {names['MAX_ENTRIES']}\n"
            )
            sys.stderr.flush()  # ComfyUI's log wrapper buffers

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if CAP > 0:
    sys.meta_path.insert(0, RaiseCap())
