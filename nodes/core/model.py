"""The immutable records every part of the pack passes around."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .constants import KINDS

__all__ = ["KINDS", "Category", "ModelFile", "Problem", "Resource", "SourceResult"]


@dataclass(frozen=True, slots=True)
class Category:
    """A section of the catalogue, defined in ``data/categories.yaml``."""

    id: str
    name: str
    description: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "description": self.description}


@dataclass(frozen=True, slots=True)
class ModelFile:
    """A model file as ComfyUI-Manager's model list describes it: what its download needs.

    The Manager downloads only files its own list names, matched on ``save_path``,
    ``base`` and ``filename``; ``url`` is where the file comes from (it may be a mirror
    only this network reaches, so it is not the resource's public link).
    """

    name: str
    type: str
    base: str
    save_path: str
    filename: str
    url: str

    def to_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "type": self.type,
            "base": self.base,
            "save_path": self.save_path,
            "filename": self.filename,
            "url": self.url,
        }


@dataclass(frozen=True, slots=True)
class Resource:
    """One catalogue entry, valid by construction (see :mod:`.validate`)."""

    id: str
    name: str
    url: str
    category: str
    kind: str
    description: str = ""
    tags: tuple[str, ...] = ()
    author: str = ""
    license: str = ""
    install_url: str = ""
    stars: int | None = None
    updated: str = ""  # ISO date, YYYY-MM-DD
    source: str = "curated"
    # What installing it takes, for ComfyUI-Manager, the Registry and ``comfy node install``:
    pack_id: str = ""  # the Registry / Manager id of a node pack
    install_type: str = ""  # the Manager's: git-clone, copy, unzip
    files: tuple[str, ...] = ()  # what the Manager fetches (clone URLs, files)
    version: str = ""  # the latest published version
    node_types: tuple[str, ...] = ()  # node class names the pack provides
    model_file: ModelFile | None = None
    # The Registry's public figures
    downloads: int | None = None
    rating: float | None = None
    publisher: str = ""
    canonical_url: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape served by the HTTP API and printed by ``--json``."""
        return {
            "id": self.id,
            "name": self.name,
            "url": self.url,
            "category": self.category,
            "kind": self.kind,
            "description": self.description,
            "tags": list(self.tags),
            "author": self.author,
            "license": self.license,
            "install_url": self.install_url,
            "stars": self.stars,
            "updated": self.updated,
            "source": self.source,
            "pack_id": self.pack_id,
            "install_type": self.install_type,
            "files": list(self.files),
            "version": self.version,
            "node_count": len(self.node_types),
            "model_file": None if self.model_file is None else self.model_file.to_dict(),
            "downloads": self.downloads,
            "rating": self.rating,
            "publisher": self.publisher,
        }


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a source, located so a curator can go and fix it.

    >>> str(Problem("data/resources/video.yaml", 12, "url", "must start with http:// or https://"))
    'data/resources/video.yaml:12: url: must start with http:// or https://'
    """

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


@dataclass(frozen=True, slots=True)
class SourceResult:
    """What one source yielded: valid resources, the categories it defines, and its problems.

    ``error`` says, in short, why the source failed to load when it did (its resources are
    then the last good copy, or none). ``problems_omitted`` counts the problems left out
    beyond the ones kept (a source keeps a bounded number).
    """

    name: str
    resources: tuple[Resource, ...] = ()
    categories: tuple[Category, ...] = ()
    problems: tuple[Problem, ...] = ()
    error: str = ""
    problems_omitted: int = 0
