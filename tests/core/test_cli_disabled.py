"""The command line marks the packs ComfyUI-Manager disabled, and ``search --disabled`` keeps
only them, from a real custom_nodes folder with a ``.disabled/`` folder in it."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest

from nodes.cli.main import EXIT_OK, EXIT_USAGE, main
from tests.helpers.sample_catalogue import ALL_IDS


def run(*argv: str) -> tuple[int, str]:
    out = StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the default --cache-dir out of the real home folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def custom_nodes(tmp_path: Path) -> Path:
    """video-helper enabled, AnimateDiff disabled by the Manager (a git pack: its own name)."""
    folder = tmp_path / "custom_nodes"
    (folder / "video-helper").mkdir(parents=True)
    disabled = folder / ".disabled" / "AnimateDiff"
    (disabled / ".git").mkdir(parents=True)
    (disabled / ".git" / "config").write_text(
        '[remote "origin"]\n\turl = https://github.com/example/animatediff.git\n'
    )
    return folder


def test_json_says_which_are_disabled(data_dir: Path, custom_nodes: Path) -> None:
    code, out = run(
        "--data", str(data_dir), "--custom-nodes", str(custom_nodes), "search", "--json"
    )
    items = json.loads(out)["items"]
    assert code == EXIT_OK
    assert [(i["id"], i["installed"], i["disabled"]) for i in items] == [
        (rid, rid in ("video-helper", "animate-diff"), rid == "animate-diff") for rid in ALL_IDS
    ]


def test_text_marks_disabled_packs(data_dir: Path, custom_nodes: Path) -> None:
    code, out = run(
        "--data", str(data_dir), "--custom-nodes", str(custom_nodes), "search", "--limit", "2"
    )
    assert (code, out.splitlines()) == (
        EXIT_OK,
        [
            "Video Helper Suite  [node-pack · Video]  ★500  2025-03-01",
            "    https://github.com/example/video-helper  [installed]",
            "AnimateDiff Evolved  [node-pack · Video]  ★1200  2024-11-20",
            "    https://github.com/example/animatediff  [installed, disabled]",
            "(1-2 of 5)",
        ],
    )


def test_disabled_only(data_dir: Path, custom_nodes: Path) -> None:
    code, out = run(
        "--data", str(data_dir), "--custom-nodes", str(custom_nodes),
        "search", "--disabled", "--json",
    )  # fmt: skip
    document = json.loads(out)
    assert (code, [i["id"] for i in document["items"]], document["total"]) == (
        EXIT_OK,
        ["animate-diff"],
        1,
    )


def test_disabled_needs_custom_nodes(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--data", str(data_dir), "search", "--disabled") == (EXIT_USAGE, "")
    assert capsys.readouterr().err == (
        "error: --disabled: needs --custom-nodes DIR to know what is installed\n"
    )
