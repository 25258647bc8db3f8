"""Where ComfyUI-Manager keeps its database: shipped copies, its channel cache, the newest wins.

Cache files are named as the Manager names them: ``<hash>_<file name>``, the hash of the
file's URL ``<channel>/<file name>`` (its ``simple_hash``). The expected hashes below
were computed with the Manager's own function (v3.41).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from nodes.sources import manager_files
from nodes.sources.manager_db import FILES, MODEL_LIST, NODE_LIST, NODE_MAP, STATS
from nodes.sources.manager_files import (
    DEFAULT_CHANNEL,
    DatabaseFiles,
    DatabaseFinder,
    cache_files,
    cached_lists,
    companion_hash,
    folder_files,
    is_valid,
    manager_hash,
    newest_valid,
)

# The default channel's cache names, as ComfyUI-Manager v3.41 writes them.
DEFAULT_CACHE = {
    NODE_LIST: "1514988643_custom-node-list.json",
    NODE_MAP: "1742899825_extension-node-map.json",
    MODEL_LIST: "4245046894_model-list.json",
    STATS: "746607195_github-stats.json",
}
RECENT_NODE_LIST = "2902516992_custom-node-list.json"  # the "recent" channel's (node_db/new)
VALID = json.dumps({"custom_nodes": []})


def closed_form_hash(text: str) -> int:
    """The Manager's hash written as the sum it computes: each character times 31**place."""
    return sum(ord(c) * 31 ** (len(text) - 1 - i) for i, c in enumerate(text)) % 2**32


