"""`check-links PATH`: any file either yields links to check or fails with a clear message.

What a path yields is :func:`link_targets`; the checks themselves, against real local
servers, are in ``tests/http/test_cli_sources.py``. The failures here stop before any
request, so no network is involved.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest

from nodes.cli.main import EXIT_PROBLEMS, main
from nodes.cli.sources import link_targets

RESOURCES = """\
resources:
  - id: a
    name: A
    url: https://example.org/a
    category: tools
    kind: tool
    description: First.
  - id: b
    name: B
    url: https://example.org/b
    category: elsewhere
    kind: tool
    description: In a category no categories.yaml defines.
"""
CATEGORIES = "categories:\n  - id: tools\n    name: Tools\n"
LIST = "# Tools\n- [A](https://example.org/a) - First.\n- [Top](#tools)\n- [R](docs/r.md)\n"


def run(tmp_path: Path, *paths: Path) -> tuple[int, str]:
    out = StringIO()
    code = main(["--cache-dir", str(tmp_path / "cache"), "check-links", *map(str, paths)], out=out)
    return code, out.getvalue()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def urls(*paths: Path) -> list[str]:
    return [r.url for r in link_targets(list(paths)).resources]


class TestFilesAnywhere:
    def test_a_resource_file_outside_a_data_folder(self, tmp_path: Path) -> None:
        """No categories.yaml near: categories are not checked, every link is."""
        file = write(tmp_path / "candidates.yaml", RESOURCES)
        targets = link_targets([file])
        assert [r.url for r in targets.resources] == [
            "https://example.org/a",
            "https://example.org/b",
        ]
        assert targets.notes == [
            f"note: no categories.yaml found for {file}; its categories are not checked,"
            " only its links"
        ]

    def test_categories_beside_the_file_are_read(self, tmp_path: Path) -> None:
        """A categories.yaml beside the file is the nearest: the entry it does not know is
        left out and counted."""
        write(tmp_path / "categories.yaml", CATEGORIES)
        file = write(tmp_path / "candidates.yaml", RESOURCES)
        targets = link_targets([file])
        assert [r.url for r in targets.resources] == ["https://example.org/a"]
        assert [p.field for p in targets.problems] == ["category"]

    def test_a_file_in_a_data_folder_uses_its_categories(self, tmp_path: Path) -> None:
        write(tmp_path / "data" / "categories.yaml", CATEGORIES)
        file = write(tmp_path / "data" / "resources" / "x.yaml", RESOURCES)
        assert urls(file) == ["https://example.org/a"]

    def test_a_markdown_list(self, tmp_path: Path) -> None:
        """A Markdown list's entries are checked; its relative link is no URL to check."""
        file = write(tmp_path / "README.md", LIST)
        targets = link_targets([file])
        assert [r.url for r in targets.resources] == ["https://example.org/a"]
        assert len(targets.problems) == 1


class TestNothingToCheck:
    """Never "nothing checked, exit 0": a path without links is an error that says why."""

    @pytest.mark.parametrize(
        ("name", "text", "reason"),
        [
            ("notes.txt", "just text\n", "resources: the file must hold a 'resources:' list"),
            ("empty.md", "# Nothing\n", None),
            ("empty.yaml", "", "resources: the file is empty; expected a 'resources:' list"),
        ],
    )
    def test_a_file_without_links(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        name: str,
        text: str,
        reason: str | None,
    ) -> None:
        file = write(tmp_path / name, text)
        assert run(tmp_path, file) == (EXIT_PROBLEMS, "")
        err = capsys.readouterr().err.splitlines()
        expected = "error: nothing to check: no valid resource links in " + str(file)
        assert err[-1] == expected + ("" if reason is None else " (1 problem(s))")
        if reason is not None:
            assert err[-2].endswith(f"{name}:1: {reason}") or err[-2].endswith(f"{name}: {reason}")

    def test_a_missing_path(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        missing = tmp_path / "nowhere.yaml"
        assert run(tmp_path, missing) == (EXIT_PROBLEMS, "")
        assert capsys.readouterr().err.splitlines() == [
            f"{missing}: file: cannot be read: no such file or folder",
            f"error: nothing to check: no valid resource links in {missing} (1 problem(s))",
        ]

    def test_an_empty_catalogue(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = tmp_path / "data"
        write(data / "categories.yaml", CATEGORIES)
        write(data / "resources" / "none.yaml", "resources: []\n")
        out = StringIO()
        argv = ["--data", str(data), "--cache-dir", str(tmp_path / "c"), "check-links"]
        assert main(argv, out=out) == EXIT_PROBLEMS
        assert capsys.readouterr().err == (
            "error: nothing to check: no valid resource links in the catalogue\n"
        )


def test_targets_of_several_paths(tmp_path: Path) -> None:
    """Folders, files and lists add up, with every problem kept."""
    write(tmp_path / "data" / "categories.yaml", CATEGORIES)
    write(tmp_path / "data" / "resources" / "x.yaml", RESOURCES)
    lone = write(tmp_path / "lone" / "x.yaml", RESOURCES)
    listing = write(tmp_path / "README.md", LIST)
    targets = link_targets([tmp_path / "data", lone, listing])
    assert [r.url for r in targets.resources] == [
        "https://example.org/a",
        "https://example.org/a",
        "https://example.org/b",
        "https://example.org/a",
    ]
    assert [p.field for p in targets.problems] == ["category", "url"]
    assert len(targets.notes) == 1


def test_a_markdown_list_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "latin1.md"
    file.write_bytes(b"# T\n- [A](https://example.org/\xe9)\n")
    assert run(tmp_path, file) == (EXIT_PROBLEMS, "")
    assert "latin1.md: file: is not UTF-8 text" in capsys.readouterr().err
