"""The import-time measurement of ``measure_import.py``, run short inside the e2e tier.

It proves the measurement works on this machine and checks what can be checked without
timing: both packs import in every ComfyUI start, the catalogue is not loaded at import,
and the pack imports no third-party module ComfyUI has not already imported. The figures
themselves are printed, not asserted (DESIGN.md: performance is measured by benchmarks,
never by timed assertions); ``python tests/e2e/measure_import.py`` writes them, with more
runs, to ``docs/import-time.md``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.comfy_server import PACK_FOLDER, ComfyInstall
from tests.e2e.measure_import import BASELINE_FOLDER, measure

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.mark.timeout(600)
def test_import_time_against_an_empty_pack(comfyui_install: ComfyInstall, tmp_path: Path) -> None:
    report = measure(comfyui_install, starts=1, processes=4, workdir=tmp_path, breakdown=False)

    left = [
        p.name
        for p in comfyui_install.custom_nodes.glob(f"{BASELINE_FOLDER}-*")
        if p.is_symlink() and p.resolve().is_relative_to(tmp_path.resolve())
    ]
    assert not left, f"the baseline pack was left linked in custom_nodes: {left}"
    assert len(report.starts) == 1
    assert len(report.probes) == 4
    for start in report.starts:
        assert start["packs"][PACK_FOLDER]["imported"], start
        assert start["packs"][BASELINE_FOLDER]["imported"], start
    for result in report.probes:
        ours = result["packs"][PACK_FOLDER]
        assert ours["ok"], result
        assert result["packs"][BASELINE_FOLDER]["ok"], result
        assert not ours["catalogue_loaded_at_import"], "the catalogue loaded at import"
        assert ours["other_modules_imported"] == [], (
            f"the pack imported modules ComfyUI had not: {ours['other_modules_imported']}"
        )
    print("import time (ms):", json.dumps(report.summary(), indent=2))  # noqa: T201
