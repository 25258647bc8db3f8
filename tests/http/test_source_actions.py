"""Refreshing sources and checking links for a pack, against real local servers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from nodes.app.actions import (
    LINKS_FILE,
    MAX_LINK_CHECK,
    check_resource_links,
    link_statuses,
    refresh,
)
from nodes.app.pack import Pack
from nodes.core.errors import DomainError, ErrorKind
from nodes.sources.userdata import UserDataError
from tests.helpers.local_links import LocalLinks
from tests.helpers.netservers import serve
from tests.helpers.sample_catalogue import write_manager_folder
from tests.helpers.upstream import MANAGER_IDS, REGISTRY_IDS, Upstream

pytestmark = pytest.mark.http
OUTCOME_KEYS = ["name", "state", "message", "when", "fetched_at"]


@pytest.fixture
def pack(tmp_path: Path, data_dir: Path, custom_nodes: Path) -> Pack:
    """A pack on the sample catalogue, with an empty custom_nodes folder."""
    return Pack(tmp_path / "user", data_dir, custom_nodes=[custom_nodes])


def run(upstream: Upstream, scenario: Callable[[str], Awaitable[None]]) -> None:
    async def main() -> None:
        async with serve(upstream.app()) as base:
            await scenario(base)

    asyncio.run(main())


class TestRefreshLocalFolder:
    """A Manager database read from a folder has nothing to download."""

    def test_the_folder_set(self, pack: Pack, tmp_path: Path) -> None:
        folder = write_manager_folder(tmp_path / "db")
        pack.update_source("manager", {"enabled": True, "folder": str(folder)})
        outcomes = asyncio.run(refresh(pack, "manager"))
        assert outcomes == [
            {
                "name": "manager",
                "state": "not-modified",
                "when": "",
                "fetched_at": "",
                "message": f"manager is read from the local folder {folder}; nothing to download",
            }
        ]

    def test_an_installed_manager(self, pack: Pack, custom_nodes: Path) -> None:
        folder = write_manager_folder(custom_nodes / "ComfyUI-Manager")
        (outcome,) = asyncio.run(refresh(pack, "manager"))
        assert outcome["message"] == (
            f"manager is read from the local folder {folder}; nothing to download"
        )
        assert not pack.cache_dir.exists()


class TestRefreshManager:
    """Without a local folder, the Manager's files come from the URL set."""

    def test_downloads_into_the_cache_the_source_reads(self, pack: Pack) -> None:
        upstream = Upstream()
        rounds: list[list[dict[str, Any]]] = []
        pack.allow_private_links = True

        async def scenario(base: str) -> None:
            pack.update_source("manager", {"enabled": True, "url": base})
            assert pack.catalog().sources[2].resources == 0  # nothing downloaded yet
            rounds.append(await refresh(pack, "manager"))
            rounds.append(await refresh(pack, "manager"))

        run(upstream, scenario)
        first, second = rounds
        assert [list(o) for o in first] == [OUTCOME_KEYS] * 4
        assert [(o["name"], o["state"]) for o in first] == [
            ("manager-custom-node-list", "changed"),
            ("manager-github-stats", "changed"),
            ("manager-model-list", "changed"),
            ("manager-extension-node-map", "changed"),
        ]
        assert [o["state"] for o in second] == ["not-modified"] * 4
        assert (pack.cache_dir / "remote" / "manager-custom-node-list.body").is_file()
        ids = [r.id for r in pack.catalog().resources if r.source == "manager"]
        assert tuple(ids) == MANAGER_IDS

    def test_loopback_is_refused_unless_the_pack_allows_it(self, pack: Pack) -> None:
        upstream = Upstream()
        outcomes: list[dict[str, Any]] = []

        async def scenario(base: str) -> None:
            pack.update_source("manager", {"url": base})
            outcomes.extend(await refresh(pack, "manager"))

        run(upstream, scenario)
        assert [o["state"] for o in outcomes] == ["failed"] * 4
        assert all(o["message"].startswith("refusing to fetch http://127.0.0.1:") for o in outcomes)
        assert upstream.requests == []


class TestRefreshRegistry:
    """The registry is paged from the URL set, into the snapshot the registry source reads."""

    def test_downloads_then_not_modified(self, pack: Pack) -> None:
        upstream = Upstream()
        rounds: list[list[dict[str, Any]]] = []
        pack.allow_private_links = True

        async def scenario(base: str) -> None:
            pack.update_source("registry", {"enabled": True, "url": base})
            rounds.append(await refresh(pack, "registry"))
            rounds.append(await refresh(pack, "registry"))

        run(upstream, scenario)
        (first,), (second,) = rounds
        assert list(first) == OUTCOME_KEYS
        assert (first["name"], first["state"], first["message"]) == (
            "registry",
            "changed",
            "registry was updated: 2 node packs from 1 page(s), 0 problem(s)",
        )
        assert (second["state"], second["fetched_at"]) == ("not-modified", first["fetched_at"])
        assert [p for p, _ in upstream.requests] == ["/nodes", "/nodes"]
        ids = tuple(r.id for r in pack.catalog().resources if r.source == "registry")
        assert ids == REGISTRY_IDS

    def test_a_failure_keeps_the_last_good_copy(self, pack: Pack) -> None:
        upstream = Upstream()
        rounds: list[list[dict[str, Any]]] = []
        pack.allow_private_links = True

        async def scenario(base: str) -> None:
            pack.update_source("registry", {"enabled": True, "url": base})
            rounds.append(await refresh(pack, "registry"))
            upstream.broken["nodes"] = "fail"
            rounds.append(await refresh(pack, "registry"))

        run(upstream, scenario)
        (good,), (bad,) = rounds
        assert bad["state"] == "failed"
        assert bad["message"].endswith(
            f"/nodes?page=1&limit=100 answered HTTP 500; keeping the copy from {good['when']}"
        )
        assert len([r for r in pack.catalog().resources if r.source == "registry"]) == 2

    def test_loopback_is_refused_unless_the_pack_allows_it(self, pack: Pack) -> None:
        upstream = Upstream()
        outcomes: list[dict[str, Any]] = []

        async def scenario(base: str) -> None:
            pack.update_source("registry", {"url": base})
            outcomes.extend(await refresh(pack, "registry"))

        run(upstream, scenario)
        ((state, message),) = [(o["state"], o["message"]) for o in outcomes]
        assert state == "failed"
        assert message.startswith("refusing to fetch http://127.0.0.1:")
        assert message.endswith("; no copy is held")
        assert upstream.requests == []


