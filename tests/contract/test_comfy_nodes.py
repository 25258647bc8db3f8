"""The node classes called the way ComfyUI calls them: class attributes, then methods."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nodes.app.pack import Pack
from nodes.comfy import choices as choices_module
from nodes.comfy.node_classes import (
    BROWSER_LIMIT_MAX,
    NODE_CLASS_MAPPINGS,
    NODE_DISPLAY_NAME_MAPPINGS,
    ResourceBrowser,
    ResourcePicker,
)
from nodes.core.catalog import Catalog
from nodes.core.constants import SORTS
from nodes.core.model import KINDS, Resource
from tests.helpers.sample_catalogue import ALL_IDS, BY_NAME, BY_UPDATED, WAN_MODEL

BROWSE_ARGS: dict[str, Any] = {
    "query": "",
    "category": "all",
    "kind": "all",
    "tag": "",
    "sort": "relevance",
    "limit": 10,
}
PICKER_LABELS = [
    "Video Helper Suite — Video",
    "AnimateDiff Evolved — Video",
    "Wan Model — Video",
    "Upscale Tool — Tools",
    "ComfyUI Docs — Tools",
]
# What earlier versions listed, and saved workflows may still hold.
OLD_PICKER_LABELS = [
    "Video / Video Helper Suite",
    "Video / AnimateDiff Evolved",
    "Video / Wan Model",
    "Tools / Upscale Tool",
    "Tools / ComfyUI Docs",
]


Node = type[ResourceBrowser] | type[ResourcePicker]


def inputs(node: Node) -> dict[str, tuple[Any, dict[str, Any]]]:
    """INPUT_TYPES() as ComfyUI reads it: only required inputs here."""
    types_ = node.INPUT_TYPES()
    assert list(types_) == ["required"]
    required: dict[str, tuple[Any, dict[str, Any]]] = types_["required"]
    return required


class TestMappings:
    """Node ids carry the pack prefix, and every node has a display name."""

    def test_ids_and_names(self) -> None:
        expected = {
            "AwesomeBeyond_ResourceBrowser": ResourceBrowser,
            "AwesomeBeyond_ResourcePicker": ResourcePicker,
        }
        assert expected == NODE_CLASS_MAPPINGS
        assert set(NODE_DISPLAY_NAME_MAPPINGS) == set(NODE_CLASS_MAPPINGS)

    @pytest.mark.parametrize("node", [ResourceBrowser, ResourcePicker])
    def test_class_attributes(self, node: Node) -> None:
        assert callable(getattr(node, node.FUNCTION))
        assert node.CATEGORY == "Awesome Beyond"
        assert len(node.DESCRIPTION) > 40
        returns = (node.RETURN_TYPES, node.RETURN_NAMES, node.OUTPUT_TOOLTIPS)
        assert len({len(r) for r in returns}) == 1
        assert all(node.OUTPUT_TOOLTIPS)

    def test_both_are_output_nodes(self) -> None:
        """Each runs on its own (nothing connected) and shows its result on the node."""
        assert ResourceBrowser.OUTPUT_NODE is True
        assert ResourcePicker.OUTPUT_NODE is True

    def test_return_types(self) -> None:
        assert ResourceBrowser.RETURN_TYPES == ("STRING", "STRING", "INT")
        assert ResourceBrowser.RETURN_NAMES == ("markdown", "json", "count")
        assert ResourcePicker.RETURN_TYPES == ("STRING",) * 4
        assert ResourcePicker.RETURN_NAMES == ("url", "name", "description", "json")


@pytest.mark.usefixtures("pack")
class TestBrowserInputs:
    """The browser's widgets: combos from the catalogue, bounded limit, a tooltip on each."""

    def test_every_input_has_a_tooltip(self) -> None:
        for name, (_, options) in inputs(ResourceBrowser).items():
            assert options["tooltip"], name

    def test_inputs(self) -> None:
        required = inputs(ResourceBrowser)
        assert list(required) == ["query", "category", "kind", "tag", "sort", "limit"]
        assert required["query"][0] == "STRING"
        assert required["category"][0] == ["all", "My Resources", "Video", "Tools", "Empty Section"]
        assert required["kind"][0] == ["all", *KINDS]
        assert required["sort"][0] == list(SORTS)
        assert required["tag"][0] == "STRING"
        for name in ("category", "kind"):
            assert required[name][1]["default"] == "all"
        assert required["limit"] == (
            "INT",
            {
                "default": 10,
                "min": 1,
                "max": BROWSER_LIMIT_MAX,
                "tooltip": "How many resources to list.",
            },
        )

    def test_a_new_category_appears(self, data_dir: Path) -> None:
        categories = data_dir / "categories.yaml"
        categories.write_text(categories.read_text() + "  - id: audio\n    name: Audio\n")
        assert inputs(ResourceBrowser)["category"][0][-1] == "Audio"

    def test_equal_category_names_get_their_id(self, data_dir: Path) -> None:
        categories = data_dir / "categories.yaml"
        categories.write_text(categories.read_text() + "  - id: more-video\n    name: Video\n")
        menu = inputs(ResourceBrowser)["category"][0]
        assert menu == [
            "all",
            "My Resources",
            "Video [video]",
            "Tools",
            "Empty Section",
            "Video [more-video]",
        ]
        out = ResourceBrowser().browse(**{**BROWSE_ARGS, "category": "Video [video]"})
        assert out["result"][2] == 3


