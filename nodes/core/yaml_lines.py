"""Safe YAML parsing that keeps line numbers and refuses duplicate keys.

PyYAML silently keeps the last of two equal keys, and its plain dicts forget where
they came from; curators need both, so mappings here are :class:`LineDict`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.composer import Composer, ComposerError
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from .excerpt import short
from .model import Problem

try:
    from yaml._yaml import CParser

    class _BaseLoader(Composer, CParser, SafeConstructor, Resolver):
        """libyaml's parser under PyYAML's own composer.

        libyaml's composer recurses on the C stack: some 25,000 nested brackets crash the
        whole process. PyYAML's composer raises :class:`RecursionError` instead.
        """

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class LineDict(dict[Any, Any]):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[Any, int]

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines = {}


_MERGE_TAG = "tag:yaml.org,2002:merge"
_TOO_DEEP = "exceeded maximum nesting depth"  # libyaml's own limit, where it has one
_NESTED = "nested too deeply"
# Values that aliases may repeat in one document, counted as if written out. An alias is
# cheap to write and, nested, stands for exponentially many values (the "billion laughs").
MAX_ALIAS_NODES = 100_000
_TOO_MANY_ALIASES = (
    f"its aliases repeat more than {MAX_ALIAS_NODES} values; write the values out or use"
    " fewer aliases"
)
MAX_YAML_MESSAGE = 200  # characters of a parser's own message kept in a problem
# The line breaks YAML counts (libyaml reports marks by them).
_BREAK_RE = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")


class _LineLoader(_BaseLoader):
    problems: list[Problem]
    file: str


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[LineDict]:
    data = LineDict(node.start_mark.line + 1)
    yield data
    own = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE_TAG)
    loader.flatten_mapping(node)  # puts the pairs of merged mappings (``<<: *defaults``) first
    merged = len(node.value) - own
    # A mapping's own keys override merged ones, and earlier merged mappings later ones;
    # only a key written twice in the mapping itself is a mistake.
    pairs = [(pair, False) for pair in node.value[merged:]]
    pairs += [(pair, True) for pair in reversed(node.value[:merged])]
    for (key_node, value_node), inherited in pairs:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            duplicate = key in data
        except TypeError:
            loader.problems.append(
                Problem(loader.file, line, "yaml", "a mapping key must be plain text")
            )
            continue
        if duplicate:
            if not inherited:
                loader.problems.append(
                    Problem(
                        loader.file,
                        line,
                        short(str(key)),
                        f"duplicate key; it is already set on line {data.key_lines[key]}",
                    )
                )
            continue
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> object:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:  # 2025-02-30 stays text, so validation names the field and its line
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)  # type: ignore[type-var]
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)  # type: ignore[type-var]


def parse_yaml(text: str, file: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML document; return its data and every problem found.

    Never raises: text YAML cannot hold, nesting too deep or a number too long to convert is
    a problem too. A problem's line is within the text, counted as YAML counts lines. An
    impossible date such as 2025-02-30 stays text, for validation to report at its line.

    >>> data, problems = parse_yaml("a: 1\\nb: 2\\na: 3\\n", "x.yaml")
    >>> data, [str(p) for p in problems]
    ({'a': 1, 'b': 2}, ['x.yaml:3: a: duplicate key; it is already set on line 1'])
    >>> parse_yaml("a: [1,\\n", "y.yaml")[1][0].line
    2
    >>> parse_yaml("updated: 2025-02-30\\n", "z.yaml")
    ({'updated': '2025-02-30'}, [])
    """
    try:
        loader = _LineLoader(text)
    except UnicodeEncodeError as exc:  # a lone surrogate: no file read as UTF-8 holds one
        return None, [_bad_character(text, file, exc.start)]
    loader.problems = []
    loader.file = file
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_aliases(node)
        data = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        # libyaml >= 0.2.5 (PyYAML 6.0.4 wheels) stops deep nesting in its scanner; older ones
        # get as far as the RecursionError below. Both read the same.
        deep = exc.problem == _TOO_DEEP and isinstance(exc, yaml.scanner.ScannerError)
        mark = exc.problem_mark or exc.context_mark
        line = min(mark.line + 1, _line_count(text)) if mark and not deep else None
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        message = _NESTED if deep else short(message, MAX_YAML_MESSAGE)
        return None, [Problem(file, line, "yaml", f"not valid YAML: {message}")]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        return None, [_bad_character(text, file, max(text.find(chr(exc.character)), 0))]
    except RecursionError:
        return None, [Problem(file, None, "yaml", f"not valid YAML: {_NESTED}")]
    except (yaml.YAMLError, ValueError) as exc:  # e.g. a number of 5,000 digits
        message = short(str(exc), MAX_YAML_MESSAGE)
        return None, [Problem(file, None, "yaml", f"not valid YAML: {message}")]
    finally:
        loader.dispose()
    return data, loader.problems


def _check_aliases(root: yaml.Node) -> None:
    """Raise a :class:`ComposerError` where aliases repeat more than :data:`MAX_ALIAS_NODES`.

    Each node is sized once, as if its aliases were written out; every further reference
    to it adds that size. So the cost is that of the document as written, never of what
    its aliases stand for. A node that contains itself counts once: the constructor
    refuses it with its own message.
    """
    sizes: dict[int, int] = {}
    repeated = 0

    def size(node: yaml.Node, parent: yaml.Node) -> int:
        nonlocal repeated
        known = sizes.get(id(node))
        if known is not None:
            repeated += known
            if repeated > MAX_ALIAS_NODES:
                raise ComposerError(None, None, _TOO_MANY_ALIASES, parent.start_mark)
            return known
        sizes[id(node)] = 1  # while its children are sized
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        else:
            children = []
        total = 1 + sum(size(child, node) for child in children)
        sizes[id(node)] = total
        return total

    size(root, root)


def _line_count(text: str) -> int:
    """How many lines YAML sees in ``text`` (an empty last line included)."""
    return len(_BREAK_RE.findall(text)) + 1


def _bad_character(text: str, file: str, index: int) -> Problem:
    return Problem(
        file,
        _line_count(text[:index]),
        "yaml",
        f"not valid YAML: character {ord(text[index]):#06x} is not allowed",
    )
