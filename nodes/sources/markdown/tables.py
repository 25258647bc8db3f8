"""Table rows as entries, read by column when the table has a header.

A header cell names what its column holds: the name, the link (a "Repo", "Link" or "URL"
column), the description, the type, the author, the stars, the last update or the licence.
The entry's link is the one in the link column, else the one in the name column, else the
first one outside the description; the type column says the kind; author, stars, update
and licence become those fields, never part of the description. A row of a table without
a header (or whose header names nothing) is read as before: its first link, its other
text cells as the description.
"""

from __future__ import annotations

import datetime as dt
import re

from ...core.validate import MAX_AUTHOR, MAX_LICENSE, MAX_STARS
from .inline import Token, links, plain, tokens, without_link_prefixes
from .items import BADGE, Entry, clean_description, is_badge
from .names import is_decoration, kind_from_type, strip_decoration

# Link texts that say what a link does rather than what it is: in a table row, the row's
# name cell (or first text cell) names the entry instead.
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
DESCRIPTION_LINK = "the row's only link is in its description, not in a name or link column"
_DELIMITER_ROW_RE = re.compile(r"^\|?(?:[ \t]*:?-+:?[ \t]*\|)*[ \t]*:?-+:?[ \t]*\|?[ \t]*$")
_WORD_RE = re.compile(r"[a-z0-9]+")
_STAR_SIGNS = "\u2b50\u2605\u2606\U0001f31f"


def _names(words: str, *phrases: str) -> frozenset[str]:
    return frozenset([*words.split(), *phrases])


# Header texts (lower case, words joined by one space) and the column each one names.
_HEADERS: dict[str, frozenset[str]] = {
    "description": _names(
        "description descriptions desc purpose about summary details notes note comment "
        "comments features function info remarks",
        *("what it does", "use case", "best for", "why it matters", "key feature"),
    ),
    "link": _names(
        "repo repos repository repositories link links url urls github source code homepage "
        "website site download downloads address",
        *("github link", "repo link", "repository url", "repo url"),
    ),
    "type": _names("type kind types", "resource type"),
    "author": _names(
        "author authors owner owners creator creators maintainer maintainers by developer "
        "publisher",
        *("made by", "created by"),
    ),
    "stars": _names("stars star stargazers", "github stars"),
    "updated": _names(
        "updated date modified",
        *("last update", "last updated", "last commit", "last modified", "updated at"),
        *("last release", "last activity"),
    ),
    "license": _names("license licence licenses licences"),
    "name": _names(
        "name names title node nodes extension extensions project projects tool tools model "
        "models resource resources package packages pack plugin plugins workflow workflows "
        "platform platforms app apps library item entry",
        *("node pack", "custom node", "custom nodes", "node name", "model name", "tool name"),
    ),
}
_FIELD_ROLES = ("author", "stars", "updated", "license")
_PLACEHOLDERS = frozenset(["n/a", "na", "none", "unknown", "tbd", "todo", "?"])
_DATE_RE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_STARS_RE = re.compile(r"^(\d[\d,]*(?:\.\d+)?)\s*([kKmM]?)$")


def column_role(header: str) -> str:
    """What a column holds, from its header text; ``""`` when the header names nothing known.

    >>> [column_role(h) for h in ["📦 Repo", "Last Update", "⭐", "What it does", "Rank"]]
    ['link', 'updated', 'stars', 'description', '']
    """
    text = strip_decoration(header)
    if not text:
        return "stars" if any(c in _STAR_SIGNS for c in header) else ""
    words = _WORD_RE.findall(text.lower())
    phrase = " ".join(words)
    for role, names in _HEADERS.items():
        if phrase in names:
            return role
    for role, names in _HEADERS.items():  # "Repo URL", "Model Name", "Stars ⭐"
        if any(word in names for word in words):
            return role
    return ""


class TableReader:
    """Reads the rows of one document's tables, each by the columns its header names.

    Rows on consecutive lines are one table; the row right before the delimiter row
    (``|---|---|``) is its header.
    """

    def __init__(self) -> None:
        self.last = -2  # the line of the previous row
        self.previous: list[str] = []  # the previous row's cells, as text
        self.roles: dict[str, int] = {}  # role -> column

    def row(self, number: int, line: str) -> Entry | None:
        """The entry the row at line ``number`` holds, or ``None`` (no link, or a header)."""
        if number != self.last + 1:
            self.roles, self.previous = {}, []
        self.last = number
        row = line.strip()
        if _DELIMITER_ROW_RE.match(row):
            if self.previous and not self.roles:
                self.roles = _roles(self.previous)
            return None
        cells = [without_link_prefixes(tokens(cell)) for cell in split_cells(row)]
        self.previous = [plain(cell) for cell in cells]
        if self.roles:
            return _by_column(cells, self.roles)
        return row_entry(row)


