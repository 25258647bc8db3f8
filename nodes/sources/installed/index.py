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
# Where ComfyUI-Manager moves a pack it disables, and the older way it marked one in place.
DISABLED_DIR = ".disabled"
DISABLED_SUFFIX = ".disabled"


@dataclass(frozen=True, slots=True)
class InstalledPack:
    """One pack folder and what it says about where it came from."""

    folder: str  # its path in custom_nodes: Pack, .disabled/Pack@1_0_2 or Pack.disabled
    path: str  # where it really is (a symlinked pack resolved)
    urls: tuple[str, ...] = ()  # canonical https URLs: git remotes, then [project].urls
    project_name: str = ""
    disabled: bool = False  # ComfyUI does not load it: in .disabled/, or named *.disabled

    @property
    def name(self) -> str:
        """The pack's own folder name, as ComfyUI-Manager reads it when it is enabled.

        >>> [InstalledPack(f, "").name for f in (".disabled/kj@1_0_2", "Old.disabled", "A")]
        ['kj', 'Old', 'A']
        """
        if self.folder.startswith(DISABLED_DIR + "/"):
            return self.folder[len(DISABLED_DIR) + 1 :].split("@", 1)[0]
        return self.folder.removesuffix(DISABLED_SUFFIX)

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "path": self.path,
            "urls": list(self.urls),
            "project_name": self.project_name,
            "disabled": self.disabled,
        }


class _Lookup:
    """Some packs by URL, by ``[project].name`` and by folder name (lower case)."""

    def __init__(self, packs: Iterable[InstalledPack]) -> None:
        self.by_url: dict[str, InstalledPack] = {}
        self.by_project: dict[str, InstalledPack] = {}
        self.by_folder: dict[str, InstalledPack] = {}
        for pack in packs:
            for url in pack.urls:
                self.by_url.setdefault(url, pack)
            if pack.project_name:
                self.by_project.setdefault(pack.project_name.lower(), pack)
            self.by_folder.setdefault(pack.name.lower(), pack)

    def find(
        self, resource: Resource, urls: list[str], keys: list[str], named: bool
    ) -> InstalledPack | None:
        """``urls``, their canonical forms ``keys``; ``named``: whether some URL holds a
        folder name of the installed packs (only then are repository names worth finding)."""
        for key in keys:
            pack = self.by_url.get(key)
            if pack is not None:
                return pack
        if resource.pack_id:  # a Registry id: the pyproject's name, and the Manager's folder
            key = resource.pack_id.lower()
            pack = self.by_project.get(key) or self.by_folder.get(key)
            if pack is not None:
                return pack
        for url in urls if named else ():
            name = repository_name(url)
            pack = self.by_folder.get(name.lower()) if name else None
            if pack is not None:
                return pack
        return None


class InstalledIndex:
    """The installed packs, indexed for matching catalogue resources against them.

    Enabled packs are matched first: a pack with an enabled copy and a disabled one (the
    Manager keeps every disabled version) is loaded, so it is not disabled.
    """

    def __init__(
        self,
        packs: Iterable[InstalledPack] = (),
        problems: Iterable[Problem] = (),
        folders: Iterable[str] = (),
    ) -> None:
        self.packs = tuple(packs)
        self.problems = tuple(problems)
        self.folders = tuple(folders)  # the custom_nodes folders that were read
        self._enabled = _Lookup(p for p in self.packs if not p.disabled)
        self._disabled = _Lookup(p for p in self.packs if p.disabled)
        # A repository name is a part of its URL: a URL holding no installed pack's folder
        # name (found in one scan, any case) needs no repository name worked out.
        names = sorted({p.name for p in self.packs if p.name}, key=len, reverse=True)
        self._names = re.compile("|".join(map(re.escape, names)) or "(?!)", re.IGNORECASE)

    def __len__(self) -> int:
        return len(self.packs)

    def pack_for(self, resource: Resource) -> InstalledPack | None:
        """The installed pack that is ``resource`` (an enabled one if any), or ``None``."""
        if not self.packs:
            return None
        urls = list(dict.fromkeys(u for u in (resource.url, resource.install_url) if u))
        # The resource's own URL is canonical already (worked out once, when validated).
        keys = [
            resource.canonical_url
            if u == resource.url and resource.canonical_url
            else _canonical(u)
            for u in urls
        ]
        named = any(map(self._names.search, urls))
        return self._enabled.find(resource, urls, keys, named) or self._disabled.find(
            resource, urls, keys, named
        )

    def is_installed(self, resource: Resource) -> bool:
        """Whether ``resource`` is one of the installed packs, enabled or disabled."""
        return self.pack_for(resource) is not None

    def marks_for(self, resources: Iterable[Resource]) -> tuple[frozenset[str], frozenset[str]]:
        """The ids of those ``resources`` that are installed node packs, and of the disabled.

        Every disabled id is also installed. Only node packs go in custom_nodes; a model
        whose URL names the same repository is not installed by the pack being there.
        """
        installed: list[str] = []
        disabled: list[str] = []
        for resource in resources:
            pack = self.pack_for(resource) if resource.kind == "node-pack" else None
            if pack is not None:
                installed.append(resource.id)
                if pack.disabled:
                    disabled.append(resource.id)
        return frozenset(installed), frozenset(disabled)

    def installed_ids(self, resources: Iterable[Resource]) -> frozenset[str]:
        """The ids of those ``resources`` that are installed node packs (disabled or not)."""
        return self.marks_for(resources)[0]

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
