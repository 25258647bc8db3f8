"""The pack beside a real ComfyUI-Manager in a real ComfyUI: install, disable, enable, download.

Each test builds its own world (:mod:`tests.e2e.manager_env`): a small real pack in a git
repository and a ``.safetensors`` file, both served on 127.0.0.1; the same entries in the
Manager's channel cache (it installs only what its own lists name) and in a Manager-format
database that this pack reads through its Manager source, set the way a user sets it
(``PUT /awesome/v1/sources/manager``). Requests to the Manager are built from this pack's
API fields exactly as the Manager's dialog builds them (:mod:`tests.e2e.manager_queue`).
Installs and downloads land in the world's own folders; the shared ComfyUI tree is not
written to.

The Manager (v3.41) installs through its queue only on a ComfyUI with the System User API
(v0.3.76+); on an older one it forces ``security_level = strong`` and refuses. The e2e
ComfyUI is v0.3.64, so the queue test loads a stand-in for that API (see
``manager_env.SYSTEM_USER_SHIM``), and a second test proves what the Manager does on v0.3.64
as it is: refusals with its log line, an install from a git URL, and a disable.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.comfy_server import ComfyInstall, ComfyServer
from tests.e2e.manager_env import (
    REFUSED_LOG,
    ManagerWorld,
    manager_world,
)
from tests.e2e.manager_probe import safetensors_bytes
from tests.e2e.manager_queue import (
    QueueRun,
    disable_request,
    install_request,
    manager_state,
    model_request,
    run_queue,
)

# The tests start ComfyUI with the Manager one and three times (about 15 s each).
pytestmark = [pytest.mark.e2e, pytest.mark.manager, pytest.mark.slow, pytest.mark.timeout(300)]

API = "/awesome/v1"
ComfyFactory = Callable[..., AbstractContextManager[ComfyServer]]


# -- helpers ------------------------------------------------------------------------------


def use_world_database(server: ComfyServer, world: ManagerWorld) -> None:
    """Point this pack's Manager source at the world's database, as a user does."""
    reply = server.request(
        "PUT", f"{API}/sources/manager", {"enabled": True, "folder": str(world.db_dir)}
    )
    assert reply.status == 200, f"PUT sources/manager: {reply}"


def find_resource(server: ComfyServer, text: str, url: str) -> dict[str, Any]:
    """The resource with ``url`` among the answers to a search for ``text``."""
    query = urllib.parse.urlencode({"q": text, "limit": 50})
    items = server.get_json(f"{API}/resources?{query}")["items"]
    found = [item for item in items if item["url"] == url]
    assert found, f"no resource with url {url} when searching {text!r}: {[i['url'] for i in items]}"
    return found[0]


def probe_pack(server: ComfyServer, world: ManagerWorld) -> dict[str, Any]:
    return find_resource(server, world.probe.title, world.probe.reference)


def probe_model(server: ComfyServer, world: ManagerWorld) -> dict[str, Any]:
    return find_resource(server, world.probe.model_name, world.probe.model_reference)


def assert_marks(resource: dict[str, Any], *, installed: bool, disabled: bool) -> None:
    got = (resource["installed"], resource["disabled"])
    assert got == (installed, disabled), f"(installed, disabled) is {got}: {resource}"


def assert_succeeded(run: QueueRun, ui_id: str) -> None:
    assert not run.refused, f"the Manager refused: {run.answers}"
    assert run.result(ui_id) == "success", f"queue outcome for {ui_id}: {run.done}"


def node_module(server: ComfyServer, node_type: str) -> str | None:
    """The module ComfyUI loaded ``node_type`` from, or ``None`` when it does not know it."""
    info = server.get_json(f"/object_info/{node_type}")
    return info[node_type]["python_module"] if node_type in info else None


@pytest.fixture
def world(
    comfyui_install: ComfyInstall, manager_tree: Path, request: pytest.FixtureRequest
) -> Iterator[ManagerWorld]:
    with manager_world(comfyui_install, manager_tree, system_user_api=request.param) as made:
        yield made


# -- the Manager as a current ComfyUI runs it --------------------------------------------


@pytest.mark.parametrize("world", [True], indirect=True, ids=["system-user-api"])
def test_install_disable_enable_and_download_through_the_queue(
    world: ManagerWorld, comfy_factory: ComfyFactory
) -> None:
    """Find the probe by its node type, install it and its model through the Manager's queue,
    restart, see it installed and loaded; disable and enable it the Manager's way."""
    probe = world.probe
    with comfy_factory(**world.server_kwargs()) as server:
        version = server.request("GET", "/manager/version")
        assert version.status == 200, version
        assert version.text.startswith("V3"), version
        use_world_database(server, world)

        # The pack behind a node type that this ComfyUI does not know yet.
        assert node_module(server, probe.node_type) is None
        reply = server.request("POST", f"{API}/node-types", {"types": [probe.node_type]})
        assert reply.status == 200, reply
        answer = reply.json()
        providers = answer["types"][0]["providers"]
        assert answer["types"][0]["type"] == probe.node_type, answer
        assert [p["url"] for p in providers] == [probe.reference], answer
        assert answer["unmatched"] == 0, answer

        pack = probe_pack(server, world)
        assert (pack["pack_id"], pack["install_type"], pack["files"]) == (
            probe.name,
            "git-clone",
            [probe.git_url],
        ), pack
        assert_marks(pack, installed=False, disabled=False)

        assert manager_state(server, probe.git_url) == "not-installed"
        run = run_queue(server, [("/manager/queue/install", install_request(pack))])
        assert_succeeded(run, pack["id"])
        assert (world.installed() / "__init__.py").is_file(), list(world.nodes_dir.iterdir())
        assert (world.installed() / ".git").is_dir()

        model = probe_model(server, world)
        assert model["model_file"]["url"] == probe.model_url, model
        assert not world.model_path.exists()
        run = run_queue(server, [("/manager/queue/install_model", model_request(model))])
        assert_succeeded(run, model["id"])
        assert world.model_path.read_bytes() == safetensors_bytes("awesome_e2e_probe")
        assert f"/models/{probe.model_filename}" in world.served_requests

    # A restart (a new run on the same folders) loads the installed pack.
    with comfy_factory(**world.server_kwargs()) as server:
        assert node_module(server, probe.node_type) == f"custom_nodes.{probe.name}"
        pack = probe_pack(server, world)
        assert_marks(pack, installed=True, disabled=False)

        assert manager_state(server, probe.git_url) == "enabled"
        run = run_queue(server, [("/manager/queue/disable", disable_request(pack))])
        assert_succeeded(run, pack["id"])
        assert world.disabled().is_dir()
        assert not world.installed().exists()
        assert manager_state(server, probe.git_url) == "disabled"
        assert_marks(probe_pack(server, world), installed=True, disabled=True)
        only_disabled = server.get_json(f"{API}/resources?disabled=1&limit=50")["items"]
        assert [r["url"] for r in only_disabled] == [probe.reference], only_disabled

        # Enable as the Manager's dialog does: an install that skips the post-install step.
        run = run_queue(server, [("/manager/queue/install", install_request(pack, enable=True))])
        assert_succeeded(run, pack["id"])
        assert world.installed().is_dir()
        assert not world.disabled().exists()
        assert_marks(probe_pack(server, world), installed=True, disabled=False)

    with comfy_factory(**world.server_kwargs()) as server:
        assert node_module(server, probe.node_type) == f"custom_nodes.{probe.name}"


