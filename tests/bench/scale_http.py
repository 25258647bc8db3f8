"""Scale over HTTP: the pack's search routes inside a real ComfyUI at 100,000 entries.

Not a test and not collected by any pytest run (neither ``test_*.py`` nor ``bench_*.py``);
nothing here asserts a time. Run from the repository root with the dev tools' Python (it
reuses the query mix of ``bench_scale.py``, which imports pytest)::

    ./.ci/dev hatch run dev:python -m tests.bench.scale_http [--size 100000] [--restarts 3]
        [--repeats 5] [--world DIR] [--json FILE]

ComfyUI is found as the browser checks find it: ``COMFYUI_DIR`` (default
``~/comfyui-e2e/ComfyUI``) and ``COMFYUI_PYTHON`` (default ``$COMFYUI_DIR/../venv/bin/python``).
It runs on the CPU, on 127.0.0.1 only, in a temporary world (``--base-directory``: its
``custom_nodes`` holds only a link to this checkout; a fresh user directory whose
``sources.json`` switches on the Manager database from the synthetic folder written by
:mod:`tests.bench.scale_world`, by default in the system's temporary folder, kept for the
next run; ComfyUI gets :func:`~tests.bench.scale_world.comfyui_env`, which raises the pack's
cap of 20,000 entries per Manager file). About 1 to 2 minutes on a 2-core machine (writing
the world the first time adds 10 s). What it measures:

1. **First start** (nothing kept yet): the sidebar's first request (empty query, first page
   of 100 with facets) while the pack validates the Manager files, merges and builds the
   index; then how long until ``cache/catalog.bin`` is written in the background.
2. **Restarts** (``--restarts``, each a new ComfyUI process on the same user directory, the
   catalogue kept on disk): the same first request, then a first typed query ("video
   upscale") and a first typo ("vidoe"). Each restart is checked to have read the kept
   file (``catalog.bin`` not rewritten: it is, when the pack's code changed in between).
   Baseline: reading the three Manager files and ``json.loads`` of them in a fresh process
   of the same Python, 3 times (the DESIGN.md target is at most 1.5x that, and < 1 s).
3. **Warm search** on the last restart: the query mix of ``bench_scale.py`` (broad words,
   prefixes while typing and backspacing, two words, typos, ``owner/repo``, filters with
   the stars sort, the empty query paged) as the sidebar asks it: ``limit=100`` and facets
   on the first page; a later page is the one the sidebar loads while scrolling to that
   offset (``offset`` a multiple of 100, ``facets=0``). One pass untimed, then
   ``--repeats`` timed passes. Before each pass 300 other queries push the mix out of the
   server's memo of 256 recent queries, so a query is computed the first time in a pass
   and answered from the memo when the pass repeats it (backspacing), as when typing.
   Each request: one keep-alive connection, ``Accept-Encoding: gzip`` as a browser sends
   it, timed to the last byte of the body. After each request of the mix, two baselines
   on the same connection: ComfyUI's ``GET /api/features`` (a constant answer: the HTTP
   round trip) and the pack's ``GET /api/awesome/v1/resources/{id}`` (one entry: the pack's
   handler and its worker thread, no search). Also the server process's CPU time over the
   timed passes, from ``/proc``, and ``GET /api/object_info`` three times (what the
   frontend asks on every page load: the Resource Picker's menu lists every entry).
4. **Memory**: the server's resident set (``VmRSS``) when ComfyUI is ready and before the
   pack loads anything, after the first answer, after the warm mix; and its peak
   (``VmHWM``).

The load average is sampled at each step: the machines are shared and noisy, so read the
figures beside their baselines.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from nodes.core.query import Query

from .bench_scale import _query_mix
from .scale_world import FILES, comfyui_env, write_world
from .synthetic import synthetic_resources

REPO = Path(__file__).resolve().parents[2]
PACK_FOLDER = "awesome-comfyui-beyond"  # [project].name, the folder ComfyUI-Manager uses
PAGE_SIZE = 100  # web/lib/pages.js
SEARCH = "/api/awesome/v1/resources"
READY = "To see the GUI go to"
KEEP_TIMEOUT_S = 300  # for catalog.bin after the first answer (about 10 s at 100k)
FILLERS = 300  # > MAX_CACHED_QUERIES (256, nodes/core/query/index.py)
FIRST = {"sort": "relevance", "offset": "0", "limit": str(PAGE_SIZE), "facets": "1"}
TRACEBACKS: list[str] = []  # ComfyUI logs that hold one
_JSON = """
import json, sys, time
from pathlib import Path
start = time.perf_counter()
for name in sys.argv[1:]:
    json.loads(Path(name).read_bytes())
