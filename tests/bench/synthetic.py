"""A seeded synthetic catalogue for the scale benchmarks: the same seed gives the same entries.

Entries look like ComfyUI-Manager's: GitHub repositories named ``ComfyUI-<Words>`` by a
few thousand authors, descriptions drawn from a Zipf-like mix of the domain's words and
a long tail of rarer words, a few tags, stars with a heavy tail, dates over three years
and about one model in eleven entries. :func:`manager_files` writes the same entries in
the Manager's own format (node list + GitHub stats + model list), the bytes a
``json.loads`` baseline parses.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from itertools import accumulate

from nodes.core.model import Resource
from nodes.core.urls import canonical_url

# Words of the domain, most frequent first (they get the head of the Zipf distribution).
DOMAIN = """
comfyui node nodes image model custom workflow video generation support using based
lora prompt upscale text style control controlnet flux sdxl face mask latent sampler
animation audio depth segment inpaint load save batch tile tiled detail enhance
pipeline diffusion stable anything ipadapter clip vae unet conditioning noise seed
scheduler preview utility tools toolkit extension wrapper integration api llm ollama
gpt vision caption tagger translate 3d mesh point cloud hunyuan wan ltx mochi cogvideo
animatediff motion frame interpolation background removal rembg sam sam2 yolo detect
pose openpose dwpose hand body portrait swap reactor instantid pulid photomaker
restore gfpgan codeformer esrgan realesrgan resize crop color grading filter blur
sharpen noise reduction lut film grain pixel art sketch lineart canny normal map
tensorrt onnx quantize gguf fp8 nf4 memory offload speed fast optimized cache
math logic switch string list dictionary json math expression random number seed
prompt styler wildcard dynamic prompts regional attention couple area composition
outpaint expand fill erase remove object replace edit instruct pix2pix kontext
qwen florence llava blip moondream joycaption wd14 gemini claude openai anthropic
music speech tts voice clone whisper transcribe subtitle lip sync talking head
trellis triposr hunyuan3d gaussian splat nerf camera orbit multiview zero123
workflow manager installer downloader browser gallery viewer metadata exif png
"""
CATEGORIES = ("node-packs", "model-files")
MODEL_TYPES = ("checkpoint", "lora", "vae", "upscale", "controlnet", "clip", "unet", "taesd")
MODEL_BASES = ("sd1.5", "sdxl", "flux.1", "sd3", "wan", "hunyuan", "ltx", "qwen-image")
_SYLLABLES = tuple(
    "ka ro mi na to shi lu ve ra zen tek dra vo li mo gra phi syn neo flex bit "  # noqa: SIM905
    "pix lab dyn ax or el an ix um on qu ze ti pa do re fa so la si".split()
)
START = date(2023, 1, 1)
DAYS = 1430  # to late 2026


def _pseudo_word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))


def _camel(words: list[str]) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words)


def synthetic_resources(count: int, seed: int = 11) -> list[Resource]:
    """``count`` valid resources with unique ids and URLs, the same for the same seed."""
    rng = random.Random(f"{seed}:{count}")
    domain = DOMAIN.split()
    # A long tail of rarer words grows with the catalogue, as real vocabularies do.
    tail = sorted({_pseudo_word(rng) for _ in range(2000 + count // 4)})
    rng.shuffle(tail)
    words = domain + tail
    weights = list(accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(words))))
    tags = domain[:300]
    tag_weights = list(accumulate(1 / (rank + 1) for rank in range(len(tags))))
    authors = sorted(
        {
            _pseudo_word(rng) + rng.choice(("", "ai", "dev", "lab", "-x", "42"))
            for _ in range(max(count // 4, 50))
        }
    )
    found: list[Resource] = []
    seen: set[str] = set()
    while len(found) < count:
        author = rng.choice(authors)
        is_model = rng.random() < 1 / 11
        title_words = rng.choices(words, cum_weights=weights, k=rng.randint(1, 3))
        repo = ("ComfyUI-" if rng.random() < 0.6 else "") + _camel(title_words)
        if is_model:
            repo += rng.choice(("-v1", "-v2", "-XL", "-Turbo", "-fp8"))
        doc_id = f"{author}.{repo}".lower()
        if doc_id in seen or len(doc_id) > 80:
            continue
        seen.add(doc_id)
        url = f"https://github.com/{author}/{repo}"
        sentence = rng.choices(words, cum_weights=weights, k=rng.randint(6, 28))
        description = " ".join(sentence).capitalize() + "."
        chosen = sorted(set(rng.choices(tags, cum_weights=tag_weights, k=rng.randint(0, 4))))
        if is_model:
            chosen = sorted({rng.choice(MODEL_TYPES), rng.choice(MODEL_BASES)})
        stars = int(rng.paretovariate(1.1)) - 1 if rng.random() < 0.95 else None
        updated = (START + timedelta(days=rng.randrange(DAYS))).isoformat()
        found.append(
            Resource(
                id=doc_id,
                name=" ".join(title_words).title() if rng.random() < 0.3 else repo,
                url=url,
                category=CATEGORIES[is_model],
                kind="model" if is_model else "node-pack",
                description=description,
                tags=tuple(chosen),
                author=author,
                install_url="" if is_model else url,
                stars=stars,
                updated=updated,
                source="manager",
                canonical_url=canonical_url(url),
            )
        )
    return found


def manager_files(resources: list[Resource]) -> list[bytes]:
    """The same entries as ComfyUI-Manager's three files (node list, stats, model list)."""
    nodes, stats, models = [], {}, []
    for r in resources:
        if r.kind == "model":
            kind, base = (*r.tags, "", "")[:2]
            models.append(
                {
                    "name": r.name,
                    "type": kind,
                    "base": base,
                    "save_path": "default",
                    "description": r.description,
                    "reference": r.url,
                    "filename": f"{r.id}.safetensors",
                    "url": f"{r.url}/resolve/main/model.safetensors",
                    "size": "1.2GB",
                }
            )
            continue
        nodes.append(
            {
                "author": r.author,
                "title": r.name,
                "id": r.id,
                "reference": r.url,
                "files": [r.url],
                "install_type": "git-clone",
                "description": r.description,
                "tags": list(r.tags),
            }
        )
        stats[r.url] = {
            "stars": r.stars or 0,
            "last_update": f"{r.updated} 12:00:00",
            "author_account_age_days": 900,
        }
    return [
        json.dumps({"custom_nodes": nodes}, indent=4).encode(),
        json.dumps(stats, indent=4).encode(),
        json.dumps({"models": models}, indent=4).encode(),
    ]
