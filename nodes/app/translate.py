"""Search words in Chinese, read as the English the catalogue is written in.

The pack's own translations (``locales/<lang>/main.json``: tag, kind and category names)
say which Chinese words stand for which English ones; a query's Chinese words are replaced
by those before it is searched, so "视频" finds what "video" finds. Words with no known
translation stay as typed.
"""

from __future__ import annotations

import functools
import json
import re

from ..core.constants import MAX_TEXT
from ..core.files import PACK_ROOT
from ..core.log import logger

LOCALES = PACK_ROOT / "locales"
_CJK_RE = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_SECTIONS = ("tags", "kinds", "categories")


@functools.cache
def vocabulary(lang: str = "zh") -> tuple[tuple[str, str], ...]:
    """(translated word, English words) pairs, longest first; empty when unreadable."""
    try:
        local = _names(lang)
        english = _names("en")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        logger.warning("search words in %s are not translated: %s", lang, exc)
        return ()
    pairs: dict[str, str] = {}
    for section in _SECTIONS:
        for key, word in local[section].items():
            meaning = english[section].get(key) or key
            if _CJK_RE.search(str(word)):
                pairs.setdefault(str(word).strip(), str(meaning).replace("-", " "))
    return tuple(sorted(pairs.items(), key=lambda pair: -len(pair[0])))


def _names(lang: str) -> dict[str, dict[str, str]]:
    path = LOCALES / lang / "main.json"
    data = json.loads(path.read_text(encoding="utf-8"))["awesomeBeyond"]
    return {section: dict(data[section]) for section in _SECTIONS}


def english_query(text: str, lang: str = "zh") -> str:
    """``text`` with the Chinese words the pack knows replaced by their English meaning.

    >>> english_query("video upscale")
    'video upscale'
    """
    if not _CJK_RE.search(text):
        return text
    for word, meaning in vocabulary(lang):
        if word in text:
            text = text.replace(word, f" {meaning} ")
    return " ".join(text.split())[:MAX_TEXT]
