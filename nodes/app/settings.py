"""Which optional sources are on, and where they come from: ``sources.json`` in the user folder.

Off by default: the pack is fully useful with the curated list alone, and nothing is
fetched until the user asks for a refresh.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from ..core.errors import DomainError, ErrorKind
from ..core.files import move_aside, save_files, write_failure
from ..core.model import Problem
from ..core.urls import url_problem

SETTINGS_FILE = "sources.json"
SCHEMA = 1
DEFAULT_REGISTRY_URL = "https://api.comfy.org"
DEFAULT_MANAGER_URL = "https://raw.githubusercontent.com/Comfy-Org/ComfyUI-Manager/main"
OPTIONAL_SOURCES = ("manager", "registry")
MAX_PATH = 1024
# sources.json as the reader accepts it and the writer may make it. The largest valid file
# (both sources with a 1024-character folder and a 2048-character URL, each character
# written as a 12-byte JSON escape) is about 74 KiB.
MAX_SETTINGS_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class SourceSetting:
    """One optional source: on or off, and an optional folder or base URL to read from."""

    enabled: bool = False
    folder: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Settings:
    manager: SourceSetting = SourceSetting()
    registry: SourceSetting = SourceSetting()

    def get(self, name: str) -> SourceSetting:
        return self.manager if name == "manager" else self.registry

    def to_dict(self) -> dict[str, Any]:
        return {"manager": asdict(self.manager), "registry": asdict(self.registry)}


class SettingsError(DomainError):
    """A settings change that cannot be applied; the message says which field and why.

    ``param`` names the source whose setting it is.
    """

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(ErrorKind.INVALID, message, param=param)


def parse_setting(raw: object, current: SourceSetting, where: str) -> SourceSetting:
    """Apply a partial update ``raw`` (``enabled``, ``folder``, ``url``) to ``current``."""
    if not isinstance(raw, Mapping):
        raise SettingsError(f"{where}: must be an object with enabled, folder or url", where)
    unknown = sorted(str(k) for k in raw if k not in ("enabled", "folder", "url"))
    if unknown:
        raise SettingsError(
            f"{where}.{unknown[0]}: unknown field; use enabled, folder or url", where
        )
    changes: dict[str, Any] = {}
    if "enabled" in raw:
        if not isinstance(raw["enabled"], bool):
            raise SettingsError(f"{where}.enabled: must be true or false", where)
        changes["enabled"] = raw["enabled"]
    if "folder" in raw:
        folder = raw["folder"]
        if not isinstance(folder, str) or len(folder) > MAX_PATH or "\x00" in folder:
            raise SettingsError(f"{where}.folder: must be a folder path (text)", where)
        changes["folder"] = folder.strip()
    if "url" in raw:
        url = raw["url"]
        error = url_problem(url) if url else None
        if not isinstance(url, str) or error is not None:
            raise SettingsError(f"{where}.url: {error or 'must be text'}", where)
        changes["url"] = url.strip()
    return replace(current, **changes)


def load_settings(folder: Path) -> tuple[Settings, list[Problem]]:
    """Read ``sources.json``; a missing file means defaults, a bad one is reported and ignored."""
    path = folder / SETTINGS_FILE
    if not path.exists():
        return Settings(), []
    try:
        if path.stat().st_size > MAX_SETTINGS_BYTES:
            raise SettingsError(f"it is larger than {MAX_SETTINGS_BYTES} bytes")
        data = json.loads(path.read_bytes())
        if not isinstance(data, Mapping):
            raise SettingsError("must be a JSON object")
        settings = Settings()
        for name in OPTIONAL_SOURCES:
            if name in data:
                parsed = parse_setting(data[name], settings.get(name), name)
                settings = replace(settings, **{name: parsed})
    except (OSError, ValueError, RecursionError) as exc:
        return Settings(), [
            Problem(SETTINGS_FILE, None, "file", f"is not usable ({exc}); using the defaults")
        ]
    return settings, []


def save_settings(folder: Path, settings: Settings) -> None:
    """Write the settings atomically; a file that was not usable is first kept aside.

    Raises :class:`DomainError` (``FULL``, ``NO_SPACE`` or ``STORAGE``) and changes nothing
    when they cannot be written: a bad file kept aside is put back.
    """
    path = folder / SETTINGS_FILE
    document = {"schema": SCHEMA, **settings.to_dict()}
    data = (json.dumps(document, indent=2) + "\n").encode()
    if len(data) > MAX_SETTINGS_BYTES:
        raise DomainError(
            ErrorKind.FULL,
            f"the settings would take {len(data)} bytes as stored; "
            f"the limit is {MAX_SETTINGS_BYTES} bytes",
        )
    aside = None
    if path.is_file() and load_settings(folder)[1]:
        try:
            aside = move_aside(path)
        except OSError as exc:
            raise write_failure(exc, [path]) from exc
    try:
        save_files([(path, data)])
    except DomainError:
        if aside is not None:
            with contextlib.suppress(OSError):
                aside.replace(path)  # the bad file back as it was; kept aside if not
        raise
