"""pytest plugin for this repository's layout (tooling, not part of the pack).

Loaded with ``-p pytest_pack_layout`` from pyproject's addopts (``.ci`` is on
pytest's ``pythonpath``). The repository root is the ComfyUI pack folder, so it has
an ``__init__.py`` that ComfyUI imports as a package and whose imports are relative.
pytest derives module names from ``__init__.py`` files, which here climb to the
checkout folder, so without this plugin:

* a checkout named like an identifier (``main``, ``repo``) is imported as a package
  of that name: the pack's entry point runs during collection and every module of
  ``nodes/`` exists twice (``main.nodes.query`` beside ``nodes.query``), so doctests
  and tests see different classes and results depend on the folder name;
* any other checkout name (``my-pack``) makes pytest import the root ``__init__.py``
  on its own before every test, which fails on the relative imports.

With it, the root is collected as a plain directory, its ``__init__.py`` is never
collected, and ``nodes`` is always imported under the one name tests use
(``nodes.x``). Test directories must not be packages (no ``tests/__init__.py``).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

PACKAGE = "nodes"


def _folder_prefix(root: Path) -> str:
    """The dotted name pytest would give ``root`` when climbing ``__init__.py`` files."""
    names: list[str] = []
    for folder in (root, *root.parents):
        if not (folder / "__init__.py").is_file() or not folder.name.isidentifier():
            break
        names.append(folder.name)
    return ".".join(reversed(names))


class PackLayout:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.package_dir = root / PACKAGE
        self.prefix = _folder_prefix(root)

    def _alias(self, canonical: str) -> None:
        """Make pytest's name for ``canonical`` refer to the module tests import."""
        if not self.prefix:
            return
        alias = f"{self.prefix}.{canonical}"
        if alias in sys.modules:
            return
        try:
            module = importlib.import_module(canonical)
        except Exception:  # noqa: BLE001 - pytest imports it again and reports the error
            return
        sys.modules[alias] = module

    @pytest.hookimpl(tryfirst=True)
    def pytest_collect_directory(
        self, path: Path, parent: pytest.Collector
    ) -> pytest.Collector | None:
        if path == self.root:
            return pytest.Dir.from_parent(parent, path=path)
        if path == self.package_dir:
            self._alias(PACKAGE)
        elif not path.is_relative_to(self.package_dir) and (path / "__init__.py").is_file():
            # tests/x/__init__.py would make pytest import the pack root as a package.
            raise pytest.UsageError(
                f"{path / '__init__.py'}: test folders must not be packages here (the "
                "repository root is the pack's own package): delete that file"
            )
        return None

    @pytest.hookimpl(tryfirst=True)
    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector) -> None:
        if file_path.suffix == ".py" and file_path.is_relative_to(self.package_dir):
            parts = file_path.relative_to(self.root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            self._alias(".".join(parts))

    def pytest_ignore_collect(self, collection_path: Path) -> bool | None:
        if collection_path == self.root / "__init__.py":
            return True
        return None


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(PackLayout(config.rootpath), "pack-layout")
