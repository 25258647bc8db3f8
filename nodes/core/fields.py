"""The rule of each resource field: what a value must be, and what is wrong when it is not.

:mod:`.validate` applies them to whole entries; the OpenAPI document and the HTTP
handlers reuse single rules (a node class name, the limits).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from .excerpt import excerpt
from .model import KINDS, ModelFile
from .urls import SURROGATE_MESSAGE, SURROGATE_RE, link_problem, url_problem

ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,78}[a-z0-9])?$")
TAG_RE = re.compile(r"^[a-z0-9][a-z0-9+._-]{0,31}$")
# Character classes, as regular expression text (the OpenAPI document repeats them).
CONTROL = r"\x00-\x1f\x7f-\x9f"
CONTROL_EXCEPT_NEWLINE = r"\x00-\x08\x0b-\x1f\x7f-\x9f"  # descriptions keep tabs and lines
# Embeddings, overrides and isolates: they make text read in another order than it is stored
# ("evil\u202etxt.exe" shows as "evilexe.txt"), so a name could pass for another.
BIDI_CONTROLS = r"\u202a-\u202e\u2066-\u2069"
_CONTROL_RE = re.compile(f"[{CONTROL}]")
_CONTROL_EXCEPT_NEWLINE_RE = re.compile(f"[{CONTROL_EXCEPT_NEWLINE}]")
_BIDI_RE = re.compile(f"[{BIDI_CONTROLS}]")
_CONTROL_MESSAGE = "must not contain control characters"
_BIDI_MESSAGE = (
    "must not contain characters that reorder text on screen (U+202A-U+202E, U+2066-U+2069)"
)
MAX_NAME = 120
MAX_DESCRIPTION = 2000
MAX_AUTHOR = 100
MAX_LICENSE = 64
MAX_TAGS = 20
MAX_STARS = 10_000_000
MAX_DOWNLOADS = 10_000_000_000
MAX_RATING = 5.0
MAX_FILES = 20
MAX_NODE_TYPES = 5000  # node classes of one pack (the largest real pack has under 900)
MAX_NODE_TYPE = 200
PACK_ID_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$")
VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+_-]{0,63}$")
INSTALL_TYPES = ("git-clone", "copy", "unzip", "cnr")
MODEL_FILE_FIELDS = ("name", "type", "base", "save_path", "filename", "url")


def text_value(
    value: object, *, limit: int, multiline: bool = False
) -> tuple[str | None, str | None]:
    if not isinstance(value, str):
        return None, f"must be text, got {type_name(value)}"
    text = value.strip()
    if not text:
        return None, "must not be empty"
    if len(text) > limit:
        return None, f"is {len(text)} characters long; the limit is {limit}"
    checks = (
        (_CONTROL_EXCEPT_NEWLINE_RE if multiline else _CONTROL_RE, _CONTROL_MESSAGE),
        (_BIDI_RE, _BIDI_MESSAGE),
        (SURROGATE_RE, SURROGATE_MESSAGE),
    )
    for pattern, message in checks:
        if pattern.search(text):
            return None, message
    return text, None


def type_name(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):  # YAML mappings are LineDicts: never name that class
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "true/false" if isinstance(value, bool) else type(value).__name__


def check_id(value: object) -> tuple[Any, str | None]:
    text, error = text_value(value, limit=80)
    if text is not None and not ID_RE.fullmatch(text):
        return None, (
            f"{excerpt(text)} is not a valid id; use 1-80 lowercase letters, digits, '.', '_'"
            " or '-', starting and ending with a letter or digit"
        )
    return text, error


def _check_url(value: object) -> tuple[Any, str | None]:
    if not isinstance(value, str):
        return None, f"must be text, got {type_name(value)}"
    error = link_problem(value)  # public http(s) links only (urls.link_problem)
    return (value if error is None else None), error


def _check_kind(value: object) -> tuple[Any, str | None]:
    if value in KINDS:
        return value, None
    return None, f"{excerpt(value)} is not a kind; use one of: {', '.join(KINDS)}"


def _check_tags(value: object) -> tuple[Any, str | None]:
    if not isinstance(value, list | tuple):
        return None, f"must be a list of tags, got {type_name(value)}"
    if len(value) > MAX_TAGS:
        return None, f"has {len(value)} tags; the limit is {MAX_TAGS}"
    bad = [t for t in value if not isinstance(t, str) or not TAG_RE.fullmatch(t)]
    if bad:
        return None, (
            f"{excerpt(bad[0])} is not a valid tag; use lowercase letters, digits, '+', '.', '_'"
            " or '-' (at most 32)"
        )
    dupes = sorted({t for t in value if value.count(t) > 1})
    if dupes:
        return None, f"tag {excerpt(dupes[0])} is listed twice"
    return tuple(value), None


def _check_stars(value: object) -> tuple[Any, str | None]:
    if isinstance(value, bool) or not isinstance(value, int):
        return None, f"must be a whole number, got {type_name(value)}"
    if not 0 <= value <= MAX_STARS:
        return None, f"must be between 0 and {MAX_STARS}"
    return value, None


def _check_updated(value: object) -> tuple[Any, str | None]:
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat(), None
        except ValueError:
            pass
    return None, f"must be a date like 2025-01-31, got {excerpt(value)}"


def _check_pack_id(value: object) -> tuple[Any, str | None]:
    text, error = text_value(value, limit=100)
    if text is not None and not PACK_ID_RE.fullmatch(text):
        return None, f"{excerpt(text)} is not a pack id; use letters, digits, '.', '_' or '-'"
    return text, error


def _check_version(value: object) -> tuple[Any, str | None]:
    text, error = text_value(value, limit=64)
    if text is not None and not VERSION_RE.fullmatch(text):
        return None, f"{excerpt(text)} is not a version like 1.2.0"
    return text, error


def _check_install_type(value: object) -> tuple[Any, str | None]:
    if value in INSTALL_TYPES:
        return value, None
    return None, f"{excerpt(value)} is not an install type; use one of: {', '.join(INSTALL_TYPES)}"


def _check_files(value: object) -> tuple[Any, str | None]:
    """What an installer fetches: any http(s) URL, a mirror on this network included."""
    if not isinstance(value, list | tuple):
        return None, f"must be a list of URLs, got {type_name(value)}"
    if len(value) > MAX_FILES:
        return None, f"has {len(value)} URLs; the limit is {MAX_FILES}"
    for item in value:
        error = url_problem(item)
        if error is not None:
            return None, f"{excerpt(item)}: {error}"
    return tuple(value), None


def _check_node_types(value: object) -> tuple[Any, str | None]:
    if not isinstance(value, list | tuple):
        return None, f"must be a list of node class names, got {type_name(value)}"
    if len(value) > MAX_NODE_TYPES:
        return None, f"has {len(value)} node classes; the limit is {MAX_NODE_TYPES}"
    names: list[str] = []
    for item in value:
        text, error = text_value(item, limit=MAX_NODE_TYPE)
        if error is not None:
            return None, f"{excerpt(item)} {error}"
        assert text is not None  # noqa: S101 - no error means text
        names.append(text)
    return tuple(dict.fromkeys(names)), None


def node_type_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a node class name (the rule of ``node_types``), if any.

    >>> node_type_problem("VHS_LoadVideo"), node_type_problem("a\\x00b")
    (None, 'must not contain control characters')
    """
    return text_value(value, limit=MAX_NODE_TYPE)[1]


