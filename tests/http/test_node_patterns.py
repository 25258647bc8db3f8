"""Packs that name their node classes by a pattern: ComfyUI-Manager's ``nodename_pattern``.

Some packs list no class names in the Manager's node map, only a pattern (``\\(mtb\\)$``
for MTB Nodes); a workflow's missing ``Image Blend (mtb)`` is theirs. Read from a real
Manager folder, through the real server and the command line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nodes.app.pack import Pack
from nodes.cli.main import EXIT_OK, EXIT_PROBLEMS, main
from tests.helpers.live import LiveServer, comfy_app

pytestmark = pytest.mark.http

MTB = "https://github.com/melMass/comfy_mtb"
KJ = "https://github.com/kijai/ComfyUI-KJNodes"


@pytest.fixture
def manager_folder(tmp_path: Path) -> Path:
    """A Manager database: MTB Nodes known by a pattern, KJNodes by its class names."""
    folder = tmp_path / "ComfyUI-Manager"
    folder.mkdir()
    packs = [
        {"reference": MTB, "title": "MTB Nodes", "files": [MTB], "install_type": "git-clone"},
        {"reference": KJ, "title": "KJNodes", "files": [KJ], "install_type": "git-clone"},
    ]
    node_map: dict[str, Any] = {
        MTB: [[], {"title_aux": "MTB Nodes", "nodename_pattern": "\\(mtb\\)$"}],
        KJ: [["GetNode", "SetNode"], {"title_aux": "KJNodes"}],
    }
    (folder / "custom-node-list.json").write_text(json.dumps({"custom_nodes": packs}))
    (folder / "extension-node-map.json").write_text(json.dumps(node_map))
    return folder


@pytest.fixture
def api(tmp_path: Path, data_dir: Path, manager_folder: Path) -> Iterator[LiveServer]:
    pack = Pack(tmp_path / "user", data_dir, custom_nodes=[])
    pack.update_source("manager", {"enabled": True, "folder": str(manager_folder)})
    with LiveServer(comfy_app(lambda: pack)) as server:
        yield server


def test_a_type_the_pattern_finds(api: LiveServer) -> None:
    """Listed names win; a pattern answers only for a type no pack lists."""
    types = ["Image Blend (mtb)", "GetNode", "Image Blend (mtb) copy"]
    body = api.post("/node-types", json={"types": types})
    found = {t["type"]: [p["name"] for p in t["providers"]] for t in body.json()["types"]}
    assert found == {
        "Image Blend (mtb)": ["MTB Nodes"],
        "GetNode": ["KJNodes"],
        "Image Blend (mtb) copy": [],  # the pattern is anchored at the end
    }
    assert body.json()["unmatched"] == 1


def test_the_command_line_reads_the_same_patterns(
    manager_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--cache-dir", str(tmp_path / "cache"), "--with-manager-db", str(manager_folder)]
    assert main([*argv, "provides", "Blur (mtb)"]) == EXIT_OK
    assert "MTB Nodes" in capsys.readouterr().out
    assert main([*argv, "provides", "Blur"]) == EXIT_PROBLEMS
