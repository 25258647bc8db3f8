"""Fixtures for the contract tier: the pack imported as ComfyUI imports it, and a set pack."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from nodes.app.pack import Pack, set_pack

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def module_name() -> Iterator[str]:
    """A fresh module name, built the way ComfyUI names a pack; removed from sys.modules after."""
    name = f"{ROOT}-{uuid.uuid4().hex}".replace(".", "_x_")
    yield name
    for key in [k for k in sys.modules if k == name or k.startswith(f"{name}.")]:
        del sys.modules[key]


@pytest.fixture
def pack(tmp_path: Path, data_dir: Path) -> Iterator[Pack]:
    """The process-wide pack, on the sample data, for the nodes; unset afterwards."""
    current = Pack(user_dir=tmp_path / "user", data_dir=data_dir)
    set_pack(current)
    yield current
    set_pack(None)
