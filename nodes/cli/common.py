"""What every command shares: exit codes, the data-paths argument, the skipped-problems warning."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def add_paths_argument(parser: argparse.ArgumentParser, default: str) -> None:
    """Data folders or resource files to work on; ``default`` says what is used without any."""
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help=f"data folders or resource files (default: {default})",
    )


def warn_skipped(count: int) -> None:
    """Say on standard error that ``count`` problems in the source data were left out."""
    if count:
        print(
            f"warning: {count} problem(s) in the source data were skipped; "
            "see `python -m nodes validate`",
            file=sys.stderr,
        )


SHOWN_PROBLEMS = 20  # problems printed when a command cannot go on