print(time.perf_counter() - start)
"""


def log(line: str) -> None:
    sys.stderr.write(f"[scale_http] {line}\n")
    sys.stderr.flush()


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def code_fingerprint() -> str:
    """The pack's Python code as it is now: a change during the run is reported."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "nodes").rglob("*.py")):
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def spread(ms: list[float]) -> str:
    if not ms:
        return "n=0"
    return (
        f"n={len(ms)} p50 {pct(ms, 0.5):.2f} / p95 {pct(ms, 0.95):.2f} / p99 "
        f"{pct(ms, 0.99):.2f} ms (min {min(ms):.2f}, max {max(ms):.2f})"
    )


def sidebar_params(query: Query) -> str:
    """The query string the sidebar sends for ``query`` (web/lib/state.js buildQuery)."""
    params: list[tuple[str, str]] = []
    if query.text.strip():
        params.append(("q", query.text.strip()))
    for name, value in (("category", query.category), ("kind", query.kind)):
        if value:
            params.append((name, value))
    params += [("tag", tag) for tag in query.tags]
    page = -(-query.offset // PAGE_SIZE)  # the page that shows that offset
    params += [
        ("sort", query.sort),
        ("offset", str(page * PAGE_SIZE)),
        ("limit", str(PAGE_SIZE)),
        ("facets", "0" if page else "1"),
    ]
    return urlencode(params)


def query_mix(size: int) -> tuple[list[str], str, str]:
    """``bench_scale.py``'s mix for ``size`` entries, as the sidebar's query strings; a word
    few entries hold (an author's name); an entry's id."""
    resources = synthetic_resources(size)
    rng = random.Random(size)  # as bench_scale.Data picks its owner/repo queries
    popular = sorted(resources, key=lambda r: -(r.stars or 0))[:200]
    owner_repo = [r.url.removeprefix("https://github.com/") for r in rng.sample(popular, 3)]
    rare = next(r.author for r in resources if r.author.isalpha())
    return [sidebar_params(q) for q in _query_mix(owner_repo)], rare, resources[0].id


# -- the server ----------------------------------------------------------------------------


def find_comfyui() -> tuple[Path, Path]:
    folder = Path(os.environ.get("COMFYUI_DIR") or Path.home() / "comfyui-e2e" / "ComfyUI")
    python = Path(os.environ.get("COMFYUI_PYTHON") or folder.parent / "venv" / "bin" / "python")
    if not (folder / "main.py").is_file():
        sys.exit(f"no ComfyUI at {folder} (set COMFYUI_DIR)")
    if not python.exists():
        sys.exit(f"no Python at {python} (set COMFYUI_PYTHON)")
    return folder, python


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of ``pid`` in MiB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) // 1024
    return found


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    started_s: float
    connection: http.client.HTTPConnection = field(init=False)
    at_start: int = field(init=False)

    def __post_init__(self) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        self.at_start = self._count()

    def _count(self) -> int:
        return self.log_path.read_text(errors="replace").count("Traceback (most recent call")

    def tracebacks(self) -> int:
        """Tracebacks ComfyUI logged since it was ready (the pack's background work logs its
        failures; ComfyUI's own start may log some for its optional nodes)."""
        return self._count() - self.at_start

    def get(self, path: str) -> tuple[float, int, bytes]:
        """Milliseconds to the body's last byte, the status, the body (decompressed)."""
        start = time.perf_counter()
        self.connection.request("GET", path, headers={"Accept-Encoding": "gzip, deflate"})
        response = self.connection.getresponse()
        body = response.read()
        took = (time.perf_counter() - start) * 1e3
        if response.getheader("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return took, response.status, body

    def search(self, params: str) -> tuple[float, dict[str, Any]]:
        took, status, body = self.get(f"{SEARCH}?{params}")
        if status != 200:
            raise RuntimeError(f"{params}: HTTP {status}: {body[:300]!r}")
        return took, json.loads(body)


def free_port() -> int:
    import socket  # noqa: PLC0415 - only here

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def comfyui(world: Path, number: int, size: int) -> Iterator[Server]:
    """Start ComfyUI in ``world`` (its base directory) and stop it afterwards."""
    folder, python = find_comfyui()
    port = free_port()
    log_path = world / f"comfyui-{number}.log"
    args = [
        str(python), str(folder / "main.py"), "--cpu", "--listen", "127.0.0.1",
        "--port", str(port), "--disable-auto-launch", "--base-directory", str(world),
        "--user-directory", str(world / "user"), "--disable-all-custom-nodes",
        "--whitelist-custom-nodes", PACK_FOLDER,
    ]  # fmt: skip
    env = os.environ | comfyui_env(size)
    start = time.perf_counter()
    with log_path.open("wb") as out:
        process = subprocess.Popen(args, cwd=folder, stdout=out, stderr=out, env=env)
    try:
        deadline = time.monotonic() + 180
        while READY not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"ComfyUI did not start (exit {process.poll()}):\n{tail}")
            time.sleep(0.1)
        server = Server(process, port, log_path, time.perf_counter() - start)
        yield server
        server.connection.close()
        if server.tracebacks():
            log(f"WARNING: tracebacks in {log_path}")
            TRACEBACKS.append(str(log_path))
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def make_world(manager: Path) -> Path:
    """A temporary ComfyUI base directory: this checkout in custom_nodes, a fresh user dir."""
    world = Path(tempfile.mkdtemp(prefix="awesome-scale-http-"))
    (world / "custom_nodes").mkdir()
    (world / "custom_nodes" / PACK_FOLDER).symlink_to(REPO, target_is_directory=True)
    (world / "user" / "default").mkdir(parents=True)
    (world / "user" / "default" / "comfy.settings.json").write_text(
        json.dumps({"Comfy.TutorialCompleted": True})
    )
    pack = world / "user" / PACK_FOLDER
    pack.mkdir()
    sources = {"schema": 1, "manager": {"enabled": True, "folder": str(manager)}}
    (pack / "sources.json").write_text(json.dumps(sources))
    return world


