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
_WORD_RE = re.compile(r"[a-z0-9]+")
# What lists write in a "Type" column, word by word, and the kind each word means.
_TYPE_WORDS = {
    **dict.fromkeys(["node", "nodes", "extension", "extensions", "plugin", "addon"], "node-pack"),
    **dict.fromkeys(["model", "models", "checkpoint", "checkpoints", "lora", "loras"], "model"),
    **dict.fromkeys(["weights", "vae", "controlnet", "embedding", "upscaler"], "model"),
    **dict.fromkeys(["workflow", "workflows", "template", "templates"], "workflow"),
    **dict.fromkeys(["tool", "tools", "app", "application", "software", "library"], "tool"),
    **dict.fromkeys(["cli", "script", "utility", "frontend", "ui", "desktop"], "tool"),
    **dict.fromkeys(["platform", "service", "cloud", "hosting", "api", "saas"], "platform"),
    **dict.fromkeys(["docs", "documentation", "wiki", "reference", "manual"], "docs"),
    **dict.fromkeys(["tutorial", "tutorials", "course", "courses", "guide", "guides"], "tutorial"),
    **dict.fromkeys(["video", "videos", "youtube", "playlist", "channel", "article"], "tutorial"),
    **dict.fromkeys(["blog", "book", "learning", "lesson", "lessons"], "tutorial"),
    **dict.fromkeys(["community", "discord", "forum", "reddit", "subreddit", "group"], "community"),
}
_VIDEO_HOSTS = ("youtube.com", "youtu.be")
_COMMUNITY_HOSTS = ("reddit.com", "discord.com", "discord.gg")


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

    Hugging Face and Civitai pages are models, YouTube is tutorials, Reddit and Discord are
    community, documentation hosts
    and wikis are docs, GitHub repositories with "comfy" in their name or URL are node
    packs, and so are GitHub repositories named "...-nodes"; everything else, other
    repositories included, is a tool. Lists that say what an entry is (a type column)
    and the catalogue in use come first: see :mod:`.parse`.

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
    if on_host(host, _COMMUNITY_HOSTS):
        return "community"
    segments = set(parts.path.lower().split("/"))
    if (
        host.startswith(("docs.", "wiki."))
        or on_host(host, ("readthedocs.io", "readthedocs.org"))
        or not segments.isdisjoint(("docs", "wiki", "documentation"))
    ):
        return "docs"
    repo = github_repo(url)
    if repo is not None and (
        "comfy" in f"{name} {url}".lower()
        or not {"node", "nodes"}.isdisjoint(_WORD_RE.findall(repo[1].lower()))
    ):
        return "node-pack"
    return "tool"


def kind_from_type(text: str) -> str:
    """The kind a table's type column names (``"Custom Node"``, ``"YouTube"``), or ``""``.

    The last word that names a kind decides, as the head of a compound does ("Video
    Model" is a model); words that name none are passed over.

    >>> kind_from_type("Custom Node"), kind_from_type("YouTube"), kind_from_type("Video Model")
    ('node-pack', 'tutorial', 'model')
    >>> kind_from_type("Misc")
    ''
    """
    for word in reversed(_WORD_RE.findall(text.lower())):
        if word in _TYPE_WORDS:
            return _TYPE_WORDS[word]
    return ""


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
