"""A real, small file system for write-failure tests: a tmpfs that fills up or turns read-only.

Mounting needs root on Linux; elsewhere the test skips with one line saying so. ``chmod``
does not stop root, so a read-only folder is a tmpfs remounted read-only.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

PAGE = 4096


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


@contextmanager
def tmpfs(folder: Path, size: str = "256k") -> Iterator[Path]:
    """Mount a tmpfs of ``size`` on ``folder`` for the block; skip the test when not allowed."""
    if not sys.platform.startswith("linux"):
        pytest.skip("a tmpfs needs Linux")
    if os.geteuid() != 0:
        pytest.skip(
            "mounting a tmpfs needs root (run the tests as root, e.g. in the dev container)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    mounted = _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder))
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip() or mounted.returncode}")
    try:
        yield folder
    finally:
        _run("umount", str(folder))


def read_only(folder: Path) -> None:
    """Remount the tmpfs on ``folder`` read-only."""
    remounted = _run("mount", "-o", "remount,ro", str(folder))
    assert remounted.returncode == 0, remounted.stderr


def free_pages(folder: Path) -> int:
    stat = os.statvfs(folder)
    return stat.f_bavail * stat.f_frsize // PAGE


def fill(folder: Path, leave_pages: int = 0) -> Path:
    """Fill the tmpfs on ``folder`` until only ``leave_pages`` pages of 4 KiB are free."""
    filler = folder / "filler"
    size = max(0, (free_pages(folder) - leave_pages) * PAGE)
    with filler.open("ab") as handle:
        handle.write(b"\0" * size)
    assert free_pages(folder) == leave_pages
    return filler


def unfill(folder: Path) -> None:
    with suppress(FileNotFoundError):
        (folder / "filler").unlink()
