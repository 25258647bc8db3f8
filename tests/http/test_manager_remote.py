"""ComfyUI-Manager's database from a URL: parsing, refreshing from a local server, the last copy.

The server (:mod:`tests.helpers.upstream`) serves four small hand-made files with ETags; tests
switch it to answer 500 or garbage, or leave the optional node map out (404). The real
database in ``shared/data`` is read in place and served from memory, never copied into the
repository.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from nodes.core.model import SourceResult
from nodes.net.cache import RefreshOutcome, RemoteCache
from nodes.sources import manager_remote
from nodes.sources.manager_db import MODEL_LIST, NODE_LIST, NODE_MAP, STATS, load_manager_db
from nodes.sources.manager_remote import (
    RemoteManagerSource,
    parse_manager_blobs,
    refresh_manager,
)
from tests.helpers.netservers import serve
from tests.helpers.upstream import MANAGER_DOCS, MANAGER_IDS, MANAGER_PROBLEM, Upstream, etag_of

pytestmark = pytest.mark.http

NOT_DOWNLOADED = "custom-node-list.json: file: not downloaded yet; refresh the manager source"
# The upstream files in the order a refresh asks for them, and the name each is kept under.
FILES = (
    ("custom-node-list.json", "manager-custom-node-list"),
    ("github-stats.json", "manager-github-stats"),
    ("model-list.json", "manager-model-list"),
    ("extension-node-map.json", "manager-extension-node-map"),
)
Outcomes = list[RefreshOutcome[int]]


def blobs(**changes: bytes | None) -> dict[str, bytes | None]:
    """The fixture files as bytes; keyword names (node_list, stats, models, node_map) replace
    one."""
    files: dict[str, bytes | None] = {
        name: json.dumps(doc).encode() for name, doc in MANAGER_DOCS.items()
    }
    names = {"node_list": NODE_LIST, "stats": STATS, "models": MODEL_LIST, "node_map": NODE_MAP}
    for key, value in changes.items():
        files[names[key]] = value
    return files


def messages(result: SourceResult) -> list[str]:
    return [str(p) for p in result.problems]


def run(upstream: Upstream, scenario: Callable[[str], Awaitable[None]]) -> None:
    """Run ``scenario(base_url)`` against a fresh local server for ``upstream``."""

    async def main() -> None:
        async with serve(upstream.app()) as base:
            await scenario(base)

    asyncio.run(main())


def refresh(cache: Path, base: str) -> Awaitable[Outcomes]:
    return refresh_manager(cache, base, allow_private=True)


class TestParseManagerBlobs:
    """The files' bytes load as one source, with the rules of a local Manager folder."""

    def test_all_four_files(self) -> None:
        result = parse_manager_blobs(blobs())
        assert result.name == "manager"
        assert tuple(r.id for r in result.resources) == MANAGER_IDS
        assert messages(result) == [MANAGER_PROBLEM]
        alpha, beta, gamma = result.resources
        assert (alpha.stars, alpha.updated, alpha.tags, alpha.install_url) == (
            42,
            "2025-02-03",
            ("video",),
            "https://github.com/alice/ComfyUI-Alpha",
        )
        assert (alpha.node_types, alpha.install_type) == (("AlphaLoader", "AlphaSave"), "git-clone")
        assert (beta.stars, beta.updated, beta.node_types) == (7, "", ())
        assert (gamma.kind, gamma.category, gamma.tags) == ("model", "model-files", ("vae", "sdxl"))
        assert gamma.description == "A small VAE. Goes in models/vae."

    def test_the_source_name_is_given_to_every_resource(self) -> None:
        result = parse_manager_blobs(blobs(), source="manager-mirror")
        assert result.name == "manager-mirror"
        assert {r.source for r in result.resources} == {"manager-mirror"}

    @pytest.mark.parametrize(
        ("files", "ids"),
        [
            pytest.param(blobs(node_list=None), [MANAGER_IDS[2]], id="no-node-list"),
            pytest.param({}, [], id="nothing"),
        ],
    )
    def test_without_the_node_list_only_models_load_and_it_is_reported(
        self, files: dict[str, bytes | None], ids: list[str]
    ) -> None:
        result = parse_manager_blobs(files)
        assert [r.id for r in result.resources] == ids
        assert messages(result) == [NOT_DOWNLOADED]

    def test_stats_models_and_node_map_are_optional(self) -> None:
        result = parse_manager_blobs({NODE_LIST: blobs()[NODE_LIST]})
        assert [r.id for r in result.resources] == list(MANAGER_IDS[:2])
        assert [(r.stars, r.node_types) for r in result.resources] == [(None, ())] * 2
        assert messages(result) == [MANAGER_PROBLEM]

    @pytest.mark.parametrize(
        ("changes", "problem"),
        [
            ({"stats": b"{"}, "github-stats.json: file: is not valid JSON: Expecting property"),
            ({"stats": b"[]"}, "github-stats.json: file: must hold a JSON object keyed by"),
            ({"models": b"garbage"}, "model-list.json: file: is not valid JSON: Expecting value"),
            ({"models": b"{}"}, "model-list.json: models: the file must hold a 'models' list"),
            ({"node_map": b"["}, "extension-node-map.json: file: is not valid JSON: Expecting"),
            ({"node_map": b"[]"}, "extension-node-map.json: file: must hold a JSON object keyed"),
        ],
    )
    def test_a_bad_optional_file_is_reported_and_the_rest_loads(
        self, changes: dict[str, bytes], problem: str
    ) -> None:
        result = parse_manager_blobs(blobs(**changes))
        assert [r.id for r in result.resources][:2] == list(MANAGER_IDS[:2])
        (found,) = [m for m in messages(result) if m != MANAGER_PROBLEM]
        assert found.startswith(problem)

    @pytest.mark.parametrize(
        ("body", "problem"),
        [
            (b"<html>", "custom-node-list.json: file: is not valid JSON: Expecting value: line 1"),
            (b"[" * 100_000, "custom-node-list.json: file: is not valid JSON: maximum recursion"),
            (
                b'{"custom_nodes": {}}',
                "custom-node-list.json: custom_nodes: the file must hold a 'custom_nodes' list",
            ),
        ],
    )
    def test_a_bad_node_list_is_reported_and_the_models_still_load(
        self, body: bytes, problem: str
    ) -> None:
        result = parse_manager_blobs(blobs(node_list=body))
        assert [r.id for r in result.resources] == [MANAGER_IDS[2]]
        (found,) = messages(result)
        assert found.startswith(problem)

    def test_duplicates_keep_the_first_and_are_reported_as_skipped(self) -> None:
        doc = {
            "custom_nodes": [
                {"reference": "https://github.com/a/b", "title": "First"},
                {"reference": "https://github.com/A/B", "title": "Second"},
            ]
        }
        result = parse_manager_blobs({NODE_LIST: json.dumps(doc).encode()})
        assert [r.name for r in result.resources] == ["First"]
        assert messages(result) == [
            "custom-node-list.json: custom_nodes[1].id: 'a.b' is already used by the entry at "
            "custom-node-list.json; skipped",
            "custom-node-list.json: custom_nodes[1].url: 'https://github.com/a/b' is already used"
            " by the entry at custom-node-list.json; skipped",
        ]

    def test_the_real_database_loads_as_from_a_folder(self, manager_dir: Path) -> None:
        files = {name: (manager_dir / name).read_bytes() for name, _ in FILES}
        from_bytes = parse_manager_blobs(files)
        from_folder = load_manager_db(manager_dir)
        assert len(from_bytes.resources) > 5000
        assert from_bytes.resources == from_folder.resources
        assert len(from_bytes.problems) == len(from_folder.problems)


