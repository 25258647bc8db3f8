"""Which node packs are installed: a read of ComfyUI's ``custom_nodes`` folder, never running git.

For every pack folder (what ComfyUI would load: not ``__pycache__``, not hidden, not
``*.disabled``, not a file) this reads at most three small files: ``.git/config`` (or,
when ``.git`` is a file as in worktrees and submodules, the ``config`` of the git
directory it points to), and ``pyproject.toml``. From them come the pack's git remote
URLs, its ``[project].name`` and its ``[project].urls`` (Repository, Source, Homepage).

A resource counts as installed when its URL or install URL is one of those URLs (in
canonical form: ``git@github.com:owner/repo.git`` and ``https://github.com/Owner/Repo``
are the same), or else when a pack folder has the name of the resource's repository
(ignoring case), which is how ComfyUI-Manager and the Registry name the folders they make.

The work is bounded (:data:`MAX_FOLDERS` folders, :data:`MAX_FILE_BYTES` per file), no
symbolic link is followed except a pack folder itself, and nothing raises: whatever
cannot be read is reported as a :class:`.model.Problem`.
"""

from __future__ import annotations

import importlib
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from ..core.model import Problem, Resource
from ..core.urls import canonical_url, github_repo, url_problem

MAX_FOLDERS = 2000
MAX_FILE_BYTES = 256 * 1024
# [project].urls keys (lower case, letters only) that name the pack's own repository.
REPOSITORY_URL_KEYS = frozenset(
    {"repository", "source", "sourcecode", "homepage", "home", "github", "code"}
)
# Code hosts where a URL's last path segment names the repository (and the clone folder).
_CODE_HOSTS = ("gitlab.com", "codeberg.org", "bitbucket.org")
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
)

_SECTION_RE = re.compile(r'^\s*\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\\n]|\\.)*)")?\s*\]')
_ENTRY_RE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9-]*)\s*(?:=(.*))?$")
_URL_RE = re.compile(
    r"^(?:git\+)?(https?|git|ssh)://(?:[^@/]*@)?([^/:\[\]]+)(:\d*)?(/.*)$", re.IGNORECASE
)
_SCP_RE = re.compile(r"^(?:[^@/:\s]+@)?([^@/:\s]{2,}):(?!//)(.+)$")
_TOML_TABLE_RE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\"' -]+?)\s*\]\s*(?:#.*)?$")
_TOML_PAIR_RE = re.compile(
    r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*')\s*(?:#.*)?$"""
)


def _import_tomllib() -> ModuleType | None:
    try:
        return importlib.import_module("tomllib")
    except ImportError:  # pragma: no cover - Python 3.10
        return None


_TOMLLIB = _import_tomllib()


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


def remote_to_url(remote: str) -> str | None:
    """A git remote as a canonical https URL, or ``None`` for local paths and odd forms.

    User names and passwords in the remote are dropped, never kept or reported.

    >>> remote_to_url("git@github.com:Kijai/ComfyUI-KJNodes.git")
    'https://github.com/kijai/comfyui-kjnodes'
    >>> remote_to_url("ssh://git@github.com/a/b.git"), remote_to_url("../local.git")
    ('https://github.com/a/b', None)
    """
    remote = remote.strip()
    match = _URL_RE.match(remote)
    if match is not None:
        scheme, host, port, path = match.groups()
        keep_port = port if scheme.lower() in ("http", "https") and port != ":" else ""
        candidate = f"https://{host}{keep_port or ''}{path}"
    else:
        scp = _SCP_RE.match(remote)
        if scp is None:
            return None
        candidate = f"https://{scp.group(1)}/{scp.group(2).lstrip('/')}"
    if url_problem(candidate) is not None:
        return None
    return canonical_url(candidate)


# --------------------------------------------------------------------------------- reading


