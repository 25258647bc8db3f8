"""Command-line actions on sources: the subcommands, refresh, and link checks of any file.

Kept apart from :mod:`.cli` because these reach the network (only when asked) and
import the HTTP client code that the everyday commands never need.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..app.settings import DEFAULT_MANAGER_URL, DEFAULT_REGISTRY_URL
from ..core.catalog import Catalog
from ..core.files import display_path
from ..core.model import Problem, Resource
from ..sources.curated import read_text, validate_paths
from .common import EXIT_OK, EXIT_PROBLEMS, SHOWN_PROBLEMS, warn_skipped

MAX_MARKDOWN_BYTES = 4 * 1024 * 1024
_MARKDOWN_SUFFIXES = (".md", ".markdown")


def add_commands(commands: Any) -> None:
    """Register ``refresh``, ``check-links``, ``render`` and ``import-markdown``."""
    refresh = commands.add_parser(
        "refresh",
        help="download a source now (the only command "
        "that fetches catalogue data); the last good copy is kept",
    )
    refresh.add_argument("name", choices=["registry", "manager"])
    refresh.add_argument(
        "--url",
        default="",
        help="base URL (registry: the API; manager: the folder holding custom-node-list.json)",
    )
    refresh.add_argument(
        "--allow-private",
        action="store_true",
        help="allow a URL on this machine or the local network (a mirror)",
    )

    links = commands.add_parser("check-links", help="check that resource links answer")
    links.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="data folders, resource files (anywhere: the nearest categories.yaml is used "
        "if there is one) or Markdown lists (default: the whole catalogue)",
    )
    links.add_argument(
        "--allow-private",
        action="store_true",
        help="also check links to this machine or the local network",
    )
    links.add_argument("--json", action="store_true", help="print every result as JSON")

    render = commands.add_parser(
        "render", help="write the curated catalogue as an awesome-list Markdown document"
    )
    render.add_argument("--out", type=Path, help="file to write (default: standard output)")
    render.add_argument("--title", default="Awesome ComfyUI Beyond")

    imported = commands.add_parser(
        "import-markdown",
        help="read any awesome list (file or URL) into catalogue entries for review",
    )
    imported.add_argument(
        "source",
        help="a Markdown file, or an http(s) URL; kinds come from the list's metadata, "
        "then the catalogue in use (e.g. --with-manager-db), then its type column, then a guess",
    )
    imported.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write a complete data folder here (categories.yaml and resources/<category>.yaml,"
        " checked as `validate` checks it); a path ending in .yaml gets only the resources",
    )
    imported.add_argument("--json", action="store_true", help="print the entries as JSON")
    imported.add_argument(
        "--allow-private",
        action="store_true",
        help="allow a URL on this machine or the local network",
    )


def refresh(args: argparse.Namespace, cache_dir: Path, out: TextIO) -> int:
    from ..app.actions import download  # noqa: PLC0415 - network code only when asked

    default = DEFAULT_REGISTRY_URL if args.name == "registry" else DEFAULT_MANAGER_URL
    outcomes = asyncio.run(download(args.name, cache_dir, args.url or default, args.allow_private))
    for outcome in outcomes:
        print(f"{outcome.name}: {outcome.state}: {outcome.message}", file=out)
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_PROBLEMS


def check_links(
    args: argparse.Namespace, catalog: Catalog | None, cache_dir: Path, out: TextIO
) -> int:
    from ..net.links import LinkCache  # noqa: PLC0415
    from ..net.links import check_links as run_checks  # noqa: PLC0415

    if args.paths:
        targets = link_targets(args.paths)
        for note in targets.notes:
            print(note, file=sys.stderr)
        resources = targets.resources
        skipped = targets.problems
    else:
        assert catalog is not None  # noqa: S101 - main() loads it when no path is given
        resources, skipped = list(catalog.resources), list(catalog.problems)
    urls = list(dict.fromkeys(r.url for r in resources))
    if not urls:
        for problem in skipped[:SHOWN_PROBLEMS]:
            print(problem, file=sys.stderr)
        where = ", ".join(str(p) for p in args.paths) or "the catalogue"
        print(
            f"error: nothing to check: no valid resource links in {where}"
            + (f" ({len(skipped)} problem(s))" if skipped else ""),
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    if args.paths:
        warn_skipped(len(skipped))  # as for the catalogue: those entries not checked
    results = asyncio.run(run_checks(urls, allow_private=args.allow_private))
    LinkCache(cache_dir / "links.json").merge(results)
    if args.json:
        json.dump({u: s.to_dict() for u, s in results.items()}, out, indent=2)
        out.write("\n")
    else:
        for url, status in results.items():
            if status.state != "alive":
                print(f"{status.state:>10}  {url}  {status.message}", file=out)
        counts: dict[str, int] = {}
        for status in results.values():
            counts[status.state] = counts.get(status.state, 0) + 1
        print(", ".join(f"{n} {state}" for state, n in sorted(counts.items())), file=out)
    dead = [s for s in results.values() if s.state in ("dead", "blocked")]
    return EXIT_PROBLEMS if dead else EXIT_OK


@dataclass
class LinkTargets:
    """What ``check-links PATH...`` checks: valid resources, the problems of the rest, notes."""

    resources: list[Resource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def link_targets(paths: Sequence[Path]) -> LinkTargets:
    """The resources of data folders, resource files and Markdown lists, whatever their place.

    A data folder is read as ``validate`` reads it. A resource file is checked against the
    nearest ``categories.yaml`` (its data folder's, else one beside it); with none, its
    categories are not checked, since a link check does not need them. A Markdown file
    (``.md``, ``.markdown``) is read as ``import-markdown`` reads it.
    """
    from ..sources.curated import (  # noqa: PLC0415
        CATEGORIES_FILE,
        load_categories,
        load_resource_file,
    )

    targets = LinkTargets()
    for path in paths:
        if not path.exists():
            targets.problems.append(
                Problem(display_path(path), None, "file", "cannot be read: no such file or folder")
            )
        elif path.is_dir():
            result, _ = validate_paths([path])
            targets.resources += result.resources
            targets.problems += result.problems
        elif path.suffix.lower() in _MARKDOWN_SUFFIXES:
            text, problems = read_text(path, display_path(path))
            if text is not None:
                from ..sources.markdown import parse_awesome_markdown  # noqa: PLC0415

                parsed = parse_awesome_markdown(text, display_path(path))
                targets.resources += parsed.resources
                problems = list(parsed.problems)
            targets.problems += problems
        elif (path.parent.parent / CATEGORIES_FILE).is_file():
            result, _ = validate_paths([path])
            targets.resources += result.resources
            targets.problems += result.problems
        else:
            beside = path.parent / CATEGORIES_FILE
            ids: set[str] | None = None
            if beside.is_file():
                categories, problems = load_categories(beside)
                ids = {c.id for c in categories}
                targets.problems += problems
            else:
                targets.notes.append(
                    f"note: no {CATEGORIES_FILE} found for {display_path(path)}; "
                    "its categories are not checked, only its links"
                )
            found, problems = load_resource_file(path, ids)
            targets.resources += [resource for resource, _ in found]
            targets.problems += problems
    return targets
