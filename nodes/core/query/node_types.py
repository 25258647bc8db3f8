"""Which resources provide a node class: the node class names, looked up in any letter case.

ComfyUI-Manager's node map names some 42,000 node classes. A dict keyed by the names would
hold each again, folded to lower case (about 4 MB with one document per name, 7 MB with
lists); two flat arrays hold what a lookup needs in about 0.5 MB: each name's hash, sorted,
and its document. A hash only proposes a document; the document's own names confirm it.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from ..model import Resource


class NodeTypeIndex:
    """The documents listing each node class name, folded to one letter case."""

    def __init__(self, resources: Sequence[Resource]) -> None:
        self._resources = resources
        keys = [hash(name.casefold()) for r in resources for name in r.node_types]
        docs = [doc for doc, r in enumerate(resources) for _ in r.node_types]
        order = sorted(range(len(keys)), key=keys.__getitem__)  # stable: documents in order
        self._hashes = array("q", [keys[i] for i in order])
        self._docs = array("i", [docs[i] for i in order])

    def providers(self, name: str) -> list[int]:
        """The documents listing ``name`` in any letter case, in document order.

        >>> from nodes.core.model import Resource
        >>> pack = Resource(
        ...     "vhs", "VHS", "https://x.org", "video", "node-pack", node_types=("VHS_LoadVideo",)
        ... )
        >>> NodeTypeIndex([pack]).providers("vhs_loadvideo"), NodeTypeIndex([pack]).providers("VHS")
        ([0], [])
        """
        folded = name.casefold()
        key = hash(folded)
        start = bisect_left(self._hashes, key)
        end = bisect_right(self._hashes, key, start)
        candidates = dict.fromkeys(self._docs[start:end])  # "Foo" and "foo" in one pack: once
        return [doc for doc in candidates if _lists(self._resources[doc], folded)]


def _lists(resource: Resource, folded: str) -> bool:
    return any(name.casefold() == folded for name in resource.node_types)
