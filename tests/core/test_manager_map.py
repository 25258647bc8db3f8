"""ComfyUI-Manager's extension-node-map.json: node classes by pack, joined to the node list.

The real file (about 5,600 packs, GPL-3.0) is read in place from the shared data; small
hand-made maps cover its dirty shapes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nodes.core.files import display_path
from nodes.core.model import SourceResult
from nodes.core.validate import MAX_NODE_TYPE
from nodes.sources import manager_map
from nodes.sources.manager_db import NODE_MAP, load_manager_db, parse_node_list
from nodes.sources.manager_map import (
    NodeMap,
    parse_node_map,
    pattern_problem,
    read_node_patterns,
)

ALPHA = "https://github.com/alice/ComfyUI-Alpha"


def texts(problems: Any) -> list[str]:
    return [str(p) for p in problems]


def entry(*names: object, **details: Any) -> list[Any]:
    """A node map value as the Manager writes it."""
    return [list(names), {"title_aux": "Alpha", **details}]


@pytest.fixture(scope="module")
def real_result(request: pytest.FixtureRequest) -> SourceResult:
    folder: Path = request.getfixturevalue("manager_dir")
    return load_manager_db(folder)


class TestParseNodeMap:
    """Each pack's classes are kept by canonical URL; dirty entries are reported."""

    def test_names_by_canonical_url(self) -> None:
        """URLs are canonicalised; the names stay as written, order kept."""
        found, problems = parse_node_map(
            {
                f"{ALPHA}.git": entry("AlphaSave", "Alpha Load (image)"),
                "https://x.org/n.py": entry(),
            },
            "map.json",
            10,
        )
        assert problems == []
        assert found.types == {
            "https://github.com/alice/comfyui-alpha": ("AlphaSave", "Alpha Load (image)"),
            "https://x.org/n.py": (),
        }
        assert found.patterns == {}

    def test_a_url_written_twice_keeps_both_lists(self) -> None:
        found, _ = parse_node_map(
            {ALPHA: entry("A", "B"), ALPHA.lower(): entry("B", "C")}, "map.json", 10
        )
        assert NodeMap(found.types).node_types([ALPHA]) == ["A", "B", "C"]

    def test_dirty_entries(self) -> None:
        """Bad keys and values of another shape are skipped; bad names are left out."""
        data = {
            "htps://github.com/a/b": entry("X"),
            "https://github.com/a/text": "X",
            "https://github.com/a/empty": [],
            "https://github.com/a/names-text": ["X", {}],
            "https://github.com/a/one-bad": entry("Good", 3),
            "https://github.com/a/many-bad": entry("", "Fine", "a\nb", "x" * (MAX_NODE_TYPE + 1)),
            "https://github.com/a/no-details": [["Bare"]],
            "https://github.com/a/odd-details": [["Odd"], "details"],
        }
        found, problems = parse_node_map(data, "map.json", 100)
        assert texts(problems) == [
            "map.json: ['htps://github.com/a/b']: key scheme 'htps' is not allowed; use http or "
            "https; its node classes are ignored",
            "map.json: ['https://github.com/a/text']: must be a list of the node class names and "
            "the pack's details; skipped",
            "map.json: ['https://github.com/a/empty']: must be a list of the node class names and "
            "the pack's details; skipped",
            "map.json: ['https://github.com/a/names-text']: must be a list of the node class "
            "names and the pack's details; skipped",
            "map.json: ['https://github.com/a/one-bad']: node class 3 must be text, got int; it is "
            "left out",
            "map.json: ['https://github.com/a/many-bad']: node class '' must not be empty; it and "
            "2 more names are left out",
        ]
        assert found.types == {
            "https://github.com/a/one-bad": ("Good",),
            "https://github.com/a/many-bad": ("Fine",),
            "https://github.com/a/no-details": ("Bare",),
            "https://github.com/a/odd-details": ("Odd",),
        }

    def test_patterns(self) -> None:
        """Simple patterns are kept; others are reported and ignored, the names still load."""
        data = {
            ALPHA: entry("A", nodename_pattern=" \\(alpha\\)$"),
            "https://github.com/a/complex": entry("B", nodename_pattern="(a+)+$"),
            "https://github.com/a/broken": entry("C", nodename_pattern="(unclosed"),
            "https://github.com/a/number": entry("D", nodename_pattern=5),
        }
        found, problems = parse_node_map(data, "map.json", 100)
        assert found.patterns == {"https://github.com/alice/comfyui-alpha": " \\(alpha\\)$"}
        assert len(found.types) == 4
        assert texts(problems) == [
            "map.json: ['https://github.com/a/complex']: nodename_pattern '(a+)+$' is too complex "
            "to match safely; ignored",
            "map.json: ['https://github.com/a/broken']: nodename_pattern '(unclosed' is not a "
            "regular expression: missing ), unterminated subpattern at position 0; ignored",
            "map.json: ['https://github.com/a/number']: nodename_pattern 5 must be text, got int; "
            "ignored",
        ]

    def test_the_first_pattern_of_a_url_wins(self) -> None:
        found, _ = parse_node_map(
            {ALPHA: entry(nodename_pattern="^A"), ALPHA.lower(): entry(nodename_pattern="^B")},
            "map.json",
            10,
        )
        assert found.patterns == {"https://github.com/alice/comfyui-alpha": "^A"}

    @pytest.mark.parametrize("data", [[], 3, None])
    def test_not_an_object(self, data: object) -> None:
        found, problems = parse_node_map(data, "map.json", 10)
        assert found == NodeMap()
        assert texts(problems) == ["map.json: file: must hold a JSON object keyed by pack URL"]

    def test_only_the_first_entries_are_read(self) -> None:
        data = {f"https://github.com/o/p{i}": entry(f"N{i}") for i in range(5)}
        found, problems = parse_node_map(data, "map.json", 3)
        assert len(found.types) == 3
        assert texts(problems) == ["map.json: file: has 5 entries; only the first 3 are read"]


