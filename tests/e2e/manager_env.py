"""ComfyUI-Manager beside the pack, for the end-to-end tests; nothing here installs anything.

The Manager (v3.41 here, never committed) is found through ``COMFYUI_MANAGER_DIR`` or next
to the e2e ComfyUI (``<root>/ComfyUI-Manager``). :func:`manager_world` lays out one test's
world in a temporary folder, so the shared ComfyUI tree is never written to:

- ``nodes/``: an extra custom_nodes folder listed first (``is_default``): the Manager installs
  into the first one, so installed probe packs land here; ``manager/``: a second one, listed
  last, holding the Manager's link under a unique, whitelisted name;
- ``models/``: extra model folders listed first, where the Manager downloads models;
- ``user/``: ComfyUI's ``--user-directory``, with the Manager's ``config.ini`` and its channel
  cache naming the probe pack and model (the Manager installs only what its own lists hold);
- ``served/``: a real pack in a bare git repository and a ``.safetensors`` file, served by a
  static HTTP server on 127.0.0.1 (git's "dumb" HTTP protocol needs nothing more);
- ``db/``: the same entries as a Manager-format database for this pack's Manager source.

Facts from the Manager's code (``glob/manager_core.py``, ``manager_server.py``,
``manager_migration.py``): its files live in ``<user>/default/ComfyUI-Manager/`` unless
ComfyUI has the System User API (``folder_paths.get_system_user_directory``, ComfyUI
v0.3.76+), then in ``<user>/__manager/``. Without that API it forces ``security_level =
strong`` whatever ``config.ini`` says, so every ``/manager/queue/install``,
``/manager/queue/install_model`` and ``/manager/reboot`` answers 403; only
``/customnode/install/git_url`` (``allow_git_url_install`` on a loopback listener) and the
ungated ``/manager/queue/disable`` work. With ``network_mode = offline`` it fetches nothing
and reads its channel cache ``cache/<simple_hash(channel_url + "/" + file)>_<file>`` when
present, else its shipped copy.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e.comfy_server import HOST, PACK_FOLDER, ComfyInstall, default_root
from tests.e2e.manager_probe import Probe, make_git_pack, safetensors_bytes, static_server

ENV_MANAGER = "COMFYUI_MANAGER_DIR"
MANAGER_SKIP = (
    "e2e: no ComfyUI-Manager found (set COMFYUI_MANAGER_DIR, or put its source tree next to "
    "the e2e ComfyUI as ComfyUI-Manager; see README)"
)
SYSTEM_USER_API = "def get_system_user_directory"  # in folder_paths.py from ComfyUI v0.3.76
# The Manager's answer when a request needs a security level that it does not have.
REFUSED_LOG = "security_level must be any value other than 'strong'"

# The Manager's config: offline (no fetches at start, its cache is read as is), the normal
# security level, and git-URL installs on a loopback listener.
MANAGER_CONFIG = """[default]
security_level = normal
network_mode = offline
db_mode = cache
allow_git_url_install = True
file_logging = False
"""

# Stands in for ComfyUI v0.3.76+ (its PR #10966) where the e2e ComfyUI is older: the two
# folder_paths functions whose presence tells the Manager that it may install at all.
# Run as a prestartup script from the first custom_nodes folder, before the Manager's own.
SYSTEM_USER_SHIM = '''"""e2e only: the System User API of ComfyUI v0.3.76+, for an older ComfyUI."""
import os

import folder_paths

PREFIX = "__"


def get_system_user_directory(name="system"):
    if not name or not isinstance(name, str) or not name.replace("_", "").isalnum():
        raise ValueError(f"invalid system user name: {name!r}")
    if name.startswith("_"):
        raise ValueError("a system user name does not start with an underscore")
    return os.path.join(folder_paths.get_user_directory(), PREFIX + name)


def get_public_user_directory(user_id):
    if not user_id or not isinstance(user_id, str) or user_id.startswith(PREFIX):
        return None
    return os.path.join(folder_paths.get_user_directory(), user_id)


if not hasattr(folder_paths, "get_system_user_directory"):
    folder_paths.SYSTEM_USER_PREFIX = PREFIX
    folder_paths.get_system_user_directory = get_system_user_directory
    folder_paths.get_public_user_directory = get_public_user_directory
'''


def find_manager(install: ComfyInstall) -> Path | None:
    """The ComfyUI-Manager source tree, or ``None`` (the Manager tests then skip)."""
    configured = os.environ.get(ENV_MANAGER)
    if configured:
        candidates = [Path(configured)]
    else:  # next to the e2e ComfyUI, else in the default place
        candidates = [install.directory.parent / "ComfyUI-Manager"]
        candidates.append(default_root() / "ComfyUI-Manager")
    for folder in candidates:
        if (folder / "__init__.py").is_file() and (folder / "glob" / "manager_server.py").is_file():
            return folder.resolve()
    return None


def manager_skip_reason(install: ComfyInstall | None) -> str:
    where = os.environ.get(ENV_MANAGER) or (
        str(install.directory.parent / "ComfyUI-Manager") if install else "(no ComfyUI)"
    )
    return f"{MANAGER_SKIP} [looked in {where}]"


def missing_tools() -> str | None:
    """Why the Manager tests cannot run here (they serve a real git repository), or None."""
    if shutil.which("git") is None:
        return "git is not on PATH (the probe pack is a git repository)"
    return None


def has_system_user_api(install: ComfyInstall) -> bool:
    """Whether this ComfyUI has the API the Manager needs to install anything (v0.3.76+)."""
    text = (install.directory / "folder_paths.py").read_text(encoding="utf-8", errors="replace")
    return SYSTEM_USER_API in text


@functools.cache
def default_channel(manager: Path) -> str:
    """The Manager's default channel URL, read from its source (``DEFAULT_CHANNEL = "..."``)."""
    source = (manager / "glob" / "manager_core.py").read_text(encoding="utf-8", errors="replace")
    match = re.search(r'^DEFAULT_CHANNEL\s*=\s*"([^"]+)"', source, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no DEFAULT_CHANNEL in {manager}/glob/manager_core.py")
    return match.group(1)


def simple_hash(text: str) -> int:
    """``manager_util.simple_hash``: how the Manager names its channel cache files."""
    value = 0
    for char in text:
        value = (value * 31 + ord(char)) % (2**32)
    return value


def cache_file_name(channel_url: str, filename: str) -> str:
    """The Manager's cache file for ``filename`` of a channel (``get_data_by_mode``)."""
    return f"{simple_hash(channel_url + '/' + filename)}_{filename}"


@dataclass
class ManagerWorld:
    """One test's Manager setup; see the module docstring for the layout."""

    install: ComfyInstall
    manager: Path
    root: Path
    probe: Probe
    system_user_api: bool  # the Manager sees ComfyUI v0.3.76+ (natively or by the stand-in)
    shimmed: bool  # the stand-in is loaded
    served_requests: list[str] = field(default_factory=list)
    manager_folder: str = ""
    shim_folder: str = ""

    @property
    def user_dir(self) -> Path:
        return self.root / "user"

    @property
    def nodes_dir(self) -> Path:
        """Where the Manager installs (the first custom_nodes folder)."""
        return self.root / "nodes"

    @property
    def models_dir(self) -> Path:
        return self.root / "models"

    @property
    def db_dir(self) -> Path:
        return self.root / "db"

    @property
    def model_path(self) -> Path:
        """Where the Manager saves the probe model (type lora, save_path default)."""
        return self.models_dir / "loras" / self.probe.model_filename

    @property
    def manager_files(self) -> Path:
        if self.system_user_api:
            return self.user_dir / "__manager"
        return self.user_dir / "default" / "ComfyUI-Manager"

    @property
    def whitelist(self) -> list[str]:
        names = [PACK_FOLDER, self.manager_folder, self.probe.name]
        return [*names, self.shim_folder] if self.shim_folder else names

    @property
    def extra_args(self) -> list[str]:
        return ["--extra-model-paths-config", str(self.root / "extra_model_paths.yaml")]

    @property
    def env(self) -> dict[str, str]:
        # No bytecode written into the Manager's tree; loopback never goes through a proxy.
        return {"PYTHONDONTWRITEBYTECODE": "1", "NO_PROXY": HOST, "no_proxy": HOST}

    def installed(self) -> Path:
        return self.nodes_dir / self.probe.name

    def disabled(self) -> Path:
        return self.nodes_dir / ".disabled" / self.probe.name

    def server_kwargs(self) -> dict[str, Any]:
        """What :func:`~tests.e2e.comfy_server.running_comfyui` needs to start in this world."""
        return {
            "user_dir": self.user_dir,
            "whitelist": self.whitelist,
            "extra_args": self.extra_args,
            "env": self.env,
        }

    def describe(self) -> dict[str, Any]:
        """This world as JSON, for the browser checks (tests/e2e/browser/check_manager.mjs)."""
        paths = {
            "user_dir": self.user_dir,
            "nodes_dir": self.nodes_dir,
            "installed": self.installed(),
            "disabled": self.disabled(),
            "model_path": self.model_path,
            "db_dir": self.db_dir,
        }
        probe = self.probe
        return {
            **{key: str(path) for key, path in paths.items()},
            "whitelist": self.whitelist,
            "extra_args": self.extra_args,
            "env": self.env,
            "system_user_api": self.system_user_api,
            "probe": {
                "name": probe.name,
                "node_type": probe.node_type,
                "title": probe.title,
                "reference": probe.reference,
                "git_url": probe.git_url,
                "model_name": probe.model_name,
                "model_reference": probe.model_reference,
                "model_filename": probe.model_filename,
                "model_url": probe.model_url,
            },
        }

    def write_manager_cache(self) -> None:
        """The probe in the Manager's own channel cache (it installs only what it lists)."""
        cache = self.manager_files / "cache"
        cache.mkdir(parents=True, exist_ok=True)
        channel = default_channel(self.manager)
        for name, data in self.probe.database().items():
            (cache / cache_file_name(channel, name)).write_text(json.dumps(data), encoding="utf-8")


def _write_layout(world: ManagerWorld, served: Path) -> None:
    root = world.root
    for folder in (world.nodes_dir, root / "manager", world.models_dir / "loras", world.db_dir):
        folder.mkdir(parents=True, exist_ok=True)
    world.manager_folder = f"comfyui-manager-e2e-{os.getpid()}-{secrets.token_hex(3)}"
    (root / "manager" / world.manager_folder).symlink_to(world.manager, target_is_directory=True)
    if world.shimmed:
        world.shim_folder = f"awesome-e2e-system-user-api-{secrets.token_hex(3)}"
        shim = world.nodes_dir / world.shim_folder
        shim.mkdir()
        (shim / "prestartup_script.py").write_text(SYSTEM_USER_SHIM, encoding="utf-8")
        (shim / "__init__.py").write_text("NODE_CLASS_MAPPINGS = {}\n", encoding="utf-8")
    # ComfyUI puts an is_default folder first; the Manager installs into the first
    # custom_nodes folder and downloads into the first folder of a model type.
    (root / "extra_model_paths.yaml").write_text(
        "awesome_e2e_first:\n"
        "  is_default: true\n"
        f"  custom_nodes: {world.nodes_dir}\n"
        f"  loras: {world.models_dir / 'loras'}\n"
        "awesome_e2e_manager:\n"
        f"  custom_nodes: {root / 'manager'}\n",
        encoding="utf-8",
    )
    world.manager_files.mkdir(parents=True, exist_ok=True)
    (world.manager_files / "config.ini").write_text(MANAGER_CONFIG, encoding="utf-8")
    world.write_manager_cache()
    for name, data in world.probe.database().items():
        (world.db_dir / name).write_text(json.dumps(data), encoding="utf-8")
    (served / "models" / world.probe.model_filename).write_bytes(
        safetensors_bytes("awesome_e2e_probe")
    )


@contextlib.contextmanager
def manager_world(
    install: ComfyInstall, manager: Path, *, system_user_api: bool, workdir: Path | None = None
) -> Iterator[ManagerWorld]:
    """Lay out one test's Manager world and serve its probe pack and model; remove it after.

    ``system_user_api``: make the Manager see ComfyUI v0.3.76+ (through the stand-in when
    this ComfyUI is older), so that its queue installs; else it runs as this ComfyUI makes it.
    """
    native = has_system_user_api(install)
    root = Path(tempfile.mkdtemp(prefix="awesome-e2e-manager-", dir=workdir)).resolve()
    served = root / "served"
    (served / "models").mkdir(parents=True)
    try:
        with static_server(served) as (base_url, asked):
            name = f"awesome-e2e-probe-{secrets.token_hex(4)}"
            probe = Probe(
                name=name,
                node_type=f"AwesomeE2E_Probe_{secrets.token_hex(4)}",
                git_url=f"{base_url}/{name}",
                model_filename=f"{name}.safetensors",
                model_url=f"{base_url}/models/{name}.safetensors",
            )
            make_git_pack(root, served, name, probe.node_type)
            world = ManagerWorld(
                install,
                manager,
                root,
                probe,
                system_user_api=native or system_user_api,
                shimmed=system_user_api and not native,
                served_requests=asked,
            )
            _write_layout(world, served)
            yield world
    finally:
        shutil.rmtree(root, ignore_errors=True)
