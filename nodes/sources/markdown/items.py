"""List items as entries: the leading link (or bare URL), then description, tags and metadata."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ...core.validate import TAG_RE
from .inline import Token, links, plain, tokens, without_link_prefixes
from .names import is_decoration, on_host

_SEPARATORS = "-\u2013\u2014:"
_TASK_RE = re.compile(r"^\[[ xX]\][ \t]+")
_BARE_URL_RE = re.compile(r"^(https?://[^\s<>]+)", re.IGNORECASE)
_ANY_URL_RE = re.compile(r"https?://\S", re.IGNORECASE)
_META_PART_RE = re.compile(r"^\s*([a-z]+)\s*:\s*(\S+)\s*$")
_BOLD_LEAD_RE = re.compile(r"^(\*\*|__)(?P<name>(?:(?!\1).)+?)\1(?P<rest>.*)$")
_STAR = "\u2b50\u2605\u2606\U0001f31f"  # ⭐ ★ ☆ 🌟
_COUNT = r"\+?[ \t]*\d[\d,.]*[ \t]*[kKmM]?"
# A star counter some generated lists put before or after a description: "(⭐+255):",
# "⭐ 1.2k", "(★ 300)".
_LEADING_STARS_RE = re.compile(
    rf"^\(?[ \t]*[{_STAR}]\ufe0f?[ \t]*{_COUNT}[ \t]*\)?[ \t]*[:\-\u2013\u2014]?[ \t]*"
)
_TRAILING_STARS_RE = re.compile(rf"[ \t]*\(?[ \t]*[{_STAR}]\ufe0f?[ \t]*{_COUNT}[ \t]*\)?[ \t]*$")
_LEADING_NOISE = " \t-\u2013\u2014:=>|\u2192"  # separators and arrows a list puts before text

# Why a linked list item or table row is no entry (the summary counts them by these).
SECTION_LINK = "link to a section of this page"
BADGE = "badge"
INSIDE_TEXT = "link inside running text (the item does not start with it)"
RELATIVE = "relative link"
NOT_HTTP = "not an http(s) link"
BAD_URL = "invalid URL"
INVALID = "invalid entry"
DUPLICATE = "duplicate"
# What became of one linked line: (line, the link's text or URL, why it is no entry or "").
Outcome = tuple[int, str, str]


@dataclass
class Entry:
    """One candidate resource read from a line, before validation.

    ``kind`` is what the list says the entry is (a table's type column), ``fields`` holds
    the other columns a table may give (author, stars, updated), and ``skip`` says why a
    linked line is no entry (a badge, a link inside prose).
    """

    name: str
    url: str
    description: str = ""
    tags: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    kind: str = ""
    fields: dict[str, object] = field(default_factory=dict)
    skip: str = ""


def list_entry(content: str) -> Entry | None:
    """The entry a list item's first line holds, or ``None`` when it holds no link at all.

    >>> entry = list_entry("[KJ](https://kj.org) - Handy. `utils` <!-- id: kj -->")
    >>> entry.name, entry.url, entry.description, entry.tags, entry.meta
    ('KJ', 'https://kj.org', 'Handy.', ['utils'], {'id': 'kj'})
    >>> list_entry("**https://github.com/a/b** (⭐+255): = Nodes.").description
    'Nodes.'
    >>> list_entry("See [the docs](https://x.org).").skip
    'link inside running text (the item does not start with it)'
    """
    content = _TASK_RE.sub("", content)
    entry = _leading_entry(content)
    if entry is not None:
        return entry
    bold = _BOLD_LEAD_RE.match(content)
    if bold is not None:
        rest = bold.group("rest").lstrip(_LEADING_NOISE)
        inner = _leading_entry(rest) if rest else None
        name = plain(tokens(bold.group("name"))).strip()
        if inner is not None and not inner.skip and name and not is_decoration(name):
            inner.name = name  # "**Name**: https://url - text" names the entry in bold
            return inner
    found = tokens(content)
    pairs = links(found)
    if pairs:
        first, end = pairs[0]
        label = plain(found[first + 1 : end]).strip()
        skip = BADGE if is_badge(found[first + 1 : end], label, found[end][1]) else INSIDE_TEXT
        return Entry(label, found[end][1], skip=skip)
    text = plain(found)
    url = _ANY_URL_RE.search(text)
    if url is not None or any(kind == "auto" for kind, _ in found):
        shown = _trim_autolink(text[url.start() :].split()[0]) if url is not None else ""
        return Entry("", shown, skip=INSIDE_TEXT)
    return None


def _leading_entry(content: str) -> Entry | None:
    """The entry when the item starts with its link or URL (emphasis and emoji before it
    allowed), else ``None``."""
    lead = content.lstrip("*_")
    bare = _BARE_URL_RE.match(lead)
    if bare is not None:
        url = _trim_autolink(bare.group(1))
        rest = lead[len(url) :]
        if len(lead) != len(content):
            rest = rest.lstrip("*_")  # the markers that close "**https://...**"
        description, tags, meta = tail(tokens(rest))
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
        return Entry(name, found[end][1], skip=BADGE)
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
    """Split what follows an entry's link into description, tags and metadata.

    A line with metadata (``<!-- id: x, kind: y -->``, as :mod:`.render` writes) is read
    exactly; on any other line the noise lists put around a description goes: star
    counters, separators and arrows, ComfyUI-Manager's ``a/`` link-text prefixes.
    """
    found = without_link_prefixes(found)
    meta: dict[str, str] = {}
    _rstrip(found)
    if found and found[-1][0] == "comment":
        meta = _metadata(found.pop()[1])
        _rstrip(found)
    tags: list[str] = []
    while found and found[-1][0] == "code" and TAG_RE.fullmatch(found[-1][1]):
        before = found[-2] if len(found) > 1 else None
        if before is not None and not (before[0] == "text" and before[1][-1].isspace()):
            break
        tags.append(found.pop()[1])
        _rstrip(found)
    tags.reverse()
    description = plain(found).lstrip()
    if meta:
        if description[:1] in _SEPARATORS:
            description = description[1:]
        return description.strip(), tags, meta
    return clean_description(description), tags, meta


def clean_description(text: str) -> str:
    """A description without the star counters and separators lists put around it.

    >>> clean_description("(⭐+255): = Loads videos. ⭐ 1.2k")
    'Loads videos.'
    """
    text = _LEADING_STARS_RE.sub("", text.lstrip(_LEADING_NOISE))
    text = _TRAILING_STARS_RE.sub("", text.lstrip(_LEADING_NOISE))
    return text.strip()


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
