"""Run a real ComfyUI with this pack for the end-to-end tests (and the import-time script).

Nothing here installs anything. ComfyUI is found through ``COMFYUI_DIR`` (its source
tree) and ``COMFYUI_PYTHON`` (its interpreter), else in the one default place
``~/comfyui-e2e/ComfyUI`` with ``~/comfyui-e2e/venv/bin/python`` (see
``shared/reference/real-comfyui.md`` and the README). The newest frontend comes from
``COMFYUI_FRONTEND_NEW`` or ``~/comfyui-e2e/frontend-1.58.1/comfyui_frontend_package/static``.

:func:`running_comfyui` starts ``main.py --cpu`` on 127.0.0.1 with a free port, waits for
it to be ready, and always stops it (and waits until the process is gone) on exit.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PACK_FOLDER = "awesome-comfyui-beyond"
PYTHON_MODULE = f"custom_nodes.{PACK_FOLDER}"
HOST = "127.0.0.1"
READY_LINE = "To see the GUI go to"
IMPORT_TIMES_LINE = "Import times for custom nodes:"
START_TIMEOUT = 90.0
STOP_TIMEOUT = 30.0
LOG_TAIL_LINES = 300

ENV_DIR = "COMFYUI_DIR"
ENV_PYTHON = "COMFYUI_PYTHON"
ENV_FRONTEND_NEW = "COMFYUI_FRONTEND_NEW"
PACK_USER_DIR_ENV = "AWESOME_BEYOND_USER_DIR"  # nodes.app.comfy_paths.USER_DIR_ENV
SKIP_REASON = (
    "e2e: no ComfyUI found (set COMFYUI_DIR and COMFYUI_PYTHON, or install it at "
    "~/comfyui-e2e; see README)"
)


def default_root() -> Path:
    return Path.home() / "comfyui-e2e"


class ComfyUIError(RuntimeError):
    """ComfyUI could not be used as the tests need (not linked, did not start, ...)."""


@dataclass(frozen=True)
class ComfyInstall:
    """A ComfyUI source tree and the interpreter that runs it."""

    directory: Path
    python: Path

    @property
    def custom_nodes(self) -> Path:
        return self.directory / "custom_nodes"

    @property
    def pack_link(self) -> Path:
        return self.custom_nodes / PACK_FOLDER


def find_comfyui() -> ComfyInstall | None:
    """The ComfyUI to test against, or ``None`` when there is none (the tests then skip)."""
    directory = Path(os.environ.get(ENV_DIR) or default_root() / "ComfyUI")
    python = Path(os.environ.get(ENV_PYTHON) or default_root() / "venv" / "bin" / "python")
    if not (directory / "main.py").is_file() or not (directory / "nodes.py").is_file():
        return None
    if not python.is_file() or not os.access(python, os.X_OK):
        return None
    return ComfyInstall(directory, python)


def skip_reason() -> str:
    """The one line every end-to-end test skips with, naming where it looked."""
    where = os.environ.get(ENV_DIR) or str(default_root() / "ComfyUI")
    return f"{SKIP_REASON} [looked in {where}]"


def new_frontend_root() -> Path | None:
    """The static folder of the newest published frontend (1.58.1), if present."""
    configured = os.environ.get(ENV_FRONTEND_NEW)
    root = (
        Path(configured)
        if configured
        else (default_root() / "frontend-1.58.1" / "comfyui_frontend_package" / "static")
    )
    return root if (root / "index.html").is_file() else None


def ensure_pack_linked(
    install: ComfyInstall, folder: str = PACK_FOLDER, target: Path = REPO
) -> Path:
    """Make ``custom_nodes/<folder>`` point at ``target``; refuse to touch anything else."""
    link = install.custom_nodes / folder
    if link.is_symlink() and link.resolve() != target.resolve():
        # A link left by a run from another checkout (CI clones afresh each time): ours to
        # re-point, atomically, so a concurrent run never sees the folder missing.
        temporary = link.with_name(f".{folder}-{os.getpid()}")
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(target, target_is_directory=True)
        temporary.replace(link)
        return link
    if link.is_symlink() or link.exists():
        if link.resolve() != target.resolve():
            raise ComfyUIError(
                f"{link} already exists and points to {link.resolve()}, not to {target}; "
                f"remove it or point it here (ln -sfn {target} {link}) to run the e2e tests"
            )
        return link
    install.custom_nodes.mkdir(parents=True, exist_ok=True)
    try:
        link.symlink_to(target, target_is_directory=True)
    except FileExistsError:  # another run linked it meanwhile: check what it made
        return ensure_pack_linked(install, folder, target)
    return link


@contextlib.contextmanager
def extra_pack(install: ComfyInstall, name: str, init_py: str, workdir: Path) -> Iterator[str]:
    """A throw-away pack (one ``__init__.py``) linked into custom_nodes for a ``with`` block.

    The link name carries the process id and a random part, so runs never collide; whitelist
    the yielded name to load it.
    """
    folder = workdir / f"{name}-{os.getpid()}-{secrets.token_hex(3)}"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text(init_py, encoding="utf-8")
    link = ensure_pack_linked(install, folder.name, folder)
    try:
        yield folder.name
    finally:
        link.unlink(missing_ok=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def write_settings(user_dir: Path) -> None:
    """Pre-write the settings a fresh user directory needs (no template dialog)."""
    settings = user_dir / "default" / "comfy.settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    if not settings.exists():
        settings.write_text(json.dumps({"Comfy.TutorialCompleted": True}), encoding="utf-8")


@dataclass
class Reply:
    """One HTTP answer: status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)

    def __str__(self) -> str:
        return f"HTTP {self.status} {self.headers.get('content-type', '')}: {self.text[:2000]}"


