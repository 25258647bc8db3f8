"""The search route's HTTP economies, over a real server: 304 without a search, gzip answers."""

from __future__ import annotations

from collections.abc import Sequence

from nodes.app.pack import Pack
from nodes.core.model import Resource
from nodes.core.query import Query, SearchIndex, SearchResult
from nodes.server.responses import COMPRESS_MIN_BYTES
from tests.helpers.live import LiveServer

JSON = {"Content-Type": "application/json"}


class CountingIndex(SearchIndex):
    """A real index that counts the searches run on it."""

    def __init__(self, resources: Sequence[Resource]) -> None:
        super().__init__(resources)
        self.searches = 0

    def search(self, query: Query) -> SearchResult:
        self.searches += 1
        return super().search(query)


def counting(pack: Pack) -> CountingIndex:
    """Give the pack's current catalogue a counting index (the one its searches use)."""
    catalog = pack.catalog()
    index = CountingIndex(catalog.resources)
    catalog.__dict__["index"] = index  # where the cached property keeps its value
    return index


class TestConditionalSearch:
    def test_a_matching_etag_answers_304_without_searching(
        self, api: LiveServer, pack: Pack
    ) -> None:
        index = counting(pack)
        first = api.get("/resources", params={"q": "video"})
        assert (first.status, index.searches) == (200, 1)
        again = api.get(
            "/resources", params={"q": "video"}, headers={"If-None-Match": first.headers["ETag"]}
        )
        assert (again.status, again.body, index.searches) == (304, b"", 1)

    def test_the_etag_is_of_the_query_not_its_spelling(self, api: LiveServer, pack: Pack) -> None:
        index = counting(pack)
        etag = api.get("/resources", params=[("q", "video"), ("limit", "50")]).headers["ETag"]
        same = api.get(
            "/resources",
            params=[("limit", "050"), ("facets", "1"), ("q", "video")],
            headers={"If-None-Match": etag},
        )
        assert (same.status, index.searches) == (304, 1)

    def test_favourites_only_is_another_answer(self, api: LiveServer, pack: Pack) -> None:
        index = counting(pack)
        etag = api.get("/resources").headers["ETag"]
        only = api.get("/resources", params={"favorites": "1"}, headers={"If-None-Match": etag})
        assert (only.status, only.json()["total"], index.searches) == (200, 0, 2)

    def test_a_stale_etag_searches_again(self, api: LiveServer, pack: Pack) -> None:
        index = counting(pack)
        etag = api.get("/resources").headers["ETag"]
        api.put("/user/favorites/wan-model", headers=JSON)
        again = api.get("/resources", headers={"If-None-Match": etag})
        assert (again.status, index.searches) == (200, 2)
        assert again.headers["ETag"] != etag


class TestCompression:
    def test_a_large_answer_is_gzipped_when_the_client_accepts_it(self, api: LiveServer) -> None:
        plain = api.get("/resources", headers={"Accept-Encoding": "identity"})
        assert len(plain.body) >= COMPRESS_MIN_BYTES
        assert "Content-Encoding" not in plain.headers
        zipped = api.get("/resources", headers={"Accept-Encoding": "gzip, deflate"})
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert zipped.json() == plain.json()  # the client decompressed it

    def test_a_small_answer_is_sent_as_it_is(self, api: LiveServer) -> None:
        reply = api.get(
            "/resources", params={"q": "no-such-word-anywhere"}, headers={"Accept-Encoding": "gzip"}
        )
        assert reply.status == 200
        assert "Content-Encoding" not in reply.headers
