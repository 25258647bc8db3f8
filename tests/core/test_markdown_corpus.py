"""The Markdown corpus: lists written for these tests in the shapes real awesome lists take.

Each ``tests/core/markdown_corpus/<name>.md`` has ``<name>.expected.json`` beside it: the
categories and resources read from it (with ``catalogue.json`` standing in for the catalogue
in use), every problem, and every linked item (``line: label``), with why it was not
imported when it never reached validation. The corpus README says which shape each list holds.

Set ``CORPUS_REGENERATE=1`` to rewrite the expected files after a deliberate change, then
read the diff: the expected files are the review.
"""

from __future__ import annotations

import json
import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from nodes.cli.main import EXIT_OK, main
from nodes.core.model import SourceResult
from nodes.core.validate import FIELDS
from nodes.sources.curated import validate_paths
from nodes.sources.markdown import parse_awesome_markdown

CORPUS = Path(__file__).parent / "markdown_corpus"
LISTS = sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md")
KINDS: dict[str, str] = json.loads((CORPUS / "catalogue.json").read_text(encoding="utf-8"))


def read(path: Path) -> tuple[SourceResult, list[tuple[int, str, str]]]:
    items: list[tuple[int, str, str]] = []
    text = path.read_text(encoding="utf-8")
    return parse_awesome_markdown(text, path.name, kinds=KINDS, items=items), items


def as_expected(path: Path) -> dict[str, Any]:
    result, items = read(path)
    return {
        "categories": [c.to_dict() for c in result.categories],
        # The fields a list can give (a Markdown list brings none of a database's facts).
        "resources": [
            {k: v for k, v in r.to_dict().items() if k in FIELDS and v not in ("", None, [])}
            for r in result.resources
        ],
        "problems": [str(p) for p in result.problems],
        "linked": [
            f"{line}: {label}" + (f" -- not imported: {reason}" if reason else "")
            for line, label, reason in items
        ],
    }


def expected_path(path: Path) -> Path:
    return path.with_suffix(".expected.json")


@pytest.mark.parametrize("path", LISTS, ids=[p.stem for p in LISTS])
def test_expected_result(path: Path) -> None:
    """Each list reads exactly as its expected file says."""
    found = as_expected(path)
    if os.environ.get("CORPUS_REGENERATE") == "1":  # pragma: no cover - a maintainer's tool
        text = json.dumps(found, ensure_ascii=False, indent=2) + "\n"
        expected_path(path).write_text(text, encoding="utf-8")
    assert found == json.loads(expected_path(path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", LISTS, ids=[p.stem for p in LISTS])
def test_every_linked_item_is_accounted_for(path: Path) -> None:
    """Each linked line is imported, or has a problem, or a reason; never silently lost."""
    result, items = read(path)
    problem_lines = {p.line for p in result.problems}
    imported = [line for line, _, reason in items if not reason and line not in problem_lines]
    assert len(imported) == len(result.resources)
    assert all(reason or line in problem_lines or line in imported for line, _, reason in items)


@pytest.mark.parametrize("path", LISTS, ids=[p.stem for p in LISTS])
def test_the_command_writes_a_data_folder_that_validates(path: Path, tmp_path: Path) -> None:
    """``import-markdown --out DIR`` on each list gives a folder ``validate`` accepts alone."""
    target = tmp_path / "imported"
    out = StringIO()
    assert main(["import-markdown", str(path), "--out", str(target)], out=out) == EXIT_OK
    result, files = validate_paths([target])
    assert result.problems == ()
    assert len(result.resources) == len(read(path)[0].resources)
    assert all(c.description for c in result.categories)
    assert all(r.description for r in result.resources)
    assert files == len(result.categories)
    assert main(["validate", str(target)], out=StringIO()) == EXIT_OK


def test_corpus_is_complete() -> None:
    """Every list has its expected result, and every expected result its list."""
    assert len(LISTS) >= 4
    assert sorted(CORPUS.glob("*.expected.json")) == sorted(map(expected_path, LISTS))


def thousands_list() -> str:
    """A list of thousands of entries in every shape above, as the biggest real lists are."""
    lines = ["# Everything", "", "## Contents", ""]
    lines += [f"- [Section {s}](#section-{s})" for s in range(20)]
    for s in range(20):
        lines += ["", f"## Section {s}", "", f"Entries of section {s}.", ""]
        for i in range(100):
            n = s * 100 + i
            lines.append(f"- [Pack {n}](https://github.com/owner{n}/pack-{n}) (⭐+{n}): Nodes {n}.")
        lines += ["", "| Name | Description | Type | Repo |", "| --- | --- | --- | --- |"]
        for i in range(50):
            n = s * 100 + i
            lines.append(
                f"| Model {n} | Weights for [pack {n}](https://github.com/owner{n}/pack-{n})"
                f" | Model | [HF](https://huggingface.co/owner{n}/model-{n}) |"
            )
        lines.append(f"- [Pack {s * 100} again](https://github.com/owner{s * 100}/pack-{s * 100})")
    return "\n".join(lines) + "\n"


def test_a_list_of_thousands(tmp_path: Path) -> None:
    """3,000 entries, 20 anchors and 20 duplicates: counted, imported, validated."""
    source = tmp_path / "big.md"
    source.write_text(thousands_list(), encoding="utf-8")
    target = tmp_path / "data"
    out = StringIO()
    assert main(["import-markdown", str(source), "--out", str(target)], out=out) == EXIT_OK
    assert out.getvalue().splitlines()[1:] == [
        "3000 of 3040 linked item(s) imported, in 20 categories",
        "40 not imported:",
        "     20  duplicate",
        "     20  link to a section of this page",
    ]
    result, files = validate_paths([target])
    assert (len(result.resources), files, result.problems) == (3000, 20, ())
    kinds = {r.kind for r in result.resources if r.url.startswith("https://huggingface.co/")}
    assert kinds == {"model"}
