"""No input can make memory explode, and no value is echoed whole.

A few lines of YAML can stand for billions of values (an alias bomb); a 1 MB key or value
was copied into every problem, log line and ``GET /sources``; per-term search caches grew
with every distinct query; a source could hold any number of entries. Each is bounded
here, and each bound says so with a clear problem.
"""

from __future__ import annotations

import json
import logging
import re
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from nodes.app.pack import Pack
from nodes.app.service import sources_report
from nodes.core.catalog import MAX_ERROR, CatalogStore, FunctionSource, failure_reason
from nodes.core.excerpt import EXCERPT
from nodes.core.model import Problem, SourceResult
from nodes.core.query import Query, QueryError, SearchIndex, parse_query
from nodes.core.query.facets import MAX_KEPT_FILTERS
from nodes.core.query.text import MAX_CACHED_TERMS
from nodes.core.validate import (
    ID_RE,
    MAX_KNOWN_SHOWN,
    MAX_UNKNOWN_FIELDS,
    TAG_RE,
    Location,
    parse_category,
    parse_resource,
)
from nodes.core.yaml_lines import MAX_ALIAS_NODES, parse_yaml
from nodes.sources import curated, manager_db, manager_entries, records, snapshot
from nodes.sources.curated import load_curated, load_resource_file
from nodes.sources.markdown import parse as markdown_parse
from nodes.sources.markdown import parse_awesome_markdown
from nodes.sources.registry import NodesPage, build_result, parse_node
from tests.helpers.builders import bare_resource as resource

MB = 1024 * 1024
# Longest message a problem may carry: its own words around at most a few excerpts.
MAX_MESSAGE = 400
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
GOOD = {
    "id": "good",
    "name": "Good",
    "url": "https://example.org/good",
    "category": "tools",
    "kind": "tool",
    "description": "Fine.",
}


def laughs(levels: int, fan: int = 9, target: str = "kind") -> str:
    """The billion laughs: each level a list of ``fan`` aliases of the one before."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * fan)}]"]
    lines += [
        f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * fan)}]"
        for level in range(1, levels + 1)
    ]
    lines += [
        "resources:",
        "  - id: bomb",
        "    name: Bomb",
        "    url: https://example.org/bomb",
        "    category: tools",
        "    description: Boom.",
        f"    {target}: *l{levels}",
    ]
    return "\n".join(lines) + "\n"


@contextmanager
def bounded(megabytes: float, seconds: float = 5.0) -> Iterator[None]:
    """The block allocates at most ``megabytes`` at its peak and ends within ``seconds``."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < megabytes * MB, f"peak {peak / MB:.1f} MB"
    assert time.monotonic() - started < seconds


def all_short(problems: Any) -> None:
    for problem in problems:
        assert len(problem.message) <= MAX_MESSAGE, problem.message[:200]
        assert len(problem.field) <= EXCERPT + 40, problem.field[:200]


