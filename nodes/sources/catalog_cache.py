"""The merged catalogue and its search index kept in the pack's cache folder between runs.

One file, ``catalog.bin`` (see :mod:`nodes.core.catalog_file`), replaced atomically when
another catalogue is kept: there is never more than one, and nothing stale to clean but the
temporary files an interrupted write leaves (the pack removes those at start). A file
that is missing, too large, damaged, or written for other sources or another version of
this code is not used: the catalogue is loaded from its sources and the index built, as
without a cache, and the next :meth:`CatalogFiles.save` replaces it.
"""

from __future__ import annotations

import marshal
import sys
import threading
from array import array
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from ..core.catalog import Catalog
from ..core.catalog_file import FORMAT, catalog_bytes, catalog_key, read_catalog
from ..core.files import PACK_ROOT, digest, files_fingerprint, write_atomic
from ..core.log import logger

CATALOG_FILE = "catalog.bin"
HEAD_BYTES = 4096  # read first: the header says which sources the file is for
MAX_CATALOG_BYTES = 512 * 1024 * 1024  # about 100 MB at 100k entries; larger is not kept
# Fewer resources load and index in tens of ms (the curated list and the user's entries
# alone): a file would save nothing. The Manager's database alone has 6,000.
MIN_KEPT_RESOURCES = 1000


def code_salt(root: Path = PACK_ROOT) -> str:
    """What else the file depends on: its format, the Python that wrote it (marshal's and
    the arrays' layout), and this pack's code (an update may build differently)."""
    code = files_fingerprint(sorted((root / "nodes").rglob("*.py")))
    layout = f"{array('i').itemsize}{array('I').itemsize}{array('d').itemsize}"
    python = f"{sys.implementation.cache_tag}:{marshal.version}:{sys.byteorder}:{layout}"
    return digest([str(FORMAT), python, code])


class CatalogFiles:
    """Reads and writes the catalogue file in ``folder``; one write at a time.

    ``settings`` names what else a catalogue depends on beyond its sources' fingerprints
    (the pack's settings: a source's address is not in its fingerprint). Catalogues of
    fewer than ``min_resources`` are not kept.
    """

    def __init__(
        self,
        folder: Path,
        settings: Callable[[], str] = str,
        min_resources: int = MIN_KEPT_RESOURCES,
    ) -> None:
        self.path = folder / CATALOG_FILE
        self._settings = settings
        self._min = min_resources
        self._lock = threading.Lock()
        self._kept = ""  # the key this process last wrote

    @cached_property
    def _code(self) -> str:
        return code_salt()

    def salt(self) -> str:
        return digest([self._code, self._settings()])

    def load(self, key: str) -> Catalog | None:
        """The catalogue kept for ``key``, or ``None`` (then it is built from the sources)."""
        try:
            if self.path.stat().st_size > MAX_CATALOG_BYTES:
                raise OSError(f"larger than {MAX_CATALOG_BYTES} bytes")
            with self.path.open("rb") as handle:
                head = handle.read(HEAD_BYTES)
                found = catalog_key(head)
                if found == key:
                    head += handle.read()
        except FileNotFoundError:
            return None
        except OSError as exc:
            logger.warning("cannot read the kept catalogue %s: %s", self.path, exc)
            return None
        if found is not None and found != key:
            return None  # kept for other sources: the catalogue changed since
        catalog = None if found is None else read_catalog(head, key, self.salt())
        if catalog is None:
            logger.info("the kept catalogue %s is damaged or from other code; not used", self.path)
        return catalog

    def save(self, catalog: Catalog) -> bool:
        """Keep ``catalog`` with its full index (built now) unless it is kept already, was
        read from this file, is small, or a source failed to load (a retry may bring it back).

        Never raises: a cache that cannot be written is only slower. Answers whether it wrote.
        """
        if len(catalog.resources) < self._min or any(s.error for s in catalog.sources):
            return False
        index = catalog.index  # read back from this file, or built
        if catalog.index_reused:
            return False
        index.prepare_typos()
        with self._lock:
            if self._kept == catalog.version:
                return False
            data = catalog_bytes(catalog, self.salt())
            if len(data) > MAX_CATALOG_BYTES:
                logger.info("the catalogue is too large to keep (%d bytes)", len(data))
                return False
            try:
                write_atomic(self.path, data)
            except OSError as exc:
                logger.warning("cannot keep the catalogue in %s: %s", self.path, exc)
                return False
            self._kept = catalog.version
            return True
