"""Files: crash-safe writes (the old file or the new, never half), damaged files kept aside,
fingerprints, display paths, and the words for a file that cannot be read."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

# Not resolve(): that reads the file system, and importing the pack must not touch it.
PACK_ROOT = Path(os.path.abspath(__file__)).parents[2]  # noqa: PTH100


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a synced temporary file and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temp).unlink()
        raise
    _sync_dir(path.parent)


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
