"""Every route of ``/awesome/v1`` through a real aiohttp server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import sys
import types
import urllib.parse
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.base_protocol import BaseProtocol
from aiohttp.streams import StreamReader
from aiohttp.test_utils import make_mocked_request

from nodes.app.pack import Pack
from nodes.comfy.register import register_with_comfyui
from nodes.core.catalog import FunctionSource
from nodes.core.errors import ErrorKind
from nodes.core.model import KINDS, SourceResult
from nodes.server.handlers import add_routes
from nodes.server.openapi import openapi_document
from nodes.server.responses import MAX_BODY_BYTES, STATUS_OF_KIND, RequestError, read_json
from nodes.server.table import PREFIX, ROUTE_TABLE
from nodes.sources import userdata
from tests.helpers.live import Call, LiveServer, comfy_app
from tests.helpers.sample_catalogue import (
    ALL_IDS,
    BROKEN_PROBLEM,
    BY_NAME,
    BY_STARS,
    BY_UPDATED,
    NO_DATABASE_FACTS,
    VIDEO_HELPER,
    write_catalogue,
)

pytestmark = pytest.mark.http

MY_TOOL = {"name": "My Tool", "url": "https://github.com/Example/My-Tool", "kind": "tool"}
MY_TOOL_STORED: dict[str, Any] = {
    "id": "example.my-tool",
    "name": "My Tool",
    "url": "https://github.com/Example/My-Tool",
    "category": "mine",
    "kind": "tool",
    "description": "",
    "tags": [],
    "author": "",
    "license": "",
    "install_url": "",
    "stars": None,
    "updated": "",
    "source": "user",
    **NO_DATABASE_FACTS,
}
JSON = {"Content-Type": "application/json"}
TOO_LARGE = f"the body is larger than {MAX_BODY_BYTES} bytes"


def ids(reply_body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in reply_body["items"]]


def error(
    status: int,
    message: str,
    param: str | None = None,
    problems: list[dict[str, Any]] | None = None,
    existing: dict[str, str] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status, "message": message}
    if param is not None:
        body["param"] = param
    if problems is not None:
        body["problems"] = problems
    if existing is not None:
        body["existing"] = existing
    return {"error": body}


def problem(field: str, message: str) -> dict[str, Any]:
    return {"file": "request", "line": None, "field": field, "message": message}


async def pieces(data: bytes, size: int = 1024) -> AsyncIterator[bytes]:
    """A body sent with chunked encoding, so without a Content-Length."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