@pytest.mark.usefixtures("pack")
class TestBrowserValidation:
    """VALIDATE_INPUTS accepts good widget values and explains bad ones."""

    def test_fine(self) -> None:
        assert ResourceBrowser.VALIDATE_INPUTS(query="video", tag="video, frames") is True
        assert ResourceBrowser.VALIDATE_INPUTS() is True

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"tag": "bad tag!"}, "tag: 'tag!' is not a valid tag"),
            ({"tag": "Video, ÄÖ"}, "tag: 'äö' is not a valid tag"),
            ({"query": "x" * 201}, "q: is 201 characters long; the limit is 200"),
        ],
    )
    def test_bad(self, kwargs: dict[str, str], message: str) -> None:
        assert ResourceBrowser.VALIDATE_INPUTS(**kwargs) == message

    def test_linked_inputs_are_not_judged(self) -> None:
        assert ResourceBrowser.VALIDATE_INPUTS(query=None, tag=["x y"], category=None) is True

    @pytest.mark.parametrize("category", ["all", "Video", "video", "Empty Section", "empty"])
    def test_categories_by_name_or_by_the_id_older_workflows_saved(self, category: str) -> None:
        assert ResourceBrowser.VALIDATE_INPUTS(category=category) is True

    def test_an_unknown_category(self) -> None:
        message = (
            "category: 'Gone' is not a category of the catalogue (it may have been renamed "
            "or removed); pick another category"
        )
        assert ResourceBrowser.VALIDATE_INPUTS(category="Gone") == message
        with pytest.raises(ValueError, match=r"^category: 'Gone' is not a category"):
            ResourceBrowser().browse(**{**BROWSE_ARGS, "category": "Gone"})


class TestBrowserIsChanged:
    """IS_CHANGED is the catalogue version, so the node re-runs when the data changes."""

    def test_follows_the_data(self, pack: Pack, data_dir: Path) -> None:
        before = ResourceBrowser.IS_CHANGED(query="video")
        assert before == pack.catalog().version
        assert ResourceBrowser.IS_CHANGED() == before
        main = data_dir / "resources" / "main.yaml"
        main.write_text(main.read_text().replace("The manual.", "The whole manual."))
        after = ResourceBrowser.IS_CHANGED(query="video")
        assert after != before
        assert after == pack.catalog().version


