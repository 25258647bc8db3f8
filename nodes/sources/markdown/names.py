"""What an entry is called and what it is: decoration stripped, slugs, names and kinds from URLs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from ...core.urls import github_repo

MAX_NAME = 120
_KEYCAP_RE = re.compile("[0-9#*]\ufe0f?\u20e3")
_DECORATION = frozenset({"So", "Sk", "Mn", "Me", "Cf", "Zs"})
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_HUB_HOSTS = ("huggingface.co", "hf.co", "civitai.com")
_VIDEO_HOSTS = ("youtube.com", "youtu.be")


def is_decoration(text: str) -> bool:
    """Whether text is only emoji, symbols, punctuation and spaces (no letters or digits)."""
    return not any(c.isalnum() for c in _KEYCAP_RE.sub("", text))


def strip_decoration(text: str) -> str:
    """Drop leading and trailing emoji, symbols and spaces (``"🚀 Video ✨"`` → ``"Video"``)."""
    text = _KEYCAP_RE.sub(" ", text)
    start, end = 0, len(text)
    while start < end and unicodedata.category(text[start]) in _DECORATION:
        start += 1
    while end > start and unicodedata.category(text[end - 1]) in _DECORATION:
        end -= 1
    return " ".join(text[start:end].split())


def slugify(text: str) -> str:
    """An id-shaped slug of a heading: ASCII letters and digits joined by ``-``.

    >>> slugify("🌟 What's Hot in 2024-2025")
    'whats-hot-in-2024-2025'
    >>> slugify("Face & Portrait Mastery")
    'face-portrait-mastery'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"['\u2019]", "", ascii_text.lower())).strip("-")
    return slug[:80].rstrip("-")


def guess_kind(url: str, name: str = "") -> str:
    """Guess a resource's kind from its URL (and name), for lists that do not say.

    Hugging Face and Civitai pages are models, YouTube is tutorials, documentation hosts
    and wikis are docs, GitHub repositories with "comfy" in their name or URL are node
    packs; everything else, other repositories included, is a tool.

    >>> guess_kind("https://github.com/kijai/ComfyUI-KJNodes")
    'node-pack'
    >>> guess_kind("https://huggingface.co/black-forest-labs/FLUX.1-dev")
    'model'
    >>> guess_kind("https://docs.comfy.org/get_started")
    'docs'
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    if on_host(host, _HUB_HOSTS):
        return "model"
    if on_host(host, _VIDEO_HOSTS):
        return "tutorial"
    segments = set(parts.path.lower().split("/"))
    if (
        host.startswith(("docs.", "wiki."))
        or on_host(host, ("readthedocs.io", "readthedocs.org"))
        or not segments.isdisjoint(("docs", "wiki", "documentation"))
    ):
        return "docs"
    if github_repo(url) is not None and "comfy" in f"{name} {url}".lower():
        return "node-pack"
    return "tool"


def on_host(host: str, domains: Iterable[str]) -> bool:
    """Whether ``host`` is one of ``domains`` or below one of them."""
    return any(host == d or host.endswith("." + d) for d in domains)


def name_from_url(url: str) -> str:
    """A name for an entry whose link has no text: the repository, else the last path part."""
    repo = github_repo(url)
    if repo is not None:
        return repo[1][:MAX_NAME]
    parts = urlsplit(url)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    name = segments[-1] if segments else (parts.hostname or url).removeprefix("www.")
    return name.strip()[:MAX_NAME] or url[:MAX_NAME]


def link_kind(url: str) -> str:
    """``anchor`` (``#...``), ``relative``, ``http`` (http or https) or ``other``."""
    if url.startswith("#"):
        return "anchor"
    scheme = _SCHEME_RE.match(url)
    if scheme is None:
        return "relative"
    return "http" if scheme.group(1).lower() in ("http", "https") else "other"
