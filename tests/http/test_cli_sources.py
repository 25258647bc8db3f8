"""The command line's source commands, against real local servers: refresh, check-links, render,
import-markdown, and the global --with-cached and --cache-dir options.

Every command gets ``--cache-dir`` in the test's folder, and every network command a URL on
127.0.0.1: the default Manager and Registry addresses are never used.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web

from nodes.app.settings import DEFAULT_REGISTRY_URL
from nodes.cli.main import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, build_parser, build_store, main
from nodes.sources.manager_db import STATS
from nodes.sources.manager_remote import RemoteManagerSource
from nodes.sources.registry import RegistrySource
from nodes.sources.snapshot import ManagerSource
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
            ManagerSource(tmp_path, cache_dir=cache),
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
            "manager-model-list: not-modified: manager-model-list is up to date\n",
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
    """`check-links` checks the catalogue's links (or given files') and keeps the results."""

    def test_paths_with_allow_private(self, base: str, cache: Path, tmp_path: Path) -> None:
        data = write_link_catalogue(tmp_path / "links", base)
        code, out = run("--cache-dir", str(cache), "check-links", str(data), "--allow-private")
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

    def test_json(self, base: str, cache: Path, tmp_path: Path) -> None:
        data = write_link_catalogue(tmp_path / "links", base)
        code, out = run(
            "--cache-dir", str(cache), "check-links", str(data), "--allow-private", "--json"
        )
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

    def test_all_alive_is_success(self, base: str, cache: Path, tmp_path: Path) -> None:
        data = write_link_catalogue(tmp_path / "links", base)
        resource_file = data / "resources" / "links.yaml"
        text = resource_file.read_text().replace("/links/404", "/links/204")
        resource_file.write_text(text.replace("/links/moved", "/links/503"))
        code, out = run(
            "--cache-dir", str(cache), "check-links", str(resource_file), "--allow-private"
        )
        assert (code, out) == (
            EXIT_OK,  # a server error is no verdict on the link
            f"     error  {base}/links/503  HTTP 503\n2 alive, 1 error\n",
        )

    def test_loopback_is_blocked_by_default(
        self, base: str, cache: Path, tmp_path: Path, upstream: Upstream
    ) -> None:
        data = write_link_catalogue(tmp_path / "links", base)
        code, out = run("--cache-dir", str(cache), "check-links", str(data))
        assert code == EXIT_PROBLEMS
        lines = out.splitlines()
        assert lines[0].startswith(f"   blocked  {base}/links/200  refusing to fetch {base}/")
        assert lines[-1] == "3 blocked"
        assert upstream.requests == []

    def test_the_whole_catalogue_by_default(
        self, base: str, cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data = write_link_catalogue(tmp_path / "links", base, broken=True)
        code, out = run(
            "--data", str(data), "--cache-dir", str(cache), "check-links", "--allow-private"
        )
        assert (code, out.splitlines()[-1]) == (EXIT_PROBLEMS, "1 alive, 1 dead, 1 redirected")
        assert capsys.readouterr().err == SKIPPED_WARNING

    def test_given_paths_do_not_load_the_catalogue(
        self, base: str, cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data = write_link_catalogue(tmp_path / "links", base)
        broken = write_link_catalogue(tmp_path / "other", base, broken=True)
        code, out = run(
            "--data", str(broken), "--cache-dir", str(cache), "check-links", str(data),
            "--allow-private",
        )  # fmt: skip
        assert (code, out.splitlines()[-1]) == (EXIT_PROBLEMS, "1 alive, 1 dead, 1 redirected")
        assert capsys.readouterr().err == ""

    def test_problems_in_given_paths_are_reported(
        self, base: str, cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data = write_link_catalogue(tmp_path / "links", base, broken=True)
        code, out = run("--cache-dir", str(cache), "check-links", str(data), "--allow-private")
        assert (code, out.splitlines()[-1]) == (EXIT_PROBLEMS, "1 alive, 1 dead, 1 redirected")
        assert capsys.readouterr().err == SKIPPED_WARNING


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
            "(2 resources in 2 categories)\n",
        )
        assert capsys.readouterr().err == (
            "awesome.md:5: url: link 'Mail me' is not http(s); skipped\n"
        )

    def test_json(self, listing: Path) -> None:
        code, out = run("import-markdown", str(listing), "--json")
        assert code == EXIT_OK
        assert json.loads(out) == {
            "categories": [
                {"id": "tools", "name": "Tools", "description": ""},
                {"id": "models", "name": "Models", "description": ""},
            ],
            "resources": [KJNODES, WAN],
        }

    def test_out_writes_a_resources_file(self, listing: Path, tmp_path: Path) -> None:
        target = tmp_path / "imported.yaml"
        code, out = run("import-markdown", str(listing), "--out", str(target))
        assert (code, out) == (EXIT_OK, f"wrote 2 resources in 2 categories to {target}\n")
        assert yaml.safe_load(target.read_text(encoding="utf-8")) == {"resources": [KJNODES, WAN]}

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


async def markdown(request: web.Request) -> web.Response:
    """The list, with a byte that is not UTF-8 in a comment (read as a replacement character)."""
    body = AWESOME_MD.encode() + b"\n<!-- \xff -->\n"
    return web.Response(body=body, content_type="text/markdown")
