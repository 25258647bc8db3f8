"""Fixtures for the end-to-end tier: one real ComfyUI per session, skipped when there is none.

When no ComfyUI is found every test here skips from the same place, so pytest prints one
line: ``SKIPPED [n] tests/e2e/conftest.py:..: e2e: no ComfyUI found (...)``; tests marked
``manager`` skip the same way, in one line, when no ComfyUI-Manager tree is found. When a
test fails, the logs of the ComfyUI servers that ran during it are attached to the report.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.comfy_server import (
    ComfyInstall,
    ComfyServer,
    ComfyUIError,
    find_comfyui,
    running_comfyui,
    servers_active_since,
    skip_reason,
)
from tests.e2e.manager_env import find_manager, manager_skip_reason, missing_tools

_TEST_STARTED = pytest.StashKey[float]()


def pytest_configure(config: pytest.Config) -> None:
    if not any(str(line).startswith("e2e:") for line in config.getini("markers")):
        config.addinivalue_line(
            "markers",
            "e2e: needs a real ComfyUI (COMFYUI_DIR / COMFYUI_PYTHON); "
            "skips with a clear message otherwise",
        )
    if not any(str(line).startswith("manager:") for line in config.getini("markers")):
        config.addinivalue_line(
            "markers",
            "manager: needs a real ComfyUI-Manager tree too (COMFYUI_MANAGER_DIR, or next to "
            "the e2e ComfyUI); skips with one clear line otherwise",
        )


@functools.cache
def _install() -> ComfyInstall | None:
    return find_comfyui()


@pytest.fixture(scope="session")
def comfyui_install() -> ComfyInstall:
    """The ComfyUI under test (found, or every test here was skipped before setup)."""
    install = _install()
    if install is None:  # pragma: no cover - pytest_runtest_setup skipped already
        pytest.skip(skip_reason())
    return install


@functools.cache
def _manager() -> Path | None:
    install = _install()
    return None if install is None else find_manager(install)


@pytest.fixture(scope="session")
def manager_tree() -> Path:
    """The ComfyUI-Manager source tree (found, or every ``manager`` test was skipped)."""
    tree = _manager()
    if tree is None:  # pragma: no cover - pytest_runtest_setup skipped already
        pytest.skip(manager_skip_reason(_install()))
    return tree


@pytest.fixture(scope="session")
def comfy(
    comfyui_install: ComfyInstall, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ComfyServer]:
    """One ComfyUI (pinned frontend) shared by most tests; its user dir is under pytest's tmp."""
    base = tmp_path_factory.mktemp("comfy-session")
    problem = ""
    try:
        with running_comfyui(user_dir=base / "user", install=comfyui_install) as server:
            yield server
    except ComfyUIError as exc:
        problem = str(exc)
    if problem:
        pytest.fail(problem, pytrace=False)


@pytest.fixture
def comfy_factory(
    comfyui_install: ComfyInstall,
) -> Callable[..., AbstractContextManager[ComfyServer]]:
    """Start extra servers inside a test: ``with comfy_factory(user_dir=...) as server:``."""

    def start(**kwargs: Any) -> AbstractContextManager[ComfyServer]:
        return running_comfyui(install=comfyui_install, **kwargs)

    return start


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[_TEST_STARTED] = time.monotonic()
    if _install() is None:
        # Raised here, not in a fixture, so that every skip has this one location and
        # pytest folds them into one summary line.
        pytest.skip(skip_reason())
    if item.get_closest_marker("manager") is not None:
        if _manager() is None:
            pytest.skip(manager_skip_reason(_install()))
        missing = missing_tools()
        if missing:
            pytest.skip(f"e2e (ComfyUI-Manager): {missing}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed:
        since = item.stash.get(_TEST_STARTED, 0.0)
        for server in servers_active_since(since):
            report.sections.append(
                (f"ComfyUI log ({server.describe()}), last lines", server.log_tail())
            )
    return report