def _roles(headers: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for index, header in enumerate(headers):
        role = column_role(header)
        if role and role not in roles:
            roles[role] = index
    return roles


def row_entry(row: str) -> Entry | None:
    """The entry a table row without a header holds: its first link, its other text cells.

    >>> row_entry("| KJNodes | [Download](https://kj.org) | Handy |")  # doctest: +ELLIPSIS
    Entry(name='KJNodes', url='https://kj.org', description='Handy', tags=[], meta={}, ...)
    """
    row = row.strip()
    cells = [without_link_prefixes(tokens(cell)) for cell in split_cells(row)]
    badge: Entry | None = None
    for index, found in enumerate(cells):
        for start, end in links(found):
            inner = found[start + 1 : end]
            name = plain(inner).strip()
            url = found[end][1]
            if is_badge(inner, name, url):
                badge = badge or Entry(name, url, skip=BADGE)
                continue
            return _entry(cells, index, start, end, name, url)
    return badge


def split_cells(row: str) -> list[str]:
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
    if _generic(name):
        other = next((i for i, t in enumerate(texts) if i != index and not is_decoration(t)), None)
        if other is not None:
            name = texts[other]
            texts[other] = ""
    if is_decoration(name):
        name = ""
    description = "; ".join(t for t in texts if not is_decoration(t))
    return Entry(name, url, clean_description(description))


def _generic(name: str) -> bool:
    return is_decoration(name) or strip_decoration(name).lower() in GENERIC_LINK_TEXTS


def _first_link(found: list[Token]) -> tuple[int, int] | None:
    """The first link of a cell that is not a badge."""
    for start, end in links(found):
        inner = found[start + 1 : end]
        if not is_badge(inner, plain(inner).strip(), found[end][1]):
            return start, end
    return None


def _by_column(cells: list[list[Token]], roles: dict[str, int]) -> Entry | None:
    """A row of a table whose header names its columns."""
    described = roles.get("description", -1)
    order = [roles[r] for r in ("link", "name") if r in roles]
    order += [i for i in range(len(cells)) if i not in order and i != described]
    found = next(
        ((i, pair) for i in order if i < len(cells) for pair in [_first_link(cells[i])] if pair),
        None,
    )
    if found is None:
        return _without_entry(cells, described)
    index, (start, end) = found
    cell = cells[index]
    label = strip_decoration(plain(cell[start + 1 : end]))
    rest = strip_decoration(plain(cell[:start] + cell[end + 1 :]))
    texts = [strip_decoration(plain(c)) for c in cells]
    name_column = roles.get("name", index)
    used = {index, *roles.values()}
    if name_column != index and name_column < len(cells) and not is_decoration(texts[name_column]):
        name = texts[name_column]
    elif not _generic(label):
        name = label
    else:
        name = rest if not is_decoration(rest) else ""
        rest = ""
    if not name:
        other = next((i for i, t in enumerate(texts) if i not in used and not is_decoration(t)), -1)
        name = texts[other] if other >= 0 else ""
        used.add(other)
    if 0 <= described < len(cells):
        description = texts[described]
    else:
        parts = [rest] + [t for i, t in enumerate(texts) if i not in used]
        description = "; ".join(t for t in parts if not is_decoration(t))
    entry = Entry(name, cell[end][1], clean_description(description))
    if "type" in roles and roles["type"] < len(cells):
        entry.kind = kind_from_type(texts[roles["type"]])
    for role in _FIELD_ROLES:
        if role in roles and roles[role] < len(cells):
            value = _field(role, texts[roles[role]])
            if value is not None:
                entry.fields[role] = value
    return entry


def _without_entry(cells: list[list[Token]], described: int) -> Entry | None:
    """Why a row with links gives no entry: only badges, or a link only in the description."""
    for index, found in enumerate(cells):
        for start, end in links(found):
            label = plain(found[start + 1 : end]).strip()
            reason = DESCRIPTION_LINK if index == described else BADGE
            return Entry(label, found[end][1], skip=reason)
    return None


def _field(role: str, text: str) -> object | None:
    """A table cell as the value of a resource field, or ``None`` when it is not one."""
    if is_decoration(text) or text.lower() in _PLACEHOLDERS:
        return None
    if role == "stars":
        return parse_stars(text)
    if role == "updated":
        return parse_date(text)
    text = text.removeprefix("@").strip() if role == "author" else text
    limit = MAX_AUTHOR if role == "author" else MAX_LICENSE
    return text if 0 < len(text) <= limit and text.isprintable() else None


def parse_stars(text: str) -> int | None:
    """A star count as lists write it (``1.2k``, ``12,345``, ``⭐ 300``), else ``None``.

    >>> [parse_stars(t) for t in ("1.2k", "⭐ 12,345", "![Stars](badge)", "-")]
    [1200, 12345, None, None]
    """
    match = _STARS_RE.match(strip_decoration(text))
    if match is None:
        return None
    number = float(match.group(1).replace(",", ""))
    number *= {"k": 1_000, "m": 1_000_000}.get(match.group(2).lower(), 1)
    stars = round(number)
    return stars if stars <= MAX_STARS else None


def parse_date(text: str) -> str | None:
    """An ISO date from ``2025-01-31``, ``2025/01/31`` or ``2025.1.31``, else ``None``.

    >>> parse_date("2025/1/31"), parse_date("2025-02-30"), parse_date("Jan 2025")
    ('2025-01-31', None, None)
    """
    match = _DATE_RE.search(text)
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None
