"""The pack's one logger."""

from __future__ import annotations

import logging

from nodes.core.log import logger


class TestLogger:
    """Everything the pack logs goes through one named logger ComfyUI configures."""

    def test_name(self) -> None:
        """The logger is named after the pack, not after a module."""
        assert logger is logging.getLogger("awesome_comfyui_beyond")
        assert logger.name == "awesome_comfyui_beyond"
