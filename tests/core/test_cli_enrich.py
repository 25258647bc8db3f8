"""``enrich``: stars and last updates from a statistics file, written into real data files.

Runs on a copy of the pack's own ``data/`` folder; only ``stars:`` and ``updated:`` lines
change, the result validates, and a second run changes nothing.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml

from nodes.cli.enrich import enrich_text, facts_by_url
from nodes.cli.main import EXIT_OK, EXIT_PROBLEMS, main
from nodes.core.errors import DomainError
from nodes.sources.curated import DEFAULT_DATA_DIR
from tests.helpers.tmpfs import read_only, tmpfs

# As github-stats.json writes them: keyed by the repository URL as the node list spells it.
STATS = {
    "https://github.com/cubiq/ComfyUI_essentials.git": {
        "stars": 1160,
        "last_update": "2025-04-14 10:00:00",
        "author_account_age_days": 3000,
    },
    "https://GitHub.com/rgthree/rgthree-comfy/": {"stars": 2500, "last_update": "2026-01-02"},
    "https://github.com/jags111/efficiency-nodes-comfyui": {"stars": "many", "last_update": "soon"},
    "https://github.com/11cafe/comfyui-workspace-manager": {"stars": 7},
    "htps://github.com/not/a-url": {"stars": 1},
    "https://github.com/not/in-the-catalogue": {"stars": 1, "last_update": "2025-01-01"},
}


FACT_LINE = re.compile(r"^    (?:stars|updated): .*\n", re.MULTILINE)


def copy_data(folder: Path) -> Path:
    """The pack's data folder copied to ``folder``, without the facts recorded in it."""
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    for path in (folder / "resources").glob("*.yaml"):
        path.write_text(FACT_LINE.sub("", path.read_text()))
    return folder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = copy_data(tmp_path / "data")
    # Facts recorded before are replaced, not repeated.
    path = folder / "resources" / "essentials.yaml"
    text = path.read_text().replace(
        "    author: rgthree\n", "    author: rgthree\n    stars: 1\n    updated: 2020-01-01\n"
    )
    path.write_text(text)
    return folder


def write_stats(folder: Path, document: object) -> Path:
    path = folder / "github-stats.json"
    path.write_text(json.dumps(document))
    return path


def run(*argv: str) -> tuple[int, str]:
    out = StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def entry(data: Path, resource_id: str) -> dict[str, object]:
    for path in (data / "resources").glob("*.yaml"):
        for item in yaml.safe_load(path.read_text())["resources"]:
            if item["id"] == resource_id:
                return dict(item)
    raise AssertionError(resource_id)


