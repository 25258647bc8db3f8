"""Where ComfyUI keeps things, asked of its folder_paths module when it is there."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from nodes.app.comfy_paths import custom_nodes_dirs


class TestCustomNodesDir:
    """ComfyUI's custom_nodes folders come from folder_paths, when ComfyUI is there."""

    def test_outside_comfyui(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without ComfyUI there is no folder."""
        monkeypatch.setitem(sys.modules, "folder_paths", None)
        assert custom_nodes_dirs() == []

    def test_inside_comfyui(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """The folders ComfyUI knows, in its order; non-paths are dropped."""
        fake = types.ModuleType("folder_paths")
        fake.get_folder_paths = lambda name: (  # type: ignore[attr-defined]
            [str(tmp_path / name), 3, tmp_path / "other"]
        )
        monkeypatch.setitem(sys.modules, "folder_paths", fake)
        assert custom_nodes_dirs() == [tmp_path / "custom_nodes", tmp_path / "other"]

    def test_odd_comfyui(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A folder_paths that fails gives no folders rather than an error."""
        fake = types.ModuleType("folder_paths")

        def broken(name: str) -> list[str]:
            raise KeyError(name)

        fake.get_folder_paths = broken  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "folder_paths", fake)
        assert custom_nodes_dirs() == []
