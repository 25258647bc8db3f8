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

from nodes.core.errors import DomainError, ErrorKind
from nodes.core.files import (
    STALE_TEMP_SECONDS,
    TEMP_PREFIX,
    files_fingerprint,
    remove_stale_temp_files,
    save_files,
    write_atomic,
    write_atomic_all,
)


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
        assert re.fullmatch(r"\.awesome-beyond-file\..+\.tmp", seen[0].name)

    def test_the_first_error_wins_when_cleanup_fails(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(os, "replace", fail("replace failed"))
        monkeypatch.setattr(os, "unlink", fail("unlink failed"))
        with pytest.raises(OSError, match="replace failed"):
            write_atomic(tmp_path / "data.json", b"new")
        monkeypatch.undo()
        [left] = names(tmp_path)
        assert re.fullmatch(r"\.awesome-beyond-data\.json\..+\.tmp", left)


class TestSeveralFiles:
    """write_atomic_all writes every file before it replaces any: a failure while writing
    leaves all the old files, and no temporary file."""

    def test_all_replaced(self, tmp_path: Path) -> None:
        a, b = tmp_path / "a", tmp_path / "sub" / "b"
        a.write_bytes(b"old a")
        write_atomic_all([(a, b"new a"), (b, b"new b")])
        assert (a.read_bytes(), b.read_bytes()) == (b"new a", b"new b")
        assert names(tmp_path) == ["a", "sub"]

    def test_a_failure_on_the_second_file_replaces_neither(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        a, b = tmp_path / "a", tmp_path / "b"
        a.write_bytes(b"old a")
        b.write_bytes(b"old b")
        real_fsync = os.fsync
        calls: list[int] = []

        def second_fails(fd: int) -> None:
            calls.append(fd)
            if len(calls) == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", second_fails)
        with pytest.raises(OSError, match="No space left"):
            write_atomic_all([(a, b"new a"), (b, b"new b")])
        monkeypatch.undo()
        assert (a.read_bytes(), b.read_bytes()) == (b"old a", b"old b")
        assert names(tmp_path) == ["a", "b"]


class TestSaveFiles:
    """save_files says a failed write in the domain's words: no space, or the folder and why."""

    @pytest.mark.parametrize(
        ("number", "kind", "tail"),
        [
            (errno.ENOSPC, ErrorKind.NO_SPACE, "; free some space and try again"),
            (errno.EDQUOT, ErrorKind.NO_SPACE, "; free some space and try again"),
            (errno.EROFS, ErrorKind.STORAGE, ""),
            (errno.EACCES, ErrorKind.STORAGE, ""),
            (errno.EIO, ErrorKind.STORAGE, ""),
        ],
    )
    def test_each_cause(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture,
        number: int,
        kind: ErrorKind,
        tail: str,
    ) -> None:
        cause = os.strerror(number)

        def refuse(fd: int) -> None:
            raise OSError(number, cause)

        monkeypatch.setattr(os, "fsync", refuse)
        with pytest.raises(DomainError) as caught:
            save_files([(tmp_path / "a.json", b"{}"), (tmp_path / "b.json", b"{}")])
        message = f"cannot save a.json, b.json in {tmp_path}: {cause}{tail}"
        assert (caught.value.kind, caught.value.message) == (kind, message)
        assert isinstance(caught.value.__cause__, OSError)
        assert caplog.messages == [message]
        assert names(tmp_path) == []

    def test_a_cause_without_words(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        def refuse(fd: int) -> None:
            raise OSError("odd failure")

        monkeypatch.setattr(os, "fsync", refuse)
        with pytest.raises(DomainError, match=r": odd failure$"):
            save_files([(tmp_path / "a.json", b"{}")])

    def test_success(self, tmp_path: Path) -> None:
        save_files([(tmp_path / "a.json", b"{}")])
        assert (tmp_path / "a.json").read_bytes() == b"{}"


class TestStaleTemporaryFiles:
    """Temporary files a crash left behind are ours by their prefix; old ones are removed."""

    def test_old_ones_of_ours_are_removed(self, tmp_path: Path) -> None:
        old = tmp_path / f"{TEMP_PREFIX}resources.json.abc123.tmp"
        fresh = tmp_path / f"{TEMP_PREFIX}favorites.json.def456.tmp"
        others = [
            tmp_path / ".resources.json.xyz.tmp",  # not ours by name
            tmp_path / "resources.json",
            tmp_path / f"{TEMP_PREFIX}notes.txt",  # ours by prefix, not a temporary file
        ]
        for path in (old, fresh, *others):
            path.write_bytes(b"x")
        long_ago = old.stat().st_mtime - STALE_TEMP_SECONDS - 1
        os.utime(old, (long_ago, long_ago))
        for path in others:
            os.utime(path, (long_ago, long_ago))
        (tmp_path / f"{TEMP_PREFIX}a-folder.tmp").mkdir()
        assert remove_stale_temp_files(tmp_path) == [old]
        assert not old.exists()
        assert fresh.exists()
        assert all(path.exists() for path in others)

    def test_a_missing_folder(self, tmp_path: Path) -> None:
        assert remove_stale_temp_files(tmp_path / "nowhere") == []

    def test_one_that_cannot_be_removed_is_reported_and_skipped(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
    ) -> None:
        stale = tmp_path / f"{TEMP_PREFIX}x.json.1.tmp"
        stale.write_bytes(b"x")
        os.utime(stale, (0, 0))
        monkeypatch.setattr(os, "unlink", fail("Permission denied"))
        assert remove_stale_temp_files(tmp_path) == []
        monkeypatch.undo()
        assert stale.exists()
        assert f"cannot remove the stale temporary file {stale}: Permission denied" in caplog.text

    def test_write_atomic_names_its_temporary_files_with_the_prefix(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        seen: list[str] = []

        def look(src: str, dst: object) -> None:
            seen.append(Path(src).name)
            raise OSError(errno.EIO, "stop")

        monkeypatch.setattr(os, "replace", look)
        with pytest.raises(OSError, match="stop"):
            write_atomic(tmp_path / "data.json", b"x")
        assert seen[0].startswith(f"{TEMP_PREFIX}data.json.")


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
