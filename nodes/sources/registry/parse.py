"""Comfy Registry answers as catalogue records: one ``/nodes`` page, one ``Node`` a resource."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core.excerpt import excerpt
from ...core.model import Problem, Resource, SourceResult
from ...core.urls import id_from_url, url_problem
from ...core.validate import (
    MAX_AUTHOR,
    MAX_DESCRIPTION,
    MAX_DOWNLOADS,
    MAX_LICENSE,
    MAX_NAME,
    MAX_RATING,
    PACK_ID_RE,
    VERSION_RE,
    Location,
    parse_resource,
)
from ..manager_db import PACK_CATEGORY
from ..records import clean_tags, clean_text, count, date, merged, skipped, stars

NODE_PAGE_URL = "https://registry.comfy.org/nodes/"  # a node's page, for nodes with no repository
_SLUG_UNSAFE_RE = re.compile(r"[^a-z0-9_.-]+")
# A licence worth showing is a short name (MIT, GPL-3.0, Apache-2.0 ...); the Registry
# often holds a file reference instead ("LICENSE", '{"file": "LICENSE"}').
_LICENSE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*(?: [A-Za-z0-9.+-]+)*$")
MAX_NODES = 20_000  # nodes read from all pages together (the registry holds some 4,000)


class RegistryError(Exception):
    """A registry answer that cannot be used at all (not JSON, not a nodes page)."""


def _slug(text: str) -> str:
    return _SLUG_UNSAFE_RE.sub("-", text.lower()).strip("-._")


def _license(value: object) -> str | None:
    text = clean_text(value, MAX_LICENSE)
    lowered = text.lower()
    if not _LICENSE_RE.match(text) or lowered.startswith("license") or "file" in lowered:
        return None
    return text


def _author(node: Mapping[str, Any]) -> str | None:
    return clean_text(node.get("author"), MAX_AUTHOR) or _publisher(node)


def _publisher(node: Mapping[str, Any]) -> str | None:
    """The publisher's name, else its id (``Publisher.name``, ``Publisher.id``)."""
    publisher = node.get("publisher")
    if not isinstance(publisher, Mapping):
        return None
    return (
        clean_text(publisher.get("name"), MAX_AUTHOR)
        or clean_text(publisher.get("id"), MAX_AUTHOR)
        or None
    )


def _downloads(value: object) -> int | None:
    found = count(value)
    return found if found is not None and found <= MAX_DOWNLOADS else None


def _rating(value: object) -> float | None:
    """The average rating; the Registry sends 0 for a node nobody has rated, so 0 is left out."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if 0 < value <= MAX_RATING else None  # NaN fails this too


def _version(latest: object) -> str | None:
    """``latest_version.version`` when it is a version the catalogue takes (semver-like)."""
    version = latest.get("version") if isinstance(latest, Mapping) else None
    if isinstance(version, str) and VERSION_RE.fullmatch(version.strip()):
        return version.strip()
    return None


def parse_node(
    node: object, where: Location, source: str = "registry"
) -> tuple[Resource | None, list[Problem]]:
    """Turn one Registry ``Node`` into a node-pack resource, or say why it is skipped.

    The id comes from the repository URL (as for the Manager's entries, so both name a
    pack alike); a node without a repository gets ``registry.<node id>`` and its
    Registry page. The node id itself is kept as ``pack_id``: the id that ``comfy node
    install`` and ComfyUI-Manager install it by (``install_type`` "cnr"). Unusable optional
    values (a licence that is a file name, a malformed date, a negative download count, an
    id no installer takes) are left out rather than failing the node.

    >>> r, _ = parse_node(
    ...     {
    ...         "id": "kj",
    ...         "name": "KJNodes",
    ...         "repository": "https://github.com/kijai/ComfyUI-KJNodes",
    ...     },
    ...     Location("page 1"),
    ... )
    >>> r.id, r.url, r.source, r.pack_id, r.install_type
    ('kijai.comfyui-kjnodes', 'https://github.com/kijai/ComfyUI-KJNodes', 'registry', 'kj', 'cnr')
    """
    if not isinstance(node, Mapping):
        return None, [where.problem("entry", "must be a JSON object; skipped")]
    node_id = node.get("id")
    slug = _slug(node_id) if isinstance(node_id, str) else ""
    if not isinstance(node_id, str) or not slug:
        return None, [where.problem("id", f"must be a node id, got {excerpt(node_id)}; skipped")]
    repository = node.get("repository")
    if repository in (None, ""):
        url, resource_id = NODE_PAGE_URL + slug, "registry." + slug[:71].rstrip("-._")
    else:
        problem = url_problem(repository)
        if problem is not None:
            return None, [where.problem("repository", f"{problem}; skipped")]
        assert isinstance(repository, str)  # noqa: S101 - url_problem accepted it
        url, resource_id = repository, id_from_url(repository)
    latest = node.get("latest_version")
    created = latest.get("createdAt") if isinstance(latest, Mapping) else None
    pack_id = node_id if PACK_ID_RE.fullmatch(node_id) else None
    raw: dict[str, Any] = {
        "id": resource_id,
        "name": clean_text(node.get("name"), MAX_NAME) or slug,
        "url": url,
        "category": PACK_CATEGORY,
        "kind": "node-pack",
        "description": clean_text(node.get("description"), MAX_DESCRIPTION) or None,
        "author": _author(node),
        "tags": clean_tags(node.get("tags")),
        "license": _license(node.get("license")),
        "stars": stars(node.get("github_stars")),  # a newer field: older registries lack it
        "updated": date(created) or date(node.get("created_at")),
        "pack_id": pack_id,
        "install_type": "cnr" if pack_id else None,
        "version": _version(latest),
        "downloads": _downloads(node.get("downloads")),
        "rating": _rating(node.get("rating")),
        "publisher": _publisher(node),
    }
    resource, problems = parse_resource(raw, where, source=source, database=True)
    return resource, [skipped(p) for p in problems]


@dataclass(frozen=True, slots=True)
class NodesPage:
    """One ``/nodes`` answer: its nodes and how many pages the registry says there are."""

    nodes: list[Any]
    total_pages: int | None


def parse_nodes_page(body: bytes, page: int) -> NodesPage:
    """Read one ``/nodes`` page; :class:`RegistryError` when it is not JSON or not a nodes page."""
    try:
        document: Any = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise RegistryError(f"nodes page {page} is not valid JSON ({exc})") from None
    nodes = document.get("nodes") if isinstance(document, Mapping) else None
    if not isinstance(nodes, list):
        raise RegistryError(f"nodes page {page} is not a Comfy Registry page (no 'nodes' list)")
    return NodesPage(nodes, count(document.get("totalPages")))


def build_result(pages: list[NodesPage], source: str = "registry") -> SourceResult:
    """Validate the nodes of every page; bad records become problems, duplicates are skipped."""
    entries: list[tuple[Resource, Location]] = []
    problems: list[Problem] = []
    total = sum(len(page.nodes) for page in pages)
    if total > MAX_NODES:
        problems.append(
            Problem(
                "registry",
                None,
                "nodes",
                f"the registry has more than {MAX_NODES} nodes;"
                f" only the first {MAX_NODES} are read",
            )
        )
    budget = MAX_NODES
    for number, page in enumerate(pages, start=1):
        for index, node in enumerate(page.nodes[:budget]):
            where = Location(f"nodes page {number}", None, prefix=f"[{index}].")
            resource, errors = parse_node(node, where, source)
            if resource is None:
                problems += errors
            else:
                entries.append((resource, where))
        budget -= min(budget, len(page.nodes))
    return merged(source, entries, problems)