class TestRemoteManagerSource:
    """The source reads only the last good copy in the cache; it never fetches."""

    def test_never_refreshed(self, tmp_path: Path) -> None:
        source = RemoteManagerSource(tmp_path / "remote")
        assert source.name == "manager"
        result = source.load()
        assert (result.name, result.resources) == ("manager", ())
        assert messages(result) == [NOT_DOWNLOADED]
        assert source.fingerprint() == RemoteManagerSource(tmp_path / "remote").fingerprint()
        assert not (tmp_path / "remote").exists()

    def test_each_file_is_kept_apart(self, tmp_path: Path) -> None:
        cache = RemoteCache(tmp_path)
        assert len({cache.paths(name)[0] for _, name in FILES}) == 4

    def test_a_damaged_copy_counts_as_missing(self, tmp_path: Path) -> None:
        upstream = Upstream()

        async def scenario(base: str) -> None:
            await refresh(tmp_path, base)

        run(upstream, scenario)
        source = RemoteManagerSource(tmp_path)
        before = source.fingerprint()
        body, _ = source.cache.paths(dict(FILES)[MODEL_LIST])
        body.write_bytes(b'{"models": []}')  # no longer matches its checksum
        assert source.fingerprint() != before
        result = source.load()
        assert [r.id for r in result.resources] == list(MANAGER_IDS[:2])
        assert messages(result) == [MANAGER_PROBLEM]