def write(path: Path, text: str = VALID, mtime: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


class TestHashes:
    """The Manager's cache names, and the companions of a cached node list."""

    @pytest.mark.parametrize("file", FILES)
    def test_the_default_channel(self, file: str) -> None:
        name = f"{manager_hash(f'{DEFAULT_CHANNEL}/{file}')}_{file}"
        assert name == DEFAULT_CACHE[file]

    @pytest.mark.parametrize(
        "channel",
        [DEFAULT_CHANNEL, "https://mirror.example.cn/comfy/db", "http://127.0.0.1:9/x" * 20],
    )
    @pytest.mark.parametrize("file", [NODE_MAP, STATS, MODEL_LIST])
    def test_companions_of_any_channel(self, channel: str, file: str) -> None:
        node_list = closed_form_hash(f"{channel}/{NODE_LIST}")
        assert manager_hash(f"{channel}/{NODE_LIST}") == node_list
        assert companion_hash(node_list, file) == closed_form_hash(f"{channel}/{file}")


class TestCacheFiles:
    """A cached node list names its channel's companions; other names are not node lists."""

    def test_the_default_channel(self, tmp_path: Path) -> None:
        files = cache_files(tmp_path / DEFAULT_CACHE[NODE_LIST])
        assert files == DatabaseFiles(
            tmp_path / DEFAULT_CACHE[NODE_LIST],
            tmp_path / DEFAULT_CACHE[NODE_MAP],
            tmp_path / DEFAULT_CACHE[STATS],
            tmp_path / DEFAULT_CACHE[MODEL_LIST],
            "cache",
        )

    @pytest.mark.parametrize(
        "name",
        [
            DEFAULT_CACHE[NODE_MAP],
            NODE_LIST,
            "abc_custom-node-list.json",
            "4294967296_custom-node-list.json",  # past the hash's 32 bits
            "12345678901_custom-node-list.json",
            f"{DEFAULT_CACHE[NODE_LIST]}.json",  # get_cache_path's names end in .json.json
            RECENT_NODE_LIST,  # a side channel holds part of the database only
        ],
    )
    def test_not_a_node_list_to_read(self, tmp_path: Path, name: str) -> None:
        assert cache_files(tmp_path / name) is None

    def test_every_side_channel_is_left_out(self) -> None:
        for channel in manager_files.SIDE_CHANNELS:
            name = f"{manager_hash(f'{channel}/{NODE_LIST}')}_{NODE_LIST}"
            assert cache_files(Path(name)) is None
        assert f"{manager_hash(f'{DEFAULT_CHANNEL}/node_db/new/{NODE_LIST}')}" in RECENT_NODE_LIST


class TestCachedLists:
    """The node lists of a cache folder, in name order; nothing from a missing folder."""

    def test_a_real_looking_cache(self, tmp_path: Path) -> None:
        cache = tmp_path / "cache"
        for name in DEFAULT_CACHE.values():
            write(cache / name)
        write(cache / RECENT_NODE_LIST)
        write(cache / "2131231_custom-node-list.json")  # a user's own channel
        write(cache / "1234_https___api.comfy.org_nodes.json")  # the Registry's cache
        (cache / "99_custom-node-list.json").mkdir()  # listed; is_valid decides later
        assert [f.node_list.name for f in cached_lists(cache)] == [
            DEFAULT_CACHE[NODE_LIST],
            "2131231_custom-node-list.json",
            "99_custom-node-list.json",
        ]

    def test_a_missing_folder(self, tmp_path: Path) -> None:
        assert cached_lists(tmp_path / "nowhere") == []
        write(tmp_path / "file")
        assert cached_lists(tmp_path / "file") == []

    def test_only_so_many_entries_are_looked_at(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(manager_files, "MAX_CACHE_FILES", 3)
        for i in range(10):
            write(tmp_path / f"{i}_{NODE_LIST}")
        assert len(cached_lists(tmp_path)) == 3


class TestIsValid:
    """A valid node list is a JSON object with a custom_nodes list."""

    @pytest.mark.parametrize(
        ("text", "valid"),
        [
            (VALID, True),
            ('{"custom_nodes": [{"reference": 3}]}', True),
            ('{"custom_nodes": {}}', False),
            ("[]", False),
            ("{}", False),  # what the Manager caches after a failed fetch
            ('{"custom_nodes": [', False),  # being written
            ("[" * 100_000, False),
            ("", False),
        ],
    )
    def test_examples(self, tmp_path: Path, text: str, valid: bool) -> None:
        assert is_valid(write(tmp_path / NODE_LIST, text)) is valid

    def test_missing_or_too_large(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        assert is_valid(tmp_path / NODE_LIST) is False
        path = write(tmp_path / NODE_LIST)
        monkeypatch.setattr(manager_files, "MAX_JSON_BYTES", len(VALID) - 1)
        assert is_valid(path) is False


class TestNewestValid:
    """The newest node list that is valid wins; of equal times, the first listed."""

    def copies(self, tmp_path: Path, *times: float) -> list[DatabaseFiles]:
        return [
            folder_files(write(tmp_path / f"db{i}" / NODE_LIST, mtime=t).parent)
            for i, t in enumerate(times)
        ]

    def test_the_newest(self, tmp_path: Path) -> None:
        older, newer, oldest = self.copies(tmp_path, 2_000_000, 3_000_000, 1_000_000)
        assert newest_valid([older, newer, oldest]) == newer

    def test_a_newer_invalid_copy_is_passed_over(self, tmp_path: Path) -> None:
        good, bad = self.copies(tmp_path, 1_000_000, 2_000_000)
        write(bad.node_list, "{", mtime=2_000_000)
        assert newest_valid([good, bad]) == good

    def test_missing_copies_are_passed_over(self, tmp_path: Path) -> None:
        (good,) = self.copies(tmp_path, 1_000_000)
        assert newest_valid([folder_files(tmp_path / "none"), good]) == good
        assert newest_valid([folder_files(tmp_path / "none")]) is None
        assert newest_valid([]) is None

    def test_equal_times_keep_the_order(self, tmp_path: Path) -> None:
        first, second = self.copies(tmp_path, 1_000_000, 1_000_000)
        assert newest_valid([first, second]) == first
        assert newest_valid([second, first]) == second


class TestDatabaseFinder:
    """The choice is remembered while no node list changes, and made again when one does."""

    def test_remembered_then_made_again(self, tmp_path: Path) -> None:
        a = folder_files(write(tmp_path / "a" / NODE_LIST, mtime=1_000_000).parent)
        b = folder_files(write(tmp_path / "b" / NODE_LIST, mtime=2_000_000).parent)
        finder = DatabaseFinder()
        assert finder.find([a, b]) == b
        # Broken without a change of size or time: the remembered choice stands.
        write(b.node_list, "x" * len(VALID), mtime=2_000_000)
        assert finder.find([a, b]) == b
        assert newest_valid([a, b]) == a
        os.utime(b.node_list, (3_000_000, 3_000_000))
        assert finder.find([a, b]) == a
        assert finder.find([a]) == a  # other candidates: decided again
        assert DatabaseFinder().find([]) is None


def test_a_folder_holds_the_files_by_their_names(tmp_path: Path) -> None:
    files = folder_files(tmp_path, "package")
    assert files.origin == "package"
    assert files.by_name() == {name: tmp_path / name for name in FILES}
    assert list(files.by_name()) == list(FILES)
