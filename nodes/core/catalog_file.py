"""The merged catalogue and its search index as one file, read back instead of rebuilt.

At 100k entries, reading the sources' snapshots, merging them and building the index takes
seconds; this file holds the result, keyed by the sources' fingerprints (the catalogue's
version) and a ``salt`` naming the code and Python that wrote it. Its layout:
:data:`MAGIC`, a 4-byte header length, a JSON header (format, key, salt, and the length
and CRC-32 of each section), then two ``marshal`` sections: the catalogue (its resources
column by column, equal strings stored once), and the index's arrays, decoded on the
first search. Only the pack writes these files, into its own cache folder; a header or a
checksum that does not match makes the reader answer ``None`` before anything is
unmarshalled, and the caller rebuilds.
"""

from __future__ import annotations

import gc
import json
import marshal
import struct
from binascii import crc32
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import astuple, fields
from itertools import repeat
from typing import Any

from .catalog import Catalog, SourceStatus
from .model import Category, ModelFile, Problem, Resource

FORMAT = 1
MAGIC = b"awesome-comfyui-beyond catalogue\n"
_LENGTH = struct.Struct("<I")
_FIELDS = tuple(f.name for f in fields(Resource))
# Each field's slot: a resource read back is filled in as it was written, without running
# the constructor's 25 frozen-attribute assignments one by one.
_SETTERS = tuple(getattr(Resource, name).__set__ for name in _FIELDS)
_MODEL_FILE = _FIELDS.index("model_file")


def catalog_bytes(catalog: Catalog, salt: str) -> bytes:
    """The file's bytes for ``catalog`` (its index built now, typo table included)."""
    shared: dict[Any, Any] = {}

    def once(value: Any) -> Any:  # equal strings and tuples become one object: marshal
        # then writes it once and reads it back shared (numbers stay as they are: 1 == 1.0)
        return shared.setdefault(value, value) if type(value) in (str, tuple) else value

    rows = map(_row, catalog.resources)
    columns = [list(map(once, column)) for column in zip(*rows, strict=True)]
    document = {
        "fields": _FIELDS,
        "columns": columns or [[] for _ in _FIELDS],
        "categories": [astuple(c) for c in catalog.categories],
        "problems": [astuple(p) for p in catalog.problems],
        "sources": [astuple(s) for s in catalog.sources],
        "problems_of": {n: [astuple(p) for p in found] for n, found in catalog.problems_of.items()},
    }
    sections = [marshal.dumps(document), marshal.dumps(catalog.index.stored())]
    header = {
        "format": FORMAT,
        "key": catalog.version,
        "salt": salt,
        "sections": [[len(s), crc32(s)] for s in sections],
    }
    head = json.dumps(header, separators=(",", ":")).encode()
    return b"".join([MAGIC, _LENGTH.pack(len(head)), head, *sections])


def _row(resource: Resource) -> list[Any]:
    row = [getattr(resource, name) for name in _FIELDS]
    if resource.model_file is not None:
        row[_MODEL_FILE] = astuple(resource.model_file)
    return row


def catalog_key(data: bytes) -> str | None:
    """The key a catalogue file was written for; ``None`` when it is not one."""
    header = _header(data)
    return None if header is None else str(header["key"])


def read_catalog(data: bytes, key: str, salt: str) -> Catalog | None:
    """The catalogue ``data`` holds, or ``None`` when it is for another key or salt,
    damaged, or not such a file at all."""
    header = _header(data)
    if header is None or header["key"] != key or header.get("salt") != salt:
        return None
    sections = []
    at = len(MAGIC) + _LENGTH.size + header["length"]
    for length, check in header["sections"]:
        section = data[at : at + length]
        if len(section) != length or crc32(section) != check:
            return None
        sections.append(section)
        at += length
    if at != len(data) or len(sections) != 2:  # noqa: PLR2004 - the catalogue and the index
        return None
    enabled = gc.isenabled()
    # Without this, a collection over every object comes every few thousand new ones: 20% of
    # the time at 100k entries. Paused for this read only, and only if it was running.
    gc.disable()
    try:
        return _catalog(_unmarshal(sections[0]), key, sections[1])
    except (ValueError, TypeError, KeyError, IndexError, EOFError, AttributeError):
        return None
    finally:
        if enabled:
            gc.enable()


def _unmarshal(section: bytes) -> Any:
    """A section's values. Only sections whose length and CRC-32 match the header come here:
    bytes this pack wrote into its own cache folder, never a download or a user's file (a
    damaged file fails the checksum first); whoever could forge them could change the code."""
    return marshal.loads(section)  # noqa: S302  # nosec B302


def _header(data: bytes) -> dict[str, Any] | None:
    if not data.startswith(MAGIC):
        return None
    start = len(MAGIC) + _LENGTH.size
    try:
        (length,) = _LENGTH.unpack_from(data, len(MAGIC))
        header = json.loads(data[start : start + length])
    except (struct.error, ValueError):
        return None
    if (
        not isinstance(header, dict)
        or header.get("format") != FORMAT
        or not isinstance(header.get("key"), str)
        or not _sections(header.get("sections"))
    ):
        return None
    header["length"] = length
    return header


def _sections(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(s, list) and len(s) == 2 and all(type(n) is int and n >= 0 for n in s)  # noqa: PLR2004
        for s in value
    )


def _catalog(document: Mapping[str, Any], key: str, index: bytes) -> Catalog:
    if tuple(document["fields"]) != _FIELDS:
        raise ValueError("written for other resource fields")
    problems_of = {
        name: [Problem(*row) for row in found] for name, found in document["problems_of"].items()
    }
    return Catalog(
        _resources(document["columns"]),
        [Category(*row) for row in document["categories"]],
        [Problem(*row) for row in document["problems"]],
        [SourceStatus(*row) for row in document["sources"]],
        key,
        problems_of,
        stored_index=_index_reader(index),
    )


def _resources(columns: list[list[Any]]) -> list[Resource]:
    count = len(columns[0])
    if len(columns) != len(_FIELDS) or any(len(column) != count for column in columns):
        raise ValueError("the resource columns differ in length")
    columns[_MODEL_FILE] = [None if m is None else ModelFile(*m) for m in columns[_MODEL_FILE]]
    made: list[Resource] = list(map(object.__new__, repeat(Resource, count)))
    for setter, column in zip(_SETTERS, columns, strict=True):
        deque(map(setter, made, column), maxlen=0)  # one C-level pass per field
    return made


def _index_reader(index: bytes) -> Callable[[], Mapping[str, Any]]:
    def read() -> Mapping[str, Any]:
        found = _unmarshal(index)
        if not isinstance(found, dict):
            raise TypeError("the stored index is not a mapping")
        return found

    return read
