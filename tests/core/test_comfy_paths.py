"""Where ComfyUI keeps things, asked of its folder_paths module when it is there."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from nodes.app.comfy_paths import (
    USER_DIR_ENV,
    comfy_user_dir,
    comfyui_user_dir,
    custom_nodes_dirs,
    package_dir,
)


@pytest.fixture
def outside_comfyui(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(USER_DIR_ENV, raising=False)
    monkeypatch.setitem(sys.modules, "folder_paths", None)


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


class TestUserDir:
    """comfy_user_dir: the environment variable, then ComfyUI's user folder, then XDG."""

    def test_environment_variable_wins(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        monkeypatch.setenv(USER_DIR_ENV, str(tmp_path / "chosen"))
        assert comfy_user_dir() == tmp_path / "chosen"

    def test_inside_comfyui(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.delenv(USER_DIR_ENV, raising=False)
        fake = types.ModuleType("folder_paths")
        fake.get_user_directory = lambda: str(tmp_path / "ComfyUI" / "user")  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "folder_paths", fake)
        assert comfy_user_dir() == tmp_path / "ComfyUI" / "user" / "awesome-comfyui-beyond"

    @pytest.mark.usefixtures("outside_comfyui")
    def test_xdg_data_home(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        assert comfy_user_dir() == tmp_path / "xdg" / "awesome-comfyui-beyond"

    @pytest.mark.usefixtures("outside_comfyui")
    def test_home(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert comfy_user_dir() == (
            tmp_path / "home" / ".local" / "share" / "awesome-comfyui-beyond"
        )


class TestComfyUIUserDir:
    """ComfyUI's own user directory: folder_paths', else the parent of the pack's folder set."""

    def test_inside_comfyui(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.setenv(USER_DIR_ENV, str(tmp_path / "elsewhere" / "pack"))
        fake = types.ModuleType("folder_paths")
        fake.get_user_directory = lambda: str(tmp_path / "ComfyUI" / "user")  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "folder_paths", fake)
        assert comfyui_user_dir() == tmp_path / "ComfyUI" / "user"

    def test_odd_comfyui(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setitem(sys.modules, "folder_paths", types.ModuleType("folder_paths"))
        assert comfyui_user_dir() is None

    @pytest.mark.usefixtures("outside_comfyui")
    def test_outside_comfyui(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        assert comfyui_user_dir() is None
        monkeypatch.setenv(USER_DIR_ENV, "")
        assert comfyui_user_dir() is None
        monkeypatch.setenv(USER_DIR_ENV, str(tmp_path / "user" / "awesome-comfyui-beyond"))
        assert comfyui_user_dir() == tmp_path / "user"


class TestPackageDir:
    """An installed package's folder, found without importing it."""

    def test_a_package(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        (tmp_path / "fake_pkg_for_test").mkdir()
        (tmp_path / "fake_pkg_for_test" / "__init__.py").write_text("raise RuntimeError\n")
        monkeypatch.syspath_prepend(str(tmp_path))
        assert package_dir("fake_pkg_for_test") == tmp_path / "fake_pkg_for_test"
        assert "fake_pkg_for_test" not in sys.modules

    def test_not_a_package(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        (tmp_path / "fake_module_for_test.py").write_text("x = 1\n")
        monkeypatch.syspath_prepend(str(tmp_path))
        assert package_dir("fake_module_for_test") is None
        assert package_dir("no_such_package_here") is None
        assert package_dir("no_such_parent_here.child") is None  # a missing parent

    def test_a_module_without_a_spec(self, monkeypatch: pytest.MonkeyPatch) -> None:
        odd = types.ModuleType("odd_module_for_test")
        odd.__spec__ = None
        monkeypatch.setitem(sys.modules, "odd_module_for_test", odd)
        assert package_dir("odd_module_for_test") is None
