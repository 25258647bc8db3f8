"""The user's own entries and favourites: validated, written atomically, one writer at a time.

Two files in one folder (ComfyUI's user directory inside ComfyUI, any folder from the CLI):
``resources.json`` feeds the catalogue like any source, and ``favorites.json`` lives
apart so that starring a resource does not rebuild the search index.

What is acknowledged can be read back: an entry is stored with the values the validation
accepted (so the per-field limits hold as stored), and a change is refused, before anything
is written, when one entry or the whole file would exceed the limits below, counted in
bytes of the very serialisation that is written. A change becomes visible only once its
file is written: a failed write (no space, a read-only folder) changes nothing.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, cast

from ..core.catalog import Catalog
from ..core.errors import DomainError, ErrorKind
from ..core.files import cannot_read, files_fingerprint, move_aside, save_files
from ..core.log import logger
from ..core.model import Category, Problem, Resource, SourceResult
from ..core.urls import id_from_url, is_valid_url
from ..core.validate import ID_RE, Location, parse_resource

RESOURCES_FILE = "resources.json"
FAVORITES_FILE = "favorites.json"
SCHEMA = 1
# Each file as the reader accepts it, and so as the writer may make it: one limit for both.
MAX_FILE_BYTES = 8 * 1024 * 1024
# One entry as stored. The largest entry the validation accepts (every text field at its
# limit in 4-byte characters, two 2048-character URLs) takes about 26.5 KiB, so this refuses
# no valid entry; it bounds what a future field could add.
MAX_ENTRY_BYTES = 32 * 1024
MAX_USER_RESOURCES = 2000
# 10,000 ids of at most 80 ASCII characters: under 1 MiB as stored, far below MAX_FILE_BYTES.
MAX_FAVORITES = 10_000
USER_CATEGORY = Category("mine", "My Resources", "Entries you added yourself.")
SOURCE_NAME = "user"


class UserDataError(DomainError):
    """A request on user data that cannot be done; ``kind`` says why.

    ``existing`` names the resource (``{"id", "name"}``) that already has the URL of an
    entry refused as a duplicate, so a form can link to it without reading the message.
    """

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        problems: Collection[Problem] = (),
        *,
        param: str | None = None,
        existing: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(kind, message, param=param, problems=problems, existing=existing)


NO_SCHEME = "must start with http:// or https://"  # what urls.url_problem says of "github.com/x"
NO_SCHEME_HINT = "start the link with https://"


def _link(value: object) -> str | None:
    """The link a person meant: ``value`` if it is one, or with ``https://`` when they left
    it out (``github.com/owner/repo``); else ``None``.

    >>> _link("github.com/owner/repo"), _link("https://x.org"), _link("not a link"), _link(3)
    ('https://github.com/owner/repo', 'https://x.org', None, None)
    """
    if not isinstance(value, str):
        return None
    if is_valid_url(value):
        return value
    guess = f"https://{value.strip()}"
    return guess if "://" not in value and is_valid_url(guess) else None


def _in_user_words(problems: list[Problem], id_sent: bool) -> list[Problem]:
    """The problems of an entry from the form: none about the id it does not show (one
    derived from the URL), and a missing scheme said as what to do."""
    words = []
    for problem in problems:
        if problem.field == "id" and not id_sent:
            continue
        if problem.field == "url" and problem.message == NO_SCHEME:
            words.append(Problem(problem.file, problem.line, problem.field, NO_SCHEME_HINT))
        else:
            words.append(problem)
    return words


def encode_document(document: Mapping[str, Any]) -> bytes:
    """The bytes written for ``document``: UTF-8 JSON, indented.

    A lone surrogate (only possible from a hand-edited file) is kept as its JSON escape
    rather than failing the write.
    """
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return text.encode("utf-8", errors="backslashreplace")


def encode_entry(entry: Mapping[str, Any]) -> bytes:
    """One entry's bytes as stored (what :data:`MAX_ENTRY_BYTES` counts)."""
    return encode_document(entry)


def _bounded(document: Mapping[str, Any], what: str, advice: str = "") -> bytes:
    """``document`` as stored, refused (FULL) when the reader could not read it back."""
    data = encode_document(document)
    if len(data) > MAX_FILE_BYTES:
        raise UserDataError(
            ErrorKind.FULL,
            f"{what} would take {len(data)} bytes as stored; "
            f"the limit is {MAX_FILE_BYTES} bytes{advice}",
        )
    return data


