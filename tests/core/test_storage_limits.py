"""What the pack acknowledges it can read back: every file it keeps is bounded in entries and
bytes, counted as stored, with one limit shared by the writer and the reader."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings, target
from hypothesis import strategies as st

from nodes.app import settings as settings_module
from nodes.app.settings import (
    MAX_PATH,
    MAX_SETTINGS_BYTES,
    SETTINGS_FILE,
    Settings,
    SourceSetting,
    load_settings,
    save_settings,
)
from nodes.core.catalog import Catalog
from nodes.core.errors import DomainError, ErrorKind
from nodes.core.urls import MAX_URL_LENGTH
from nodes.core.validate import (
    MAX_AUTHOR,
    MAX_DESCRIPTION,
    MAX_LICENSE,
    MAX_NAME,
    MAX_STARS,
    MAX_TAGS,
)
from nodes.sources import userdata
from nodes.sources.userdata import (
    MAX_ENTRY_BYTES,
    MAX_FAVORITES,
    MAX_FILE_BYTES,
    MAX_USER_RESOURCES,
    UserData,
    UserDataError,
)

FOUR = "\U0001f600"  # 😀: four bytes in UTF-8
ENTRY = {"name": "My Tool", "url": "https://github.com/Example/My-Tool", "kind": "tool"}


def largest_entry(n: int, char: str = FOUR) -> dict[str, Any]:
    """The largest entry the shared validation accepts, every text field full of ``char``."""
    url = f"https://example.org/{n}/"
    return {
        "id": f"{n:x}-" + "i" * (78 - len(f"{n:x}")),
        "name": char * MAX_NAME,
        "url": url + char * (MAX_URL_LENGTH - len(url)),
        "category": "c" * 80,
        "kind": "node-pack",
        "description": char * MAX_DESCRIPTION,
        "tags": [f"{t:02d}" + "t" * 30 for t in range(MAX_TAGS)],
        "author": char * MAX_AUTHOR,
        "license": char * MAX_LICENSE,
        "install_url": url + char * (MAX_URL_LENGTH - len(url)),
        "stars": MAX_STARS,
        "updated": "2025-01-31",
    }


def stored_bytes(folder: Path) -> bytes | None:
    path = folder / userdata.RESOURCES_FILE
    return path.read_bytes() if path.exists() else None


class TestTheEntriesFileNeverOutgrowsItsReader:
    """The bug of issue 9: every entry was acknowledged, then the file was too large to read."""

    def test_the_largest_valid_entry_fits_the_per_entry_limit(self) -> None:
        """MAX_ENTRY_BYTES is derived: the validation's longest fields in 4-byte characters."""
        size = len(userdata.encode_entry(largest_entry(1)))
        assert 26_000 < size <= MAX_ENTRY_BYTES

    def test_what_is_acknowledged_survives_a_restart_at_the_real_limit(
        self, tmp_path: Path, curated: Catalog
    ) -> None:
        """Near 8 MiB of long entries with 4-byte characters, adding goes on until the next
        entry would not fit; then it is refused with the limit, and a restart reads them all."""
        folder = tmp_path / "user"
        entries = []
        size = 0
        while size < MAX_FILE_BYTES - 2 * MAX_ENTRY_BYTES:
            entry = {**largest_entry(len(entries)), "category": "mine"}
            entries.append(entry)
            size += len(userdata.encode_entry(entry))
        folder.mkdir()
        (folder / userdata.RESOURCES_FILE).write_bytes(
            userdata.encode_document({"schema": 1, "resources": entries})
        )
        user = UserData(folder)
        acknowledged = [r.to_dict() for r in user.entries()]
        assert len(acknowledged) == len(entries)
        refused = None
        for n in range(len(entries), len(entries) + 5):
            try:
                acknowledged.append(
                    user.add(largest_entry(n) | {"category": "mine"}, curated).to_dict()
                )
            except UserDataError as exc:
                refused = exc
                break
        assert refused is not None
        assert refused.kind is ErrorKind.FULL
        assert refused.message.startswith("your entries would take ")
        assert refused.message.endswith(
            f" bytes as stored; the limit is {MAX_FILE_BYTES} bytes for all your entries: "
            "delete or shorten some first"
        )
        assert (folder / userdata.RESOURCES_FILE).stat().st_size <= MAX_FILE_BYTES
        restarted = UserData(folder)
        assert [r.to_dict() for r in restarted.entries()] == acknowledged
        assert restarted.load().problems == ()

    def test_a_small_limit_is_reached_the_same_way(
        self, tmp_path: Path, curated: Catalog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Writer and reader share the one constant: lowering it lowers both."""
        monkeypatch.setattr(userdata, "MAX_FILE_BYTES", 64 * 1024)
        user = UserData(tmp_path / "user")
        acknowledged = []
        refused: list[ErrorKind] = []
        for n in range(20):
            try:
                acknowledged.append(user.add(largest_entry(n) | {"category": "mine"}, curated))
            except UserDataError as exc:
                refused.append(exc.kind)
                break
        assert refused == [ErrorKind.FULL]
        assert 0 < len(acknowledged) < 20
        assert [r.id for r in UserData(tmp_path / "user").entries()] == [r.id for r in acknowledged]

    def test_an_entry_over_its_own_limit_is_refused_with_the_limit(
        self, tmp_path: Path, curated: Catalog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(userdata, "MAX_ENTRY_BYTES", 200)
        user = UserData(tmp_path / "user")
        user.add(ENTRY, curated)
        before = stored_bytes(user.folder)
        long_entry = {**ENTRY, "url": "https://example.org/x", "description": FOUR * 100}
        with pytest.raises(UserDataError) as caught:
            user.add(long_entry, curated)
        size = len(userdata.encode_entry({**long_entry, "id": "example-org-x", "category": "mine"}))
        assert (caught.value.kind, caught.value.message) == (
            ErrorKind.INVALID,
            f"the entry takes {size} bytes as stored; the limit is 200 bytes per entry",
        )
        with pytest.raises(UserDataError):
            user.update("example.my-tool", {**ENTRY, "description": FOUR * 100}, curated)
        assert stored_bytes(user.folder) == before
        assert [r.description for r in user.entries()] == [""]

    def test_an_update_that_would_overflow_is_refused(
        self, tmp_path: Path, curated: Catalog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(userdata, "MAX_FILE_BYTES", 2000)
        user = UserData(tmp_path / "user")
        user.add(ENTRY, curated)
        before = stored_bytes(user.folder)
        with pytest.raises(UserDataError) as caught:
            user.update("example.my-tool", {**ENTRY, "description": FOUR * 600}, curated)
        assert caught.value.kind is ErrorKind.FULL
        assert stored_bytes(user.folder) == before
        user.delete("example.my-tool")  # a delete only shrinks the file: never refused
        assert user.entries() == []

    def test_what_is_stored_is_what_was_acknowledged(
        self, tmp_path: Path, curated: Catalog
    ) -> None:
        """Stored values are the validated ones: surrounding spaces (which the validation does
        not count) and text after a date are not kept, so the limits hold as stored."""
        user = UserData(tmp_path / "user")
        raw = {
            **ENTRY,
            "name": "  My Tool" + " " * 30_000,
            "updated": "2025-01-31T10:00:00Z" + "x" * 20_000,
            "stars": None,
            "tags": ["a", "b"],
        }
        resource = user.add(raw, curated)
        stored = json.loads(user.resources_path.read_bytes())["resources"]
        assert stored == [
            {
                "name": "My Tool",
                "url": ENTRY["url"],
                "kind": "tool",
                "updated": "2025-01-31",
                "tags": ["a", "b"],
                "id": "example.my-tool",
                "category": "mine",
            }
        ]
        assert UserData(tmp_path / "user").entries() == [resource]

    @pytest.mark.parametrize(
        ("field", "value"),
        [("name", "bad \ud800 half"), ("description", "\udfff"), ("author", "x\udbff")],
    )
    def test_text_that_cannot_be_stored_is_refused(
        self, tmp_path: Path, curated: Catalog, field: str, value: str
    ) -> None:
        """A lone surrogate (JSON allows ``"\\ud800"``) has no UTF-8 form: refused, nothing kept."""
        user = UserData(tmp_path / "user")
        user.add(ENTRY, curated)
        before = stored_bytes(user.folder)
        with pytest.raises(UserDataError) as caught:
            user.add({**ENTRY, "url": "https://example.org/s", field: value}, curated)
        assert (caught.value.kind, caught.value.message) == (
            ErrorKind.INVALID,
            "the entry is not valid",
        )
        [reported] = caught.value.problems
        assert (reported.field, reported.message) == (
            field,
            "contains a character that cannot be stored (an unpaired surrogate)",
        )
        assert stored_bytes(user.folder) == before
        assert [r.id for r in user.entries()] == ["example.my-tool"]


# -- the property ------------------------------------------------------------------------

UNIT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cc",)),
        st.sampled_from([FOUR, "\U0010fffd", '"', "\\", "é", " "]),
    ),
    min_size=1,
    max_size=6,
)
OPERATION = st.tuples(
    st.sampled_from(["add", "update", "delete", "add"]),
    st.integers(0, 9),  # which entry: a new URL to add, or the nth entry held to change
    UNIT,  # the text repeated in its fields
    st.integers(0, MAX_DESCRIPTION + 20),  # the description's length in characters
    st.integers(0, 9),  # 7: the name ends with a lone surrogate
)


def _raw(slot: int, unit: str, size: int, broken: int) -> dict[str, Any]:
    raw = {
        "name": (unit * MAX_NAME)[: MAX_NAME - 1] + ("\ud800" if broken == 7 else ""),
        "url": f"https://example.org/{slot}",
        "kind": "tool",
        "author": unit,
    }
    if size:
        raw["description"] = (unit * (size // len(unit) + 1))[:size]
    return raw


EXPECTED_REFUSALS = (ErrorKind.INVALID, ErrorKind.FULL, ErrorKind.NOT_FOUND, ErrorKind.CONFLICT)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(OPERATION, max_size=12))
def test_acknowledged_is_read_back_and_refused_changes_nothing(
    curated: Catalog, operations: list[tuple[str, int, str, int, int]]
) -> None:
    """Whatever add/update/delete acknowledges a new UserData on the folder (a restart) reads
    back identically; whatever it refuses leaves the file and the listing as they were."""
    limit = 4 * 1024  # small, so that sizes and Unicode reach it within a few operations
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(userdata, "MAX_FILE_BYTES", limit)
        user = UserData(Path(folder))
        model: dict[str, dict[str, Any]] = {}
        fullest = 0.0
        for action, slot, unit, size, broken in operations:
            held = list(model) or ["example-org-0"]  # none held: that one is not found
            resource_id = held[slot % len(held)]
            before = (stored_bytes(Path(folder)), [r.to_dict() for r in user.entries()])
            try:
                if action == "add":
                    done = user.add(_raw(slot, unit, size, broken), curated)
                    model[done.id] = done.to_dict()
                elif action == "update":
                    url_slot = int(resource_id.rsplit("-", 1)[1])
                    done = user.update(resource_id, _raw(url_slot, unit, size, broken), curated)
                    model[done.id] = done.to_dict()
                else:
                    user.delete(resource_id)
                    del model[resource_id]
            except DomainError as exc:
                refused = exc.kind
                event(f"{action} refused: {refused.value}")
                after = (stored_bytes(Path(folder)), [r.to_dict() for r in user.entries()])
                assert after == before
                assert refused in EXPECTED_REFUSALS
            else:
                event(f"{action} acknowledged")
            stored = stored_bytes(Path(folder))
            fullest = max(fullest, 0 if stored is None else len(stored) / limit)
            assert stored is None or len(stored) <= limit
            restarted = UserData(Path(folder))
            assert [r.to_dict() for r in restarted.entries()] == list(model.values())
            assert restarted.load().problems == ()
        target(fullest)  # steer towards files near the limit


# -- favourites ---------------------------------------------------------------------------


class TestFavouritesAreBounded:
    def test_the_most_favourites_fit_the_reader(self, tmp_path: Path) -> None:
        """MAX_FAVORITES ids of the longest form cannot outgrow MAX_FILE_BYTES."""
        ids = [f"{n:07d}" + "x" * 73 for n in range(MAX_FAVORITES)]
        user = UserData(tmp_path)
        assert user.set_favorites(ids) == ids
        assert user.favorites_path.stat().st_size <= MAX_FILE_BYTES
        assert UserData(tmp_path).favorites() == ids

    def test_over_the_file_limit_is_refused_and_changes_nothing(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        user = UserData(tmp_path)
        user.set_favorites(["a"])
        before = user.favorites_path.read_bytes()
        monkeypatch.setattr(userdata, "MAX_FILE_BYTES", 100)
        with pytest.raises(UserDataError) as caught:
            user.set_favorites([f"id-{n}" for n in range(20)])
        assert caught.value.kind is ErrorKind.FULL
        assert caught.value.message.startswith("your favourites would take ")
        assert caught.value.message.endswith(" bytes as stored; the limit is 100 bytes")
        assert user.favorites_path.read_bytes() == before


# -- settings -----------------------------------------------------------------------------


class TestSettingsAreBounded:
    def test_the_largest_settings_fit_the_reader(self, tmp_path: Path) -> None:
        """Both sources with the longest folder and URL, in the characters that take the most
        bytes as stored, still fit MAX_SETTINGS_BYTES."""
        url = "https://example.org/"
        longest = SourceSetting(True, FOUR * MAX_PATH, url + FOUR * (MAX_URL_LENGTH - len(url)))
        largest = Settings(manager=longest, registry=longest)
        save_settings(tmp_path, largest)
        assert (tmp_path / SETTINGS_FILE).stat().st_size <= MAX_SETTINGS_BYTES
        assert load_settings(tmp_path) == (largest, [])

    def test_a_file_over_the_limit_is_not_read(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(settings_module, "MAX_SETTINGS_BYTES", 10)
        (tmp_path / SETTINGS_FILE).write_text('{"manager": {"enabled": true}}')
        settings_read, [found] = load_settings(tmp_path)
        assert settings_read == Settings()
        assert found.message == ("is not usable (it is larger than 10 bytes); using the defaults")

    def test_saving_over_the_limit_is_refused(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        save_settings(tmp_path, Settings())
        before = (tmp_path / SETTINGS_FILE).read_bytes()
        monkeypatch.setattr(settings_module, "MAX_SETTINGS_BYTES", 100)
        with pytest.raises(DomainError) as caught:
            save_settings(tmp_path, Settings(manager=SourceSetting(True, "/x" * 50)))
        assert caught.value.kind is ErrorKind.FULL
        assert caught.value.message.startswith("the settings would take ")
        assert (tmp_path / SETTINGS_FILE).read_bytes() == before


def test_the_count_limits_stay_as_documented() -> None:
    assert (MAX_USER_RESOURCES, MAX_FAVORITES) == (2000, 10_000)
    assert (MAX_FILE_BYTES, MAX_ENTRY_BYTES, MAX_SETTINGS_BYTES) == (
        8 * 1024 * 1024,
        32 * 1024,
        256 * 1024,
    )
