"""``python -m nodes provides TYPE ...``: the node packs behind node class names, printed per
type, as text or as the HTTP API's JSON, with the exit code saying whether each was found."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest

from nodes.app import service
from nodes.cli.main import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, build_parser, main
from nodes.cli.provides import provides
from nodes.core.catalog import Catalog, CatalogStore
from nodes.sources.curated import CuratedSource
from tests.helpers.node_map import node_map_source

VHS_LINES = [
    "VHS_LoadVideo",
    "  ComfyUI-VideoHelperSuite  [node-pack · Video]  ★1772",
    "      https://github.com/Kosinkadink/ComfyUI-VideoHelperSuite",
    "  ComfyUI-S3-IO  [node-pack · Video]  ★4",
    "      https://github.com/olduvai-jp/ComfyUI-S3-IO",
]


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the default --cache-dir out of the real home folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def catalog(data_dir: Path) -> Catalog:
    """The sample catalogue and the node map's packs, as a database source brings them."""
    return CatalogStore([CuratedSource(data_dir), node_map_source()]).get()


def run(catalog: Catalog, *argv: str, marks: service.Marks | None = None) -> tuple[int, str]:
    out = StringIO()
    args = build_parser().parse_args(["provides", *argv])
    return provides(args, catalog, marks or service.Marks(), out), out.getvalue()


class TestText:
    """Each type on a line, its packs below it: installed first, then the most starred."""

    def test_every_type_found(self, catalog: Catalog, capsys: pytest.CaptureFixture[str]) -> None:
        code, out = run(catalog, "VHS_LoadVideo", "Animation Builder (mtb)")
        assert code == EXIT_OK
        assert out.splitlines() == [
            *VHS_LINES,
            "Animation Builder (mtb)",
            "  MTB Nodes  [node-pack · Video]  ★725",
            "      https://github.com/melMass/comfy_mtb",
        ]
        assert capsys.readouterr().err == ""

    def test_installed_and_disabled_packs_are_marked_and_first(self, catalog: Catalog) -> None:
        marks = service.Marks(
            frozenset({"comfyui-s3-io", "comfyui-diffsynth-studio"}),
            disabled=frozenset({"comfyui-diffsynth-studio"}),
        )
        code, out = run(catalog, "VHS_LoadVideo", "PreViewVideo", marks=marks)
        assert code == EXIT_OK
        assert out.splitlines() == [
            "VHS_LoadVideo",
            "  ComfyUI-S3-IO  [node-pack · Video]  ★4  [installed]",
            "      https://github.com/olduvai-jp/ComfyUI-S3-IO",
            "  ComfyUI-VideoHelperSuite  [node-pack · Video]  ★1772",
            "      https://github.com/Kosinkadink/ComfyUI-VideoHelperSuite",
            "PreViewVideo",
            "  ComfyUI-DiffSynth-Studio  [node-pack · Video]  ★101  [installed, disabled]",
            "      https://github.com/AIFSH/ComfyUI-DiffSynth-Studio",
            "  ComfyUI-Hallo  [node-pack · Video]  ★304",
            "      https://github.com/AIFSH/ComfyUI-Hallo",
        ]

    def test_a_type_no_pack_provides_exits_1(
        self, catalog: Catalog, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out = run(catalog, "NoSuchNode", "VHS_LoadVideo")
        assert code == EXIT_PROBLEMS
        assert out.splitlines() == [
            "NoSuchNode",
            "  no node pack in the catalogue provides it",
            *VHS_LINES,
        ]
        assert capsys.readouterr().err == "1 of 2 not found\n"


class TestJson:
    """--json prints what ``POST /awesome/v1/node-types`` answers."""

    def test_the_http_answer(self, catalog: Catalog) -> None:
        code, out = run(catalog, "sam2segment", "Missing", "--json")
        assert code == EXIT_PROBLEMS
        expected = service.node_providers(catalog, ["sam2segment", "Missing"], service.Marks())
        assert json.loads(out) == expected
        assert [p["id"] for p in expected["types"][0]["providers"]] == [
            "comfyui-rmbg",
            "comfyui-grounding",
        ]
        assert out.endswith("}\n")


class TestMain:
    """Through ``main``, on the catalogue the options load."""

    def test_the_sample_catalogue_provides_no_node_class(
        self, data_dir: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out = StringIO()
        code = main(["--data", str(data_dir), "provides", "VHS_LoadVideo"], out=out)
        assert (code, out.getvalue()) == (
            EXIT_PROBLEMS,
            "VHS_LoadVideo\n  no node pack in the catalogue provides it\n",
        )
        assert capsys.readouterr().err == "1 of 1 not found\n"

    @pytest.mark.parametrize(
        ("name", "message"),
        [
            ("  ", "types[1] '  ' must not be empty"),
            ("a\x1bb", "types[1] 'a\\x1bb' must not contain control characters"),
        ],
    )
    def test_a_type_that_is_no_name_exits_2(
        self, data_dir: Path, capsys: pytest.CaptureFixture[str], name: str, message: str
    ) -> None:
        out = StringIO()
        code = main(["--data", str(data_dir), "provides", "VHS_LoadVideo", name], out=out)
        assert (code, out.getvalue()) == (EXIT_USAGE, "")
        assert capsys.readouterr().err == f"error: {message}\n"

    def test_at_least_one_type(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as caught:
            main(["provides"])
        assert caught.value.code == EXIT_USAGE
        assert "TYPE" in capsys.readouterr().err
