"""Fixtures for the end-to-end tier: one real ComfyUI per session, skipped when there is none.

When no ComfyUI is found every test here skips from the same place, so pytest prints one
line: ``SKIPPED [n] tests/e2e/conftest.py:..: e2e: no ComfyUI found (...)``. When a test
fails, the logs of the ComfyUI servers that ran during it are attached to the report.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import AbstractContextManager
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

_TEST_STARTED = pytest.StashKey[float]()


def pytest_configure(config: pytest.Config) -> None:
    if not any(str(line).startswith("e2e:") for line in config.getini("markers")):
        config.addinivalue_line(
            "markers",
            "e2e: needs a real ComfyUI (COMFYUI_DIR / COMFYUI_PYTHON); "
            "skips with a clear message otherwise",
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
