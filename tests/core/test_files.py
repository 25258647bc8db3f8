"""Crash-safe writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from nodes.core.files import write_atomic


class TestWriteAtomic:
    """write_atomic writes through a temporary file and renames it into place."""

    def test_creates_missing_folders(self, tmp_path: Path) -> None:
        """The parent folders are made on the way."""
        target = tmp_path / "a" / "b" / "file.json"
        write_atomic(target, b"{}")
        assert target.read_bytes() == b"{}"

    def test_replaces_and_leaves_no_temporary_file(self, tmp_path: Path) -> None:
        """A second write replaces the first; only the target remains in the folder."""
        target = tmp_path / "file.json"
        write_atomic(target, b"old")
        write_atomic(target, b"new contents")
        assert target.read_bytes() == b"new contents"
        assert [p.name for p in tmp_path.iterdir()] == ["file.json"]

    def test_failed_rename_removes_the_temporary_file(self, tmp_path: Path) -> None:
        """When the rename fails the error surfaces and no temporary file is left behind."""
        target = tmp_path / "taken"
        target.mkdir()
        (target / "inside").write_text("keep", encoding="utf-8")
        with pytest.raises(OSError, match=r"Is a directory|Directory not empty"):
            write_atomic(target, b"data")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
        assert (target / "inside").read_text(encoding="utf-8") == "keep"

    def test_failed_rename_survives_a_vanished_temporary_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """If the temporary file is already gone, the original error still surfaces."""

        seen: list[Path] = []

        def fail(src: str, dst: object) -> None:
            seen.append(Path(src))
            Path(src).unlink()
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "replace", fail)
        with pytest.raises(OSError, match="No space left on device"):
            write_atomic(tmp_path / "file", b"data")
        assert list(tmp_path.iterdir()) == []
        # The temporary file is a hidden sibling named after the target.
        assert seen[0].parent == tmp_path
        assert seen[0].name.startswith(".file.")
        assert seen[0].name.endswith(".tmp")

    def test_unwritable_folder_raises(self, tmp_path: Path) -> None:
        """A parent that is a file cannot be written into; the OSError reaches the caller."""
        blocker = tmp_path / "file"
        blocker.write_text("x", encoding="utf-8")
        with pytest.raises(OSError, match=r"File exists|Not a directory"):
            write_atomic(blocker / "child.json", b"{}")


class TestSyncDir:
    """Syncing the folder after the rename is best effort: platforms that cannot, skip it."""

    def test_folder_that_cannot_be_opened(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Where a folder cannot be opened (Windows), the write still completes."""
        real_open = os.open

        def refuse_folders(path: object, flags: int, *args: object) -> int:
            if Path(str(path)) == tmp_path:
                raise PermissionError(13, "Permission denied")
            return real_open(path, flags, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "open", refuse_folders)
        write_atomic(tmp_path / "file", b"data")
        assert (tmp_path / "file").read_bytes() == b"data"

    def test_folder_that_cannot_be_synced(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Where a file system refuses fsync on a folder, the write completes and the folder's
        descriptor is closed."""
        real_fsync, real_close = os.fsync, os.close
        folder_fds: list[int] = []
        closed: list[int] = []

        def fsync(fd: int) -> None:
            if stat.S_ISDIR(os.fstat(fd).st_mode):
                folder_fds.append(fd)
                raise OSError(22, "Invalid argument")
            real_fsync(fd)

        def close(fd: int) -> None:
            closed.append(fd)
            real_close(fd)

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "close", close)
        write_atomic(tmp_path / "file", b"data")
        assert (tmp_path / "file").read_bytes() == b"data"
        assert len(folder_fds) == 1
        assert folder_fds[0] in closed
