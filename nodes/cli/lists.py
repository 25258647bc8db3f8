"""Awesome-list Markdown from the command line: render the catalogue as a list, import one.

An import writes a data folder that ``validate`` accepts on its own, or a resources file;
every linked item is imported or reported with its line and reason.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

from ..core.catalog import Catalog
from ..core.files import write_atomic
from ..core.model import SourceResult
from ..core.validate import FIELDS
from ..sources.curated import load_curated, validate_paths
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, SHOWN_PROBLEMS
from .sources import MAX_MARKDOWN_BYTES

_LABEL = 60  # characters of a link's text shown in a "not imported" line
_ORIGIN = 200  # characters of a list's file name or URL in the descriptions it gets
_FILE_NOTE = "; `validate` accepts it in a data folder whose categories.yaml defines its categories"


def render(args: argparse.Namespace, out: TextIO) -> int:
    from ..sources.markdown import render_awesome_markdown  # noqa: PLC0415

    result = load_curated(args.data)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    document = render_awesome_markdown((result.resources, result.categories), args.title)
    if args.out is None:
        out.write(document)
    else:
        args.out.write_text(document, encoding="utf-8")
        print(f"wrote {len(result.resources)} resources to {args.out}", file=out)
    return EXIT_PROBLEMS if result.problems else EXIT_OK


def _read_source(args: argparse.Namespace) -> tuple[str, str]:
    if "://" not in args.source:
        path = Path(args.source)
        return path.read_text(encoding="utf-8"), path.name
    from ..net.fetch import fetch, not_ok  # noqa: PLC0415

    result = asyncio.run(
        fetch(None, args.source, max_bytes=MAX_MARKDOWN_BYTES, allow_private=args.allow_private)
    )
    if not result.ok or result.body is None:
        raise OSError(not_ok(args.source, result.status))
    return result.body.decode("utf-8", errors="replace"), args.source


def import_markdown(args: argparse.Namespace, catalog: Catalog, out: TextIO) -> int:
    """Read an awesome list; print, or write as a data folder, what it holds; say what was not
    imported and why.

    Kinds come from the list's own metadata, then from the catalogue in use (looked up by
    canonical URL), then from the list's type column, then from a guess.
    """
    from ..net.fetch import FetchError  # noqa: PLC0415
    from ..sources.markdown import parse_awesome_markdown  # noqa: PLC0415

    try:
        text, shown = _read_source(args)
    except (OSError, UnicodeDecodeError, FetchError, ValueError) as exc:
        print(f"error: cannot read {args.source}: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    kinds = {r.canonical_url: r.kind for r in catalog.resources}
    items: list[tuple[int, str, str]] = []
    result = parse_awesome_markdown(text, shown, kinds=kinds, items=items)
    summary = summarise(result, items, shown)
    for _, line in sorted(summary.messages, key=lambda m: m[0]):
        print(line, file=sys.stderr)
    categories, entries = complete(result, shown)
    if args.json:
        document = {"categories": categories, "resources": entries, "summary": summary.to_dict()}
        json.dump(document, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    if args.out is None:
        for entry in entries:
            print(f"{entry['category']}: {entry['name']}  {entry['url']}", file=out)
    else:
        code = _write_import(args.out, shown, categories, entries, out)
        if code != EXIT_OK:
            return code
    for line in summary.lines(len(categories)):
        print(line, file=out)
    return EXIT_OK


@dataclass
class ImportSummary:
    """How many linked items a list had, how many were imported, why the others were not."""

    linked: int = 0
    imported: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    messages: list[tuple[int, str]] = field(default_factory=list)  # (line, what to print)

    def to_dict(self) -> dict[str, object]:
        return {"linked": self.linked, "imported": self.imported, "not_imported": self.reasons}

    def lines(self, categories: int) -> list[str]:
        lines = [
            f"{self.imported} of {self.linked} linked item(s) imported, in "
            + _categories(categories)
        ]
        if self.reasons:
            lines.append(f"{self.linked - self.imported} not imported:")
            lines += [f"  {n:>5}  {reason}" for reason, n in self.reasons.items()]
        return lines


def summarise(
    result: SourceResult, items: Sequence[tuple[int, str, str]], shown: str
) -> ImportSummary:
    """Count every linked item as imported or not, and say why each other one was not.

    Problems are printed as they are (``file:line: field: message``); a linked item that
    was left out without one (a badge, a link to a section) gets ``file:line: not
    imported: reason``. A line that passed validation but has a problem was a duplicate.
    """
    from ..sources.markdown.items import DUPLICATE  # noqa: PLC0415

    summary = ImportSummary(linked=len(items))
    problem_lines = {p.line for p in result.problems}
    summary.messages = [(p.line or 0, str(p)) for p in result.problems]
    reasons: dict[str, int] = {}
    for line, label, found in items:
        reason = found or (DUPLICATE if line in problem_lines else "")
        if not reason:
            continue
        reasons[reason] = reasons.get(reason, 0) + 1
        if line not in problem_lines:
            shown_label = label if len(label) <= _LABEL else label[: _LABEL - 1] + "\u2026"
            summary.messages.append(
                (line, f"{shown}:{line}: not imported: {reason}: {shown_label!r}")
            )
    summary.reasons = dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    summary.imported = summary.linked - sum(reasons.values())
    return summary


def complete(result: SourceResult, shown: str) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """Categories and entries as a curator writes them in a data folder, each described.

    A category without an intro paragraph is described as imported from its section; an
    entry the list does not describe says where it was listed and that it had no text.
    """
    from ..sources.markdown import UNCATEGORISED  # noqa: PLC0415

    origin = "".join(c if c.isprintable() else "?" for c in shown)[:_ORIGIN]
    categories: list[dict[str, str]] = []
    names: dict[str, str] = {}
    for category in result.categories:
        section = (
            "the entries before its first heading"
            if category.id == UNCATEGORISED.id
            else category.name
        )
        description = category.description or f"Imported from {origin}: {section}."
        categories.append({"id": category.id, "name": category.name, "description": description})
        names[category.id] = category.name
    entries: list[dict[str, Any]] = []
    for resource in result.resources:
        values = resource.to_dict()
        entry = {k: values[k] for k in FIELDS if values[k] not in ("", None, [])}
        entry.setdefault(
            "description",
            f"Listed under \u201c{names[resource.category]}\u201d in {origin}; "
            "the list gives no description.",
        )
        entries.append(entry)
    return categories, entries


def _write_import(
    target: Path,
    shown: str,
    categories: list[dict[str, str]],
    entries: list[dict[str, Any]],
    out: TextIO,
) -> int:
    """Write the import as a data folder (or, for a ``.yaml`` path, its resources file).

    The whole folder is written beside the target first and validated with the rules
    ``validate`` applies; only a folder that passes is renamed into place (or its
    resources moved into the file), so nothing broken or half-written is ever left.
    """
    if not entries:
        print(f"error: nothing written to {target}: no linked item could be imported",
              file=sys.stderr)  # fmt: skip
        return EXIT_PROBLEMS
    as_file = target.suffix.lower() in (".yaml", ".yml")
    if not as_file and target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(
            f"error: {target} exists and is not an empty folder; give a new one"
            " (nothing was written)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        )
    except OSError as exc:
        print(f"error: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        _write_folder(staging, shown, categories, entries)
        result, _ = validate_paths([staging])
        if result.problems:  # a bug in the importer: say so, write nothing
            for problem in result.problems[:SHOWN_PROBLEMS]:
                print(problem, file=sys.stderr)
            print(f"error: the import does not validate; nothing written to {target}",
                  file=sys.stderr)  # fmt: skip
            return EXIT_PROBLEMS
        if as_file:
            write_atomic(target, _yaml({"resources": entries}, shown).encode())
        else:
            if target.exists():
                target.rmdir()
            staging.replace(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    what = "resources file" if as_file else "data folder"
    print(
        f"wrote {len(entries)} resources in {_categories(len(categories))} to {target}"
        f" (a {what}{_FILE_NOTE if as_file else ''})",
        file=out,
    )
    return EXIT_OK


def _categories(count: int) -> str:
    return f"{count} category" if count == 1 else f"{count} categories"


def _write_folder(
    folder: Path, shown: str, categories: list[dict[str, str]], entries: list[dict[str, Any]]
) -> None:
    (folder / "categories.yaml").write_text(_yaml({"categories": categories}, shown), "utf-8")
    resources = folder / "resources"
    resources.mkdir()
    by_category: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_category.setdefault(entry["category"], []).append(entry)
    for category, listed in by_category.items():
        (resources / f"{category}.yaml").write_text(_yaml({"resources": listed}, shown), "utf-8")


def _yaml(document: dict[str, Any], shown: str) -> str:
    origin = "".join(c if c.isprintable() else "?" for c in shown)[:_ORIGIN]
    head = f"# Imported by `python -m nodes import-markdown` from {origin}; review before use.\n"
    return head + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
