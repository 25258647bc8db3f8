"""Time ``nodes.load_custom_node`` inside ComfyUI's own interpreter, as ComfyUI does at start.

Run by ``measure_import.py`` with ComfyUI's Python, never imported by the tests (it only
defines functions; everything runs under ``__main__``). One run:

1. imports ComfyUI the way ``main.py`` does before it loads custom nodes (``server``,
   ``nodes``, ``execution``; that brings torch, aiohttp, PyYAML, ...) and creates the
   ``PromptServer``, so that the pack registers its routes for real;
2. imports what ComfyUI imports while loading the first Registry pack, whatever pack that
   is (``comfy_config.config_parser`` with pydantic-settings, and ``tomllib``); without
   this the first pack measured would pay ~60 ms that is not its own;
3. times ``load_custom_node`` for each given pack folder, in the given order, and then
   ComfyUI's parsing of each folder's ``pyproject.toml`` on its own.

Each run is a fresh process: the caller starts one per measurement and alternates the
order of the packs. (Forking one prepared process is no shortcut: the children pay
copy-on-write page faults on the shared heap, which inflates the pack's time 2-3x.)
Prints one line ``IMPORT_PROBE {json}``.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

MARKER = "IMPORT_PROBE "


def _prepare_comfyui(comfyui_dir: str) -> tuple[Any, Any]:
    os.chdir(comfyui_dir)
    # ComfyUI's folder first, as for main.py; this script's folder must not shadow anything.
    here = Path(__file__).resolve().parent
    sys.path[:] = [comfyui_dir, *(p for p in sys.path if Path(p or ".").resolve() != here)]
    sys.argv = [
        str(Path(comfyui_dir) / "main.py"),
        "--cpu",
        "--disable-all-custom-nodes",
        "--database-url",
        "sqlite:///:memory:",
    ]
    options = importlib.import_module("comfy.options")  # ComfyUI's, found through sys.path
    options.enable_args_parsing()
    # The same imports, in the same order, as main.py before it loads custom nodes.
    for name in ("folder_paths", "utils.extra_config", "execution", "server", "nodes"):
        importlib.import_module(name)
    nodes, server = sys.modules["nodes"], sys.modules["server"]
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server.PromptServer(loop)
    # What ComfyUI imports while loading the first pack, whatever pack that is, and while
    # reading the first pyproject.toml.
    importlib.import_module("comfy_config.config_parser")
    importlib.import_module("tomllib")
    return nodes, loop


def _measure(nodes: Any, loop: Any, paths: list[str]) -> dict[str, Any]:
    config_parser = sys.modules["comfy_config.config_parser"]

    result: dict[str, Any] = {"order": [Path(p).name for p in paths], "packs": {}}
    stdlib = set(sys.stdlib_module_names)
    for path in paths:
        before = set(sys.modules)
        start, cpu_start = time.perf_counter(), time.process_time()
        ok = loop.run_until_complete(nodes.load_custom_node(path))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        module_name = path.replace(".", "_x_")  # how load_custom_node names a folder's module
        new = {m.split(".")[0] for m in set(sys.modules) - before if not m.startswith(module_name)}
        pack_state = sys.modules.get(f"{module_name}.nodes.app.pack")
        result["packs"][Path(path).name] = {
            "ok": bool(ok),
            "load_ms": elapsed * 1e3,
            "load_cpu_ms": cpu * 1e3,
            "other_modules_imported": sorted(new - stdlib),
            "stdlib_modules_imported": sorted(new & stdlib),
            # The catalogue must load on first use, never at import.
            "catalogue_loaded_at_import": getattr(pack_state, "_pack", None) is not None,
        }
    for path in paths:
        start = time.perf_counter()
        config_parser.extract_node_configuration(path)
        result["packs"][Path(path).name]["pyproject_ms"] = (time.perf_counter() - start) * 1e3
    return result


def _emit(result: dict[str, Any]) -> None:
    sys.stdout.write(MARKER + json.dumps(result) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--comfyui", required=True, help="the ComfyUI source tree")
    parser.add_argument("paths", nargs="+", help="pack folders, in the order to load them")
    args = parser.parse_args(argv)
    nodes, loop = _prepare_comfyui(args.comfyui)
    _emit(_measure(nodes, loop, args.paths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
