"""The pack's one logger; ComfyUI's logging configuration decides where it goes."""

from __future__ import annotations

import logging

logger = logging.getLogger("awesome_comfyui_beyond")