class _Reader:
    """Reads one custom_nodes folder, collecting problems instead of raising."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: Path | str, field: str, message: str) -> None:
        self.problems.append(Problem(str(path), None, field, message))

    def read(self, path: Path, field: str, *, missing_ok: bool) -> str | None:
        """A small regular file's text, never through a symbolic link."""
        message = _file_problem(path)
        text = None
        if message is None:
            text, message = _read_text(path)
        if message is not None and not (missing_ok and message == _MISSING):
            self.problem(path, field, message)
        return text

    def pack(self, path: Path, name: str) -> InstalledPack:
        real = Path(os.path.realpath(path))
        urls = self.git_remotes(path, real)
        project_name, project_urls = self.project(path, real)
        return InstalledPack(
            name, str(real), tuple(dict.fromkeys([*urls, *project_urls])), project_name
        )

    def git_remotes(self, shown: Path, real: Path) -> list[str]:
        config = self.git_config(shown, real)
        text = self.read(config, "git", missing_ok=False) if config is not None else None
        if text is None:
            return []
        return [url for url in (remote_to_url(r) for r in git_remote_urls(text)) if url]

    def git_config(self, shown: Path, real: Path) -> Path | None:
        """Where the pack's git config is: in ``.git/``, or where a ``.git`` file points."""
        dot_git = real / ".git"
        try:
            info = dot_git.lstat()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.problem(shown / ".git", "git", f"cannot be read: {exc.strerror or exc}")
            return None
        if stat.S_ISDIR(info.st_mode):
            return dot_git / "config"
        if stat.S_ISREG(info.st_mode):
            return self.gitdir_config(dot_git, real)
        what = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "neither a folder nor a file"
        self.problem(shown / ".git", "git", f"is {what}; not followed")
        return None

    def gitdir_config(self, dot_git: Path, real: Path) -> Path | None:
        """The config file of the git directory a ``.git`` file points to."""
        text = self.read(dot_git, "git", missing_ok=False)
        if text is None:
            return None
        first = text.strip().splitlines()[0] if text.strip() else ""
        if not first.startswith("gitdir:") or not first[7:].strip():
            self.problem(dot_git, "git", "is a file without a 'gitdir: <path>' line")
            return None
        gitdir = real / first[7:].strip()  # an absolute path replaces ``real``
        common = self.read(gitdir / "commondir", "git", missing_ok=True)
        if common is not None and common.strip():
            gitdir = gitdir / common.strip()  # a worktree: its config is the main repository's
        return gitdir / "config"

    def project(self, shown: Path, real: Path) -> tuple[str, list[str]]:
        path = real / "pyproject.toml"
        text = self.read(path, "pyproject", missing_ok=True)
        if text is None:
            return "", []
        try:
            data = load_toml(text)
        except ValueError as exc:
            self.problem(shown / "pyproject.toml", "pyproject", f"is not valid TOML ({exc})")
            return "", []
        except RecursionError:
            self.problem(shown / "pyproject.toml", "pyproject", "is nested too deeply to read")
            return "", []
        return project_info(data)


_MISSING = "does not exist"


