"""The Comfy Registry source: node records, paging a real local registry, and the cached copy."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from nodes.core.model import Resource, SourceResult
from nodes.core.validate import MAX_DOWNLOADS, Location
from nodes.net.cache import RefreshOutcome
from nodes.net.fetch import USER_AGENT
from nodes.net.guard import Guard, guarded_session
from nodes.sources.registry import (
    NODE_PAGE_URL,
    NodesPage,
    RegistryError,
    RegistryOptions,
    RegistrySource,
    build_result,
    fetch_registry,
    parse_node,
    parse_nodes_page,
    refresh_registry,
)
from tests.helpers.netservers import serve

pytestmark = pytest.mark.http
WHERE = Location("nodes page 3", None, prefix="[12].")
FAST = RegistryOptions(limit=10, delay=0, allow_private=True, timeout=5)


def node(i: int, **fields: Any) -> dict[str, Any]:
    """A Registry ``Node`` as ``GET /nodes`` returns it (its ``Node`` schema, as the types
    ComfyUI_frontend generates from the Registry's OpenAPI document list it)."""
    record: dict[str, Any] = {
        "id": f"pack-{i}",
        "name": f"Pack {i}",
        "description": f"Does thing {i}.",
        "author": "",
        "category": "",
        "icon": "",
        "banner_url": "",
        "publisher": {
            "id": f"pub{i}",
            "name": f"Publisher {i}",
            "createdAt": "2024-01-01T00:00:00Z",
            "status": "PublisherStatusActive",
        },
        "repository": f"https://github.com/owner{i}/ComfyUI-Pack-{i}",
        "tags": ["Video", "upscale"],
        "github_stars": i * 10,
        "downloads": i * 1000,
        "rating": 4.5,
        "status": "NodeStatusActive",
        "status_detail": "",
        "latest_version": {
            "id": f"version-{i}",
            "node_id": f"pack-{i}",
            "version": "1.0.0",
            "createdAt": "2025-03-04T05:06:07Z",
            "changelog": "",
            "dependencies": ["torch"],
            "deprecated": False,
            "downloadUrl": f"https://cdn.comfy.org/pub{i}/pack-{i}/1.0.0/node.zip",
            "status": "NodeVersionStatusActive",
        },
        "created_at": "2024-01-01T00:00:00Z",
        "license": "MIT",
    }
    record.update(fields)
    return record


# ------------------------------------------------------------------ one node


def test_a_node_becomes_a_node_pack() -> None:
    resource, problems = parse_node(node(7), WHERE)
    assert problems == []
    assert resource == Resource(
        id="owner7.comfyui-pack-7",
        name="Pack 7",
        url="https://github.com/owner7/ComfyUI-Pack-7",
        category="node-packs",
        kind="node-pack",
        description="Does thing 7.",
        tags=("video", "upscale"),
        author="Publisher 7",
        license="MIT",
        stars=70,
        updated="2025-03-04",
        source="registry",
        pack_id="pack-7",
        install_type="cnr",
        version="1.0.0",
        downloads=7000,
        rating=4.5,
        publisher="Publisher 7",
    )


def test_a_node_without_repository_links_to_its_registry_page() -> None:
    resource, _ = parse_node(node(1, id="My Pack!", repository=None, name=None), WHERE, "reg")
    assert resource is not None
    assert (resource.id, resource.url, resource.name, resource.source) == (
        "registry.my-pack",
        NODE_PAGE_URL + "my-pack",
        "my-pack",
        "reg",
    )
    long_id = "x" * 100
    resource, _ = parse_node(node(1, id=long_id, repository=""), WHERE)
    assert resource is not None
    assert resource.id == "registry." + "x" * 71


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"author": "Kijai"}, "Kijai"),
        ({"author": None, "publisher": {"id": "pub-id"}}, "pub-id"),
        ({"author": " ", "publisher": "not a mapping"}, ""),
        ({"author": None, "publisher": {"name": "", "id": None}}, ""),
    ],
)
def test_the_author_is_the_node_author_then_the_publisher(
    fields: dict[str, Any], expected: str
) -> None:
    resource, _ = parse_node(node(1, **fields), WHERE)
    assert resource is not None
    assert resource.author == expected