class TestRefreshManager:
    """A refresh fetches the files conditionally and swaps in only valid ones."""

    def test_first_refresh_downloads_all_four(self, tmp_path: Path) -> None:
        upstream = Upstream()
        outcomes: Outcomes = []

        async def scenario(base: str) -> None:
            outcomes.extend(await refresh(tmp_path, base + "/"))  # a trailing slash is fine

        run(upstream, scenario)
        assert [(o.name, o.state, o.message) for o in outcomes] == [
            (name, "changed", f"{name} was updated ({len(upstream.files[file])} bytes)")
            for file, name in FILES
        ]
        assert [o.value for o in outcomes] == [3, 2, 1, 1]  # entries each file holds
        assert all(o.ok and o.fetched_at == o.when for o in outcomes)
        assert upstream.requests == [(f"/{file}", "") for file, _ in FILES]
        result = RemoteManagerSource(tmp_path).load()
        assert tuple(r.id for r in result.resources) == MANAGER_IDS
        assert messages(result) == [MANAGER_PROBLEM]

    def test_etags_make_the_second_refresh_not_modified(self, tmp_path: Path) -> None:
        upstream = Upstream()
        rounds: list[Outcomes] = []

        async def scenario(base: str) -> None:
            rounds.append(await refresh(tmp_path, base))
            rounds.append(await refresh(tmp_path, base))

        run(upstream, scenario)
        first, second = rounds
        assert [o.state for o in second] == ["not-modified"] * 4
        assert [o.message for o in second] == [f"{name} is up to date" for _, name in FILES]
        assert [o.fetched_at for o in second] == [o.fetched_at for o in first]
        assert upstream.requests[4:] == [
            (f"/{file}", etag_of(upstream.files[file])) for file, _ in FILES
        ]
        assert tuple(r.id for r in RemoteManagerSource(tmp_path).load().resources) == MANAGER_IDS

    def test_only_the_changed_file_is_replaced(self, tmp_path: Path) -> None:
        upstream = Upstream()
        rounds: list[Outcomes] = []

        async def scenario(base: str) -> None:
            rounds.append(await refresh(tmp_path, base))
            doc: dict[str, Any] = json.loads(upstream.files[NODE_LIST])
            del doc["custom_nodes"][1]
            upstream.files[NODE_LIST] = json.dumps(doc).encode()
            rounds.append(await refresh(tmp_path, base))

        source = RemoteManagerSource(tmp_path)
        run(upstream, scenario)
        assert [o.state for o in rounds[1]] == ["changed", *["not-modified"] * 3]
        assert rounds[1][0].value == 2
        assert [r.id for r in source.load().resources] == [MANAGER_IDS[0], MANAGER_IDS[2]]

    @pytest.mark.parametrize(
        ("mode", "reason"),
        [
            ("fail", "{base}/github-stats.json answered HTTP 500"),
            (
                "garbage",
                "the new copy from {base}/github-stats.json is not valid: "
                "Expecting value: line 1 column 1 (char 0)",
            ),
        ],
    )
    def test_a_failed_file_keeps_its_last_good_copy(
        self, tmp_path: Path, mode: str, reason: str
    ) -> None:
        upstream = Upstream()
        rounds: list[Outcomes] = []
        bases: list[str] = []

        async def scenario(base: str) -> None:
            bases.append(base)
            rounds.append(await refresh(tmp_path, base))
            before = RemoteManagerSource(tmp_path).fingerprint()
            upstream.files[STATS] = b"{}"  # the stats changed, but the answer is broken
            upstream.broken[STATS] = mode
            rounds.append(await refresh(tmp_path, base))
            assert RemoteManagerSource(tmp_path).fingerprint() == before

        run(upstream, scenario)
        first, second = rounds
        assert [o.state for o in second] == ["not-modified", "failed", *["not-modified"] * 2]
        failed = second[1]
        held = first[1].fetched_at
        assert failed.message == f"{reason.format(base=bases[0])}; keeping the copy from {held}"
        assert (failed.fetched_at, failed.ok, failed.value) == (held, False, None)
        alpha = RemoteManagerSource(tmp_path).load().resources[0]
        assert alpha.stars == 42  # still the stats of the last good copy

    @pytest.mark.parametrize(
        ("file", "body", "reason"),
        [
            (NODE_LIST, b'{"custom_nodes": {}}', "custom-node-list.json must be a JSON object"),
            (NODE_LIST, b"[]", "custom-node-list.json must be a JSON object with a 'custom_nodes'"),
            (NODE_LIST, b"[" * 100_000, "maximum recursion depth exceeded"),
            (STATS, b"[]", "github-stats.json must be a JSON object keyed by URL"),
            (MODEL_LIST, b'{"models": null}', "model-list.json must be a JSON object with a"),
        ],
    )
    def test_a_file_of_the_wrong_shape_is_refused(
        self, tmp_path: Path, file: str, body: bytes, reason: str
    ) -> None:
        upstream = Upstream()
        upstream.files[file] = body
        outcomes: Outcomes = []

        async def scenario(base: str) -> None:
            outcomes.extend(await refresh(tmp_path, base))

        run(upstream, scenario)
        kept_as = dict(FILES)[file]
        assert [(o.name, o.state) for o in outcomes] == [
            (name, "failed" if name == kept_as else "changed") for _, name in FILES
        ]
        (failed,) = [o for o in outcomes if not o.ok]
        assert reason in failed.message
        assert failed.message.endswith("; no copy is held")
        assert RemoteCache(tmp_path).read(kept_as) is None

    def test_loopback_is_refused_unless_allowed(self, tmp_path: Path) -> None:
        upstream = Upstream()
        outcomes: Outcomes = []

        async def scenario(base: str) -> None:
            outcomes.extend(await refresh_manager(tmp_path, base))

        run(upstream, scenario)
        assert [o.state for o in outcomes] == ["failed"] * 4
        assert all(o.message.startswith("refusing to fetch http://127.0.0.1:") for o in outcomes)
        assert all(o.message.endswith("; no copy is held") for o in outcomes)
        assert upstream.requests == []
        assert list(tmp_path.iterdir()) == []  # nothing written

    def test_a_file_over_the_size_limit_is_refused(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(manager_remote, "MAX_MANAGER_BYTES", 300)
        upstream = Upstream()
        outcomes: Outcomes = []

        async def scenario(base: str) -> None:
            outcomes.extend(await refresh(tmp_path, base))

        run(upstream, scenario)
        size = len(upstream.files[NODE_LIST])
        assert size > 300
        assert [o.state for o in outcomes] == ["failed", "changed", "changed", "changed"]
        assert f"is {size} bytes long; the limit is 300 bytes" in outcomes[0].message

    def test_the_real_database_through_a_local_server(
        self, tmp_path: Path, manager_dir: Path
    ) -> None:
        """The real files (read in place) refresh and load like the folder they came from."""
        upstream = Upstream()
        upstream.files = {file: (manager_dir / file).read_bytes() for file, _ in FILES}
        outcomes: Outcomes = []

        async def scenario(base: str) -> None:
            outcomes.extend(await refresh(tmp_path, base))

        run(upstream, scenario)
        assert [o.state for o in outcomes] == ["changed"] * 4
        loaded = RemoteManagerSource(tmp_path).load()
        assert loaded.resources == load_manager_db(manager_dir).resources


def test_an_app_without_the_files_fails_each_refresh(tmp_path: Path) -> None:
    """A base URL that is not a Manager folder (404 for every file) fails the three lists;
    the missing node map alone is no failure."""
    outcomes: Outcomes = []

    async def main() -> None:
        async with serve(web.Application()) as base:
            outcomes.extend(await refresh(tmp_path, base))

    asyncio.run(main())
    assert [o.state for o in outcomes] == ["failed", "failed", "failed", "not-modified"]
    assert outcomes[0].message.endswith("/custom-node-list.json answered HTTP 404; no copy is held")


class TestTheNodeMapIsOptional:
    """A mirror without extension-node-map.json (HTTP 404) has not failed; packs load."""

    def test_a_mirror_without_it(self, tmp_path: Path) -> None:
        upstream = Upstream()
        del upstream.files[NODE_MAP]
        outcomes: Outcomes = []
        bases: list[str] = []

        async def scenario(base: str) -> None:
            bases.append(base)
            outcomes.extend(await refresh(tmp_path, base))

        run(upstream, scenario)
        assert [o.ok for o in outcomes] == [True] * 4
        last = outcomes[3]
        assert (last.name, last.state, last.fetched_at) == (FILES[3][1], "not-modified", "")
        assert last.message == (
            f"{bases[0]}/extension-node-map.json is not there (HTTP 404);"
            " packs load without node classes"
        )
        result = RemoteManagerSource(tmp_path).load()
        assert tuple(r.id for r in result.resources) == MANAGER_IDS
        assert result.resources[0].node_types == ()

    def test_one_that_is_gone_keeps_the_copy(self, tmp_path: Path) -> None:
        upstream = Upstream()
        rounds: list[Outcomes] = []

        async def scenario(base: str) -> None:
            rounds.append(await refresh(tmp_path, base))
            del upstream.files[NODE_MAP]
            rounds.append(await refresh(tmp_path, base))

        run(upstream, scenario)
        first, second = rounds
        held = first[3].fetched_at
        assert (second[3].state, second[3].fetched_at) == ("not-modified", held)
        assert second[3].message.endswith(f"(HTTP 404); keeping the copy from {held}")
        alpha = RemoteManagerSource(tmp_path).load().resources[0]
        assert alpha.node_types == ("AlphaLoader", "AlphaSave")

    @pytest.mark.parametrize("mode", ["fail", "garbage"])
    def test_any_other_failure_is_one(self, tmp_path: Path, mode: str) -> None:
        upstream = Upstream()
        upstream.broken[NODE_MAP] = mode
        outcomes: Outcomes = []

        async def scenario(base: str) -> None:
            outcomes.extend(await refresh(tmp_path, base))

        run(upstream, scenario)
        assert [o.state for o in outcomes] == ["changed", "changed", "changed", "failed"]


class TestWhatTheRemoteCopyIs:
    """The status page names the downloaded node list; the node patterns come from its map."""

    def test_before_and_after_a_download(self, tmp_path: Path) -> None:
        source = RemoteManagerSource(tmp_path)
        assert (source.origin, source.database_file(), source.node_patterns()) == (
            "remote",
            None,
            {},
        )

        async def scenario(base: str) -> None:
            await refresh(tmp_path, base)

        run(Upstream(), scenario)
        assert source.database_file() == tmp_path / "manager-custom-node-list.body"
        assert source.node_patterns() == {"https://github.com/alice/comfyui-alpha": "^Alpha"}
