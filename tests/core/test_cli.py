"""The curator's everyday commands, called in-process: search, show, stats, validate and the
options that shape them, with their output and exit codes. The commands that fetch (refresh,
check-links, import-markdown from a URL) and --with-cached are in tests/http/test_cli_sources.py.
"""

from __future__ import annotations

import json
import runpy
import sys
from io import StringIO
from pathlib import Path

import pytest
import yaml

from nodes.cli.main import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, build_parser, build_store, main
from nodes.sources.curated import DEFAULT_DATA_DIR, CuratedSource
from nodes.sources.manager_db import NODE_LIST, STATS
from nodes.sources.snapshot import ManagerSource
from tests.helpers.sample_catalogue import (
    ALL_IDS,
    BY_NAME,
    BY_STARS,
    NO_DATABASE_FACTS,
    WAN_MODEL,
)

SKIPPED_WARNING = (
    "warning: 1 problem(s) in the source data were skipped; see `python -m nodes validate`\n"
)
VIDEO_HELPER_LINES = [
    "Video Helper Suite  [node-pack · Video]  ★500  2025-03-01",
    "    https://github.com/example/video-helper",
]


def run(*argv: str) -> tuple[int, str]:
    """Run the command line with ``argv``; return its exit code and what it printed."""
    out = StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def json_ids(text: str) -> list[str]:
    return [item["id"] for item in json.loads(text)["items"]]


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the default --cache-dir out of the real home folder."""
    cache = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return cache / "awesome-comfyui-beyond"


@pytest.fixture
def manager_folder(tmp_path: Path) -> Path:
    """A tiny Manager database: a new pack, an entry that is skipped, and the stars and last
    update of a curated resource that has none."""
    folder = tmp_path / "manager"
    folder.mkdir()
    nodes = [
        {
            "reference": "https://github.com/other/delta-nodes",
            "title": "Delta Nodes",
            "author": "other",
            "description": "Delta things.",
            "install_type": "git-clone",
            "files": ["https://github.com/other/delta-nodes"],
        },
        {"reference": "not a url", "title": "Broken"},
        {"reference": "https://docs.example.org/", "title": "Docs from Manager"},
    ]
    stats = {
        "https://docs.example.org": {"stars": 77, "last_update": "2025-04-05 06:07:08"},
        "https://github.com/other/delta-nodes": {"stars": 3},
    }
    (folder / NODE_LIST).write_text(json.dumps({"custom_nodes": nodes}), encoding="utf-8")
    (folder / STATS).write_text(json.dumps(stats), encoding="utf-8")
    return folder


def write_resources(data_dir: Path, text: str, name: str = "extra.yaml") -> Path:
    path = data_dir / "resources" / name
    path.write_text(text, encoding="utf-8")
    return path


class TestParser:
    """The parser knows the commands and the shared options."""

    def test_command_required(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without a command, argparse exits with usage status 2."""
        with pytest.raises(SystemExit) as info:
            main([])
        assert info.value.code == EXIT_USAGE
        assert "the following arguments are required: COMMAND" in capsys.readouterr().err

    def test_defaults(self, private_cache: Path) -> None:
        """The pack's data folder, nothing else loaded, the user's cache folder; search 20."""
        args = build_parser().parse_args(["search"])
        assert (
            args.data,
            args.with_manager_db,
            args.with_cached,
            args.cache_dir,
            args.custom_nodes,
            args.limit,
            args.offset,
            args.sort,
            args.tag,
            args.installed,
            args.json,
        ) == (
            DEFAULT_DATA_DIR,
            None,
            False,
            private_cache,
            [],
            20,
            0,
            "relevance",
            [],
            False,
            False,
        )
        assert build_parser().prog == "python -m nodes"

    def test_store_sources(self, data_dir: Path, manager_folder: Path) -> None:
        """The curated folder always; the Manager database when asked, cached in --cache-dir."""
        args = build_parser().parse_args(
            ["--data", str(data_dir), "--with-manager-db", str(manager_folder), "stats"]
        )
        assert build_store(args).sources == [
            CuratedSource(data_dir),
            ManagerSource.in_folder(manager_folder, cache_dir=args.cache_dir),
        ]
        only = build_store(build_parser().parse_args(["--data", str(data_dir), "stats"]))
        assert only.sources == [CuratedSource(data_dir)]


