"""The curator's command line: ``python -m nodes search|show|stats|validate|...``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..app import service
from ..app.browse import text_line
from ..core.catalog import Catalog, CatalogStore, Source
from ..core.constants import KINDS, MAX_LIMIT, SORTS
from ..core.errors import DomainError
from ..core.query import QueryError, parse_query
from ..sources.curated import DEFAULT_DATA_DIR, CuratedSource, validate_paths
from ..sources.installed import scan_folders
from ..sources.snapshot import ManagerSource, default_cache_dir
from . import enrich as cli_enrich
from . import lists as cli_lists
from . import provides as cli_provides
from . import sources as cli_sources
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_paths_argument, warn_skipped
from .sources import add_commands

if TYPE_CHECKING:
    from ..sources.registry import RegistrySource

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "build_parser", "build_store", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m nodes",
        description="Browse, search and check the Awesome ComfyUI Beyond catalogue.",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA_DIR,
        metavar="DIR",
        help="curated data folder (default: the pack's data/)",
    )
    parser.add_argument(
        "--with-manager-db",
        type=Path,
        metavar="DIR",
        help="also load ComfyUI-Manager's custom-node-list.json, github-stats.json "
        "and model-list.json from DIR",
    )
    parser.add_argument(
        "--with-cached",
        action="store_true",
        help="also load what `refresh registry` and `refresh manager` downloaded",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=default_cache_dir(),
        metavar="DIR",
        help="where refreshed sources, snapshots and link checks are kept (default: %(default)s)",
    )
    parser.add_argument(
        "--custom-nodes",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="ComfyUI's custom_nodes folder, to mark installed node packs (repeatable)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    search = commands.add_parser("search", help="search and filter the catalogue")
    search.add_argument(
        "query", nargs="*", help="words to look for (name, author, description, tags)"
    )
    search.add_argument("--category", default="", help="only this category id")
    search.add_argument(
        "--kind",
        default="",
        choices=["", *KINDS],
        metavar="KIND",
        help=f"only this kind: {', '.join(KINDS)}",
    )
    search.add_argument(
        "--tag",
        action="append",
        default=[],
        help="only resources with this tag (repeat to require several)",
    )
    search.add_argument("--source", default="", help="only resources from this source")
    search.add_argument("--sort", default="relevance", choices=SORTS)
    search.add_argument("--offset", type=int, default=0)
    search.add_argument("--limit", type=int, default=20, help=f"1 to {MAX_LIMIT} (default 20)")
    search.add_argument(
        "--installed", action="store_true", help="only node packs installed in --custom-nodes"
    )
    search.add_argument(
        "--disabled",
        action="store_true",
        help="only installed node packs ComfyUI-Manager has disabled (in .disabled/)",
    )
    search.add_argument(
        "--json",
        action="store_true",
        help="print {total, offset, limit, items, facets, sortable} as the HTTP API serves it",
    )

    show = commands.add_parser("show", help="show one resource by id")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")

    stats = commands.add_parser("stats", help="count resources by source, kind and category")
    stats.add_argument("--json", action="store_true")

    validate = commands.add_parser("validate", help="check data files; one line per problem")
    add_paths_argument(validate, "the pack's data/")
    add_commands(commands)
    cli_enrich.add_command(commands)
    cli_provides.add_command(commands)
    return parser


def build_store(args: argparse.Namespace) -> CatalogStore:
    sources: list[Source] = [CuratedSource(args.data)]
    if args.with_cached:
        from ..sources.manager_remote import RemoteManagerSource  # noqa: PLC0415 - only when asked
        from ..sources.registry import RegistrySource  # noqa: PLC0415

        sources.append(cached_registry(RegistrySource(args.cache_dir)))
        if args.with_manager_db is None:
            sources.append(RemoteManagerSource(args.cache_dir / "remote"))
    if args.with_manager_db is not None:
        sources.append(ManagerSource.in_folder(args.with_manager_db, cache_dir=args.cache_dir))
    return CatalogStore(sources)


def cached_registry(source: RegistrySource) -> RegistrySource:
    """The registry snapshot ``refresh registry`` kept, whichever ``--url`` it came from."""
    try:
        url = json.loads(source.meta_path.read_bytes())["url"]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return source
    return replace(source, base_url=url) if isinstance(url, str) else source


def installed_marks(args: argparse.Namespace, catalog: Catalog) -> service.Marks:
    """Node packs in the ``--custom-nodes`` folders, disabled ones marked (none if not given)."""
    if not args.custom_nodes:
        return service.Marks()
    installed, disabled = scan_folders(args.custom_nodes).marks_for(catalog.resources)
    return service.Marks(installed, disabled=disabled)


def _search(args: argparse.Namespace, catalog: Catalog, out: TextIO) -> int:
    params = {
        "q": " ".join(args.query),
        "category": args.category,
        "kind": args.kind,
        "source": args.source,
        "sort": args.sort,
        "offset": str(args.offset),
        "limit": str(args.limit),
    }
    try:
        for flag in ("installed", "disabled"):
            if getattr(args, flag) and not args.custom_nodes:
                raise QueryError(flag, "needs --custom-nodes DIR to know what is installed")
        query = parse_query(params, tags=args.tag)
    except QueryError as exc:
        print(f"error: --{exc.param.replace('q', 'query')}: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    marks = installed_marks(args, catalog)
    page = service.search(
        catalog, query, marks, installed_only=args.installed, disabled_only=args.disabled
    )
    if args.json:
        _dump(page.to_dict(), out)
        return EXIT_OK
    result = page.result
    for resource in result.items:
        print(text_line(resource, catalog) + _mark(resource.id, marks), file=out)
    shown = f"{result.offset + 1}-{result.offset + len(result.items)}" if result.items else "none"
    print(f"({shown} of {result.total})", file=out)
    return EXIT_OK


def _mark(resource_id: str, marks: service.Marks) -> str:
    if resource_id in marks.disabled:
        return "  [installed, disabled]"
    return "  [installed]" if resource_id in marks.installed else ""


def _show(args: argparse.Namespace, catalog: Catalog, out: TextIO) -> int:
    resource = catalog.get(args.id)
    if resource is None:
        print(f"error: no resource with id {args.id!r}", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.json:
        _dump(resource.to_dict(), out)
        return EXIT_OK
    for key, value in resource.to_dict().items():
        if value in ("", None, []) or (key == "node_count" and value == 0):
            continue  # nothing to say: a field left empty, or no node classes (not a pack)
        shown = ", ".join(value) if isinstance(value, list) else value
        print(f"{key:>12}: {shown}", file=out)
    return EXIT_OK


def _provides(args: argparse.Namespace, catalog: Catalog, out: TextIO) -> int:
    patterns: dict[str, str] = {}
    for source in build_store(args).sources:  # the Manager's node name patterns, if read
        if isinstance(source, ManagerSource):
            patterns.update(source.node_patterns())
    return cli_provides.provides(args, catalog, installed_marks(args, catalog), out, patterns)


def _stats(args: argparse.Namespace, catalog: Catalog, out: TextIO) -> int:
    summary = service.catalogue_stats(catalog)
    if args.json:
        _dump(summary, out)
        return EXIT_OK
    print(f"{summary['resources']} resources (catalogue version {catalog.version})", file=out)
    for status in catalog.sources:
        print(
            f"  source {status.name}: {status.resources} resources, {status.problems} problems",
            file=out,
        )
    for title, counts in (("kind", summary["kinds"]), ("category", summary["categories"])):
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
    print(
        f"ok: {len(result.resources)} resources, {len(result.categories)} categories, "
        f"{files} file(s)",
        file=out,
    )
    return EXIT_OK


def _dump(document: object, out: TextIO) -> None:
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    stream = sys.stdout if out is None else out
    try:
        return _run(args, stream)
    except DomainError as exc:  # a disk that refused a write, say: its words, no traceback
        print(f"error: {exc.message}", file=sys.stderr)
        return EXIT_PROBLEMS


def _run(args: argparse.Namespace, stream: TextIO) -> int:
    without_catalog = {
        "validate": _validate,
        "render": cli_lists.render,
        "enrich": cli_enrich.enrich,
    }
    if args.command in without_catalog:
        return without_catalog[args.command](args, stream)
    if args.command == "refresh":
        return cli_sources.refresh(args, args.cache_dir, stream)
    if args.command == "check-links" and args.paths:
        return cli_sources.check_links(args, None, args.cache_dir, stream)
    catalog = build_store(args).get()
    warn_skipped(len(catalog.problems))
    if args.command == "check-links":
        return cli_sources.check_links(args, catalog, args.cache_dir, stream)
    if args.command == "import-markdown":  # the catalogue in use knows many entries' kinds
        return cli_lists.import_markdown(args, catalog, stream)
    handlers = {"search": _search, "show": _show, "stats": _stats, "provides": _provides}
    return handlers[args.command](args, catalog, stream)
