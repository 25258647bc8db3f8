"""Awesome ComfyUI Beyond: a curated catalogue of ComfyUI resources, its query engine and nodes.

The subpackages are the layers of the data flow, each importing only those below it
(``lint-imports`` keeps the contracts in ``pyproject.toml``):

- :mod:`.comfy` and :mod:`.cli`: the faces. Node classes and route registration inside
  ComfyUI; the curator's command line.
- :mod:`.server`: the HTTP API (route table, handlers, OpenAPI document).
- :mod:`.app`: the running pack: its sources, settings, user data and the actions every
  face shares.
- :mod:`.sources`: where resources come from (curated YAML, the user's entries,
  ComfyUI-Manager, the Comfy Registry, awesome-list Markdown, installed packs).
- :mod:`.net`: guarded downloads, the cache of remote copies, link checks.
- :mod:`.core`: pure Python with no aiohttp and no ComfyUI: records, URL rules,
  validation, YAML, the merged catalogue and the query engine.

Imports are relative because inside ComfyUI the absolute name ``nodes`` is ComfyUI's own
module.
"""
