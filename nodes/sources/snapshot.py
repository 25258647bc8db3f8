"""Sources beyond the curated list, and the validated snapshots that make large ones load fast.

Validating the 6.4k-entry Manager database takes several times as long as parsing its
JSON, so the validated result is kept as a compact snapshot keyed by the input files'
fingerprint; while the files are unchanged, a load is one ``json.loads`` and a loop.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from ..core.files import files_fingerprint, write_atomic
from ..core.log import logger
from ..core.model import ModelFile, Problem, Resource, SourceResult
from .manager_db import load_manager_files
from .manager_files import DatabaseFiles, folder_files
from .manager_map import read_node_patterns

SNAPSHOT_SCHEMA = 2  # 2: the install facts and Registry figures
MAX_SNAPSHOT_BYTES = 128 * 1024 * 1024  # a snapshot file read at most
MAX_SNAPSHOT_ENTRIES = 100_000  # resources (and problems) a snapshot may hold
_FIELDS = tuple(f.name for f in fields(Resource))
_TUPLES = ("tags", "files", "node_types")


def _cell(resource: Resource, name: str) -> Any:
    value = getattr(resource, name)
    return asdict(value) if isinstance(value, ModelFile) else value


def default_cache_dir() -> Path:
    """Where the command line keeps snapshots: ``$XDG_CACHE_HOME`` or ``~/.cache``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "awesome-comfyui-beyond"


def snapshot_bytes(result: SourceResult, key: str) -> bytes:
    rows = [[_cell(r, name) for name in _FIELDS] for r in result.resources]
    problems = [[p.file, p.line, p.field, p.message] for p in result.problems]
    document = {
        "schema": SNAPSHOT_SCHEMA,
        "key": key,
        "source": result.name,
        "fields": _FIELDS,
        "resources": rows,
        "problems": problems,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def read_snapshot_file(path: Path) -> bytes:
    """A snapshot file's bytes; ``OSError`` when it cannot be read or is too large to be ours."""
    if path.stat().st_size > MAX_SNAPSHOT_BYTES:
        raise OSError(f"{path.name} is larger than {MAX_SNAPSHOT_BYTES} bytes")
    return path.read_bytes()


def read_snapshot(data: bytes, key: str) -> SourceResult | None:
    """Rebuild a source result from a snapshot, or ``None`` when it is stale, not ours, or
    holds more than :data:`MAX_SNAPSHOT_ENTRIES` resources or problems."""
    if len(data) > MAX_SNAPSHOT_BYTES:
        return None
    try:
        document: Any = json.loads(data)
        if (
            document.get("schema") != SNAPSHOT_SCHEMA
            or document.get("key") != key
            or tuple(document.get("fields", ())) != _FIELDS
            or len(document["resources"]) > MAX_SNAPSHOT_ENTRIES
            or len(document["problems"]) > MAX_SNAPSHOT_ENTRIES
        ):
            return None
        resources = tuple(_resource(row) for row in document["resources"])
        problems = tuple(Problem(*row) for row in document["problems"])
        return SourceResult(document["source"], resources, (), problems)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def _resource(row: list[Any]) -> Resource:
    values = dict(zip(_FIELDS, row, strict=True))
    for name in _TUPLES:
        values[name] = tuple(values[name])
    if values["model_file"] is not None:
        values["model_file"] = ModelFile(**values["model_file"])
    return Resource(**values)


@dataclass(frozen=True)
class ManagerSource:
    """ComfyUI-Manager's node database from its files, with an optional snapshot cache.

    The snapshot is keyed by the files' paths, sizes and times: reading another copy of
    the database (a newer cache, another folder) rebuilds it.
    """

    database: DatabaseFiles
    cache_dir: Path | None = None
    name: str = "manager"

    @classmethod
    def in_folder(
        cls, folder: Path, cache_dir: Path | None = None, name: str = "manager"
    ) -> ManagerSource:
        """The database as a Manager folder (or a copy of one) holds it."""
        return cls(folder_files(folder), cache_dir, name)

    @property
    def origin(self) -> str:
        return self.database.origin

    def database_file(self) -> Path:
        """The node list read (what the status page names)."""
        return self.database.node_list

    def files(self) -> list[Path]:
        return list(self.database.by_name().values())

    def fingerprint(self) -> str:
        return files_fingerprint(self.files())

    def node_patterns(self) -> dict[str, str]:
        """The packs' simple ``nodename_pattern`` by canonical URL (not a resource field)."""
        return read_node_patterns(self.database.node_map)

    def load(self) -> SourceResult:
        key = self.fingerprint()
        snapshot = None if self.cache_dir is None else self.cache_dir / f"{self.name}.snapshot.json"
        if snapshot is not None and snapshot.exists():
            try:
                cached = read_snapshot(read_snapshot_file(snapshot), key)
            except OSError:
                cached = None
            if cached is not None:
                return cached
        result = load_manager_files(self.database.by_name(), self.name)
        if snapshot is not None:
            try:
                write_atomic(snapshot, snapshot_bytes(result, key))
            except OSError as exc:
                logger.warning("cannot write the %s snapshot to %s: %s", self.name, snapshot, exc)
        return result