def entry_categories(catalog: Catalog) -> set[str]:
    """The categories a user entry may name: the catalogue's, and the user's own."""
    return {c.id for c in catalog.categories} | {USER_CATEGORY.id}


def _read_json(path: Path, kind: str) -> tuple[Any, list[Problem]]:
    """Read one of our JSON files; a corrupt one is moved aside (never overwritten) and reported."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ValueError(f"it is larger than {MAX_FILE_BYTES} bytes")
        data = json.loads(path.read_bytes())
        if not isinstance(data, dict) or not isinstance(data.get(kind), list):
            raise ValueError(f"it must be a JSON object with a '{kind}' list")
        return data, []
    except FileNotFoundError:
        return None, []
    except OSError as exc:
        return None, [Problem(path.name, None, "file", cannot_read(exc))]
    except (ValueError, RecursionError) as exc:
        try:
            aside = move_aside(path)
        except OSError as move_error:
            message = (
                f"is not usable ({exc}) and could not be moved aside: "
                f"{move_error.strerror or move_error}"
            )
            return None, [Problem(path.name, None, "file", message)]
        logger.error("%s was not usable (%s); kept it as %s and started afresh", path, exc, aside)
        return None, [
            Problem(path.name, None, "file", f"was not usable ({exc}); kept aside as {aside.name}")
        ]


class UserData:
    """The user's entries (a catalogue source) and favourite ids, in ``folder``."""

    name = SOURCE_NAME

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.resources_path = folder / RESOURCES_FILE
        self.favorites_path = folder / FAVORITES_FILE
        self._lock = threading.RLock()
        self._entries: list[Any] = []  # raw entries as stored, invalid ones included
        self._entries_key: str | None = None
        self._problems: list[Problem] = []

    # -- the catalogue source -------------------------------------------------------------

    def fingerprint(self) -> str:
        return files_fingerprint([self.resources_path])

    def load(self) -> SourceResult:
        with self._lock:
            self._refresh()
            resources: list[Resource] = []
            problems = list(self._problems)
            for index, raw in enumerate(self._entries):
                resource, errors = parse_resource(raw, self._where(index), source=SOURCE_NAME)
                problems += errors
                if resource is not None:
                    resources.append(resource)
            return SourceResult(SOURCE_NAME, tuple(resources), (USER_CATEGORY,), tuple(problems))

    def _where(self, index: int) -> Location:
        return Location(RESOURCES_FILE, None, prefix=f"resources[{index}].")

    def _refresh(self) -> None:
        key = self.fingerprint()
        if key == self._entries_key:
            return
        data, self._problems = _read_json(self.resources_path, "resources")
        self._entries = [] if data is None else list(data["resources"])
        self._entries_key = self.fingerprint()

    def _save(self, entries: list[Any]) -> None:
        """Write ``entries`` as the file, then (only then) make them the entries in memory."""
        data = _bounded(
            {"schema": SCHEMA, "resources": entries},
            "your entries",
            " for all your entries: delete or shorten some first",
        )
        save_files([(self.resources_path, data)])
        self._entries = entries
        self._entries_key = self.fingerprint()

    # -- entries --------------------------------------------------------------------------

    def entries(self) -> list[Resource]:
        return list(self.load().resources)

    def add(self, raw: object, catalog: Catalog) -> Resource:
        """Validate ``raw`` against the catalogue and append it; raise :class:`UserDataError`."""
        with self._lock:
            self._refresh()
            if len(self._entries) >= MAX_USER_RESOURCES:
                raise UserDataError(
                    ErrorKind.FULL,
                    f"you already have {MAX_USER_RESOURCES} entries; "
                    "delete some before adding more",
                )
            entry = self._complete(raw)
            id_sent = isinstance(raw, Mapping) and "id" in raw
            resource, stored = self._check(entry, catalog, replacing=None, id_sent=id_sent)
            self._save([*self._entries, stored])
            return resource

    def update(self, resource_id: str, raw: object, catalog: Catalog) -> Resource:
        with self._lock:
            self._refresh()
            index = self._index_of(resource_id)
            entry = self._complete(raw, resource_id)
            resource, stored = self._check(entry, catalog, replacing=resource_id)
            self._save([*self._entries[:index], stored, *self._entries[index + 1 :]])
            return resource

    def delete(self, resource_id: str) -> None:
        with self._lock:
            self._refresh()
            index = self._index_of(resource_id)
            self._save([*self._entries[:index], *self._entries[index + 1 :]])

    def _index_of(self, resource_id: str) -> int:
        for index, entry in enumerate(self._entries):
            if isinstance(entry, Mapping) and entry.get("id") == resource_id:
                return index
        raise UserDataError(ErrorKind.NOT_FOUND, f"you have no entry with id {resource_id!r}")

    @staticmethod
    def _complete(raw: object, resource_id: str | None = None) -> Any:
        """Fill what a person should not have to type: an id from the URL, our category."""
        if not isinstance(raw, Mapping):
            return raw
        entry = dict(raw)
        if resource_id is not None:
            entry.setdefault("id", resource_id)
        elif "id" not in entry and (link := _link(entry.get("url"))) is not None:
            entry["id"] = id_from_url(link)
        entry.setdefault("category", USER_CATEGORY.id)
        return entry

    def _check(
        self, entry: object, catalog: Catalog, replacing: str | None, *, id_sent: bool = True
    ) -> tuple[Resource, dict[str, Any]]:
        """The valid resource, and the entry as it is to be stored; or raise why not.

        ``id_sent`` is false for an entry whose id was derived from its URL: problems with
        that id are then the URL's, already reported.
        """
        resource, problems = parse_resource(
            entry, Location("request"), categories=entry_categories(catalog), source=SOURCE_NAME
        )
        if resource is None:
            words = _in_user_words(problems, id_sent)
            raise UserDataError(ErrorKind.INVALID, "the entry is not valid", words)
        stored = _stored_form(cast(Mapping[str, Any], entry), resource)
        size = len(encode_entry(stored))
        if size > MAX_ENTRY_BYTES:
            raise UserDataError(
                ErrorKind.INVALID,
                f"the entry takes {size} bytes as stored; the limit is {MAX_ENTRY_BYTES} bytes "
                "per entry",
            )
        if replacing is not None and resource.id != replacing:
            raise UserDataError(ErrorKind.INVALID, f"the id cannot change (it is {replacing!r})")
        # The user's own entries are read fresh under the lock, so two concurrent requests
        # cannot both add the same URL; the rest of the catalogue does not change with them.
        mine = [r for r in self.load().resources if r.id != replacing]
        others = [r for r in catalog.resources if r.source != SOURCE_NAME]
        # The URL first: an id made from a URL clashes exactly when the URL does, and "already
        # in the catalogue as ..." (with a link to it) is what the person can act on.
        for other in (*mine, *others):
            if other.canonical_url == resource.canonical_url:
                raise UserDataError(
                    ErrorKind.CONFLICT,
                    f"{resource.url} is already in the catalogue as "
                    f"{other.name!r} (id {other.id!r}); star it instead",
                    param="url",
                    existing={"id": other.id, "name": other.name},
                )
        for other in (*mine, *others):
            if other.id == resource.id:
                raise UserDataError(
                    ErrorKind.CONFLICT,
                    f"the id {resource.id!r} is already used by {other.name!r} ({other.source})",
                    param="id" if id_sent else "url",
                )
        return resource, stored

    # -- favourites -----------------------------------------------------------------------

    def favorites(self) -> list[str]:
        with self._lock:
            data, problems = _read_json(self.favorites_path, "favorites")
            for problem in problems:
                logger.warning("favourites: %s", problem)
            if data is None:
                return []
            return [i for i in data["favorites"] if isinstance(i, str) and ID_RE.fullmatch(i)]

    def set_favorites(self, ids: object) -> list[str]:
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise UserDataError(ErrorKind.INVALID, "'ids' must be a list of resource ids")
        if len(ids) > MAX_FAVORITES:
            raise UserDataError(
                ErrorKind.INVALID, f"at most {MAX_FAVORITES} favourites can be kept"
            )
        bad = [i for i in ids if not ID_RE.fullmatch(i)]
        if bad:
            raise UserDataError(ErrorKind.INVALID, f"{bad[0][:100]!r} is not a valid resource id")
        unique = list(dict.fromkeys(ids))
        data = _bounded({"schema": SCHEMA, "favorites": unique}, "your favourites")
        with self._lock:
            save_files([(self.favorites_path, data)])
        return unique

    def toggle_favorite(self, resource_id: str, on: bool) -> list[str]:
        with self._lock:
            current = [i for i in self.favorites() if i != resource_id]
            return self.set_favorites([*current, resource_id] if on else current)


def _stored_form(entry: Mapping[str, Any], resource: Resource) -> dict[str, Any]:
    """The fields the entry gives (in its order), with the values the validation accepted:
    text trimmed, a date as ``YYYY-MM-DD``; a field given as ``null`` is not given."""
    values = resource.to_dict()
    return {key: values[key] for key, value in entry.items() if value is not None}
