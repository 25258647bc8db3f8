"""A failed write changes nothing, in memory or on disk: on a real tmpfs that is full, or
remounted read-only, the user's entries, favourites, settings and caches stay as they were,
and the error says why in words (no space, or which folder and what the system said)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nodes.app.pack import Pack
from nodes.app.settings import SETTINGS_FILE, load_settings
from nodes.core.catalog import Catalog
from nodes.core.errors import DomainError, ErrorKind
from nodes.net.cache import CachedCopy, RemoteCache
from nodes.net.links import LinkCache, LinkStatus
from nodes.sources.userdata import RESOURCES_FILE, UserData
from tests.helpers.tmpfs import fill, read_only, tmpfs, unfill

ENTRY = {"name": "My Tool", "url": "https://github.com/Example/My-Tool", "kind": "tool"}
OTHER = {"name": "Other", "url": "https://example.org/other", "kind": "tool"}
NO_SPACE = "No space left on device"
READ_ONLY = "Read-only file system"


def no_space(folder: Path, names: str) -> str:
    return f"cannot save {names} in {folder}: {NO_SPACE}; free some space and try again"


def cannot_save(folder: Path, names: str) -> str:
    return f"cannot save {names} in {folder}: {READ_ONLY}"


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "disk") as folder:
        yield folder


@pytest.fixture
def user(disk: Path, curated: Catalog) -> UserData:
    """User data on the tmpfs holding one entry and one favourite."""
    data = UserData(disk / "user")
    data.add(ENTRY, curated)
    data.set_favorites(["example.my-tool"])
    return data


class TestUserDataOnAFullDisk:
    def test_a_failed_add_is_not_listed_nor_saved_later(
        self, disk: Path, user: UserData, curated: Catalog
    ) -> None:
        before = listing(user.folder)
        fill(disk)
        with pytest.raises(DomainError) as caught:
            user.add(OTHER, curated)
        assert (caught.value.kind, caught.value.message) == (
            ErrorKind.NO_SPACE,
            no_space(user.folder, RESOURCES_FILE),
        )
        assert [r.id for r in user.entries()] == ["example.my-tool"]
        assert listing(user.folder) == before  # no temporary file left either
        unfill(disk)
        user.add({**OTHER, "url": "https://example.org/third"}, curated)
        expected = ["example.my-tool", "example-org-third"]
        assert [r.id for r in user.entries()] == expected
        assert [r.id for r in UserData(user.folder).entries()] == expected

    def test_a_failed_update_keeps_the_old_entry(
        self, disk: Path, user: UserData, curated: Catalog
    ) -> None:
        before = listing(user.folder)
        fill(disk)
        with pytest.raises(DomainError) as caught:
            user.update("example.my-tool", {**ENTRY, "name": "Renamed"}, curated)
        assert caught.value.kind is ErrorKind.NO_SPACE
        assert [r.name for r in user.entries()] == ["My Tool"]
        assert listing(user.folder) == before

    def test_a_failed_delete_is_still_listed(self, disk: Path, user: UserData) -> None:
        before = listing(user.folder)
        fill(disk)
        with pytest.raises(DomainError) as caught:
            user.delete("example.my-tool")
        assert caught.value.kind is ErrorKind.NO_SPACE
        assert [r.id for r in user.entries()] == ["example.my-tool"]
        assert listing(user.folder) == before

    def test_failed_favourites_stay_as_they_were(self, disk: Path, user: UserData) -> None:
        before = listing(user.folder)
        fill(disk)
        for change in (
            lambda: user.set_favorites(["a", "b"]),
            lambda: user.toggle_favorite("b", on=True),
            lambda: user.toggle_favorite("example.my-tool", on=False),
        ):
            with pytest.raises(DomainError) as caught:
                change()
            assert (caught.value.kind, caught.value.message) == (
                ErrorKind.NO_SPACE,
                no_space(user.folder, "favorites.json"),
            )
            assert user.favorites() == ["example.my-tool"]
        assert listing(user.folder) == before


class TestUserDataInAReadOnlyFolder:
    def test_every_change_is_refused_naming_the_folder_and_the_cause(
        self, disk: Path, user: UserData, curated: Catalog
    ) -> None:
        before = listing(user.folder)
        read_only(disk)
        changes = {
            RESOURCES_FILE: [
                lambda: user.add(OTHER, curated),
                lambda: user.update("example.my-tool", {**ENTRY, "name": "New"}, curated),
                lambda: user.delete("example.my-tool"),
            ],
            "favorites.json": [
                lambda: user.set_favorites([]),
                lambda: user.toggle_favorite("x", on=True),
            ],
        }
        for name, calls in changes.items():
            for change in calls:
                with pytest.raises(DomainError) as caught:
                    change()
                assert (caught.value.kind, caught.value.message) == (
                    ErrorKind.STORAGE,
                    cannot_save(user.folder, name),
                )
        assert [r.to_dict()["name"] for r in user.entries()] == ["My Tool"]
        assert user.favorites() == ["example.my-tool"]
        assert listing(user.folder) == before


class TestSettings:
    @pytest.fixture
    def pack(self, disk: Path, data_dir: Path) -> Pack:
        pack = Pack(disk / "user", data_dir=data_dir)
        pack.update_source("manager", {"url": "https://example.org/db"})
        return pack

    def test_a_full_disk_keeps_the_settings(self, disk: Path, pack: Pack) -> None:
        before = (pack.settings, listing(pack.user_dir))
        fill(disk)
        with pytest.raises(DomainError) as caught:
            pack.update_source("registry", {"enabled": True})
        assert (caught.value.kind, caught.value.message) == (
            ErrorKind.NO_SPACE,
            no_space(pack.user_dir, SETTINGS_FILE),
        )
        assert (pack.settings, listing(pack.user_dir)) == before
        assert load_settings(pack.user_dir)[0] == pack.settings

    def test_a_bad_file_is_put_back_when_the_new_one_cannot_be_written(
        self, disk: Path, pack: Pack
    ) -> None:
        path = pack.user_dir / SETTINGS_FILE
        path.write_bytes(b"{broken")
        fill(disk)
        with pytest.raises(DomainError) as caught:
            pack.update_source("registry", {"enabled": True})
        assert caught.value.kind is ErrorKind.NO_SPACE
        assert path.read_bytes() == b"{broken"
        assert sorted(listing(pack.user_dir)) == [SETTINGS_FILE]

    def test_a_read_only_folder_keeps_the_settings(self, disk: Path, pack: Pack) -> None:
        before = (pack.settings, listing(pack.user_dir))
        read_only(disk)
        with pytest.raises(DomainError) as caught:
            pack.update_source("registry", {"enabled": True})
        assert (caught.value.kind, caught.value.message) == (
            ErrorKind.STORAGE,
            cannot_save(pack.user_dir, SETTINGS_FILE),
        )
        assert (pack.settings, listing(pack.user_dir)) == before

    def test_a_bad_file_in_a_read_only_folder(self, disk: Path, pack: Pack) -> None:
        (pack.user_dir / SETTINGS_FILE).write_bytes(b"{broken")
        read_only(disk)
        with pytest.raises(DomainError) as caught:
            pack.update_source("registry", {"enabled": True})
        assert (caught.value.kind, caught.value.message) == (
            ErrorKind.STORAGE,
            cannot_save(pack.user_dir, SETTINGS_FILE),
        )
        assert (pack.user_dir / SETTINGS_FILE).read_bytes() == b"{broken"


class TestCaches:
    STATUS = LinkStatus(
        "https://a.org", "dead", 404, "https://a.org", "2025-01-02T00:00:00+00:00", "HTTP 404"
    )

    def test_a_link_cache_that_cannot_be_written_is_unchanged(self, disk: Path) -> None:
        cache = LinkCache(disk / "cache" / "links.json")
        cache.merge({self.STATUS.url: self.STATUS})
        newer = LinkStatus("https://b.org", "alive", 200, "https://b.org", "2025-02-01T00:00:00Z")
        fill(disk)
        with pytest.raises(DomainError) as caught:
            cache.merge({newer.url: newer})
        assert (caught.value.kind, caught.value.message) == (
            ErrorKind.NO_SPACE,
            no_space(disk / "cache", "links.json"),
        )
        assert cache.load() == {self.STATUS.url: self.STATUS}
        unfill(disk)
        read_only(disk)
        with pytest.raises(DomainError) as caught:
            cache.merge({newer.url: newer})
        assert caught.value.kind is ErrorKind.STORAGE
        assert cache.load() == {self.STATUS.url: self.STATUS}

    def test_a_copy_whose_metadata_cannot_be_written_keeps_the_old_copy(self, disk: Path) -> None:
        """The body and its metadata are both written before either replaces the old pair:
        when only the body fits, the old copy stays whole (it is not lost to a mismatch)."""
        cache = RemoteCache(disk / "cache")
        old = CachedCopy(b"old" * 1000, "https://x.org/db", '"1"', None, "2025-01-01", "2025-01-01")
        cache.write("db", old)
        new = CachedCopy(b"n" * 8192, "https://x.org/db", '"2"', None, "2025-02-01", "2025-02-01")
        body_path, _ = cache.paths("db")
        with body_path.open("rb"):  # a reader holds the old body: its pages stay in use
            fill(disk, leave_pages=2)  # room for the new body, none for its metadata
            with pytest.raises(DomainError) as caught:
                cache.write("db", new)
        assert (caught.value.kind, caught.value.message) == (
            ErrorKind.NO_SPACE,
            no_space(disk / "cache", "db.body, db.meta.json"),
        )
        assert cache.read("db") == old
        assert sorted(p.name for p in (disk / "cache").iterdir()) == ["db.body", "db.meta.json"]

    def test_a_read_only_cache_keeps_the_old_copy(self, disk: Path) -> None:
        cache = RemoteCache(disk / "cache")
        old = CachedCopy(b"old", "https://x.org/db", None, None, "2025-01-01", "2025-01-01")
        cache.write("db", old)
        read_only(disk)
        with pytest.raises(DomainError) as caught:
            cache.store("db", CachedCopy(b"new", old.url, None, None, "b", "b"), old)
        assert (caught.value.kind, caught.value.message) == (
            ErrorKind.STORAGE,
            cannot_save(disk / "cache", "db.body, db.meta.json"),
        )
        assert cache.read("db") == old
