"""Command-line actions on sources: refresh, check links, render and import awesome lists.

Kept apart from :mod:`.cli` because these reach the network (only when asked) and
import the HTTP client code that the everyday commands never need.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any, TextIO

import yaml

from ..app.settings import DEFAULT_MANAGER_URL, DEFAULT_REGISTRY_URL
from ..core.catalog import Catalog
from ..core.model import Resource
from ..sources.curated import load_curated, validate_paths
from .common import EXIT_OK, EXIT_PROBLEMS, add_paths_argument, warn_skipped

MAX_MARKDOWN_BYTES = 4 * 1024 * 1024


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
    add_paths_argument(links, "the whole catalogue")
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
    imported.add_argument("source", help="a Markdown file, or an http(s) URL")
    imported.add_argument("--out", type=Path, help="write a resources YAML file here")
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
        result, _ = validate_paths(args.paths)
        resources: list[Resource] = list(result.resources)
        warn_skipped(len(result.problems))  # as for the catalogue: those entries not checked
    else:
        assert catalog is not None  # noqa: S101 - main() loads it when no path is given
        resources = list(catalog.resources)
    urls = list(dict.fromkeys(r.url for r in resources))
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


def import_markdown(args: argparse.Namespace, out: TextIO) -> int:
    from ..net.fetch import FetchError  # noqa: PLC0415
    from ..sources.markdown import parse_awesome_markdown  # noqa: PLC0415

    try:
        text, shown = _read_source(args)
    except (OSError, UnicodeDecodeError, FetchError, ValueError) as exc:
        print(f"error: cannot read {args.source}: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    result = parse_awesome_markdown(text, shown)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    entries = [
        {k: v for k, v in r.to_dict().items() if v not in ("", None, []) and k != "source"}
        for r in result.resources
    ]  # what a curator would write in data/resources/
    categories = [c.to_dict() for c in result.categories]
    if args.json:
        json.dump(
            {"categories": categories, "resources": entries}, out, ensure_ascii=False, indent=2
        )
        out.write("\n")
    elif args.out is not None:
        document = yaml.safe_dump(
            {"resources": entries}, sort_keys=False, allow_unicode=True, width=100
        )
        args.out.write_text(document, encoding="utf-8")
        print(
            f"wrote {len(entries)} resources in {len(categories)} categories to {args.out}",
            file=out,
        )
    else:
        for entry in entries:
            print(f"{entry['category']}: {entry['name']}  {entry['url']}", file=out)
        print(f"({len(entries)} resources in {len(categories)} categories)", file=out)
    return EXIT_OK
