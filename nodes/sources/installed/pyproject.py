"""A pack's ``pyproject.toml``: its ``[project].name`` and repository URLs (TOML on any Python)."""

from __future__ import annotations

import importlib
import re
from types import ModuleType
from typing import Any

from ...core.urls import canonical_url, url_problem

# [project].urls keys (lower case, letters only) that name the pack's own repository.
REPOSITORY_URL_KEYS = frozenset(
    {"repository", "source", "sourcecode", "homepage", "home", "github", "code"}
)
_TOML_TABLE_RE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\"' -]+?)\s*\]\s*(?:#.*)?$")
_TOML_PAIR_RE = re.compile(
    r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*')\s*(?:#.*)?$"""
)


def _import_tomllib() -> ModuleType | None:
    try:
        return importlib.import_module("tomllib")
    except ImportError:  # pragma: no cover - Python 3.10
        return None


_TOMLLIB = _import_tomllib()


def load_toml(text: str) -> dict[str, Any]:
    """Parse TOML with :mod:`tomllib`, or on Python 3.10 with :func:`read_minimal_toml`."""
    if _TOMLLIB is not None:
        data: dict[str, Any] = _TOMLLIB.loads(text)
        return data
    return read_minimal_toml(text)


def read_minimal_toml(text: str) -> dict[str, Any]:
    """Just enough TOML for ``[project]``'s ``name`` and ``[project.urls]`` on Python 3.10.

    Reads tables and ``key = "string"`` pairs; everything else (arrays, inline tables,
    multi-line strings, dotted keys) is skipped.

    >>> read_minimal_toml(
    ...     '[project]\\nname = "pack"\\n[project.urls]\\nRepository = "https://x.org"'
    ... )
    {'project': {'name': 'pack', 'urls': {'Repository': 'https://x.org'}}}
    """
    root: dict[str, Any] = {}
    table: dict[str, Any] | None = root
    for line in text.splitlines():
        if line.lstrip().startswith("["):
            header = _TOML_TABLE_RE.match(line)
            table = root if header is not None else None  # [[arrays]] and oddities: skipped
            for part in (
                (p.strip().strip("\"'") for p in header.group(1).split(".")) if header else ()
            ):
                child = table.setdefault(part, {}) if table is not None else None
                table = child if isinstance(child, dict) else None
            continue
        pair = _TOML_PAIR_RE.match(line)
        if pair is not None and table is not None:
            key, value = pair.group(1).strip("\"'"), pair.group(2)
            table[key] = _toml_string(value)
    return root


def _toml_string(value: str) -> str:
    if value.startswith("'"):
        return value[1:-1]
    escapes = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\t": "\t"}
    return re.sub(r"\\.", lambda m: escapes.get(m.group(), m.group()), value[1:-1])


def project_info(data: dict[str, Any]) -> tuple[str, list[str]]:
    """``[project].name`` and the repository URLs among ``[project].urls``, canonical."""
    project = data.get("project")
    if not isinstance(project, dict):
        return "", []
    name = project.get("name")
    urls = project.get("urls")
    found: list[str] = []
    if isinstance(urls, dict):
        for key, value in urls.items():
            if (
                re.sub(r"[^a-z]", "", str(key).lower()) in REPOSITORY_URL_KEYS
                and isinstance(value, str)
                and url_problem(value) is None
            ):
                found.append(canonical_url(value))
    return (name.strip() if isinstance(name, str) else ""), found