class TestSearch:
    """GET /resources filters, sorts and pages with the one query engine."""

    def test_chinese_words_find_what_their_english_finds(self, api: LiveServer) -> None:
        chinese = api.get("/resources?q=" + urllib.parse.quote("视频"))
        english = api.get("/resources?q=video")
        assert chinese.status == english.status == 200
        assert ids(chinese.json()) == ids(english.json()) != []

    def test_plain_search_has_the_documented_shape(self, api: LiveServer) -> None:
        reply = api.get("/resources")
        assert reply.status == 200
        assert reply.headers["Content-Type"] == "application/json; charset=utf-8"
        assert reply.headers["Cache-Control"] == "no-cache"
        assert reply.headers["ETag"].startswith('W/"')
        body = reply.json()
        assert list(body) == ["total", "offset", "limit", "items", "facets", "sortable"]
        assert (body["total"], body["offset"], body["limit"]) == (5, 0, 50)
        assert ids(body) == list(ALL_IDS)
        assert body["items"][0] == {
            **VIDEO_HELPER,
            "favorite": False,
            "installed": False,
            "disabled": False,
        }
        assert body["facets"] == {
            "category": {"video": 3, "tools": 2},
            "kind": {"node-pack": 2, "model": 1, "tool": 1, "docs": 1},
            "source": {"curated": 5},
            "tag": {
                "video": 3,
                "frames": 1,
                "animation": 1,
                "weights": 1,
                "upscaling": 1,
                "docs": 1,
                "learning": 1,
            },
        }

    def test_text_finds_names_first_then_tags(self, api: LiveServer) -> None:
        body = api.get("/resources", params={"q": "video"}).json()
        assert ids(body) == ["video-helper", "animate-diff", "wan-model"]
        assert body["total"] == 3

    def test_category_filter_keeps_other_categories_countable(self, api: LiveServer) -> None:
        body = api.get("/resources", params={"category": "tools"}).json()
        assert ids(body) == ["upscale-tool", "comfy-docs"]
        assert body["facets"]["category"] == {"video": 3, "tools": 2}

    def test_kind_filter(self, api: LiveServer) -> None:
        body = api.get("/resources", params={"kind": "node-pack"}).json()
        assert ids(body) == ["video-helper", "animate-diff"]

    def test_repeated_tag_needs_every_tag(self, api: LiveServer) -> None:
        body = api.get("/resources", params=[("tag", "video"), ("tag", "frames")]).json()
        assert ids(body) == ["video-helper"]
        assert body["facets"]["tag"]["frames"] == 1

    @pytest.mark.parametrize(("source", "expected"), [("curated", list(ALL_IDS)), ("user", [])])
    def test_source_filter(self, api: LiveServer, source: str, expected: list[str]) -> None:
        assert ids(api.get("/resources", params={"source": source}).json()) == expected

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [("relevance", ALL_IDS), ("name", BY_NAME), ("stars", BY_STARS), ("updated", BY_UPDATED)],
    )
    def test_each_sort(self, api: LiveServer, sort: str, expected: tuple[str, ...]) -> None:
        assert ids(api.get("/resources", params={"sort": sort}).json()) == list(expected)

    def test_offset_and_limit_cut_one_page(self, api: LiveServer) -> None:
        body = api.get("/resources", params={"sort": "name", "offset": "1", "limit": "2"}).json()
        assert ids(body) == ["comfy-docs", "upscale-tool"]
        assert (body["total"], body["offset"], body["limit"]) == (5, 1, 2)

    @pytest.mark.parametrize("value", ["0", "false"])
    def test_facets_can_be_left_out(self, api: LiveServer, value: str) -> None:
        assert api.get("/resources", params={"facets": value}).json()["facets"] == {}

    def test_favorites_only(self, api: LiveServer) -> None:
        assert api.get("/resources", params={"favorites": "1"}).json()["total"] == 0
        api.put("/user/favorites", json={"ids": ["comfy-docs", "wan-model"]})
        body = api.get("/resources", params={"favorites": "true"}).json()
        assert ids(body) == ["wan-model", "comfy-docs"]
        assert [item["favorite"] for item in body["items"]] == [True, True]

    def test_items_say_which_are_favourites(self, api: LiveServer) -> None:
        api.put("/user/favorites/animate-diff", headers=JSON)
        body = api.get("/resources").json()
        assert [item["id"] for item in body["items"] if item["favorite"]] == ["animate-diff"]

    def test_user_entries_are_found_as_source_user_and_category_mine(self, api: LiveServer) -> None:
        api.post("/user/resources", json=MY_TOOL)
        for params in ({"source": "user"}, {"category": "mine"}):
            body = api.get("/resources", params=params).json()
            assert body["items"] == [
                {**MY_TOOL_STORED, "favorite": False, "installed": False, "disabled": False}
            ]
        assert api.get("/resources").json()["total"] == 6


class TestETag:
    """A repeated search answers 304 until the query, the catalogue or the favourites change."""

    def test_if_none_match_gives_304_without_a_body(self, api: LiveServer) -> None:
        etag = api.get("/resources", params={"q": "video"}).headers["ETag"]
        again = api.get("/resources", params={"q": "video"}, headers={"If-None-Match": etag})
        assert (again.status, again.body, again.headers["ETag"]) == (304, b"", etag)

    def test_another_query_has_another_etag(self, api: LiveServer) -> None:
        etag = api.get("/resources", params={"q": "video"}).headers["ETag"]
        other = api.get("/resources", params={"q": "tool"}, headers={"If-None-Match": etag})
        assert other.status == 200
        assert other.headers["ETag"] != etag

    def test_starring_changes_the_etag(self, api: LiveServer) -> None:
        etag = api.get("/resources").headers["ETag"]
        api.put("/user/favorites/wan-model", headers=JSON)
        again = api.get("/resources", headers={"If-None-Match": etag})
        assert again.status == 200
        assert again.headers["ETag"] != etag

    def test_a_changed_data_file_changes_the_etag(self, api: LiveServer, data_dir: Path) -> None:
        etag = api.get("/resources").headers["ETag"]
        main = data_dir / "resources" / "main.yaml"
        main.write_text(main.read_text().replace("The manual.", "The full manual."))
        again = api.get("/resources", headers={"If-None-Match": etag})
        assert again.status == 200
        assert again.json()["items"][-1]["description"] == "The full manual."


