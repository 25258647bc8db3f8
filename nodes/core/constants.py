"""Names and limits that the nodes, the query engine and the API share.

Kept free of imports so the node classes can declare their widgets without loading the
catalogue code at ComfyUI start-up.
"""

from __future__ import annotations

# What a resource is; fixed in code because behaviour depends on it (node packs install).
KINDS: tuple[str, ...] = (
    "node-pack",
    "model",
    "workflow",
    "tool",
    "platform",
    "docs",
    "tutorial",
    "community",
)
ALL = "all"  # the combo choice that means "no filter" in the nodes
SORTS: tuple[str, ...] = ("relevance", "name", "stars", "downloads", "updated")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000
MAX_TEXT = 200
MAX_TERMS = 8
MAX_FILTER_TAGS = 10
MAX_LINK_CHECK = 1000  # resources per link check request
MAX_NODE_TYPES_ASKED = 500  # node classes one POST /node-types asks about
