"""The Comfy Registry (``api.comfy.org``) as a catalogue source, refreshed only on request.

:func:`refresh_registry` pages through ``GET {base}/nodes?page=N&limit=L`` politely (a
pause between pages, caps on pages and bytes), validates every node with the shared
rules, and keeps the result as a validated snapshot (the format of :mod:`..snapshot`)
in the remote cache. :class:`RegistrySource` loads that snapshot and nothing else: the
catalogue never waits for the network, and a failed refresh leaves the last good copy.

The modules, by job: :mod:`.parse` turns answers into records, :mod:`.client` pages
through the registry, :mod:`.source` keeps and loads the snapshot.
"""

from .client import (
    DEFAULT_BASE_URL,
    DEFAULT_DELAY,
    DEFAULT_LIMIT,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PAGES,
    MAX_LIMIT,
    RegistryOptions,
    fetch_registry,
)
from .parse import (
    NODE_PAGE_URL,
    NodesPage,
    RegistryError,
    build_result,
    parse_node,
    parse_nodes_page,
)
from .source import RegistrySource, refresh_registry, registry_key

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_DELAY",
    "DEFAULT_LIMIT",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PAGES",
    "MAX_LIMIT",
    "NODE_PAGE_URL",
    "NodesPage",
    "RegistryError",
    "RegistryOptions",
    "RegistrySource",
    "build_result",
    "fetch_registry",
    "parse_node",
    "parse_nodes_page",
    "refresh_registry",
    "registry_key",
]
