"""ComfyUI-Manager's ``model-list.json``: model files, with what the Manager's download checks.

The Manager downloads only a file its own list names, matched on ``save_path``, ``base``
and ``filename``, so those fields (and ``name``, ``type``, ``url``) are kept exactly as
the list has them, in the resource's ``model_file``. The file's ``url`` may be a mirror
that only this network reaches; the resource links to it only when it is a public link,
else to the entry's ``reference`` page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.model import Problem
from ..core.urls import github_repo, id_from_url, link_problem
from ..core.validate import MAX_DESCRIPTION, MODEL_FILE_FIELDS, Location
from .manager_entries import (
    LIST_KEYS,
    MODEL_CATEGORY,
    MODEL_LIST,
    Entries,
    name_from,
    parse_entries,
)
from .records import clean_tags, clean_text


def _author_from(url: str) -> str:
    repo = github_repo(url)
    if repo is not None:
        return repo[0]
    parts = url.split("/")
    return parts[3] if len(parts) > 4 and "huggingface.co" in parts[2] else ""  # noqa: PLR2004


def _link(entry: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The model's public link: its ``url``, else its ``reference``; else ``None`` and why."""
    for name in ("url", "reference"):
        value = entry.get(name)
        if isinstance(value, str) and link_problem(value) is None:
            return value, None
    return None, link_problem(entry.get("url"))


def parse_model_list(data: object, shown: str, source: str = "manager") -> Entries:
    """Turn ``model-list.json`` into model resources, tagged with their type and base model."""

    def fields(
        entry: Mapping[str, Any], where: Location
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        link, error = _link(entry)
        if link is None:
            return None, [where.problem("url", f"{error}; skipped")]
        description = clean_text(entry.get("description"), MAX_DESCRIPTION)
        folder = clean_text(entry.get("save_path"), 200)
        if folder:
            description = clean_text(f"{description} Goes in models/{folder}.", MAX_DESCRIPTION)
        raw = {
            "id": id_from_url(link),
            "name": name_from(entry.get("name"), link),
            "url": link,
            "category": MODEL_CATEGORY,
            "kind": "model",
            "description": description or None,
            "author": _author_from(link) or None,
            "tags": clean_tags([entry.get("type"), entry.get("base")]),
            "model_file": {name: entry.get(name) for name in MODEL_FILE_FIELDS},
        }
        return raw, []

    return parse_entries(data, shown, LIST_KEYS[MODEL_LIST], fields, source)