@dataclass
class ComfyServer:
    """A ComfyUI process started by :func:`running_comfyui`."""

    install: ComfyInstall
    user_dir: Path
    log_path: Path
    port: int
    args: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    stopped_at: float | None = None
    env: dict[str, str] = field(default_factory=dict)  # set on top of this process's
    _log_file: Any = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pack_user_dir(self) -> Path:
        """Where the pack keeps user data inside this ComfyUI (``folder_paths`` user dir)."""
        return self.user_dir / PACK_FOLDER

    # -- the log ------------------------------------------------------------------------

    def log_text(self, since: int = 0) -> str:
        """The whole log (or what came after byte offset ``since``)."""
        try:
            with self.log_path.open("rb") as log:
                log.seek(since)
                return log.read().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_size(self) -> int:
        """A mark to pass to :meth:`log_text` to read only what is logged from now on."""
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def startup_log(self) -> str:
        """The log up to and including the ready line."""
        text = self.log_text()
        end = text.find(READY_LINE)
        return text if end < 0 else text[: text.find("\n", end) + 1 or len(text)]

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def describe(self) -> str:
        return (
            f"ComfyUI at {self.base_url} (pid {self.process.pid if self.process else '-'}), "
            f"log {self.log_path}, user dir {self.user_dir}"
        )

    # -- the process --------------------------------------------------------------------

    def start(self, timeout: float = START_TIMEOUT) -> None:
        env = dict(os.environ)
        env["PYTHONUNBUFFERED"] = "1"
        # The pack's own override would move its data out of this server's user directory.
        env.pop(PACK_USER_DIR_ENV, None)
        env.update(self.env)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log_path.open("wb")
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            [str(self.install.python), "main.py", *self.args],
            cwd=self.install.directory,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if READY_LINE in self.log_text():
                return
            code = self.process.poll()
            if code is not None:
                raise ComfyUIError(
                    f"ComfyUI exited with code {code} before it was ready; "
                    f"{self.describe()}\n--- log ---\n{self.log_tail()}"
                )
            time.sleep(0.1)
        raise ComfyUIError(
            f"ComfyUI did not print {READY_LINE!r} within {timeout:.0f} s; "
            f"{self.describe()}\n--- log ---\n{self.log_tail()}"
        )

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Stop the process and wait until it is gone; safe to call twice."""
        process = self.process
        if process is not None and self.stopped_at is None:
            try:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    try:
                        process.wait(timeout=timeout)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait(timeout=timeout)
                _wait_gone(process.pid, timeout)
            finally:
                self.stopped_at = time.monotonic()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    # -- HTTP ---------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30.0,
    ) -> Reply:
        """One HTTP request to this server; ``body`` other than bytes is sent as JSON."""
        sent_headers = dict(headers or {})
        data: bytes | None = None
        if body is not None:
            if isinstance(body, bytes):
                data = body
            else:
                data = json.dumps(body).encode()
                sent_headers.setdefault("Content-Type", "application/json")
        connection = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=data, headers=sent_headers)
            response = connection.getresponse()
            return Reply(
                response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
            )
        finally:
            connection.close()

    def get_json(self, path: str) -> Any:
        reply = self.request("GET", path)
        if reply.status != 200:
            raise AssertionError(f"GET {path}: {reply}")
        return reply.json()

    def queue_prompt(self, graph: dict[str, Any], client_id: str) -> Reply:
        return self.request("POST", "/prompt", {"prompt": graph, "client_id": client_id})

    def wait_history(
        self, prompt_id: str, timeout: float = 60.0, *, allow_error: bool = False
    ) -> dict[str, Any]:
        """Poll ``/history/<id>`` until the prompt has completed; return its entry.

        A prompt that ended in an error raises, unless ``allow_error`` (then it is returned).
        """
        deadline = time.monotonic() + timeout
        entry: dict[str, Any] = {}
        while time.monotonic() < deadline:
            entry = self.get_json(f"/history/{prompt_id}").get(prompt_id) or {}
            status = entry.get("status") or {}
            if status.get("completed"):
                return entry
            if status.get("status_str") == "error":
                if allow_error:
                    return entry
                raise AssertionError(f"prompt {prompt_id} failed: {json.dumps(status)[:4000]}")
            time.sleep(0.05)
        raise AssertionError(
            f"prompt {prompt_id} did not complete within {timeout:.0f} s; "
            f"last history entry: {json.dumps(entry)[:2000]}"
        )


def _wait_gone(pid: int, timeout: float) -> None:
    """Poll until no process has ``pid`` (the Popen was reaped, so it cannot be reused yet)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        except PermissionError:  # pragma: no cover - pid reused by another user's process
            return
        time.sleep(0.05)
    raise ComfyUIError(f"ComfyUI process {pid} is still there {timeout:.0f} s after it was stopped")