class TestBrowse:
    """browse() shows Markdown on the node and outputs the matches as JSON and a count."""

    @pytest.mark.parametrize(
        ("args", "expected", "count"),
        [
            ({}, ALL_IDS, 5),
            ({"query": "video"}, ("video-helper", "animate-diff", "wan-model"), 3),
            ({"category": "Tools"}, ("upscale-tool", "comfy-docs"), 2),
            ({"category": "tools"}, ("upscale-tool", "comfy-docs"), 2),
            ({"kind": "node-pack", "sort": "stars"}, ("animate-diff", "video-helper"), 2),
            ({"tag": "video, frames"}, ("video-helper",), 1),
            ({"sort": "updated", "limit": 2}, BY_UPDATED[:2], 5),
            ({"sort": "name"}, BY_NAME, 5),
        ],
    )
    @pytest.mark.usefixtures("pack")
    def test_json_lists_the_matches(
        self, args: dict[str, Any], expected: tuple[str, ...], count: int
    ) -> None:
        """The widgets filter, sort and limit as the sidebar does; count is every match."""
        out = ResourceBrowser().browse(**{**BROWSE_ARGS, **args})
        markdown, items, total = out["result"]
        assert out["ui"] == {"text": [markdown]}
        assert tuple(item["id"] for item in json.loads(items)) == expected
        assert total == count
        assert markdown.startswith(f"{len(expected)} of {count} resources")

    @pytest.mark.usefixtures("pack")
    def test_markdown(self) -> None:
        out = ResourceBrowser().browse(**{**BROWSE_ARGS, "query": "video", "limit": 2})
        assert out["result"][0] == (
            "2 of 3 resources for “video”\n\n"
            "1. **Video Helper Suite** (node-pack · Video · ★ 500 · updated 2025-03-01)\n"
            "   https://github.com/example/video-helper\n"
            "   Loads and saves frame sequences.\n\n"
            "2. **AnimateDiff Evolved** (node-pack · Video · ★ 1200 · updated 2024-11-20)\n"
            "   https://github.com/example/animatediff\n"
            "   Motion modules for diffusion models."
        )
        assert out["result"][2] == 3

    @pytest.mark.usefixtures("pack")
    def test_nothing_found(self) -> None:
        out = ResourceBrowser().browse(**{**BROWSE_ARGS, "query": "zzzzqqq"})
        assert out["result"] == (
            "0 of 0 resources for “zzzzqqq”. Try fewer words or filters.",
            "[]",
            0,
        )

    @pytest.mark.usefixtures("pack")
    @pytest.mark.parametrize(("limit", "listed"), [(0, 1), (-5, 1), (3, 3), (1000, 5)])
    def test_limit_is_clamped(self, limit: int, listed: int) -> None:
        out = ResourceBrowser().browse(**{**BROWSE_ARGS, "limit": limit})
        assert len(json.loads(out["result"][1])) == listed

    @pytest.mark.usefixtures("pack")
    def test_a_linked_overlong_query_is_cut_not_failed(self) -> None:
        out = ResourceBrowser().browse(**{**BROWSE_ARGS, "query": "  video" + " x" * 300})
        assert out["result"][2] == 0

    def test_user_entries_are_listed(self, pack: Pack) -> None:
        pack.user.add(
            {"name": "Mine", "url": "https://example.com/mine", "kind": "tool"}, pack.catalog()
        )
        for category in ("My Resources", "mine"):
            out = ResourceBrowser().browse(**{**BROWSE_ARGS, "category": category})
            assert [item["id"] for item in json.loads(out["result"][1])] == ["example-com-mine"]
        assert "(tool · My Resources)" in out["result"][0]


