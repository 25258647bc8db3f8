"""The last good copy of each remote file, replaced only by a new copy that validated.

A :class:`RemoteCache` is a folder of copies: ``<name>.body`` and ``<name>.meta.json``
for each name. :meth:`RemoteCache.refresh` fetches one URL (conditionally when a copy
is held) and says what happened as a :class:`RefreshOutcome`; a source that downloads
in its own way (the Comfy Registry pages) keeps its result with :meth:`RemoteCache.store`
and reports with the same outcomes.

Bounded in entries and bytes: the names are fixed by the sources (four in all), a body is
at most :data:`MAX_COPY_BYTES` and its metadata at most :data:`MAX_META_BYTES`, limits the
writer refuses to pass and the reader refuses to load. Both files of a copy are written
before either replaces the old pair, so a write that fails (no space, a read-only folder)
keeps the old copy whole and raises :class:`..core.errors.DomainError`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import aiohttp

from ..core.errors import DomainError, ErrorKind
from ..core.files import save_files, too_large
from ..core.log import logger
from .fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, FetchError, fetch, not_ok, now_iso
from .guard import GuardError

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
# Twice the most any source downloads (the Comfy Registry's 64 MiB over all its pages).
MAX_COPY_BYTES = 128 * 1024 * 1024
# A URL of 2048 characters and two validators, each character a 6- or 12-byte JSON escape,
# stay below this.
MAX_META_BYTES = 64 * 1024
# An ETag or Last-Modified longer than this is not kept (the next refresh asks plainly).
MAX_VALIDATOR = 1024
# One body + metadata pair at a time, whichever cache object and folder: writes are rare,
# and two objects on one folder (a refresh and a reload) must not interleave their pairs.
_WRITE_LOCK = threading.Lock()

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CachedCopy:
    """The last good copy of a remote file, and what the server said about it."""

    body: bytes
    url: str
    etag: str | None
    last_modified: str | None
    fetched_at: str  # when this body was downloaded
    checked_at: str  # when the server last confirmed it (a 304) or sent it


@dataclass(frozen=True)  # no slots: Python 3.10 cannot subscript a slotted frozen generic
class RefreshOutcome(Generic[T]):
    """What a refresh did: ``changed``, ``not-modified`` or ``failed`` (and why).

    ``when`` is the time of this attempt; ``fetched_at`` the time of the copy now held
    (empty when there is none). ``value`` is the validated new content when it changed.
    """

    name: str
    state: Literal["changed", "not-modified", "failed"]
    message: str
    when: str
    fetched_at: str = ""
    value: T | None = None

    @property
    def ok(self) -> bool:
        return self.state != "failed"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape for the HTTP API and ``--json`` output (``value`` left out)."""
        return {
            "name": self.name,
            "state": self.state,
            "message": self.message,
            "when": self.when,
            "fetched_at": self.fetched_at,
        }


def failed_outcome(
    name: str, reason: str, when: str, held: CachedCopy | None
) -> RefreshOutcome[Any]:
    """A failed refresh of ``name``: ``reason``, and which copy stays in use (logged too)."""
    kept = f"; keeping the copy from {held.fetched_at}" if held is not None else "; no copy is held"
    logger.warning("refreshing %s failed: %s%s", name, reason, kept)
    return RefreshOutcome(
        name, "failed", reason + kept, when, "" if held is None else held.fetched_at
    )


