"""Safe YAML parsing that keeps line numbers and refuses duplicate keys.

PyYAML silently keeps the last of two equal keys, and its plain dicts forget where
they came from; curators need both, so mappings here are :class:`LineDict`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

from .model import Problem


class LineDict(dict[Any, Any]):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[Any, int]

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines = {}


class _LineLoader(_BaseLoader):
    problems: list[Problem]
    file: str


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[LineDict]:
    data = LineDict(node.start_mark.line + 1)
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
        line = key_node.start_mark.line + 1
        try:
            duplicate = key in data
        except TypeError:
            loader.problems.append(Problem(loader.file, line, "yaml", "a mapping key must be plain text"))
            continue
        if duplicate:
            loader.problems.append(
                Problem(loader.file, line, str(key),
                        f"duplicate key; it is already set on line {data.key_lines[key]}")
            )
            continue
        data[key] = loader.construct_object(value_node, deep=True)  # type: ignore[no-untyped-call]
        data.key_lines[key] = line


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)  # type: ignore[arg-type]


def parse_yaml(text: str, file: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML document; return its data and every problem found.

    >>> data, problems = parse_yaml("a: 1\\nb: 2\\na: 3\\n", "x.yaml")
    >>> data, [str(p) for p in problems]
    ({'a': 1, 'b': 2}, ['x.yaml:3: a: duplicate key; it is already set on line 1'])
    >>> parse_yaml("a: [1,\\n", "y.yaml")[1][0].line
    2
    """
    loader = _LineLoader(text)
    loader.problems = []
    loader.file = file
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        return None, [Problem(file, line, "yaml", f"not valid YAML: {message}")]
    except yaml.YAMLError as exc:
        return None, [Problem(file, None, "yaml", f"not valid YAML: {exc}")]
    finally:
        loader.dispose()  # type: ignore[no-untyped-call]
    return data, loader.problems
