"""The sidebar acting through a real ComfyUI-Manager, in headless Chromium, on both frontends.

This test builds the Manager world (:mod:`tests.e2e.manager_env`: the probe pack in a git
repository and a model, served on 127.0.0.1, the Manager's config and cache) and keeps it
served while ``tests/e2e/browser/check_manager.mjs`` starts ComfyUI in it and clicks through
the sidebar: "This workflow", Install, Download, the restart, Enable. It fails with the
script's own report when any check fails, and checks the files the clicks must have left.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.e2e.comfy_server import REPO, ComfyInstall, new_frontend_root
from tests.e2e.manager_env import manager_world
from tests.e2e.test_sidebar_browser import _needs

# Two ComfyUI starts (one a restart through the Manager) and a browser per frontend.
pytestmark = [pytest.mark.e2e, pytest.mark.manager, pytest.mark.slow, pytest.mark.timeout(600)]
SCRIPT = REPO / "tests" / "e2e" / "browser" / "check_manager.mjs"
SETTINGS = {"Comfy.TutorialCompleted": True, "Comfy.Workflow.ShowMissingNodesWarning": False}


@pytest.mark.parametrize("frontend", ["pinned", "1.58.1"])
def test_manager_from_the_sidebar(
    frontend: str, comfyui_install: ComfyInstall, manager_tree: Path, tmp_path: Path
) -> None:
    """Install, download, restart, enable and "This workflow", clicked in the sidebar."""
    missing = _needs()
    if missing:
        pytest.skip(f"browser e2e: {missing}")
    args = ["node", str(SCRIPT), "--screenshots", str(tmp_path)]
    if frontend != "pinned":
        root = new_frontend_root()
        if root is None:
            pytest.skip("browser e2e: frontend 1.58.1 not found (set COMFYUI_FRONTEND_NEW)")
        args += ["--frontend-root", str(root), "--label", frontend]
    with manager_world(comfyui_install, manager_tree, system_user_api=True) as world:
        settings = world.user_dir / "default" / "comfy.settings.json"
        settings.parent.mkdir(parents=True, exist_ok=True)
        # No template dialog; no missing-nodes dialog over the page for the probe's workflow.
        settings.write_text(json.dumps(SETTINGS), encoding="utf-8")
        described = tmp_path / "world.json"
        described.write_text(json.dumps(world.describe()), encoding="utf-8")
        done = subprocess.run(
            [*args, "--world", str(described)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=540,  # inside the test's own limit, so the report says what hung
            check=False,
        )
        report = done.stdout + done.stderr
        if "SKIPPED: browser checks need a ComfyUI" in report:
            pytest.skip(report.strip().splitlines()[-1])
        assert done.returncode == 0, report[-8000:]
        assert " 0 failed" in report, report[-8000:]
        # What the clicks left: the pack enabled again in custom_nodes, the model downloaded.
        assert (world.installed() / "__init__.py").is_file(), report[-3000:]
        assert not world.disabled().exists(), report[-3000:]
        assert world.model_path.is_file(), report[-3000:]
