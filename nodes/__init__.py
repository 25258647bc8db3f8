"""Awesome ComfyUI Beyond: a curated catalogue of ComfyUI resources, its query engine and nodes.

The subpackages are the layers of the data flow, each importing only those below it
(``lint-imports`` keeps the contracts in ``pyproject.toml``):

- :mod:`.comfy` and :mod:`.cli`: the faces. The node classes and the registration of the
  routes inside ComfyUI; the curator's command line.
- :mod:`.server`: the HTTP API: route table, handlers, JSON responses and the mapping of
  domain errors to statuses, the OpenAPI document.
- :mod:`.app`: the running pack (its sources, settings and the user's data) and what every
  face shares: the service answers (search with the user's marks, categories, sources),
  refreshes and link checks, what the nodes show.
- :mod:`.sources`: where resources come from (curated YAML, the user's entries and
  favourites, ComfyUI-Manager, the Comfy Registry, awesome-list Markdown, installed packs).
- :mod:`.net`: the network guard, guarded downloads with their cached copies, link checks.
- :mod:`.core`: pure Python with no aiohttp and no ComfyUI: records, domain errors, URL
  rules, validation, YAML with line numbers, files, the merged catalogue and the query
  engine.

Imports are relative because inside ComfyUI the absolute name ``nodes`` is ComfyUI's own
module.
"""