def kept_file(world: Path) -> Path:
    return world / "user" / PACK_FOLDER / "cache" / "catalog.bin"


def mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return None


# -- the measurements ------------------------------------------------------------------------


def json_baseline(manager: Path, rounds: int = 3) -> list[float]:
    """Reading and json.loads of the Manager files in fresh processes of ComfyUI's Python, ms."""
    _, python = find_comfyui()
    files = [str(manager / name) for name in FILES]
    found = []
    for _ in range(rounds):
        out = subprocess.run(
            [str(python), "-c", _JSON, *files], capture_output=True, text=True, check=True
        )
        found.append(float(out.stdout.split()[0]) * 1e3)
    return found


def first_start(server: Server, world: Path, size: int) -> dict[str, Any]:
    rss_ready = proc_status(server.process.pid)
    took, body = server.search(urlencode(FIRST))
    answered = time.perf_counter()
    rss_first = proc_status(server.process.pid)
    if body["total"] < size:
        raise RuntimeError(f"only {body['total']} entries: the Manager folder did not load")
    log(f"first start: first answer {took:.0f} ms ({body['total']} entries); waiting for the file")
    path = kept_file(world)
    while mtime(path) is None:
        if time.perf_counter() - answered > KEEP_TIMEOUT_S or server.tracebacks():
            tail = server.log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{path} was not written:\n{tail}")
        time.sleep(0.2)
    kept_s = time.perf_counter() - answered
    time.sleep(2)  # the background preparation has finished with the file written
    return {
        "startup_s": server.started_s,
        "first_answer_ms": took,
        "total": body["total"],
        "file_written_after_s": kept_s,
        "file_mb": path.stat().st_size / 2**20,
        "rss_ready_mb": rss_ready["VmRSS"],
        "rss_first_answer_mb": rss_first["VmRSS"],
        "rss_after_file_mb": proc_status(server.process.pid)["VmRSS"],
        "hwm_mb": proc_status(server.process.pid)["VmHWM"],
        "hook": "MAX_ENTRIES" in server.log_path.read_text(errors="replace"),
        "load": load(),
    }


