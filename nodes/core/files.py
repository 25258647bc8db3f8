"""Files: crash-safe writes (the old file or the new, never half), damaged files kept aside,
fingerprints, display paths, and the words for a file that cannot be read or written."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import DomainError, ErrorKind
from .log import logger

# Not resolve(): that reads the file system, and importing the pack must not touch it.
PACK_ROOT = Path(os.path.abspath(__file__)).parents[2]  # noqa: PTH100
# Our temporary files: ``.awesome-beyond-<target name>.<random>.tmp`` beside the target, so
# that those a crash left behind can be told from anyone else's and removed at start.
TEMP_PREFIX = ".awesome-beyond-"
TEMP_SUFFIX = ".tmp"
# A write takes well under a second; one this old was interrupted (or its process died).
STALE_TEMP_SECONDS = 10 * 60
_NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a synced temporary file and an atomic rename."""
    write_atomic_all([(path, data)])


def write_atomic_all(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write several files, each atomically, all of them before any replaces its old copy.

    Every temporary file is written and synced first, then each is renamed over its target
    in order: a failure while writing (no space, a read-only folder) leaves every old file
    as it was and no temporary file behind; it raises the :class:`OSError`.
    """
    temps: list[Path] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(
                prefix=f"{TEMP_PREFIX}{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent
            )
            temps.append(Path(name))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for (path, _), temp in zip(files, temps, strict=True):
            temp.replace(path)
    except BaseException:
        for temp in temps:  # those already renamed are gone: nothing to remove
            with contextlib.suppress(OSError):
                temp.unlink()
        raise
    for folder in dict.fromkeys(path.parent for path, _ in files):
        _sync_dir(folder)


def save_files(files: Sequence[tuple[Path, bytes]]) -> None:
    """:func:`write_atomic_all`, with a failure said in the domain's words (see
    :func:`write_failure`). Nothing is changed when it raises."""
    try:
        write_atomic_all(files)
    except OSError as exc:
        raise write_failure(exc, [path for path, _ in files]) from exc


def write_failure(exc: OSError, paths: Sequence[Path]) -> DomainError:
    """The domain error for files that could not be written (and log it).

    ``NO_SPACE`` when the disk or the quota is full; ``STORAGE`` otherwise (a read-only or
    unwritable folder, an I/O error). The message names the files, their folder and the
    system's words for the cause, never a traceback.
    """
    names = ", ".join(path.name for path in paths)
    message = f"cannot save {names} in {paths[0].parent}: {exc.strerror or exc}"
    kind = ErrorKind.STORAGE
    if exc.errno in _NO_SPACE:
        kind, message = ErrorKind.NO_SPACE, f"{message}; free some space and try again"
    logger.error("%s", message)
    return DomainError(kind, message)


def remove_stale_temp_files(folder: Path, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Remove our temporary files in ``folder`` (not below it) older than ``older_than`` seconds.

    Those are left by a write that a crash or a killed process interrupted. Only files named
    as :func:`write_atomic_all` names them are touched; one that cannot be removed is logged
    and skipped. Returns the files removed.
    """
    cutoff = time.time() - older_than
    removed: list[Path] = []
    for path in sorted(folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}")):
        try:
            if path.is_file() and path.lstat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
        except OSError as exc:
            logger.warning(
                "cannot remove the stale temporary file %s: %s", path, exc.strerror or exc
            )
    if removed:
        logger.info(
            "removed %d temporary file(s) an interrupted write left in %s", len(removed), folder
        )
    return removed


def _sync_dir(folder: Path) -> None:
    """Make the rename itself durable; not every platform can open a directory."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on directories
        pass
    finally:
        os.close(fd)


def move_aside(path: Path) -> Path:
    """Rename a damaged file to ``<name>.corrupt-<time>-<random>`` beside it; return that path.

    Nothing is overwritten: the random part keeps two bad files met within one second
    apart. Raises :class:`OSError` when the file cannot be moved.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     bad = Path(folder) / "favorites.json"
    ...     _ = bad.write_text("{")
    ...     aside = move_aside(bad)
    ...     print(aside.name[:23], bad.exists(), aside.read_text())
    favorites.json.corrupt- False {
    """
    stamp = f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    path.replace(aside)
    return aside


def cannot_read(exc: OSError | ValueError) -> str:
    """``cannot be read: <why>``, in the system's words without the error number and path.

    >>> cannot_read(FileNotFoundError(2, "No such file or directory", "x.json"))
    'cannot be read: No such file or directory'
    >>> cannot_read(ValueError("embedded null byte"))
    'cannot be read: embedded null byte'
    """
    return f"cannot be read: {getattr(exc, 'strerror', None) or exc}"


def too_large(size: int, limit: int) -> str:
    """The words for a file over a size limit.

    >>> too_large(300, 256)
    'is 300 bytes; the limit is 256'
    """
    return f"is {size} bytes; the limit is {limit}"


def not_utf8(exc: UnicodeDecodeError) -> str:
    """The words for a file that is not UTF-8 text, and where it stops being.

    >>> not_utf8(UnicodeDecodeError("utf-8", b"ab\\xff", 2, 3, "invalid start byte"))
    'is not UTF-8 text (invalid start byte at byte 2)'
    """
    return f"is not UTF-8 text ({exc.reason} at byte {exc.start})"


def digest(parts: Iterable[str]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode())
        hasher.update(b"\0")
    return hasher.hexdigest()[:16]


def files_fingerprint(paths: Iterable[Path]) -> str:
    """Name the state of some files by path, size and modification time (no reading)."""
    parts = []
    for path in paths:
        try:
            stat = path.stat()
            parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{path}:missing")
    return digest(parts)


def display_path(path: Path) -> str:
    """Name a file the way a curator would type it: relative to the working folder or the pack."""
    for base in (Path.cwd(), PACK_ROOT):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)