class TestAliasBombs:
    """YAML aliases may repeat a bounded number of values, counted as if written out."""

    def test_the_billion_laughs_is_refused_at_once(self) -> None:
        with bounded(megabytes=20):
            data, problems = parse_yaml(laughs(9), "bomb.yaml")
        assert data is None
        assert [str(p) for p in problems] == [
            f"bomb.yaml:6: yaml: not valid YAML: its aliases repeat more than {MAX_ALIAS_NODES}"
            " values; write the values out or use fewer aliases"
        ]

    def test_a_merge_bomb_is_refused_at_once(self) -> None:
        lines = ["m0: &m0 {a: 1, b: 2}"]
        lines += [f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}], k{i}: 1}}" for i in range(1, 40)]
        with bounded(megabytes=20):
            data, problems = parse_yaml("\n".join(lines) + "\n", "merge.yaml")
        assert data is None
        assert "its aliases repeat more than" in problems[0].message

    def test_a_bomb_in_a_curated_file_is_one_problem(self, tmp_path: Path) -> None:
        path = tmp_path / "bomb.yaml"
        path.write_text(laughs(9), encoding="utf-8")
        with bounded(megabytes=30):
            found, problems = load_resource_file(path, {"tools"})
        assert found == []
        assert len(problems) == 1
        all_short(problems)

    @pytest.mark.parametrize("target", ["kind", "tags", "updated", "stars", "license", "surprise"])
    def test_a_bomb_under_the_budget_is_echoed_as_an_excerpt(
        self, tmp_path: Path, target: str
    ) -> None:
        """9**5 values (59,049) pass the budget; every message quotes a few dozen characters."""
        path = tmp_path / "small-bomb.yaml"
        path.write_text(laughs(4, target=target), encoding="utf-8")
        with bounded(megabytes=30):
            found, problems = load_resource_file(path, {"tools"})
        assert found == []
        assert problems
        all_short(problems)

    def test_aliases_within_the_budget_still_work(self) -> None:
        data, problems = parse_yaml("d: &d {kind: tool}\nr:\n  - <<: *d\n    id: a\n", "f")
        assert problems == []
        assert data["r"] == [{"kind": "tool", "id": "a"}]

    def test_an_alias_that_contains_itself_is_still_refused_as_before(self) -> None:
        _, problems = parse_yaml("a: &a [1, *a]\n", "f")
        assert problems[0].message == "not valid YAML: found unconstructable recursive node"