def restart(server: Server, world: Path, code: str) -> dict[str, Any]:
    before = mtime(kept_file(world))
    rss_ready = proc_status(server.process.pid)
    took, body = server.search(urlencode(FIRST))
    rss_first = proc_status(server.process.pid)
    typed, _ = server.search(urlencode({"q": "video upscale", **FIRST}))
    typo, _ = server.search(urlencode({"q": "vidoe", **FIRST}))
    time.sleep(1)  # a rebuilt catalogue would be kept again by now (or soon after)
    return {
        "startup_s": server.started_s,
        "first_answer_ms": took,
        "first_typed_ms": typed,
        "first_typo_ms": typo,
        "total": body["total"],
        "rss_ready_mb": rss_ready["VmRSS"],
        "rss_first_answer_mb": rss_first["VmRSS"],
        # Not rewritten, and the code it was written by unchanged (then it was read back).
        "kept_file_read": (
            before is not None and mtime(kept_file(world)) == before and code_fingerprint() == code
        ),
        "load": load(),
    }


def flush_memo(server: Server, word: str) -> None:
    """Ask FILLERS other (cheap) queries: the mix leaves the server's memo of recent ones."""
    for n in range(FILLERS):
        server.search(urlencode({"q": word, "offset": str(n + 1), "limit": "1", "facets": "0"}))


def warm_mix(
    server: Server, mix: list[str], repeats: int, word: str, entry_id: str
) -> dict[str, Any]:
    for params in mix:  # untimed: whatever is built on first use
        server.search(params)
    detail = f"{SEARCH}/{quote(entry_id, safe='')}"
    samples: list[dict[str, Any]] = []
    features: list[float] = []
    details: list[float] = []
    cpu = 0.0
    loads = []
    for repeat in range(repeats):
        flush_memo(server, word)
        seen: set[str] = set()
        cpu_start = cpu_seconds(server.process.pid)
        for params in mix:
            took, body = server.search(params)
            samples.append(
                {
                    "params": params,
                    "ms": took,
                    "memo": params in seen,
                    "total": body["total"],
                    "repeat": repeat,
                }
            )
            seen.add(params)
            features.append(server.get("/api/features")[0])
            details.append(server.get(detail)[0])
        cpu += cpu_seconds(server.process.pid) - cpu_start
        loads.append(load())
        log(f"warm pass {repeat + 1}/{repeats}: load {loads[-1]}")
    # What the frontend asks on every page load: the node definitions, the pack's menus
    # (the Resource Picker lists every entry) among them.
    info = [server.get("/api/object_info") for _ in range(3)]
    return {
        "object_info_ms": [took for took, _, _ in info],
        "object_info_mb": len(info[-1][2]) / 2**20,
        "samples": samples,
        "features_ms": features,
        "detail_ms": details,
        "server_cpu_s": cpu,
        "loads": loads,
    }


def slowest(samples: list[dict[str, Any]], count: int = 8) -> list[str]:
    by_query: dict[str, list[float]] = {}
    for s in samples:
        if not s["memo"]:
            by_query.setdefault(s["params"], []).append(s["ms"])
    ranked = sorted(by_query.items(), key=lambda kv: -statistics.median(kv[1]))[:count]
    return [
        f"{params}: median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms"
        for params, ms in ranked
    ]


