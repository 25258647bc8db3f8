"""Table rows as entries: the row's first link, its other text cells as the description."""

from __future__ import annotations

import re

from .inline import Token, links, plain, tokens
from .items import Entry, is_badge
from .names import is_decoration, strip_decoration

# Link texts that say what a link does rather than what it is: in a table row, the row's
# first text cell names the entry instead.
GENERIC_LINK_TEXTS = frozenset(
    [
        "code",
        "demo",
        "docs",
        "documentation",
        "download",
        "github",
        "here",
        "home",
        "homepage",
        "link",
        "paper",
        "repo",
        "repository",
        "site",
        "source",
        "visit",
        "web",
        "website",
    ]
)
_DELIMITER_ROW_RE = re.compile(r"^\|?(?:[ \t]*:?-+:?[ \t]*\|)*[ \t]*:?-+:?[ \t]*\|?[ \t]*$")


def row_entry(row: str) -> Entry | None:
    """The entry a table row (a line starting with ``|``) holds, or ``None``.

    >>> row_entry("| KJNodes | [Download](https://kj.org) | Handy |")
    Entry(name='KJNodes', url='https://kj.org', description='Handy', tags=[], meta={})
    """
    row = row.strip()
    if _DELIMITER_ROW_RE.match(row):
        return None
    cells = [tokens(cell) for cell in _split_cells(row)]
    for index, found in enumerate(cells):
        for start, end in links(found):
            inner = found[start + 1 : end]
            name = plain(inner).strip()
            url = found[end][1]
            if is_badge(inner, name, url):
                continue
            return _entry(cells, index, start, end, name, url)
    return None


def _split_cells(row: str) -> list[str]:
    """Split a table row at unescaped pipes."""
    cells: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(row):
        c = row[i]
        if c == "\\" and i + 1 < len(row):
            current.append(row[i : i + 2])
            i += 2
            continue
        if c == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(c)
        i += 1
    cells.append("".join(current))
    return cells[1:] if row.startswith("|") else cells


def _entry(
    cells: list[list[Token]], index: int, start: int, end: int, name: str, url: str
) -> Entry:
    texts = [strip_decoration(plain(found)) for found in cells]
    rest = strip_decoration(plain(cells[index][:start] + cells[index][end + 1 :]))
    texts[index] = rest
    if is_decoration(name) or strip_decoration(name).lower() in GENERIC_LINK_TEXTS:
        other = next((i for i, t in enumerate(texts) if i != index and not is_decoration(t)), None)
        if other is not None:
            name = texts[other]
            texts[other] = ""
    if is_decoration(name):
        name = ""
    description = "; ".join(t for t in texts if not is_decoration(t))
    return Entry(name, url, description)
