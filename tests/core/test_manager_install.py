"""What ComfyUI-Manager needs to install a pack or download a model, read from its lists.

A pack's Manager id, install type and files, and a model's download fields, are optional:
a bad one is reported and left out, and the entry still loads.
"""

from __future__ import annotations

from typing import Any

import pytest

from nodes.core.model import ModelFile
from nodes.sources import manager_db
from nodes.sources.manager_db import parse_model_list, parse_node_list

REFERENCE = "https://github.com/Owner/Pack"


def texts(problems: Any) -> list[str]:
    return [str(p) for p in problems]


def parse_pack(**fields: Any) -> tuple[Any, list[str]]:
    """One node-list entry with ``fields``: its resource (or ``None``) and its problems."""
    entry = {"reference": REFERENCE, "title": "Pack", **fields}
    found, problems = parse_node_list({"custom_nodes": [entry]}, "n.json", {})
    return (found[0][0] if found else None), texts(problems)


MODEL = {
    "name": "Model",
    "type": "checkpoint",
    "base": "SDXL",
    "save_path": "checkpoints",
    "filename": "m.safetensors",
    "url": "https://huggingface.co/org/repo/resolve/main/m.safetensors",
    "reference": "https://huggingface.co/org/repo",
}


def parse_model(**fields: Any) -> tuple[Any, list[str]]:
    found, problems = parse_model_list({"models": [{**MODEL, **fields}]}, "m.json")
    return (found[0][0] if found else None), texts(problems)


class TestPackId:
    """The Manager's id is taken only from an explicit, valid ``id``; none is derived."""

    @pytest.mark.parametrize(
        ("fields", "pack_id"),
        [
            pytest.param({"id": "comfyui-impact-pack"}, "comfyui-impact-pack", id="explicit"),
            pytest.param({"id": "Was_NS.2"}, "Was_NS.2", id="case-and-dots"),
            pytest.param({}, "", id="absent"),
            pytest.param({"id": None}, "", id="null"),
        ],
    )
    def test_kept(self, fields: dict[str, Any], pack_id: str) -> None:
        resource, problems = parse_pack(**fields)
        assert (resource.pack_id, problems) == (pack_id, [])

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            (
                "SATA UtilityNode",
                "'SATA UtilityNode' is not a pack id; use letters, digits, '.', '_' or '-'",
            ),
            (7, "must be text, got int"),
        ],
    )
    def test_a_bad_one_is_left_out(self, value: object, message: str) -> None:
        resource, problems = parse_pack(id=value)
        assert (resource.id, resource.pack_id) == ("owner.pack", "")
        assert problems == [f"n.json: custom_nodes[0].pack_id: {message}; left out"]


class TestInstallType:
    """The Manager's spellings are made one: any case, ``git`` for ``git-clone``."""

    @pytest.mark.parametrize(
        ("value", "install_type"),
        [
            ("git-clone", "git-clone"),
            ("Git-Clone", "git-clone"),
            ("git", "git-clone"),
            ("COPY", "copy"),
            ("unzip", "unzip"),
            (None, ""),
        ],
    )
    def test_normalised(self, value: object, install_type: str) -> None:
        resource, problems = parse_pack(install_type=value)
        assert (resource.install_type, problems) == (install_type, [])

    @pytest.mark.parametrize(
        ("value", "shown"), [("pip", "'pip'"), ("", "''"), (3, "3"), (["git"], "['git']")]
    )
    def test_an_unknown_one_is_left_out(self, value: object, shown: str) -> None:
        resource, problems = parse_pack(install_type=value, files=[REFERENCE])
        assert (resource.install_type, resource.install_url) == ("", "")
        assert problems == [
            f"n.json: custom_nodes[0].install_type: {shown} is not an install type; use one of: "
            "git-clone, copy, unzip, cnr; left out"
        ]


