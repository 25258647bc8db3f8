"""The pack's root ``__init__.py`` imported exactly as ComfyUI imports it, without ComfyUI.

ComfyUI loads ``custom_nodes/<folder>/__init__.py`` with ``spec_from_file_location``,
registers the module under a name made from its path, and executes it. Importing must
be cheap and silent: no file or network I/O, no threads, no warnings. Inside ComfyUI
(a ``server`` module with ``PromptServer.instance``) it adds the HTTP routes, and a
failure there costs the sidebar, never the nodes.
"""

from __future__ import annotations

import builtins
import importlib.util
import io
import logging
import os
import socket
import sys
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web

from tests.helpers.live import LiveServer

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "/awesome/v1"
ROUTES = {
    ("GET", f"{PREFIX}/resources"),
    ("GET", f"{PREFIX}/resources/{{id}}"),
    ("POST", f"{PREFIX}/node-types"),
    ("GET", f"{PREFIX}/categories"),
    ("GET", f"{PREFIX}/sources"),
    ("PUT", f"{PREFIX}/sources/{{name}}"),
    ("POST", f"{PREFIX}/sources/{{name}}/refresh"),
    ("POST", f"{PREFIX}/links/check"),
    ("GET", f"{PREFIX}/links"),
    ("POST", f"{PREFIX}/validate"),
    ("GET", f"{PREFIX}/user/resources"),
    ("POST", f"{PREFIX}/user/resources"),
    ("PUT", f"{PREFIX}/user/resources/{{id}}"),
    ("DELETE", f"{PREFIX}/user/resources/{{id}}"),
    ("GET", f"{PREFIX}/user/favorites"),
    ("PUT", f"{PREFIX}/user/favorites"),
    ("PUT", f"{PREFIX}/user/favorites/{{id}}"),
    ("DELETE", f"{PREFIX}/user/favorites/{{id}}"),
    ("GET", f"{PREFIX}/openapi.json"),
}
# Audit events that touch files, processes or the network (see the audit events table).
_WATCHED = (
    "open",
    "os.",
    "shutil.",
    "socket.",
    "subprocess.",
    "http.",
    "urllib.",
    "glob.",
    "pathlib.",
    "tempfile.",
    "ftplib.",
    "smtplib.",
    "webbrowser.",
)
_recording: list[tuple[str, tuple[Any, ...]]] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _recording is not None and event.startswith(_WATCHED):
        _recording.append((event, args))


sys.addaudithook(_audit)  # hooks cannot be removed; this one records only inside `watched()`


def _is_import_machinery(event: str, args: tuple[Any, ...]) -> bool:
    """Python reading a module's code or its bytecode cache, or listing a package folder."""
    path = Path(os.fsdecode(args[0])) if args and isinstance(args[0], str | bytes) else None
    if path is None:
        return False
    if "__pycache__" in path.parts:  # importlib reads and (re)writes compiled modules
        return event in ("open", "os.mkdir", "os.rename", "os.replace", "os.remove")
    if event == "open":
        return path.suffix in (".py", ".pyc")
    if event == "os.listdir":
        return str(path) in sys.path or (path / "__init__.py").exists()
    return False


class ForbiddenIOError(Exception):
    """Raised by the guarded functions while the pack is being imported."""


