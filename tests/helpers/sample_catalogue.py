"""A small, valid curated data folder for the HTTP, contract and state tests.

Five resources in two categories (and one empty category), with stars, dates and
tags chosen so that every sort order differs. ``broken=True`` adds a file with one
entry whose URL is refused, at a known line.
"""

from __future__ import annotations

from pathlib import Path

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