class TestSearch:
    """`search` prints matching resources, or the API's JSON with --json."""

    def test_text_output(self, data_dir: Path) -> None:
        """Each match is two lines (stars and last update when known), then a range of the total."""
        assert run("--data", str(data_dir), "search") == (
            EXIT_OK,
            "Video Helper Suite  [node-pack · Video]  ★500  2025-03-01\n"
            "    https://github.com/example/video-helper\n"
            "AnimateDiff Evolved  [node-pack · Video]  ★1200  2024-11-20\n"
            "    https://github.com/example/animatediff\n"
            "Wan Model  [model · Video]  2025-05-05\n"
            "    https://huggingface.co/example/wan\n"
            "Upscale Tool  [tool · Tools]  ★50\n"
            "    https://example.org/upscale\n"
            "ComfyUI Docs  [docs · Tools]\n"
            "    https://docs.example.org\n"
            "(1-5 of 5)\n",
        )

    def test_words_and_paging(self, data_dir: Path) -> None:
        """Several words are one query; offset and limit choose the page."""
        assert run("--data", str(data_dir), "search", "video", "frames") == (
            EXIT_OK,
            "\n".join([*VIDEO_HELPER_LINES, "(1-1 of 1)\n"]),
        )
        code, out = run("--data", str(data_dir), "search", "--offset", "1", "--limit", "1")
        assert (code, out.splitlines()) == (
            EXIT_OK,
            [
                "AnimateDiff Evolved  [node-pack · Video]  ★1200  2024-11-20",
                "    https://github.com/example/animatediff",
                "(2-2 of 5)",
            ],
        )

    def test_nothing_found(self, data_dir: Path) -> None:
        """No match prints '(none of 0)'."""
        assert run("--data", str(data_dir), "search", "zzzz") == (EXIT_OK, "(none of 0)\n")

    @pytest.mark.parametrize(
        ("options", "expected"),
        [
            pytest.param(["--category", "tools"], ["upscale-tool", "comfy-docs"], id="category"),
            pytest.param(["--kind", "model"], ["wan-model"], id="kind"),
            pytest.param(["--tag", "video", "--tag", "frames"], ["video-helper"], id="tags"),
            pytest.param(["--tag", "video", "--tag", "docs"], [], id="tags-and"),
            pytest.param(["--source", "curated", "--sort", "name"], list(BY_NAME), id="sort"),
            pytest.param(["--sort", "stars", "--offset", "3"], list(BY_STARS[3:]), id="offset"),
            pytest.param(["--source", "user"], [], id="other-source"),
        ],
    )
    def test_filters_json(self, data_dir: Path, options: list[str], expected: list[str]) -> None:
        """Filters reach the query engine; --json prints the HTTP API's shape."""
        code, out = run("--data", str(data_dir), "search", "--json", *options)
        document = json.loads(out)
        assert code == EXIT_OK
        shape = ["total", "offset", "limit", "items", "facets", "sortable"]
        assert list(document)[:6] == shape  # and unfiltered_total when nothing matched
        assert [item["id"] for item in document["items"]] == expected
        assert document["limit"] == 20
        assert out.endswith("}\n")

    def test_json_document(self, data_dir: Path) -> None:
        """The whole JSON document for one match, facets included, with Unicode kept."""
        main_file = data_dir / "resources" / "main.yaml"
        text = main_file.read_text(encoding="utf-8")
        main_file.write_text(text.replace("larger.", "larger ✓."), encoding="utf-8")
        code, out = run("--data", str(data_dir), "search", "--json", "--limit", "1", "upscale")
        assert code == EXIT_OK
        assert "✓" in out
        assert json.loads(out) == {
            "total": 1,
            "offset": 0,
            "limit": 1,
            "items": [
                {
                    "id": "upscale-tool",
                    "name": "Upscale Tool",
                    "url": "https://example.org/upscale",
                    "category": "tools",
                    "kind": "tool",
                    "description": "Makes small pictures larger ✓.",
                    "tags": ["upscaling"],
                    "author": "carol",
                    "license": "",
                    "install_url": "",
                    "stars": 50,
                    "updated": "",
                    "source": "curated",
                    **NO_DATABASE_FACTS,
                    "installed": False,
                    "disabled": False,
                }
            ],
            "facets": {
                "category": {"tools": 1},
                "kind": {"tool": 1},
                "tag": {"upscaling": 1},
                "source": {"curated": 1},
            },
            "sortable": {"stars": 1, "updated": 0, "downloads": 0},
        }

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            pytest.param(
                ["--limit", "0"], "error: --limit: must be between 1 and 500", id="limit-0"
            ),
            pytest.param(
                ["--limit", "501"], "error: --limit: must be between 1 and 500", id="limit-501"
            ),
            pytest.param(
                ["--offset", "-1"],
                "error: --offset: must be a whole number, got '-1'",
                id="offset-negative",
            ),
            pytest.param(
                ["--category", "Bad!"],
                "error: --category: 'Bad!' is not a valid category id",
                id="category",
            ),
            pytest.param(
                ["--source", "a b"], "error: --source: 'a b' is not a valid source id", id="source"
            ),
            pytest.param(
                ["--tag", "Bad Tag"], "error: --tag: 'Bad Tag' is not a valid tag", id="tag"
            ),
            pytest.param(
                ["x" * 201], "error: --query: is 201 characters long; the limit is 200", id="query"
            ),
            pytest.param(
                ["--installed"],
                "error: --installed: needs --custom-nodes DIR to know what is installed",
                id="installed-without-folders",
            ),
        ],
    )
    def test_bad_options(
        self,
        data_dir: Path,
        capsys: pytest.CaptureFixture[str],
        options: list[str],
        message: str,
    ) -> None:
        """A bad value exits with status 2 and one clear line on stderr, printing nothing else."""
        assert run("--data", str(data_dir), "search", *options) == (EXIT_USAGE, "")
        assert capsys.readouterr().err == message + "\n"

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            pytest.param(
                ["--limit", "abc"], "argument --limit: invalid int value: 'abc'", id="limit-text"
            ),
            pytest.param(
                ["--kind", "plugin"], "argument --kind: invalid choice: 'plugin'", id="kind"
            ),
            pytest.param(["--sort", "best"], "argument --sort: invalid choice: 'best'", id="sort"),
        ],
    )
    def test_options_argparse_refuses(
        self, capsys: pytest.CaptureFixture[str], options: list[str], message: str
    ) -> None:
        """Values argparse can check itself exit with status 2 and its message."""
        with pytest.raises(SystemExit) as info:
            main(["search", *options], out=StringIO())
        assert info.value.code == EXIT_USAGE
        assert message in capsys.readouterr().err

    def test_merged_stars_and_unknown_categories(
        self, data_dir: Path, manager_folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Stars and dates the Manager adds are shown; an unknown category shows its id; the
        entry the Manager database spoils is skipped with a warning."""
        code, out = run(
            "--data", str(data_dir), "--with-manager-db", str(manager_folder),
            "search", "--sort", "stars", "--offset", "2", "--limit", "3",
        )  # fmt: skip
        assert (code, out) == (
            EXIT_OK,
            "ComfyUI Docs  [docs · Tools]  ★77  2025-04-05\n"
            "    https://docs.example.org\n"
            "Upscale Tool  [tool · Tools]  ★50\n"
            "    https://example.org/upscale\n"
            "Delta Nodes  [node-pack · node-packs]  ★3\n"
            "    https://github.com/other/delta-nodes\n"
            "(3-5 of 6)\n",
        )
        assert capsys.readouterr().err == SKIPPED_WARNING

    def test_default_output_is_stdout(
        self, data_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without an output stream, results go to standard output."""
        assert main(["--data", str(data_dir), "search", "frames"]) == EXIT_OK
        captured = capsys.readouterr()
        assert captured.out == "\n".join([*VIDEO_HELPER_LINES, "(1-1 of 1)\n"])
        assert captured.err == ""


class TestInstalled:
    """--custom-nodes marks installed node packs; --installed keeps only those."""

    @pytest.fixture
    def custom_nodes(self, tmp_path: Path) -> Path:
        folder = tmp_path / "custom_nodes"
        (folder / "video-helper").mkdir(parents=True)
        (folder / "unrelated").mkdir()
        return folder

    def test_json_says_which_are_installed(self, data_dir: Path, custom_nodes: Path) -> None:
        """Each JSON item ends with whether it is installed."""
        code, out = run(
            "--data", str(data_dir), "--custom-nodes", str(custom_nodes), "search", "--json"
        )
        items = json.loads(out)["items"]
        assert code == EXIT_OK
        assert [(i["id"], i["installed"]) for i in items] == [
            (rid, rid == "video-helper") for rid in ALL_IDS
        ]
        assert list(items[0])[-2:] == ["installed", "disabled"]
        assert "favorite" not in items[0]  # the command line keeps no favourites

    def test_text_marks_installed_packs(self, data_dir: Path, custom_nodes: Path) -> None:
        code, out = run(
            "--data", str(data_dir), "--custom-nodes", str(custom_nodes), "search", "--limit", "2"
        )
        assert (code, out.splitlines()) == (
            EXIT_OK,
            [
                VIDEO_HELPER_LINES[0],
                VIDEO_HELPER_LINES[1] + "  [installed]",
                "AnimateDiff Evolved  [node-pack · Video]  ★1200  2024-11-20",
                "    https://github.com/example/animatediff",
                "(1-2 of 5)",
            ],
        )

    def test_installed_only(self, data_dir: Path, custom_nodes: Path) -> None:
        code, out = run(
            "--data", str(data_dir), "--custom-nodes", str(custom_nodes),
            "search", "--installed", "--json",
        )  # fmt: skip
        assert (code, json_ids(out), json.loads(out)["total"]) == (EXIT_OK, ["video-helper"], 1)

    def test_several_custom_nodes_folders(self, data_dir: Path, tmp_path: Path) -> None:
        """Every folder given counts; a folder's name matches in any case."""
        (tmp_path / "first").mkdir()
        (tmp_path / "second" / "AnimateDiff").mkdir(parents=True)
        _, out = run(
            "--data", str(data_dir), "--custom-nodes", str(tmp_path / "first"),
            "--custom-nodes", str(tmp_path / "second"), "search", "--installed", "--json",
        )  # fmt: skip
        assert json_ids(out) == ["animate-diff"]

    def test_without_custom_nodes_nothing_is_installed(self, data_dir: Path) -> None:
        _, out = run("--data", str(data_dir), "search", "--json")
        assert [i["installed"] for i in json.loads(out)["items"]] == [False] * len(ALL_IDS)


class TestShow:
    """`show` prints one resource by id."""

    def test_text(self, data_dir: Path) -> None:
        """Non-empty fields only, right-aligned names, tags joined."""
        assert run("--data", str(data_dir), "show", "video-helper") == (
            EXIT_OK,
            "          id: video-helper\n"
            "        name: Video Helper Suite\n"
            "         url: https://github.com/example/video-helper\n"
            "    category: video\n"
            "        kind: node-pack\n"
            " description: Loads and saves frame sequences.\n"
            "        tags: video, frames\n"
            "      author: alice\n"
            "       stars: 500\n"
            "     updated: 2025-03-01\n"
            "      source: curated\n",
        )

    def test_zero_stars_shown(self, data_dir: Path) -> None:
        """Zero stars are a value and are printed."""
        write_resources(
            data_dir,
            "resources:\n  - id: zero\n    name: Zero\n    url: https://z.org\n"
            "    category: tools\n    kind: tool\n    description: None yet.\n"
            "    stars: 0\n",
        )
        code, out = run("--data", str(data_dir), "show", "zero")
        assert code == EXIT_OK
        assert "       stars: 0\n" in out

    def test_json(self, data_dir: Path) -> None:
        """--json prints the resource's API shape."""
        code, out = run("--data", str(data_dir), "show", "wan-model", "--json")
        assert code == EXIT_OK
        assert json.loads(out) == WAN_MODEL
        assert out.endswith("}\n")

    def test_unknown_id(self, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown id exits 1 with a message on stderr."""
        assert run("--data", str(data_dir), "show", "nope") == (EXIT_PROBLEMS, "")
        assert capsys.readouterr().err == "error: no resource with id 'nope'\n"


class TestStats:
    """`stats` counts resources by source, kind and category."""

    def test_text(self, data_dir: Path, manager_folder: Path) -> None:
        """A summary line, one line per source, then kinds and categories, most first."""
        code, out = run("--data", str(data_dir), "--with-manager-db", str(manager_folder), "stats")
        lines = out.splitlines()
        assert code == EXIT_OK
        assert lines[0].startswith("6 resources (catalogue version ")
        assert lines[1:] == [
            "  source curated: 5 resources, 0 problems",
            "  source manager: 2 resources, 1 problems",
            "  kind node-pack: 3",
            "  kind model: 1",
            "  kind tool: 1",
            "  kind docs: 1",
            "  category video: 3",
            "  category tools: 2",
            "  category node-packs: 1",
        ]

    def test_json(self, data_dir: Path) -> None:
        """--json prints the same numbers as a document."""
        code, out = run("--data", str(data_dir), "stats", "--json")
        document = json.loads(out)
        assert code == EXIT_OK
        assert len(document.pop("version")) == 16
        assert document == {
            "resources": 5,
            "sources": [{"name": "curated", "resources": 5, "problems": 0, "error": ""}],
            "kinds": {"node-pack": 2, "model": 1, "tool": 1, "docs": 1},
            "categories": {"video": 3, "tools": 2},
            "problems": 0,
        }

    def test_version_follows_the_data(self, data_dir: Path) -> None:
        """Changing a data file changes the catalogue version."""
        before = json.loads(run("--data", str(data_dir), "stats", "--json")[1])["version"]
        path = data_dir / "resources" / "main.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        after = json.loads(run("--data", str(data_dir), "stats", "--json")[1])["version"]
        assert after != before


class TestValidate:
    """`validate` prints one `file:line: field: message` line per problem."""

    @pytest.mark.parametrize("where", ["argument", "data-option"])
    def test_ok(self, data_dir: Path, capsys: pytest.CaptureFixture[str], where: str) -> None:
        """A valid folder exits 0 with a summary; without paths it validates --data."""
        argv = (
            ["validate", str(data_dir)]
            if where == "argument"
            else ["--data", str(data_dir), "validate"]
        )
        assert run(*argv) == (EXIT_OK, "ok: 5 resources, 3 categories, 1 file(s)\n")
        assert capsys.readouterr().err == ""

    def test_broken_file(self, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Problems exit 1: each on its own line on stdout, a count on stderr."""
        path = write_resources(
            data_dir,
            "resources:\n"
            "  - id: Bad\n"
            "    name: Bad\n"
            "    url: github.com/x/y\n"
            "    category: tools\n"
            "    kind: tool\n"
            "    description: Broken.\n"
            "  - id: wan-model\n"
            "    name: Again\n"
            "    url: https://example.org/again\n"
            "    category: tools\n"
            "    kind: tool\n"
            "    description: Same id.\n",
            "zz.yaml",
        )
        main_file = data_dir / "resources" / "main.yaml"
        code, out = run("validate", str(data_dir))
        assert code == EXIT_PROBLEMS
        assert out.splitlines() == [
            f"{path}:2: id: 'Bad' is not a valid id; use 1-80 lowercase letters, digits, '.', "
            "'_' or '-', starting and ending with a letter or digit",
            f"{path}:4: url: must start with http:// or https://",
            f"{path}:8: id: 'wan-model' is already used by the entry at {main_file}:22",
        ]
        assert capsys.readouterr().err == "3 problem(s) in 2 file(s)\n"

    def test_single_file(self, data_dir: Path) -> None:
        """A file given alone is checked against its folder's categories."""
        path = write_resources(
            data_dir,
            "resources:\n  - id: x\n    name: X\n    url: https://x.org\n"
            "    category: models\n    kind: tool\n    description: X.\n",
        )
        code, out = run("validate", str(path))
        assert code == EXIT_PROBLEMS
        assert out == (
            f"{path}:5: category: 'models' is not a known category; known: empty, tools, video\n"
        )

    def test_real_data(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The pack's own curated catalogue validates cleanly, every entry and file counted."""
        files = sorted((DEFAULT_DATA_DIR / "resources").glob("*.y*ml"))
        entries = sum(len(yaml.safe_load(f.read_bytes())["resources"]) for f in files)
        categories = yaml.safe_load((DEFAULT_DATA_DIR / "categories.yaml").read_bytes())
        code, out = run("validate", str(DEFAULT_DATA_DIR))
        assert (code, out) == (
            EXIT_OK,
            f"ok: {entries} resources, {len(categories['categories'])} categories, "
            f"{len(files)} file(s)\n",
        )
        assert capsys.readouterr().err == ""


class TestModuleEntryPoint:
    """`python -m nodes` runs the command line and exits with its status."""

    def run_module(self, monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
        monkeypatch.setattr(sys, "argv", ["python -m nodes", *argv])
        monkeypatch.delitem(sys.modules, "nodes.__main__", raising=False)
        with pytest.raises(SystemExit) as info:
            runpy.run_module("nodes", run_name="__main__")
        return int(info.value.code or 0)

    def test_validate_real_data(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`python -m nodes validate data/` passes on the pack's data."""
        monkeypatch.chdir(DEFAULT_DATA_DIR.parent)
        assert self.run_module(monkeypatch, "validate", "data/") == EXIT_OK
        assert capsys.readouterr().out.startswith("ok: ")

    def test_failure_status(
        self, monkeypatch: pytest.MonkeyPatch, data_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A failing command's status becomes the process exit status."""
        assert self.run_module(monkeypatch, "--data", str(data_dir), "show", "nope") == 1
        assert capsys.readouterr().err == "error: no resource with id 'nope'\n"
