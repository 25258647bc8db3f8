"""The pack behind a node: node class names found in any letter case, searched for, and the
providers of each class a workflow needs, with the real names of ComfyUI-Manager's node map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nodes.app import service
from nodes.core.catalog import Catalog, merge
from nodes.core.constants import MAX_NODE_TYPES_ASKED
from nodes.core.errors import DomainError, ErrorKind
from nodes.core.excerpt import excerpt
from nodes.core.model import SourceResult
from nodes.core.query import Query, SearchIndex
from nodes.core.query.node_types import NodeTypeIndex
from nodes.core.validate import MAX_NODE_TYPE, node_type_problem
from nodes.sources.curated import load_curated
from tests.helpers.builders import bare_resource
from tests.helpers.node_map import SOURCE, node_packs


@pytest.fixture
def catalog(data_dir: Path) -> Catalog:
    """The sample catalogue and the node packs of the node map."""
    return merge([load_curated(data_dir), SourceResult(SOURCE, node_packs())])


def found(catalog: Catalog, text: str, limit: int = 3) -> list[str]:
    return [r.id for r in catalog.index.search(Query(text=text, limit=limit)).items]


def providers(answer: dict[str, object], position: int = 0) -> list[str]:
    types = answer["types"]
    assert isinstance(types, list)
    return [p["id"] for p in types[position]["providers"]]


class TestNodeTypeIndex:
    """Node class names looked up in any letter case, each providing document once."""

    def test_any_letter_case_finds_every_provider_in_document_order(self) -> None:
        index = NodeTypeIndex(node_packs())
        assert index.providers("VHS_LoadVideo") == index.providers("vhs_loadvideo") == [0, 1]
        assert index.providers("PreViewVideo") == [6, 7]
        assert index.providers("sam2segment") == [3, 4]

    def test_only_whole_names_match(self) -> None:
        index = NodeTypeIndex(node_packs())
        assert index.providers("VHS_Load") == []
        assert index.providers("VHS_LoadVideo ") == []  # the query engine strips; this does not
        assert index.providers("ComfyUI-VideoHelperSuite") == []  # a name, not a node class
        assert NodeTypeIndex([]).providers("VHS_LoadVideo") == []

    def test_a_pack_with_one_name_in_two_spellings_is_listed_once(self) -> None:
        pack = bare_resource("meta", node_types=("LoadImageWithMetadata", "LoadImageWithMetaData"))
        assert NodeTypeIndex([pack]).providers("loadimagewithmetadata") == [0]

    def test_the_real_node_map(self, manager_dir: Path) -> None:
        """Every class of ComfyUI-Manager's node map finds its packs, and the index holds 12
        bytes a name (an 8-byte hash and a 4-byte document), under 0.5 MB for the 42k names."""
        node_map = json.loads((manager_dir / "extension-node-map.json").read_text("utf-8"))
        packs = [
            bare_resource(f"pack-{n}", node_types=tuple(dict.fromkeys(names)))
            for n, (names, _) in enumerate(node_map.values())
        ]
        index = NodeTypeIndex(packs)
        names = sum(len(p.node_types) for p in packs)
        assert names > 40_000
        assert index._hashes.itemsize * len(index._hashes) == 8 * names
        assert index._docs.itemsize * len(index._docs) == 4 * names
        for doc, pack in enumerate(packs):
            for name in pack.node_types:
                assert doc in index.providers(name.upper())
        assert len(index.providers("PreViewVideo")) >= 10


class TestSearch:
    """A query that is a node class name puts the packs that provide it first."""

    @pytest.mark.parametrize("text", ["VHS_LoadVideo", "vhs_loadvideo", "  VHS_LOADVIDEO\t"])
    def test_a_node_class_finds_its_packs_first_most_starred_first(
        self, catalog: Catalog, text: str
    ) -> None:
        assert found(catalog, text) == ["comfyui-videohelpersuite", "comfyui-s3-io"]

    @pytest.mark.parametrize(
        ("text", "pack", "part"),
        [
            ("Animation Builder (mtb)", "comfy-mtb", "Animation Builder"),
            ("Save/Preview Text", "comfyui-mana-nodes", "Save/Preview"),
            ("HalloNode", "comfyui-hallo", "HalloNodes"),
        ],
    )
    def test_found_even_where_no_word_matches(
        self, catalog: Catalog, text: str, pack: str, part: str
    ) -> None:
        """Node classes are not words of the index: the whole name finds them, a part not."""
        assert found(catalog, text)[0] == pack
        assert found(catalog, part) == []

    def test_counted_like_any_match(self, catalog: Catalog) -> None:
        result = catalog.index.search(Query(text="PreViewVideo"))
        assert [r.id for r in result.items] == ["comfyui-hallo", "comfyui-diffsynth-studio"]
        assert result.facets["source"] == {SOURCE: 2}

    @pytest.mark.parametrize("text", ["flux", "Flux", "FLUX"])
    def test_a_node_class_that_is_a_plain_word_counts_as_a_name_match(
        self, catalog: Catalog, text: str
    ) -> None:
        """A pack with a node called ``Flux`` is found, among the packs about Flux, not above
        them all: people type "flux" for the topic."""
        assert found(catalog, text) == ["x-flux-comfyui", "comfyui-grok-prompts"]

    def test_a_pasted_url_still_means_that_one(self, catalog: Catalog) -> None:
        assert found(catalog, "https://github.com/melMass/comfy_mtb") == ["comfy-mtb"]
        assert found(catalog, "melMass/comfy_mtb") == ["comfy-mtb"]

    def test_providers_of_the_search_index(self, catalog: Catalog) -> None:
        assert [r.id for r in catalog.index.providers("previewvideo")] == [
            "comfyui-hallo",
            "comfyui-diffsynth-studio",
        ]
        assert SearchIndex([]).providers("PreViewVideo") == []


class TestNodeProviders:
    """``node_providers``: each type's packs, exact spelling first, installed first, marked."""

    def test_each_type_in_the_order_asked_with_its_providers(self, catalog: Catalog) -> None:
        answer = service.node_providers(
            catalog, ["PreViewVideo", "NoSuchNode", "VHS_LoadVideo"], service.Marks()
        )
        assert [t["type"] for t in answer["types"]] == [
            "PreViewVideo",
            "NoSuchNode",
            "VHS_LoadVideo",
        ]
        assert providers(answer, 0) == ["comfyui-hallo", "comfyui-diffsynth-studio"]
        assert providers(answer, 1) == []
        assert providers(answer, 2) == ["comfyui-videohelpersuite", "comfyui-s3-io"]
        assert answer["unmatched"] == 1

    def test_installed_packs_come_first(self, catalog: Catalog) -> None:
        marks = service.Marks(installed=frozenset({"comfyui-s3-io"}))
        answer = service.node_providers(catalog, ["VHS_LoadVideo"], marks)
        assert providers(answer) == ["comfyui-s3-io", "comfyui-videohelpersuite"]

    def test_providers_are_resources_with_the_users_marks(self, catalog: Catalog) -> None:
        marks = service.Marks(frozenset({"comfy-mtb"}), ("comfy-mtb",))
        answer = service.node_providers(catalog, ["Batch Float (mtb)"], marks)
        [provider] = answer["types"][0]["providers"]
        pack = catalog.get("comfy-mtb")
        assert pack is not None
        assert provider == marks.mark([pack.to_dict()])[0]
        assert (provider["installed"], provider["favorite"]) == (True, True)
        assert provider["node_count"] == 2
        assert "node_types" not in provider  # the list is one resource's details

    @pytest.mark.parametrize(
        ("asked", "expected"),
        [
            pytest.param("SAM2Segment", ["comfyui-rmbg"], id="exact"),
            pytest.param("Sam2Segment", ["comfyui-grounding"], id="exact-other-spelling"),
            pytest.param("sam2segment", ["comfyui-rmbg", "comfyui-grounding"], id="any-case"),
        ],
    )
    def test_the_exact_spelling_wins_over_other_letter_cases(
        self, catalog: Catalog, asked: str, expected: list[str]
    ) -> None:
        """ComfyUI looks node classes up case-sensitively: a pack spelling the name otherwise
        is named only when no pack spells it this way."""
        assert providers(service.node_providers(catalog, [asked], service.Marks())) == expected

    def test_types_are_answered_as_sent_once_each(self, catalog: Catalog) -> None:
        asked = [" VHS_LoadVideo ", "HalloNode", " VHS_LoadVideo ", "HalloNode"]
        answer = service.node_providers(catalog, asked, service.Marks())
        assert [t["type"] for t in answer["types"]] == [" VHS_LoadVideo ", "HalloNode"]
        assert providers(answer) == ["comfyui-videohelpersuite", "comfyui-s3-io"]
        assert answer["unmatched"] == 0

    def test_nothing_asked_nothing_answered(self, catalog: Catalog) -> None:
        assert service.node_providers(catalog, [], service.Marks()) == {
            "types": [],
            "unmatched": 0,
        }

    def test_providers_are_bounded_most_starred_first(self) -> None:
        packs = [
            bare_resource(f"p{n:02}", stars=None if n % 7 == 0 else n, node_types=("Same",))
            for n in range(service.MAX_PROVIDERS + 10)
        ]
        catalog = merge([SourceResult(SOURCE, tuple(packs))])
        listed = providers(service.node_providers(catalog, ["Same"], service.Marks()))
        starred = [f"p{n:02}" for n in range(service.MAX_PROVIDERS + 9, 0, -1) if n % 7]
        assert listed == starred[: service.MAX_PROVIDERS]

    def test_the_most_types_one_request_may_ask_about(self, catalog: Catalog) -> None:
        asked = [f"Node{n}" for n in range(MAX_NODE_TYPES_ASKED)]
        answer = service.node_providers(catalog, asked, service.Marks())
        assert answer["unmatched"] == MAX_NODE_TYPES_ASKED
        with pytest.raises(DomainError) as caught:
            service.node_providers(catalog, [*asked, "One More"], service.Marks())
        assert (caught.value.kind, caught.value.param, caught.value.message) == (
            ErrorKind.INVALID,
            "types",
            "501 node types; ask about 500 at most per request",
        )

    @pytest.mark.parametrize(
        ("types", "message"),
        [
            pytest.param(None, 'send {"types": [node class names]}', id="nothing"),
            pytest.param("VHS_LoadVideo", 'send {"types": [node class names]}', id="one-text"),
            pytest.param({"VHS_LoadVideo": 1}, 'send {"types": [node class names]}', id="mapping"),
            pytest.param(["ok", 3], "types[1] 3 must be text, got int", id="number"),
            pytest.param(["ok", None], "types[1] None must be text, got nothing", id="null"),
            pytest.param([" \t"], "types[0] ' \\t' must not be empty", id="blank"),
            pytest.param(
                ["VHS_Load\x00Video"],
                "types[0] 'VHS_Load\\x00Video' must not contain control characters",
                id="control",
            ),
            pytest.param(
                ["evil\u202etxt"],
                "types[0] 'evil\\u202etxt' must not contain characters that reorder text on "
                "screen (U+202A-U+202E, U+2066-U+2069)",
                id="bidi",
            ),
            pytest.param(
                ["x" * (MAX_NODE_TYPE + 1)],
                f"types[0] {excerpt('x' * 201)} is {MAX_NODE_TYPE + 1} characters long; "
                f"the limit is {MAX_NODE_TYPE}",
                id="too-long",
            ),
        ],
    )
    def test_bad_types_are_refused_naming_the_item(
        self, catalog: Catalog, types: object, message: str
    ) -> None:
        with pytest.raises(DomainError) as caught:
            service.node_providers(catalog, types, service.Marks())
        assert (caught.value.kind, caught.value.param) == (ErrorKind.INVALID, "types")
        assert caught.value.message == message

    def test_the_longest_name_is_taken(self, catalog: Catalog) -> None:
        answer = service.node_providers(catalog, ["x" * MAX_NODE_TYPE], service.Marks())
        assert answer["unmatched"] == 1
        assert node_type_problem(" x ") is None


class TestResourceDetails:
    """One resource's details list every node class it provides; lists give the count."""

    def test_node_types_listed(self, catalog: Catalog) -> None:
        details = service.resource_details(catalog, "comfyui-s3-io", service.Marks())
        assert details["node_types"] == [
            "LoadImageS3",
            "SaveImageS3",
            "VHS_AudioToVHSAudio",
            "VHS_LoadVideo",
        ]
        assert details["node_count"] == 4
        assert details["installed"] is False

    def test_a_resource_without_node_classes_lists_none(self, catalog: Catalog) -> None:
        details = service.resource_details(catalog, "wan-model", service.Marks())
        assert (details["node_types"], details["node_count"]) == ([], 0)
