"""Node packs with the node classes ComfyUI-Manager's node map (extension-node-map.json) lists
for them: real names and stars, a few classes each, as a database source brings them.

Chosen for what the pack behind a node has to get right: ``VHS_LoadVideo`` in two packs,
``PreViewVideo`` in two, ``SAM2Segment`` and ``Sam2Segment`` spelled differently by two packs,
a class with a slash and one with spaces and brackets, and ``Flux``, a node class that is
also a word people search for.
"""

from __future__ import annotations

from typing import Any

from nodes.core.catalog import FunctionSource
from nodes.core.model import Resource, SourceResult
from nodes.core.validate import Location, require_resource

SOURCE = "nodemap"


def _pack(pack_id: str, name: str, url: str, stars: int, *types: str) -> dict[str, Any]:
    return {
        "id": pack_id,
        "name": name,
        "url": url,
        "category": "video",
        "kind": "node-pack",
        "stars": stars,
        "pack_id": pack_id,
        "install_type": "git-clone",
        "files": [url],
        "node_types": list(types),
    }


NODE_PACKS: tuple[dict[str, Any], ...] = (
    _pack(
        "comfyui-videohelpersuite",
        "ComfyUI-VideoHelperSuite",
        "https://github.com/Kosinkadink/ComfyUI-VideoHelperSuite",
        1772,
        "VHS_LoadVideo",
        "VHS_VideoCombine",
        "VHS_AudioToVHSAudio",
    ),
    _pack(
        "comfyui-s3-io",
        "ComfyUI-S3-IO",
        "https://github.com/olduvai-jp/ComfyUI-S3-IO",
        4,
        "LoadImageS3",
        "SaveImageS3",
        "VHS_AudioToVHSAudio",
        "VHS_LoadVideo",
    ),
    _pack(
        "comfy-mtb",
        "MTB Nodes",
        "https://github.com/melMass/comfy_mtb",
        725,
        "Animation Builder (mtb)",
        "Batch Float (mtb)",
    ),
    _pack(
        "comfyui-rmbg",
        "ComfyUI-RMBG",
        "https://github.com/1038lab/ComfyUI-RMBG",
        2077,
        "AILab_ColorInput",
        "SAM2Segment",
    ),
    _pack(
        "comfyui-grounding",
        "ComfyUI-Grounding",
        "https://github.com/PozzettiAndrea/ComfyUI-Grounding",
        47,
        "GroundingDetector",
        "Sam2Segment",
    ),
    _pack(
        "comfyui-mana-nodes",
        "ComfyUI-Mana-Nodes",
        "https://github.com/ForeignGods/ComfyUI-Mana-Nodes",
        249,
        "Save/Preview Text",
        "Combine Video",
    ),
    _pack(
        "comfyui-hallo",
        "ComfyUI-Hallo",
        "https://github.com/AIFSH/ComfyUI-Hallo",
        304,
        "HalloNode",
        "PreViewVideo",
    ),
    _pack(
        "comfyui-diffsynth-studio",
        "ComfyUI-DiffSynth-Studio",
        "https://github.com/AIFSH/ComfyUI-DiffSynth-Studio",
        101,
        "DiffTextNode",
        "PreViewVideo",
    ),
    _pack(
        "comfyui-grok-prompts",
        "Grok Prompts",
        "https://github.com/babydjac/comfyui-grok-prompts",
        3,
        "Flux",
    ),
    _pack("x-flux-comfyui", "x-flux-comfyui", "https://github.com/XLabs-AI/x-flux-comfyui", 1700),
)


def node_packs() -> tuple[Resource, ...]:
    """:data:`NODE_PACKS` through the rules a database's entries pass."""
    return tuple(
        require_resource(raw, Location("extension-node-map.json"), source=SOURCE, database=True)
        for raw in NODE_PACKS
    )


def node_map_source() -> FunctionSource:
    """A source of :func:`node_packs`, as ComfyUI-Manager's database would be."""
    return FunctionSource(SOURCE, lambda: "1", lambda: SourceResult(SOURCE, node_packs()))
