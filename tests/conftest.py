"""Shared fixtures for the tests: small data folders written for real, and the shared data.

``data_dir`` is the sample catalogue (:mod:`tests.helpers.sample_catalogue`) that the
HTTP, command-line, node and state tests share. ``catalog_dir`` is the curated loader's own
minimal folder, two entries whose every line the loader tests point at.

The ComfyUI-Manager database is GPL-3.0 and is never copied into this repository: tests
read it from ``shared/data/`` beside the checkout (or ``$AWESOME_SHARED_DATA``) and skip
with the reason when it is absent.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers.netservers import serve_in_thread
from tests.helpers.sample_catalogue import write_catalogue
from tests.helpers.upstream import Upstream

CATEGORIES_YAML = """\
categories:
  - id: tools
    name: Tools
    description: Things that help.
  - id: models
    name: Models
"""

RESOURCES_YAML = """\
resources:
  - id: alpha-pack
    name: Alpha Pack
    url: https://github.com/example/alpha-pack
    category: tools
    kind: node-pack
    description: Loads alpha channels.
    tags: [alpha, mask]
    author: example
  - id: beta-model
    name: Beta Model
    url: https://huggingface.co/example/beta
    category: models
    kind: model
    description: A small beta checkpoint.
    tags: [checkpoint]
"""


def shared_data_dir() -> Path:
    """``$AWESOME_SHARED_DATA``, else ``shared/data`` beside the repository checkout."""
    configured = os.environ.get("AWESOME_SHARED_DATA")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data folder; the test skips when it is absent."""
    folder = shared_data_dir()
    if not folder.is_dir():
        pytest.skip(f"shared data folder {folder} is absent; set AWESOME_SHARED_DATA to it")
    return folder


@pytest.fixture(scope="session")
def manager_dir(shared_data: Path) -> Path:
    """ComfyUI-Manager's real database (GPL-3.0, read in place, never copied)."""
    folder = shared_data / "comfyui-manager"
    if not (folder / "custom-node-list.json").is_file():
        pytest.skip(f"ComfyUI-Manager data is absent from {folder}; set AWESOME_SHARED_DATA")
    return folder


@pytest.fixture(scope="session")
def seed_readme(shared_data: Path) -> Path:
    """The Awesome-ComfyUI-Beyond README the curated catalogue grows from."""
    path = shared_data / "awesome-comfyui-beyond" / "README.md"
    if not path.is_file():
        pytest.skip(f"the seed list {path} is absent; set AWESOME_SHARED_DATA")
    return path


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The sample curated data folder."""
    return write_catalogue(tmp_path / "data")


@pytest.fixture
def custom_nodes(tmp_path: Path) -> Path:
    """An empty ComfyUI custom_nodes folder."""
    folder = tmp_path / "ComfyUI" / "custom_nodes"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def upstream() -> Upstream:
    """The local stand-in for the Registry, the Manager's files and the links."""
    return Upstream()


@pytest.fixture
def base(upstream: Upstream) -> Iterator[str]:
    """The base URL of :func:`upstream`, served on 127.0.0.1 for the test."""
    with serve_in_thread(upstream.app()) as url:
        yield url


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    """The curated loader's minimal folder: two categories, one file with two entries."""
    folder = tmp_path / "data"
    (folder / "resources").mkdir(parents=True)
    (folder / "categories.yaml").write_text(CATEGORIES_YAML, encoding="utf-8")
    (folder / "resources" / "main.yaml").write_text(RESOURCES_YAML, encoding="utf-8")
    return folder


@pytest.fixture
def write_resources(catalog_dir: Path) -> Callable[..., Path]:
    """Write a resource file into ``catalog_dir``: raw text, or entries dumped as YAML."""

    def write(content: str | list[dict[str, Any]], name: str = "extra.yaml") -> Path:
        path = catalog_dir / "resources" / name
        text = (
            content
            if isinstance(content, str)
            else yaml.safe_dump({"resources": content}, sort_keys=False, allow_unicode=True)
        )
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def resource_dict() -> Callable[..., dict[str, Any]]:
    """Make a valid raw resource entry; keyword arguments replace or add fields."""

    def make(**fields: Any) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": "gamma-tool",
            "name": "Gamma Tool",
            "url": "https://example.org/gamma",
            "category": "tools",
            "kind": "tool",
            "description": "Does gamma things.",
        }
        entry.update(fields)
        return entry

    return make


# mutmut runs the suite from a copy in mutants/, calling pytest several times in one
# process: there Hypothesis uses fewer, fixed examples, and its check that a test method
# always runs on the same instance (which those repeated sessions break) is switched off.
if Path(__file__).resolve().parents[1].name == "mutants":  # pragma: no cover - mutation runs
    import hypothesis.core
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "mutation", max_examples=25, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    settings.load_profile("mutation")
    _fail_health_check = hypothesis.core.fail_health_check

    def _tolerant(settings: Any, message: str, label: HealthCheck) -> None:
        if label is not HealthCheck.differing_executors:
            _fail_health_check(settings, message, label)

    hypothesis.core.fail_health_check = _tolerant