def report(result: dict[str, Any]) -> None:
    out = sys.stdout.write
    first, restarts, warm = result["first"], result["restarts"], result["warm"]
    json_ms = result["json_loads_ms"]
    out(
        f"\nScale over HTTP inside ComfyUI: {first['total']} entries ({result['size']} synthetic)\n"
    )
    out(f"load average at start {result['load_start']}, at end {result['load_end']}\n")
    out(
        f"first start (validate, merge, build): first answer {first['first_answer_ms']:.0f} ms; "
        f"catalog.bin ({first['file_mb']:.0f} MB) written {first['file_written_after_s']:.1f} s "
        f"after it; ComfyUI ready in {first['startup_s']:.1f} s; cap raised in ComfyUI: "
        f"{first['hook']}\n"
    )
    ok = [r for r in restarts if r["kept_file_read"]]
    firsts = [r["first_answer_ms"] for r in ok]
    baseline = statistics.median(json_ms)
    out(
        f"baseline: Manager files read + json.loads, fresh process: median {baseline:.0f} ms "
        f"({', '.join(f'{x:.0f}' for x in json_ms)})\n"
    )
    if firsts:
        mid = statistics.median(firsts)
        out(
            f"first answer after a restart, catalogue kept (n={len(firsts)}): median {mid:.0f} ms "
            f"({', '.join(f'{x:.0f}' for x in firsts)}), {mid / baseline:.2f}x the baseline; "
            f"then first typed query median "
            f"{statistics.median(r['first_typed_ms'] for r in ok):.0f} ms, first typo "
            f"{statistics.median(r['first_typo_ms'] for r in ok):.0f} ms (targets < 1 s, <= 1.5x)\n"
        )
    rebuilt = len(restarts) - len(ok)
    if rebuilt:
        out(f"WARNING: {rebuilt} restart(s) rebuilt the catalogue (the pack's code changed?)\n")
    samples = warm["samples"]
    every = [s["ms"] for s in samples]
    computed = [s["ms"] for s in samples if not s["memo"]]
    memo = [s["ms"] for s in samples if s["memo"]]
    passes = len({s["repeat"] for s in samples})
    out(f"warm search, {len(samples) // passes} requests x {passes} passes (limit 100, facets):\n")
    out(f"  every request (as typed)        {spread(every)}\n")
    out(f"  computed (not from the memo)    {spread(computed)}\n")
    out(f"  answered from the memo          {spread(memo)}\n")
    out(f"  baseline GET /api/features      {spread(warm['features_ms'])}\n")
    out(f"  baseline GET resources/{{id}}     {spread(warm['detail_ms'])}\n")
    out(
        f"  server CPU over the timed passes: {warm['server_cpu_s']:.2f} s for "
        f"{len(samples) * 3} requests; wall {sum(every) / 1e3:.2f} s searching; loads "
        f"{'; '.join(warm['loads'])}\n"
    )
    out(
        f"  GET /api/object_info (every page load; the picker lists every entry): "
        f"{', '.join(f'{x:.0f}' for x in warm['object_info_ms'])} ms, "
        f"{warm['object_info_mb']:.1f} MB uncompressed\n"
    )
    out("  slowest (computed, median over passes):\n")
    for line in slowest(samples):
        out(f"    {line}\n")
    last = restarts[-1]
    out(
        f"memory (VmRSS): ready {last['rss_ready_mb']} MB, after the first answer "
        f"{last['rss_first_answer_mb']} MB (+{last['rss_first_answer_mb'] - last['rss_ready_mb']}),"
        f" after the warm mix {result['rss_after_mix_mb']} MB "
        f"(+{result['rss_after_mix_mb'] - last['rss_ready_mb']}), peak {result['hwm_mb']} MB; "
        f"first start (built): ready {first['rss_ready_mb']} MB, after the file was written "
        f"{first['rss_after_file_mb']} MB (+{first['rss_after_file_mb'] - first['rss_ready_mb']}),"
        f" peak {first['hwm_mb']} MB (target: < 250 MB added)\n"
    )
    if TRACEBACKS:
        out(f"WARNING: tracebacks in ComfyUI's log: {', '.join(TRACEBACKS)} (kept: --keep)\n")
    if result["code_start"] != result["code_end"]:
        out("WARNING: the pack's code (nodes/**/*.py) changed during the run\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--restarts", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--world", type=Path, help="the synthetic Manager folder to use/write")
    parser.add_argument("--json", type=Path, help="write every sample here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary ComfyUI world")
    args = parser.parse_args(argv)
    if args.restarts < 1 or args.repeats < 1:
        parser.error("--restarts and --repeats must be at least 1")
    manager = args.world or Path(tempfile.gettempdir()) / f"awesome-scale-world-{args.size}"
    result: dict[str, Any] = {
        "size": args.size,
        "load_start": load(),
        "code_start": code_fingerprint(),
    }
    log(f"load {result['load_start']}; writing or checking the world in {manager}")
    result["world"] = write_world(manager.resolve(), args.size)
    mix, rare, entry = query_mix(args.size)
    result["json_loads_ms"] = json_baseline(manager)
    world = make_world(manager.resolve())
    log(f"ComfyUI world {world}")
    failed = True
    try:
        with comfyui(world, 0, args.size) as server:
            result["first"] = first_start(server, world, args.size)
        result["restarts"] = []
        for number in range(1, args.restarts + 1):
            with comfyui(world, number, args.size) as server:
                result["restarts"].append(restart(server, world, result["code_start"]))
                log(f"restart {number}: {result['restarts'][-1]}")
                if number == args.restarts:
                    result["warm"] = warm_mix(server, mix, args.repeats, rare, entry)
                    status = proc_status(server.process.pid)
                    result["rss_after_mix_mb"], result["hwm_mb"] = status["VmRSS"], status["VmHWM"]
        failed = False
    finally:
        if args.keep or failed or TRACEBACKS:
            log(f"kept {world}")
        else:
            shutil.rmtree(world, ignore_errors=True)
    result["load_end"], result["code_end"] = load(), code_fingerprint()
    report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