FrontendChoice = str | None
_STARTED: list[ComfyServer] = []


@atexit.register
def _stop_leftovers() -> None:
    """Last resort (e.g. an interrupted run): no ComfyUI outlives the process that started it."""
    for server in _STARTED:
        with contextlib.suppress(Exception):
            server.stop(timeout=10)


def servers_active_since(moment: float) -> list[ComfyServer]:
    """Servers that ran at some point after ``moment`` (for logs attached to failures)."""
    return [s for s in _STARTED if s.stopped_at is None or s.stopped_at >= moment]


def frontend_args(frontend: FrontendChoice) -> list[str]:
    """``None``/``"pinned"``: the frontend ComfyUI pins; ``"new"``: 1.58.1; else a folder."""
    if frontend in (None, "pinned"):
        return []
    root = new_frontend_root() if frontend == "new" else Path(str(frontend))
    if root is None or not (root / "index.html").is_file():
        raise ComfyUIError(
            f"frontend {frontend!r} not found (set {ENV_FRONTEND_NEW} to the "
            "static folder of comfyui-frontend-package 1.58.1)"
        )
    return ["--front-end-root", str(root)]


def comfy_args(
    port: int,
    user_dir: Path,
    frontend: FrontendChoice = None,
    whitelist: Sequence[str] = (PACK_FOLDER,),
    extra_args: Sequence[str] = (),
) -> list[str]:
    """The command line after ``main.py``."""
    return [
        "--cpu",
        "--listen",
        HOST,
        "--port",
        str(port),
        "--disable-auto-launch",
        "--user-directory",
        str(user_dir),
        "--disable-all-custom-nodes",
        "--whitelist-custom-nodes",
        *whitelist,
        *frontend_args(frontend),
        # v0.3.64 accepts it. Its default is <ComfyUI>/user/comfyui.db, shared by every
        # server; ":memory:" works but fills the log with SQLite "objects created in a
        # thread" tracebacks when pooled connections are collected in another thread.
        "--database-url",
        f"sqlite:///{user_dir / 'comfyui.db'}",
        *extra_args,
    ]