class TestEnrich:
    def test_writes_stars_and_updates_of_known_urls_only(
        self, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        stats = write_stats(tmp_path, STATS)
        before = {p.name: p.read_text() for p in (data / "resources").glob("*.yaml")}
        code, out = run("enrich", "--stats", str(stats), "--data", str(data))
        assert code == EXIT_OK
        assert "updated 3 entries in 1 file(s); 4 repositories in github-stats.json" in out
        essentials = entry(data, "comfyui-essentials")
        assert (essentials["stars"], str(essentials["updated"])) == (1160, "2025-04-14")
        rgthree = entry(data, "rgthree-comfy")
        assert (rgthree["stars"], str(rgthree["updated"])) == (2500, "2026-01-02")
        workspace = entry(data, "comfyui-workspace-manager")
        assert (workspace["stars"], "updated" in workspace) == (7, False)
        assert "stars" not in entry(data, "efficiency-nodes-comfyui")  # nothing usable
        # Only stars: and updated: lines change; every other file stays byte for byte.
        after = {p.name: p.read_text() for p in (data / "resources").glob("*.yaml")}
        changed = [name for name in before if before[name] != after[name]]
        assert changed == ["essentials.yaml"]
        diff = difflib.unified_diff(
            before["essentials.yaml"].splitlines(), after["essentials.yaml"].splitlines(), n=0
        )
        edits = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        assert sorted(edits) == sorted(
            [
                "+    stars: 1160",
                "+    updated: 2025-04-14",
                "-    stars: 1",
                "-    updated: 2020-01-01",
                "+    stars: 2500",
                "+    updated: 2026-01-02",
                "+    stars: 7",
            ]
        )
        capsys.readouterr()
        assert run("validate", str(data))[0] == EXIT_OK
        code, again = run("enrich", "--stats", str(stats), "--data", str(data))
        assert (code, "updated 0 entries in 0 file(s)" in again) == (EXIT_OK, True)

    def test_the_global_data_option_and_a_dry_run(self, data: Path, tmp_path: Path) -> None:
        stats = write_stats(tmp_path, STATS)
        before = (data / "resources" / "essentials.yaml").read_bytes()
        code, out = run("--data", str(data), "enrich", "--stats", str(stats), "--dry-run")
        assert code == EXIT_OK
        assert "essentials.yaml: 3 entries updated" in out
        assert "would update 3 entries in 1 file(s)" in out
        assert (data / "resources" / "essentials.yaml").read_bytes() == before

    def test_the_real_statistics_file(self, data: Path, manager_dir: Path) -> None:
        """ComfyUI-Manager's real github-stats.json, from the shared data (skips without it)."""
        stats = manager_dir / "github-stats.json"
        code, out = run("enrich", "--stats", str(stats), "--data", str(data))
        assert code == EXIT_OK
        assert int(out.rsplit("updated ", 1)[1].split()[0]) > 0
        assert run("validate", str(data))[0] == EXIT_OK


class TestRefusals:
    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (None, "cannot be read"),
            ("{not json", "cannot be read"),
            ("[1, 2]", "must hold a JSON object keyed by repository URL"),
        ],
    )
    def test_a_statistics_file_that_is_not_usable(
        self, tmp_path: Path, content: str | None, message: str
    ) -> None:
        path = tmp_path / "stats.json"
        if content is not None:
            path.write_text(content)
        with pytest.raises(DomainError, match=message):
            facts_by_url(path)

    def test_a_statistics_file_too_large(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("nodes.cli.enrich.MAX_JSON_BYTES", 4)
        with pytest.raises(DomainError, match="larger than 4 bytes"):
            facts_by_url(write_stats(tmp_path, STATS))

    def test_reported_by_the_command(
        self, tmp_path: Path, data: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, _ = run("enrich", "--stats", str(tmp_path / "none.json"), "--data", str(data))
        assert code == EXIT_PROBLEMS
        assert "none.json: cannot be read" in capsys.readouterr().err

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("resources: [\n", "not valid YAML"),
            ("- just a list\n", "has no resources: list"),
            (
                "resources: [{id: a, url: 'https://github.com/rgthree/rgthree-comfy'}]\n",
                "has 1 entries but 0 list items",
            ),
        ],
    )
    def test_files_it_cannot_edit_line_by_line(self, text: str, message: str) -> None:
        with pytest.raises(DomainError, match=message):
            enrich_text(text, {})

    def test_a_bad_file_stops_before_any_write(
        self, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        (data / "resources" / "zz-bad.yaml").write_text("resources: [\n")
        before = (data / "resources" / "essentials.yaml").read_bytes()
        code, _ = run("enrich", "--stats", str(write_stats(tmp_path, STATS)), "--data", str(data))
        assert code == EXIT_PROBLEMS
        assert "zz-bad.yaml: not valid YAML" in capsys.readouterr().err
        assert (data / "resources" / "essentials.yaml").read_bytes() == before

    def test_a_folder_without_resources(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        stats = write_stats(tmp_path, STATS)
        assert run("enrich", "--stats", str(stats), "--data", str(tmp_path))[0] == EXIT_PROBLEMS
        assert "no resources/*.yaml in" in capsys.readouterr().err

    def test_a_read_only_folder_changes_nothing(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        stats = write_stats(tmp_path, STATS)
        with tmpfs(tmp_path / "disk", size="1m") as disk:
            copy_data(disk / "data")
            before = (disk / "data" / "resources" / "essentials.yaml").read_bytes()
            read_only(disk)
            code, _ = run("enrich", "--stats", str(stats), "--data", str(disk / "data"))
            assert code == EXIT_PROBLEMS
            assert "Read-only file system" in capsys.readouterr().err
            assert (disk / "data" / "resources" / "essentials.yaml").read_bytes() == before


class TestLayout:
    def test_entries_odd_and_plain(self) -> None:
        text = (
            "resources:\n"
            "  # a comment before\n"
            "  - id: a\n"
            "    url: https://github.com/rgthree/rgthree-comfy\n"
            "    description: >-\n"
            "      stars: not a field here\n"
            "\n"
            "  # the next one\n"
            "  - id: b\n"
            "    url: 'not a url'\n"
            "  - just text\n"
            "  - id: c\n"
            "    url: https://github.com/rgthree/rgthree-comfy"
        )
        facts = {"https://github.com/rgthree/rgthree-comfy": {"stars": 3}}
        updated, changed = enrich_text(text, facts)
        assert changed == 2
        assert updated == (
            "resources:\n"
            "  # a comment before\n"
            "  - id: a\n"
            "    url: https://github.com/rgthree/rgthree-comfy\n"
            "    description: >-\n"
            "      stars: not a field here\n"
            "    stars: 3\n"
            "\n"
            "  # the next one\n"
            "  - id: b\n"
            "    url: 'not a url'\n"
            "  - just text\n"
            "  - id: c\n"
            "    url: https://github.com/rgthree/rgthree-comfy\n"
            "    stars: 3\n"
        )
