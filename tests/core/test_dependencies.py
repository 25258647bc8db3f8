"""The declared dependencies: one list in two files, floors that are tested, and CI running them."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def test_requirements_mirror_the_project_dependencies(pyproject: dict[str, Any]) -> None:
    """ComfyUI-Manager reads requirements.txt, the Registry reads [project]: the same lines."""
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert lines == pyproject["project"]["dependencies"]


def test_the_compat_env_pins_every_floor(pyproject: dict[str, Any]) -> None:
    """Each declared floor is exactly what the `compat` env installs, so it is a tested one."""
    pins = {}
    for dep in pyproject["tool"]["hatch"]["envs"]["compat"]["dependencies"]:
        pinned = re.fullmatch(r"([a-z]+)==(.+)", dep)
        if pinned is not None:
            pins[pinned[1]] = pinned[2]
    for dep in pyproject["project"]["dependencies"]:
        name, _, floor = dep.partition(">=")
        if floor:
            assert pins[name] == floor, dep
        else:
            assert name == "requests"  # declared, never imported (docs/architecture.md)
    assert pins["aiohttp"] == "3.11.8"  # ComfyUI's own floor: installing never upgrades it


def test_ci_runs_the_compat_tests_before_the_last_step(pyproject: dict[str, Any]) -> None:
    scripts = pyproject["tool"]["hatch"]["envs"]["dev"]["scripts"]
    check = scripts["check"]
    assert check[-1] == "test"  # pytest's summary closes the output
    assert "compat" in check
    assert "hatch run compat:test" in scripts["compat"]
