"""The pack behind a node over HTTP: ``POST /node-types``, node class names in the search and
the node classes in one resource's details, on a real server with a real custom_nodes folder."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from nodes.app.pack import Pack
from nodes.core.constants import MAX_NODE_TYPES_ASKED
from nodes.core.validate import MAX_NODE_TYPE, node_type_problem
from nodes.server.openapi import openapi_document
from nodes.server.responses import MAX_BODY_BYTES
from tests.helpers.live import LiveServer, comfy_app
from tests.helpers.node_map import node_map_source
from tests.helpers.tricky_text import texts

pytestmark = pytest.mark.http

JSON = {"Content-Type": "application/json"}
SEND_TYPES = 'send {"types": [node class names]}'


@pytest.fixture
def pack(tmp_path: Path, data_dir: Path, custom_nodes: Path) -> Pack:
    """The sample catalogue, the node map's packs, and ComfyUI-S3-IO cloned into custom_nodes."""
    clone = custom_nodes / "ComfyUI-S3-IO" / ".git"
    clone.mkdir(parents=True)
    (clone / "config").write_text(
        '[remote "origin"]\n\turl = https://github.com/olduvai-jp/ComfyUI-S3-IO.git\n'
    )
    return Pack(
        tmp_path / "user",
        data_dir,
        extra_sources=[node_map_source()],
        custom_nodes=[custom_nodes],
    )


@pytest.fixture
def api(pack: Pack) -> Iterator[LiveServer]:
    with LiveServer(comfy_app(lambda: pack)) as server:
        yield server


def error(message: str, status: int = 400) -> dict[str, Any]:
    return {"error": {"status": status, "message": message, "param": "types"}}


def provider_ids(body: dict[str, Any]) -> dict[str, list[str]]:
    return {t["type"]: [p["id"] for p in t["providers"]] for t in body["types"]}


class TestNodeTypes:
    """``POST /node-types`` answers each type's providers, installed first, marked."""

    def test_providers_of_each_type(self, api: LiveServer) -> None:
        api.put("/user/favorites/comfyui-hallo", headers=JSON)
        reply = api.post(
            "/node-types", json={"types": ["VHS_LoadVideo", "PreViewVideo", "MissingNode"]}
        )
        assert reply.status == 200
        body = reply.json()
        assert list(body) == ["types", "unmatched"]
        assert provider_ids(body) == {
            # ComfyUI-S3-IO is installed: before the more starred VideoHelperSuite.
            "VHS_LoadVideo": ["comfyui-s3-io", "comfyui-videohelpersuite"],
            "PreViewVideo": ["comfyui-hallo", "comfyui-diffsynth-studio"],
            "MissingNode": [],
        }
        assert body["unmatched"] == 1
        s3, vhs = body["types"][0]["providers"]
        hallo = body["types"][1]["providers"][0]
        assert (s3["installed"], s3["favorite"], s3["pack_id"]) == (True, False, "comfyui-s3-io")
        assert (vhs["installed"], vhs["node_count"], vhs["stars"]) == (False, 3, 1772)
        assert (hallo["favorite"], hallo["files"]) == (
            True,
            ["https://github.com/AIFSH/ComfyUI-Hallo"],
        )
        assert "node_types" not in s3

    def test_the_exact_spelling_first(self, api: LiveServer) -> None:
        body = api.post("/node-types", json={"types": ["Sam2Segment", "sam2segment"]}).json()
        assert provider_ids(body) == {
            "Sam2Segment": ["comfyui-grounding"],
            "sam2segment": ["comfyui-rmbg", "comfyui-grounding"],
        }

    def test_other_fields_are_left_alone(self, api: LiveServer) -> None:
        reply = api.post("/node-types", json={"types": [], "graph": {"nodes": []}})
        assert reply.json() == {"types": [], "unmatched": 0}

    def test_a_large_answer_is_compressed(self, api: LiveServer) -> None:
        asked = {"types": [f"Missing{n}" for n in range(MAX_NODE_TYPES_ASKED)]}
        reply = api.post("/node-types", json=asked, headers={"Accept-Encoding": "gzip"})
        assert reply.status == 200
        assert reply.json()["unmatched"] == MAX_NODE_TYPES_ASKED
        assert reply.headers["Content-Encoding"] == "gzip"

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            pytest.param(["VHS_LoadVideo"], SEND_TYPES, id="a-list"),
            pytest.param({"type": ["VHS_LoadVideo"]}, SEND_TYPES, id="no-types"),
            pytest.param({"types": "VHS_LoadVideo"}, SEND_TYPES, id="one-text"),
            pytest.param({"types": None}, SEND_TYPES, id="null"),
            pytest.param(
                {"types": ["VHS_LoadVideo", {"name": "x"}]},
                "types[1] {'name': 'x'} must be text, got a mapping",
                id="a-mapping-item",
            ),
            pytest.param({"types": ["ok", ""]}, "types[1] '' must not be empty", id="empty"),
            pytest.param(
                {"types": ["Load\nVideo"]},
                "types[0] 'Load\\nVideo' must not contain control characters",
                id="line-break",
            ),
            pytest.param(
                {"types": ["x"] * (MAX_NODE_TYPES_ASKED + 1)},
                "501 node types; ask about 500 at most per request",
                id="too-many",
            ),
        ],
    )
    def test_bad_requests_are_refused_naming_types(
        self, api: LiveServer, body: Any, message: str
    ) -> None:
        reply = api.post("/node-types", json=body)
        assert (reply.status, reply.json()) == (400, error(message))

    def test_not_json(self, api: LiveServer) -> None:
        reply = api.post("/node-types", data=b"{", headers=JSON)
        assert reply.status == 400
        reply = api.post(
            "/node-types", data=b'{"types": []}', headers={"Content-Type": "text/plain"}
        )
        assert reply.status == 415

    def test_a_body_too_large(self, api: LiveServer) -> None:
        types = ["x" * 199] * (MAX_BODY_BYTES // 200 + 1)
        reply = api.post("/node-types", json={"types": types})
        assert reply.status == 413


class TestSearchAndDetails:
    """The search finds the pack behind a node class; its details list its classes."""

    def test_a_node_class_searched_finds_its_packs_first(self, api: LiveServer) -> None:
        body = api.get("/resources", params={"q": "vhs_loadvideo"}).json()
        assert [item["id"] for item in body["items"]] == [
            "comfyui-videohelpersuite",
            "comfyui-s3-io",
        ]

    def test_details_list_the_node_classes(self, api: LiveServer) -> None:
        body = api.get("/resources/comfyui-videohelpersuite").json()
        assert body["node_types"] == ["VHS_LoadVideo", "VHS_VideoCombine", "VHS_AudioToVHSAudio"]
        assert body["node_count"] == 3
        listed = api.get("/resources", params={"q": "VideoHelperSuite"}).json()["items"][0]
        assert "node_types" not in listed
        assert listed["node_count"] == 3


ASKED = openapi_document()["paths"]["/awesome/v1/node-types"]["post"]["requestBody"]["content"][
    "application/json"
]["schema"]["properties"]["types"]


class TestDocument:
    """The document's limits for ``POST /node-types`` are the ones the server enforces."""

    def test_at_most_this_many_types(self) -> None:
        assert ASKED["maxItems"] == MAX_NODE_TYPES_ASKED

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(value=texts(MAX_NODE_TYPE))
    def test_the_pattern_is_the_rule(self, value: str) -> None:
        described = re.search(ASKED["items"]["pattern"], value) is not None
        assert described == (node_type_problem(value) is None), repr(value)