class TestSearchBadInput:
    """Every malformed parameter gets a 400 naming it, never a 500."""

    @pytest.mark.parametrize(
        ("params", "param", "message"),
        [
            ([("limit", "0")], "limit", "must be between 1 and 500"),
            ([("limit", "99999")], "limit", "must be between 1 and 500"),
            ([("limit", "abc")], "limit", "must be a whole number, got 'abc'"),
            ([("offset", "-1")], "offset", "must be a whole number, got '-1'"),
            ([("offset", "1000001")], "offset", "must be between 0 and 1000000"),
            (
                [("sort", "best")],
                "sort",
                "'best' is not a sort; use one of: relevance, name, stars, downloads, updated",
            ),
            ([("kind", "x")], "kind", f"'x' is not a kind; use one of: {', '.join(KINDS)}"),
            ([("tag", "with spaces")], "tag", "'with spaces' is not a valid tag"),
            ([("tag", t) for t in "abcdefghijk"], "tag", "at most 10 tags can be combined"),
            ([("q", "x" * 201)], "q", "is 201 characters long; the limit is 200"),
            ([("category", "Video Stuff")], "category", "'Video Stuff' is not a valid category id"),
            ([("source", "-user")], "source", "'-user' is not a valid source id"),
            ([("facets", "maybe")], "facets", "must be 0 or 1"),
            ([("favorites", "yes")], "favorites", "must be 0 or 1"),
            ([("installed", "2")], "installed", "must be 0 or 1"),
            ([("installed", "1"), ("installed", "1")], "installed", "is given more than once"),
            ([("color", "red")], "color", "is not a known parameter"),
            ([("limit", "5"), ("limit", "6")], "limit", "is given more than once"),
            ([("q", "a"), ("q", "b")], "q", "is given more than once"),
        ],
    )
    def test_bad_parameter(
        self, api: LiveServer, params: list[tuple[str, str]], param: str, message: str
    ) -> None:
        reply = api.get("/resources", params=params)
        assert reply.status == 400
        assert reply.json() == error(400, message, param)


class TestGetResource:
    """GET /resources/{id} answers one record, 404 for an unknown id and 400 for a bad one."""

    def test_found(self, api: LiveServer) -> None:
        """The record as searches list it, with the node classes it provides (none here)."""
        reply = api.get("/resources/video-helper")
        assert reply.status == 200
        assert reply.json() == {
            **VIDEO_HELPER,
            "node_types": [],
            "favorite": False,
            "installed": False,
            "disabled": False,
        }

    def test_found_and_starred(self, api: LiveServer) -> None:
        api.put("/user/favorites/video-helper", headers=JSON)
        assert api.get("/resources/video-helper").json()["favorite"] is True

    def test_a_user_entry_is_served_as_source_user(self, api: LiveServer) -> None:
        api.post("/user/resources", json=MY_TOOL)
        reply = api.get("/resources/example.my-tool")
        assert reply.json() == {
            **MY_TOOL_STORED,
            "node_types": [],
            "favorite": False,
            "installed": False,
            "disabled": False,
        }

    def test_unknown(self, api: LiveServer) -> None:
        reply = api.get("/resources/no-such-thing")
        assert reply.status == 404
        assert reply.json() == error(404, "no resource with id 'no-such-thing'", "id")

    def test_invalid_id(self, api: LiveServer) -> None:
        reply = api.get("/resources/Not_Valid")
        assert reply.status == 400
        assert reply.json() == error(400, "'Not_Valid' is not a valid resource id", "id")


class TestCategories:
    """GET /categories lists every category with its number of resources, user's first."""

    def test_counts(self, api: LiveServer) -> None:
        api.post("/user/resources", json=MY_TOOL)
        reply = api.get("/categories")
        assert reply.status == 200
        assert reply.json() == {
            "categories": [
                {
                    "id": "mine",
                    "name": "My Resources",
                    "description": "Entries you added yourself.",
                    "count": 1,
                },
                {
                    "id": "video",
                    "name": "Video",
                    "description": "Making and editing moving pictures.",
                    "count": 3,
                },
                {
                    "id": "tools",
                    "name": "Tools",
                    "description": "Helpers around ComfyUI.",
                    "count": 2,
                },
                {
                    "id": "empty",
                    "name": "Empty Section",
                    "description": "A section with nothing in it yet.",
                    "count": 0,
                },
            ]
        }


class TestSources:
    """GET /sources reports each source and every problem found, located."""

    def test_clean_catalogue(self, api: LiveServer) -> None:
        body = api.get("/sources").json()
        assert body["resources"] == 5
        assert body["sources"] == [
            {"name": "user", "resources": 0, "problems": 0, "error": ""},
            {"name": "curated", "resources": 5, "problems": 0, "error": ""},
        ]
        assert (body["problems"], body["problem_count"]) == ([], 0)
        assert body["version"] == api.get("/sources").json()["version"]

    def test_a_broken_entry_is_listed_with_file_line_and_field(self, tmp_path: Path) -> None:
        data = write_catalogue(tmp_path / "data", broken=True)
        pack = Pack(user_dir=tmp_path / "user", data_dir=data)
        with LiveServer(comfy_app(lambda: pack)) as api:
            body = api.get("/sources").json()
            assert body["problems"] == [
                {"file": str(data / "resources" / "broken.yaml"), **BROKEN_PROBLEM}
            ]
            assert body["problem_count"] == 1
            assert body["sources"][1] == {
                "name": "curated",
                "resources": 5,
                "problems": 1,
                "error": "",
            }
            assert api.get("/resources").json()["total"] == 5

    def test_a_source_that_fails_to_load_says_why(self, tmp_path: Path, data_dir: Path) -> None:
        """The failure is the source's error, and a problem; the other sources still serve."""

        def fail() -> SourceResult:
            raise OSError("the disk went away")

        broken = FunctionSource("broken", lambda: "v1", fail)
        pack = Pack(user_dir=tmp_path / "user", data_dir=data_dir, extra_sources=[broken])
        with LiveServer(comfy_app(lambda: pack)) as api:
            body = api.get("/sources").json()
            assert body["sources"][2] == {
                "name": "broken",
                "resources": 0,
                "problems": 1,
                "error": "the disk went away",
            }
            # Not the user's to fix: listed for curators, the source's error says why.
            assert body["upstream_problems"] == [
                {
                    "source": "broken",
                    "file": "broken",
                    "line": None,
                    "field": "source",
                    "message": "the disk went away",
                }
            ]
            assert body["problems"] == []
            assert api.get("/resources").json()["total"] == 5