@pytest.mark.parametrize(
    ("fields", "stars", "updated", "license"),
    [
        ({"github_stars": True, "latest_version": None}, None, "2024-01-01", "MIT"),
        (
            {"github_stars": -1, "latest_version": {"createdAt": "yesterday"}},
            None,
            "2024-01-01",
            "MIT",
        ),
        ({"github_stars": "12", "latest_version": {}, "created_at": 5}, None, "", "MIT"),
        ({"license": "LICENSE"}, 10, "2025-03-04", ""),
        ({"license": '{"file": "LICENSE"}'}, 10, "2025-03-04", ""),
        ({"license": "see the file COPYING"}, 10, "2025-03-04", ""),
        ({"license": "GPL-3.0 or later"}, 10, "2025-03-04", "GPL-3.0 or later"),
        ({"license": 3}, 10, "2025-03-04", ""),
    ],
)
def test_unusable_optional_values_are_left_out(
    fields: dict[str, Any], stars: int | None, updated: str, license: str
) -> None:
    resource, problems = parse_node(node(1, **fields), WHERE)
    assert problems == []
    assert resource is not None
    assert (resource.stars, resource.updated, resource.license) == (stars, updated, license)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, "Publisher 1"),
        ({"publisher": {"id": "pub-id", "name": " "}}, "pub-id"),
        ({"publisher": {"id": "pub-id"}}, "pub-id"),
        ({"publisher": {"id": 5, "name": None}}, ""),
        ({"publisher": None}, ""),
        ({"publisher": ["pub"]}, ""),
    ],
)
def test_the_publisher_is_its_name_then_its_id(fields: dict[str, Any], expected: str) -> None:
    resource, problems = parse_node(node(1, author="Someone", **fields), WHERE)
    assert problems == []
    assert resource is not None
    assert (resource.publisher, resource.author) == (expected, "Someone")


@pytest.mark.parametrize(
    ("node_id", "pack_id", "install_type"),
    [
        ("comfyui-kjnodes", "comfyui-kjnodes", "cnr"),
        ("ComfyUI_Impact.Pack", "ComfyUI_Impact.Pack", "cnr"),  # kept as the Registry sends it
        ("x" * 100, "x" * 100, "cnr"),
        ("x" * 101, "", ""),  # longer than any installer takes
        ("My Pack!", "", ""),  # not an install id: the pack is kept, without one
        ("-pack-", "", ""),
    ],
)
def test_the_node_id_is_the_install_id(node_id: str, pack_id: str, install_type: str) -> None:
    resource, problems = parse_node(node(1, id=node_id), WHERE)
    assert problems == []
    assert resource is not None
    assert (resource.pack_id, resource.install_type) == (pack_id, install_type)


@pytest.mark.parametrize(
    ("latest", "version"),
    [
        ({"version": "2.10.3"}, "2.10.3"),
        ({"version": " 1.0.0-beta.1+build.5 "}, "1.0.0-beta.1+build.5"),
        ({"version": "not a version"}, ""),
        ({"version": "v" * 65}, ""),
        ({"version": 3}, ""),
        ({}, ""),
        (None, ""),
        ("1.0.0", ""),  # latest_version is an object, never the version itself
    ],
)
def test_the_version_is_the_latest_published_one(latest: object, version: str) -> None:
    resource, problems = parse_node(node(1, latest_version=latest), WHERE)
    assert problems == []
    assert resource is not None
    assert resource.version == version


@pytest.mark.parametrize(
    ("downloads", "expected"),
    [
        (123456, 123456),
        (0, 0),
        (MAX_DOWNLOADS, MAX_DOWNLOADS),
        (MAX_DOWNLOADS + 1, None),
        (-1, None),
        (True, None),
        (12.0, None),
        ("12", None),
        (None, None),
    ],
)
def test_downloads_are_a_count_or_left_out(downloads: object, expected: int | None) -> None:
    resource, problems = parse_node(node(1, downloads=downloads), WHERE)
    assert problems == []
    assert resource is not None
    assert resource.downloads == expected


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        (4.25, 4.25),
        (5, 5.0),
        (0, None),  # what the Registry sends for a node nobody rated
        (0.0, None),
        (5.5, None),
        (-1, None),
        (float("nan"), None),
        (float("inf"), None),
        (True, None),
        ("4", None),
        (None, None),
    ],
)
def test_the_rating_is_an_average_of_one_to_five(rating: object, expected: float | None) -> None:
    resource, problems = parse_node(node(1, rating=rating), WHERE)
    assert problems == []
    assert resource is not None
    assert resource.rating == expected


