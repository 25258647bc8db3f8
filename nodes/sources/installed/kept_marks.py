"""Which catalogue entries are installed, kept in the pack's cache for the next start.

Matching 100,000 entries against the installed packs takes about 0.2 s; a restart with the
same catalogue and the same ``custom_nodes`` (the key says both) reads the ids instead.
A missing, damaged or outdated file is matched again and replaced; a write that fails
costs only the next start's match.
"""

from __future__ import annotations

import json
from pathlib import Path

from ...core.files import write_atomic
from ...core.log import logger

MARKS_FILE = "installed.json"
MAX_MARKS_BYTES = 8 << 20  # ids of installed packs: far below this

Marks = tuple[frozenset[str], frozenset[str]]  # installed ids, and the disabled among them


def read_marks(folder: Path, key: str) -> Marks | None:
    """The marks kept for ``key``, or ``None`` when there are none that fit."""
    try:
        with (folder / MARKS_FILE).open("rb") as handle:
            raw = handle.read(MAX_MARKS_BYTES + 1)
        data = json.loads(raw) if len(raw) <= MAX_MARKS_BYTES else None
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    installed, disabled = _ids(data.get("installed")), _ids(data.get("disabled"))
    if installed is None or disabled is None or not disabled <= installed:
        return None
    return installed, disabled


def _ids(found: object) -> frozenset[str] | None:
    if not isinstance(found, list) or not all(isinstance(i, str) for i in found):
        return None
    return frozenset(found)


def save_marks(folder: Path, key: str, marks: Marks) -> None:
    """Keep ``marks`` for ``key``; a failure is logged, never raised."""
    document = {"key": key, "installed": sorted(marks[0]), "disabled": sorted(marks[1])}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / MARKS_FILE, json.dumps(document).encode())
    except OSError as exc:
        logger.warning("could not keep the installed packs' marks in %s: %s", folder, exc)