class TestValidate:
    """POST /validate checks a candidate with the catalogue's rules and lists every problem."""

    def test_valid(self, api: LiveServer) -> None:
        candidate = {
            "id": "new-one",
            "name": "New One",
            "url": "https://example.com/new",
            "category": "mine",
            "kind": "tool",
        }
        reply = api.post("/validate", json=candidate)
        assert reply.status == 200
        assert reply.json() == {"ok": True, "problems": []}

    def test_every_problem_is_listed(self, api: LiveServer) -> None:
        candidate = {
            "id": "Bad Id",
            "url": "ftp://x",
            "kind": "x",
            "tags": "nope",
            "extra": 1,
            "stars": -1,
            "updated": "soon",
            "name": "",
            "category": "nowhere",
        }
        reply = api.post("/validate", json=candidate)
        assert reply.status == 200
        assert reply.json() == {
            "ok": False,
            "problems": [
                problem(
                    "id",
                    "'Bad Id' is not a valid id; use 1-80 lowercase letters, digits, "
                    "'.', '_' or '-', starting and ending with a letter or digit",
                ),
                problem("url", "scheme 'ftp' is not allowed; use http or https"),
                problem("kind", f"'x' is not a kind; use one of: {', '.join(KINDS)}"),
                problem("tags", "must be a list of tags, got str"),
                problem(
                    "extra",
                    "unknown field; known fields: id, name, url, category, kind, "
                    "description, tags, author, license, install_url, stars, updated",
                ),
                problem("stars", "must be between 0 and 10000000"),
                problem("updated", "must be a date like 2025-01-31, got 'soon'"),
                problem("name", "must not be empty"),
                problem(
                    "category",
                    "'nowhere' is not a known category; known: empty, mine, tools, video",
                ),
            ],
        }

    def test_not_an_object(self, api: LiveServer) -> None:
        reply = api.post("/validate", json=["a", "list"])
        assert reply.json() == {
            "ok": False,
            "problems": [problem("entry", "must be a mapping of fields, got a list")],
        }

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            (b"nope", "the body is not valid JSON: Expecting value: line 1 column 1 (char 0)"),
            (b"", "the body is not valid JSON: Expecting value: line 1 column 1 (char 0)"),
            (b"[" * 100_000, f"the body is larger than {MAX_BODY_BYTES} bytes"),
            (
                b"[" * 60_000,
                "the body is not valid JSON: maximum recursion depth exceeded while "
                "decoding a JSON array from a unicode string",
            ),
        ],
    )
    def test_body_that_is_not_json(self, api: LiveServer, body: bytes, message: str) -> None:
        reply = api.post("/validate", data=body, headers=JSON)
        assert reply.json() == error(reply.status, message)
        assert reply.status == (413 if len(body) > MAX_BODY_BYTES else 400)

    @pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
    def test_wrong_content_type(self, api: LiveServer, content_type: str) -> None:
        reply = api.post("/validate", data=b'{"id": "x"}', headers={"Content-Type": content_type})
        assert reply.status == 415
        assert reply.json() == error(
            415, "send the request as JSON with Content-Type: application/json"
        )

    def test_json_with_a_charset_is_accepted(self, api: LiveServer) -> None:
        reply = api.post(
            "/validate", data=b"{}", headers={"Content-Type": "application/json; charset=utf-8"}
        )
        assert reply.status == 200

    def test_body_over_64_kib_with_a_length(self, api: LiveServer) -> None:
        body = json.dumps({"description": "x" * MAX_BODY_BYTES}).encode()
        reply = api.post("/validate", data=body, headers=JSON)
        assert reply.status == 413
        assert reply.json() == error(413, TOO_LARGE)

    def test_body_over_64_kib_without_a_length(self, api: LiveServer) -> None:
        body = json.dumps({"description": "x" * MAX_BODY_BYTES}).encode()
        reply = api.post("/validate", data=pieces(body), headers=JSON)
        assert reply.status == 413
        assert reply.json() == error(413, TOO_LARGE)

    def test_body_of_exactly_64_kib_in_pieces_is_read_whole(self, api: LiveServer) -> None:
        body = json.dumps({"name": "n" * (MAX_BODY_BYTES - 12)}).encode()
        assert len(body) == MAX_BODY_BYTES
        reply = api.post("/validate", data=pieces(body, 1000), headers=JSON)
        assert reply.status == 200
        assert reply.json()["problems"][0] == problem(
            "name", f"is {MAX_BODY_BYTES - 12} characters long; the limit is 120"
        )


