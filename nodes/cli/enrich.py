"""``enrich``: record public repository statistics (stars, last update) in the curated data.

The facts come from a file the curator names (ComfyUI-Manager's ``github-stats.json``),
never from the network, and are written into ``data/resources/*.yaml`` for review and
commit: the catalogue shows them without fetching anything at run time.

Each entry whose canonical URL is in the statistics gets ``stars:`` and ``updated:``
lines at the end of its block (replacing any it had); every other line stays as it was.
Every changed file is checked (it must still load, with the new values) before any is
replaced, and each is replaced atomically.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

import yaml

from ..core.errors import DomainError, ErrorKind
from ..core.files import write_atomic_all, write_failure
from ..core.urls import canonical_url, url_problem
from ..sources.manager_db import MAX_JSON_BYTES, parse_stats
from ..sources.records import date, stars
from .common import EXIT_OK, EXIT_PROBLEMS

_ENTRY = re.compile(r"^(?P<indent> *)- ")  # the first line of a list item
_FIELD = "{indent}{name}: {value}"
_FACTS = ("stars", "updated")


def add_command(commands: Any) -> None:
    """Register ``enrich``."""
    enrich = commands.add_parser(
        "enrich",
        help="write stars and last-update dates from a statistics file into the curated data",
    )
    enrich.add_argument(
        "--stats",
        type=Path,
        required=True,
        metavar="PATH",
        help="ComfyUI-Manager's github-stats.json (a JSON object keyed by repository URL)",
    )
    enrich.add_argument(
        "--data",
        dest="enrich_data",
        type=Path,
        metavar="DIR",
        help="curated data folder to update (default: the --data given before the command)",
    )
    enrich.add_argument(
        "--dry-run", action="store_true", help="say what would change; write nothing"
    )


def facts_by_url(stats_path: Path) -> dict[str, dict[str, Any]]:
    """``{canonical URL: {"stars": n, "updated": "YYYY-MM-DD"}}`` from a statistics file.

    Values the catalogue would not accept are left out; keys that are no URLs are ignored.
    Raises :class:`DomainError` (invalid) when the file cannot be read or is not JSON.
    """
    try:
        if stats_path.stat().st_size > MAX_JSON_BYTES:
            too_large = f"{stats_path}: larger than {MAX_JSON_BYTES} bytes"
            raise DomainError(ErrorKind.INVALID, too_large)
        data = json.loads(stats_path.read_bytes())
    except (OSError, ValueError, RecursionError) as exc:
        raise DomainError(ErrorKind.INVALID, f"{stats_path}: cannot be read ({exc})") from exc
    indexed, problems = parse_stats(data, str(stats_path))
    if not indexed and problems:
        raise DomainError(ErrorKind.INVALID, str(problems[0]))
    facts: dict[str, dict[str, Any]] = {}
    for url, values in indexed.items():
        found = {"stars": stars(values.get("stars")), "updated": date(values.get("last_update"))}
        kept = {k: v for k, v in found.items() if v is not None}
        if kept:
            facts[url] = kept
    return facts


def enrich_text(text: str, facts: Mapping[str, Mapping[str, Any]]) -> tuple[str, int]:
    """``text`` (one resources file) with each known entry's facts; and how many changed.

    Raises :class:`DomainError` (invalid) when the file is not a ``resources:`` list whose
    items can be told apart line by line.
    """
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DomainError(ErrorKind.INVALID, f"not valid YAML ({exc})") from exc
    entries = document.get("resources") if isinstance(document, Mapping) else None
    if not isinstance(entries, list):
        raise DomainError(ErrorKind.INVALID, "has no resources: list")
    lines = text.splitlines(keepends=True)
    starts = _item_starts(lines)
    if len(starts) != len(entries):
        raise DomainError(
            ErrorKind.INVALID,
            f"has {len(entries)} entries but {len(starts)} list items at one indent; "
            "write each entry as a block starting with '- '",
        )
    changed = 0
    # From the last entry up, so the line numbers of those above stay right.
    for index in reversed(range(len(entries))):
        entry = entries[index]
        url = entry.get("url") if isinstance(entry, Mapping) else None
        if not isinstance(url, str) or url_problem(url) is not None:
            continue
        found = facts.get(canonical_url(url))
        if not found:
            continue
        start = starts[index]
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        block = _with_facts(lines[start:end], found)
        if block != lines[start:end]:
            lines[start:end] = block
            changed += 1
    return "".join(lines), changed


def _item_starts(lines: list[str]) -> list[int]:
    """The line index of each item of the ``resources:`` list (the least indented items)."""
    found = [(i, len(m["indent"])) for i, line in enumerate(lines) if (m := _ENTRY.match(line))]
    if not found:
        return []
    indent = min(width for _, width in found)
    return [i for i, width in found if width == indent]


def _with_facts(block: list[str], facts: Mapping[str, Any]) -> list[str]:
    """One entry's lines with its ``stars:`` and ``updated:`` set, after its last field."""
    first = block[0]
    indent = " " * (len(first) - len(first.lstrip(" ")) + 2)
    own = re.compile(rf"^{indent}(?:{'|'.join(_FACTS)}):")
    kept = [line for line in block if not own.match(line)]
    # Blank lines and comments after the entry belong to what follows.
    last = len(kept)
    while last > 1 and (not kept[last - 1].strip() or kept[last - 1].lstrip().startswith("#")):
        last -= 1
    if not kept[last - 1].endswith("\n"):
        kept[last - 1] += "\n"
    added = [
        _FIELD.format(indent=indent, name=name, value=facts[name]) + "\n"
        for name in _FACTS
        if name in facts
    ]
    return [*kept[:last], *added, *kept[last:]]


def enrich(args: argparse.Namespace, out: TextIO) -> int:
    """Update every ``resources/*.yaml`` of the data folder from the statistics file."""
    folder: Path = args.enrich_data or args.data
    facts = facts_by_url(args.stats)
    files = sorted((folder / "resources").glob("*.yaml"))
    if not files:
        print(f"error: no resources/*.yaml in {folder}", file=sys.stderr)
        return EXIT_PROBLEMS
    writes: list[tuple[Path, bytes]] = []
    total = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            updated, changed = enrich_text(text, facts)
        except DomainError as exc:
            print(f"error: {path}: {exc.message}", file=sys.stderr)
            return EXIT_PROBLEMS
        if changed:
            yaml.safe_load(updated)  # still YAML: a bug here must not reach the disk
            writes.append((path, updated.encode("utf-8")))
            total += changed
            print(f"{path}: {changed} entr{'y' if changed == 1 else 'ies'} updated", file=out)
    if writes and not args.dry_run:
        try:
            write_atomic_all(writes)
        except OSError as exc:
            raise write_failure(exc, [path for path, _ in writes]) from exc
    verb = "would update" if args.dry_run else "updated"
    print(
        f"{verb} {total} entries in {len(writes)} file(s); "
        f"{len(facts)} repositories in {args.stats.name}",
        file=out,
    )
    return EXIT_OK