def _file_problem(path: Path) -> str | None:
    """Why ``path`` is not a small regular file to read, or ``None`` when it is one."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return _MISSING
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link; not followed"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if info.st_size > MAX_FILE_BYTES:
        return f"is {info.st_size} bytes; the limit is {MAX_FILE_BYTES}"
    return None


def _read_text(path: Path) -> tuple[str | None, str | None]:
    """Read a file checked by :func:`_file_problem`; it may have changed since, so check again."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)  # O_NOFOLLOW: a swapped-in link fails here
        with os.fdopen(descriptor, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, f"cannot be read: {exc.strerror or exc}"
    if len(data) > MAX_FILE_BYTES:
        return None, f"is over {MAX_FILE_BYTES} bytes"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, f"is not UTF-8 text ({exc.reason} at byte {exc.start})"


def load_toml(text: str) -> dict[str, Any]:
    """Parse TOML with :mod:`tomllib`, or on Python 3.10 with :func:`read_minimal_toml`."""
    if _TOMLLIB is not None:
        data: dict[str, Any] = _TOMLLIB.loads(text)
        return data
    return read_minimal_toml(text)


def read_minimal_toml(text: str) -> dict[str, Any]:
    """Just enough TOML for ``[project]``'s ``name`` and ``[project.urls]`` on Python 3.10.

    Reads tables and ``key = "string"`` pairs; everything else (arrays, inline tables,
    multi-line strings, dotted keys) is skipped.

    >>> read_minimal_toml(
    ...     '[project]\\nname = "pack"\\n[project.urls]\\nRepository = "https://x.org"'
    ... )
    {'project': {'name': 'pack', 'urls': {'Repository': 'https://x.org'}}}
    """
    root: dict[str, Any] = {}
    table: dict[str, Any] | None = root
    for line in text.splitlines():
        if line.lstrip().startswith("["):
            header = _TOML_TABLE_RE.match(line)
            table = root if header is not None else None  # [[arrays]] and oddities: skipped
            for part in (
                (p.strip().strip("\"'") for p in header.group(1).split(".")) if header else ()
            ):
                child = table.setdefault(part, {}) if table is not None else None
                table = child if isinstance(child, dict) else None
            continue
        pair = _TOML_PAIR_RE.match(line)
        if pair is not None and table is not None:
            key, value = pair.group(1).strip("\"'"), pair.group(2)
            table[key] = _toml_string(value)
    return root


def _toml_string(value: str) -> str:
    if value.startswith("'"):
        return value[1:-1]
    escapes = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\t": "\t"}
    return re.sub(r"\\.", lambda m: escapes.get(m.group(), m.group()), value[1:-1])


def project_info(data: dict[str, Any]) -> tuple[str, list[str]]:
    """``[project].name`` and the repository URLs among ``[project].urls``, canonical."""
    project = data.get("project")
    if not isinstance(project, dict):
        return "", []
    name = project.get("name")
    urls = project.get("urls")
    found: list[str] = []
    if isinstance(urls, dict):
        for key, value in urls.items():
            if (
                re.sub(r"[^a-z]", "", str(key).lower()) in REPOSITORY_URL_KEYS
                and isinstance(value, str)
                and url_problem(value) is None
            ):
                found.append(canonical_url(value))
    return (name.strip() if isinstance(name, str) else ""), found


def git_remote_urls(config: str) -> list[str]:
    """The ``url`` values of a git config's ``[remote "..."]`` sections, ``origin``'s first.

    >>> git_remote_urls(
    ...     '[core]\\n\\tbare = false\\n[remote "up"]\\n\\turl = u\\n'
    ...     '[remote "origin"]\\n\\turl = "o" ; note\\n'
    ... )
    ['o', 'u']
    """
    found: list[tuple[bool, str]] = []
    remote: str | None = None
    for line in config.splitlines():
        section = _SECTION_RE.match(line)
        if section is not None:
            kind, sub = section.group(1).lower(), section.group(2)
            if sub is None and kind.startswith("remote."):
                kind, sub = "remote", section.group(1)[7:]  # the old [remote.name] form
            remote = sub if kind == "remote" and sub is not None else None
            continue
        entry = _ENTRY_RE.match(line)
        if remote is not None and entry is not None and entry.group(1).lower() == "url":
            value = _git_value(entry.group(2) or "")
            if value:
                found.append((remote != "origin", value))
    return [url for _, url in sorted(found, key=lambda item: item[0])]


def _git_value(raw: str) -> str:
    """A git config value: quotes removed, escapes read, a trailing comment dropped."""
    out: list[str] = []
    quoted = False
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == "\\" and i + 1 < len(raw):
            out.append({"n": "\n", "t": "\t", "b": "\b"}.get(raw[i + 1], raw[i + 1]))
            i += 2
            continue
        if c == '"':
            quoted = not quoted
        elif c in "#;" and not quoted:
            break
        else:
            out.append(c)
        i += 1
    return "".join(out).strip()


def scan_custom_nodes(folder: Path) -> InstalledIndex:
    """Read which packs are installed in one ``custom_nodes`` folder."""
    reader = _Reader()
    names: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name == "__pycache__" or name.startswith(".") or name.endswith(".disabled"):
                    continue
                if not _is_pack_folder(entry, folder, reader):
                    continue
                if len(names) == MAX_FOLDERS:
                    reader.problem(
                        folder,
                        "folder",
                        f"holds more than {MAX_FOLDERS} folders; the rest were not read",
                    )
                    break
                names.append(name)
    except FileNotFoundError:
        reader.problem(folder, "folder", "does not exist")
    except NotADirectoryError:
        reader.problem(folder, "folder", "is not a folder")
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reader.problem(folder, "folder", f"cannot be read: {getattr(exc, 'strerror', None) or exc}")
    packs = [reader.pack(folder / name, name) for name in sorted(names)]
    return InstalledIndex(packs, reader.problems, [str(folder)])


def _is_pack_folder(entry: os.DirEntry[str], folder: Path, reader: _Reader) -> bool:
    try:
        if entry.is_dir():  # follows a symlink: linked packs are normal
            return True
        if entry.is_symlink() and not Path(entry.path).exists():
            reader.problem(folder / entry.name, "folder", "is a broken symbolic link")
    except OSError as exc:
        reader.problem(folder / entry.name, "folder", f"cannot be read: {exc.strerror or exc}")
    return False


def scan_folders(folders: Iterable[Path]) -> InstalledIndex:
    """Read several ``custom_nodes`` folders (ComfyUI can have more than one) into one index."""
    packs: list[InstalledPack] = []
    problems: list[Problem] = []
    names: list[str] = []
    for folder in folders:
        index = scan_custom_nodes(folder)
        packs += index.packs
        problems += index.problems
        names += index.folders
    return InstalledIndex(packs, problems, names)
