"""The curator's command line, called in-process: every subcommand, its output and exit code."""

from __future__ import annotations

import json
import runpy
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from nodes.cli.main import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    build_parser,
    build_store,
    cached_registry,
    main,
)
from nodes.sources.curated import DEFAULT_DATA_DIR, CuratedSource, load_curated, resource_files
from nodes.sources.manager_db import NODE_LIST, STATS
from nodes.sources.manager_remote import RemoteManagerSource
from nodes.sources.registry import RegistrySource
from nodes.sources.snapshot import ManagerSource


def run(*argv: str) -> tuple[int, str]:
    """Run the command line with ``argv``; return its exit code and what it printed."""
    out = StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the default --cache-dir out of the real home folder."""
    cache = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return cache / "awesome-comfyui-beyond"


@pytest.fixture
def manager_folder(tmp_path: Path) -> Path:
    """A tiny Manager database: one pack with stats, and one entry that is skipped."""
    folder = tmp_path / "manager"
    folder.mkdir()
    (folder / NODE_LIST).write_text(
        json.dumps(
            {
                "custom_nodes": [
                    {
                        "reference": "https://github.com/other/delta-nodes",
                        "title": "Delta Nodes",
                        "author": "other",
                        "description": "Delta things.",
                        "install_type": "git-clone",
                        "files": ["https://github.com/other/delta-nodes"],
                    },
                    {"reference": "not a url", "title": "Broken"},
                    {
                        "reference": "https://github.com/Example/Alpha-Pack",
                        "title": "Alpha from Manager",
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    (folder / STATS).write_text(
        json.dumps(
            {
                "https://github.com/example/alpha-pack": {
                    "stars": 77,
                    "last_update": "2025-04-05 06:07:08",
                },
                "https://github.com/other/delta-nodes": {"stars": 3},
            }
        ),
        encoding="utf-8",
    )
    return folder


class TestParser:
    """The parser knows four commands and the shared options."""

    def test_command_required(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without a command, argparse exits with usage status 2."""
        with pytest.raises(SystemExit) as info:
            main([])
        assert info.value.code == EXIT_USAGE
        assert "the following arguments are required: COMMAND" in capsys.readouterr().err

    def test_defaults(self, tmp_path: Path) -> None:
        """Data defaults to the pack's data folder; no Manager database; search limit 20."""
        args = build_parser().parse_args(["search"])
        assert (
            args.data,
            args.with_manager_db,
            args.with_cached,
            args.custom_nodes,
            args.limit,
            args.offset,
            args.sort,
            args.tag,
            args.installed,
            args.json,
        ) == (DEFAULT_DATA_DIR, None, False, [], 20, 0, "relevance", [], False, False)
        assert args.cache_dir == tmp_path / "xdg-cache" / "awesome-comfyui-beyond"
        assert build_parser().prog == "python -m nodes"

    def test_store_sources(self, catalog_dir: Path, manager_folder: Path) -> None:
        """The curated folder always; the Manager database when asked, cached in --cache-dir."""
        args = build_parser().parse_args(
            ["--data", str(catalog_dir), "--with-manager-db", str(manager_folder), "stats"]
        )
        sources = build_store(args).sources
        assert [s.name for s in sources] == ["curated", "manager"]
        assert sources[0] == CuratedSource(catalog_dir)
        assert sources[1] == ManagerSource(manager_folder, cache_dir=args.cache_dir)
        only = build_store(build_parser().parse_args(["--data", str(catalog_dir), "stats"]))
        assert [s.name for s in only.sources] == ["curated"]

    def test_exit_codes(self) -> None:
        """0 for success, 1 for problems, 2 for bad usage."""
        assert (EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE) == (0, 1, 2)


