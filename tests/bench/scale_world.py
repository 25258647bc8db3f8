"""A ComfyUI-Manager database folder holding a synthetic catalogue of any size, for the
benchmarks that run a real ComfyUI at scale (``tests/bench/scale_http.py`` and
``tests/e2e/browser/bench_sidebar.mjs --scale N``). Run from the repository root::

    python -m tests.bench.scale_world --size 100000 --out DIR

It writes ``custom-node-list.json``, ``github-stats.json`` and ``model-list.json`` into DIR:
the entries of :mod:`tests.bench.synthetic` (seeded: the same every time) in the Manager's own
format (:func:`~tests.bench.synthetic.manager_files`), as compact JSON: indented, 100,000
entries take 74 MB, past the 64 MB the pack reads from one Manager database. Then
``world.json``, which says what the folder holds; a folder that already holds the same world
is left as it is, files and modification times alike, so that the pack's caches built from
it stay valid. The pack reads the folder when its ``sources.json`` says
``{"manager": {"enabled": true, "folder": DIR}}``.

The pack reads at most 20,000 entries from each Manager file
(``nodes/sources/manager_entries.py``, ``MAX_ENTRIES``): a ComfyUI started for these
benchmarks gets the variables of :func:`comfyui_env`, which raise that cap inside it (see
``tests/bench/scale_hook/sitecustomize.py``). Nothing else about the pack changes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from nodes.sources.manager_entries import MODEL_LIST, NODE_LIST, STATS

from .synthetic import manager_files, synthetic_resources

FORMAT = 1  # of the folder as written here: a change rewrites every world
WORLD = "world.json"
HOOK_DIR = Path(__file__).resolve().parent / "scale_hook"
CAP_VARIABLE = "AWESOME_BENCH_MAX_ENTRIES"
FILES = (NODE_LIST, STATS, MODEL_LIST)  # in the order manager_files() gives them
SEED = 11  # synthetic_resources()'s default


def _generator() -> str:
    """What the entries depend on: the generator's code and this folder's format."""
    source = (Path(__file__).resolve().parent / "synthetic.py").read_bytes()
    return hashlib.sha256(source + str(FORMAT).encode()).hexdigest()[:16]


def _described(size: int, seed: int) -> dict[str, Any]:
    return {"format": FORMAT, "size": size, "seed": seed, "generator": _generator()}


def existing_world(out: Path, size: int, seed: int = SEED) -> dict[str, Any] | None:
    """The description of the world in ``out`` if it is complete and the one asked for."""
    try:
        found = json.loads((out / WORLD).read_text(encoding="utf-8"))
        wanted = _described(size, seed)
        if any(found.get(k) != v for k, v in wanted.items()):
            return None
        for name, size_bytes in found["files"].items():
            if (out / name).stat().st_size != size_bytes:
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return dict(found)


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def write_world(out: Path, size: int, seed: int = SEED) -> dict[str, Any]:
    """Write (or keep) the Manager files of ``size`` synthetic entries in ``out``."""
    found = existing_world(out, size, seed)
    if found is not None:
        return found | {"written": False}
    out.mkdir(parents=True, exist_ok=True)
    (out / WORLD).unlink(missing_ok=True)  # incomplete until written again, last
    resources = synthetic_resources(size, seed)
    models = sum(1 for r in resources if r.kind == "model")
    files: dict[str, int] = {}
    for name, blob in zip(FILES, manager_files(resources), strict=True):
        compact = json.dumps(json.loads(blob), separators=(",", ":")).encode()
        _write(out / name, compact)
        files[name] = len(compact)
    world = _described(size, seed) | {
        "node_packs": size - models,
        "models": models,
        "files": files,
    }
    _write(out / WORLD, json.dumps(world, indent=1).encode())
    return world | {"written": True}


def comfyui_env(size: int) -> dict[str, str]:
    """Variables for a ComfyUI that is to read all ``size`` entries from a Manager folder."""
    path = [str(HOOK_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {"PYTHONPATH": os.pathsep.join(path), CAP_VARIABLE: str(size)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="entries (default 100000)")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if args.size < 1:
        parser.error("--size must be at least 1")
    world = write_world(args.out.resolve(), args.size, args.seed)
    world["folder"] = str(args.out.resolve())
    world["env"] = comfyui_env(args.size)
    sys.stdout.write(json.dumps(world) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
