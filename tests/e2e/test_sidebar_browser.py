"""The sidebar in headless Chromium against a real ComfyUI, on both frontends.

The browser checks themselves are in ``tests/e2e/browser/check_sidebar.mjs`` (Playwright's
client drives Chromium); this runs them from the test command, once per frontend, and
fails with their own report when any check fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.comfy_server import REPO, new_frontend_root

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SCRIPT = REPO / "tests" / "e2e" / "browser" / "check_sidebar.mjs"


def _needs() -> str | None:
    if shutil.which("node") is None:
        return "node is not on PATH"
    if not (REPO / "node_modules" / "playwright-core").is_dir():
        return "node_modules/playwright-core is missing (run `npm ci` at the repo root)"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)"
    return None


@pytest.mark.parametrize("frontend", ["pinned", "1.58.1"])
def test_sidebar_in_chromium(frontend: str, tmp_path: Path) -> None:
    """Open the tab, search, filter, sort, open details, favourite, add an entry: all pass."""
    missing = _needs()
    if missing:
        pytest.skip(f"browser e2e: {missing}")
    args = [
        "node",
        str(SCRIPT),
        "--screenshots",
        str(tmp_path),
        "--more-screenshots",
        str(tmp_path),
    ]
    if frontend != "pinned":
        root = new_frontend_root()
        if root is None:
            pytest.skip("browser e2e: frontend 1.58.1 not found (set COMFYUI_FRONTEND_NEW)")
        args += ["--frontend-root", str(root), "--label", frontend]
    done = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=900, check=False)
    report = done.stdout + done.stderr
    if "SKIPPED: browser checks need a ComfyUI" in report:
        pytest.skip(report.strip().splitlines()[-1])
    assert done.returncode == 0, report[-6000:]
    assert " 0 failed" in report, report[-6000:]
