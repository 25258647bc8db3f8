"""The command line's source commands, against real local servers: refresh, check-links, render,
import-markdown, and the global --with-cached and --cache-dir options.

Every command gets ``--cache-dir`` in the test's folder, and every network command a URL on
127.0.0.1: the default Manager and Registry addresses are never used.
"""

from __future__ import annotations

import json
import socket
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web

from nodes.app.settings import DEFAULT_REGISTRY_URL
from nodes.cli import lists as cli_lists
from nodes.cli import sources as cli_sources
from nodes.cli.main import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, build_parser, build_store, main
from nodes.core.catalog import CatalogStore
from nodes.sources.manager_db import STATS
from nodes.sources.manager_remote import RemoteManagerSource
from nodes.sources.registry import RegistrySource
from nodes.sources.snapshot import ManagerSource
from tests.helpers.local_links import LocalLinks
from tests.helpers.netservers import serve_in_thread
from tests.helpers.sample_catalogue import (
    ALL_IDS,
    BROKEN_PROBLEM,
    write_catalogue,
    write_link_catalogue,
)
from tests.helpers.upstream import MANAGER_DOCS, MANAGER_IDS, REGISTRY_IDS, Upstream

pytestmark = pytest.mark.http

AWESOME_MD = """\
# Awesome Things

## Tools
- [KJNodes](https://github.com/kijai/ComfyUI-KJNodes) - Handy nodes. `utils`
- [Mail me](mailto:someone@example.org)

## Models
- [Wan](https://huggingface.co/Wan-AI/Wan2.1) - Video weights.
"""
KJNODES = {
    "id": "kijai.comfyui-kjnodes",
    "name": "KJNodes",
    "url": "https://github.com/kijai/ComfyUI-KJNodes",
    "category": "tools",
    "kind": "node-pack",
    "description": "Handy nodes.",
    "tags": ["utils"],
}
WAN = {
    "id": "huggingface-co-wan-ai-wan2-1",
    "name": "Wan",
    "url": "https://huggingface.co/Wan-AI/Wan2.1",
    "category": "models",
    "kind": "model",
    "description": "Video weights.",
}
ENTRY_LINES = [
    "- [Video Helper Suite](https://github.com/example/video-helper) - Loads and saves frame"
    " sequences. `video` `frames` <!-- id: video-helper, kind: node-pack -->",
    "- [AnimateDiff Evolved](https://github.com/example/animatediff) - Motion modules for"
    " diffusion models. `video` `animation` <!-- id: animate-diff, kind: node-pack -->",
    "- [Wan Model](https://huggingface.co/example/wan) - Open weights that turn text into clips."
    " `video` `weights` <!-- id: wan-model, kind: model -->",
    "- [Upscale Tool](https://example.org/upscale) - Makes small pictures larger. `upscaling`"
    " <!-- id: upscale-tool, kind: tool -->",
    "- [ComfyUI Docs](https://docs.example.org) - The manual. `docs` `learning`"
    " <!-- id: comfy-docs, kind: docs -->",
]
COMPLETE = cli_lists.complete
SKIPPED_WARNING = (
    "warning: 1 problem(s) in the source data were skipped; see `python -m nodes validate`\n"
)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def run(*argv: str) -> tuple[int, str]:
    """Run the command line; return its exit code and what it printed to standard output."""
    out = StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def json_ids(text: str) -> list[str]:
    return [item["id"] for item in json.loads(text)["items"]]


