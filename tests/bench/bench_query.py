"""Query latency at 6.4k entries against a naive substring scan (target: p99 under 2 ms)."""

from __future__ import annotations

import statistics
import time

import pytest

from nodes.core.catalog import Catalog
from nodes.core.model import Resource
from nodes.core.query import Query, SearchIndex

from .conftest import figure

# What people type: words, prefixes as they type, typos, several words, ids and owner/repo,
# alone and with filters. Broad one-letter prefixes are the expensive tail.
TEXTS = [
    "video",
    "vid",
    "v",
    "vi",
    "vide",
    "upscale",
    "upscaler",
    "face",
    "face swap",
    "faceswap",
    "controlnet",
    "control net",
    "flux",
    "sdxl",
    "lora",
    "animatediff",
    "ipadapter",
    "ip adapter plus",
    "depth",
    "depth anything",
    "background removal",
    "rembg",
    "segment",
    "sam2",
    "comfyui",
    "comfy",
    "c",
    "co",
    "nodes",
    "kjnodes",
    "kijai",
    "kijai/comfyui-kjnodes",
    "ltdrdata/ComfyUI-Impact-Pack",
    "https://github.com/ltdrdata/ComfyUI-Manager",
    "vidoe",
    "upscle",
    "contrlnet",
    "inpaint",
    "outpaint",
    "mask",
    "prompt",
    "llm",
    "ollama",
    "tensorrt",
    "3d",
    "trellis",
    "hunyuan",
    "wan",
    "wan video wrapper",
    "audio",
    "tts",
    "workflow",
    "manager",
    "gguf",
    "quantize",
    "sampler",
    "scheduler",
    "tile",
    "ultimate sd upscale",
]
QUERIES = (
    [Query(text=t) for t in TEXTS]
    + [Query(text=t, kind="node-pack", sort="stars") for t in TEXTS[:10]]
    + [
        Query(category="node-packs", sort="updated"),
        Query(tags=("video",)),
        Query(sort="name"),
        Query(kind="model", tags=("lora",)),
        Query(text="video", category="video-generation"),
    ]
)


def naive_search(resources: list[Resource], text: str) -> list[Resource]:
    """Baseline: lower-case substring scan over the same fields, sorted by name."""
    needle = text.lower()
    found = [
        r
        for r in resources
        if needle in f"{r.name} {r.author} {r.description} {' '.join(r.tags)}".lower()
    ]
    return sorted(found, key=lambda r: r.name.lower())[:50]


@pytest.fixture(scope="module")
def index(big_catalog: Catalog) -> SearchIndex:
    built = big_catalog.index
    for query in QUERIES:  # the typo map and short-prefix memos are built on first use
        built.search(query)
    return built


@pytest.mark.benchmark(group="query")
def test_index_build(benchmark, big_catalog: Catalog) -> None:
    """Building the index once per catalogue version (done on the first query)."""
    benchmark(SearchIndex, big_catalog.resources)


@pytest.mark.benchmark(group="query")
def test_queries_ranked(benchmark, index: SearchIndex) -> None:
    """All queries of the workload once, ranked, with facets (the HTTP API's default)."""
    # ``run`` computes every answer: ``search`` would answer repeats from its memo.
    benchmark(lambda: [index.run(q) for q in QUERIES])
    # Wall time shows what a caller waits; thread CPU time leaves out the moments another
    # process had the core, which on these shared 2-core machines dominates the tail.
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(30):
        for query in QUERIES:
            start, start_cpu = time.perf_counter(), time.thread_time()
            index.run(query)
            cpu.append(time.thread_time() - start_cpu)
            wall.append(time.perf_counter() - start)
    for name, samples in (("wall", wall), ("CPU", cpu)):
        samples.sort()
        p50 = statistics.median(samples) * 1e3
        p99 = samples[int(len(samples) * 0.99)] * 1e3
        figure(
            f"query {name} time over {len(QUERIES)} queries x30 at {len(index.resources)} "
            f"entries: median {p50:.3f} ms, p99 {p99:.3f} ms (target p99 < 2 ms)"
        )


@pytest.mark.benchmark(group="query")
def test_baseline_naive_scan(benchmark, big_catalog: Catalog) -> None:
    """Baseline: the same texts as a naive substring scan (no ranking, filters or facets)."""
    resources = list(big_catalog.resources)
    benchmark(lambda: [naive_search(resources, t) for t in TEXTS])
