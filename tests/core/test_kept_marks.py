"""The installed packs' marks kept in the cache: read back only when they fit the key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nodes.sources.installed import kept_marks
from nodes.sources.installed.kept_marks import MARKS_FILE, read_marks, save_marks

MARKS = (frozenset({"a", "b"}), frozenset({"b"}))


def test_kept_and_read_back(tmp_path: Path) -> None:
    save_marks(tmp_path / "cache", "k1", MARKS)
    assert read_marks(tmp_path / "cache", "k1") == MARKS
    assert read_marks(tmp_path / "cache", "k2") is None  # another catalogue or custom_nodes


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xff not json",
        b"[]",
        b'{"key": "k1"}',
        b'{"key": "k1", "installed": ["a"], "disabled": "a"}',
        b'{"key": "k1", "installed": [1], "disabled": []}',
        b'{"key": "k1", "installed": ["a"], "disabled": ["b"]}',  # disabled but not installed
    ],
)
def test_damaged_files_are_not_read(tmp_path: Path, content: bytes) -> None:
    (tmp_path / MARKS_FILE).write_bytes(content)
    assert read_marks(tmp_path, "k1") is None


def test_missing_or_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert read_marks(tmp_path, "k1") is None
    save_marks(tmp_path, "k1", MARKS)
    monkeypatch.setattr(kept_marks, "MAX_MARKS_BYTES", 10)
    assert read_marks(tmp_path, "k1") is None


def test_a_failed_write_is_logged_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "cache").write_text("a file where the folder goes")
    save_marks(tmp_path / "cache", "k1", MARKS)
    assert "could not keep the installed packs' marks" in caplog.text


def test_written_sorted(tmp_path: Path) -> None:
    save_marks(tmp_path, "k1", MARKS)
    document = json.loads((tmp_path / MARKS_FILE).read_text())
    assert document == {"key": "k1", "installed": ["a", "b"], "disabled": ["b"]}
