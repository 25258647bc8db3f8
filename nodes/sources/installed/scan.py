"""Reading ``custom_nodes`` folders: every pack folder, its git config and ``pyproject.toml``.

The work is bounded (:data:`MAX_FOLDERS` folders, :data:`MAX_FILE_BYTES` per file), no
symbolic link is followed except a pack folder itself, and nothing raises: whatever
cannot be read is reported as a :class:`.model.Problem`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from ...core.files import cannot_read, not_utf8, too_large
from ...core.model import Problem
from .gitconfig import git_remote_urls, remote_to_url
from .index import DISABLED_DIR, DISABLED_SUFFIX, InstalledIndex, InstalledPack
from .pyproject import load_toml, project_info

MAX_FOLDERS = 2000
MAX_FILE_BYTES = 256 * 1024
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
)
_MISSING = "does not exist"


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

    def pack(self, path: Path, name: str, *, disabled: bool) -> InstalledPack:
        real = Path(os.path.realpath(path))
        urls = self.git_remotes(path, real)
        project_name, project_urls = self.project(path, real)
        urls = list(dict.fromkeys([*urls, *project_urls]))
        return InstalledPack(name, str(real), tuple(urls), project_name, disabled)

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
            self.problem(shown / ".git", "git", cannot_read(exc))
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


def _file_problem(path: Path) -> str | None:
    """Why ``path`` is not a small regular file to read, or ``None`` when it is one."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return _MISSING
    except OSError as exc:
        return cannot_read(exc)
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link; not followed"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if info.st_size > MAX_FILE_BYTES:
        return too_large(info.st_size, MAX_FILE_BYTES)
    return None


def _read_text(path: Path) -> tuple[str | None, str | None]:
    """Read a file checked by :func:`_file_problem`; it may have changed since, so check again."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)  # O_NOFOLLOW: a swapped-in link fails here
        with os.fdopen(descriptor, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, cannot_read(exc)
    if len(data) > MAX_FILE_BYTES:
        return None, f"is over {MAX_FILE_BYTES} bytes"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, not_utf8(exc)


def scan_custom_nodes(folder: Path) -> InstalledIndex:
    """Read which packs are installed in one ``custom_nodes`` folder, the disabled ones too.

    ComfyUI-Manager disables a pack by moving it into ``.disabled/`` (a Registry or nightly
    pack as ``<id>@<version, '.' as '_'>``, any other under its own name), or, before,
    by renaming it ``<name>.disabled``; ComfyUI loads neither. At most :data:`MAX_FOLDERS`
    packs are read, both places together.
    """
    reader = _Reader()
    names, has_disabled = _pack_folders(folder, reader, MAX_FOLDERS, top=True)
    hidden: list[str] = []
    if has_disabled:
        hidden, _ = _pack_folders(folder / DISABLED_DIR, reader, MAX_FOLDERS - len(names))
    packs = [
        reader.pack(folder / name, name, disabled=name.endswith(DISABLED_SUFFIX))
        for name in sorted(names)
    ]
    packs += [
        reader.pack(folder / DISABLED_DIR / name, f"{DISABLED_DIR}/{name}", disabled=True)
        for name in sorted(hidden)
    ]
    return InstalledIndex(packs, reader.problems, [str(folder)])


def _pack_folders(
    folder: Path, reader: _Reader, room: int, *, top: bool = False
) -> tuple[list[str], bool]:
    """The pack folders' names in ``folder`` (``room`` at most), and whether it has a
    ``.disabled`` folder (asked at the ``top`` only; a link there is not followed)."""
    names: list[str] = []
    has_disabled = False
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if top and name == DISABLED_DIR:
                    has_disabled = _is_disabled_folder(entry, folder, reader)
                    continue
                if name == "__pycache__" or name.startswith("."):
                    continue
                if not _is_pack_folder(entry, folder, reader):
                    continue
                if len(names) == room:
                    holds = "holds" if top else "makes its custom_nodes hold"
                    reader.problem(
                        folder,
                        "folder",
                        f"{holds} more than {MAX_FOLDERS} folders; the rest were not read",
                    )
                    break
                names.append(name)
    except FileNotFoundError:
        reader.problem(folder, "folder", "does not exist")
    except NotADirectoryError:
        reader.problem(folder, "folder", "is not a folder")
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reader.problem(folder, "folder", cannot_read(exc))
    return names, has_disabled


def _is_disabled_folder(entry: os.DirEntry[str], folder: Path, reader: _Reader) -> bool:
    """Whether ``.disabled`` is a folder to read (its type comes with the listing)."""
    if entry.is_symlink():
        reader.problem(folder / entry.name, "folder", "is a symbolic link; not followed")
        return False
    return entry.is_dir(follow_symlinks=False)


def _is_pack_folder(entry: os.DirEntry[str], folder: Path, reader: _Reader) -> bool:
    try:
        if entry.is_dir():  # follows a symlink: linked packs are normal
            return True
        if entry.is_symlink() and not Path(entry.path).exists():
            reader.problem(folder / entry.name, "folder", "is a broken symbolic link")
    except OSError as exc:
        reader.problem(folder / entry.name, "folder", cannot_read(exc))
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
