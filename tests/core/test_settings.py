"""sources.json: which optional sources are on, partial updates, and bad files ignored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nodes.app.settings import (
    DEFAULT_MANAGER_URL,
    DEFAULT_REGISTRY_URL,
    SETTINGS_FILE,
    Settings,
    SettingsError,
    SourceSetting,
    load_settings,
    parse_setting,
    save_settings,
)
from nodes.core.errors import ErrorKind
from nodes.core.model import Problem
from nodes.core.urls import url_problem

CURRENT = SourceSetting(enabled=True, folder="/srv/manager", url="https://mirror.example.org")


def problem(reason: str) -> Problem:
    return Problem(SETTINGS_FILE, None, "file", f"is not usable ({reason}); using the defaults")


class TestDefaults:
    """Both optional sources are off, with no folder or URL, until the user says otherwise."""

    def test_everything_off(self) -> None:
        assert Settings().to_dict() == {
            "manager": {"enabled": False, "folder": "", "url": ""},
            "registry": {"enabled": False, "folder": "", "url": ""},
        }

    def test_default_urls_are_the_public_services(self) -> None:
        """Without a URL set, a refresh fetches from the Registry's and the Manager's own."""
        assert url_problem(DEFAULT_REGISTRY_URL) is None
        assert url_problem(DEFAULT_MANAGER_URL) is None
        assert DEFAULT_REGISTRY_URL.startswith("https://api.comfy.org")
        assert DEFAULT_MANAGER_URL.startswith("https://raw.githubusercontent.com/Comfy-Org/")

    def test_get_names_one_source(self) -> None:
        manager, registry = SourceSetting(enabled=True), SourceSetting(url="https://r.example.org")
        settings = Settings(manager=manager, registry=registry)
        assert settings.get("manager") is manager
        assert settings.get("registry") is registry


class TestParseSetting:
    """A partial update changes only the fields it names, each checked."""

    def test_only_named_fields_change(self) -> None:
        assert parse_setting({"enabled": False}, CURRENT, "manager") == SourceSetting(
            False, "/srv/manager", "https://mirror.example.org"
        )
        assert parse_setting({}, CURRENT, "manager") == CURRENT

    def test_every_field_at_once(self) -> None:
        raw = {"enabled": True, "folder": "  ~/manager-db  ", "url": "http://127.0.0.1:8080/x"}
        assert parse_setting(raw, SourceSetting(), "registry") == SourceSetting(
            True, "~/manager-db", "http://127.0.0.1:8080/x"
        )

    def test_empty_text_clears_the_folder_and_the_url(self) -> None:
        assert parse_setting({"folder": " ", "url": ""}, CURRENT, "manager") == SourceSetting(
            True, "", ""
        )

    def test_the_longest_folder_path_is_accepted(self) -> None:
        assert parse_setting({"folder": "x" * 1024}, CURRENT, "manager").folder == "x" * 1024

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ("on", "manager: must be an object with enabled, folder or url"),
            (["enabled"], "manager: must be an object with enabled, folder or url"),
            (
                {"zzz": 1, "enable": True, "enabled": True},
                "manager.enable: unknown field; use enabled, folder or url",
            ),
            ({"enabled": "true"}, "manager.enabled: must be true or false"),
            ({"enabled": 1}, "manager.enabled: must be true or false"),
            ({"folder": 3}, "manager.folder: must be a folder path (text)"),
            ({"folder": "x" * 1025}, "manager.folder: must be a folder path (text)"),
            ({"folder": "a\x00b"}, "manager.folder: must be a folder path (text)"),
            (
                {"url": "ftp://example.org"},
                "manager.url: scheme 'ftp' is not allowed; use http or https",
            ),
            ({"url": "example.org/db"}, "manager.url: must start with http:// or https://"),
            (
                {"url": " https://example.org"},
                "manager.url: must not contain spaces or control characters",
            ),
            ({"url": 5}, "manager.url: must be text, got int"),
            ({"url": None}, "manager.url: must be text"),
            ({"url": False}, "manager.url: must be text"),
        ],
    )
    def test_bad_updates_name_the_field(self, raw: object, message: str) -> None:
        with pytest.raises(SettingsError) as caught:
            parse_setting(raw, CURRENT, "manager")
        assert str(caught.value) == message

    def test_a_settings_error_is_invalid_input_naming_the_source(self) -> None:
        """The server answers it as bad input about that source (400, param: the name)."""
        with pytest.raises(SettingsError) as caught:
            parse_setting({"enabled": "yes"}, CURRENT, "registry")
        assert (caught.value.kind, caught.value.param) == (ErrorKind.INVALID, "registry")


class TestLoadAndSave:
    """sources.json is written atomically and read back; a missing file means the defaults."""

    def test_missing_file_means_defaults(self, tmp_path: Path) -> None:
        assert load_settings(tmp_path / "nowhere") == (Settings(), [])

    def test_saved_settings_read_back(self, tmp_path: Path) -> None:
        settings = Settings(
            manager=SourceSetting(True, "/srv/manager", ""),
            registry=SourceSetting(False, "", "https://registry.example.org"),
        )
        save_settings(tmp_path / "user", settings)  # the folder is created
        assert load_settings(tmp_path / "user") == (settings, [])

    def test_the_file_format(self, tmp_path: Path) -> None:
        save_settings(tmp_path, Settings(manager=SourceSetting(enabled=True)))
        text = (tmp_path / SETTINGS_FILE).read_text(encoding="utf-8")
        assert text.endswith("}\n")
        assert json.loads(text) == {
            "schema": 1,
            "manager": {"enabled": True, "folder": "", "url": ""},
            "registry": {"enabled": False, "folder": "", "url": ""},
        }
        assert text.startswith('{\n  "schema": 1,\n  "manager": {\n    "enabled": true,')
        assert [p.name for p in tmp_path.iterdir()] == ["sources.json"]  # no temporary left

    def test_a_partial_file_keeps_the_defaults_for_the_rest(self, tmp_path: Path) -> None:
        (tmp_path / SETTINGS_FILE).write_text('{"schema": 1, "registry": {"enabled": true}}')
        assert load_settings(tmp_path) == (
            Settings(registry=SourceSetting(enabled=True)),
            [],
        )


class TestBadFiles:
    """A file that cannot be used is reported as one problem and ignored as a whole."""

    @pytest.mark.parametrize(
        ("content", "reason"),
        [
            (
                b"{not json",
                "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
            ),
            (b"", "Expecting value: line 1 column 1 (char 0)"),
            (b"[]", "must be a JSON object"),
            (b'"manager"', "must be a JSON object"),
            (b'{"manager": {"enabled": "yes"}}', "manager.enabled: must be true or false"),
            (b'{"registry": []}', "registry: must be an object with enabled, folder or url"),
            (
                b'{"manager": {"enabled": true}, "registry": {"url": "ftp://x.org"}}',
                "registry.url: scheme 'ftp' is not allowed; use http or https",
            ),
            (
                b"\xff\xfe\x00",
                "'utf-16-le' codec can't decode byte 0x00 in position 2: truncated data",
            ),
        ],
    )
    def test_reported_and_ignored(self, tmp_path: Path, content: bytes, reason: str) -> None:
        (tmp_path / SETTINGS_FILE).write_bytes(content)
        assert load_settings(tmp_path) == (Settings(), [problem(reason)])

    def test_nesting_too_deep(self, tmp_path: Path) -> None:
        (tmp_path / SETTINGS_FILE).write_bytes(b"[" * 100_000)
        settings, (found,) = load_settings(tmp_path)
        assert settings == Settings()
        assert found.message.startswith("is not usable (maximum recursion depth exceeded")
        assert found.message.endswith("; using the defaults")

    def test_unreadable(self, tmp_path: Path) -> None:
        (tmp_path / SETTINGS_FILE).mkdir()
        assert load_settings(tmp_path) == (
            Settings(),
            [problem(f"[Errno 21] Is a directory: '{tmp_path / SETTINGS_FILE}'")],
        )

    def test_the_bad_file_is_left_as_it_was(self, tmp_path: Path) -> None:
        path = tmp_path / SETTINGS_FILE
        path.write_bytes(b"{broken")
        load_settings(tmp_path)
        assert path.read_bytes() == b"{broken"

    def test_saving_over_a_bad_file_keeps_it_aside(self, tmp_path: Path) -> None:
        path = tmp_path / SETTINGS_FILE
        path.write_bytes(b"{broken")
        save_settings(tmp_path, Settings())
        [aside] = tmp_path.glob(f"{SETTINGS_FILE}.corrupt-*")
        assert aside.read_bytes() == b"{broken"
        assert load_settings(tmp_path) == (Settings(), [])

    def test_saving_over_a_good_file_replaces_it(self, tmp_path: Path) -> None:
        save_settings(tmp_path, Settings())
        save_settings(tmp_path, Settings())
        assert [p.name for p in tmp_path.iterdir()] == [SETTINGS_FILE]


def test_parse_then_save_then_load_is_lossless(tmp_path: Path) -> None:
    """What an update accepts is exactly what the next start reads."""
    raw: dict[str, Any] = {"enabled": True, "folder": "/data/manager", "url": "https://x.org/db"}
    settings = Settings(manager=parse_setting(raw, SourceSetting(), "manager"))
    save_settings(tmp_path, settings)
    assert load_settings(tmp_path)[0] == settings
