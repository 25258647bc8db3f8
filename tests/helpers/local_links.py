"""Catalogue links to the tests' own local server, built without the validation rules.

The rules refuse every catalogue link that does not lead to the public internet
(:func:`nodes.core.urls.link_problem`), so no curated file, user entry or remote record can
point at 127.0.0.1. Tests of the link-check plumbing (the pack's actions, the routes, the
command line) still need links a local server answers. :class:`LocalLinks` is a catalogue
source that yields them as finished resources, as a source that had validated them would:
pass it to ``Pack(extra_sources=[LocalLinks(base)])`` or ``CatalogStore([LocalLinks(base)])``.
Only tests use it; the product has no switch that lets such links in.
"""

from __future__ import annotations

from dataclasses import dataclass

from nodes.core.model import Category, Resource, SourceResult
from nodes.core.urls import canonical_url
from tests.helpers.sample_catalogue import link_entries


@dataclass(frozen=True)
class LocalLinks:
    """The :func:`link_entries` of ``base`` (alive, gone, moved) as a catalogue source."""

    base: str
    name: str = "local-links"
    # Other server paths (``/links/<path>``) instead of the three of link_entries.
    paths: tuple[str, ...] | None = None

    def fingerprint(self) -> str:
        return self.base

    def load(self) -> SourceResult:
        resources = tuple(
            Resource(
                id=entry["id"],
                name=entry["name"],
                url=entry["url"],
                category="tools",
                kind=entry["kind"],
                source=self.name,
                canonical_url=canonical_url(entry["url"]),
            )
            for entry in self._entries()
        )
        return SourceResult(self.name, resources, (Category("tools", "Tools"),), ())

    def _entries(self) -> list[dict[str, str]]:
        if self.paths is None:
            return link_entries(self.base)
        return [
            {"id": f"link-{path}", "name": path, "url": f"{self.base}/links/{path}", "kind": "tool"}
            for path in self.paths
        ]
