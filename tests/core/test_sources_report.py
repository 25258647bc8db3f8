"""The sources report: problems split by the source they came from, optional sources' states."""

from __future__ import annotations

from pathlib import Path

from nodes.app.pack import Pack
from nodes.app.service import problems_by_source, source_state
from nodes.core.catalog import SourceStatus, bounded_problems, merge
from nodes.core.model import Problem, SourceResult
from tests.helpers.builders import bare_resource


def bad(source: str, count: int) -> tuple[Problem, ...]:
    return tuple(Problem(f"{source}.json", i, "url", "bad") for i in range(count))


class TestProblemsBySource:
    """Each source's block of the merged problems, id clashes and "more" lines included."""

    def test_blocks_follow_the_sources(self) -> None:
        user = SourceResult("user", (bare_resource("a", source="user"),), (), bad("user", 1))
        clash = bare_resource("a", source="curated", url="https://example.org/other")
        curated = SourceResult("curated", (clash,), (), bad("curated", 2))
        manager = bounded_problems(SourceResult("manager", (), (), bad("manager", 5)), 3)
        catalog = merge([user, curated, manager])
        blocks = problems_by_source(catalog)
        assert [len(b) for b in blocks.values()] == [1, 3, 4]
        assert blocks["curated"][0].field == "id"
        assert blocks["manager"][-1].message == "and 2 more problems"
        assert [p for block in blocks.values() for p in block] == list(catalog.problems)


class TestSourceState:
    """Off, on with N entries, nothing to read yet, or failed with the reason."""

    def test_a_load_error_is_a_failure(self, tmp_path: Path, data_dir: Path) -> None:
        pack = Pack(user_dir=tmp_path / "user", data_dir=data_dir, custom_nodes=[])
        pack.update_source("registry", {"enabled": True})
        status = SourceStatus("registry", 4, 1, "timed out")
        assert source_state(pack, "registry", status, []) == {
            "state": "failed",
            "resources": 4,
            "skipped": 0,
            "detail": "timed out",
        }

    def test_a_source_not_loaded_yet(self, tmp_path: Path, data_dir: Path) -> None:
        pack = Pack(user_dir=tmp_path / "user", data_dir=data_dir, custom_nodes=[])
        pack.update_source("registry", {"enabled": True})
        state = source_state(pack, "registry", None, [])
        assert (state["state"], state["resources"]) == ("missing", 0)

    def test_on_counts_every_skipped_entry(self, tmp_path: Path, data_dir: Path) -> None:
        pack = Pack(user_dir=tmp_path / "user", data_dir=data_dir, custom_nodes=[])
        pack.update_source("registry", {"enabled": True})
        block = [
            Problem("registry", None, "id", "'a' (x) is already the id of y from curated; skipped"),
            *bad("registry", 3),
            Problem("registry", None, "problems", "and 7 more problems"),
        ]
        status = SourceStatus("registry", 40, 10, "")
        assert source_state(pack, "registry", status, block) == {
            "state": "on",
            "resources": 40,
            "skipped": 11,
            "detail": "",
        }


class TestManagerState:
    """The Manager's state also says which node list is read and where it was found."""

    def test_off(self, tmp_path: Path, data_dir: Path) -> None:
        pack = Pack(user_dir=tmp_path / "user", data_dir=data_dir, custom_nodes=[])
        assert source_state(pack, "manager", None, []) == {
            "state": "off",
            "resources": 0,
            "skipped": 0,
            "detail": "",
            "file": "",
            "origin": "",
        }

    def test_nothing_downloaded_yet(self, tmp_path: Path, data_dir: Path) -> None:
        pack = Pack(user_dir=tmp_path / "user", data_dir=data_dir, custom_nodes=[])
        pack.update_source("manager", {"enabled": True})
        state = source_state(pack, "manager", None, [])
        assert (state["state"], state["file"], state["origin"]) == ("missing", "", "remote")
