"""The pure core: records, URL and validation rules, YAML, the catalogue, the query engine.

No aiohttp, no ComfyUI, no network: it runs and is tested anywhere.
"""
