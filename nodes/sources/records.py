"""Records from other databases (ComfyUI-Manager, the Comfy Registry) made catalogue-shaped.

Their text is cleaned here and their validity decided by :mod:`.validate`. A record that
fails is reported and skipped, and of records that name the same id or URL the first is
kept; the problems say "skipped" so that a curator knows the record was left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from ..core.model import Problem, Resource, SourceResult
from ..core.validate import (
    BIDI_CONTROLS,
    MAX_STARS,
    MAX_TAGS,
    TAG_RE,
    Location,
    without_duplicates,
)

_SPACE_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_BIDI_RE = re.compile(f"[{BIDI_CONTROLS}]+")
_TAG_UNSAFE_RE = re.compile(r"[^a-z0-9+._-]+")


def clean_text(value: object, limit: int) -> str:
    """Collapse white space and control characters, drop characters that reorder text on
    screen (U+202A-U+202E, U+2066-U+2069); cut at ``limit`` with an ellipsis.

    >>> clean_text("  Two\\nlines\\t here ", 100)
    'Two lines here'
    >>> clean_text("abcdefgh", 5)
    'abcd…'
    >>> clean_text(None, 5), clean_text("a\\u202eb", 5)
    ('', 'ab')
    """
    if not isinstance(value, str):
        return ""
    text = _SPACE_RE.sub(" ", _BIDI_RE.sub("", value)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean_tags(values: object) -> list[str]:
    """Turn free-form tags into catalogue tags; drop what cannot be one.

    >>> clean_tags(["Object Recognition", "Flux", "flux", 3, "!!"])
    ['object-recognition', 'flux']
    """
    if not isinstance(values, list):
        return []
    tags: list[str] = []
    for value in values:
        if not isinstance(value, str):
            continue
        tag = _TAG_UNSAFE_RE.sub("-", value.strip().lower()).strip("-")[:32]
        if TAG_RE.fullmatch(tag) and tag not in tags:
            tags.append(tag)
    return tags[:MAX_TAGS]


def count(value: object) -> int | None:
    """A JSON whole number that is not negative (``true`` is not one), else ``None``.

    >>> count(3), count(0), count(-1), count(True), count("3"), count(2.0)
    (3, 0, None, None, None, None)
    """
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def stars(value: object) -> int | None:
    """A star count the catalogue takes (whole, 0 to :data:`MAX_STARS`), else ``None``.

    >>> stars(42), stars(-1), stars("abc"), stars(10**12), stars(1.5)
    (42, None, None, None, None)
    """
    found = count(value)
    return found if found is not None and found <= MAX_STARS else None


def date(value: object) -> str | None:
    """The ISO date a text starts with (``2025-02-03 04:05:06`` gives ``2025-02-03``), else
    ``None``.

    >>> date("2025-02-03 04:05:06"), date("2025-99-99"), date(20250101), date("soon")
    ('2025-02-03', None, None, None)
    """
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            return None
    return None


def skipped(problem: Problem) -> Problem:
    """The same problem, saying that its record was left out."""
    return Problem(problem.file, problem.line, problem.field, f"{problem.message}; skipped")


def merged(
    source: str, entries: Iterable[tuple[Resource, Location]], problems: Iterable[Problem]
) -> SourceResult:
    """One source's result: the first record for each id and URL; every later one is skipped."""
    kept, duplicates = without_duplicates(entries)
    return SourceResult(
        source,
        tuple(r for r, _ in kept),
        (),
        (*problems, *(skipped(p) for p in duplicates)),
    )