# -- the Manager on this ComfyUI as it is -------------------------------------------------


@pytest.mark.parametrize("world", [False], indirect=True, ids=["as-is"])
def test_manager_on_a_comfyui_without_the_system_user_api(
    world: ManagerWorld, comfy_factory: ComfyFactory
) -> None:
    """v0.3.64 as it is: the queue refuses (403 and the Manager's log line), a git-URL
    install works (``allow_git_url_install`` on loopback), a disable works, and enabling
    (an install through the queue) is refused again."""
    if world.system_user_api:
        pytest.skip("this ComfyUI has the System User API: the Manager does not refuse here")
    probe = world.probe
    with comfy_factory(**world.server_kwargs()) as server:
        use_world_database(server, world)
        pack = probe_pack(server, world)
        model = probe_model(server, world)
        for path, body in (
            ("/manager/queue/install", install_request(pack)),
            ("/manager/queue/install_model", model_request(model)),
        ):
            mark = server.log_size()
            reply = server.request("POST", path, body)
            assert reply.status == 403, f"{path}: {reply}"
            assert REFUSED_LOG in server.log_text(mark), server.log_text(mark)[-2000:]
        assert not world.installed().exists()
        assert not world.model_path.exists()

        # The Manager's own "Install via Git URL", governed by its dedicated flag.
        reply = server.request(
            "POST", "/customnode/install/git_url", {"url": pack["files"][0]}, timeout=120
        )
        assert reply.status == 200, reply
        assert (world.installed() / "__init__.py").is_file()
        # Installed on disk at once; loaded after a restart (the queue test proves that part).
        assert_marks(probe_pack(server, world), installed=True, disabled=False)

        assert manager_state(server, probe.git_url) == "enabled"
        run = run_queue(server, [("/manager/queue/disable", disable_request(pack))])
        assert_succeeded(run, pack["id"])
        assert world.disabled().is_dir()
        assert_marks(probe_pack(server, world), installed=True, disabled=True)

        mark = server.log_size()
        reply = server.request("POST", "/manager/queue/install", install_request(pack, enable=True))
        assert reply.status == 403, reply
        assert REFUSED_LOG in server.log_text(mark)
        assert world.disabled().is_dir()
        assert not world.installed().exists()
