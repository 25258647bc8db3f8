"""Fixtures for the HTTP tier: a sample catalogue, a pack on it, and a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nodes.app.pack import Pack
from tests.helpers.live import LiveServer, comfy_app


@pytest.fixture
def pack(tmp_path: Path, data_dir: Path) -> Pack:
    """A pack on the sample data with an empty user folder."""
    return Pack(user_dir=tmp_path / "user", data_dir=data_dir)


@pytest.fixture
def api(pack: Pack) -> Iterator[LiveServer]:
    """The pack's routes served on 127.0.0.1."""
    with LiveServer(comfy_app(lambda: pack)) as server:
        yield server
