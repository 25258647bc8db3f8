"""Actions that reach the network on request: refreshing a source and checking links.

Shared by the HTTP routes and the command line. The network modules are imported here,
inside the functions, so importing the pack never loads an HTTP client.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.constants import MAX_LINK_CHECK
from ..core.errors import DomainError, ErrorKind
from .pack import Pack

if TYPE_CHECKING:
    from ..net.cache import RefreshOutcome

__all__ = ["MAX_LINK_CHECK", "check_resource_links", "download", "link_statuses", "refresh"]


LINKS_FILE = "links.json"


async def refresh(pack: Pack, name: str) -> list[dict[str, Any]]:
    """Refresh ``registry`` or ``manager``; each outcome says changed, not-modified or failed.

    A failed refresh keeps the last good copy; the store notices a new copy by its files.
    """
    target = pack.refresh_target(name)
    if target is None:
        folder = pack.manager_folder()
        return [
            {
                "name": name,
                "state": "not-modified",
                "when": "",
                "fetched_at": "",
                "message": f"{name} is read from the local folder {folder}; nothing to download",
            }
        ]
    outcomes = await download(name, pack.cache_dir, target, pack.allow_private_links)
    return [o.to_dict() for o in outcomes]


async def download(
    name: str, cache_dir: Path, url: str, allow_private: bool = False
) -> list[RefreshOutcome[Any]]:
    """Fetch ``registry`` or ``manager`` from ``url`` into ``cache_dir``, each file validated."""
    if name == "registry":
        from ..sources.registry import RegistryOptions, refresh_registry  # noqa: PLC0415 - only when asked

        options = RegistryOptions(allow_private=allow_private)
        return [await refresh_registry(cache_dir, url, options)]
    from ..sources.manager_remote import refresh_manager  # noqa: PLC0415

    return list(await refresh_manager(cache_dir / "remote", url, allow_private=allow_private))


def _link_cache(pack: Pack) -> Any:
    from ..net.links import LinkCache  # noqa: PLC0415

    return LinkCache(pack.cache_dir / LINKS_FILE)


async def check_resource_links(pack: Pack, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Check the links of the named resources; an unknown id is refused before any fetch.

    Only URLs already in the catalogue are checked, so the server cannot be used to probe
    arbitrary addresses; private and loopback targets stay refused.
    """
    from ..net.links import check_links  # noqa: PLC0415

    catalog = await asyncio.to_thread(pack.catalog)
    unknown = [i for i in ids if catalog.get(i) is None]
    if unknown:
        raise DomainError(ErrorKind.INVALID, f"no resource with id {unknown[0]!r}", param="ids")
    urls = {i: catalog.by_id[i].url for i in dict.fromkeys(ids)}
    results = await check_links(urls.values(), allow_private=pack.allow_private_links)
    await asyncio.to_thread(_link_cache(pack).merge, results)
    return {i: results[url].to_dict() for i, url in urls.items()}


def link_statuses(pack: Pack) -> dict[str, dict[str, Any]]:
    """Every cached link check, by URL (blocking: call it off the event loop)."""
    return {url: status.to_dict() for url, status in _link_cache(pack).load().items()}
