"""The sample data every tier shares: a small, valid curated data folder, entries whose links
lead to a local server, and a ComfyUI-Manager database folder.

The catalogue holds five resources in two categories (and one empty category), with stars,
dates and tags chosen so that every sort order differs. ``broken=True`` adds a file with one
entry whose URL is refused, at a known line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers.upstream import MANAGER_DOCS

CATEGORIES = """\
categories:
  - id: video
    name: Video
    description: Making and editing moving pictures.
  - id: tools
    name: Tools
    description: Helpers around ComfyUI.
  - id: empty
    name: Empty Section
    description: A section with nothing in it yet.
"""

RESOURCES = """\
resources:
  - id: video-helper
    name: Video Helper Suite
    url: https://github.com/example/video-helper
    category: video
    kind: node-pack
    description: Loads and saves frame sequences.
    tags: [video, frames]
    author: alice
    stars: 500
    updated: 2025-03-01
  - id: animate-diff
    name: AnimateDiff Evolved
    url: https://github.com/example/animatediff
    category: video
    kind: node-pack
    description: Motion modules for diffusion models.
    tags: [video, animation]
    author: bob
    stars: 1200
    updated: 2024-11-20
  - id: wan-model
    name: Wan Model
    url: https://huggingface.co/example/wan
    category: video
    kind: model
    description: Open weights that turn text into clips.
    tags: [video, weights]
    updated: 2025-05-05
  - id: upscale-tool
    name: Upscale Tool
    url: https://example.org/upscale
    category: tools
    kind: tool
    description: Makes small pictures larger.
    tags: [upscaling]
    author: carol
    stars: 50
  - id: comfy-docs
    name: ComfyUI Docs
    url: https://docs.example.org
    category: tools
    kind: docs
    description: The manual.
    tags: [docs, learning]
"""

BROKEN = """\
resources:
  - id: bad-link
    name: Bad Link
    category: tools
    kind: tool
    url: ftp://example.com/file
    description: Served over FTP only.
"""
BROKEN_PROBLEM = {
    "line": 6,
    "field": "url",
    "message": "scheme 'ftp' is not allowed; use http or https",
}

# What an entry leaves empty of the facts only a database brings (DATABASE_FIELDS in
# nodes/core/validate.py), as the HTTP API and `--json` serve them.
NO_DATABASE_FACTS: dict[str, Any] = {
    "pack_id": "",
    "install_type": "",
    "files": [],
    "version": "",
    "node_count": 0,
    "model_file": None,
    "downloads": None,
    "rating": None,
    "publisher": "",
}
# Two of the resources as the HTTP API and `--json` serve them.
VIDEO_HELPER: dict[str, Any] = {
    "id": "video-helper",
    "name": "Video Helper Suite",
    "url": "https://github.com/example/video-helper",
    "category": "video",
    "kind": "node-pack",
    "description": "Loads and saves frame sequences.",
    "tags": ["video", "frames"],
    "author": "alice",
    "license": "",
    "install_url": "",
    "stars": 500,
    "updated": "2025-03-01",
    "source": "curated",
    **NO_DATABASE_FACTS,
}
WAN_MODEL: dict[str, Any] = {
    "id": "wan-model",
    "name": "Wan Model",
    "url": "https://huggingface.co/example/wan",
    "category": "video",
    "kind": "model",
    "description": "Open weights that turn text into clips.",
    "tags": ["video", "weights"],
    "author": "",
    "license": "",
    "install_url": "",
    "stars": None,
    "updated": "2025-05-05",
    "source": "curated",
    **NO_DATABASE_FACTS,
}
# What the local test server answers under /links/: alive, dead, redirected to the first.
LINKS = (("alive", "200"), ("gone", "404"), ("moved", "moved"))

ALL_IDS = ("video-helper", "animate-diff", "wan-model", "upscale-tool", "comfy-docs")
BY_NAME = ("animate-diff", "comfy-docs", "upscale-tool", "video-helper", "wan-model")
BY_STARS = ("animate-diff", "video-helper", "upscale-tool", "comfy-docs", "wan-model")
BY_UPDATED = ("wan-model", "video-helper", "animate-diff", "comfy-docs", "upscale-tool")
CATEGORY_IDS = ("video", "tools", "empty")


def write_catalogue(folder: Path, *, broken: bool = False) -> Path:
    """Write the sample data folder into ``folder`` and return it."""
    (folder / "resources").mkdir(parents=True)
    (folder / "categories.yaml").write_text(CATEGORIES, encoding="utf-8")
    (folder / "resources" / "main.yaml").write_text(RESOURCES, encoding="utf-8")
    if broken:
        (folder / "resources" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    return folder


def link_entries(base: str) -> list[dict[str, Any]]:
    """Entries (as a user or curator writes them) whose links lead to the server at ``base``."""
    return [
        {"id": rid, "name": rid, "url": f"{base}/links/{path}", "kind": "tool"}
        for rid, path in LINKS
    ]


def write_link_catalogue(folder: Path, base: str, *, broken: bool = False) -> Path:
    """A data folder of :func:`link_entries`; ``broken=True`` adds the refused entry."""
    (folder / "resources").mkdir(parents=True)
    (folder / "categories.yaml").write_text(
        "categories:\n  - id: tools\n    name: Tools\n", encoding="utf-8"
    )
    entries = "".join(
        f"  - id: {e['id']}\n    name: {e['name']}\n    description: A link.\n"
        f"    url: {e['url']}\n    category: tools\n    kind: {e['kind']}\n"
        for e in link_entries(base)
    )
    (folder / "resources" / "links.yaml").write_text("resources:\n" + entries, encoding="utf-8")
    if broken:
        (folder / "resources" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    return folder


def write_manager_folder(folder: Path) -> Path:
    """A ComfyUI-Manager database folder: its hand-made files."""
    folder.mkdir(parents=True)
    for name, doc in MANAGER_DOCS.items():
        (folder / name).write_text(json.dumps(doc), encoding="utf-8")
    return folder
