"""Records for tests, built in one place that knows every field of a Resource."""

from __future__ import annotations

from typing import Any

from nodes.core.model import ModelFile, Resource
from nodes.core.urls import canonical_url

MODEL_URL = "https://example.org/x.safetensors"
# Every field set, none to its default: what a record merged from several sources looks like.
FULL: dict[str, Any] = {
    "id": "x",
    "name": "X",
    "url": "https://example.org/x",
    "category": "tools",
    "kind": "tool",
    "description": "About x.",
    "tags": ("a", "b"),
    "author": "me",
    "license": "MIT",
    "install_url": "https://example.org/x.git",
    "stars": 5,
    "updated": "2025-01-31",
    "source": "manager",
    "pack_id": "comfyui-x",
    "install_type": "git-clone",
    "files": ("https://example.org/x.git",),
    "version": "1.2.0",
    "node_types": ("X_Load", "X_Save"),
    "model_file": ModelFile("X", "checkpoint", "SDXL", "checkpoints", "x.safetensors", MODEL_URL),
    "downloads": 1200,
    "rating": 4.5,
    "publisher": "x-org",
}


def make_resource(**overrides: Any) -> Resource:
    """A resource with every field set (see :data:`FULL`); keyword arguments replace fields.

    The canonical URL is filled in from the URL, as the loaders do.
    """
    values = {**FULL, **overrides}
    values.setdefault("canonical_url", canonical_url(values["url"]))
    return Resource(**values)


def bare_resource(resource_id: str, name: str = "", **fields: Any) -> Resource:
    """A resource with only what it needs: a name (from the id unless given), a URL under
    example.org, category ``tools``, kind ``tool``; keyword arguments set any other field."""
    values: dict[str, Any] = {
        "name": name or resource_id.title(),
        "url": f"https://example.org/{resource_id}",
        "category": "tools",
        "kind": "tool",
        **fields,
    }
    values.setdefault("canonical_url", canonical_url(values["url"]))
    return Resource(id=resource_id, **values)