@contextlib.contextmanager
def running_comfyui(
    frontend: FrontendChoice = None,
    user_dir: Path | None = None,
    extra_args: Sequence[str] = (),
    *,
    install: ComfyInstall | None = None,
    log_path: Path | None = None,
    whitelist: Sequence[str] = (PACK_FOLDER,),
    timeout: float = START_TIMEOUT,
    env: Mapping[str, str] | None = None,
) -> Iterator[ComfyServer]:
    """Start ComfyUI with this pack; yield it once ready; stop it and wait until it is gone.

    ``user_dir`` is kept when given (the caller owns it, e.g. to restart on the same
    data); a temporary one is made and removed otherwise, always after the process is gone.
    """
    install = install or find_comfyui()
    if install is None:
        raise ComfyUIError(skip_reason())
    ensure_pack_linked(install)
    owned = user_dir is None
    folder = Path(tempfile.mkdtemp(prefix="comfy-e2e-user-")) if user_dir is None else user_dir
    folder.mkdir(parents=True, exist_ok=True)
    folder = folder.resolve()  # ComfyUI runs in its own folder: relative paths would move
    write_settings(folder)
    log = log_path or folder.parent / f"{folder.name}.comfyui.log"
    server: ComfyServer | None = None
    try:
        for attempt in range(3):  # a free port can be taken by someone else before we bind it
            port = free_port()
            server = ComfyServer(
                install,
                folder,
                log,
                port,
                comfy_args(port, folder, frontend, whitelist, extra_args),
                env=dict(env or {}),
            )
            _STARTED.append(server)
            try:
                server.start(timeout)
                break
            except ComfyUIError:
                server.stop()
                if attempt == 2 or not _port_in_use(server.log_text()):
                    raise
        assert server is not None
        yield server
    finally:
        if server is not None:
            server.stop()
        if owned:
            shutil.rmtree(folder, ignore_errors=True)
            if log_path is None:
                log.unlink(missing_ok=True)


def _port_in_use(log: str) -> bool:
    return bool(re.search(r"address already in use|Errno 98", log, re.IGNORECASE))


# -- reading the log ----------------------------------------------------------------------

IMPORT_LINE_RE = re.compile(
    r"^\s*(?P<seconds>\d+\.\d+) seconds(?P<failed> \(IMPORT FAILED\))?: "
    r"(?P<path>.+?)\s*$"
)


def import_times(log: str) -> dict[str, tuple[float, bool]]:
    """``path -> (seconds, imported)`` from the "Import times for custom nodes:" block."""
    times: dict[str, tuple[float, bool]] = {}
    lines = log.splitlines()
    for index, line in enumerate(lines):
        if IMPORT_TIMES_LINE not in line:
            continue
        for entry in lines[index + 1 :]:
            match = IMPORT_LINE_RE.match(entry)
            if match is None:
                break
            times[match["path"]] = (float(match["seconds"]), match["failed"] is None)
    return times


def traceback_blocks(log: str) -> list[str]:
    """Every ``Traceback (most recent call last):`` block, with the line that ends it."""
    blocks: list[str] = []
    lines = log.splitlines()
    index = 0
    while index < len(lines):
        if lines[index].startswith("Traceback (most recent call last):"):
            end = index + 1
            while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end]):
                end += 1
            blocks.append("\n".join(lines[index : end + 1]))
            index = end
        index += 1
    return blocks