class TestPatterns:
    """Only patterns that cannot backtrack for long are kept."""

    @pytest.mark.parametrize(
        "pattern",
        [
            "^DF_",
            " \\[Crystools\\]$",
            "^(MetadataAwareSaveImage|Multi_LoRA_Loader|LoadImageLayers)",
            "MiniMax.*BMO|BMO.*MiniMax",
            "(?:Gallery-dl|Yt-dlp|Web.*Scraper)",
            "[+*?]{0}x",  # quantifier characters in a class are literal
            "\\(\\)+",  # an escaped parenthesis is no group
        ],
    )
    def test_kept(self, pattern: str) -> None:
        assert pattern_problem(pattern) is None

    @pytest.mark.parametrize(
        ("pattern", "problem"),
        [
            ("(a+)+$", "is too complex to match safely"),
            ("(?:ab)*c", "is too complex to match safely"),
            ("(x){2}", "is too complex to match safely"),
            ("a*b*c*", "is too complex to match safely"),
            ("a?a?a?", "is too complex to match safely"),
            ("", "must be 1 to 200 characters long"),
            ("x" * 201, "must be 1 to 200 characters long"),
            ("[", "is not a regular expression: unterminated character set at position 0"),
            (["^A"], "must be text, got list"),
        ],
    )
    def test_refused(self, pattern: object, problem: str) -> None:
        assert pattern_problem(pattern) == problem


