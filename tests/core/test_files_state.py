"""write_atomic: a reader sees the old file or the new one, never a part, and no temp files."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nodes.core.files import write_atomic


def open_fds() -> set[str]:
    return {p.name for p in Path("/proc/self/fd").iterdir()}


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def fail(message: str) -> Callable[..., Any]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.EIO, message)

    return refuse


class TestWriteAtomic:
    """The file ends up with exactly the new bytes and nothing else is left in the folder."""

    def test_creates_the_folder_and_the_file(self, tmp_path: Path) -> None:
        target = tmp_path / "a" / "b" / "data.json"
        write_atomic(target, b'{"x": 1}\n')
        assert target.read_bytes() == b'{"x": 1}\n'
        assert names(target.parent) == ["data.json"]

    def test_replaces_an_existing_file(self, tmp_path: Path) -> None:
        target = tmp_path / "data.json"
        target.write_bytes(b"old")
        write_atomic(target, b"new")
        assert target.read_bytes() == b"new"
        assert names(tmp_path) == ["data.json"]


class TestFailures:
    """A failure at any step leaves the old file intact and removes the temporary file."""

    @pytest.mark.parametrize("step", ["replace", "fsync"])
    def test_old_file_survives(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
    ) -> None:
        target = tmp_path / "data.json"
        target.write_bytes(b"old")
        monkeypatch.setattr(os, step, fail(f"{step} failed"))
        with pytest.raises(OSError, match=re.escape(f"{step} failed")):
            write_atomic(target, b"new")
        monkeypatch.undo()
        assert target.read_bytes() == b"old"
        assert names(tmp_path) == ["data.json"]

    def test_interrupted_write_cleans_up(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        target = tmp_path / "data.json"
        target.write_bytes(b"old")

        def interrupt(*args: Any) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(os, "replace", interrupt)
        with pytest.raises(KeyboardInterrupt):
            write_atomic(target, b"new")
        monkeypatch.undo()
        assert target.read_bytes() == b"old"
        assert names(tmp_path) == ["data.json"]

    def test_the_first_error_wins_when_cleanup_fails(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        target = tmp_path / "data.json"
        monkeypatch.setattr(os, "replace", fail("replace failed"))
        monkeypatch.setattr(os, "unlink", fail("unlink failed"))
        with pytest.raises(OSError, match="replace failed"):
            write_atomic(target, b"new")
        monkeypatch.undo()
        [left] = names(tmp_path)
        assert left.startswith(".data.json.")
        assert left.endswith(".tmp")

    def test_folder_that_cannot_be_opened(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real_open = os.open

        def no_folders(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if Path(path).is_dir():
                raise OSError(errno.EACCES, "folders cannot be opened here")
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", no_folders)
        write_atomic(tmp_path / "data.json", b"new")
        monkeypatch.undo()
        assert (tmp_path / "data.json").read_bytes() == b"new"

    @pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
    def test_folder_that_cannot_be_synced(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real_fsync = os.fsync
        refused: list[int] = []

        def files_only(fd: int) -> None:
            if stat.S_ISDIR(os.fstat(fd).st_mode):
                refused.append(fd)
                raise OSError(errno.EINVAL, "fsync on a folder")
            real_fsync(fd)

        before = open_fds()
        monkeypatch.setattr(os, "fsync", files_only)
        write_atomic(tmp_path / "data.json", b"new")
        monkeypatch.undo()
        assert len(refused) == 1
        assert open_fds() == before  # the folder's descriptor was closed all the same
        assert (tmp_path / "data.json").read_bytes() == b"new"
