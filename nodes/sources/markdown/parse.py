"""Reading an awesome list: blocks, headings as categories, entries validated with their line."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ...core.excerpt import excerpt
from ...core.model import Category, Problem, Resource, SourceResult
from ...core.urls import canonical_url, id_from_url, url_problem
from ...core.validate import ID_RE, Location, parse_category, parse_resource, without_duplicates
from . import items as why
from .inline import plain, tokens
from .items import Entry, Outcome, list_entry
from .names import guess_kind, link_kind, name_from_url, slugify, strip_decoration
from .tables import TableReader

UNCATEGORISED = Category("uncategorised", "Uncategorised")
MAX_LINE = 20_000  # longer lines are reported and skipped; rendered entries stay far below
MAX_CATEGORY_NAME = 80
MAX_ENTRIES = 10_000  # entries read from one list; the rest of the list is not read
MAX_SECTIONS = 10_000  # headings read from one list; the rest of the list is not read
MAX_PROBLEMS = 1_000  # problems kept from one list; the rest are counted

_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_LIST_RE = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BREAK_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_OPEN_COMMENT_RE = re.compile(r"^[ \t]*<!--(?!.*-->)")
_COMMENT_LINE_RE = re.compile(r"^[ \t]*<!--.*-->[ \t]*$")
_TABLE_RE = re.compile(r"^[ \t]*\|")
_OTHER_BLOCK_RE = re.compile(r"^[ \t]*[<>]")
_MARKER_RE = re.compile(r"^[ \t]*<!--[ \t]*category:[ \t]*(\S*?)[ \t]*-->[ \t]*$")


@dataclass
class _Section:
    """A heading as read, and what follows it."""

    line: int
    text: str  # the heading as plain text
    slug_id: str
    id: str = ""
    explicit: bool = False
    used: bool = False
    description: list[str] = field(default_factory=list)
    awaiting: bool = True  # still before any block other than its first paragraph
    in_paragraph: bool = False


class _Parser:
    def __init__(
        self,
        file: str,
        source: str,
        kinds: Mapping[str, str] | None = None,
        items: list[Outcome] | None = None,
    ) -> None:
        self.file = file
        self.source = source
        self.kinds = kinds or {}
        self.items = [] if items is None else items
        self.tables = TableReader()
        self.problems: list[Problem] = []
        self.sections: list[_Section] = []
        self.entries: list[tuple[Resource, Location]] = []
        self.uncategorised = False
        self.fence = ""  # the fence that closes the code block we are in
        self.stopped = False  # a limit was reached: the rest of the list is not read
        self.omitted = 0  # problems beyond MAX_PROBLEMS, counted and left out
        self.in_comment = False  # inside an HTML comment that spans lines

    # -- document structure -------------------------------------------------------------

    def run(self, text: str) -> SourceResult:
        blocks: list[tuple[re.Pattern[str], Callable[[int, re.Match[str]], None]]] = [
            (_FENCE_RE, self._fence),
            (_MARKER_RE, self._marker),
            (_OPEN_COMMENT_RE, self._open_comment),
            (_COMMENT_LINE_RE, self._comment),
            (_HEADING_RE, self._heading),
            (_BREAK_RE, self._other),
            (_LIST_RE, self._list_item),
            (_TABLE_RE, self._table_row),
            (_OTHER_BLOCK_RE, self._other),
        ]
        for number, raw in enumerate(text.split("\n"), 1):
            if self.stopped:
                break
            self._trim_problems()
            line = raw.removesuffix("\r")
            if self.fence:
                stripped = line.strip()
                if stripped.startswith(self.fence) and not stripped.strip(self.fence[0]):
                    self.fence = ""
            elif self.in_comment:
                self.in_comment = "-->" not in line
            elif not line.strip():
                self._blank()
            elif len(line) > MAX_LINE:
                self._problem(
                    number,
                    "line",
                    f"is {len(line)} characters long; the limit is {MAX_LINE}; skipped",
                )
                self._end_paragraph()
            else:
                match = None
                for pattern, handle in blocks:
                    match = pattern.match(line)
                    if match is not None:
                        handle(number, match)
                        break
                if match is None:
                    self._paragraph(line.strip())
        return self._result()

    def _trim_problems(self) -> None:
        if len(self.problems) > MAX_PROBLEMS:
            self.omitted += len(self.problems) - MAX_PROBLEMS
            del self.problems[MAX_PROBLEMS:]

    def _stop(self, number: int, what: str, limit: int) -> None:
        self.stopped = True
        self._problem(
            number, what, f"the list has more than {limit} {what}; only the first {limit} are read"
        )

    @property
    def _section(self) -> _Section | None:
        return self.sections[-1] if self.sections else None

    def _blank(self) -> None:
        if self._section is not None and self._section.in_paragraph:
            self._end_paragraph()

    def _paragraph(self, text: str) -> None:
        section = self._section
        if section is not None and section.awaiting:
            section.in_paragraph = True
            section.description.append(plain(tokens(text)).strip())

    def _fence(self, number: int, match: re.Match[str]) -> None:
        self._end_paragraph()
        self.fence = match.group(1)

    def _open_comment(self, number: int, match: re.Match[str]) -> None:
        self.in_comment = True

    def _comment(self, number: int, match: re.Match[str]) -> None:
        """A comment on a line of its own is invisible, so it changes nothing."""

    def _other(self, number: int, match: re.Match[str]) -> None:
        self._end_paragraph()

    def _end_paragraph(self) -> None:
        if self._section is not None:
            self._section.awaiting = self._section.in_paragraph = False

    def _marker(self, number: int, match: re.Match[str]) -> None:
        section, value = self._section, match.group(1)
        if section is None or not section.awaiting or section.in_paragraph:
            return  # a stray marker is only a comment
        if not ID_RE.fullmatch(value):
            self._problem(
                number,
                "category",
                f"{excerpt(value)} is not a valid category id; the "
                f"heading's own id {excerpt(section.slug_id)} is used",
            )
            return
        section.id = value
        section.explicit = True

    def _heading(self, number: int, match: re.Match[str]) -> None:
        self._end_paragraph()
        if len(self.sections) >= MAX_SECTIONS:
            self._stop(number, "headings", MAX_SECTIONS)
            return
        text = plain(tokens((match.group(2) or "").strip())).strip()
        slug = slugify(strip_decoration(text)) or f"section-{number}"
        self.sections.append(_Section(number, text, slug, slug))

    def _category_id(self) -> str:
        if not self.sections:
            self.uncategorised = True
            return UNCATEGORISED.id
        section = self.sections[-1]
        section.used = True
        return section.id

    # -- entries ------------------------------------------------------------------------

    def _list_item(self, number: int, match: re.Match[str]) -> None:
        self._end_paragraph()
        entry = list_entry(match.group(1))
        if entry is not None:
            self._add(number, entry)

    def _table_row(self, number: int, match: re.Match[str]) -> None:
        self._end_paragraph()
        entry = self.tables.row(number, match.string)
        if entry is not None:
            self._add(number, entry)

    def _add(self, number: int, entry: Entry) -> None:
        if len(self.entries) >= MAX_ENTRIES:
            self._stop(number, "entries", MAX_ENTRIES)
            return
        label = entry.name or entry.url
        kind = link_kind(entry.url)
        if kind == "anchor" or entry.skip:
            self.items.append((number, label, why.SECTION_LINK if kind == "anchor" else entry.skip))
            return
        if kind != "http":
            what = "is relative" if kind == "relative" else "is not http(s)"
            self._problem(number, "url", f"link {excerpt(label)} {what}; skipped")
            self.items.append((number, label, why.RELATIVE if kind == "relative" else why.NOT_HTTP))
            return
        where = Location(self.file, number)
        error = url_problem(entry.url)
        if error is not None:
            self.problems.append(where.problem("url", f"{error}; link {excerpt(label)} skipped"))
            self.items.append((number, label, why.BAD_URL))
            return
        name = entry.name or name_from_url(entry.url)
        raw: dict[str, object] = {
            "id": entry.meta.get("id") or id_from_url(entry.url),
            "name": name,
            "url": entry.url,
            "category": self._category_id(),
            "kind": entry.meta.get("kind")
            or self.kinds.get(canonical_url(entry.url))
            or entry.kind
            or guess_kind(entry.url, name),
            **entry.fields,
        }
        if entry.description:
            raw["description"] = entry.description
        if entry.tags:
            raw["tags"] = entry.tags
        resource, problems = parse_resource(raw, where, source=self.source)
        self.problems += problems
        self.items.append((number, label, "" if resource is not None else why.INVALID))
        if resource is not None:
            self.entries.append((resource, where))

    def _problem(self, number: int, name: str, message: str) -> None:
        self.problems.append(Problem(self.file, number, name, message))

    # -- result -------------------------------------------------------------------------

    def _result(self) -> SourceResult:
        categories: dict[str, Category] = {}
        if self.uncategorised:
            categories[UNCATEGORISED.id] = UNCATEGORISED
        used = {s.id for s in self.sections if s.used or s.explicit}
        for section in self.sections:
            if section.id in used and section.id not in categories:
                categories[section.id] = self._category(section)
        kept, duplicates = without_duplicates(self.entries)
        problems = sorted(self.problems + duplicates, key=lambda p: p.line or 0)
        omitted = self.omitted + max(len(problems) - MAX_PROBLEMS, 0)
        if omitted:
            more = Problem(self.file, None, "problems", f"and {omitted} more problems")
            problems = [*problems[:MAX_PROBLEMS], more]
        return SourceResult(
            self.source, tuple(r for r, _ in kept), tuple(categories.values()), tuple(problems)
        )

    def _category(self, section: _Section) -> Category:
        fallback = f"Section at line {section.line}"
        name = section.text if section.explicit else strip_decoration(section.text)
        name = name or section.text or fallback
        if len(name) > MAX_CATEGORY_NAME:
            name = name[: MAX_CATEGORY_NAME - 1].rstrip() + "\u2026"
        raw = {"id": section.id, "name": name}
        description = " ".join(d for d in section.description if d)
        if description:
            raw["description"] = description
        where = Location(self.file, section.line)
        category, problems = parse_category(raw, where)
        if category is None:
            self.problems += problems
            category, _ = parse_category({"id": section.id, "name": name}, where)
        return category or Category(section.id, fallback)


def parse_awesome_markdown(
    text: str,
    file: str,
    source: str = "markdown",
    *,
    kinds: Mapping[str, str] | None = None,
    items: list[Outcome] | None = None,
) -> SourceResult:
    """Read an awesome list: its headings as categories, its linked entries as resources.

    Bad entries are reported with their line and left out; nothing raises. ``kinds``
    maps canonical URLs to the kind the catalogue in use knows them by: an entry's kind
    is its metadata's, else the catalogue's, else the list's type column, else a guess
    from its URL and name. ``items``, when given, receives ``(line, label, reason)`` for
    every linked list item and table row: ``reason`` is empty for those that went on to
    validation, else why the line is no entry (see :mod:`.items`).

    >>> result = parse_awesome_markdown(
    ...     '''# Tools
    ... - [KJNodes](https://github.com/kijai/ComfyUI-KJNodes) - Handy nodes. `utils`
    ... - [Mail me](mailto:someone@example.org)
    ... ''',
    ...     "list.md",
    ... )
    >>> [(r.id, r.name, r.category, r.kind, r.description, r.tags) for r in result.resources]
    [('kijai.comfyui-kjnodes', 'KJNodes', 'tools', 'node-pack', 'Handy nodes.', ('utils',))]
    >>> [str(p) for p in result.problems]
    ["list.md:3: url: link 'Mail me' is not http(s); skipped"]
    """
    return _Parser(file, source, kinds, items).run(text)
