"""The pure core: records, domain errors, URL and validation rules, YAML, files, the
catalogue and the query engine.

No aiohttp, no ComfyUI, no network: it runs and is tested anywhere.
"""