@contextmanager
def watched(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Record every file, process and network access; make the common entry points raise."""
    global _recording  # noqa: PLW0603 - the audit hook is process-wide
    calls: list[str] = []

    def forbid(name: str) -> Callable[..., Any]:
        def guard(*args: Any, **kwargs: Any) -> Any:
            calls.append(f"{name}{args!r}")
            raise ForbiddenIOError(name)

        return guard

    events: list[tuple[str, tuple[Any, ...]]] = []
    with monkeypatch.context() as patch:
        # ComfyUI has no pytest: its assertion-rewriting import hook (which stats files
        # of its own accord) is left out, as it would be in a real start.
        finders = [f for f in sys.meta_path if not type(f).__module__.startswith("_pytest")]
        patch.setattr(sys, "meta_path", finders)
        for owner, name in (
            (builtins, "open"),
            (io, "open"),
            (os, "stat"),
            (os, "listdir"),
            (os, "scandir"),
            (os, "open"),
            (socket, "socket"),
            (socket, "create_connection"),
            (socket, "getaddrinfo"),
        ):
            patch.setattr(owner, name, forbid(f"{owner.__name__}.{name}"))
        _recording = events
        try:
            yield calls
        finally:
            _recording = None
    calls.extend(
        f"{event}{args!r}" for event, args in events if not _is_import_machinery(event, args)
    )


def import_pack(name: str) -> types.ModuleType:
    """What ComfyUI's ``load_custom_node`` does with a pack folder."""
    spec = importlib.util.spec_from_file_location(
        name, ROOT / "__init__.py", submodule_search_locations=[str(ROOT)]
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class FakePromptServer:
    """``server.PromptServer``: ``instance`` is created before custom nodes load."""

    instance: Any = None


class ClosedRoutes(web.RouteTableDef):
    """A route table that refuses every route, as a broken or changed server might."""

    def route(self, method: str, path: str, **kwargs: Any) -> Any:
        raise RuntimeError("the route table is closed")


@pytest.fixture
def no_comfyui(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither ComfyUI's ``server`` nor its ``folder_paths`` can be imported."""
    monkeypatch.setitem(sys.modules, "server", None)
    monkeypatch.setitem(sys.modules, "folder_paths", None)


@pytest.fixture
def comfyui(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakePromptServer]]:
    """A ``server`` module whose ``PromptServer.instance`` has a fresh route table."""
    module = types.ModuleType("server")
    module.PromptServer = FakePromptServer  # type: ignore[attr-defined]
    FakePromptServer.instance = types.SimpleNamespace(routes=web.RouteTableDef())
    monkeypatch.setitem(sys.modules, "server", module)
    yield FakePromptServer
    FakePromptServer.instance = None


@pytest.mark.usefixtures("no_comfyui")
class TestImportOutsideComfyUI:
    """Without ComfyUI the pack imports cleanly and exports what ComfyUI reads."""

    def test_exports(self, module_name: str) -> None:
        module = import_pack(module_name)
        assert sorted(module.NODE_CLASS_MAPPINGS) == [
            "AwesomeBeyond_ResourceBrowser",
            "AwesomeBeyond_ResourcePicker",
        ]
        assert module.NODE_DISPLAY_NAME_MAPPINGS == {
            "AwesomeBeyond_ResourceBrowser": "Resource Browser (Awesome)",
            "AwesomeBeyond_ResourcePicker": "Resource Picker (Awesome)",
        }
        assert set(module.NODE_DISPLAY_NAME_MAPPINGS) == set(module.NODE_CLASS_MAPPINGS)
        assert module.WEB_DIRECTORY == "./web"
        assert (ROOT / module.WEB_DIRECTORY).is_dir()
        assert module.__all__ == [
            "NODE_CLASS_MAPPINGS",
            "NODE_DISPLAY_NAME_MAPPINGS",
            "WEB_DIRECTORY",
        ]
        assert not hasattr(module, "comfy_entrypoint")

    def test_submodules_live_under_the_pack_name(self, module_name: str) -> None:
        import_pack(module_name)
        assert f"{module_name}.nodes.comfy.node_classes" in sys.modules
        assert f"{module_name}.nodes.comfy.register" in sys.modules
        assert f"{module_name}.nodes.server.table" in sys.modules
        # The catalogue code and the handlers load on first use, not at ComfyUI start-up.
        assert f"{module_name}.nodes.server.handlers" not in sys.modules
        assert f"{module_name}.nodes.core.catalog" not in sys.modules
        assert f"{module_name}.nodes.app.pack" not in sys.modules  # nothing loaded yet

    def test_no_file_or_network_io(self, module_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
        # aiohttp and PyYAML (imported above) are loaded in ComfyUI before any custom node.
        assert yaml.__name__ in sys.modules
        with watched(monkeypatch) as calls:
            module = import_pack(module_name)
        assert calls == []
        assert len(module.NODE_CLASS_MAPPINGS) == 2

    def test_the_watch_sees_io(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        target = tmp_path / "data.yaml"
        with watched(monkeypatch) as calls:
            with pytest.raises(ForbiddenIOError):
                target.stat()
            (tmp_path / "made").mkdir()  # not patched: seen through the audit hook
        assert len(calls) == 2
        assert calls[0] == f"os.stat{(target,)!r}"
        assert calls[1].startswith("os.mkdir(")

    def test_no_warnings_and_no_threads(
        self, module_name: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        threads = threading.active_count()
        with caplog.at_level(logging.DEBUG):
            import_pack(module_name)
        assert threading.active_count() == threads
        assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


class TestImportInsideComfyUI:
    """With ComfyUI's server present, importing adds the routes, and survives their failure."""

    def test_routes_are_registered(
        self, module_name: str, comfyui: type[FakePromptServer], caplog: pytest.LogCaptureFixture
    ) -> None:
        import_pack(module_name)
        routes = comfyui.instance.routes
        assert {(r.method, r.path) for r in routes} == ROUTES
        assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []

    def test_registered_routes_serve(
        self, module_name: str, comfyui: type[FakePromptServer]
    ) -> None:
        import_pack(module_name)
        app = web.Application()
        app.add_routes(comfyui.instance.routes)
        with LiveServer(app) as server:
            reply = server.get("/openapi.json")
        assert reply.status == 200
        assert reply.json()["info"]["title"] == "Awesome ComfyUI Beyond"

    def test_server_not_started_yet(
        self, module_name: str, comfyui: type[FakePromptServer], caplog: pytest.LogCaptureFixture
    ) -> None:
        comfyui.instance = None
        module = import_pack(module_name)
        assert len(module.NODE_CLASS_MAPPINGS) == 2
        assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
            ("WARNING", "ComfyUI's server is not running yet; the sidebar's API is unavailable")
        ]

    def test_failing_routes_cost_only_the_api(
        self, module_name: str, comfyui: type[FakePromptServer], caplog: pytest.LogCaptureFixture
    ) -> None:
        comfyui.instance = types.SimpleNamespace(routes=ClosedRoutes())
        module = import_pack(module_name)
        assert len(module.NODE_CLASS_MAPPINGS) == 2
        [record] = caplog.records
        assert record.levelname == "ERROR"
        assert record.getMessage() == (
            "Awesome ComfyUI Beyond: the sidebar's HTTP API could not be added"
        )
        assert record.exc_info is not None
        assert str(record.exc_info[1]) == "the route table is closed"
