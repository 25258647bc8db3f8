"""Short excerpts of values for problems, errors, logs and statuses: never the whole of a big one.

A value quoted back to a person is cut to a few dozen characters. :func:`excerpt` never
builds the full ``repr`` first: strings are sliced before they are quoted, and lists and
mappings are walked only as far as the excerpt reaches, so a YAML alias bomb (a few lines
that stand for billions of values) or a structure that contains itself costs no more than
a short string.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Iterable, Mapping

EXCERPT = 80  # characters of a value quoted in a message
ELLIPSIS = "…"
_DIGITS_PER_BIT = math.log10(2)
_MAX_DIGITS = 1000  # longer numbers are described: writing them out costs too much


class _FullError(Exception):
    """The excerpt has all the characters it can hold."""


class _Writer:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0
        self.cut = False

    @property
    def room(self) -> int:
        return self.limit - self.size

    def add(self, text: str) -> None:
        if len(text) > self.room:
            self.parts.append(text[: self.room])
            self.size = self.limit
            self.cut = True
            raise _FullError
        self.parts.append(text)
        self.size += len(text)

    def text(self) -> str:
        text = "".join(self.parts)
        return text[: self.limit - 1] + ELLIPSIS if self.cut else text


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """``value`` as ``repr`` shows it, at most ``limit`` characters, cut with an ellipsis.

    >>> excerpt("X!"), excerpt(["a", 1, None]), excerpt({"k": True})
    ("'X!'", "['a', 1, None]", "{'k': True}")
    >>> excerpt("x" * 1_000_000, 12)
    "'xxxxxxxxxx…"
    >>> bomb = ["lol"]
    >>> for _ in range(60):
    ...     bomb = [bomb, bomb]
    >>> len(excerpt(bomb))
    80
    >>> loop = []
    >>> loop.append(loop)
    >>> excerpt(loop)
    '[[...]]'
    """
    writer = _Writer(max(limit, 1))
    with contextlib.suppress(_FullError):
        _write(value, writer, set())
    return writer.text()


def short(text: str, limit: int = EXCERPT) -> str:
    """Plain text (a name, a reason) cut to ``limit`` characters with an ellipsis.

    >>> short("a reason"), short("abcdefgh", 5)
    ('a reason', 'abcd…')
    """
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + ELLIPSIS


def _write(value: object, out: _Writer, active: set[int]) -> None:
    if isinstance(value, str | bytes | bytearray):
        # One character more than fits is enough to know the excerpt is cut.
        out.add(repr(value[: out.room + 1]))
    elif isinstance(value, bool) or value is None or isinstance(value, float | dt.date):
        out.add(repr(value))
    elif isinstance(value, int):
        digits = int(abs(value).bit_length() * _DIGITS_PER_BIT) + 1
        out.add(repr(value) if digits <= _MAX_DIGITS else f"<a number of {digits} digits>")
    elif isinstance(value, Mapping):
        _write_items(value, out, active, "{", "}")
    elif isinstance(value, list):
        _write_items(value, out, active, "[", "]")
    elif isinstance(value, tuple):
        _write_items(value, out, active, "(", ")")
    elif isinstance(value, set | frozenset) and value:
        _write_items(value, out, active, "{", "}")
    elif isinstance(value, set | frozenset):
        out.add(f"{type(value).__name__}()")
    else:
        out.add(f"<{type(value).__name__}>")


def _write_items(
    value: Iterable[object], out: _Writer, active: set[int], start: str, end: str
) -> None:
    if id(value) in active:  # a structure that contains itself, as repr shows it
        out.add(f"{start}...{end}")
        return
    active.add(id(value))
    out.add(start)
    for index, item in enumerate(value):
        if index:
            out.add(", ")
        if isinstance(value, Mapping):
            _write(item, out, active)
            out.add(": ")
            _write(value[item], out, active)
        else:
            _write(item, out, active)
    out.add(end)
    active.discard(id(value))
