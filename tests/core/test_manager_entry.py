"""The ComfyUI-Manager entry in docs/comfyui-manager-entry.md: the Manager's own checks, and
agreement with pyproject.toml.

The rules are those of ComfyUI-Manager's ``json-checker.py`` (which its CI runs on
``custom-node-list.json``), written here from their description, not copied.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "comfyui-manager-entry.md"
REQUIRED = ("author", "title", "reference", "files", "install_type", "description")
KNOWN = {*REQUIRED, "id", "pip", "tags", "nodename_pattern", "preemptions"}
GITHUB_REPO = re.compile(r"^https://github\.com/[^/]+/[^/]+$")
tomllib = pytest.importorskip("tomllib")


def manager_problems(document: object) -> list[str]:
    """What the Manager's checker reports for a ``{"custom_nodes": [...]}`` document."""
    if not isinstance(document, dict) or not isinstance(document.get("custom_nodes"), list):
        return ["not a custom_nodes document"]
    problems: list[str] = []
    for number, entry in enumerate(document["custom_nodes"], 1):
        if not isinstance(entry, dict):
            problems.append(f"entry {number}: must be an object")
            continue
        for name in REQUIRED:
            value = entry.get(name)
            if name not in entry:
                problems.append(f"entry {number}: missing {name!r}")
            elif value is None:
                problems.append(f"entry {number}: {name!r} is null")
            elif isinstance(value, str) and not value.strip():
                problems.append(f"entry {number}: {name!r} is empty")
            elif name == "files" and not value:
                problems.append(f"entry {number}: 'files' is an empty array")
        files = entry.get("files")
        for url in files if isinstance(files, list) else []:
            if not isinstance(url, str) or url.endswith((".py", ".js")) or "github.com" not in url:
                continue
            if url.endswith(".git"):
                problems.append(f"entry {number}: {url} ends with .git")
            elif not GITHUB_REPO.match(url):
                problems.append(f"entry {number}: {url} is not https://github.com/author/repo")
    return problems


def entry() -> dict[str, Any]:
    blocks = re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 1, "the doc holds exactly one JSON block: the entry"
    found: dict[str, Any] = json.loads(blocks[0])
    return found


def pyproject() -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return data


def test_the_entry_passes_the_managers_checks() -> None:
    assert manager_problems({"custom_nodes": [entry()]}) == []
    assert set(entry()) <= KNOWN


def test_the_entry_agrees_with_pyproject() -> None:
    found, project = entry(), pyproject()
    repository = project["project"]["urls"]["Repository"]
    comfy = project["tool"]["comfy"]
    assert found == {
        "author": comfy["PublisherId"],
        "title": comfy["DisplayName"],
        "id": project["project"]["name"],
        "reference": repository,
        "files": [repository],
        "install_type": "git-clone",
        "description": project["project"]["description"],
    }
    assert [a["name"] for a in project["project"]["authors"]] == [comfy["PublisherId"]]


def test_the_readme_installs_from_the_same_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"git clone {entry()['reference']}" in readme
    assert "docs/comfyui-manager-entry.md" in readme


def test_the_registry_icon_is_the_committed_one() -> None:
    """[tool.comfy].Icon is the raw URL, on the default branch, of docs/img/icon.png."""
    icon = pyproject()["tool"]["comfy"]["Icon"]
    raw = entry()["reference"].replace("https://github.com/", "https://raw.githubusercontent.com/")
    assert icon == f"{raw}/main/docs/img/icon.png"
    png = (ROOT / "docs" / "img" / "icon.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == height <= 400


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ({"models": []}, "not a custom_nodes document"),
        ({"custom_nodes": ["x"]}, "entry 1: must be an object"),
        ({"custom_nodes": [{}]}, "entry 1: missing 'author'"),
        ({"custom_nodes": [{"author": None}]}, "entry 1: 'author' is null"),
        ({"custom_nodes": [{"title": " "}]}, "entry 1: 'title' is empty"),
        ({"custom_nodes": [{"files": []}]}, "entry 1: 'files' is an empty array"),
        (
            {"custom_nodes": [{"files": ["https://github.com/a/b.git"]}]},
            "entry 1: https://github.com/a/b.git ends with .git",
        ),
        (
            {"custom_nodes": [{"files": ["https://github.com/a/b/tree/main"]}]},
            "entry 1: https://github.com/a/b/tree/main is not https://github.com/author/repo",
        ),
    ],
)
def test_the_checks_catch_what_the_manager_refuses(document: object, problem: str) -> None:
    """The re-written rules refuse what the Manager's checker refuses."""
    assert problem in manager_problems(document)


def test_the_checks_pass_scripts_and_other_hosts() -> None:
    files = ["https://github.com/a/b/raw/main/x.py", "https://gitlab.com/a/b.git"]
    entry_ = dict.fromkeys(REQUIRED, "x") | {"files": files}
    assert manager_problems({"custom_nodes": [entry_]}) == []
