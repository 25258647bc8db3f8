"""The Manager source and its validated snapshot cache."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nodes.core.model import ModelFile, Problem, Resource, SourceResult
from nodes.sources.manager_db import MODEL_LIST, NODE_LIST, NODE_MAP, STATS, load_manager_db
from nodes.sources.manager_files import cache_files, folder_files
from nodes.sources.snapshot import (
    ManagerSource,
    default_cache_dir,
    read_snapshot,
    snapshot_bytes,
)

FIELDS = [
    "id",
    "name",
    "url",
    "category",
    "kind",
    "description",
    "tags",
    "author",
    "license",
    "install_url",
    "stars",
    "updated",
    "source",
    "pack_id",
    "install_type",
    "files",
    "version",
    "node_types",
    "model_file",
    "downloads",
    "rating",
    "publisher",
    "canonical_url",
]


@pytest.fixture
def small_manager(tmp_path: Path) -> Path:
    """A Manager folder with two packs, stats and node classes for one, and one model."""
    folder = tmp_path / "manager"
    folder.mkdir()
    (folder / NODE_LIST).write_text(
        json.dumps(
            {
                "custom_nodes": [
                    {
                        "reference": "https://github.com/a/one",
                        "title": "One",
                        "author": "a",
                        "install_type": "git-clone",
                        "files": ["https://github.com/a/one"],
                        "description": "1",
                    },
                    {"reference": "https://github.com/b/two", "title": "Two", "description": "2"},
                    "not an entry",
                ]
            }
        ),
        encoding="utf-8",
    )
    (folder / STATS).write_text(
        json.dumps(
            {"https://github.com/a/one": {"stars": 12, "last_update": "2025-05-06 07:08:09"}}
        ),
        encoding="utf-8",
    )
    (folder / MODEL_LIST).write_text(
        json.dumps(
            {
                "models": [
                    {
                        "name": "M",
                        "url": "https://huggingface.co/o/m/resolve/main/m.bin",
                        "type": "lora",
                        "base": "SDXL",
                        "save_path": "loras",
                        "filename": "m.bin",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    (folder / NODE_MAP).write_text(
        json.dumps(
            {
                "https://github.com/a/one": [
                    ["OneNode"],
                    {"title_aux": "One", "nodename_pattern": "^One"},
                ]
            }
        ),
        encoding="utf-8",
    )
    return folder


def sample_result() -> SourceResult:
    """A result with every field set on one resource and defaults on another."""
    full = Resource(
        id="x",
        name="X ✓",
        url="https://GitHub.com/O/X",
        category="node-packs",
        kind="node-pack",
        description="Two\nlines",
        tags=("a", "b"),
        author="o",
        license="MIT",
        install_url="https://github.com/o/x.git",
        stars=3,
        updated="2025-01-02",
        source="manager",
        pack_id="x-pack",
        install_type="git-clone",
        files=("https://github.com/o/x.git", "http://127.0.0.1:9/x.git"),
        version="1.2.0",
        node_types=("XLoader", "X Save"),
        model_file=ModelFile("X", "lora", "SDXL", "loras", "x.safetensors", "http://10.0.0.8/x"),
        downloads=12,
        rating=4.5,
        publisher="o",
        canonical_url="https://github.com/o/x",
    )
    bare = Resource(
        "y",
        "Y",
        "https://y.org",
        "model-files",
        "model",
        source="manager",
        canonical_url="https://y.org",
    )
    problems = (
        Problem("f.json", None, "models[1].url", "bad; skipped"),
        Problem("g", 4, "id", "x"),
    )
    return SourceResult("manager", (full, bare), (), problems)


class TestDefaultCacheDir:
    """The command line keeps snapshots under the user's cache folder."""

    def test_xdg(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """$XDG_CACHE_HOME wins when set."""
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        assert default_cache_dir() == tmp_path / "awesome-comfyui-beyond"

    @pytest.mark.parametrize("value", [None, ""])
    def test_home(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
        """Unset or empty, it falls back to ~/.cache."""
        if value is None:
            monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        else:
            monkeypatch.setenv("XDG_CACHE_HOME", value)
        monkeypatch.setenv("HOME", str(tmp_path))
        assert default_cache_dir() == tmp_path / ".cache" / "awesome-comfyui-beyond"


class TestSnapshotFormat:
    """A snapshot stores a validated result compactly and gives it back unchanged."""

    def test_round_trip(self) -> None:
        """Every field of every resource (lists tuples again, the model file one again), and
        every problem, survives."""
        result = sample_result()
        assert read_snapshot(snapshot_bytes(result, "key-1"), "key-1") == result

    def test_document_shape(self) -> None:
        """A compact JSON document with schema, key, source, field names, rows and problems."""
        document = json.loads(snapshot_bytes(sample_result(), "k"))
        assert list(document) == ["schema", "key", "source", "fields", "resources", "problems"]
        assert (document["schema"], document["key"], document["source"]) == (2, "k", "manager")
        assert document["fields"] == FIELDS
        assert document["resources"][1] == [
            "y",
            "Y",
            "https://y.org",
            "model-files",
            "model",
            "",
            [],
            "",
            "",
            "",
            None,
            "",
            "manager",
            "",
            "",
            [],
            "",
            [],
            None,
            None,
            None,
            "",
            "https://y.org",
        ]
        assert document["resources"][0][FIELDS.index("model_file")] == {
            "name": "X",
            "type": "lora",
            "base": "SDXL",
            "save_path": "loras",
            "filename": "x.safetensors",
            "url": "http://10.0.0.8/x",
        }
        assert document["problems"] == [
            ["f.json", None, "models[1].url", "bad; skipped"],
            ["g", 4, "id", "x"],
        ]
        assert b" " not in snapshot_bytes(SourceResult("s"), "k")
        assert "✓".encode() in snapshot_bytes(sample_result(), "k")

    @pytest.mark.parametrize(
        "change",
        [
            pytest.param(lambda d: d.update(key="other"), id="stale-key"),
            pytest.param(lambda d: d.update(schema=1), id="older-schema"),
            pytest.param(lambda d: d.update(schema=None), id="no-schema"),
            pytest.param(lambda d: d.update(fields=FIELDS[:-1]), id="other-fields"),
            pytest.param(lambda d: d.update(fields=None), id="fields-null"),
            pytest.param(lambda d: d.update(resources=[["too", "short"]]), id="short-row"),
            pytest.param(lambda d: d.update(resources=[[*FIELDS, "x"]]), id="long-row"),
            pytest.param(lambda d: d.update(resources=5), id="resources-number"),
            pytest.param(lambda d: d.update(problems=[["f", 1, "x"]]), id="short-problem"),
            pytest.param(lambda d: d["resources"][0].__setitem__(6, None), id="tags-null"),
            pytest.param(lambda d: d["resources"][0].__setitem__(15, None), id="files-null"),
            pytest.param(
                lambda d: d["resources"][0].__setitem__(18, {"name": "X"}), id="model-file-short"
            ),
            pytest.param(lambda d: d["resources"][0].__setitem__(18, "X"), id="model-file-text"),
            *(
                pytest.param(lambda d, part=part: d.pop(part), id=f"no-{part}")
                for part in ("fields", "resources", "problems", "source")
            ),
        ],
    )
    def test_rejected(self, change: Callable[[dict[str, Any]], object]) -> None:
        """A snapshot that is stale, not ours, or missing a part is not used."""
        document = json.loads(snapshot_bytes(sample_result(), "k"))
        change(document)
        assert read_snapshot(json.dumps(document).encode(), "k") is None

    @pytest.mark.parametrize(
        "data",
        [
            pytest.param(b"", id="empty"),
            pytest.param(b"\x00\xff\xfe garbage", id="garbage"),
            pytest.param(b"[1, 2]", id="list"),
            pytest.param(b'"text"', id="string"),
            pytest.param(b"null", id="null"),
            pytest.param(b"[" * 100_000 + b"]" * 100_000, id="deep"),
            pytest.param(b'{"schema": 1', id="truncated"),
        ],
    )
    def test_garbage(self, data: bytes) -> None:
        """Bytes that are not a snapshot document are ignored, never raised."""
        assert read_snapshot(data, "k") is None


class TestManagerSource:
    """ComfyUI-Manager's files as a source, with an optional snapshot cache."""

    def test_files_and_fingerprint(self, small_manager: Path) -> None:
        """It watches the node list, node map, stats and model list: a change to any is seen."""
        source = ManagerSource.in_folder(small_manager)
        assert source.name == "manager"
        assert source.cache_dir is None
        assert source.database == folder_files(small_manager)
        assert (source.origin, source.database_file()) == ("folder", small_manager / NODE_LIST)
        assert source.files() == [
            small_manager / STATS,
            small_manager / NODE_MAP,
            small_manager / NODE_LIST,
            small_manager / MODEL_LIST,
        ]
        seen = {source.fingerprint()}
        assert source.fingerprint() in seen  # unchanged files: the same fingerprint
        for name in (NODE_LIST, STATS, MODEL_LIST, NODE_MAP):
            path = small_manager / name
            path.write_bytes(path.read_bytes() + b"\n")
            assert source.fingerprint() not in seen
            seen.add(source.fingerprint())

    def test_a_value(self, small_manager: Path, tmp_path: Path) -> None:
        """Two sources configured alike are equal and hash alike."""
        same = ManagerSource(folder_files(small_manager), tmp_path)
        assert ManagerSource.in_folder(small_manager, tmp_path) == same
        assert hash(ManagerSource.in_folder(small_manager, tmp_path)) == hash(same)
        assert ManagerSource(folder_files(small_manager, "manager"), tmp_path) != same

    def test_without_cache(self, small_manager: Path, tmp_path: Path) -> None:
        """Without a cache folder it loads the files and writes nothing."""
        before = sorted(tmp_path.rglob("*"))
        result = ManagerSource.in_folder(small_manager, name="mgr").load()
        assert result == load_manager_db(small_manager, "mgr")
        assert [(r.id, r.stars) for r in result.resources] == [
            ("a.one", 12),
            ("b.two", None),
            ("huggingface-co-o-m-resolve-main-m-bin", None),
        ]
        assert sorted(tmp_path.rglob("*")) == before

    def test_writes_then_reads_the_snapshot(self, small_manager: Path, tmp_path: Path) -> None:
        """The first load writes a snapshot; the second reads it instead of the files."""
        cache = tmp_path / "cache"
        source = ManagerSource.in_folder(small_manager, cache_dir=cache)
        first = source.load()
        snapshot = cache / "manager.snapshot.json"
        assert read_snapshot(snapshot.read_bytes(), source.fingerprint()) == first
        # Change the snapshot, keeping its key: a load that reads it returns the change.
        document = json.loads(snapshot.read_bytes())
        document["resources"][0][1] = "Renamed In Snapshot"
        snapshot.write_text(json.dumps(document), encoding="utf-8")
        second = source.load()
        assert second.resources[0].name == "Renamed In Snapshot"
        assert second.resources[1:] == first.resources[1:]
        assert second.problems == first.problems

    def test_snapshot_named_after_the_source(self, small_manager: Path, tmp_path: Path) -> None:
        """Each source name has its own snapshot file."""
        ManagerSource.in_folder(small_manager, cache_dir=tmp_path, name="mirror").load()
        assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["mirror.snapshot.json"]

    def test_stale_snapshot_rebuilt(self, small_manager: Path, tmp_path: Path) -> None:
        """When the files change, the old snapshot is ignored and replaced."""
        source = ManagerSource.in_folder(small_manager, cache_dir=tmp_path)
        source.load()
        nodes = json.loads((small_manager / NODE_LIST).read_text(encoding="utf-8"))
        nodes["custom_nodes"][1]["title"] = "Two Renamed"
        (small_manager / NODE_LIST).write_text(json.dumps(nodes), encoding="utf-8")
        result = source.load()
        assert result.resources[1].name == "Two Renamed"
        snapshot = (tmp_path / "manager.snapshot.json").read_bytes()
        assert read_snapshot(snapshot, source.fingerprint()) == result

    @pytest.mark.parametrize(
        "corrupt",
        [
            pytest.param(b"\x00garbage\xff", id="garbage"),
            pytest.param(b"", id="empty"),
            pytest.param(None, id="wrong-schema"),
        ],
    )
    def test_corrupt_snapshot_rebuilt(
        self, small_manager: Path, tmp_path: Path, corrupt: bytes | None
    ) -> None:
        """A snapshot that cannot be used is ignored; the files are loaded and it is rewritten."""
        source = ManagerSource.in_folder(small_manager, cache_dir=tmp_path)
        good = source.load()
        snapshot = tmp_path / "manager.snapshot.json"
        if corrupt is None:
            document = json.loads(snapshot.read_bytes())
            document["schema"] = 1  # a format this version does not read
            document["resources"] = []
            corrupt = json.dumps(document).encode()
        snapshot.write_bytes(corrupt)
        assert source.load() == good
        assert read_snapshot(snapshot.read_bytes(), source.fingerprint()) == good

    def test_unreadable_snapshot(
        self, small_manager: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A snapshot path that cannot be read or replaced: a warning, and the result anyway."""
        cache = tmp_path / "cache"
        snapshot = cache / "manager.snapshot.json"
        snapshot.mkdir(parents=True)
        source = ManagerSource.in_folder(small_manager, cache_dir=cache)
        with caplog.at_level(logging.WARNING, logger="awesome_comfyui_beyond"):
            result = source.load()
        assert result == load_manager_db(small_manager)
        assert len(caplog.records) == 1
        assert caplog.records[0].levelno == logging.WARNING
        assert (
            caplog.records[0]
            .getMessage()
            .startswith(
                f"cannot write the manager snapshot to {snapshot}: [Errno 21] Is a directory"
            )
        )
        assert snapshot.is_dir()
        assert [p.name for p in cache.iterdir()] == ["manager.snapshot.json"]

    def test_unwritable_cache_dir(
        self, small_manager: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A cache 'folder' that is a file: a warning is logged and the result still returned."""
        blocker = tmp_path / "cache"
        blocker.write_text("not a folder", encoding="utf-8")
        source = ManagerSource.in_folder(small_manager, cache_dir=blocker)
        with caplog.at_level(logging.WARNING, logger="awesome_comfyui_beyond"):
            result = source.load()
        assert [r.id for r in result.resources] == [
            "a.one",
            "b.two",
            "huggingface-co-o-m-resolve-main-m-bin",
        ]
        assert [r.getMessage() for r in caplog.records] == [
            f"cannot write the manager snapshot to {blocker / 'manager.snapshot.json'}: "
            f"[Errno 17] File exists: '{blocker}'"
        ]
        assert blocker.read_text(encoding="utf-8") == "not a folder"

    def test_real_database_through_the_snapshot(self, manager_dir: Path, tmp_path: Path) -> None:
        """The real database read back from its snapshot equals a direct load."""
        source = ManagerSource.in_folder(manager_dir, cache_dir=tmp_path)
        direct = source.load()
        cached = source.load()
        assert cached == direct
        assert len(cached.resources) == 6448
        assert sum(1 for r in cached.resources if r.node_types) == 5571


class TestAnotherCopyOfTheDatabase:
    """The snapshot is keyed by the files read: another copy (a newer cache) rebuilds it."""

    def test_the_key_follows_the_files_chosen(self, small_manager: Path, tmp_path: Path) -> None:
        cache = tmp_path / "manager-cache"
        cache.mkdir()
        cached = cache_files(cache / "1514988643_custom-node-list.json")
        assert cached is not None
        for name, path in cached.by_name().items():
            path.write_bytes((small_manager / name).read_bytes())
        shipped = ManagerSource.in_folder(small_manager, cache_dir=tmp_path / "snapshots")
        from_cache = ManagerSource(cached, cache_dir=tmp_path / "snapshots")
        assert shipped.fingerprint() != from_cache.fingerprint()
        first = shipped.load()
        second = from_cache.load()
        assert second.resources == first.resources  # the same content, node classes included
        assert second.resources[0].node_types == ("OneNode",)
        assert second.problems[0].file.endswith("1514988643_custom-node-list.json")
        snapshot = (tmp_path / "snapshots" / "manager.snapshot.json").read_bytes()
        assert read_snapshot(snapshot, from_cache.fingerprint()) == second
        assert read_snapshot(snapshot, shipped.fingerprint()) is None

    def test_node_patterns(self, small_manager: Path) -> None:
        source = ManagerSource.in_folder(small_manager)
        assert source.node_patterns() == {"https://github.com/a/one": "^One"}
        (small_manager / NODE_MAP).unlink()
        assert source.node_patterns() == {}