class TestReadJson:
    """read_json waits for the whole body even when only part of it has arrived."""

    def test_a_body_arriving_in_two_parts_is_read_to_its_end(self) -> None:
        body = json.dumps({"name": "x" * 5000}).encode()

        async def scenario() -> Any:
            loop = asyncio.get_running_loop()
            ours, theirs = socket.socketpair()
            with ours, theirs:
                transport, protocol = await loop.create_connection(
                    lambda: BaseProtocol(loop), sock=ours
                )
                payload = StreamReader(protocol, 2**16, loop=loop)
                payload.feed_data(body[:10])
                request = make_mocked_request("POST", "/", headers=JSON, payload=payload)
                reading = asyncio.ensure_future(read_json(request))

                def rest_arrives() -> None:  # runs once read_json has taken the first part
                    payload.feed_data(body[10:])
                    payload.feed_eof()

                loop.call_soon(rest_arrives)
                try:
                    return await reading
                finally:
                    transport.close()

        assert asyncio.run(scenario()) == {"name": "x" * 5000}

    def test_a_body_that_is_not_json_is_refused_here_too(self) -> None:
        """The handlers' wrapper refuses it first; read_json alone refuses it as well."""
        request = make_mocked_request("POST", "/", headers={"Content-Type": "text/plain"})
        with pytest.raises(RequestError) as caught:
            asyncio.run(read_json(request))
        assert caught.value.status == 415


