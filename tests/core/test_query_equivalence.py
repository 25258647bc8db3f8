"""The index (flat arrays, sets as integers, ranks), built or read back from disk, answers
exactly as its rules written out plainly do (:class:`ReferenceIndex`): the same JSON, key
order included, for a wide query mix (words, prefixes as typed, typos, word forms, several
words, ids, URLs, node classes, filters, sorts, pages, marks) over a seeded synthetic
catalogue in the Manager's shape."""

from __future__ import annotations

import json
import marshal
import random
from dataclasses import replace
from typing import Any

import pytest

from nodes.core.catalog import Catalog
from nodes.core.catalog_file import catalog_bytes, read_catalog
from nodes.core.model import Resource
from nodes.core.query import Query, SearchIndex, tokenize
from nodes.core.query import facets as facets_module
from tests.bench.synthetic import synthetic_resources
from tests.helpers.reference_index import ReferenceIndex

SIZE = 2500


@pytest.fixture(scope="module")
def resources() -> list[Resource]:
    """The synthetic catalogue, with Registry downloads (some in place of stars) and node
    classes on a few entries, which the generator leaves out."""
    found = synthetic_resources(SIZE, seed=3)
    rng = random.Random(5)
    for i in rng.sample(range(SIZE), SIZE // 40):
        stars = None if i % 2 else found[i].stars
        found[i] = replace(found[i], downloads=rng.randrange(10**6), stars=stars)
    for i in rng.sample(range(SIZE), SIZE // 40):
        found[i] = replace(found[i], node_types=(f"Node{i}Loader", "SharedNode", f"vhs_{i}"))
    return found


def _typo(rng: random.Random, word: str) -> str:
    at, letter = rng.randrange(len(word)), rng.choice("aeiourstnl")
    return rng.choice(
        (
            word[:at] + word[at + 1 :],  # one left out
            word[:at] + letter + word[at + 1 :],  # one wrong
            word[:at] + letter + word[at:],  # one added
            word[:at] + word[at + 1 : at + 2] + word[at : at + 1] + word[at + 2 :],  # swapped
        )
    )


@pytest.fixture(scope="module")
def queries(resources: list[Resource]) -> list[Query]:
    rng = random.Random(7)
    words = sorted({w for r in rng.sample(resources, 200) for w in tokenize(r.description)})
    picked = rng.sample(resources, 12)
    texts = [
        *("comfyui", "nodes", "c", "co", "v", "u", "up", "upscaling", "upscaler", "faces"),
        *("video upscale", "vidoe", "contrlnet", "SharedNode", "Node5Loader", "flux", "mask"),
        *("视频", "zz" * 5, "a b c d e f g h i j", "ComfyUI-KJNodes", "kj nodes"),
        *rng.sample(words, 60),
        *(w[:k] for w in rng.sample(words, 30) for k in (1, 2, 3, 4) if len(w) > k),
        *(_typo(rng, w) for w in rng.sample([w for w in words if len(w) >= 4], 60)),
        *(" ".join(rng.sample(words, rng.randint(2, 3))) for _ in range(30)),
        *(r.id for r in picked[:3]),
        *(r.url for r in picked[3:6]),
        *(r.url.removeprefix("https://github.com/") for r in picked[6:9]),
        *(r.name for r in picked[9:]),
    ]
    tags = sorted({t for r in resources for t in r.tags})
    mix = [Query(text=t) for t in texts]
    for _ in range(150):
        asked: dict[str, Any] = {"text": rng.choice(["", "", *texts])}
        if rng.random() < 0.3:
            asked["category"] = rng.choice(["node-packs", "model-files", "nope"])
        if rng.random() < 0.3:
            asked["kind"] = rng.choice(["node-pack", "model", "tool"])
        if rng.random() < 0.15:
            asked["source"] = rng.choice(["manager", "curated"])
        if rng.random() < 0.4:
            asked["tags"] = tuple(rng.sample(tags, rng.randint(1, 2)))
        if rng.random() < 0.5:
            asked["sort"] = rng.choice(["relevance", "name", "stars", "downloads", "updated"])
        if rng.random() < 0.3:
            asked["offset"] = rng.choice([0, 10, 50, 500, 5000])
        if rng.random() < 0.3:
            asked["limit"] = rng.choice([1, 20, 100, 500])
        if rng.random() < 0.1:
            asked["facets"] = False
        if rng.random() < 0.1:
            asked["ids"] = frozenset(r.id for r in rng.sample(resources, 30)) | {"missing"}
        mix.append(Query(**asked))
    return mix


def answers(index: SearchIndex | ReferenceIndex, queries: list[Query]) -> list[str]:
    """Each query's answer as served (JSON, in key order), then some node class lookups."""
    found = [json.dumps(index.search(query).to_dict()) for query in queries]
    names = ("SharedNode", "node7loader", "vhs_", "")
    return found + [json.dumps([r.id for r in index.providers(name)]) for name in names]


def same(ours: list[str], expected: list[str], queries: list[Query]) -> None:
    """Equal, or the first query that differs is named (not two walls of JSON)."""
    for number, (mine, theirs) in enumerate(zip(ours, expected, strict=True)):
        asked = queries[number] if number < len(queries) else "node classes"
        assert mine == theirs, f"answer {number} differs: {asked}"


def test_the_engine_answers_as_its_rules_say(
    resources: list[Resource], queries: list[Query]
) -> None:
    expected = answers(ReferenceIndex(resources), queries)
    same(answers(SearchIndex(resources), queries), expected, queries)
    assert len(set(expected)) > len(queries) // 2  # a varied mix


def test_read_back_it_answers_as_built(resources: list[Resource], queries: list[Query]) -> None:
    built = SearchIndex(resources)
    stored = marshal.loads(marshal.dumps(built.stored()))  # noqa: S302 - what the file keeps
    same(answers(SearchIndex(resources, stored), queries), answers(built, queries), queries)


def test_through_the_catalogue_file(resources: list[Resource], queries: list[Query]) -> None:
    """The catalogue read back holds equal resources, and its index answers the same."""
    catalog = Catalog(resources, version="v1")
    kept = read_catalog(catalog_bytes(catalog, "salt"), "v1", "salt")
    assert kept is not None
    assert kept.resources == catalog.resources
    assert [r.canonical_url for r in kept.resources] == [r.canonical_url for r in resources]
    expected = answers(catalog.index, queries)
    same(answers(kept.index, queries), expected, queries)
    assert kept.index_reused


@pytest.mark.parametrize(
    ("tag_sets_bytes", "few_docs"),
    [(0, 32), (10_000, 10**9), (1 << 30, 1)],
    ids=["rare-tags-as-arrays", "some-tags-as-sets-no-per-document", "every-tag-by-document"],
)
def test_each_way_of_counting_tags(
    resources: list[Resource],
    queries: list[Query],
    monkeypatch: pytest.MonkeyPatch,
    tag_sets_bytes: int,
    few_docs: int,
) -> None:
    """Tags are counted document by document for few matches, else by sets: integers for
    the most used tags, arrays for the rest. Every way gives the same answers."""
    monkeypatch.setattr(facets_module, "TAG_SETS_BYTES", tag_sets_bytes)
    monkeypatch.setattr(facets_module, "_FEW_DOCS", few_docs)
    expected = answers(ReferenceIndex(resources), queries)
    same(answers(SearchIndex(resources), queries), expected, queries)