class TestSearch:
    """`search` prints matching resources, or the API's JSON with --json."""

    def test_text_output(self, catalog_dir: Path) -> None:
        """Each match is two lines, then a range of the total."""
        assert run("--data", str(catalog_dir), "search") == (
            EXIT_OK,
            (
                "Alpha Pack  [node-pack · Tools]\n"
                "    https://github.com/example/alpha-pack\n"
                "Beta Model  [model · Models]\n"
                "    https://huggingface.co/example/beta\n"
                "(1-2 of 2)\n"
            ),
        )

    def test_words_and_paging(self, catalog_dir: Path) -> None:
        """Several words are one query; offset and limit choose the page."""
        assert run("--data", str(catalog_dir), "search", "alpha", "channels") == (
            EXIT_OK,
            (
                "Alpha Pack  [node-pack · Tools]\n"
                "    https://github.com/example/alpha-pack\n"
                "(1-1 of 1)\n"
            ),
        )
        code, out = run("--data", str(catalog_dir), "search", "--offset", "1", "--limit", "1")
        assert (code, out.splitlines()[-1]) == (EXIT_OK, "(2-2 of 2)")
        assert out.splitlines()[0] == "Beta Model  [model · Models]"

    def test_nothing_found(self, catalog_dir: Path) -> None:
        """No match prints '(none of 0)'."""
        assert run("--data", str(catalog_dir), "search", "zzzz") == (EXIT_OK, "(none of 0)\n")

    @pytest.mark.parametrize(
        ("options", "expected"),
        [
            pytest.param(["--category", "models"], ["beta-model"], id="category"),
            pytest.param(["--kind", "node-pack"], ["alpha-pack"], id="kind"),
            pytest.param(["--tag", "alpha", "--tag", "mask"], ["alpha-pack"], id="tags"),
            pytest.param(["--tag", "alpha", "--tag", "checkpoint"], [], id="tags-and"),
            pytest.param(
                ["--source", "curated", "--sort", "name"],
                ["alpha-pack", "beta-model"],
                id="source-sort",
            ),
            pytest.param(["--sort", "name", "--offset", "1"], ["beta-model"], id="offset"),
        ],
    )
    def test_filters_json(self, catalog_dir: Path, options: list[str], expected: list[str]) -> None:
        """Filters reach the query engine; --json prints the HTTP API's shape."""
        code, out = run("--data", str(catalog_dir), "search", "--json", *options)
        document = json.loads(out)
        assert code == EXIT_OK
        assert list(document) == ["total", "offset", "limit", "items", "facets"]
        assert [item["id"] for item in document["items"]] == expected
        assert document["limit"] == 20
        assert out.endswith("}\n")

    def test_json_document(self, catalog_dir: Path) -> None:
        """The whole JSON document for one match, facets included, with Unicode kept."""
        (catalog_dir / "resources" / "main.yaml").write_text(
            (catalog_dir / "resources" / "main.yaml")
            .read_text(encoding="utf-8")
            .replace("Loads alpha channels.", "Loads alpha channels ✓."),
            encoding="utf-8",
        )
        code, out = run("--data", str(catalog_dir), "search", "--json", "--limit", "1", "alpha")
        assert code == EXIT_OK
        assert "✓" in out
        assert json.loads(out) == {
            "total": 1,
            "offset": 0,
            "limit": 1,
            "items": [
                {
                    "id": "alpha-pack",
                    "name": "Alpha Pack",
                    "url": "https://github.com/example/alpha-pack",
                    "category": "tools",
                    "kind": "node-pack",
                    "description": "Loads alpha channels ✓.",
                    "tags": ["alpha", "mask"],
                    "author": "example",
                    "license": "",
                    "install_url": "",
                    "stars": None,
                    "updated": "",
                    "source": "curated",
                    "installed": False,
                }
            ],
            "facets": {
                "category": {"tools": 1},
                "kind": {"node-pack": 1},
                "tag": {"alpha": 1, "mask": 1},
                "source": {"curated": 1},
            },
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
        ],
    )
    def test_bad_options(
        self,
        catalog_dir: Path,
        capsys: pytest.CaptureFixture[str],
        options: list[str],
        message: str,
    ) -> None:
        """A bad value exits with status 2 and one clear line on stderr, printing nothing else."""
        assert run("--data", str(catalog_dir), "search", *options) == (EXIT_USAGE, "")
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

    def test_stars_and_dates_shown(
        self, catalog_dir: Path, manager_folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Merged stars and dates appear after the kind; unknown categories show their id."""
        code, out = run(
            "--data",
            str(catalog_dir),
            "--with-manager-db",
            str(manager_folder),
            "search",
            "--sort",
            "stars",
        )
        assert code == EXIT_OK
        assert out == (
            "Alpha Pack  [node-pack · Tools]  ★77  2025-04-05\n"
            "    https://github.com/example/alpha-pack\n"
            "Delta Nodes  [node-pack · node-packs]  ★3\n"
            "    https://github.com/other/delta-nodes\n"
            "Beta Model  [model · Models]\n"
            "    https://huggingface.co/example/beta\n"
            "(1-3 of 3)\n"
        )
        assert capsys.readouterr().err == (
            "warning: 1 problem(s) in the source data were skipped; see `python -m nodes "
            "validate`\n"
        )

    def test_default_output_is_stdout(
        self, catalog_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without an output stream, results go to standard output."""
        assert main(["--data", str(catalog_dir), "search", "beta"]) == EXIT_OK
        captured = capsys.readouterr()
        assert captured.out == (
            "Beta Model  [model · Models]\n    https://huggingface.co/example/beta\n(1-1 of 1)\n"
        )
        assert captured.err == ""


class TestShow:
    """`show` prints one resource by id."""

    def test_text(self, catalog_dir: Path) -> None:
        """Non-empty fields only, right-aligned names, tags joined."""
        assert run("--data", str(catalog_dir), "show", "alpha-pack") == (
            EXIT_OK,
            (
                "          id: alpha-pack\n"
                "        name: Alpha Pack\n"
                "         url: https://github.com/example/alpha-pack\n"
                "    category: tools\n"
                "        kind: node-pack\n"
                " description: Loads alpha channels.\n"
                "        tags: alpha, mask\n"
                "      author: example\n"
                "      source: curated\n"
            ),
        )

    def test_zero_stars_shown(self, catalog_dir: Path, write_resources: Any) -> None:
        """Zero stars are a value and are printed."""
        write_resources(
            "resources:\n  - id: zero\n    name: Zero\n    url: https://z.org\n"
            "    category: tools\n    kind: tool\n    description: None yet.\n"
            "    stars: 0\n"
        )
        code, out = run("--data", str(catalog_dir), "show", "zero")
        assert code == EXIT_OK
        assert "       stars: 0\n" in out

    def test_json(self, catalog_dir: Path) -> None:
        """--json prints the resource's API shape."""
        code, out = run("--data", str(catalog_dir), "show", "beta-model", "--json")
        assert code == EXIT_OK
        assert json.loads(out) == {
            "id": "beta-model",
            "name": "Beta Model",
            "url": "https://huggingface.co/example/beta",
            "category": "models",
            "kind": "model",
            "description": "A small beta checkpoint.",
            "tags": ["checkpoint"],
            "author": "",
            "license": "",
            "install_url": "",
            "stars": None,
            "updated": "",
            "source": "curated",
        }
        assert out.endswith("}\n")

    def test_unknown_id(self, catalog_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown id exits 1 with a message on stderr."""
        assert run("--data", str(catalog_dir), "show", "nope") == (EXIT_PROBLEMS, "")
        assert capsys.readouterr().err == "error: no resource with id 'nope'\n"


class TestStats:
    """`stats` counts resources by source, kind and category."""

    def test_text(self, catalog_dir: Path, manager_folder: Path) -> None:
        """A summary line, one line per source, then kinds and categories."""
        code, out = run(
            "--data", str(catalog_dir), "--with-manager-db", str(manager_folder), "stats"
        )
        lines = out.splitlines()
        assert code == EXIT_OK
        assert lines[0].startswith("3 resources (catalogue version ")
        assert lines[1:] == [
            "  source curated: 2 resources, 0 problems",
            "  source manager: 2 resources, 1 problems",
            "  kind node-pack: 2",
            "  kind model: 1",
            "  category tools: 1",
            "  category models: 1",
            "  category node-packs: 1",
        ]

    def test_json(self, catalog_dir: Path) -> None:
        """--json prints the same numbers as a document."""
        code, out = run("--data", str(catalog_dir), "stats", "--json")
        document = json.loads(out)
        assert code == EXIT_OK
        assert len(document.pop("version")) == 16
        assert document == {
            "resources": 2,
            "sources": [{"name": "curated", "resources": 2, "problems": 0, "error": ""}],
            "kinds": {"node-pack": 1, "model": 1},
            "categories": {"tools": 1, "models": 1},
            "problems": 0,
        }

    def test_version_follows_the_data(self, catalog_dir: Path) -> None:
        """Changing a data file changes the catalogue version."""
        before = json.loads(run("--data", str(catalog_dir), "stats", "--json")[1])["version"]
        path = catalog_dir / "resources" / "main.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        after = json.loads(run("--data", str(catalog_dir), "stats", "--json")[1])["version"]
        assert after != before


class TestValidate:
    """`validate` prints one `file:line: field: message` line per problem."""

    def test_ok(self, catalog_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A valid folder exits 0 with a summary."""
        assert run("validate", str(catalog_dir)) == (
            EXIT_OK,
            "ok: 2 resources, 2 categories, 1 file(s)\n",
        )
        assert capsys.readouterr().err == ""

    def test_default_is_the_data_option(self, catalog_dir: Path) -> None:
        """Without paths it validates --data."""
        assert run("--data", str(catalog_dir), "validate") == (
            EXIT_OK,
            "ok: 2 resources, 2 categories, 1 file(s)\n",
        )

    def test_broken_file(
        self, catalog_dir: Path, write_resources: Any, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Problems exit 1: each on its own line on stdout, a count on stderr."""
        path = write_resources(
            "resources:\n"
            "  - id: Bad\n"
            "    name: Bad\n"
            "    url: github.com/x/y\n"
            "    category: tools\n"
            "    kind: tool\n"
            "    description: Broken.\n"
            "  - id: alpha-pack\n"
            "    name: Again\n"
            "    url: https://example.org/again\n"
            "    category: tools\n"
            "    kind: tool\n"
            "    description: Same id.\n",
            "zz.yaml",
        )
        main_file = catalog_dir / "resources" / "main.yaml"
        code, out = run("validate", str(catalog_dir))
        assert code == EXIT_PROBLEMS
        assert out.splitlines() == [
            f"{path}:2: id: 'Bad' is not a valid id; use 1-80 lowercase letters, digits, '.', "
            "'_' or '-', starting and ending with a letter or digit",
            f"{path}:4: url: must start with http:// or https://",
            f"{path}:8: id: 'alpha-pack' is already used by the entry at {main_file}:2",
        ]
        assert capsys.readouterr().err == "3 problem(s) in 2 file(s)\n"

    def test_single_file(self, catalog_dir: Path, write_resources: Any) -> None:
        """A file given alone is checked against its folder's categories."""
        path = write_resources(
            "resources:\n  - id: x\n    name: X\n    url: https://x.org\n"
            "    category: video\n    kind: tool\n    description: X.\n"
        )
        code, out = run("validate", str(path))
        assert code == EXIT_PROBLEMS
        assert out == (
            f"{path}:5: category: 'video' is not a known category; known: models, tools\n"
        )

    def test_real_data(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The pack's own curated catalogue validates cleanly."""
        code, out = run("validate", str(DEFAULT_DATA_DIR))
        data = load_curated(DEFAULT_DATA_DIR)
        assert code == EXIT_OK
        assert out == (
            f"ok: {len(data.resources)} resources, {len(data.categories)} categories, "
            f"{len(resource_files(DEFAULT_DATA_DIR))} file(s)\n"
        )
        assert capsys.readouterr().err == ""


class TestCachedSources:
    """--with-cached adds what `refresh` downloaded, read from --cache-dir only."""

    def test_registry_and_remote_manager(
        self, catalog_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Nothing refreshed yet: both load empty; the Manager says it was never downloaded."""
        cache = tmp_path / "cache"
        args = build_parser().parse_args(
            ["--data", str(catalog_dir), "--cache-dir", str(cache), "--with-cached", "stats"]
        )
        sources = build_store(args).sources
        assert [type(s) for s in sources] == [CuratedSource, RegistrySource, RemoteManagerSource]
        assert sources[1] == RegistrySource(cache)
        code, out = run(
            "--data",
            str(catalog_dir),
            "--cache-dir",
            str(cache),
            "--with-cached",
            "stats",
            "--json",
        )
        assert code == EXIT_OK
        assert json.loads(out)["sources"] == [
            {"name": "curated", "resources": 2, "problems": 0, "error": ""},
            {"name": "registry", "resources": 0, "problems": 0, "error": ""},
            {"name": "manager", "resources": 0, "problems": 1, "error": ""},
        ]
        assert capsys.readouterr().err == (
            "warning: 1 problem(s) in the source data were skipped; see `python -m nodes "
            "validate`\n"
        )

    def test_local_manager_replaces_the_remote_copy(
        self, catalog_dir: Path, manager_folder: Path, tmp_path: Path
    ) -> None:
        """With --with-manager-db too, the folder is the Manager source, not the download."""
        args = build_parser().parse_args(
            [
                "--data",
                str(catalog_dir),
                "--cache-dir",
                str(tmp_path),
                "--with-cached",
                "--with-manager-db",
                str(manager_folder),
                "stats",
            ]
        )
        sources = build_store(args).sources
        assert [type(s) for s in sources] == [CuratedSource, RegistrySource, ManagerSource]

    @pytest.mark.parametrize(
        ("meta", "base_url"),
        [
            pytest.param(None, RegistrySource(Path()).base_url, id="never-refreshed"),
            pytest.param(
                b'{"url": "https://mirror.example/api"}', "https://mirror.example/api", id="mirror"
            ),
            pytest.param(b'{"url": 5}', RegistrySource(Path()).base_url, id="url-not-text"),
            pytest.param(b'{"fetched_at": "x"}', RegistrySource(Path()).base_url, id="no-url"),
            pytest.param(b"[1]", RegistrySource(Path()).base_url, id="not-an-object"),
            pytest.param(b"\xff garbage", RegistrySource(Path()).base_url, id="garbage"),
        ],
    )
    def test_registry_url_from_the_last_refresh(
        self, tmp_path: Path, meta: bytes | None, base_url: str
    ) -> None:
        """The snapshot is read for the URL it was refreshed from, whatever that was."""
        source = RegistrySource(tmp_path)
        if meta is not None:
            source.meta_path.write_bytes(meta)
        assert cached_registry(source).base_url == base_url


class TestInstalled:
    """--custom-nodes marks installed node packs; --installed keeps only those."""

    @pytest.fixture
    def custom_nodes(self, tmp_path: Path) -> Path:
        folder = tmp_path / "custom_nodes"
        (folder / "alpha-pack").mkdir(parents=True)
        (folder / "unrelated").mkdir()
        return folder

    def test_json_flags(self, catalog_dir: Path, custom_nodes: Path) -> None:
        """Each JSON item says whether it is installed."""
        code, out = run(
            "--data", str(catalog_dir), "--custom-nodes", str(custom_nodes), "search", "--json"
        )
        assert code == EXIT_OK
        assert [(i["id"], i["installed"]) for i in json.loads(out)["items"]] == [
            ("alpha-pack", True),
            ("beta-model", False),
        ]

    def test_text_mark(self, catalog_dir: Path, custom_nodes: Path) -> None:
        """Installed packs are marked in the text listing."""
        code, out = run("--data", str(catalog_dir), "--custom-nodes", str(custom_nodes), "search")
        assert code == EXIT_OK
        assert out.splitlines() == [
            "Alpha Pack  [node-pack · Tools]",
            "    https://github.com/example/alpha-pack  [installed]",
            "Beta Model  [model · Models]",
            "    https://huggingface.co/example/beta",
            "(1-2 of 2)",
        ]

    def test_only_installed(self, catalog_dir: Path, custom_nodes: Path) -> None:
        """--installed keeps the installed packs only; without folders it is a usage error."""
        code, out = run(
            "--data",
            str(catalog_dir),
            "--custom-nodes",
            str(custom_nodes),
            "search",
            "--installed",
            "--json",
        )
        assert (code, [i["id"] for i in json.loads(out)["items"]]) == (EXIT_OK, ["alpha-pack"])
        assert run("--data", str(catalog_dir), "search", "--installed") == (EXIT_USAGE, "")


@pytest.fixture
def loopback_data(tmp_path: Path) -> Path:
    """A data folder whose one resource lives on this machine, so no check leaves it."""
    folder = tmp_path / "loopback"
    (folder / "resources").mkdir(parents=True)
    (folder / "categories.yaml").write_text(
        "categories:\n  - id: tools\n    name: Tools\n", encoding="utf-8"
    )
    (folder / "resources" / "a.yaml").write_text(
        "resources:\n  - id: local-tool\n    name: Local Tool\n    url: http://127.0.0.1:9/tool\n"
        "    category: tools\n    kind: tool\n    description: Lives on this machine.\n",
        encoding="utf-8",
    )
    return folder


class TestSourceCommands:
    """refresh, check-links, render and import-markdown are dispatched; none fetches here."""

    REFUSED = "the address 127.0.0.1 is on this machine or a private network (loopback)"

    def test_refresh_refuses_private_addresses(self, tmp_path: Path) -> None:
        """A refresh from this machine is refused without --allow-private: exit 1."""
        code, out = run(
            "--cache-dir", str(tmp_path), "refresh", "registry", "--url", "http://127.0.0.1:9/"
        )
        assert code == EXIT_PROBLEMS
        assert out == (
            "registry: failed: refusing to fetch http://127.0.0.1:9/nodes?page=1&limit=100: "
            f"{self.REFUSED}; no copy is held\n"
        )

    def test_check_links_of_paths(
        self, loopback_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Links of given files are checked without loading the catalogue."""
        code, out = run("--cache-dir", str(tmp_path), "check-links", str(loopback_data))
        assert code == EXIT_PROBLEMS
        assert out == (
            f"   blocked  http://127.0.0.1:9/tool  refusing to fetch http://127.0.0.1:9/tool: "
            f"{self.REFUSED}\n1 blocked\n"
        )
        assert capsys.readouterr().err == ""
        assert (tmp_path / "links.json").is_file()

    def test_check_links_of_the_catalogue(self, loopback_data: Path, tmp_path: Path) -> None:
        """Without paths the whole loaded catalogue is checked."""
        code, out = run(
            "--data", str(loopback_data), "--cache-dir", str(tmp_path), "check-links", "--json"
        )
        assert code == EXIT_PROBLEMS
        assert json.loads(out)["http://127.0.0.1:9/tool"]["state"] == "blocked"

    def test_render(self, catalog_dir: Path) -> None:
        """The curated list renders as Markdown on standard output."""
        code, out = run("--data", str(catalog_dir), "render", "--title", "Test List")
        assert code == EXIT_OK
        assert out.startswith("# Test List\n")
        assert "- [Alpha Pack](https://github.com/example/alpha-pack)" in out

    def test_import_markdown_missing_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An unreadable list is one error line and exit 1."""
        path = tmp_path / "none.md"
        assert run("import-markdown", str(path)) == (EXIT_PROBLEMS, "")
        assert capsys.readouterr().err == (
            f"error: cannot read {path}: [Errno 2] No such file or directory: '{path}'\n"
        )


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
        self, monkeypatch: pytest.MonkeyPatch, catalog_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A failing command's status becomes the process exit status."""
        assert self.run_module(monkeypatch, "--data", str(catalog_dir), "show", "nope") == 1
        assert capsys.readouterr().err == "error: no resource with id 'nope'\n"