class TestUserResources:
    """The user's own entries: POST, GET, PUT and DELETE, validated like the catalogue."""

    def test_post_generates_the_id_and_category(self, api: LiveServer) -> None:
        reply = api.post("/user/resources", json=MY_TOOL)
        assert reply.status == 201
        assert reply.json() == MY_TOOL_STORED
        assert api.get("/user/resources").json() == {"items": [MY_TOOL_STORED]}

    def test_post_keeps_a_given_id(self, api: LiveServer) -> None:
        reply = api.post("/user/resources", json={**MY_TOOL, "id": "my-tool"})
        assert reply.json()["id"] == "my-tool"

    def test_post_invalid_lists_the_problems(self, api: LiveServer) -> None:
        reply = api.post("/user/resources", json={"name": "X", "url": "ftp://x", "kind": "tool"})
        assert reply.status == 400
        # Only fields the form has: nothing about the id it derives from the URL.
        assert reply.json() == error(
            400,
            "the entry is not valid",
            problems=[problem("url", "scheme 'ftp' is not allowed; use http or https")],
        )

    def test_post_a_url_without_scheme_says_what_to_do(self, api: LiveServer) -> None:
        entry = {"name": "X", "url": "github.com/example/x", "kind": "tool"}
        reply = api.post("/user/resources", json=entry)
        assert reply.status == 400
        assert reply.json() == error(
            400,
            "the entry is not valid",
            problems=[problem("url", "start the link with https://")],
        )
        assert api.get("/user/resources").json() == {"items": []}

    @pytest.mark.parametrize(
        ("first", "entry", "message", "where"),
        [
            pytest.param(
                None,
                {**MY_TOOL, "url": "https://GitHub.com/Example/Video-Helper/"},
                "https://GitHub.com/Example/Video-Helper/ is already in the catalogue as "
                "'Video Helper Suite' (id 'video-helper'); star it instead",
                ("url", {"id": "video-helper", "name": "Video Helper Suite"}),
                id="curated-url",
            ),
            pytest.param(
                None,
                {**MY_TOOL, "id": "video-helper"},
                "the id 'video-helper' is already used by 'Video Helper Suite' (curated)",
                ("id", None),
                id="curated-id",
            ),
            pytest.param(
                MY_TOOL,
                {**MY_TOOL, "url": "https://example.com/other", "id": "example.my-tool"},
                "the id 'example.my-tool' is already used by 'My Tool' (user)",
                ("id", None),
                id="own-id",
            ),
        ],
    )
    def test_post_what_is_there_already_is_a_conflict(
        self,
        api: LiveServer,
        first: dict[str, Any] | None,
        entry: dict[str, Any],
        message: str,
        where: tuple[str, dict[str, str] | None],
    ) -> None:
        """The answer names the field, and for a duplicate URL the entry that has it."""
        param, existing = where
        if first is not None:
            assert api.post("/user/resources", json=first).status == 201
        reply = api.post("/user/resources", json=entry)
        assert reply.status == 409
        assert reply.json() == error(409, message, param, existing=existing)

    def test_post_beyond_the_limit_of_entries_is_a_conflict(
        self, api: LiveServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(userdata, "MAX_USER_RESOURCES", 1)
        assert api.post("/user/resources", json=MY_TOOL).status == 201
        reply = api.post("/user/resources", json={**MY_TOOL, "url": "https://example.com/two"})
        assert reply.status == 409
        assert reply.json() == error(
            409, "you already have 1 entries; delete some before adding more"
        )

    def test_post_bad_bodies(self, api: LiveServer) -> None:
        assert api.post("/user/resources", data=b"{", headers=JSON).status == 400
        assert api.post("/user/resources", data=b"{}").status == 415
        assert (
            api.post("/user/resources", data=b" " * (MAX_BODY_BYTES + 1), headers=JSON).status
            == 413
        )

    def test_put_replaces_the_entry(self, api: LiveServer) -> None:
        api.post("/user/resources", json=MY_TOOL)
        changed = {**MY_TOOL, "name": "My Better Tool", "tags": ["upscaling"]}
        reply = api.put("/user/resources/example.my-tool", json=changed)
        assert reply.status == 200
        expected = {**MY_TOOL_STORED, "name": "My Better Tool", "tags": ["upscaling"]}
        assert reply.json() == expected
        assert api.get("/resources/example.my-tool").json() == {
            **expected,
            "node_types": [],
            "favorite": False,
            "installed": False,
            "disabled": False,
        }

    def test_put_unknown(self, api: LiveServer) -> None:
        reply = api.put("/user/resources/nothing-here", json=MY_TOOL)
        assert reply.status == 404
        assert reply.json() == error(404, "you have no entry with id 'nothing-here'")

    def test_put_cannot_change_the_id(self, api: LiveServer) -> None:
        api.post("/user/resources", json=MY_TOOL)
        reply = api.put("/user/resources/example.my-tool", json={**MY_TOOL, "id": "renamed"})
        assert reply.status == 400
        assert reply.json() == error(400, "the id cannot change (it is 'example.my-tool')")

    def test_put_invalid(self, api: LiveServer) -> None:
        api.post("/user/resources", json=MY_TOOL)
        reply = api.put("/user/resources/example.my-tool", json={**MY_TOOL, "kind": "thing"})
        assert reply.status == 400
        assert reply.json() == error(
            400,
            "the entry is not valid",
            problems=[problem("kind", f"'thing' is not a kind; use one of: {', '.join(KINDS)}")],
        )

    def test_put_onto_another_entrys_url_is_a_conflict(self, api: LiveServer) -> None:
        api.post("/user/resources", json=MY_TOOL)
        api.post("/user/resources", json={**MY_TOOL, "url": "https://example.com/two"})
        reply = api.put("/user/resources/example-com-two", json=MY_TOOL)
        assert reply.status == 409
        assert reply.json() == error(
            409,
            "https://github.com/Example/My-Tool is already in the catalogue as 'My Tool' "
            "(id 'example.my-tool'); star it instead",
            "url",
            existing={"id": "example.my-tool", "name": "My Tool"},
        )

    def test_put_with_a_bad_id(self, api: LiveServer) -> None:
        reply = api.put("/user/resources/BAD", json=MY_TOOL)
        assert reply.json() == error(400, "'BAD' is not a valid resource id", "id")

    def test_delete(self, api: LiveServer) -> None:
        api.post("/user/resources", json=MY_TOOL)
        reply = api.delete("/user/resources/example.my-tool", headers=JSON)
        assert (reply.status, reply.body) == (204, b"")
        assert api.get("/user/resources").json() == {"items": []}
        assert api.get("/resources/example.my-tool").status == 404
        again = api.delete("/user/resources/example.my-tool", headers=JSON)
        assert again.status == 404
        assert again.json() == error(404, "you have no entry with id 'example.my-tool'")

    def test_delete_with_a_bad_id(self, api: LiveServer) -> None:
        assert api.delete("/user/resources/a_", headers=JSON).status == 400


class TestFavorites:
    """GET/PUT /user/favorites and starring one id with PUT/DELETE /user/favorites/{id}."""

    def test_none_at_first(self, api: LiveServer) -> None:
        assert api.get("/user/favorites").json() == {"ids": []}

    def test_put_replaces_and_dedupes(self, api: LiveServer) -> None:
        reply = api.put("/user/favorites", json={"ids": ["wan-model", "comfy-docs", "wan-model"]})
        assert reply.status == 200
        assert reply.json() == {"ids": ["wan-model", "comfy-docs"]}
        assert api.get("/user/favorites").json() == {"ids": ["wan-model", "comfy-docs"]}

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ([], error(400, 'send {"ids": [resource ids]}', "ids")),
            ({"id": []}, error(400, 'send {"ids": [resource ids]}', "ids")),
            ({"ids": "wan-model"}, error(400, "'ids' must be a list of resource ids")),
            ({"ids": [1]}, error(400, "'ids' must be a list of resource ids")),
            ({"ids": ["ok", "Not OK"]}, error(400, "'Not OK' is not a valid resource id")),
        ],
    )
    def test_put_bad_bodies(self, api: LiveServer, body: Any, expected: dict[str, Any]) -> None:
        reply = api.put("/user/favorites", json=body)
        assert reply.status == 400
        assert reply.json() == expected

    def test_put_not_json(self, api: LiveServer) -> None:
        assert api.put("/user/favorites", data=b"ids").status == 415

    def test_star_and_unstar(self, api: LiveServer) -> None:
        assert api.put("/user/favorites/wan-model", headers=JSON).json() == {"ids": ["wan-model"]}
        assert api.put("/user/favorites/comfy-docs", headers=JSON).json() == {
            "ids": ["wan-model", "comfy-docs"]
        }
        assert api.put("/user/favorites/wan-model", headers=JSON).json() == {
            "ids": ["comfy-docs", "wan-model"]
        }
        reply = api.delete("/user/favorites/comfy-docs", headers=JSON)
        assert (reply.status, reply.json()) == (200, {"ids": ["wan-model"]})
        assert api.delete("/user/favorites/comfy-docs", headers=JSON).json() == {
            "ids": ["wan-model"]
        }

    @pytest.mark.parametrize("method", ["PUT", "DELETE"])
    def test_star_with_a_bad_id(self, api: LiveServer, method: str) -> None:
        reply = api.request(method, "/user/favorites/-x", headers=JSON)
        assert reply.status == 400
        assert reply.json() == error(400, "'-x' is not a valid resource id", "id")