class RemoteCache:
    """A folder of remote copies: ``<name><body_suffix>`` and ``<name>.meta.json`` for each name.

    Both files are written atomically, the body first: a crash in between leaves a new
    body with old metadata, whose checksum then no longer matches, so the next refresh
    asks unconditionally instead of trusting a stale ETag.
    """

    def __init__(self, folder: Path, *, body_suffix: str = ".body") -> None:
        self.folder = folder
        self.body_suffix = body_suffix

    def paths(self, name: str) -> tuple[Path, Path]:
        """The body and metadata files of ``name`` (``ValueError`` for an unsafe name)."""
        if not _NAME_RE.match(name):
            raise ValueError(
                f"{name!r} is not a cache name; use 1-64 lowercase letters, digits, '.', '_' or '-'"
            )
        return self.folder / f"{name}{self.body_suffix}", self.folder / f"{name}.meta.json"

    def read(self, name: str) -> CachedCopy | None:
        """The copy held for ``name``, or ``None`` when there is none or it is damaged.

        Blocking file I/O: inside the server, call it through ``asyncio.to_thread``.
        """
        body_path, meta_path = self.paths(name)
        try:
            body = _read_bounded(body_path, MAX_COPY_BYTES)
            meta: Any = json.loads(_read_bounded(meta_path, MAX_META_BYTES))
            if meta.get("sha256") != hashlib.sha256(body).hexdigest():
                logger.warning("the cached %s does not match its metadata; ignoring it", name)
                return None
            return CachedCopy(
                body,
                str(meta["url"]),
                _opt_str(meta.get("etag")),
                _opt_str(meta.get("last_modified")),
                str(meta["fetched_at"]),
                str(meta.get("checked_at") or meta["fetched_at"]),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, AttributeError, RecursionError) as exc:
            logger.warning("cannot read the cached %s in %s: %s", name, self.folder, exc)
            return None

    def write(self, name: str, copy: CachedCopy, *, body_changed: bool = True) -> None:
        """Store ``copy`` atomically (blocking: use ``asyncio.to_thread`` in the server).

        Raises :class:`DomainError` and changes nothing when the copy is over the limits
        (``FULL``) or cannot be written (``NO_SPACE``, ``STORAGE``).
        """
        body_path, meta_path = self.paths(name)
        meta = {
            "url": copy.url,
            "etag": _validator(copy.etag),
            "last_modified": _validator(copy.last_modified),
            "fetched_at": copy.fetched_at,
            "checked_at": copy.checked_at,
            "sha256": hashlib.sha256(copy.body).hexdigest(),
            "size": len(copy.body),
        }
        meta_bytes = json.dumps(meta, indent=2).encode() + b"\n"
        for what, size, limit in (
            ("copy", len(copy.body), MAX_COPY_BYTES),
            ("metadata", len(meta_bytes), MAX_META_BYTES),
        ):
            if size > limit:
                raise DomainError(ErrorKind.FULL, f"the {what} of {name} {too_large(size, limit)}")
        files = [(body_path, copy.body)] if body_changed else []
        with _WRITE_LOCK:
            save_files([*files, (meta_path, meta_bytes)])

    def store(self, name: str, copy: CachedCopy, held: CachedCopy | None) -> CachedCopy | None:
        """Keep ``copy`` as ``name``'s copy; ``None`` when it replaced ``held``.

        When ``held`` has the same body, the body is not written again: ``held`` is
        confirmed instead (with ``copy``'s validators and ``checked_at``) and returned.
        Blocking: use ``asyncio.to_thread`` in the server.
        """
        if held is not None and held.body == copy.body:
            confirmed = CachedCopy(
                held.body, held.url, copy.etag, copy.last_modified, held.fetched_at, copy.checked_at
            )
            self.write(name, confirmed, body_changed=False)
            return confirmed
        self.write(name, copy)
        return None

    async def refresh(  # noqa: PLR0911 - one return per outcome
        self,
        name: str,
        url: str,
        validate: Callable[[bytes], T],
        *,
        session: aiohttp.ClientSession | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = DEFAULT_TIMEOUT,
        allow_private: bool = False,
        max_redirects: int = 5,
    ) -> RefreshOutcome[T]:
        """Fetch ``url`` (conditionally when a copy is held) and keep it if ``validate`` accepts it.

        ``validate`` runs in a worker thread on the new bytes before anything is written;
        whatever it raises is reported and the old copy stays. Network failures, error
        statuses and oversized answers keep the old copy too. Never raises for those; a
        new copy that cannot be saved raises :class:`DomainError` (see :meth:`write`) and
        the old copy stays as well.
        """
        self.paths(name)  # a bad name is the caller's bug: raise it now
        when = now_iso()
        held = await asyncio.to_thread(self.read, name)
        # Ask conditionally only for the URL the held copy came from.
        prior = held if held is not None and held.url == url else None
        try:
            result = await fetch(
                session,
                url,
                max_bytes=max_bytes,
                timeout=timeout,
                etag=None if prior is None else prior.etag,
                last_modified=None if prior is None else prior.last_modified,
                allow_private=allow_private,
                max_redirects=max_redirects,
            )
        except (FetchError, GuardError) as exc:
            return failed_outcome(name, str(exc), when, held)
        if result.not_modified:
            if prior is None:
                reason = f"{url} answered 304 Not Modified to a plain request"
                return failed_outcome(name, reason, when, held)
            answer = CachedCopy(prior.body, url, result.etag, result.last_modified, when, when)
            await asyncio.to_thread(self.store, name, answer, prior)
            return RefreshOutcome(
                name, "not-modified", f"{name} is up to date", when, prior.fetched_at
            )
        if not result.ok:
            return failed_outcome(name, not_ok(url, result.status), when, held)
        body = result.body or b""
        try:
            value = await asyncio.to_thread(validate, body)
        except Exception as exc:  # noqa: BLE001 - any validation failure keeps the old copy
            reason = f"the new copy from {result.final_url} is not valid: {exc}"
            return failed_outcome(name, reason, when, held)
        copy = CachedCopy(body, url, result.etag, result.last_modified, when, when)
        same = await asyncio.to_thread(self.store, name, copy, prior)
        if same is not None:  # a server without validators sent the same body
            return RefreshOutcome(
                name, "not-modified", f"{name} is unchanged", when, same.fetched_at, value
            )
        logger.info("refreshed %s from %s (%d bytes)", name, result.final_url, len(body))
        return RefreshOutcome(
            name, "changed", f"{name} was updated ({len(body)} bytes)", when, when, value
        )


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _validator(value: str | None) -> str | None:
    return value if value is not None and len(value) <= MAX_VALIDATOR else None


def _read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of ``path``; ``ValueError`` when it is larger than ``limit`` (not read)."""
    size = path.stat().st_size
    if size > limit:
        raise ValueError(f"{path.name} {too_large(size, limit)}")
    return path.read_bytes()