def test_nan_from_the_wire_is_left_out() -> None:
    """Python's JSON reader takes ``NaN``; such a rating or count is not kept."""
    body = b'{"nodes": [{"id": "p", "rating": NaN, "downloads": Infinity}]}'
    (raw,) = parse_nodes_page(body, 1).nodes
    resource, problems = parse_node(raw, WHERE)
    assert problems == []
    assert resource is not None
    assert (resource.rating, resource.downloads) == (None, None)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            node(1, repository="ftp://example.com/x"),
            "nodes page 3: [12].repository: scheme 'ftp' is not allowed; use http or https;"
            " skipped",
        ),
        (
            node(1, repository=42),
            "nodes page 3: [12].repository: must be text, got int; skipped",
        ),
        (node(1, id=None), "nodes page 3: [12].id: must be a node id, got None; skipped"),
        (node(1, id="!!!"), "nodes page 3: [12].id: must be a node id, got '!!!'; skipped"),
        ("a string", "nodes page 3: [12].entry: must be a JSON object; skipped"),
    ],
)
def test_bad_nodes_are_reported_and_skipped(raw: object, message: str) -> None:
    resource, problems = parse_node(raw, WHERE)
    assert resource is None
    assert [str(p) for p in problems] == [message]


def test_a_page_must_be_a_json_nodes_page() -> None:
    assert parse_nodes_page(b'{"nodes": [1], "totalPages": 4}', 1) == NodesPage([1], 4)
    for total in (True, -1, "4", None):
        assert parse_nodes_page(json.dumps({"nodes": [], "totalPages": total}).encode(), 1) == (
            NodesPage([], None)
        )
    with pytest.raises(RegistryError, match=r"nodes page 2 is not valid JSON"):
        parse_nodes_page(b'{"nodes": [', 2)
    with pytest.raises(RegistryError, match=r"nodes page 2 is not a Comfy Registry page"):
        parse_nodes_page(b"[]", 2)
    with pytest.raises(RegistryError, match=r"no 'nodes' list"):
        parse_nodes_page(b'{"nodes": {}}', 2)


def test_duplicates_across_pages_are_skipped() -> None:
    again = node(1, id="pack-1-again")
    result = build_result([NodesPage([node(1), node(2)], 2), NodesPage([again], 2)])
    assert [r.id for r in result.resources] == ["owner1.comfyui-pack-1", "owner2.comfyui-pack-2"]
    assert [str(p) for p in result.problems] == [
        "nodes page 2: [0].id: 'owner1.comfyui-pack-1' is already used by the entry at "
        "nodes page 1; skipped",
        "nodes page 2: [0].url: 'https://github.com/owner1/comfyui-pack-1' is already used by"
        " the entry at nodes page 1; skipped",
    ]


# ------------------------------------------------------------------ a local registry


