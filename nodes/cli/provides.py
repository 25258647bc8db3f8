"""``provides``: the node packs behind node class names, as ``POST /awesome/v1/node-types``
answers (installed packs first, then the most starred)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from ..app import service
from ..app.browse import text_line
from ..core.catalog import Catalog
from ..core.errors import DomainError
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE


def add_command(commands: Any) -> None:
    """Register ``provides TYPE [TYPE ...] [--json]``."""
    provides = commands.add_parser(
        "provides", help="find the node packs that provide node classes (e.g. VHS_LoadVideo)"
    )
    provides.add_argument(
        "types", nargs="+", metavar="TYPE", help="node class names, spelled as in a workflow"
    )
    provides.add_argument(
        "--json",
        action="store_true",
        help="print {types, unmatched} as the HTTP API serves it",
    )


def provides(
    args: argparse.Namespace,
    catalog: Catalog,
    marks: service.Marks,
    out: TextIO,
    patterns: Mapping[str, str] | None = None,
) -> int:
    """Print each type's providers; exit 1 when a type has none, 2 when one is not a name.

    ``patterns`` are the Manager's node name patterns by canonical URL (see
    :func:`..app.service.node_providers`).
    """
    try:
        answer = service.node_providers(catalog, args.types, marks, patterns)
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        json.dump(answer, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        for item in answer["types"]:
            print(item["type"], file=out)
            for provider in item["providers"]:
                print(_provider_lines(provider, catalog), file=out)
            if not item["providers"]:
                print("  no node pack in the catalogue provides it", file=out)
    if answer["unmatched"]:
        print(f"{answer['unmatched']} of {len(answer['types'])} not found", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def _provider_lines(provider: dict[str, Any], catalog: Catalog) -> str:
    resource = catalog.get(provider["id"])
    assert resource is not None  # noqa: S101 - the providers come from this catalogue
    mark = ""
    if provider.get("disabled"):
        mark = "  [installed, disabled]"
    elif provider["installed"]:
        mark = "  [installed]"
    name_line, url_line = text_line(resource, catalog).split("\n")
    return f"  {name_line}{mark}\n  {url_line}"
