"""web/lib/constants.js: generated from the Python constants, and read the same way by Node."""

from __future__ import annotations

import json
import re
import shutil
import subprocess  # nosec B404: runs node on a repository file, with fixed arguments
from pathlib import Path

import pytest

from nodes.core.constants import KINDS, SORTS
from nodes.core.validate import ID_RE, TAG_RE
from nodes.server.web_constants import OUTPUT, js_regex, render_module

REPO = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")

IDS = [
    "comfyui-manager",
    "a",
    "0",
    "a.b_c-d",
    "x" * 80,
    "x" * 81,
    "-a",
    "a-",
    "a.",
    "A",
    "",
    "a b",
    "ü",
    "a/b",
    "mine",
]
TAGS = ["video", "c++", "a.b_c-d", "x" * 32, "x" * 33, "+a", "Video", "", "a b", "视频"]


def test_the_committed_module_is_the_generated_one() -> None:
    assert OUTPUT == REPO / "web" / "lib" / "constants.js"
    assert OUTPUT.read_text(encoding="utf-8") == render_module(), (
        "web/lib/constants.js is out of date: run `python -m nodes.server.web_constants`"
    )


def test_the_module_says_it_is_generated_and_how_to_regenerate() -> None:
    head = render_module().splitlines()[:2]
    assert "Generated" in head[0]
    assert "python -m nodes.server.web_constants" in head[1]


@pytest.mark.parametrize(
    "pattern",
    [
        r"^\w+$",  # \w means more in Python than in JavaScript
        r"[a-z]+$",  # match() anchors the start; test() does not
        r"^[a-z]+",
        "^(?P<x>a)$",
        "^(?<=a)b$",
        "^a|b$",
        "^[^a]$",
        "^",
    ],
)
def test_patterns_that_read_differently_in_javascript_are_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="cannot be written for JavaScript"):
        js_regex(re.compile(pattern))


def test_flags_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot be written for JavaScript"):
        js_regex(re.compile("^[a-z]$", re.IGNORECASE))


def evaluate(script: str) -> object:
    """Import the module in Node and return what `script` (given `c`, the module) yields."""
    if NODE is None:
        pytest.skip("node is not on PATH: the JavaScript side of the constants is not checked")
    program = (
        f"const c = await import({json.dumps(OUTPUT.as_uri())});\n"
        f"process.stdout.write(JSON.stringify(await (async () => {{ {script} }})()));"
    )
    done = subprocess.run(  # nosec B603: fixed arguments, no shell
        [NODE, "--input-type=module", "-e", program],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def test_node_accepts_and_refuses_the_same_ids_and_tags_as_python() -> None:
    ids = [ID_RE.match(s) is not None for s in IDS]
    tags = [TAG_RE.match(s) is not None for s in TAGS]
    assert set(ids) == set(tags) == {True, False}  # the samples tell the two apart
    verdicts = evaluate(
        f"return [{json.dumps(IDS)}.map((s) => c.ID_PATTERN.test(s)),"
        f" {json.dumps(TAGS)}.map((s) => c.TAG_PATTERN.test(s))];"
    )
    assert verdicts == [ids, tags]


def test_node_reads_the_lists_in_python_order() -> None:
    assert evaluate("return [c.KINDS, c.SORTS, c.DEFAULT_SORT];") == [
        list(KINDS),
        list(SORTS),
        SORTS[0],
    ]