class TestConcurrency:
    """Writes arriving together are serialised: nothing is lost, the file stays valid."""

    def test_twenty_posts_at_once(self, api: LiveServer, pack: Pack) -> None:
        calls = [
            Call(
                "POST",
                "/user/resources",
                json={"name": f"Tool {n}", "url": f"https://example.com/tool/{n}", "kind": "tool"},
            )
            for n in range(20)
        ]
        replies = api.gather(calls)
        assert [r.status for r in replies] == [201] * 20
        expected = {f"example-com-tool-{n}" for n in range(20)}
        assert {r.json()["id"] for r in replies} == expected
        stored = json.loads(pack.user.resources_path.read_bytes())
        assert stored["schema"] == 1
        assert {entry["id"] for entry in stored["resources"]} == expected
        listed = api.get("/user/resources").json()["items"]
        assert {item["id"] for item in listed} == expected
        assert sorted(p.name for p in pack.user.folder.iterdir()) == ["resources.json"]

    def test_twenty_stars_at_once(self, api: LiveServer, pack: Pack) -> None:
        wanted = [f"resource-{n}" for n in range(20)]
        replies = api.gather(Call("PUT", f"/user/favorites/{i}", headers=JSON) for i in wanted)
        assert [r.status for r in replies] == [200] * 20
        assert sorted(api.get("/user/favorites").json()["ids"]) == sorted(wanted)
        stored = json.loads(pack.user.favorites_path.read_bytes())
        assert sorted(stored["favorites"]) == sorted(wanted)


class TestCorruptUserFile:
    """A corrupt resources.json is kept aside, reported, and never overwritten."""

    def test_kept_aside_reported_and_preserved(
        self, api: LiveServer, pack: Pack, caplog: pytest.LogCaptureFixture
    ) -> None:
        garbage = b"\xff\xfe{not json at all\x00"
        pack.user.folder.mkdir(parents=True)
        pack.user.resources_path.write_bytes(garbage)
        with caplog.at_level(logging.ERROR, logger="awesome_comfyui_beyond"):
            body = api.get("/sources").json()
        [aside] = pack.user.folder.glob("resources.json.corrupt-*")
        assert aside.read_bytes() == garbage
        [reported] = body["problems"]
        assert reported["file"] == "resources.json"
        assert reported["field"] == "file"
        assert reported["message"].startswith("was not usable (")
        assert reported["message"].endswith(f"); kept aside as {aside.name}")
        assert body["sources"][0] == {"name": "user", "resources": 0, "problems": 1, "error": ""}
        assert f"kept it as {aside}" in caplog.text

        assert api.post("/user/resources", json=MY_TOOL).status == 201
        stored = json.loads(pack.user.resources_path.read_bytes())
        assert [entry["id"] for entry in stored["resources"]] == ["example.my-tool"]
        assert aside.read_bytes() == garbage
        assert sorted(p.name for p in pack.user.folder.iterdir()) == ["resources.json", aside.name]