def _check_model_file(value: object) -> tuple[Any, str | None]:
    if not isinstance(value, Mapping):
        return None, f"must be a mapping of {', '.join(MODEL_FILE_FIELDS)}, got {type_name(value)}"
    unknown = sorted(str(k) for k in value if k not in MODEL_FILE_FIELDS)
    if unknown:
        return None, f"{excerpt(unknown[0])} is not a field; use {', '.join(MODEL_FILE_FIELDS)}"
    fields: dict[str, str] = {}
    for name in MODEL_FILE_FIELDS:
        text, error = text_value(value.get(name), limit=2048 if name == "url" else 200)
        if error is None and name == "url":
            error = url_problem(text)
        if error is None and name == "filename" and any(c in str(text) for c in "/\\:"):
            error = "must be a file name, not a path"
        if error is not None:
            return None, f"{name} {error}"
        fields[name] = str(text)
    return ModelFile(**fields), None


def _check_count(limit: int) -> Callable[[object], tuple[Any, str | None]]:
    def check(value: object) -> tuple[Any, str | None]:
        if isinstance(value, bool) or not isinstance(value, int):
            return None, f"must be a whole number, got {type_name(value)}"
        if not 0 <= value <= limit:
            return None, f"must be between 0 and {limit}"
        return value, None

    return check


def _check_rating(value: object) -> tuple[Any, str | None]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, f"must be a number, got {type_name(value)}"
    if not 0 <= value <= MAX_RATING:  # NaN fails this too
        return None, f"must be between 0 and {MAX_RATING:g}"
    return float(value), None


def limited(limit: int, *, multiline: bool = False) -> Callable[[object], tuple[Any, str | None]]:
    return lambda value: text_value(value, limit=limit, multiline=multiline)


CHECKS: dict[str, Callable[[object], tuple[Any, str | None]]] = {
    "id": check_id,
    "name": limited(MAX_NAME),
    "url": _check_url,
    "category": check_id,
    "kind": _check_kind,
    "description": limited(MAX_DESCRIPTION, multiline=True),
    "tags": _check_tags,
    "author": limited(MAX_AUTHOR),
    "license": limited(MAX_LICENSE),
    "install_url": _check_url,
    "stars": _check_stars,
    "updated": _check_updated,
}
# Fields only a database brings (ComfyUI-Manager's lists, the Registry): what installing a
# pack takes and the Registry's figures. People do not write them.
DATABASE_CHECKS: dict[str, Callable[[object], tuple[Any, str | None]]] = {
    "pack_id": _check_pack_id,
    "install_type": _check_install_type,
    "files": _check_files,
    "version": _check_version,
    "node_types": _check_node_types,
    "model_file": _check_model_file,
    "downloads": _check_count(MAX_DOWNLOADS),
    "rating": _check_rating,
    "publisher": limited(MAX_AUTHOR),
}
FIELDS: tuple[str, ...] = tuple(CHECKS)
DATABASE_FIELDS: tuple[str, ...] = tuple(DATABASE_CHECKS)
