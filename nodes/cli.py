"""The curator's command line: ``python -m nodes search|show|stats|validate``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .catalog import Catalog, CatalogStore, CuratedSource, Source
from .curated import DEFAULT_DATA_DIR, validate_paths
from .model import KINDS, Resource
from .query import MAX_LIMIT, SORTS, QueryError, parse_query
from .sources import ManagerSource

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m nodes",
        description="Browse, search and check the Awesome ComfyUI Beyond catalogue.",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, metavar="DIR",
                        help="curated data folder (default: the pack's data/)")
    parser.add_argument("--with-manager-db", type=Path, metavar="DIR",
                        help="also load ComfyUI-Manager's custom-node-list.json, github-stats.json "
                             "and model-list.json from DIR")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    search = commands.add_parser("search", help="search and filter the catalogue")
    search.add_argument("query", nargs="*", help="words to look for (name, author, description, tags)")
    search.add_argument("--category", default="", help="only this category id")
    search.add_argument("--kind", default="", choices=["", *KINDS], metavar="KIND",
                        help=f"only this kind: {', '.join(KINDS)}")
    search.add_argument("--tag", action="append", default=[], help="only resources with this tag "
                        "(repeat to require several)")
    search.add_argument("--source", default="", help="only resources from this source")
    search.add_argument("--sort", default="relevance", choices=SORTS)
    search.add_argument("--offset", type=int, default=0)
    search.add_argument("--limit", type=int, default=20, help=f"1 to {MAX_LIMIT} (default 20)")
    search.add_argument("--json", action="store_true",
                        help="print {total, offset, limit, items, facets} as the HTTP API serves it")

    show = commands.add_parser("show", help="show one resource by id")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")

    stats = commands.add_parser("stats", help="count resources by source, kind and category")
    stats.add_argument("--json", action="store_true")

    validate = commands.add_parser("validate", help="check data files; one line per problem")
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                          help="data folders or resource files (default: the pack's data/)")
    return parser


def build_store(args: argparse.Namespace) -> CatalogStore:
    sources: list[Source] = [CuratedSource(args.data)]
    if args.with_manager_db is not None:
        sources.append(ManagerSource(args.with_manager_db))
    return CatalogStore(sources)


def _line(resource: Resource, categories: dict[str, str]) -> str:
    stars = f"  ★{resource.stars}" if resource.stars is not None else ""
    updated = f"  {resource.updated}" if resource.updated else ""
    where = categories.get(resource.category, resource.category)
    return f"{resource.name}  [{resource.kind} · {where}]{stars}{updated}\n    {resource.url}"


def _search(args: argparse.Namespace, catalog: Catalog, out: TextIO) -> int:
    params = {"q": " ".join(args.query), "category": args.category, "kind": args.kind,
              "source": args.source, "sort": args.sort, "offset": str(args.offset),
              "limit": str(args.limit)}
    try:
        query = parse_query(params, tags=args.tag)
    except QueryError as exc:
        print(f"error: --{exc.param.replace('q', 'query')}: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    result = catalog.index.search(query)
    if args.json:
        json.dump(result.to_dict(), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    names = catalog.category_names()
    for resource in result.items:
        print(_line(resource, names), file=out)
    shown = f"{result.offset + 1}-{result.offset + len(result.items)}" if result.items else "none"
    print(f"({shown} of {result.total})", file=out)
    return EXIT_OK


def _show(args: argparse.Namespace, catalog: Catalog, out: TextIO) -> int:
    resource = catalog.get(args.id)
    if resource is None:
        print(f"error: no resource with id {args.id!r}", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.json:
        json.dump(resource.to_dict(), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    for key, value in resource.to_dict().items():
        if value not in ("", None, []):
            shown = ", ".join(value) if isinstance(value, list) else value
            print(f"{key:>12}: {shown}", file=out)
    return EXIT_OK


def _stats(args: argparse.Namespace, catalog: Catalog, out: TextIO) -> int:
    facets = catalog.index.search(parse_query({"limit": "1"})).facets
    summary = {
        "version": catalog.version,
        "resources": len(catalog.resources),
        "sources": [s.to_dict() for s in catalog.sources],
        "kinds": facets["kind"],
        "categories": facets["category"],
        "problems": len(catalog.problems),
    }
    if args.json:
        json.dump(summary, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    print(f"{summary['resources']} resources (catalogue version {catalog.version})", file=out)
    for status in catalog.sources:
        print(f"  source {status.name}: {status.resources} resources, "
              f"{status.problems} problems", file=out)
    for title, counts in (("kind", facets["kind"]), ("category", facets["category"])):
        for key, count in counts.items():
            print(f"  {title} {key}: {count}", file=out)
    return EXIT_OK


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    result, files = validate_paths(args.paths or [args.data])
    for problem in result.problems:
        print(problem, file=out)
    if result.problems:
        print(f"{len(result.problems)} problem(s) in {files} file(s)", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"ok: {len(result.resources)} resources, {len(result.categories)} categories, "
          f"{files} file(s)", file=out)
    return EXIT_OK


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    stream = sys.stdout if out is None else out
    if args.command == "validate":
        return _validate(args, stream)
    catalog = build_store(args).get()
    if catalog.problems:
        print(f"warning: {len(catalog.problems)} problem(s) in the source data were skipped; "
              "see `python -m nodes validate`", file=sys.stderr)
    handlers = {"search": _search, "show": _show, "stats": _stats}
    return handlers[args.command](args, catalog, stream)
