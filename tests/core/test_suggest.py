"""What switching on an optional source would add (app/suggest.py), from real files on disk:
the Manager's lists as they may be found (partial, damaged, too large), the entries a
snapshot holds that the catalogue already has, and the index built off the request."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nodes.app import suggest
from nodes.app.pack import Pack
from nodes.core.model import SourceResult
from nodes.core.query import Query
from nodes.sources.manager_db import MODEL_LIST, NODE_LIST
from nodes.sources.registry.source import RegistrySource, registry_key
from nodes.sources.snapshot import snapshot_bytes
from tests.helpers.builders import bare_resource
from tests.helpers.sample_catalogue import write_manager_folder

QUERY = Query(text="zzzz")


@pytest.fixture(autouse=True)
def _forget() -> Iterator[None]:
    suggest.forget()
    yield
    suggest.forget()


@pytest.fixture
def pack(tmp_path: Path, data_dir: Path, custom_nodes: Path) -> Pack:
    return Pack(tmp_path / "user", data_dir, custom_nodes=[custom_nodes])


def offers(pack: Pack, query: Query = QUERY, marked: bool = False) -> dict[str, dict[str, Any]]:
    return {o["source"]: o for o in suggest.more_sources(pack, pack.catalog(), query, marked)}


def manager_folder(pack: Pack, tmp_path: Path) -> Path:
    """The sample Manager folder, set as the (off) source's folder."""
    folder = write_manager_folder(tmp_path / "db")
    pack.update_source("manager", {"folder": str(folder)})
    return folder


class TestManagerLists:
    """Never loaded: the entries its lists hold, when they can be counted."""

    def test_without_a_model_list(self, pack: Pack, tmp_path: Path) -> None:
        folder = manager_folder(pack, tmp_path)
        (folder / MODEL_LIST).unlink()
        assert offers(pack)["manager"]["adds"] == 3

    @pytest.mark.parametrize(
        "content",
        [
            pytest.param("{not json", id="not JSON"),
            pytest.param(json.dumps({"custom_nodes": {}}), id="not a list"),
            pytest.param(json.dumps({"nodes": []}), id="no list"),
            pytest.param(json.dumps([1]), id="not an object"),
        ],
    )
    def test_a_node_list_that_cannot_be_counted(
        self, pack: Pack, tmp_path: Path, content: str
    ) -> None:
        folder = manager_folder(pack, tmp_path)
        (folder / NODE_LIST).write_text(content)
        assert offers(pack)["manager"] == {
            "source": "manager",
            "ready": True,
            "download": False,
            "adds": None,
            "exact": False,
            "matches": None,
        }

    def test_a_list_too_large_to_be_ours(
        self, pack: Pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        manager_folder(pack, tmp_path)
        monkeypatch.setattr(suggest, "MAX_JSON_BYTES", 10)
        assert offers(pack)["manager"]["adds"] is None

    def test_read_once_per_state_of_the_files(self, pack: Pack, tmp_path: Path) -> None:
        folder = manager_folder(pack, tmp_path)
        assert offers(pack)["manager"]["adds"] == 4
        (folder / MODEL_LIST).write_text(json.dumps({"models": []}))
        assert offers(pack)["manager"]["adds"] == 3, "a changed file is read again"
        (folder / MODEL_LIST).chmod(0)  # unreadable, but its state is unchanged: not read
        try:
            assert offers(pack)["manager"]["adds"] == 3
        finally:
            (folder / MODEL_LIST).chmod(0o644)


def write_registry(pack: Pack, *resources: Any) -> None:
    """A Registry snapshot as a refresh leaves it, for the default registry URL."""
    source = RegistrySource(pack.cache_dir)
    source.snapshot_path.parent.mkdir(parents=True, exist_ok=True)
    result = SourceResult("registry", tuple(resources))
    source.snapshot_path.write_bytes(snapshot_bytes(result, registry_key(source.base_url)))


class TestSnapshot:
    def test_only_what_the_catalogue_lacks_is_added(self, pack: Pack) -> None:
        held_url = pack.catalog().resources[0].url
        write_registry(
            pack,
            bare_resource("new-one", "Zzzz One", source="registry"),
            bare_resource("same-url", "Zzzz Two", url=held_url, source="registry"),
            bare_resource("video-helper", "Zzzz Three", source="registry"),  # an id held
            bare_resource("new-one", "Zzzz Four", url="https://example.org/4", source="registry"),
            bare_resource("new-two", "Zzzz Five", source="registry"),
        )
        assert offers(pack)["registry"]["adds"] == 2
        suggest.prepare(pack)
        assert offers(pack)["registry"]["matches"] == 2
        assert offers(pack, Query(text="five"))["registry"]["matches"] == 1
        assert offers(pack, marked=True)["registry"]["matches"] is None

    def test_the_new_entries_follow_the_catalogue(self, pack: Pack) -> None:
        write_registry(pack, bare_resource("zzzz-pack", "Zzzz", source="registry"))
        assert offers(pack)["registry"]["adds"] == 1
        pack.user.add(
            {
                "name": "Mine",
                "url": "https://example.org/zzzz-pack",
                "kind": "tool",
                "category": "mine",
            },
            pack.catalog(),
        )
        assert offers(pack)["registry"]["adds"] == 0

    def test_prepare_indexes_only_what_waits_for_it(self, pack: Pack) -> None:
        write_registry(pack, bare_resource("zzzz-pack", "Zzzz", source="registry"))
        suggest.prepare(pack)  # nothing read yet: nothing to index
        assert offers(pack)["registry"]["matches"] is None
        with suggest._building:  # another build runs: this call leaves at once
            suggest.prepare(pack)
        assert offers(pack)["registry"]["matches"] is None
        pack.update_source("registry", {"enabled": True})
        suggest.prepare(pack)  # on now: its data is in the catalogue, no index needed
        pack.update_source("registry", {"enabled": False})
        assert offers(pack)["registry"]["matches"] is None
        suggest.prepare(pack)
        suggest.prepare(pack)  # indexed already
        assert offers(pack)["registry"]["matches"] == 1

    def test_a_source_switched_on_drops_what_was_read(self, pack: Pack) -> None:
        write_registry(pack, bare_resource("zzzz-pack", "Zzzz", source="registry"))
        offers(pack)
        pack.update_source("registry", {"enabled": True})
        assert "registry" not in offers(pack)
        assert "registry" not in suggest._held
