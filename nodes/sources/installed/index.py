"""The installed packs, and how a catalogue resource is matched to one of them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ...core.model import Problem, Resource
from ...core.urls import canonical_url, github_repo

# Code hosts where a URL's last path segment names the repository (and the clone folder).
_CODE_HOSTS = ("gitlab.com", "codeberg.org", "bitbucket.org")


@dataclass(frozen=True, slots=True)
class InstalledPack:
    """One pack folder and what it says about where it came from."""

    folder: str  # its name inside custom_nodes
    path: str  # where it really is (a symlinked pack resolved)
    urls: tuple[str, ...] = ()  # canonical https URLs: git remotes, then [project].urls
    project_name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "path": self.path,
            "urls": list(self.urls),
            "project_name": self.project_name,
        }


class InstalledIndex:
    """The installed packs, indexed for matching catalogue resources against them."""

    def __init__(
        self,
        packs: Iterable[InstalledPack] = (),
        problems: Iterable[Problem] = (),
        folders: Iterable[str] = (),
    ) -> None:
        self.packs = tuple(packs)
        self.problems = tuple(problems)
        self.folders = tuple(folders)  # the custom_nodes folders that were read
        self._by_url: dict[str, InstalledPack] = {}
        self._by_folder: dict[str, InstalledPack] = {}
        for pack in self.packs:
            for url in pack.urls:
                self._by_url.setdefault(url, pack)
            self._by_folder.setdefault(pack.folder.lower(), pack)

    def __len__(self) -> int:
        return len(self.packs)

    def pack_for(self, resource: Resource) -> InstalledPack | None:
        """The installed pack that is ``resource``, or ``None``."""
        urls = [u for u in (resource.url, resource.install_url) if u]
        for url in urls:
            pack = self._by_url.get(_canonical(url))
            if pack is not None:
                return pack
        for url in urls:
            name = repository_name(url)
            pack = self._by_folder.get(name.lower()) if name else None
            if pack is not None:
                return pack
        return None

    def is_installed(self, resource: Resource) -> bool:
        """Whether ``resource`` is one of the installed packs."""
        return self.pack_for(resource) is not None

    def installed_ids(self, resources: Iterable[Resource]) -> frozenset[str]:
        """The ids of those ``resources`` that are installed node packs.

        Only node packs go in custom_nodes; a model whose URL names the same repository
        is not installed by the pack being there.
        """
        return frozenset(r.id for r in resources if r.kind == "node-pack" and self.is_installed(r))

    def to_dict(self) -> dict[str, Any]:
        return {
            "folders": list(self.folders),
            "packs": [p.to_dict() for p in self.packs],
            "problems": [p.to_dict() for p in self.problems],
        }


def _canonical(url: str) -> str:
    try:
        return canonical_url(url)
    except ValueError:  # pragma: no cover - validated resources have parseable URLs
        return url


def repository_name(url: str) -> str:
    """The repository (and default clone folder) name a code-host URL names, else ``""``.

    >>> repository_name("https://github.com/kijai/ComfyUI-KJNodes.git")
    'ComfyUI-KJNodes'
    >>> repository_name("https://gitlab.com/group/sub/Pack"), repository_name("https://x.org/a")
    ('Pack', '')
    """
    repo = github_repo(url)
    if repo is not None:
        return repo[1]
    match = re.match(r"^https?://(?:www\.)?([^/?#]+)/([^?#]*)", url, re.IGNORECASE)
    if match is None or match.group(1).lower() not in _CODE_HOSTS:
        return ""
    segments = [s for s in match.group(2).split("/") if s]
    return segments[-1].removesuffix(".git") if len(segments) >= 2 else ""  # noqa: PLR2004