class TestDomainErrors:
    """Every kind of domain error has its one HTTP status."""

    def test_every_kind_has_a_status(self) -> None:
        """Bad requests are 4xx; a disk that refused a write is 503 or 507, never a 500."""
        assert set(STATUS_OF_KIND) == set(ErrorKind)
        client = {k for k, status in STATUS_OF_KIND.items() if 400 <= status < 500}
        assert set(ErrorKind) - client == {ErrorKind.NO_SPACE, ErrorKind.STORAGE}
        assert 500 not in STATUS_OF_KIND.values()


class TestHandlerBug:
    """A bug behind any route answers 500 JSON without a traceback, and logs the details."""

    @pytest.mark.parametrize(
        ("method", "path", "body"),
        [
            ("GET", "/resources", None),
            ("GET", "/resources/video-helper", None),
            ("GET", "/categories", None),
            ("GET", "/sources", None),
            ("POST", "/validate", {}),
            ("GET", "/user/resources", None),
            ("POST", "/user/resources", MY_TOOL),
            ("PUT", "/user/resources/my-tool", MY_TOOL),
            ("DELETE", "/user/resources/my-tool", None),
            ("GET", "/user/favorites", None),
            ("PUT", "/user/favorites", {"ids": []}),
            ("PUT", "/user/favorites/my-tool", None),
            ("DELETE", "/user/favorites/my-tool", None),
        ],
    )
    def test_500_without_traceback(
        self, caplog: pytest.LogCaptureFixture, method: str, path: str, body: Any
    ) -> None:
        def broken() -> Pack:
            raise RuntimeError("the pack is broken")

        with LiveServer(comfy_app(broken)) as api, caplog.at_level(logging.ERROR):
            reply = api.request(method, path, json=body, headers=JSON)
        assert reply.status == 500
        assert reply.json() == error(
            500, "internal error in Awesome ComfyUI Beyond; the ComfyUI log has the details"
        )
        assert "Traceback" not in reply.text
        assert "the pack is broken" not in reply.text
        [record] = [r for r in caplog.records if r.name == "awesome_comfyui_beyond"]
        assert record.getMessage() == f"{method} {PREFIX}{path} failed"
        assert record.exc_info is not None
        assert str(record.exc_info[1]) == "the pack is broken"


class TestOpenApiRoute:
    """GET /openapi.json serves the document the tests check the routes against."""

    def test_served(self, api: LiveServer) -> None:
        reply = api.get("/openapi.json")
        assert reply.status == 200
        assert reply.json() == openapi_document(["empty", "mine", "tools", "video"])

    def test_the_categories_an_entry_may_name_are_the_catalogues(self, api: LiveServer) -> None:
        schemas = api.get("/openapi.json").json()["components"]["schemas"]
        pattern = schemas["ResourceInput"]["properties"]["category"]["pattern"]
        assert "(?:empty|mine|tools|video)" in pattern
        api.post("/user/resources", json={**MY_TOOL, "category": "video"})
        assert api.post("/user/resources", json={**MY_TOOL, "category": "nope"}).status == 400

    def test_every_route_is_documented(self) -> None:
        table = web.RouteTableDef()
        add_routes(table)
        served = {(r.method.lower(), r.path) for r in table if isinstance(r, web.RouteDef)}
        documented = {
            (method, path) for path, item in openapi_document()["paths"].items() for method in item
        }
        assert served == documented


class FakePromptServer:
    """ComfyUI's ``server.PromptServer`` as far as the pack uses it."""

    instance: Any = None


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakePromptServer]]:
    module = types.ModuleType("server")
    module.PromptServer = FakePromptServer  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "server", module)
    yield FakePromptServer
    FakePromptServer.instance = None


class TestRegisterWithComfyUI:
    """register_with_comfyui adds the routes inside ComfyUI and does nothing elsewhere."""

    def test_outside_comfyui(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setitem(sys.modules, "server", None)
        assert register_with_comfyui() is False

    def test_server_not_started(
        self, fake_server: type[FakePromptServer], caplog: pytest.LogCaptureFixture
    ) -> None:
        assert register_with_comfyui() is False
        assert caplog.messages == [
            "ComfyUI's server is not running yet; the sidebar's API is unavailable"
        ]

    def test_inside_comfyui(self, fake_server: type[FakePromptServer]) -> None:
        fake_server.instance = types.SimpleNamespace(routes=web.RouteTableDef())
        assert register_with_comfyui() is True
        paths = {r.path for r in fake_server.instance.routes if isinstance(r, web.RouteDef)}
        assert f"{PREFIX}/resources" in paths
        assert len(fake_server.instance.routes) == len(ROUTE_TABLE)
