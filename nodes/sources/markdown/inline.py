"""Inline Markdown of one line: tokens (text, code, links, images, comments), their plain text."""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence

ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

_DEST_RE = re.compile(
    r"[ \t]*(?:<((?:\\.|[^<>\\\n])*)>|((?:[^\s\\]|\\.)*))"
    r"(?:[ \t]+(?:\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|\((?:\\.|[^()\\])*\)))?[ \t]*"
)
_UNESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_TAG_HTML_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
_AUTOLINK_RE = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# A token of inline Markdown: ("text", s), ("code", s), ("auto", url), ("comment", s),
# ("open", "") ... ("close", url) around a link's text, ("iopen", "") ... ("iclose", url)
# around an image's alt text.
Token = tuple[str, str]


class _Inline:
    """A single-pass tokenizer for one line of inline Markdown.

    Brackets, parentheses, backtick runs and comment ends are found once up front, so a
    line costs linear time plus the length of each link destination, however it nests.
    Every construct ends before the ``]`` of the link it sits in.
    """

    def __init__(self, text: str) -> None:
        self.s = text
        self.out: list[Token] = []
        self.buffer: list[str] = []
        self.closing: list[tuple[int, str, str, int]] = []  # "]" position, kind, url, resume
        self.brackets: dict[int, int] = {}
        self.parens: dict[int, int] = {}
        self.runs: dict[int, list[int]] = {}  # backtick run length -> starts of such runs
        self.comment_ends = [m.start() for m in re.finditer("-->", text)]
        for match in re.finditer("`+", text):
            self.runs.setdefault(match.end() - match.start(), []).append(match.start())
        open_brackets: list[int] = []
        open_parens: list[int] = []
        i = 0
        while i < len(text):
            c = text[i]
            if c == "\\" and text[i + 1 : i + 2] in ASCII_PUNCT:
                i += 2
                continue
            if c == "[":
                open_brackets.append(i)
            elif c == "]" and open_brackets:
                self.brackets[open_brackets.pop()] = i
            elif c == "(":
                open_parens.append(i)
            elif c == ")" and open_parens:
                self.parens[open_parens.pop()] = i
            i += 1

    def tokens(self) -> list[Token]:
        s = self.s
        i = 0
        while i < len(s):
            limit = self.closing[-1][0] if self.closing else len(s)
            if i == limit:
                _, kind, url, i = self.closing.pop()
                self._emit(kind, url)
                continue
            handler = _HANDLERS.get(s[i])
            resume = handler(self, i, limit) if handler is not None else 0
            if resume:
                i = resume
            else:
                self.buffer.append(s[i])
                i += 1
        self._flush()
        return self.out

    def _flush(self) -> None:
        if self.buffer:
            self.out.append(("text", "".join(self.buffer)))
            self.buffer.clear()

    def _emit(self, kind: str, value: str) -> None:
        self._flush()
        self.out.append((kind, value))

    def _escape(self, i: int, limit: int) -> int:
        if i + 1 < limit and self.s[i + 1] in ASCII_PUNCT:
            self.buffer.append(self.s[i + 1])
            return i + 2
        return 0

    def _link(self, i: int, limit: int) -> int:
        """At ``[`` or ``![``: open a link or image when a destination follows its text."""
        start = i + 1 if self.s[i] == "!" else i
        close = self.brackets.get(start)
        if close is None or self.s[close + 1 : close + 2] != "(":
            return 0
        end = self.parens.get(close + 1)
        if end is None or end >= limit:
            return 0
        match = _DEST_RE.fullmatch(self.s, close + 2, end)
        if match is None:
            return 0
        dest = match.group(1) if match.group(1) is not None else match.group(2)
        image = start != i
        self._emit("iopen" if image else "open", "")
        self.closing.append(
            (close, "iclose" if image else "close", _UNESCAPE_RE.sub(r"\1", dest), end + 1)
        )
        return start + 1

    def _code(self, i: int, limit: int) -> int:
        s = self.s
        end = i
        while end < limit and s[end] == "`":
            end += 1
        starts = self.runs.get(end - i, [])
        index = bisect_left(starts, end)
        if index == len(starts) or starts[index] + (end - i) > limit:
            self.buffer.append(s[i:end])
            return end
        content = s[end : starts[index]]
        if len(content) > 1 and content[0] == content[-1] == " " and content.strip(" "):
            content = content[1:-1]
        self._emit("code", content)
        return starts[index] + (end - i)

    def _angle(self, i: int, limit: int) -> int:
        s = self.s
        if s.startswith("<!--", i):
            index = bisect_left(self.comment_ends, i + 4)
            if index == len(self.comment_ends) or self.comment_ends[index] + 3 > limit:
                return 0
            self._emit("comment", s[i + 4 : self.comment_ends[index]])
            return self.comment_ends[index] + 3
        auto = _AUTOLINK_RE.match(s, i, limit)
        if auto is not None:
            self._emit("auto", auto.group(1))
            return auto.end()
        tag = _TAG_HTML_RE.match(s, i, limit)
        if tag is None:
            return 0
        if tag.group(1).lower() == "br":
            self.buffer.append("\n")
        return tag.end()

    def _entity(self, i: int, limit: int) -> int:
        match = _ENTITY_RE.match(self.s, i, limit)
        if match is None:
            return 0
        self.buffer.append(html.unescape(match.group()))
        return match.end()

    def _delimiter(self, i: int, limit: int) -> int:
        """Emphasis and strikethrough markers vanish unless inside a word or standing alone."""
        s = self.s
        end = i
        while end < limit and s[end] == s[i]:
            end += 1
        before = s[i - 1] if i else " "
        after = s[end] if end < len(s) else " "
        if (before.isalnum() and after.isalnum()) or (before.isspace() and after.isspace()):
            self.buffer.append(s[i:end])
        return end


