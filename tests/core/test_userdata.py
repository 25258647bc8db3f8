"""The user's own entries and favourites: validated, written atomically, bad files kept aside."""

from __future__ import annotations

import errno
import json
import logging
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from nodes.core.catalog import Catalog
from nodes.core.errors import ErrorKind
from nodes.core.model import Problem
from nodes.core.urls import canonical_url, id_from_url
from nodes.sources import userdata
from nodes.sources.userdata import (
    FAVORITES_FILE,
    RESOURCES_FILE,
    USER_CATEGORY,
    UserData,
    UserDataError,
)

ENTRY = {"name": "My Tool", "url": "https://github.com/Example/My-Tool", "kind": "tool"}


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return path


def asides(folder: Path, name: str = RESOURCES_FILE) -> list[Path]:
    return sorted(folder.glob(f"{name}.corrupt-*"))


def problem(message: str, file: str = RESOURCES_FILE, field: str = "file") -> Problem:
    return Problem(file, None, field, message)


@pytest.fixture
def user(tmp_path: Path) -> UserData:
    return UserData(tmp_path / "user")


class TestReadingTheEntriesFile:
    """load() reads resources.json; a bad file is reported, kept aside and never lost."""

    def test_no_file_yet(self, user: UserData) -> None:
        result = user.load()
        assert (result.name, result.resources, result.problems) == ("user", (), ())
        assert result.categories == (USER_CATEGORY,)

    def test_valid_and_invalid_entries(self, user: UserData) -> None:
        good = {**ENTRY, "id": "my-tool", "category": "mine"}
        write(user.resources_path, {"schema": 1, "resources": [good, "junk", {**good, "id": "X"}]})
        result = user.load()
        assert [r.id for r in result.resources] == ["my-tool"]
        assert [r.source for r in result.resources] == ["user"]
        assert [(p.field, p.message) for p in result.problems] == [
            ("resources[1]", "must be a mapping of fields, got str"),
            (
                "resources[2].id",
                "'X' is not a valid id; use 1-80 lowercase letters, digits, "
                "'.', '_' or '-', starting and ending with a letter or digit",
            ),
        ]

    def test_read_once_until_the_file_changes(self, user: UserData) -> None:
        write(user.resources_path, {"resources": []})
        first = user.load()
        assert user.load() == first
        write(user.resources_path, {"resources": [{**ENTRY, "id": "a", "category": "mine"}]})
        assert [r.id for r in user.load().resources] == ["a"]

    @pytest.mark.parametrize(
        ("content", "reason"),
        [
            (b"{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
            (b"[]", "it must be a JSON object with a 'resources' list"),
            (b'{"resources": {}}', "it must be a JSON object with a 'resources' list"),
            (
                b"[" * 100_000,
                "maximum recursion depth exceeded while decoding a JSON array from a "
                "unicode string",
            ),
            (b"\x80abc", "'utf-8' codec can't decode byte 0x80 in position 0: invalid start byte"),
        ],
    )
    def test_unusable_file_is_kept_aside(
        self, user: UserData, content: bytes, reason: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        write(user.resources_path, content)
        with caplog.at_level(logging.ERROR):
            result = user.load()
        [aside] = asides(user.folder)
        assert aside.read_bytes() == content
        assert not user.resources_path.exists()
        assert result.problems == (
            problem(f"was not usable ({reason}); kept aside as {aside.name}"),
        )
        assert caplog.messages == [
            f"{user.resources_path} was not usable ({reason}); kept it as {aside} and started "
            "afresh"
        ]

    def test_oversized_file_is_kept_aside(
        self, user: UserData, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(userdata, "MAX_FILE_BYTES", 10)
        write(user.resources_path, {"resources": []})
        [reported] = user.load().problems
        [aside] = asides(user.folder)
        assert reported == problem(
            f"was not usable (it is larger than 10 bytes); kept aside as {aside.name}"
        )

    def test_two_bad_files_in_a_row_are_both_kept(self, user: UserData) -> None:
        write(user.resources_path, b"first")
        user.load()
        write(user.resources_path, b"second")
        user.load()
        assert sorted(p.read_bytes() for p in asides(user.folder)) == [b"first", b"second"]

    def test_a_new_entry_never_overwrites_the_kept_copy(
        self, user: UserData, curated: Catalog
    ) -> None:
        write(user.resources_path, b"garbage")
        user.add(ENTRY, curated)
        [aside] = asides(user.folder)
        assert aside.read_bytes() == b"garbage"
        stored = json.loads(user.resources_path.read_bytes())
        assert [e["id"] for e in stored["resources"]] == ["example.my-tool"]

    @pytest.mark.parametrize("strerror", ["Permission denied", None])
    def test_move_aside_fails(
        self, user: UserData, monkeypatch: pytest.MonkeyPatch, strerror: str | None
    ) -> None:
        write(user.resources_path, b"{")
        failure = OSError(errno.EACCES, strerror) if strerror else OSError("read-only folder")

        def refuse(self: Path, target: Path) -> Path:
            raise failure

        monkeypatch.setattr(Path, "replace", refuse)
        assert user.load().problems == (
            problem(
                "is not usable (Expecting property name enclosed in double quotes: line 1 column 2 "
                f"(char 1)) and could not be moved aside: {strerror or 'read-only folder'}"
            ),
        )
        assert user.resources_path.read_bytes() == b"{"
        assert asides(user.folder) == []

    @pytest.mark.skipif(
        os.name != "posix" or os.geteuid() == 0,
        reason="root ignores folder permissions; test_move_aside_fails covers it",
    )
    def test_move_aside_fails_in_a_read_only_folder(self, user: UserData) -> None:
        write(user.resources_path, b"{")
        user.folder.chmod(0o500)
        try:
            [reported] = user.load().problems
        finally:
            user.folder.chmod(0o700)
        assert reported.message.endswith("could not be moved aside: Permission denied")
        assert user.resources_path.read_bytes() == b"{"

    def test_unreadable_file(self, user: UserData) -> None:
        user.resources_path.mkdir(parents=True)
        assert user.load().problems == (problem("cannot be read: Is a directory"),)
        assert user.resources_path.is_dir()

    def test_folder_is_a_file(self, tmp_path: Path) -> None:
        (tmp_path / "user").write_text("not a folder")
        assert UserData(tmp_path / "user").load().problems == (
            problem("cannot be read: Not a directory"),
        )

    def test_fingerprint_follows_the_file(self, user: UserData) -> None:
        missing = user.fingerprint()
        write(user.resources_path, {"resources": []})
        assert user.fingerprint() != missing


class TestAdding:
    """add() completes, validates and stores an entry, or says why not."""

    def test_id_and_category_are_filled_in(self, user: UserData, curated: Catalog) -> None:
        resource = user.add(ENTRY, curated)
        assert (resource.id, resource.category, resource.source) == (
            "example.my-tool",
            "mine",
            "user",
        )
        stored = json.loads(user.resources_path.read_bytes())
        assert stored == {
            "schema": 1,
            "resources": [{**ENTRY, "id": "example.my-tool", "category": "mine"}],
        }
        assert user.entries() == [resource]

    def test_given_id_and_known_category_are_kept(self, user: UserData, curated: Catalog) -> None:
        resource = user.add({**ENTRY, "id": "mine-1", "category": "tools"}, curated)
        assert (resource.id, resource.category) == ("mine-1", "tools")

    def test_invalid(self, user: UserData, curated: Catalog) -> None:
        with pytest.raises(UserDataError) as caught:
            user.add(
                {"name": "X", "url": "ftp://x.org/tool", "kind": "tool", "category": "nowhere"},
                curated,
            )
        assert (caught.value.kind, caught.value.message) == (
            ErrorKind.INVALID,
            "the entry is not valid",
        )
        # Nothing about the id the form does not show (it comes from the URL).
        assert [(p.field, p.message) for p in caught.value.problems] == [
            ("url", "scheme 'ftp' is not allowed; use http or https"),
            ("category", "'nowhere' is not a known category; known: empty, mine, tools, video"),
        ]
        assert not user.resources_path.exists()

    def test_a_given_bad_id_is_reported(self, user: UserData, curated: Catalog) -> None:
        with pytest.raises(UserDataError) as caught:
            user.add({**ENTRY, "id": "Bad Id"}, curated)
        assert [p.field for p in caught.value.problems] == ["id"]

    def test_a_link_without_scheme(self, user: UserData, curated: Catalog) -> None:
        with pytest.raises(UserDataError) as caught:
            user.add({**ENTRY, "url": "github.com/Example/Other"}, curated)
        assert [(p.field, p.message) for p in caught.value.problems] == [
            ("url", "start the link with https://")
        ]
        with pytest.raises(UserDataError) as caught:
            user.add({**ENTRY, "url": "not a link"}, curated)
        assert [p.field for p in caught.value.problems] == ["url"]
        with pytest.raises(UserDataError) as caught:
            user.add({**ENTRY, "url": "example.org/half-\ud83d-pair"}, curated)
        assert [(p.field, p.message) for p in caught.value.problems] == [
            ("url", "contains a character that cannot be stored (an unpaired surrogate)")
        ]

    @pytest.mark.parametrize("raw", [["a", "list"], "text", None])
    def test_not_a_mapping(self, user: UserData, curated: Catalog, raw: object) -> None:
        with pytest.raises(UserDataError) as caught:
            user.add(raw, curated)
        assert caught.value.kind is ErrorKind.INVALID
        assert [p.field for p in caught.value.problems] == ["entry"]

    @pytest.mark.parametrize(
        ("entry", "message"),
        [
            (
                {**ENTRY, "url": "https://www.github.com/example/animatediff.git"},
                "https://www.github.com/example/animatediff.git is already in the catalogue as "
                "'AnimateDiff Evolved' (id 'animate-diff'); star it instead",
            ),
            (
                {**ENTRY, "id": "wan-model"},
                "the id 'wan-model' is already used by 'Wan Model' (curated)",
            ),
        ],
    )
    def test_conflicts_with_the_catalogue(
        self, user: UserData, curated: Catalog, entry: dict[str, Any], message: str
    ) -> None:
        with pytest.raises(UserDataError) as caught:
            user.add(entry, curated)
        assert (caught.value.kind, caught.value.message) == (ErrorKind.CONFLICT, message)
        assert caught.value.param == ("id" if "id" in entry else "url")

    def test_a_url_whose_made_id_clashes_too_is_named_by_its_url(
        self, user: UserData, curated: Catalog
    ) -> None:
        """No id given, so it is made from the URL: a URL a database already has (with the id
        made the same way) clashes twice, and the URL is what the person can act on."""
        url = "https://github.com/kijai/ComfyUI-KJNodes"
        known = replace(curated.resources[0], id=id_from_url(url), url=url, source="manager")
        with pytest.raises(UserDataError) as caught:
            user.add(
                {**ENTRY, "url": url}, Catalog([replace(known, canonical_url=canonical_url(url))])
            )
        assert caught.value.existing == {"id": known.id, "name": known.name}
        assert caught.value.param == "url"

    def test_conflicts_with_own_entries(self, user: UserData, curated: Catalog) -> None:
        user.add(ENTRY, curated)
        with pytest.raises(UserDataError) as caught:
            user.add({**ENTRY, "id": "other-id"}, curated)
        assert caught.value.message == (
            "https://github.com/Example/My-Tool is already in the catalogue as 'My Tool' "
            "(id 'example.my-tool'); star it instead"
        )
        assert (caught.value.param, caught.value.existing) == (
            "url",
            {"id": "example.my-tool", "name": "My Tool"},
        )

    def test_too_many(
        self, user: UserData, curated: Catalog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(userdata, "MAX_USER_RESOURCES", 2)
        for n in range(2):
            user.add({**ENTRY, "url": f"https://example.com/{n}"}, curated)
        with pytest.raises(UserDataError) as caught:
            user.add({**ENTRY, "url": "https://example.com/2"}, curated)
        assert (caught.value.kind, caught.value.message) == (
            ErrorKind.FULL,
            "you already have 2 entries; delete some before adding more",
        )
        assert len(user.entries()) == 2


class TestUpdatingAndDeleting:
    """update() and delete() find an entry by id; the id itself never changes."""

    def test_update(self, user: UserData, curated: Catalog) -> None:
        user.add(ENTRY, curated)
        resource = user.update("example.my-tool", {**ENTRY, "name": "Renamed"}, curated)
        assert (resource.id, resource.name) == ("example.my-tool", "Renamed")
        assert [r.name for r in user.entries()] == ["Renamed"]

    def test_update_may_keep_its_own_url(self, user: UserData, curated: Catalog) -> None:
        user.add(ENTRY, curated)
        user.update("example.my-tool", {**ENTRY, "id": "example.my-tool"}, curated)
        assert len(user.entries()) == 1

    def test_update_cannot_change_the_id(self, user: UserData, curated: Catalog) -> None:
        user.add(ENTRY, curated)
        with pytest.raises(UserDataError) as caught:
            user.update("example.my-tool", {**ENTRY, "id": "new-id"}, curated)
        assert (caught.value.kind, caught.value.message) == (
            ErrorKind.INVALID,
            "the id cannot change (it is 'example.my-tool')",
        )

    def test_unknown_id_skips_entries_that_are_not_mappings(
        self, user: UserData, curated: Catalog
    ) -> None:
        write(user.resources_path, {"resources": ["junk", {"id": "other"}]})
        for call in (lambda: user.update("nope", ENTRY, curated), lambda: user.delete("nope")):
            with pytest.raises(UserDataError) as caught:
                call()
            assert (caught.value.kind, caught.value.message) == (
                ErrorKind.NOT_FOUND,
                "you have no entry with id 'nope'",
            )

    def test_an_invalid_stored_entry_can_be_repaired(
        self, user: UserData, curated: Catalog
    ) -> None:
        write(user.resources_path, {"resources": [{"id": "broken", "name": "B"}]})
        assert user.entries() == []
        user.update("broken", ENTRY, curated)
        assert [r.id for r in user.entries()] == ["broken"]

    def test_delete(self, user: UserData, curated: Catalog) -> None:
        user.add(ENTRY, curated)
        user.add({**ENTRY, "url": "https://example.com/second"}, curated)
        user.delete("example.my-tool")
        assert [r.id for r in user.entries()] == ["example-com-second"]
        stored = json.loads(user.resources_path.read_bytes())
        assert [e["id"] for e in stored["resources"]] == ["example-com-second"]


class TestFavorites:
    """Favourite ids: read leniently, written strictly, deduplicated and bounded."""

    def test_none_yet(self, user: UserData) -> None:
        assert user.favorites() == []

    def test_set_dedupes_in_order(self, user: UserData) -> None:
        assert user.set_favorites(["b", "a", "b", "c", "a"]) == ["b", "a", "c"]
        assert user.favorites() == ["b", "a", "c"]
        assert json.loads(user.favorites_path.read_bytes()) == {
            "schema": 1,
            "favorites": ["b", "a", "c"],
        }

    def test_invalid_stored_ids_are_skipped(self, user: UserData) -> None:
        write(user.favorites_path, {"favorites": ["ok", 3, "Not OK", None, "fine.too"]})
        assert user.favorites() == ["ok", "fine.too"]

    def test_corrupt_file_is_kept_aside_with_a_warning(
        self, user: UserData, caplog: pytest.LogCaptureFixture
    ) -> None:
        write(user.favorites_path, {"favourites": ["misspelt"]})
        with caplog.at_level(logging.WARNING):
            assert user.favorites() == []
        [aside] = asides(user.folder, FAVORITES_FILE)
        assert caplog.messages[-1] == (
            "favourites: favorites.json: file: was not usable (it must be a JSON object with a "
            f"'favorites' list); kept aside as {aside.name}"
        )
        assert user.set_favorites(["a"]) == ["a"]
        assert json.loads(aside.read_bytes()) == {"favourites": ["misspelt"]}

    @pytest.mark.parametrize(
        ("ids", "message"),
        [
            ("a", "'ids' must be a list of resource ids"),
            ({"a": 1}, "'ids' must be a list of resource ids"),
            (["a", 2], "'ids' must be a list of resource ids"),
            (["a", "B"], "'B' is not a valid resource id"),
            (["a", "x" * 200], f"{'x' * 100!r} is not a valid resource id"),
            (["a", "b", "c", "d"], "at most 3 favourites can be kept"),
        ],
    )
    def test_set_refuses(
        self, user: UserData, monkeypatch: pytest.MonkeyPatch, ids: object, message: str
    ) -> None:
        monkeypatch.setattr(userdata, "MAX_FAVORITES", 3)
        user.set_favorites(["kept"])
        with pytest.raises(UserDataError) as caught:
            user.set_favorites(ids)
        assert (caught.value.kind, caught.value.message) == (ErrorKind.INVALID, message)
        assert user.favorites() == ["kept"]

    def test_toggle(self, user: UserData) -> None:
        assert user.toggle_favorite("a", on=True) == ["a"]
        assert user.toggle_favorite("b", on=True) == ["a", "b"]
        assert user.toggle_favorite("a", on=True) == ["b", "a"]
        assert user.toggle_favorite("b", on=False) == ["a"]
        assert user.toggle_favorite("b", on=False) == ["a"]

    def test_toggle_on_when_full(self, user: UserData, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(userdata, "MAX_FAVORITES", 2)
        user.set_favorites(["a", "b"])
        with pytest.raises(UserDataError, match=r"^at most 2 favourites can be kept$"):
            user.toggle_favorite("c", on=True)
        assert user.toggle_favorite("b", on=True) == ["a", "b"]
