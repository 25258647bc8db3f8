"""Where ComfyUI keeps things: the user directory and the ``custom_nodes`` folders.

Inside ComfyUI these come from its ``folder_paths`` module; anywhere else (tests, the
command line) there is no ComfyUI to ask, and the answers say so.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

USER_DIR_ENV = "AWESOME_BEYOND_USER_DIR"


def comfy_user_dir() -> Path:
    """Where user data lives: ``$AWESOME_BEYOND_USER_DIR`` when set, else ComfyUI's user
    directory, else (outside ComfyUI) ``~/.local/share/awesome-comfyui-beyond``.
    """
    configured = os.environ.get(USER_DIR_ENV)
    if configured:
        return Path(configured)
    try:
        import folder_paths  # noqa: PLC0415 - ComfyUI's module, present only inside it
    except ImportError:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return Path(base) / "awesome-comfyui-beyond"
    return Path(folder_paths.get_user_directory()) / "awesome-comfyui-beyond"


def custom_nodes_dirs() -> list[Path]:
    """ComfyUI's ``custom_nodes`` folders, or ``[]`` when not running inside ComfyUI."""
    try:
        import folder_paths  # noqa: PLC0415 - only inside a running ComfyUI
    except ImportError:
        return []
    try:
        paths = folder_paths.get_folder_paths("custom_nodes")
    except Exception:  # noqa: BLE001 - an old or odd ComfyUI must not break the caller
        return []
    return [Path(p) for p in paths if isinstance(p, str | os.PathLike)]


def comfyui_user_dir() -> Path | None:
    """ComfyUI's user directory (where ComfyUI-Manager keeps its cache), or ``None``.

    Inside ComfyUI it is ``folder_paths``'s; outside, ``$AWESOME_BEYOND_USER_DIR`` names
    ``<user directory>/awesome-comfyui-beyond`` (see :func:`comfy_user_dir`) when set.
    """
    try:
        import folder_paths  # noqa: PLC0415 - ComfyUI's module, present only inside it
    except ImportError:
        configured = os.environ.get(USER_DIR_ENV)
        return Path(configured).parent if configured else None
    try:
        return Path(folder_paths.get_user_directory())
    except Exception:  # noqa: BLE001 - an old or odd ComfyUI must not break the caller
        return None


def package_dir(name: str) -> Path | None:
    """The folder of the installed package ``name``, found without importing it."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):  # a broken parent, or a module without a spec
        return None
    locations = None if spec is None else spec.submodule_search_locations
    return Path(next(iter(locations))) if locations else None
