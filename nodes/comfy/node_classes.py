"""The ComfyUI nodes: thin classes that turn widget values into a query and call the core.

Classic class API (INPUT_TYPES, RETURN_TYPES, FUNCTION) so the pack loads on every
ComfyUI a user may run, and the classes import and run without ComfyUI in tests.
Node ids carry the ``AwesomeBeyond_`` prefix and are never renamed.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any, ClassVar

from ..core.constants import ALL, DEFAULT_LIMIT, KINDS, SORTS

if TYPE_CHECKING:
    from ..core.catalog import Catalog

CATEGORY = "Awesome Beyond"


# The catalogue code is imported on first use, not when ComfyUI imports the pack.
def _catalog() -> Catalog:
    from ..app.pack import get_pack  # noqa: PLC0415 - see above

    return get_pack().catalog()


def _picker_id(catalog: Catalog, label: object) -> str | None:
    from .choices import resource_id  # noqa: PLC0415 - see above

    return resource_id(catalog, label) if isinstance(label, str) else None


def _unknown(value: object, what: str, another: str) -> str:
    from .choices import unknown  # noqa: PLC0415 - see above

    return unknown(value, what, another)


def _no_category(value: object) -> str:
    return f"category: {_unknown(value, 'a category of the catalogue', 'category')}"


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
        from .choices import category_menu  # noqa: PLC0415 - loaded on first use

        categories = category_menu(_catalog())
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
                    {
                        "default": ALL,
                        "tooltip": "Only resources of this catalogue section, by its name.",
                    },
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
    def VALIDATE_INPUTS(  # noqa: N802 - ComfyUI's name
        cls, query: object = "", tag: object = "", category: object = ALL
    ) -> bool | str:
        # A linked input may arrive as anything; ComfyUI checks its type elsewhere.
        from ..app.browse import input_problem  # noqa: PLC0415 - loaded on first use
        from .choices import category_id  # noqa: PLC0415 - loaded on first use

        problem = input_problem(
            query if isinstance(query, str) else "", tag if isinstance(tag, str) else ""
        )
        if problem is not None:
            return problem
        # Named here, so ComfyUI leaves its own "value not in list" check to this: a workflow
        # saved before the menu showed names holds the category's id, which still works.
        if isinstance(category, str) and category_id(_catalog(), category) is None:
            return _no_category(category)
        return True

    @classmethod
    def IS_CHANGED(cls, **_: Any) -> str:  # noqa: N802 - re-run when the catalogue changes
        return _catalog().version

    def browse(
        self, query: str, category: str, kind: str, tag: str, sort: str, limit: int = DEFAULT_LIMIT
    ) -> dict[str, Any]:
        # A linked query is not validated by ComfyUI: keep what the engine accepts.
        from ..app.browse import clamp_text, listing, node_query  # noqa: PLC0415 - loaded on first use
        from .choices import category_id  # noqa: PLC0415 - loaded on first use

        catalog = _catalog()
        section = category_id(catalog, str(category))
        if section is None:
            raise ValueError(_no_category(category))
        wanted = node_query(
            clamp_text(str(query)),
            section,
            kind,
            str(tag),
            sort,
            max(1, min(int(limit), BROWSER_LIMIT_MAX)),
        )
        result = listing(catalog, wanted)
        return {
            "ui": {"text": [result.markdown]},
            "result": (result.markdown, result.json, result.count),
        }


class ResourcePicker:
    """Choose one resource and use its URL, name and description in a workflow."""

    DESCRIPTION = (
        "Picks one resource of the Awesome ComfyUI Beyond catalogue (listed as Name — Category), "
        "shows it on the node and outputs its URL, name, description and full record as JSON."
    )
    CATEGORY = CATEGORY
    FUNCTION = "pick"
    # An output node: it runs on its own and shows its choice, with nothing connected.
    OUTPUT_NODE = True
    RETURN_TYPES = ("STRING", "STRING", "STRING", "STRING")
    RETURN_NAMES = ("url", "name", "description", "json")
    OUTPUT_TOOLTIPS = (
        "The resource's web address.",
        "The resource's name.",
        "What the resource is, in a few sentences.",
        "The whole record as a JSON object.",
    )
    SEARCH_ALIASES: ClassVar[list[str]] = ["awesome", "pick resource", "resource url"]

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:  # noqa: N802
        from .choices import choices  # noqa: PLC0415 - loaded on first use

        labels = choices(_catalog()).menu
        return {
            "required": {
                "resource": (
                    labels,
                    {
                        "tooltip": (
                            "The resource to use, as Name — Category. Type to filter the list."
                        )
                    },
                )
            }
        }

    @classmethod
    def VALIDATE_INPUTS(cls, resource: object = "") -> bool | str:  # noqa: N802
        # A linked input arrives as None (its value exists only when the graph runs);
        # pick() then says clearly if the label is not in the catalogue. Named here, so
        # ComfyUI leaves "value not in list" to this: labels saved by earlier versions
        # ("Category / Name") still work.
        if not isinstance(resource, str) or _picker_id(_catalog(), resource) is not None:
            return True
        return _unknown(resource, "in the catalogue", "resource")

    @classmethod
    def IS_CHANGED(cls, resource: str = "") -> str:  # noqa: N802
        catalog = _catalog()
        found = catalog.get(_picker_id(catalog, resource) or "")
        record = json.dumps(None if found is None else found.to_dict(), sort_keys=True)
        return hashlib.sha256(record.encode()).hexdigest()

    def pick(self, resource: str) -> dict[str, Any]:
        catalog = _catalog()
        found = catalog.get(_picker_id(catalog, resource) or "")
        if found is None:
            raise ValueError(f"{resource!r} is not in the catalogue; pick another resource")
        record = json.dumps(found.to_dict(), ensure_ascii=False)
        facts = f"{found.kind} · {catalog.category_name(found.category)}"
        shown = f"**{found.name}** ({facts})\n{found.url}"
        if found.description:
            shown += f"\n\n{found.description}"
        return {
            "ui": {"text": [shown]},
            "result": (found.url, found.name, found.description, record),
        }


NODE_CLASS_MAPPINGS: dict[str, type] = {
    "AwesomeBeyond_ResourceBrowser": ResourceBrowser,
    "AwesomeBeyond_ResourcePicker": ResourcePicker,
}
NODE_DISPLAY_NAME_MAPPINGS: dict[str, str] = {
    "AwesomeBeyond_ResourceBrowser": "Resource Browser (Awesome)",
    "AwesomeBeyond_ResourcePicker": "Resource Picker (Awesome)",
}
