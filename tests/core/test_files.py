"""Files: crash-safe writes (a reader sees the old file or the new one, never a part, and no
temporary file stays behind), and fingerprints that name the state of files without reading."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nodes.core.files import files_fingerprint, write_atomic


def open_fds() -> set[str]:
    return {p.name for p in Path("/proc/self/fd").iterdir()}


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def fail(message: str) -> Callable[..., Any]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.EIO, message)

    return refuse


def interrupt(*args: Any) -> None:
    raise KeyboardInterrupt


class TestWriteAtomic:
    """The file ends up with exactly the new bytes and nothing else is left in the folder."""

    def test_creates_the_folders_and_the_file(self, tmp_path: Path) -> None:
        target = tmp_path / "a" / "b" / "data.json"
        write_atomic(target, b'{"x": 1}\n')
        assert target.read_bytes() == b'{"x": 1}\n'
        assert names(target.parent) == ["data.json"]

    def test_replaces_an_existing_file(self, tmp_path: Path) -> None:
        target = tmp_path / "data.json"
        write_atomic(target, b"old")
        write_atomic(target, b"new contents")
        assert target.read_bytes() == b"new contents"
        assert names(tmp_path) == ["data.json"]

    def test_a_parent_that_is_a_file_raises(self, tmp_path: Path) -> None:
        """The OSError reaches the caller."""
        blocker = tmp_path / "file"
        blocker.write_text("x", encoding="utf-8")
        with pytest.raises(OSError, match=r"File exists|Not a directory"):
            write_atomic(blocker / "child.json", b"{}")


class TestFailures:
    """A failure at any step leaves the old file intact and removes the temporary file."""

    @pytest.mark.parametrize(
        ("step", "replacement", "error"),
        [
            pytest.param("replace", fail("replace failed"), OSError, id="rename"),
            pytest.param("fsync", fail("fsync failed"), OSError, id="fsync"),
            pytest.param("replace", interrupt, KeyboardInterrupt, id="interrupted"),
        ],
    )
    def test_old_file_survives(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        step: str,
        replacement: Callable[..., Any],
        error: type[BaseException],
    ) -> None:
        target = tmp_path / "data.json"
        target.write_bytes(b"old")
        monkeypatch.setattr(os, step, replacement)
        with pytest.raises(error):
            write_atomic(target, b"new")
        monkeypatch.undo()
        assert target.read_bytes() == b"old"
        assert names(tmp_path) == ["data.json"]

    def test_a_folder_in_the_way(self, tmp_path: Path) -> None:
        """A non-empty folder at the target is left as it was."""
        target = tmp_path / "taken"
        target.mkdir()
        (target / "inside").write_text("keep", encoding="utf-8")
        with pytest.raises(OSError, match=r"Is a directory|Directory not empty"):
            write_atomic(target, b"data")
        assert names(tmp_path) == ["taken"]
        assert (target / "inside").read_text(encoding="utf-8") == "keep"

    def test_a_vanished_temporary_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """If the temporary file (a hidden sibling named after the target) is already gone,
        the original error still surfaces."""
        seen: list[Path] = []

        def vanish(src: str, dst: object) -> None:
            seen.append(Path(src))
            Path(src).unlink()
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "replace", vanish)
        with pytest.raises(OSError, match="No space left on device"):
            write_atomic(tmp_path / "file", b"data")
        assert names(tmp_path) == []
        assert seen[0].parent == tmp_path
        assert re.fullmatch(r"\.file\..+\.tmp", seen[0].name)

    def test_the_first_error_wins_when_cleanup_fails(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(os, "replace", fail("replace failed"))
        monkeypatch.setattr(os, "unlink", fail("unlink failed"))
        with pytest.raises(OSError, match="replace failed"):
            write_atomic(tmp_path / "data.json", b"new")
        monkeypatch.undo()
        [left] = names(tmp_path)
        assert re.fullmatch(r"\.data\.json\..+\.tmp", left)


class TestSyncDir:
    """Syncing the folder after the rename is best effort: platforms that cannot, skip it."""

    def test_folder_that_cannot_be_opened(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Where a folder cannot be opened (Windows), the write still completes."""
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
        """Where a file system refuses fsync on a folder, the write completes and the folder's
        descriptor is closed all the same."""
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
        assert open_fds() == before
        assert (tmp_path / "data.json").read_bytes() == b"new"


class TestFingerprint:
    """Files are fingerprinted by path, size and modification time, without reading them."""

    def test_changes_with_the_file(self, tmp_path: Path) -> None:
        """A new modification time or size changes the fingerprint; nothing else does."""
        path = tmp_path / "a.yaml"
        path.write_text("one", encoding="utf-8")
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
        first = files_fingerprint([path])
        assert files_fingerprint([path]) == first
        os.utime(path, ns=(1_000_000_000, 1_000_000_001))
        second = files_fingerprint([path])
        assert second != first
        path.write_text("two!", encoding="utf-8")
        os.utime(path, ns=(1_000_000_000, 1_000_000_001))
        assert files_fingerprint([path]) not in (first, second)

    def test_missing_files(self, tmp_path: Path) -> None:
        """A missing file has its own stable fingerprint, unlike an empty one or none at all."""
        path = tmp_path / "gone.yaml"
        missing = files_fingerprint([path])
        assert missing == files_fingerprint([path])
        assert missing != files_fingerprint([])
        path.write_text("", encoding="utf-8")
        assert files_fingerprint([path]) != missing

    def test_order_and_paths_matter(self, tmp_path: Path) -> None:
        """The same files in another order, or another file, fingerprint differently."""
        a, b = tmp_path / "a", tmp_path / "b"
        assert (
            len({files_fingerprint([a, b]), files_fingerprint([b, a]), files_fingerprint([a])}) == 3
        )
