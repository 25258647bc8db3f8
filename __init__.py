"""Awesome ComfyUI Beyond: browse, search and filter a curated catalogue of ComfyUI resources.

ComfyUI imports this file from ``custom_nodes/<folder>``. It only wires things up: the
catalogue loads on first use, never here, and a failure to add the HTTP routes is
logged without stopping the nodes from loading.
"""

from .nodes.comfy.node_classes import NODE_CLASS_MAPPINGS, NODE_DISPLAY_NAME_MAPPINGS
from .nodes.core.log import logger

WEB_DIRECTORY = "./web"

try:
    from .nodes.comfy.register import register_with_comfyui

    register_with_comfyui()
except Exception:  # noqa: BLE001 - a broken API must not cost the user the nodes
    logger.exception("Awesome ComfyUI Beyond: the sidebar's HTTP API could not be added")

__all__ = ["NODE_CLASS_MAPPINGS", "NODE_DISPLAY_NAME_MAPPINGS", "WEB_DIRECTORY"]