@pytest.mark.usefixtures("pack")
class TestPicker:
    """The picker lists unique Name — Category labels, shows and outputs the chosen resource."""

    def test_inputs(self) -> None:
        [(name, (labels, options))] = inputs(ResourcePicker).items()
        assert name == "resource"
        assert labels == PICKER_LABELS
        assert "Name — Category" in options["tooltip"]

    def test_menu_is_bounded_and_any_label_still_works(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Past MAX_PICKER_MENU the menu keeps the most popular, in catalogue order; a label
        left out (saved in a workflow, or typed) is still accepted and picks its entry."""
        monkeypatch.setattr(choices_module, "MAX_PICKER_MENU", 2)
        choices_module._cache.clear()
        labels = inputs(ResourcePicker)["resource"][0]
        assert labels == ["Video Helper Suite — Video", "AnimateDiff Evolved — Video"]
        assert ResourcePicker.VALIDATE_INPUTS(resource="Upscale Tool — Tools") is True
        assert "Upscale Tool" in ResourcePicker().pick("Upscale Tool — Tools")["ui"]["text"][0]

    def test_menu_lists_hand_picked_entries_first(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Curated and the user's own entries are listed before more popular database ones."""
        monkeypatch.setattr(choices_module, "MAX_PICKER_MENU", 2)
        made = [
            Resource(
                "db-top", "Top", "https://x.org/1", "tools", "tool", stars=9000, source="manager"
            ),
            Resource("mine", "Mine", "https://x.org/2", "tools", "tool", source="user"),
            Resource(
                "db-low", "Low", "https://x.org/3", "tools", "tool", stars=5, source="manager"
            ),
            Resource("hand", "Hand", "https://x.org/4", "tools", "tool", source="curated"),
        ]
        menu = choices_module.choices(Catalog(made, version="menu-test")).menu
        assert [label.split(" — ")[0] for label in menu] == ["Mine", "Hand"]

    def test_equal_names_get_their_id(self, data_dir: Path) -> None:
        (data_dir / "resources" / "more.yaml").write_text(
            "resources:\n  - id: upscale-tool-2\n    name: Upscale Tool\n"
            "    url: https://example.net/upscale\n    category: tools\n    kind: tool\n"
            "    description: Another one.\n"
        )
        labels = inputs(ResourcePicker)["resource"][0]
        assert len(labels) == len(set(labels)) == 6
        assert "Upscale Tool — Tools [upscale-tool]" in labels
        assert "Upscale Tool — Tools [upscale-tool-2]" in labels
        assert "Upscale Tool — Tools" not in labels
        out = ResourcePicker().pick("Upscale Tool — Tools [upscale-tool-2]")
        assert out["result"][0] == "https://example.net/upscale"
        # The label an earlier version saved for it still names it.
        assert ResourcePicker().pick("Tools / Upscale Tool [upscale-tool-2]") == out

    def test_pick_shows_the_choice_on_the_node(self) -> None:
        out = ResourcePicker().pick("Wan Model — Video")
        url, name, description, record = out["result"]
        assert (url, name, description) == (
            "https://huggingface.co/example/wan",
            "Wan Model",
            "Open weights that turn text into clips.",
        )
        assert json.loads(record) == WAN_MODEL
        assert out["ui"] == {
            "text": [
                "**Wan Model** (model · Video)\nhttps://huggingface.co/example/wan\n\n"
                "Open weights that turn text into clips."
            ]
        }

    def test_pick_without_a_description_shows_no_empty_paragraph(self, pack: Pack) -> None:
        entry = {"name": "Bare Tool", "url": "https://example.net/bare", "kind": "tool"}
        pack.user.add({**entry, "category": "mine"}, pack.catalog())
        out = ResourcePicker().pick("Bare Tool — My Resources")
        assert out["result"][2] == ""
        assert out["ui"] == {
            "text": ["**Bare Tool** (tool · My Resources)\nhttps://example.net/bare"]
        }

    @pytest.mark.parametrize(
        ("label", "old"), list(zip(PICKER_LABELS, OLD_PICKER_LABELS, strict=True))
    )
    def test_labels_saved_by_earlier_versions_still_work(self, label: str, old: str) -> None:
        assert ResourcePicker.VALIDATE_INPUTS(resource=old) is True
        assert ResourcePicker().pick(old) == ResourcePicker().pick(label)
        assert ResourcePicker.IS_CHANGED(resource=old) == ResourcePicker.IS_CHANGED(resource=label)

    def test_pick_unknown(self) -> None:
        with pytest.raises(ValueError, match=r"^'Gone / Away' is not in the catalogue; pick "):
            ResourcePicker().pick("Gone / Away")

    def test_validate(self) -> None:
        assert ResourcePicker.VALIDATE_INPUTS(resource="ComfyUI Docs — Tools") is True
        assert ResourcePicker.VALIDATE_INPUTS(resource=None) is True  # linked: judged when run
        assert ResourcePicker.VALIDATE_INPUTS(resource="Gone / Away") == (
            "'Gone / Away' is not in the catalogue (it may have been renamed or removed); "
            "pick another resource"
        )
        assert ResourcePicker.VALIDATE_INPUTS() == (
            "'' is not in the catalogue (it may have been renamed or removed); "
            "pick another resource"
        )

    def test_is_changed_follows_the_record(self, pack: Pack, data_dir: Path) -> None:
        label = "ComfyUI Docs — Tools"
        before = ResourcePicker.IS_CHANGED(resource=label)
        assert ResourcePicker.IS_CHANGED(resource=label) == before
        main = data_dir / "resources" / "main.yaml"
        main.write_text(main.read_text().replace("    stars: 500\n", "    stars: 501\n"))
        assert ResourcePicker.IS_CHANGED(resource=label) == before  # another record changed
        main.write_text(main.read_text().replace("The manual.", "The whole manual."))
        assert ResourcePicker.IS_CHANGED(resource=label) != before

    def test_is_changed_for_an_unknown_label(self) -> None:
        """Every label that names nothing is the same state, unlike any resource's."""
        unknown = ResourcePicker.IS_CHANGED(resource="Gone / Away")
        assert ResourcePicker.IS_CHANGED(resource="Also / Gone") == unknown
        assert ResourcePicker.IS_CHANGED(resource="ComfyUI Docs — Tools") != unknown