_HANDLERS: dict[str, Callable[[_Inline, int, int], int]] = {
    "\\": _Inline._escape,
    "[": _Inline._link,
    "!": _Inline._link,
    "`": _Inline._code,
    "<": _Inline._angle,
    "&": _Inline._entity,
    "*": _Inline._delimiter,
    "_": _Inline._delimiter,
    "~": _Inline._delimiter,
}


def tokens(text: str) -> list[Token]:
    """The inline tokens of one line.

    >>> tokens("[KJ](https://kj.org) - `utils`")
    [('open', ''), ('text', 'KJ'), ('close', 'https://kj.org'), ('text', ' - '), ('code', 'utils')]
    """
    return _Inline(text).tokens()


def plain(found: Iterable[Token]) -> str:
    """The text a reader sees, minus images (in lists, images are badges and icons)."""
    parts: list[str] = []
    in_image = 0
    for kind, value in found:
        if kind == "iopen":
            in_image += 1
        elif kind == "iclose":
            in_image -= 1
        elif not in_image and kind in ("text", "code", "auto"):
            parts.append(value)
    return "".join(parts)


def without_link_prefixes(found: Sequence[Token]) -> list[Token]:
    """The tokens with ComfyUI-Manager's ``a/`` dropped from the start of link texts.

    The Manager's descriptions write their links as ``[a/Name](url)``; lists copied from
    it keep the prefix, which means nothing to a reader.

    >>> plain(without_link_prefixes(tokens("Wraps [a/Foo](https://f.org) and [a/](https://g.org)")))
    'Wraps Foo and a/'
    """
    out = list(found)
    for index in range(1, len(out)):
        kind, value = out[index]
        if out[index - 1][0] == "open" and kind == "text" and value.startswith("a/") and value[2:]:
            out[index] = (kind, value[2:])
    return out


def links(found: Sequence[Token]) -> list[tuple[int, int]]:
    """The outermost links that are not inside an image: (open index, close index) pairs."""
    pairs: list[tuple[int, int]] = []
    depth = images = start = 0
    for index, (kind, _) in enumerate(found):
        if kind == "iopen":
            images += 1
        elif kind == "iclose":
            images -= 1
        elif kind == "open" and not images:
            depth += 1
            start = index if depth == 1 else start
        elif kind == "close" and not images:
            depth -= 1
            if not depth:
                pairs.append((start, index))
    return pairs
