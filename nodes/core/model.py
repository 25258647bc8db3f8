"""The immutable records every part of the pack passes around."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .constants import KINDS

__all__ = ["KINDS", "Category", "Problem", "Resource", "SourceResult"]


@dataclass(frozen=True, slots=True)
class Category:
    """A section of the catalogue, defined in ``data/categories.yaml``."""

    id: str
    name: str
    description: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "description": self.description}


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
