"""List items as entries: the leading link (or bare URL), then description, tags and metadata."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ...core.validate import TAG_RE
from .inline import Token, links, plain, tokens
from .names import is_decoration, on_host

_SEPARATORS = "-\u2013\u2014:"
_TASK_RE = re.compile(r"^\[[ xX]\][ \t]+")
_BARE_URL_RE = re.compile(r"^(https?://[^\s<>]+)", re.IGNORECASE)
_META_PART_RE = re.compile(r"^\s*([a-z]+)\s*:\s*(\S+)\s*$")


@dataclass
class Entry:
    """One candidate resource read from a line, before validation."""

    name: str
    url: str
    description: str = ""
    tags: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)


def list_entry(content: str) -> Entry | None:
    """The entry a list item's first line holds, or ``None`` when it holds none.

    >>> list_entry("[KJ](https://kj.org) - Handy. `utils` <!-- id: kj -->")
    Entry(name='KJ', url='https://kj.org', description='Handy.', tags=['utils'], meta={'id': 'kj'})
    """
    content = _TASK_RE.sub("", content)
    bare = _BARE_URL_RE.match(content)
    if bare is not None:
        url = _trim_autolink(bare.group(1))
        description, tags, meta = tail(tokens(content[len(url) :]))
        description = description.lstrip(",.;").strip()
        if description.startswith("(") and description.endswith(")"):
            description = description[1:-1].strip()
        if is_decoration(description):
            description = ""  # only the punctuation that ended a sentence
        return Entry("", url, description, tags, meta)
    found = tokens(content)
    if found and found[0][0] == "auto":
        description, tags, meta = tail(found[1:])
        return Entry("", found[0][1], description, tags, meta)
    pairs = links(found)
    if not pairs or not is_decoration(plain(found[: pairs[0][0]])):
        return None  # prose, or a link in the middle of a sentence
    first, end = pairs[0]
    inner = found[first + 1 : end]
    name = plain(inner).strip()
    if is_badge(inner, name, found[end][1]):
        return None
    description, tags, meta = tail(found[end + 1 :])
    return Entry(name, found[end][1], description, tags, meta)


def _trim_autolink(url: str) -> str:
    """Drop trailing punctuation that ends a sentence rather than the URL (as GitHub does)."""
    while url[-1] in ".,:;!?*_~'\"" or (url[-1] == ")" and url.count(")") > url.count("(")):
        url = url[:-1]
    return url


def is_badge(inner: Sequence[Token], name: str, url: str) -> bool:
    """A link whose text is only an image, or a link to a badge service."""
    if any(t[0] == "iopen" for t in inner) and is_decoration(name):
        return True
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False  # reported as a bad URL later
    return on_host(host, ("shields.io",))


def tail(found: list[Token]) -> tuple[str, list[str], dict[str, str]]:
    """Split what follows an entry's link into description, tags and metadata."""
    found = list(found)
    meta: dict[str, str] = {}
    _rstrip(found)
    if found and found[-1][0] == "comment":
        meta = _metadata(found.pop()[1])
        _rstrip(found)
    tags: list[str] = []
    while found and found[-1][0] == "code" and TAG_RE.match(found[-1][1]):
        before = found[-2] if len(found) > 1 else None
        if before is not None and not (before[0] == "text" and before[1][-1].isspace()):
            break
        tags.append(found.pop()[1])
        _rstrip(found)
    tags.reverse()
    description = plain(found).lstrip()
    if description[:1] in _SEPARATORS:
        description = description[1:]
    return description.strip(), tags, meta


def _rstrip(found: list[Token]) -> None:
    while found and found[-1][0] == "text" and not found[-1][1].strip():
        found.pop()


def _metadata(comment: str) -> dict[str, str]:
    """``id: x, kind: y`` from a trailing comment; anything else is only a comment."""
    meta: dict[str, str] = {}
    for part in comment.split(","):
        match = _META_PART_RE.match(part)
        if match is None:
            return {}
        meta[match.group(1)] = match.group(2)
    return meta
