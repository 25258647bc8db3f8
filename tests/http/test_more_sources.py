"""An empty answer's next steps over the real server: what the text finds without the filters,
and what switching on each optional source that is off would add, counted from the files a
refresh or an earlier load left (real downloads from a local stand-in, real snapshots)."""

from __future__ import annotations

import asyncio
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nodes.app import suggest
from nodes.app.actions import refresh
from nodes.app.pack import Pack
from tests.helpers.live import LiveServer, Reply, comfy_app
from tests.helpers.sample_catalogue import write_manager_folder

pytestmark = pytest.mark.http

# The sample catalogue finds these for "video"; none of them is a tool.
VIDEO_TOTAL = 3


def offer(source: str, **fields: Any) -> dict[str, Any]:
    base = {"ready": True, "download": False, "adds": None, "exact": False, "matches": None}
    return {"source": source, **base, **fields}


NOT_DOWNLOADED = {"ready": False, "download": True}


@pytest.fixture(autouse=True)
def _forget() -> Iterator[None]:
    """Each test starts with nothing read or indexed (the module keeps it per process)."""
    suggest.forget()
    yield
    suggest.forget()


@pytest.fixture
def pack(tmp_path: Path, data_dir: Path, custom_nodes: Path) -> Pack:
    made = Pack(tmp_path / "user", data_dir, custom_nodes=[custom_nodes])
    made.allow_private_links = True  # refreshes reach the local stand-in only
    return made


@pytest.fixture
def api(pack: Pack) -> Iterator[LiveServer]:
    with LiveServer(comfy_app(lambda: pack)) as server:
        yield server


def search(api: LiveServer, query: str) -> Reply:
    reply = api.get(f"/resources?{query}")
    assert reply.status == 200
    return reply


def offers_after_prepare(api: LiveServer, query: str) -> list[dict[str, Any]]:
    """The offers once the background index (started by the first empty answer) is built."""
    deadline = time.monotonic() + 30
    while True:
        offers: list[dict[str, Any]] = search(api, query).json()["more_sources"]
        if (
            all(o["matches"] is not None for o in offers if o["exact"])
            or time.monotonic() > deadline
        ):
            return offers
        time.sleep(0.05)


class TestWithoutFilters:
    def test_an_empty_filtered_answer_counts_the_text_alone(self, api: LiveServer) -> None:
        body = search(api, "q=video&kind=tool").json()
        assert (body["total"], body["unfiltered_total"]) == (0, VIDEO_TOTAL)
        assert search(api, "q=video").json()["total"] == VIDEO_TOTAL
        assert search(api, "q=zzzz&category=video").json()["unfiltered_total"] == 0
        assert search(api, "category=empty").json()["unfiltered_total"] == 5

    def test_favourites_only_is_a_filter_too(self, api: LiveServer) -> None:
        body = search(api, "q=video&favorites=1").json()
        assert (body["total"], body["unfiltered_total"]) == (0, VIDEO_TOTAL)

    def test_only_empty_filtered_answers_carry_it(self, api: LiveServer) -> None:
        assert "unfiltered_total" not in search(api, "q=video&kind=model").json()
        assert "unfiltered_total" not in search(api, "q=zzzz").json()

    def test_sortable_counts_the_matches(self, api: LiveServer) -> None:
        body = search(api, "q=video").json()
        assert body["sortable"] == {"stars": 2, "updated": 3, "downloads": 0}
        assert search(api, "offset=50&facets=0").json()["sortable"] == {}