class TestJoin:
    """The node list takes each pack's classes from the map, by its reference or its files."""

    def test_by_reference_and_by_file(self) -> None:
        classes = NodeMap(
            {
                "https://github.com/alice/comfyui-alpha": ("A", "B"),
                "https://x.org/copy.py": ("B", "C"),
            }
        )
        nodes = {
            "custom_nodes": [
                {"reference": ALPHA, "files": [ALPHA], "install_type": "git-clone"},
                {"reference": "https://github.com/o/c", "files": ["https://x.org/copy.py", "bad"]},
                {"reference": "https://github.com/o/d", "files": "https://x.org/copy.py"},
                {"reference": ALPHA + "-two", "files": [ALPHA, "https://x.org/copy.py"]},
            ]
        }
        found, _ = parse_node_list(nodes, "n.json", {}, node_map=classes)
        assert [r.node_types for r, _ in found] == [("A", "B"), ("B", "C"), (), ("A", "B", "C")]

    def test_capped_per_pack(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr("nodes.sources.manager_db.MAX_NODE_TYPES", 2)
        classes = NodeMap({"https://github.com/alice/comfyui-alpha": ("A", "B", "C")})
        found, problems = parse_node_list(
            {"custom_nodes": [{"reference": ALPHA}]}, "n.json", {}, node_map=classes
        )
        assert found[0][0].node_types == ("A", "B")
        assert texts(problems) == [
            "n.json: custom_nodes[0].node_types: has 3 node classes; only the first 2 are kept"
        ]

    def test_from_the_files(self, tmp_path: Path) -> None:
        """The map is read from its file beside the node list; a broken one is reported."""
        (tmp_path / "custom-node-list.json").write_text(
            json.dumps({"custom_nodes": [{"reference": ALPHA}]})
        )
        (tmp_path / NODE_MAP).write_text(json.dumps({ALPHA: entry("AlphaLoader")}))
        assert load_manager_db(tmp_path).resources[0].node_types == ("AlphaLoader",)
        (tmp_path / NODE_MAP).write_text("[]")
        result = load_manager_db(tmp_path)
        assert result.resources[0].node_types == ()
        assert texts(result.problems) == [
            f"{display_path(tmp_path / NODE_MAP)}: file: must hold a JSON object keyed by pack URL"
        ]


class TestRealMap:
    """The real map: every entry usable, 5,571 packs with classes, exact names found."""

    def test_no_problem_comes_from_it(self, real_result: SourceResult) -> None:
        assert not [p for p in real_result.problems if NODE_MAP in p.file]

    def test_packs_and_classes(self, real_result: SourceResult) -> None:
        packs = [r for r in real_result.resources if r.node_types]
        assert len(packs) == 5571
        assert sum(len(r.node_types) for r in packs) == 41424
        by_url = {r.url: r for r in real_result.resources}
        vhs = by_url["https://github.com/Kosinkadink/ComfyUI-VideoHelperSuite"]
        assert "VHS_LoadVideo" in vhs.node_types
        assert vhs.pack_id == "vhs"

    def test_a_copy_pack_gets_its_classes_by_file(
        self, real_result: SourceResult, manager_dir: Path
    ) -> None:
        data = json.loads((manager_dir / NODE_MAP).read_text(encoding="utf-8"))
        key = (
            "https://raw.githubusercontent.com/time-river/ComfyUI-CLIPSeg/main/custom_nodes/"
            "clipseg.py"
        )
        by_url = {r.url: r for r in real_result.resources}
        clipseg = by_url["https://github.com/time-river/ComfyUI-CLIPSeg"]
        assert clipseg.install_type == "copy"
        assert clipseg.node_types == tuple(dict.fromkeys(data[key][0]))

    def test_patterns(self, manager_dir: Path) -> None:
        """All 39 real patterns are simple enough to keep."""
        patterns = read_node_patterns(manager_dir / NODE_MAP)
        assert len(patterns) == 39
        assert patterns["https://github.com/rgthree/rgthree-comfy"] == " \\(rgthree\\)$"


class TestReadNodePatterns:
    """Patterns read from a map file, again only when it changes; nothing from a bad file."""

    def test_read_and_reread(self, tmp_path: Path) -> None:
        path = tmp_path / NODE_MAP
        path.write_text(json.dumps({ALPHA: entry("A", nodename_pattern="^A")}))
        assert read_node_patterns(path) == {"https://github.com/alice/comfyui-alpha": "^A"}
        path.write_text(json.dumps({ALPHA: entry("A", nodename_pattern="^Alpha")}))
        assert read_node_patterns(path) == {"https://github.com/alice/comfyui-alpha": "^Alpha"}

    @pytest.mark.parametrize(
        "body", [None, b"{", b"[]", b"[" * 100_000], ids=["missing", "broken", "list", "deep"]
    )
    def test_nothing_from_a_bad_file(self, tmp_path: Path, body: bytes | None) -> None:
        path = tmp_path / NODE_MAP
        if body is not None:
            path.write_bytes(body)
        assert read_node_patterns(path) == {}

    def test_nothing_from_a_file_too_large(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(manager_map, "MAX_MAP_BYTES", 10)
        path = tmp_path / NODE_MAP
        path.write_text(json.dumps({ALPHA: entry("A", nodename_pattern="^A")}))
        assert read_node_patterns(path) == {}