class TestHugeValues:
    """A 1 MB key or value is quoted as a short excerpt in every problem and answer."""

    def test_a_huge_unknown_key(self) -> None:
        raw = {**GOOD, "k" * MB: 1}
        with bounded(megabytes=8):
            _, problems = parse_resource(raw, Location("f.yaml", 1))
        [problem] = problems
        assert problem.field == "k" * (EXCERPT - 1) + "…"
        all_short(problems)

    @pytest.mark.parametrize(
        "field", ["id", "name", "url", "category", "kind", "tags", "updated", "stars", "author"]
    )
    def test_a_huge_value(self, field: str) -> None:
        value: Any = "x" * MB
        if field == "tags":
            value = ["ok", "x" * MB]
        with bounded(megabytes=12):
            _, problems = parse_resource({**GOOD, field: value}, Location("f.yaml", 1))
        assert problems
        all_short(problems)

    def test_a_huge_structure_that_is_shared_many_times(self) -> None:
        """Lists built from one another stand for 2**60 values; only an excerpt is built."""
        bomb: list[Any] = ["lol"]
        for _ in range(60):
            bomb = [bomb, bomb]
        for field in ("kind", "updated", "tags", "name"):
            with bounded(megabytes=2, seconds=1):
                _, problems = parse_resource({**GOOD, field: bomb}, Location("f", 1))
            all_short(problems)

    def test_a_duplicate_huge_yaml_key(self) -> None:
        key = "k" * MB
        _, problems = parse_yaml(f"? {key}\n: 1\n? {key}\n: 2\n", "f.yaml")
        assert [p.message for p in problems] == ["duplicate key; it is already set on line 1"]
        all_short(problems)

    def test_a_huge_yaml_tag(self) -> None:
        _, problems = parse_yaml(f"a: !{'t' * MB} 1\n", "f.yaml")
        all_short(problems)

    def test_a_huge_key_stays_out_of_get_sources(self, tmp_path: Path) -> None:
        """What GET /sources answers quotes a 1 MB key (top level and in an entry) in short."""
        data = tmp_path / "data"
        (data / "resources").mkdir(parents=True)
        (data / "categories.yaml").write_text("categories:\n  - {id: tools, name: Tools}\n")
        fields = "".join(f"    {k}: {v}\n" for k, v in GOOD.items())
        (data / "resources" / "big.yaml").write_text(
            f"resources:\n  - ? {'k' * MB}\n    : 1\n{fields}? {'t' * MB}\n: 1\n",
            encoding="utf-8",
        )
        report = sources_report(Pack(tmp_path / "user", data_dir=data, custom_nodes=[]))
        assert report["problem_count"] == 2
        assert len(json.dumps(report)) < 5000
        all_short(Problem(**p) for p in report["problems"])

    def test_unknown_fields_are_counted_past_a_few(self) -> None:
        raw = {**GOOD, **{f"extra{i}": i for i in range(5000)}}
        _, problems = parse_resource(raw, Location("f.yaml", 1))
        assert len(problems) == MAX_UNKNOWN_FIELDS + 1
        assert problems[-1].message == (
            f"and {5000 - MAX_UNKNOWN_FIELDS} more unknown fields; known fields: id, name, url,"
            " category, kind, description, tags, author, license, install_url, stars, updated"
        )

    def test_known_categories_are_listed_up_to_a_few(self) -> None:
        categories = {f"cat-{i:05}" for i in range(10_000)}
        _, problems = parse_resource(
            {**GOOD, "category": "nope"}, Location("f", 1), categories=categories
        )
        [problem] = problems
        shown = ", ".join(sorted(categories)[:MAX_KNOWN_SHOWN])
        assert problem.message == (
            f"'nope' is not a known category; known: {shown} and {10_000 - MAX_KNOWN_SHOWN} more"
        )

    def test_query_errors_quote_an_excerpt(self) -> None:
        for params in (
            {"category": "x" * MB},
            {"source": "Y" * MB},
            {"kind": "k" * MB},
            {"sort": "s" * MB},
            {"z" * MB: "1"},
        ):
            with pytest.raises(QueryError) as caught:
                parse_query(params)
            assert len(caught.value.message) <= MAX_MESSAGE
            assert len(caught.value.param) <= EXCERPT
        with pytest.raises(QueryError) as caught:
            parse_query({}, tags=["T" * MB])
        assert len(caught.value.message) <= MAX_MESSAGE

    def test_a_failing_source_is_reported_in_short(self, caplog: pytest.LogCaptureFixture) -> None:
        def load() -> SourceResult:
            raise OSError("x" * MB)

        store = CatalogStore([FunctionSource("broken", lambda: "1", load)])
        with caplog.at_level(logging.WARNING):
            catalog = store.get()
        assert len(catalog.sources[0].error) <= MAX_ERROR
        all_short(catalog.problems)
        assert failure_reason(OSError("x" * MB)) == "x" * (MAX_ERROR - 1) + "…"

    def test_log_lines_quote_problems_in_short(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        data = tmp_path / "data"
        (data / "resources").mkdir(parents=True)
        (data / "categories.yaml").write_text("categories:\n  - {id: tools, name: Tools}\n")
        (data / "resources" / "big.yaml").write_text(
            f"resources:\n  - ? {'k' * MB}\n    : 1\n", encoding="utf-8"
        )
        store = CatalogStore([curated.CuratedSource(data)])
        with caplog.at_level(logging.DEBUG, logger="awesome_comfyui_beyond"):
            store.get()
        assert caplog.records
        assert all(len(r.getMessage()) < 1000 for r in caplog.records)


class TestBidiOverrides:
    """Characters that reorder text on screen are refused in names and descriptions."""

    @pytest.mark.parametrize("char", list(BIDI))
    @pytest.mark.parametrize("field", ["name", "description", "author", "license"])
    def test_refused_in_every_text_field(self, field: str, char: str) -> None:
        _, problems = parse_resource({**GOOD, field: f"evil{char}txt.exe"}, Location("f", 1))
        assert [(p.field, p.message) for p in problems] == [
            (
                field,
                "must not contain characters that reorder text on screen"
                " (U+202A-U+202E, U+2066-U+2069)",
            )
        ]

    def test_refused_in_ids_and_tags(self) -> None:
        raw = {**GOOD, "id": "a\u202eb", "tags": ["a\u202eb"]}
        _, problems = parse_resource(raw, Location("f", 1))
        assert [(p.field, p.message) for p in problems] == [
            (
                "id",
                "must not contain characters that reorder text on screen"
                " (U+202A-U+202E, U+2066-U+2069)",
            ),
            (
                "tags",
                "'a\\u202eb' is not a valid tag; use lowercase letters, digits, '+', '.', '_' or"
                " '-' (at most 32)",
            ),
        ]

    def test_refused_in_categories(self) -> None:
        raw = {"id": "tools", "name": "To\u2066ols", "description": "x\u202ay"}
        category, problems = parse_category(raw, Location("c.yaml", 1))
        assert category is None
        assert [p.field for p in problems] == ["name", "description"]

    def test_other_scripts_and_marks_are_fine(self) -> None:
        raw = {**GOOD, "name": "עברית العربية 日本語", "description": "left\u200fright\u200e"}
        resource_, problems = parse_resource(raw, Location("f", 1))
        assert problems == []
        assert resource_ is not None

    def test_imported_text_drops_them_and_keeps_the_record(self) -> None:
        assert records.clean_text(f"Na{BIDI}me", 100) == "Name"
        found, problems = manager_db.parse_node_list(
            {
                "custom_nodes": [
                    {
                        "reference": "https://github.com/o/p",
                        "title": "P\u202eack",
                        "author": "o\u2066",
                        "description": "D\u202bdesc",
                    }
                ]
            },
            "n.json",
            {},
        )
        assert problems == []
        assert (found[0][0].name, found[0][0].author, found[0][0].description) == (
            "Pack",
            "o",
            "Ddesc",
        )


class TestSearchCaches:
    """Per-term caches keep at most a fixed number of terms, however many queries come."""

    def test_many_distinct_queries(self) -> None:
        index = SearchIndex([resource(f"r{i}", name=f"Alpha{i} Video") for i in range(50)])
        text = index._text
        for i in range(3 * MAX_CACHED_TERMS):
            index.search(Query(text=f"q{i} zz{i}x"))
            index.search(Query(text=chr(0x4E00 + i)))
            index.search(Query(tags=(f"t{i}",)))
        # Short prefixes are memoised up to the bound; the documents of a filter value only
        # for values some document has.
        assert text._short_prefix.cache_info().currsize == MAX_CACHED_TERMS
        assert index._facets._filters["tag"] == {}

    def test_filter_sets_are_bounded(self) -> None:
        """Every tag some entry has can be asked for; the sets kept stay bounded."""
        tags = [f"t{i}" for i in range(MAX_KEPT_FILTERS + 50)]
        index = SearchIndex([resource(f"r{i}", tags=(tag,)) for i, tag in enumerate(tags)])
        for i, tag in enumerate(tags):
            found = index.search(Query(tags=(tag,)))
            assert [r.id for r in found.items] == [f"r{i}"]
            assert sum(map(len, index._facets._filters.values())) <= MAX_KEPT_FILTERS

    def test_cached_answers_stay_right(self) -> None:
        index = SearchIndex([resource("a", name="Alpha Video"), resource("b", name="Beta")])
        for _ in range(3):
            assert [r.id for r in index.search(Query(text="al")).items] == ["a"]
            assert [r.id for r in index.search(Query(text="video")).items] == ["a"]


def _entries(count: int, prefix: str = "e") -> list[dict[str, Any]]:
    return [
        {
            "id": f"{prefix}{i}",
            "name": f"E{i}",
            "url": f"https://example.org/{prefix}{i}",
            "category": "tools",
            "kind": "tool",
            "description": "d",
        }
        for i in range(count)
    ]


class TestSourceLimits:
    """Every source is bounded in entries and bytes, and says so when it is cut."""

    def test_curated_entries(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(curated, "MAX_ENTRIES", 5)
        data = tmp_path / "data"
        (data / "resources").mkdir(parents=True)
        (data / "categories.yaml").write_text("categories:\n  - {id: tools, name: Tools}\n")
        for name in ("a", "b"):
            (data / "resources" / f"{name}.yaml").write_text(
                json.dumps({"resources": _entries(4, name)}), encoding="utf-8"
            )
        result = load_curated(data)
        assert len(result.resources) == 5
        assert [p.message for p in result.problems] == [
            "the catalogue has more than 5 entries; only the first 5 are read"
        ]

    def test_curated_bytes(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        data = tmp_path / "data"
        (data / "resources").mkdir(parents=True)
        (data / "categories.yaml").write_text("categories:\n  - {id: tools, name: Tools}\n")
        for name in ("a", "b", "c"):
            (data / "resources" / f"{name}.yaml").write_text(
                json.dumps({"resources": _entries(2, name)}), encoding="utf-8"
            )
        size = (data / "resources" / "a.yaml").stat().st_size
        monkeypatch.setattr(curated, "MAX_TOTAL_BYTES", 2 * size + 1)
        result = load_curated(data)
        assert [r.id for r in result.resources] == ["a0", "a1", "b0", "b1"]
        [problem] = result.problems
        assert problem.file.endswith("c.yaml")
        assert problem.message == (
            f"the catalogue's files hold more than {2 * size + 1} bytes together;"
            " this one is not read"
        )

    def test_a_file_gone_before_it_is_read(self, tmp_path: Path) -> None:
        """A resource file that cannot even be sized is reported by the reading."""
        data = tmp_path / "data"
        (data / "resources").mkdir(parents=True)
        (data / "categories.yaml").write_text("categories:\n  - {id: tools, name: Tools}\n")
        (data / "resources" / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
        result = load_curated(data)
        assert [p.field for p in result.problems] == ["file"]

    def test_markdown_headings(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(markdown_parse, "MAX_SECTIONS", 2)
        text = "".join(f"# H{i}\n- [T{i}](https://example.org/t{i})\n" for i in range(4))
        result = parse_awesome_markdown(text, "list.md")
        assert [r.id for r in result.resources] == ["example-org-t0", "example-org-t1"]
        assert [str(p) for p in result.problems] == [
            "list.md:5: headings: the list has more than 2 headings; only the first 2 are read"
        ]

    def test_snapshots(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        result = SourceResult("s", tuple(resource(f"r{i}") for i in range(3)))
        data = snapshot.snapshot_bytes(result, "k")
        assert snapshot.read_snapshot(data, "k") == result
        monkeypatch.setattr(snapshot, "MAX_SNAPSHOT_ENTRIES", 2)
        assert snapshot.read_snapshot(data, "k") is None
        monkeypatch.setattr(snapshot, "MAX_SNAPSHOT_BYTES", len(data) - 1)
        assert snapshot.read_snapshot(data, "k") is None
        path = tmp_path / "s.snapshot.json"
        path.write_bytes(data)
        with pytest.raises(OSError, match="is larger than"):
            snapshot.read_snapshot_file(path)

    def test_manager_entries(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(manager_entries, "MAX_ENTRIES", 3)
        nodes = [{"reference": f"https://github.com/o/p{i}", "title": f"P{i}"} for i in range(5)]
        found, problems = manager_db.parse_node_list({"custom_nodes": nodes}, "n.json", {})
        assert len(found) == 3
        assert [str(p) for p in problems] == [
            "n.json: custom_nodes: has 5 entries; only the first 3 are read"
        ]

    def test_manager_stats_entries(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(manager_entries, "MAX_ENTRIES", 3)
        stats = {f"https://github.com/o/p{i}": {"stars": i} for i in range(5)}
        found, problems = manager_db.parse_stats(stats, "s.json")
        assert len(found) == 3
        assert [p.message for p in problems] == ["has 5 entries; only the first 3 are read"]

    def test_manager_bytes_in_all(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(manager_db, "MAX_TOTAL_BYTES", 300)
        nodes = {"custom_nodes": [{"reference": "https://github.com/o/p", "title": "P"}]}
        stats = {"https://github.com/o/p": {"stars": 1}}
        (tmp_path / "github-stats.json").write_text(json.dumps(stats) + " " * 250)
        (tmp_path / "custom-node-list.json").write_text(json.dumps(nodes))
        result = manager_db.load_manager_db(tmp_path)
        assert result.resources == ()
        assert [p.message for p in result.problems] == [
            "the Manager's files hold more than 300 bytes together; this one is not read"
        ]

    def test_registry_nodes(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from nodes.sources.registry import parse as registry_parse  # noqa: PLC0415

        monkeypatch.setattr(registry_parse, "MAX_NODES", 4)
        pages = [NodesPage([{"id": f"n{p}{i}", "name": "N"} for i in range(3)], 2) for p in (1, 2)]
        result = build_result(pages)
        assert len(result.resources) == 4
        assert [p.message for p in result.problems] == [
            "the registry has more than 4 nodes; only the first 4 are read"
        ]

    def test_markdown_entries(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(markdown_parse, "MAX_ENTRIES", 3)
        text = "# Tools\n" + "".join(f"- [T{i}](https://example.org/t{i})\n" for i in range(6))
        result = parse_awesome_markdown(text, "list.md")
        assert len(result.resources) == 3
        assert [str(p) for p in result.problems] == [
            "list.md:5: entries: the list has more than 3 entries; only the first 3 are read"
        ]

    def test_markdown_problems(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(markdown_parse, "MAX_PROBLEMS", 3)
        text = "".join(f"- [T{i}](ftp://example.org/t{i})\n" for i in range(6))
        result = parse_awesome_markdown(text, "list.md")
        assert [p.line for p in result.problems] == [1, 2, 3, None]
        assert result.problems[-1].message == "and 3 more problems"

    def test_every_source_keeps_a_bounded_number_of_problems(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from nodes.core import catalog  # noqa: PLC0415

        monkeypatch.setattr(catalog, "MAX_PROBLEMS", 10)
        many = tuple(Problem("f", i, "x", "bad") for i in range(25))
        store = CatalogStore(
            [FunctionSource("s", lambda: "1", lambda: SourceResult("s", (), (), many))]
        )
        found = store.get()
        assert len(found.problems) == 11
        assert found.problems[-1] == Problem("s", None, "problems", "and 15 more problems")
        assert found.sources[0].problems == 25

    def test_one_registry_node_of_huge_values(self) -> None:
        node: dict[str, Any] = {"id": "x" * MB, "name": "n" * MB, "repository": "r" * MB}
        _, problems = parse_node(node, Location("page 1"))
        all_short(problems)
        _, problems = parse_node({"id": ["x"] * 100_000}, Location("page 1"))
        all_short(problems)


def test_limits_are_what_the_report_says() -> None:
    assert (EXCERPT, MAX_ALIAS_NODES, MAX_CACHED_TERMS) == (80, 100_000, 128)
    assert curated.MAX_ENTRIES == 10_000
    assert manager_entries.MAX_ENTRIES == 20_000
    assert markdown_parse.MAX_ENTRIES == 10_000


class TestUnstorableText:
    """Half a UTF-16 pair cannot be written as UTF-8: refused from every source, not only
    from the user's form, so no answer fails to encode."""

    @pytest.mark.parametrize("field", ["name", "description", "author", "license"])
    def test_refused_in_every_text_field(self, field: str) -> None:
        _, problems = parse_resource({**GOOD, field: "half \ud83d pair"}, Location("f", 1))
        assert [(p.field, p.message) for p in problems] == [
            (field, "contains a character that cannot be stored (an unpaired surrogate)")
        ]

    def test_a_whole_pair_is_kept(self) -> None:
        resource, problems = parse_resource({**GOOD, "name": "Rocket \U0001f680"}, Location("f"))
        assert (problems, resource is not None and resource.name) == ([], "Rocket \U0001f680")


@pytest.mark.parametrize("pattern", [ID_RE, TAG_RE])
def test_patterns_match_whole_text_only(pattern: re.Pattern[str]) -> None:
    """``$`` also matches before a final newline; the rules must not let one through."""
    assert pattern.fullmatch("abc") is not None
    assert pattern.fullmatch("abc\n") is None