class TestFiles:
    """The files the Manager fetches: any http(s) URLs, a mirror on this network too."""

    def test_kept_as_listed(self) -> None:
        files = [REFERENCE, "http://127.0.0.1:8080/me/pack.git"]
        resource, problems = parse_pack(files=files, install_type="git-clone")
        assert (resource.files, resource.install_url, problems) == (tuple(files), REFERENCE, [])

    def test_a_mirror_first_is_fetched_not_shown(self) -> None:
        """A pack whose clone URL only this network reaches still loads; no command shows it."""
        files = ["http://127.0.0.1:8080/me/pack.git"]
        resource, problems = parse_pack(files=files, install_type="git-clone")
        assert (resource.files, resource.install_url, problems) == (tuple(files), "", [])

    @pytest.mark.parametrize("value", [[], None, ""])
    def test_none(self, value: object) -> None:
        resource, problems = parse_pack(files=value)
        assert (resource.files, problems) == ((), [])

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            (REFERENCE, "must be a list of URLs, got str"),
            (
                [REFERENCE, "not a url"],
                "'not a url': must not contain spaces or control characters",
            ),
            ([REFERENCE, 3], "3: must be text, got int"),
        ],
    )
    def test_bad_ones_are_left_out(self, value: object, message: str) -> None:
        resource, problems = parse_pack(files=value)
        assert (resource.id, resource.files) == ("owner.pack", ())
        assert problems == [f"n.json: custom_nodes[0].files: {message}; left out"]

    def test_capped(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(manager_db, "MAX_FILES", 2)
        files = [f"https://x.org/f{i}.py" for i in range(3)]
        resource, problems = parse_pack(files=files)
        assert resource.files == tuple(files[:2])
        assert problems == ["n.json: custom_nodes[0].files: has 3 files; only the first 2 are kept"]


class TestLeftOutOrSkipped:
    """Optional fields are left out only when the rest is valid; else the entry is skipped."""

    def test_several_optional_fields_at_once(self) -> None:
        resource, problems = parse_pack(id="bad id", install_type="pip", files="x")
        assert (resource.pack_id, resource.install_type, resource.files) == ("", "", ())
        assert [p.split(": ")[1] for p in problems] == [
            "custom_nodes[0].pack_id",
            "custom_nodes[0].install_type",
            "custom_nodes[0].files",
        ]

    def test_a_bad_required_field_still_skips_the_entry(self) -> None:
        found, problems = parse_node_list(
            {"custom_nodes": [{"reference": "http://127.0.0.1/me/pack", "id": "bad id"}]},
            "n.json",
            {},
        )
        assert found == []
        assert texts(problems) == [
            "n.json: custom_nodes[0].url: host 127.0.0.1 is an address on this machine or a "
            "private network (loopback); a link must lead to the public internet; skipped"
        ]


class TestModelFile:
    """A model keeps the fields the Manager's download checks, exactly as its list has them."""

    def test_exactly_as_listed(self) -> None:
        resource, problems = parse_model()
        assert problems == []
        assert resource.model_file == ModelFile(
            name="Model",
            type="checkpoint",
            base="SDXL",
            save_path="checkpoints",
            filename="m.safetensors",
            url=MODEL["url"],
        )
        assert (resource.url, resource.id) == (
            MODEL["url"],
            "huggingface-co-org-repo-resolve-main-m-safetensors",
        )

    def test_a_mirror_on_this_network_links_to_the_reference(self) -> None:
        """The file comes from the mirror; the resource links to the public page."""
        mirror = "http://127.0.0.1:8000/models/m.safetensors"
        resource, problems = parse_model(url=mirror)
        assert problems == []
        assert (resource.url, resource.id, resource.author) == (
            MODEL["reference"],
            "huggingface-co-org-repo",
            "org",
        )
        assert resource.model_file.url == mirror

    def test_a_snapshot_id_links_to_the_reference(self) -> None:
        """A Hugging Face repository id (``org/repo``) is no download URL: no model_file."""
        resource, problems = parse_model(url="org/repo", filename="<huggingface>")
        assert (resource.url, resource.name, resource.model_file) == (
            MODEL["reference"],
            "Model",
            None,
        )
        assert problems == [
            "m.json: models[0].model_file: url must start with http:// or https://; left out"
        ]

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"filename": "sub/m.safetensors"}, "filename must be a file name, not a path"),
            ({"base": ""}, "base must not be empty"),
            ({"save_path": None}, "save_path must be text, got nothing"),
        ],
    )
    def test_an_unusable_one_is_left_out(self, fields: dict[str, Any], message: str) -> None:
        resource, problems = parse_model(**fields)
        assert (resource.url, resource.model_file) == (MODEL["url"], None)
        assert problems == [f"m.json: models[0].model_file: {message}; left out"]