class Registry:
    """A local Comfy Registry: ``GET /nodes?page=&limit=``, with switchable misbehaviour."""

    def __init__(self, count: int = 25) -> None:
        self.nodes: list[Any] = [node(i) for i in range(count)]
        self.broken: dict[int, str] = {}  # page -> "truncated" | "garbage" | "fail" | "shape"
        self.total_pages: bool = True
        self.seen: list[tuple[int, int]] = []
        self.agents: set[str] = set()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        page, limit = int(request.query["page"]), int(request.query["limit"])
        self.seen.append((page, limit))
        self.agents.add(request.headers["User-Agent"])
        mode = self.broken.get(page)
        if mode == "fail":
            return web.Response(status=500, text="internal error")
        if mode == "garbage":
            return web.Response(text="<html>maintenance</html>", content_type="text/html")
        if mode == "shape":
            return web.json_response({"items": []})
        chunk = self.nodes[(page - 1) * limit : page * limit]
        pages = -(-len(self.nodes) // limit)
        document: dict[str, Any] = {
            "total": len(self.nodes),
            "nodes": chunk,
            "page": page,
            "limit": limit,
        }
        if self.total_pages:
            document["totalPages"] = pages
        body = json.dumps(document).encode()
        if mode == "truncated":
            response = web.StreamResponse(headers={"Content-Type": "application/json"})
            response.content_length = len(body)
            await response.prepare(request)
            await response.write(body[: len(body) // 2])
            assert request.transport is not None
            request.transport.close()  # hang up mid-body
            return response
        return web.Response(body=body, content_type="application/json")

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/nodes", self.handle)
        return app


def run(registry: Registry, scenario: Callable[[str], Awaitable[None]]) -> None:
    async def main() -> None:
        async with serve(registry.app()) as base:
            await scenario(base)

    asyncio.run(main())


def refresh(cache: Path, base: str, **options: Any) -> Awaitable[RefreshOutcome[SourceResult]]:
    return refresh_registry(cache, base, dataclasses.replace(FAST, **options))


def test_refresh_pages_through_the_registry_and_caches_the_result(tmp_path: Path) -> None:
    registry = Registry(25)
    outcomes: list[RefreshOutcome[SourceResult]] = []
    bases: list[str] = []

    async def scenario(base: str) -> None:
        bases.append(base)
        outcomes.append(await refresh(tmp_path, base))
        outcomes.append(await refresh(tmp_path, base + "/"))

    run(registry, scenario)
    first, second = outcomes
    assert first.state == "changed"
    assert first.value is not None
    assert len(first.value.resources) == 25
    assert first.value.problems == ()
    assert first.message == "registry was updated: 25 node packs from 3 page(s), 0 problem(s)"
    assert (second.state, second.fetched_at) == ("not-modified", first.fetched_at)
    assert second.message.startswith("registry is unchanged: 25 node packs")
    # Where earlier versions kept it: the snapshot, and the record of its registry.
    assert (tmp_path / "registry.snapshot.json").is_file()
    assert json.loads((tmp_path / "registry.meta.json").read_text())["url"] == bases[0]
    assert registry.seen == [(1, 10), (2, 10), (3, 10)] * 2
    assert registry.agents == {USER_AGENT}
    pack = first.value.resources[12]
    assert (pack.pack_id, pack.install_type, pack.version) == ("pack-12", "cnr", "1.0.0")
    assert (pack.downloads, pack.rating, pack.publisher, pack.stars) == (
        12000,
        4.5,
        "Publisher 12",
        120,
    )
    # The snapshot keeps them: the catalogue reads what the refresh saw.
    assert RegistrySource(tmp_path, bases[0]).load().resources == first.value.resources


def test_the_source_loads_only_the_cached_copy(tmp_path: Path) -> None:
    registry = Registry(12)
    bases: list[str] = []

    async def scenario(base: str) -> None:
        bases.append(base)
        before = RegistrySource(tmp_path, base)
        assert before.load() == SourceResult("registry")  # never refreshed: empty, no problem
        assert before.fetched_at() == ""
        empty_print = before.fingerprint()
        assert (await refresh(tmp_path, base)).state == "changed"
        assert before.fingerprint() != empty_print

    run(registry, scenario)
    source = RegistrySource(tmp_path, bases[0])
    result = source.load()  # the server is gone: the cached copy is all there is
    assert len(result.resources) == 12
    assert {r.source for r in result.resources} == {"registry"}
    assert source.fetched_at() != ""
    assert RegistrySource(tmp_path, bases[0] + "/").load() == result  # the same registry
    other = RegistrySource(tmp_path, "https://mirror.example.org").load()
    assert [p.message for p in other.problems] == [
        "is not a snapshot of https://mirror.example.org; refresh the source"
    ]


def test_a_page_of_invalid_records_skips_only_those_records(tmp_path: Path) -> None:
    registry = Registry(25)
    for i in range(10, 20):  # all of page 2
        registry.nodes[i] = node(i, repository="not a url") if i % 2 else f"junk {i}"
    outcomes: list[RefreshOutcome[SourceResult]] = []

    async def scenario(base: str) -> None:
        outcomes.append(await refresh(tmp_path, base))

    run(registry, scenario)
    (outcome,) = outcomes
    assert outcome.state == "changed"
    assert outcome.value is not None
    assert len(outcome.value.resources) == 15
    problems = [str(p) for p in outcome.value.problems]
    assert len(problems) == 10
    assert problems[0] == "nodes page 2: [0].entry: must be a JSON object; skipped"
    assert problems[1] == (
        "nodes page 2: [1].repository: must not contain spaces or control characters; skipped"
    )
    assert "10 problem(s)" in outcome.message


def test_paging_stops_at_a_short_or_empty_page_and_at_the_cap(tmp_path: Path) -> None:
    registry = Registry(25)
    outcomes: list[RefreshOutcome[SourceResult]] = []

    async def scenario(base: str) -> None:
        registry.total_pages = False  # no page count: a short page ends it
        outcomes.append(await refresh(tmp_path / "a", base))
        registry.nodes = registry.nodes[:20]  # ... or an empty one
        outcomes.append(await refresh(tmp_path / "b", base))
        registry.total_pages = True
        outcomes.append(await refresh(tmp_path / "c", base, max_pages=1))

    run(registry, scenario)
    short, empty, capped = outcomes
    assert short.value is not None
    assert len(short.value.resources) == 25
    assert empty.value is not None
    assert len(empty.value.resources) == 20
    assert capped.value is not None
    assert len(capped.value.resources) == 10
    assert [p.message for p in capped.value.problems] == [
        "the registry has more than 1 pages of 10 nodes; only the first were read"
    ]
    assert registry.seen == [(1, 10), (2, 10), (3, 10), (1, 10), (2, 10), (3, 10), (1, 10)]


def test_paging_stops_past_the_cap_on_nodes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More nodes than a source keeps: paging stops, the first are kept and it says so."""
    from nodes.sources.registry import parse as registry_parse  # noqa: PLC0415

    monkeypatch.setattr(registry_parse, "MAX_NODES", 15)
    registry = Registry(45)
    outcomes: list[RefreshOutcome[SourceResult]] = []

    async def scenario(base: str) -> None:
        outcomes.append(await refresh(tmp_path, base))

    run(registry, scenario)
    [outcome] = outcomes
    assert outcome.value is not None
    assert len(outcome.value.resources) == 15
    assert [p.message for p in outcome.value.problems] == [
        "the registry has more than 15 nodes; only the first 15 are read"
    ]
    assert registry.seen == [(1, 10), (2, 10)]


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("truncated", "was cut off before its end"),
        ("garbage", "nodes page 2 is not valid JSON"),
        ("fail", "/nodes?page=2&limit=10 answered HTTP 500"),
        ("shape", "nodes page 2 is not a Comfy Registry page"),
    ],
)
def test_a_bad_page_fails_the_refresh_and_keeps_the_last_good_copy(
    tmp_path: Path, mode: str, message: str
) -> None:
    registry = Registry(25)
    outcomes: list[RefreshOutcome[SourceResult]] = []

    async def scenario(base: str) -> None:
        outcomes.append(await refresh(tmp_path, base))
        registry.nodes = registry.nodes[:5] + registry.nodes[6:]  # the registry changed ...
        registry.broken[2] = mode  # ... but page 2 is broken
        outcomes.append(await refresh(tmp_path, base))
        assert len(RegistrySource(tmp_path, base).load().resources) == 25

    run(registry, scenario)
    good, bad = outcomes
    assert bad.state == "failed"
    assert bad.value is None
    assert message in bad.message
    assert bad.message.endswith(f"; keeping the copy from {good.fetched_at}")
    assert bad.fetched_at == good.fetched_at


def test_limits_and_the_guard_fail_the_refresh(tmp_path: Path) -> None:
    registry = Registry(25)
    outcomes: list[RefreshOutcome[SourceResult]] = []

    async def scenario(base: str) -> None:
        outcomes.append(await refresh(tmp_path, base, max_bytes=5000))
        outcomes.append(await refresh(tmp_path, base, allow_private=False))
        outcomes.append(await refresh(tmp_path, "ftp://registry.example.org"))

    run(registry, scenario)
    too_big, refused, bad_url = outcomes
    assert "the limit" in too_big.message
    assert too_big.message.endswith("; no copy is held")
    assert refused.message.startswith("refusing to fetch http://127.0.0.1:")
    assert bad_url.message == (
        "the registry address 'ftp://registry.example.org' scheme 'ftp' is not allowed;"
        " use http or https; no copy is held"
    )
    assert {o.state for o in outcomes} == {"failed"}
    assert not (tmp_path / "registry.snapshot.json").exists()


def test_fetch_registry_with_a_given_session() -> None:
    registry = Registry(3)

    async def scenario(base: str) -> None:
        async with guarded_session(Guard(allow_private=True)) as session:
            result, pages = await fetch_registry(base, FAST, session=session, source="reg")
        assert (len(result.resources), pages, result.name) == (3, 1, "reg")

    run(registry, scenario)


def test_damaged_caches_are_reported_not_raised(tmp_path: Path) -> None:
    source = RegistrySource(tmp_path, name="reg")
    source.snapshot_path.write_text("{not json")
    source.meta_path.write_text("[]")
    result = source.load()
    assert result.resources == ()
    assert [p.message for p in result.problems] == [
        "is not a snapshot of https://api.comfy.org; refresh the source"
    ]
    assert source.fetched_at() == ""
    source.snapshot_path.unlink()
    source.snapshot_path.mkdir()  # unreadable
    (problem,) = source.load().problems
    assert problem.message.startswith("cannot be read: ")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"limit": 0}, "limit must be 1-1000"),
        ({"limit": 1001, "delay": -1}, "limit must be 1-1000; delay must not be negative"),
        ({"max_pages": 0}, "max_pages must be at least 1"),
        ({"max_bytes": 0}, "max_bytes must be at least 1"),
        ({"timeout": 0}, "timeout must be positive"),
    ],
)
def test_options_out_of_range_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        RegistryOptions(**options)
