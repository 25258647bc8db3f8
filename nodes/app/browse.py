"""What the faces show, as pure functions of a catalogue: the nodes' queries, listings and
picker labels, and a resource as one line of text for the command line."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..core.catalog import Catalog
from ..core.constants import ALL, MAX_TEXT
from ..core.model import Resource
from ..core.query import Query, QueryError, SearchResult, check_query

_labels_cache: dict[str, dict[str, str]] = {}


@dataclass(frozen=True, slots=True)
class Listing:
    """The Resource Browser's three outputs."""

    markdown: str
    json: str
    count: int


def split_tags(text: str) -> tuple[str, ...]:
    """Tags typed into one box: separated by commas or spaces, case ignored.

    >>> split_tags(" Video, upscaling  face ")
    ('video', 'upscaling', 'face')
    """
    return tuple(dict.fromkeys(t for t in text.replace(",", " ").lower().split() if t))


def node_query(text: str, category: str, kind: str, tags: str, sort: str, limit: int) -> Query:
    """Build the query for the browser node's inputs; raise :class:`QueryError` when one is bad."""
    return Query(
        text=text.strip(),
        category="" if category == ALL else category,
        kind="" if kind == ALL else kind,
        tags=split_tags(tags),
        sort=sort,
        limit=limit,
        facets=False,
    )


def input_problem(text: str = "", tags: str = "") -> str | None:
    """What the node's validation reports for free-text inputs, or ``None`` when they are fine.

    >>> input_problem("video", "face, 3d") is None
    True
    >>> input_problem(tags="bad tag!")
    "tag: 'tag!' is not a valid tag"
    """
    try:
        check_query(Query(text=text.strip(), tags=split_tags(tags)))
    except QueryError as exc:
        return str(exc)
    return None


def text_line(resource: Resource, catalog: Catalog) -> str:
    """A resource for a terminal: name, kind and category, stars and last update; its URL below."""
    stars = f"  ★{resource.stars}" if resource.stars is not None else ""
    updated = f"  {resource.updated}" if resource.updated else ""
    where = catalog.category_name(resource.category)
    return f"{resource.name}  [{resource.kind} · {where}]{stars}{updated}\n    {resource.url}"


def markdown_item(number: int, resource: Resource, catalog: Catalog) -> str:
    """A resource as a numbered Markdown list item: the same facts, and its description."""
    facts = [resource.kind, catalog.category_name(resource.category)]
    if resource.stars is not None:
        facts.append(f"★ {resource.stars}")
    if resource.updated:
        facts.append(f"updated {resource.updated}")
    head = f"{number}. **{resource.name}** ({' · '.join(facts)})\n   {resource.url}"
    return f"{head}\n   {resource.description}" if resource.description else head


def listing(catalog: Catalog, query: Query) -> Listing:
    """Run ``query`` and render what the browser node outputs and shows."""
    result: SearchResult = catalog.index.search(query)
    what = f" for “{query.text}”" if query.text else ""
    head = f"{len(result.items)} of {result.total} resources{what}"
    lines = [markdown_item(i, r, catalog) for i, r in enumerate(result.items, start=1)]
    markdown = "\n\n".join([head, *lines]) if lines else f"{head}. Try fewer words or filters."
    items = json.dumps([r.to_dict() for r in result.items], ensure_ascii=False)
    return Listing(markdown, items, result.total)


def clamp_text(text: str) -> str:
    """Linked inputs skip validation; keep what the engine accepts rather than fail a workflow."""
    return text.strip()[:MAX_TEXT]


def picker_labels(catalog: Catalog) -> dict[str, str]:
    """Label -> id for the picker's combo: ``Category / Name``, made unique with the id.

    Labels are saved in workflows, so they only change when the catalogue entry does.
    """
    cached = _labels_cache.get(catalog.version)
    if cached is not None:
        return cached
    base = [(f"{catalog.category_name(r.category)} / {r.name}", r) for r in catalog.resources]
    seen: dict[str, int] = {}
    for label, _ in base:
        seen[label] = seen.get(label, 0) + 1
    labels = {(label if seen[label] == 1 else f"{label} [{r.id}]"): r.id for label, r in base}
    _labels_cache.clear()
    _labels_cache[catalog.version] = labels
    return labels
