"""The probe of the ComfyUI-Manager end-to-end tests: a real pack and model, served locally.

A small node pack (one node class with a unique type name) committed to a git repository,
cloned bare and prepared for git's "dumb" HTTP protocol, and a small ``.safetensors`` file;
both served by a static HTTP server in a thread on 127.0.0.1. :class:`Probe` describes them
as the Manager's lists do (``custom-node-list.json``, ``model-list.json``,
``extension-node-map.json``), with public-looking reference pages.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import struct
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.e2e.comfy_server import HOST

PROBE_OWNER = "awesome-e2e"  # the public-looking owner of the probe's reference URLs

PROBE_INIT = '''"""A throw-away node pack served from a local git repository by the e2e tests."""


class Probe:
    CATEGORY = "awesome_e2e"
    RETURN_TYPES = ("STRING",)
    FUNCTION = "run"

    @classmethod
    def INPUT_TYPES(cls):
        return {{"required": {{}}}}

    def run(self):
        return ("{node_type}",)


NODE_CLASS_MAPPINGS = {{"{node_type}": Probe}}
'''


def safetensors_bytes(name: str) -> bytes:
    """A small valid ``.safetensors`` file: one float32 tensor of four values."""
    tensor = {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}
    header = json.dumps({"__metadata__": {"made_by": "awesome-e2e"}, name: tensor}).encode()
    header += b" " * (-len(header) % 8)  # the format pads the header to 8 bytes
    return struct.pack("<Q", len(header)) + header + struct.pack("<4f", 0.5, 1.0, 1.5, 2.0)


def _git(*args: str, cwd: Path) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}
    env.pop("GIT_DIR", None)
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=60)


def make_git_pack(work: Path, served: Path, name: str, node_type: str) -> Path:
    """A pack repository (one commit) cloned bare into ``served/<name>``, ready for dumb HTTP."""
    source = work / f"{name}-source"
    source.mkdir(parents=True)
    (source / "__init__.py").write_text(PROBE_INIT.format(node_type=node_type), encoding="utf-8")
    (source / "README.md").write_text(f"# {name}\n\nProvides {node_type}.\n", encoding="utf-8")
    _git("init", "-q", "-b", "main", ".", cwd=source)
    _git("add", ".", cwd=source)
    identity = ["-c", "user.name=awesome e2e", "-c", "user.email=e2e@example.invalid"]
    _git(*identity, "commit", "-q", "-m", "probe pack", cwd=source)
    bare = served / name
    _git("clone", "-q", "--bare", str(source), str(bare), cwd=work)
    _git("update-server-info", cwd=bare)  # info/refs and objects/info/packs for dumb HTTP
    return bare


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests: list[str]  # set on the subclass made per server

    def log_message(self, format: str, *args: Any) -> None:
        self.requests.append(self.path)


@contextlib.contextmanager
def static_server(root: Path) -> Iterator[tuple[str, list[str]]]:
    """Serve ``root`` on 127.0.0.1 in a thread; yield its base URL and the paths asked for."""
    asked: list[str] = []
    handler = type("Handler", (_QuietHandler,), {"requests": asked})
    server = http.server.ThreadingHTTPServer(
        (HOST, 0), functools.partial(handler, directory=str(root))
    )
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="e2e-static", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass(frozen=True)
class Probe:
    """The probe pack and model of one test world, as the Manager's lists describe them."""

    name: str  # repository, folder and Manager id of the pack
    node_type: str
    git_url: str  # where the Manager clones it from (127.0.0.1)
    model_filename: str
    model_url: str  # where the Manager downloads it from (127.0.0.1)

    @property
    def reference(self) -> str:
        return f"https://github.com/{PROBE_OWNER}/{self.name}"

    @property
    def title(self) -> str:
        return f"Awesome e2e probe {self.name.rsplit('-', 1)[-1]}"

    @property
    def model_reference(self) -> str:
        return f"https://huggingface.co/{PROBE_OWNER}/{self.name}-model"

    @property
    def model_name(self) -> str:
        return f"{self.title} model"

    def node_entry(self) -> dict[str, Any]:
        """Its ``custom-node-list.json`` entry (the shape of the real list's git-clone packs)."""
        return {
            "author": PROBE_OWNER,
            "title": self.title,
            "id": self.name,
            "reference": self.reference,
            "files": [self.git_url],
            "install_type": "git-clone",
            "description": f"End-to-end probe pack; provides the node {self.node_type}.",
        }

    def model_entry(self) -> dict[str, Any]:
        """Its ``model-list.json`` entry: the fields the Manager's download check compares."""
        return {
            "name": self.model_name,
            "type": "lora",
            "base": "SD1.5",
            "save_path": "default",
            "description": "End-to-end probe model (a few bytes).",
            "reference": self.model_reference,
            "filename": self.model_filename,
            "url": self.model_url,
            "size": "1KB",
        }

    def database(self) -> dict[str, Any]:
        """The Manager-format files, by name."""
        return {
            "custom-node-list.json": {"custom_nodes": [self.node_entry()]},
            "model-list.json": {"models": [self.model_entry()]},
            "extension-node-map.json": {
                self.reference: [[self.node_type], {"title_aux": self.title}]
            },
            "github-stats.json": {},
        }