class TestGlobalOptions:
    """--with-cached and --cache-dir, and the sources they add."""

    def test_with_cached_adds_what_refresh_downloaded(self, data_dir: Path, cache: Path) -> None:
        args = build_parser().parse_args(
            ["--data", str(data_dir), "--cache-dir", str(cache), "--with-cached", "stats"]
        )
        curated, registry, manager = build_store(args).sources
        assert (curated.name, registry, manager.name) == (
            "curated",
            RegistrySource(cache),
            "manager",
        )
        assert isinstance(manager, RemoteManagerSource)
        assert manager.cache.folder == cache / "remote"

    def test_a_manager_folder_replaces_the_downloaded_copy(
        self, data_dir: Path, cache: Path, tmp_path: Path
    ) -> None:
        args = build_parser().parse_args(
            [
                "--cache-dir",
                str(cache),
                "--with-cached",
                "--with-manager-db",
                str(tmp_path),
                "stats",
            ]
        )
        assert build_store(args).sources[1:] == [
            RegistrySource(cache),
            ManagerSource.in_folder(tmp_path, cache_dir=cache),
        ]

    def test_with_cached_before_any_refresh_adds_nothing(
        self, data_dir: Path, cache: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out = run(
            "--data",
            str(data_dir),
            "--cache-dir",
            str(cache),
            "--with-cached",
            "stats",
            "--json",
        )
        assert code == EXIT_OK
        assert json.loads(out)["sources"] == [
            {"name": "curated", "resources": 5, "problems": 0, "error": ""},
            {"name": "registry", "resources": 0, "problems": 0, "error": ""},
            {"name": "manager", "resources": 0, "problems": 1, "error": ""},
        ]
        assert capsys.readouterr().err == SKIPPED_WARNING  # the Manager files are not downloaded
        assert not cache.exists()

    @pytest.mark.parametrize(
        ("meta", "base_url"),
        [
            pytest.param(None, DEFAULT_REGISTRY_URL, id="never-refreshed"),
            pytest.param(
                '{"url": "https://mirror.example/api"}', "https://mirror.example/api", id="mirror"
            ),
            pytest.param('{"url": 3}', DEFAULT_REGISTRY_URL, id="url-not-text"),
            pytest.param('{"fetched_at": "x"}', DEFAULT_REGISTRY_URL, id="no-url"),
            pytest.param("[]", DEFAULT_REGISTRY_URL, id="not-an-object"),
            pytest.param("{broken", DEFAULT_REGISTRY_URL, id="garbage"),
        ],
    )
    def test_the_registry_is_read_from_where_it_was_refreshed(
        self, cache: Path, meta: str | None, base_url: str
    ) -> None:
        """The snapshot's record says which registry it came from; unreadable, the default."""
        if meta is not None:
            cache.mkdir()
            (cache / "registry.meta.json").write_text(meta)
        args = build_parser().parse_args(["--cache-dir", str(cache), "--with-cached", "stats"])
        assert build_store(args).sources[1] == RegistrySource(cache, base_url=base_url)


class TestRefresh:
    """`refresh` downloads one source into the cache; --with-cached then loads it."""

    def test_a_cache_that_cannot_be_written_is_an_error_not_a_traceback(
        self, base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder", encoding="utf-8")
        argv = ("--cache-dir", str(blocker / "cache"), "refresh", "registry", "--url", base)
        code, out = run(*argv, "--allow-private")
        assert (code, out, capsys.readouterr().err) == (
            EXIT_PROBLEMS,
            "",
            "error: cannot save registry.snapshot.json, registry.meta.json in "
            f"{blocker / 'cache'}: Not a directory\n",
        )

    def test_manager(self, base: str, cache: Path, data_dir: Path, upstream: Upstream) -> None:
        code, out = run(
            "--cache-dir", str(cache), "refresh", "manager", "--url", base, "--allow-private"
        )
        sizes = [len(upstream.files[name]) for name in MANAGER_DOCS]
        assert (code, out.splitlines()) == (
            EXIT_OK,
            [
                f"manager-custom-node-list: changed: manager-custom-node-list was updated"
                f" ({sizes[0]} bytes)",
                f"manager-github-stats: changed: manager-github-stats was updated"
                f" ({sizes[1]} bytes)",
                f"manager-model-list: changed: manager-model-list was updated ({sizes[2]} bytes)",
                f"manager-extension-node-map: changed: manager-extension-node-map was updated"
                f" ({sizes[3]} bytes)",
            ],
        )
        _, found = run(
            "--data",
            str(data_dir),
            "--cache-dir",
            str(cache),
            "--with-cached",
            "search",
            "--source",
            "manager",
            "--json",
        )
        assert tuple(json_ids(found)) == MANAGER_IDS

    def test_manager_again_is_not_modified(self, base: str, cache: Path) -> None:
        argv = ("--cache-dir", str(cache), "refresh", "manager", "--url", base, "--allow-private")
        run(*argv)
        assert run(*argv) == (
            EXIT_OK,
            "manager-custom-node-list: not-modified: manager-custom-node-list is up to date\n"
            "manager-github-stats: not-modified: manager-github-stats is up to date\n"
            "manager-model-list: not-modified: manager-model-list is up to date\n"
            "manager-extension-node-map: not-modified: manager-extension-node-map is up to date\n",
        )

    def test_a_failed_file_is_a_problem_and_keeps_the_last_copy(
        self, base: str, cache: Path, data_dir: Path, upstream: Upstream
    ) -> None:
        argv = ("--cache-dir", str(cache), "refresh", "manager", "--url", base, "--allow-private")
        run(*argv)
        upstream.broken[STATS] = "fail"
        code, out = run(*argv)
        assert code == EXIT_PROBLEMS
        line = out.splitlines()[1]
        assert line.startswith(
            f"manager-github-stats: failed: {base}/github-stats.json answered HTTP 500;"
            " keeping the copy from "
        )
        _, found = run(
            "--data", str(data_dir), "--cache-dir", str(cache), "--with-cached", "show",
            "alice.comfyui-alpha", "--json",
        )  # fmt: skip
        assert json.loads(found)["stars"] == 42

    def test_registry_from_a_mirror_is_what_with_cached_loads(
        self, base: str, cache: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out = run(
            "--cache-dir", str(cache), "refresh", "registry", "--url", base, "--allow-private"
        )
        assert (code, out) == (
            EXIT_OK,
            "registry: changed: registry was updated: 2 node packs from 1 page(s), 0 problem(s)\n",
        )
        capsys.readouterr()
        _, found = run(
            "--data", str(data_dir), "--cache-dir", str(cache), "--with-cached",
            "search", "--source", "registry", "--json",
        )  # fmt: skip
        assert tuple(json_ids(found)) == REGISTRY_IDS
        assert "is not a snapshot of" not in capsys.readouterr().err

    @pytest.mark.parametrize("name", ["registry", "manager"])
    def test_loopback_needs_allow_private(
        self, base: str, cache: Path, upstream: Upstream, name: str
    ) -> None:
        code, out = run("--cache-dir", str(cache), "refresh", name, "--url", base)
        assert code == EXIT_PROBLEMS
        for line in out.splitlines():
            assert ": failed: refusing to fetch http://127.0.0.1:" in line
            assert line.endswith("; no copy is held")
        assert upstream.requests == []

    def test_a_registry_url_that_is_not_http(self, cache: Path) -> None:
        assert run("--cache-dir", str(cache), "refresh", "registry", "--url", "ftp://x.org") == (
            EXIT_PROBLEMS,
            "registry: failed: the registry address 'ftp://x.org' scheme 'ftp' is not allowed;"
            " use http or https; no copy is held\n",
        )

    def test_only_the_optional_sources(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as caught:
            main(["refresh", "curated"])
        assert caught.value.code == EXIT_USAGE
        assert "invalid choice: 'curated'" in capsys.readouterr().err
        args = build_parser().parse_args(["refresh", "manager"])
        assert (args.url, args.allow_private) == ("", False)


class TestCheckLinks:
    """`check-links` checks links against real servers and keeps the results.

    No data file can hold a link to this machine (the validation rules refuse it), so the
    catalogue of local links comes from a test source; what is run is the command's own
    check, output and cache. Which links a path yields is in tests/core/test_cli_check_links.py.
    """

    @staticmethod
    def check(base: str, cache: Path, *argv: str, paths: tuple[str, ...] = ()) -> tuple[int, str]:
        catalog = CatalogStore([LocalLinks(base, paths=paths or None)]).get()
        args = build_parser().parse_args(["check-links", *argv])
        out = StringIO()
        return cli_sources.check_links(args, catalog, cache, out), out.getvalue()

    def test_results_are_printed_and_kept(self, base: str, cache: Path) -> None:
        code, out = self.check(base, cache, "--allow-private")
        assert code == EXIT_PROBLEMS  # a dead link
        assert out == (
            f"      dead  {base}/links/404  HTTP 404\n"
            f"redirected  {base}/links/moved  redirected 1 time(s)\n"
            "1 alive, 1 dead, 1 redirected\n"
        )
        cached = json.loads((cache / "links.json").read_text())["links"]
        assert {url: s["state"] for url, s in cached.items()} == {
            f"{base}/links/200": "alive",
            f"{base}/links/404": "dead",
            f"{base}/links/moved": "redirected",
        }

    def test_json(self, base: str, cache: Path) -> None:
        code, out = self.check(base, cache, "--allow-private", "--json")
        results: dict[str, Any] = json.loads(out)
        assert code == EXIT_PROBLEMS
        assert list(results) == [f"{base}/links/{p}" for p in ("200", "404", "moved")]
        assert results[f"{base}/links/moved"] == {
            "url": f"{base}/links/moved",
            "state": "redirected",
            "status": 200,
            "final_url": f"{base}/links/200",
            "checked_at": results[f"{base}/links/moved"]["checked_at"],
            "message": "redirected 1 time(s)",
        }

    def test_all_alive_is_success(self, base: str, cache: Path) -> None:
        code, out = self.check(base, cache, "--allow-private", paths=("200", "204", "503"))
        assert (code, out) == (
            EXIT_OK,  # a server error is no verdict on the link
            f"     error  {base}/links/503  HTTP 503\n2 alive, 1 error\n",
        )

    def test_this_machine_is_blocked_by_default(
        self, base: str, cache: Path, upstream: Upstream
    ) -> None:
        """Should a link to this machine get into a catalogue, no request is sent."""
        code, out = self.check(base, cache)
        assert code == EXIT_PROBLEMS
        lines = out.splitlines()
        assert lines[0].startswith(f"   blocked  {base}/links/200  refusing to fetch {base}/")
        assert lines[-1] == "3 blocked"
        assert upstream.requests == []

    def test_a_data_folder_of_local_links_is_refused_before_any_request(
        self, base: str, cache: Path, tmp_path: Path, upstream: Upstream,
        capsys: pytest.CaptureFixture[str],
    ) -> None:  # fmt: skip
        """Through the whole command: the rules refuse such links, so nothing is fetched."""
        data = write_link_catalogue(tmp_path / "links", base)
        code, out = run("--cache-dir", str(cache), "check-links", str(data), "--allow-private")
        assert (code, out) == (EXIT_PROBLEMS, "")
        err = capsys.readouterr().err
        assert "url: " in err
        assert err.splitlines()[-1] == (
            f"error: nothing to check: no valid resource links in {data} (3 problem(s))"
        )
        assert upstream.requests == []


def loopback_name() -> str | None:
    """This machine's name when /etc/hosts maps it to 127.0.0.1, read without asking DNS."""
    name = socket.gethostname()
    try:
        lines = Path("/etc/hosts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.partition("#")[0].split()
        if fields[:1] == ["127.0.0.1"] and name in fields[1:]:
            return name
    return None


@pytest.mark.skipif(loopback_name() is None, reason="/etc/hosts does not map this machine's name")
def test_a_list_anywhere_is_checked_through_the_whole_command(
    upstream: Upstream, cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Markdown list outside any data folder, its links checked for real.

    The links name this machine by its host name (which the rules cannot tell is local), so
    the guard only lets them through with --allow-private; the bad entry is left out.
    """
    with serve_in_thread(upstream.app()) as url:
        base = url.replace("127.0.0.1", str(loopback_name()))
        listing = tmp_path / "elsewhere" / "README.md"
        listing.parent.mkdir()
        listing.write_text(
            f"# Tools\n- [Alive]({base}/links/200) - Up.\n- [Gone]({base}/links/404) - Down.\n"
            "- [Bad](ftp://example.org/x) - Not http.\n",
            encoding="utf-8",
        )
        blocked = run("--cache-dir", str(cache), "check-links", str(listing))
        checked = run("--cache-dir", str(cache), "check-links", str(listing), "--allow-private")
    assert blocked[0] == EXIT_PROBLEMS
    assert blocked[1].splitlines()[-1] == "2 blocked"
    assert checked == (EXIT_PROBLEMS, f"      dead  {base}/links/404  HTTP 404\n1 alive, 1 dead\n")
    assert "1 problem(s) in the source data were skipped" in capsys.readouterr().err


class TestRender:
    """`render` writes the curated catalogue as an awesome list."""

    def test_to_standard_output(self, data_dir: Path) -> None:
        """Contents, then each category that holds something, its description, its entries."""
        code, out = run("--data", str(data_dir), "render")
        assert code == EXIT_OK
        assert out.startswith("# Awesome ComfyUI Beyond\n\nA curated list of ComfyUI")
        assert "\n## Contents\n\n- [Video](#video)\n- [Tools](#tools)\n\n" in out
        video, tools = out.split("\n## Video\n")[1].split("\n## Tools\n")
        assert "Making and editing moving pictures." in video
        assert "Helpers around ComfyUI." in tools
        assert [line for line in video.splitlines() if line.startswith("- ")] == ENTRY_LINES[:3]
        assert [line for line in tools.splitlines() if line.startswith("- ")] == ENTRY_LINES[3:]
        assert "Empty Section" not in out

    def test_title(self, data_dir: Path) -> None:
        _, out = run("--data", str(data_dir), "render", "--title", "My   List")
        assert out.startswith("# My List\n")

    def test_to_a_file(self, data_dir: Path, tmp_path: Path) -> None:
        target = tmp_path / "README.md"
        code, out = run("--data", str(data_dir), "render", "--out", str(target))
        assert (code, out) == (EXIT_OK, f"wrote 5 resources to {target}\n")
        assert target.read_text(encoding="utf-8") == run("--data", str(data_dir), "render")[1]

    def test_problems_are_reported_and_the_rest_rendered(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data = write_catalogue(tmp_path / "broken", broken=True)
        code, out = run("--data", str(data), "render")
        assert code == EXIT_PROBLEMS
        assert all(line in out for line in ENTRY_LINES)
        assert "Bad Link" not in out
        line, message = BROKEN_PROBLEM["line"], BROKEN_PROBLEM["message"]
        assert capsys.readouterr().err == (
            f"{data / 'resources' / 'broken.yaml'}:{line}: url: {message}\n"
        )

    def test_rendered_lists_import_back(self, data_dir: Path, tmp_path: Path) -> None:
        target = tmp_path / "README.md"
        run("--data", str(data_dir), "render", "--out", str(target))
        _, out = run("import-markdown", str(target), "--json")
        imported = json.loads(out)["resources"]
        assert tuple(r["id"] for r in imported) == ALL_IDS


class TestImportMarkdown:
    """`import-markdown` reads any awesome list, from a file or a URL, into entries to review."""

    @pytest.fixture
    def listing(self, tmp_path: Path) -> Path:
        path = tmp_path / "awesome.md"
        path.write_text(AWESOME_MD, encoding="utf-8")
        return path

    def test_text(self, listing: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert run("import-markdown", str(listing)) == (
            EXIT_OK,
            "tools: KJNodes  https://github.com/kijai/ComfyUI-KJNodes\n"
            "models: Wan  https://huggingface.co/Wan-AI/Wan2.1\n"
            "2 of 3 linked item(s) imported, in 2 categories\n"
            "1 not imported:\n"
            "      1  not an http(s) link\n",
        )
        assert capsys.readouterr().err == (
            "awesome.md:5: url: link 'Mail me' is not http(s); skipped\n"
        )

    def test_json(self, listing: Path) -> None:
        """Categories and entries as a data folder holds them, each described, and a summary."""
        code, out = run("import-markdown", str(listing), "--json")
        assert code == EXIT_OK
        assert json.loads(out) == {
            "categories": [
                {"id": "tools", "name": "Tools", "description": "Imported from awesome.md: Tools."},
                {
                    "id": "models",
                    "name": "Models",
                    "description": "Imported from awesome.md: Models.",
                },
            ],
            "resources": [KJNODES, WAN],
            "summary": {"linked": 3, "imported": 2, "not_imported": {"not an http(s) link": 1}},
        }

    def test_out_writes_a_data_folder_that_validates(self, listing: Path, tmp_path: Path) -> None:
        """``--out DIR``: categories.yaml and one resources file per category, as data/ is."""
        target = tmp_path / "new" / "data"
        code, out = run("import-markdown", str(listing), "--out", str(target))
        assert (code, out.splitlines()[0]) == (
            EXIT_OK,
            f"wrote 2 resources in 2 categories to {target} (a data folder)",
        )
        assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == [
            "categories.yaml",
            "resources",
            "resources/models.yaml",
            "resources/tools.yaml",
        ]
        load = yaml.safe_load
        assert load((target / "resources" / "tools.yaml").read_text()) == {"resources": [KJNODES]}
        assert load((target / "categories.yaml").read_text())["categories"][1] == {
            "id": "models",
            "name": "Models",
            "description": "Imported from awesome.md: Models.",
        }
        assert run("validate", str(target)) == (
            EXIT_OK,
            "ok: 2 resources, 2 categories, 2 file(s)\n",
        )

    def test_an_empty_folder_is_filled(self, listing: Path, tmp_path: Path) -> None:
        target = tmp_path / "data"
        target.mkdir()
        assert run("import-markdown", str(listing), "--out", str(target))[0] == EXIT_OK
        assert (target / "categories.yaml").is_file()

    @pytest.mark.parametrize("existing", ["folder", "file"])
    def test_nothing_is_overwritten(
        self, listing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], existing: str
    ) -> None:
        """A folder with files in it, or a file, is left alone; nothing is written."""
        target = tmp_path / "data"
        if existing == "folder":
            (target / "resources").mkdir(parents=True)
        else:
            target.write_text("mine")
        assert run("import-markdown", str(listing), "--out", str(target)) == (EXIT_USAGE, "")
        assert capsys.readouterr().err.endswith(
            f"error: {target} exists and is not an empty folder; give a new one"
            " (nothing was written)\n"
        )
        assert sorted(p.name for p in tmp_path.iterdir()) == ["awesome.md", "data"]

    def test_a_folder_that_cannot_be_made(
        self, listing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        target = tmp_path / "awesome.md" / "data"  # inside a file
        assert run("import-markdown", str(listing), "--out", str(target)) == (EXIT_PROBLEMS, "")
        assert capsys.readouterr().err.endswith(f"error: cannot write {target}: File exists\n")

    def test_out_yaml_writes_a_resources_file(self, listing: Path, tmp_path: Path) -> None:
        """A path ending in .yaml gets the resources alone, as before."""
        target = tmp_path / "imported.yaml"
        code, out = run("import-markdown", str(listing), "--out", str(target))
        assert (code, out.splitlines()[0]) == (
            EXIT_OK,
            f"wrote 2 resources in 2 categories to {target} (a resources file; `validate` "
            "accepts it in a data folder whose categories.yaml defines its categories)",
        )
        text = target.read_text(encoding="utf-8")
        assert text.startswith("# Imported by `python -m nodes import-markdown` from awesome.md")
        assert yaml.safe_load(text) == {"resources": [KJNODES, WAN]}
        assert sorted(p.name for p in tmp_path.iterdir()) == ["awesome.md", "imported.yaml"]

    def test_nothing_to_write(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A list whose links are all left out writes nothing and says so."""
        source = tmp_path / "empty.md"
        source.write_text("# T\n- [Top](#t)\n", encoding="utf-8")
        target = tmp_path / "data"
        assert run("import-markdown", str(source), "--out", str(target)) == (EXIT_PROBLEMS, "")
        assert capsys.readouterr().err == (
            "empty.md:2: not imported: link to a section of this page: 'Top'\n"
            f"error: nothing written to {target}: no linked item could be imported\n"
        )
        assert not target.exists()

    def test_an_import_that_does_not_validate_writes_nothing(
        self, listing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:  # fmt: skip
        """Should the importer ever produce a bad folder, it says so and leaves nothing."""
        monkeypatch.setattr(cli_lists, "complete", broken_complete)
        target = tmp_path / "data"
        assert run("import-markdown", str(listing), "--out", str(target)) == (EXIT_PROBLEMS, "")
        err = capsys.readouterr().err.splitlines()
        assert err[-1] == f"error: the import does not validate; nothing written to {target}"
        assert "description: is required" in err[-2]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["awesome.md"]

    def test_what_was_not_imported_and_why(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Every linked item is imported or reported with its line and reason, and counted."""
        source = tmp_path / "list.md"
        source.write_text(
            "# Tools\n- [Contents](#tools)\n- [![b](https://img.shields.io/x)](https://x.org)\n"
            "- See [this](https://x.org/a).\n- [A](https://github.com/o/a)\n"
            "- [A](https://github.com/o/a.git)\n- [B](docs/b.md)\n"
            f"- [{'N' * 121}](https://x.org/long)\n- https://github.com/o/c\n",
            encoding="utf-8",
        )
        code, out = run("import-markdown", str(source))
        assert (code, out.splitlines()[-8:]) == (
            EXIT_OK,
            [
                "2 of 8 linked item(s) imported, in 1 category",
                "6 not imported:",
                "      1  badge",
                "      1  duplicate",
                "      1  invalid entry",
                "      1  link inside running text (the item does not start with it)",
                "      1  link to a section of this page",
                "      1  relative link",
            ],
        )
        err = capsys.readouterr().err.splitlines()
        assert err[:3] == [
            "list.md:2: not imported: link to a section of this page: 'Contents'",
            "list.md:3: not imported: badge: 'https://x.org'",
            "list.md:4: not imported: link inside running text (the item does not start with "
            "it): 'this'",
        ]
        assert [line.split(": ")[0] for line in err[3:]] == ["list.md:6"] * 2 + [
            "list.md:7",
            "list.md:8",
        ]

    def test_long_labels_are_shortened(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        source = tmp_path / "list.md"
        source.write_text(f"# T\n- [{'x' * 100}](#t)\n", encoding="utf-8")
        run("import-markdown", str(source))
        assert capsys.readouterr().err == (
            f"list.md:2: not imported: link to a section of this page: '{'x' * 59}\u2026'\n"
        )

    def test_kinds_come_from_the_catalogue_in_use(self, tmp_path: Path) -> None:
        """A node pack whose name does not say so is a node pack when the Manager knows it."""
        source = tmp_path / "list.md"
        source.write_text(
            "# Packs\n- [Latent Tricks](https://github.com/dave/latent-tricks) - Latents.\n",
            encoding="utf-8",
        )
        manager = tmp_path / "manager"
        manager.mkdir()
        (manager / "custom-node-list.json").write_text(
            json.dumps({"custom_nodes": [{
                "reference": "https://github.com/Dave/Latent-Tricks.git",
                "title": "Latent Tricks",
                "author": "dave",
                "description": "Latent tricks.",
            }]}),
            encoding="utf-8",
        )  # fmt: skip
        (manager / "github-stats.json").write_text("{}", encoding="utf-8")
        (manager / "model-list.json").write_text('{"models": []}', encoding="utf-8")
        guessed = json.loads(run("import-markdown", str(source), "--json")[1])
        known = json.loads(
            run("--with-manager-db", str(manager), "import-markdown", str(source), "--json")[1]
        )
        assert [r["kind"] for r in guessed["resources"]] == ["tool"]
        assert [r["kind"] for r in known["resources"]] == ["node-pack"]

    def test_undescribed_entries_and_sections_get_honest_text(self, tmp_path: Path) -> None:
        source = tmp_path / "list.md"
        source.write_text(
            "- https://github.com/o/first\n# Tools\n- [A](https://github.com/o/a)\n",
            encoding="utf-8",
        )
        document = json.loads(run("import-markdown", str(source), "--json")[1])
        assert [c["description"] for c in document["categories"]] == [
            "Imported from list.md: the entries before its first heading.",
            "Imported from list.md: Tools.",
        ]
        assert [r["description"] for r in document["resources"]] == [
            "Listed under \u201cUncategorised\u201d in list.md; the list gives no description.",
            "Listed under \u201cTools\u201d in list.md; the list gives no description.",
        ]

    def test_from_a_url(self, capsys: pytest.CaptureFixture[str]) -> None:
        app = web.Application()
        app.router.add_get("/README.md", markdown)
        with serve_in_thread(app) as base:
            code, out = run("import-markdown", f"{base}/README.md", "--allow-private", "--json")
        assert code == EXIT_OK
        assert json.loads(out)["resources"] == [KJNODES, WAN]
        assert capsys.readouterr().err == (
            f"{base}/README.md:5: url: link 'Mail me' is not http(s); skipped\n"
        )

    def test_a_url_on_this_machine_needs_allow_private(
        self, base: str, upstream: Upstream, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert run("import-markdown", f"{base}/README.md") == (EXIT_PROBLEMS, "")
        err = capsys.readouterr().err
        assert err.startswith(
            f"error: cannot read {base}/README.md: refusing to fetch {base}/README.md: "
        )
        assert upstream.requests == []

    def test_a_url_that_is_not_there(self, base: str, capsys: pytest.CaptureFixture[str]) -> None:
        url = f"{base}/missing.json"
        assert run("import-markdown", url, "--allow-private") == (EXIT_PROBLEMS, "")
        assert capsys.readouterr().err == (f"error: cannot read {url}: {url} answered HTTP 404\n")

    @pytest.mark.parametrize(
        ("source", "content", "reason"),
        [
            ("ftp://example.org/list.md", None, "cannot fetch 'ftp://example.org/list.md': "
             "scheme 'ftp' is not allowed; use http or https"),
            ("missing.md", None, "[Errno 2] No such file or directory: '{path}'"),
            ("latin1.md", b"\xff# Tools", "'utf-8' codec can't decode byte 0xff in position 0:"
             " invalid start byte"),
        ],
    )  # fmt: skip
    def test_unreadable_sources(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        source: str,
        content: bytes | None,
        reason: str,
    ) -> None:
        path = tmp_path / source
        if content is not None:
            path.write_bytes(content)
        shown = source if "://" in source else str(path)
        assert run("import-markdown", shown) == (EXIT_PROBLEMS, "")
        expected = reason.format(path=path)
        assert capsys.readouterr().err == f"error: cannot read {shown}: {expected}\n"


def broken_complete(result: Any, shown: str) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """:func:`complete` with the descriptions left out: a folder ``validate`` refuses."""
    categories, entries = COMPLETE(result, shown)
    return categories, [{k: v for k, v in e.items() if k != "description"} for e in entries]


async def markdown(request: web.Request) -> web.Response:
    """The list, with a byte that is not UTF-8 in a comment (read as a replacement character)."""
    body = AWESOME_MD.encode() + b"\n<!-- \xff -->\n"
    return web.Response(body=body, content_type="text/markdown")
