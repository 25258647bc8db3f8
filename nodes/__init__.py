"""Awesome ComfyUI Beyond: a curated catalogue of ComfyUI resources, its query engine and nodes.

Everything in this package except :mod:`.comfy_nodes` and :mod:`.routes` is pure Python
with no ComfyUI import, so it runs and is tested anywhere. Imports are relative because
inside ComfyUI the absolute name ``nodes`` is ComfyUI's own module.
"""