def link_pack(tmp_path: Path, data_dir: Path, base: str) -> Pack:
    """A pack whose catalogue also holds links to the local server: alive, dead and moved.

    No user entry or curated file can hold such links (the validation rules refuse
    every non-public link), so they come from a test source that skips the rules.
    """
    return Pack(tmp_path / "user", data_dir, extra_sources=[LocalLinks(base)])


class TestCheckResourceLinks:
    """Links of catalogue resources are checked by id and the results kept in the cache."""

    def test_results_by_id_and_kept_by_url(
        self, tmp_path: Path, data_dir: Path, upstream: Upstream, base: str
    ) -> None:
        pack = link_pack(tmp_path, data_dir, base)
        pack.allow_private_links = True
        found = asyncio.run(check_resource_links(pack, ["moved", "alive", "gone", "alive"]))
        assert list(found) == ["moved", "alive", "gone"]
        assert [
            (s["url"], s["state"], s["status"], s["final_url"], s["message"])
            for s in found.values()
        ] == [
            (f"{base}/links/moved", "redirected", 200, f"{base}/links/200", "redirected 1 time(s)"),
            (f"{base}/links/200", "alive", 200, f"{base}/links/200", ""),
            (f"{base}/links/404", "dead", 404, f"{base}/links/404", "HTTP 404"),
        ]
        assert link_statuses(pack) == {status["url"]: status for status in found.values()}
        assert (pack.cache_dir / LINKS_FILE).is_file()

    def test_later_checks_add_to_the_cache(self, tmp_path: Path, data_dir: Path, base: str) -> None:
        pack = link_pack(tmp_path, data_dir, base)
        pack.allow_private_links = True
        asyncio.run(check_resource_links(pack, ["alive"]))
        asyncio.run(check_resource_links(pack, ["gone"]))
        assert sorted(s["state"] for s in link_statuses(pack).values()) == ["alive", "dead"]

    def test_unknown_ids_fail_before_anything_is_fetched(
        self, tmp_path: Path, data_dir: Path, upstream: Upstream, base: str
    ) -> None:
        pack = link_pack(tmp_path, data_dir, base)
        pack.allow_private_links = True
        with pytest.raises(DomainError) as caught:
            asyncio.run(check_resource_links(pack, ["alive", "no-such-id", "other-missing"]))
        assert (caught.value.kind, caught.value.message, caught.value.param) == (
            ErrorKind.INVALID,
            "no resource with id 'no-such-id'",
            "ids",
        )
        assert upstream.requests == []
        assert link_statuses(pack) == {}

    def test_a_loopback_link_is_still_blocked_by_default(
        self, tmp_path: Path, data_dir: Path, upstream: Upstream, base: str
    ) -> None:
        """Defence in depth: should one reach the catalogue, the check still blocks it."""
        pack = link_pack(tmp_path, data_dir, base)
        status = asyncio.run(check_resource_links(pack, ["alive"]))["alive"]
        assert (status["state"], status["status"]) == ("blocked", None)
        assert status["message"].startswith("refusing to fetch http://127.0.0.1:")
        assert upstream.requests == []

    def test_a_loopback_link_cannot_be_added(self, pack: Pack, base: str) -> None:
        with pytest.raises(UserDataError):
            pack.user.add(
                {"name": "Mine", "url": f"{base}/links/200", "kind": "tool"}, pack.catalog()
            )
        assert pack.user.load().resources == ()


class TestLinkStatuses:
    """link_statuses reads the cache file; no file means no results."""

    def test_no_cache(self, pack: Pack) -> None:
        assert link_statuses(pack) == {}

    def test_reads_what_the_cache_holds(self, pack: Pack) -> None:
        stored = {
            "state": "dead",
            "status": 410,
            "final_url": "https://example.org/x",
            "checked_at": "2025-01-01T00:00:00+00:00",
            "message": "HTTP 410",
        }
        pack.cache_dir.mkdir(parents=True)
        (pack.cache_dir / LINKS_FILE).write_text(
            json.dumps({"schema": 1, "links": {"https://example.org/x": stored}})
        )
        assert link_statuses(pack) == {
            "https://example.org/x": {"url": "https://example.org/x", **stored}
        }


def test_limits() -> None:
    assert (MAX_LINK_CHECK, LINKS_FILE) == (1000, "links.json")
