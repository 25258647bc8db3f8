"""The ComfyUI nodes: thin classes that turn widget values into a query and call the core.

Classic class API (INPUT_TYPES, RETURN_TYPES, FUNCTION) so the pack loads on every
ComfyUI a user may run, and the classes import and run without ComfyUI in tests.
Node ids carry the ``AwesomeBeyond_`` prefix and are never renamed.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any, ClassVar

from ..core.constants import ALL, DEFAULT_LIMIT, KINDS, MAX_TEXT, SORTS

if TYPE_CHECKING:
    from ..core.catalog import Catalog

CATEGORY = "Awesome Beyond"


# The catalogue code is imported on first use, not when ComfyUI imports the pack.
def _catalog() -> Catalog:
    from ..app.pack import get_pack  # noqa: PLC0415 - see above

    return get_pack().catalog()


def _labels(catalog: Catalog) -> dict[str, str]:
    from ..app.browse import picker_labels  # noqa: PLC0415 - see above

    return picker_labels(catalog)


BROWSER_LIMIT_MAX = 100


class ResourceBrowser:
    """Search and filter the catalogue inside a workflow."""

    DESCRIPTION = (
        "Searches the Awesome ComfyUI Beyond catalogue of node packs, models, workflows, tools "
        "and tutorials, and lists the matches on the node and as text and JSON outputs."
    )
    CATEGORY = CATEGORY
    FUNCTION = "browse"
    OUTPUT_NODE = True
    RETURN_TYPES = ("STRING", "STRING", "INT")
    RETURN_NAMES = ("markdown", "json", "count")
    OUTPUT_TOOLTIPS = (
        "The matching resources as a readable Markdown list.",
        "The matching resources as a JSON array of objects (id, name, url, description, ...).",
        "How many resources match in total, including those beyond the limit.",
    )
    SEARCH_ALIASES: ClassVar[list[str]] = ["awesome", "catalogue", "resources", "find custom nodes"]

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:  # noqa: N802 - ComfyUI's name
        catalog = _catalog()
        categories = [ALL, *(c.id for c in catalog.categories)]
        return {
            "required": {
                "query": (
                    "STRING",
                    {
                        "default": "",
                        "tooltip": (
                            "Words to look for in names, authors, descriptions and tags. An id, a "
                            "URL or a GitHub owner/repo finds that resource. Leave empty to list "
                            "everything."
                        ),
                    },
                ),
                "category": (
                    categories,
                    {"default": ALL, "tooltip": "Only resources of this catalogue section."},
                ),
                "kind": (
                    [ALL, *KINDS],
                    {
                        "default": ALL,
                        "tooltip": "Only node packs, models, workflows, tools, and so on.",
                    },
                ),
                "tag": (
                    "STRING",
                    {
                        "default": "",
                        "tooltip": "Only resources with these tags, separated by commas.",
                    },
                ),
                "sort": (
                    list(SORTS),
                    {
                        "default": "relevance",
                        "tooltip": "Best match first, or by name, stars or last update.",
                    },
                ),
                "limit": (
                    "INT",
                    {
                        "default": 10,
                        "min": 1,
                        "max": BROWSER_LIMIT_MAX,
                        "tooltip": "How many resources to list.",
                    },
                ),
            }
        }

    @classmethod
    def VALIDATE_INPUTS(cls, query: object = "", tag: object = "") -> bool | str:  # noqa: N802
        # A linked input may arrive as anything; ComfyUI checks its type elsewhere.
        from ..app.browse import input_problem  # noqa: PLC0415 - loaded on first use

        problem = input_problem(
            query if isinstance(query, str) else "", tag if isinstance(tag, str) else ""
        )
        return True if problem is None else problem

    @classmethod
    def IS_CHANGED(cls, **_: Any) -> str:  # noqa: N802 - re-run when the catalogue changes
        return _catalog().version

    def browse(
        self, query: str, category: str, kind: str, tag: str, sort: str, limit: int = DEFAULT_LIMIT
    ) -> dict[str, Any]:
        # A linked query is not validated by ComfyUI: keep what the engine accepts.
        from ..app.browse import clamp_text, listing, node_query  # noqa: PLC0415 - loaded on first use

        wanted = node_query(
            clamp_text(str(query)),
            category,
            kind,
            str(tag),
            sort,
            max(1, min(int(limit), BROWSER_LIMIT_MAX)),
        )
        result = listing(_catalog(), wanted)
        return {
            "ui": {"text": [result.markdown]},
            "result": (result.markdown, result.json, result.count),
        }


class ResourcePicker:
    """Choose one resource and use its URL, name and description in a workflow."""

    DESCRIPTION = (
        "Picks one resource of the Awesome ComfyUI Beyond catalogue (listed as Category / Name) "
        "and outputs its URL, name, description and full record as JSON."
    )
    CATEGORY = CATEGORY
    FUNCTION = "pick"
    RETURN_TYPES = ("STRING", "STRING", "STRING", "STRING")
    RETURN_NAMES = ("url", "name", "description", "json")
    OUTPUT_TOOLTIPS = (
        "The resource's web address.",
        "The resource's name.",
        "What the resource is, in a few sentences.",
        "The whole record as a JSON object.",
    )

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:  # noqa: N802
        labels = list(_labels(_catalog()))
        return {
            "required": {
                "resource": (
                    labels,
                    {
                        "tooltip": (
                            "The resource to use, as Category / Name. Type to filter the list."
                        )
                    },
                )
            }
        }

    @classmethod
    def VALIDATE_INPUTS(cls, resource: object = "") -> bool | str:  # noqa: N802
        # A linked input arrives as None (its value exists only when the graph runs);
        # pick() then says clearly if the label is not in the catalogue.
        if not isinstance(resource, str) or resource in _labels(_catalog()):
            return True
        return (
            f"{str(resource)[:MAX_TEXT]!r} is not in the catalogue (it may have been renamed "
            "or removed); pick another resource"
        )

    @classmethod
    def IS_CHANGED(cls, resource: str = "") -> str:  # noqa: N802
        catalog = _catalog()
        found = catalog.get(_labels(catalog).get(resource, ""))
        record = json.dumps(None if found is None else found.to_dict(), sort_keys=True)
        return hashlib.sha256(record.encode()).hexdigest()

    def pick(self, resource: str) -> tuple[str, str, str, str]:
        catalog = _catalog()
        found = catalog.get(_labels(catalog).get(resource, ""))
        if found is None:
            raise ValueError(f"{resource!r} is not in the catalogue; pick another resource")
        record = json.dumps(found.to_dict(), ensure_ascii=False)
        return found.url, found.name, found.description, record


NODE_CLASS_MAPPINGS: dict[str, type] = {
    "AwesomeBeyond_ResourceBrowser": ResourceBrowser,
    "AwesomeBeyond_ResourcePicker": ResourcePicker,
}
NODE_DISPLAY_NAME_MAPPINGS: dict[str, str] = {
    "AwesomeBeyond_ResourceBrowser": "Resource Browser (Awesome)",
    "AwesomeBeyond_ResourcePicker": "Resource Picker (Awesome)",
}
