"""ComfyUI-Manager's ``extension-node-map.json``: the node classes each pack provides.

The file maps a pack's URL (its repository, or the file a ``copy`` pack installs) to
``[[node class names], {"title_aux": ..., "nodename_pattern": regex}]``. It is joined to
the node list by canonical URL, as the GitHub stats are. Names are kept as written (a
search for ``VHS_LoadVideo`` must find it); a name that is not usable text is reported
and left out, and an entry of another shape is reported and skipped.

A ``nodename_pattern`` names the classes a pack makes at run time. Patterns come from a
database the user did not write and are matched against names from a workflow, so only
simple ones are kept (see :func:`pattern_problem`); they are not a resource field but a
mapping of their own (:func:`read_node_patterns`).
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..core.excerpt import excerpt
from ..core.files import files_fingerprint
from ..core.model import Problem
from ..core.urls import canonical_url, url_problem
from ..core.validate import node_type_problem

NODE_MAP = "extension-node-map.json"
MAX_PATTERN = 200  # characters of a nodename_pattern
MAX_PATTERN_REPEATS = 2  # quantifiers in one pattern: each one multiplies the backtracking
MAX_MAP_BYTES = 64 * 1024 * 1024  # a node map read for its patterns
# Pattern text with escapes and character classes made single atoms, so that what is
# left of it shows the groups and quantifiers.
_ESCAPE_RE = re.compile(r"\\.", re.DOTALL)
_CLASS_RE = re.compile(r"\[\^?\]?[^\]]*\]")
_GROUP_REPEAT_RE = re.compile(r"\)[*+?{]")
_REPEAT_RE = re.compile(r"[*+?]|\{\d*,?\d*\}")


@dataclass(frozen=True, slots=True)
class NodeMap:
    """The node classes (and the simple ``nodename_pattern``) of each pack, by canonical URL."""

    types: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    patterns: Mapping[str, str] = field(default_factory=dict)

    def node_types(self, urls: Iterable[str]) -> list[str]:
        """The classes of the pack known by ``urls`` (its reference and files), each once."""
        names: dict[str, None] = {}
        for url in urls:
            names.update(dict.fromkeys(self.types.get(canonical_url(url), ())))
        return list(names)


def pattern_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a ``nodename_pattern``, or ``None`` when it is kept.

    Python's regular expressions cannot be stopped once started, so a pattern that could
    backtrack for long is refused: a quantified group (``(a+)+``) or more than
    :data:`MAX_PATTERN_REPEATS` quantifiers. Every real pattern is far simpler.

    >>> pattern_problem("^DF_") is None, pattern_problem(r" \\(rgthree\\)$") is None
    (True, True)
    >>> pattern_problem("(a+)+$")
    'is too complex to match safely'
    """
    if not isinstance(value, str):
        return f"must be text, got {type(value).__name__}"
    if not value or len(value) > MAX_PATTERN:
        return f"must be 1 to {MAX_PATTERN} characters long"
    try:
        re.compile(value)
    except re.error as exc:
        return f"is not a regular expression: {exc}"
    atoms = _CLASS_RE.sub("c", _ESCAPE_RE.sub("e", value)).replace("(?", "(")
    if _GROUP_REPEAT_RE.search(atoms) or len(_REPEAT_RE.findall(atoms)) > MAX_PATTERN_REPEATS:
        return "is too complex to match safely"
    return None


def _names(key: str, values: list[object], shown: str) -> tuple[list[str], list[Problem]]:
    """The usable names of one entry; the others are left out in one problem."""
    names: list[str] = []
    bad: list[tuple[object, str]] = []
    for value in values:
        error = node_type_problem(value)
        if error is None:
            assert isinstance(value, str)  # noqa: S101 - node_type_problem accepted it
            names.append(value)
        else:
            bad.append((value, error))
    if not bad:
        return names, []
    first, error = bad[0]
    more = f"; it and {len(bad) - 1} more names are" if len(bad) > 1 else "; it is"
    message = f"node class {excerpt(first)} {error}{more} left out"
    return names, [Problem(shown, None, f"[{excerpt(key)}]", message)]


def parse_node_map(data: object, shown: str, max_entries: int) -> tuple[NodeMap, list[Problem]]:
    """Index ``extension-node-map.json`` by canonical URL; read at most ``max_entries``."""
    if not isinstance(data, Mapping):
        return NodeMap(), [
            Problem(shown, None, "file", "must hold a JSON object keyed by pack URL")
        ]
    types: dict[str, tuple[str, ...]] = {}
    patterns: dict[str, str] = {}
    problems: list[Problem] = []
    if len(data) > max_entries:
        message = f"has {len(data)} entries; only the first {max_entries} are read"
        problems.append(Problem(shown, None, "file", message))
    for key, value in itertools.islice(data.items(), max_entries):
        where = f"[{excerpt(key)}]"
        error = url_problem(key)
        if error is not None:
            problems.append(
                Problem(shown, None, where, f"key {error}; its node classes are ignored")
            )
            continue
        if not isinstance(value, list) or not value or not isinstance(value[0], list):
            message = "must be a list of the node class names and the pack's details; skipped"
            problems.append(Problem(shown, None, where, message))
            continue
        names, errors = _names(key, value[0], shown)
        problems += errors
        url = canonical_url(key)
        types[url] = (*types.get(url, ()), *names)  # a URL written twice: both lists count
        details = value[1] if len(value) > 1 else None
        pattern = details.get("nodename_pattern") if isinstance(details, Mapping) else None
        if pattern is None:
            continue
        error = pattern_problem(pattern)
        if error is not None:
            message = f"nodename_pattern {excerpt(pattern)} {error}; ignored"
            problems.append(Problem(shown, None, where, message))
        else:
            patterns.setdefault(url, pattern)
    return NodeMap(types, patterns), problems


def read_node_patterns(path: Path) -> dict[str, str]:
    """The simple ``nodename_pattern`` of each pack in the node map at ``path``, by canonical URL.

    Empty when the file is missing, too large or not a node map. Read again only when the
    file changes.
    """
    return dict(_patterns(path, files_fingerprint([path])))


@functools.lru_cache(maxsize=4)
def _patterns(path: Path, key: str) -> tuple[tuple[str, str], ...]:
    try:
        if path.stat().st_size > MAX_MAP_BYTES:
            return ()
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return ()
    found, _ = parse_node_map(data, path.name, len(data) if isinstance(data, Mapping) else 0)
    return tuple(found.patterns.items())