class TestNothingOnDisk:
    def test_both_sources_offered_with_a_download(self, api: LiveServer) -> None:
        reply = search(api, "q=zzzz")
        assert reply.json()["more_sources"] == [
            offer("manager", **NOT_DOWNLOADED),
            offer("registry", **NOT_DOWNLOADED),
        ]
        # Counted from files that change under the same catalogue: never kept by a cache.
        assert reply.headers["Cache-Control"] == "no-store"
        assert "ETag" not in reply.headers

    def test_a_source_switched_on_is_not_offered_and_answers_keep_their_etag(
        self, api: LiveServer, pack: Pack
    ) -> None:
        pack.update_source("registry", {"enabled": True})
        assert [o["source"] for o in search(api, "q=zzzz").json()["more_sources"]] == ["manager"]
        pack.update_source("manager", {"enabled": True})
        reply = search(api, "q=zzzz")
        assert "more_sources" not in reply.json()
        assert reply.headers["ETag"].startswith('W/"')
        again = api.get("/resources?q=zzzz", headers={"If-None-Match": reply.headers["ETag"]})
        assert again.status == 304

    def test_switching_a_source_off_again_changes_the_etag(
        self, api: LiveServer, pack: Pack
    ) -> None:
        pack.update_source("registry", {"enabled": True})
        pack.update_source("manager", {"enabled": True})
        etag = search(api, "q=zzzz").headers["ETag"]
        pack.update_source("registry", {"enabled": False})  # it held nothing: same catalogue
        reply = api.get("/resources?q=zzzz", headers={"If-None-Match": etag})
        assert reply.status == 200
        assert [o["source"] for o in reply.json()["more_sources"]] == ["registry"]

    def test_a_folder_that_holds_nothing_is_not_offered(
        self, api: LiveServer, pack: Pack, tmp_path: Path
    ) -> None:
        pack.update_source("manager", {"folder": str(tmp_path)})
        assert [o["source"] for o in search(api, "q=zzzz").json()["more_sources"]] == ["registry"]


class TestFromWhatIsOnDisk:
    def test_the_registry_refreshed_while_off(self, api: LiveServer, pack: Pack, base: str) -> None:
        pack.update_source("registry", {"url": base})
        asyncio.run(refresh(pack, "registry"))
        found = search(api, "q=registry").json()
        assert found["total"] == 0
        assert found["more_sources"][1] == offer("registry", adds=2, exact=True)
        assert offers_after_prepare(api, "q=registry")[1] == offer(
            "registry", adds=2, exact=True, matches=2
        )
        assert offers_after_prepare(api, "q=pack+1")[1]["matches"] == 1
        assert offers_after_prepare(api, "q=zzzz")[1]["matches"] == 0
        assert offers_after_prepare(api, "q=registry&kind=model")[1]["matches"] == 0
        marked = search(api, "q=registry&favorites=1").json()["more_sources"][1]
        assert marked == offer("registry", adds=2, exact=True), "not counted: favourites only"
        pack.update_source("registry", {"enabled": True})
        assert search(api, "q=registry").json()["total"] == 2

    def test_a_manager_folder_counted_from_its_files_then_from_its_snapshot(
        self, api: LiveServer, pack: Pack, tmp_path: Path
    ) -> None:
        folder = write_manager_folder(tmp_path / "db")
        pack.update_source("manager", {"folder": str(folder)})
        # Never loaded: the entries its lists hold (one is invalid), an upper bound.
        assert search(api, "q=alpha").json()["more_sources"][0] == offer("manager", adds=4)
        pack.update_source("manager", {"enabled": True})
        assert search(api, "q=alpha").json()["total"] == 1  # loaded: a snapshot is kept
        pack.update_source("manager", {"enabled": False})
        assert search(api, "q=alpha").json()["more_sources"][0] == offer(
            "manager", adds=3, exact=True
        )
        assert offers_after_prepare(api, "q=alpha")[0] == offer(
            "manager", adds=3, exact=True, matches=1
        )

    def test_the_manager_database_downloaded_while_off(
        self, api: LiveServer, pack: Pack, base: str
    ) -> None:
        pack.update_source("manager", {"url": base})
        asyncio.run(refresh(pack, "manager"))
        offers = search(api, "q=" + urllib.parse.quote("视频zzzz")).json()["more_sources"]
        assert offers[0] == offer("manager", adds=4)
