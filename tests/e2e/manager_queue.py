"""Talking to a real ComfyUI-Manager as its own dialog does: the queue, its websocket, requests.

The request bodies are built from this pack's API fields (a resource's ``pack_id``,
``files``, ``install_type``, ``version``, ``model_file``) in the shape the Manager's dialog
posts (``installNodes`` in its ``js/custom-nodes-manager.js``, ``installModels`` in
``js/model-manager.js``): its list entry plus ``channel``, ``mode``, ``ui_id`` and
``skip_post_install`` (true to enable a disabled pack). The sidebar must send the same.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from tests.e2e.comfy_server import ComfyServer

CHANNEL = "default"  # what /customnode/getlist names the default channel; the dialog echoes it
MODE = "cache"  # the dialog's default database mode (config db_mode)
QUEUE_TIMEOUT = 120.0


def install_request(resource: dict[str, Any], *, enable: bool = False) -> dict[str, Any]:
    """The ``/manager/queue/install`` body for a node pack resource of this pack's API.

    A pack the Registry does not publish is "unknown" to the Manager: it is cloned from
    ``files[0]`` and the dialog sends no ``selected_version``; a Registry pack names its
    version (``latest`` unless the user chose one).
    """
    registry = bool(resource.get("version")) and resource.get("install_type") == "cnr"
    body: dict[str, Any] = {
        "id": resource["pack_id"],
        "title": resource["name"],
        "reference": resource["url"],
        "files": list(resource["files"]),
        "install_type": resource["install_type"],
        "version": resource["version"] if registry else "unknown",
        "channel": CHANNEL,
        "mode": MODE,
        "ui_id": resource["id"],
        "skip_post_install": enable,
    }
    if registry:
        body["selected_version"] = "latest"
    return body


def disable_request(resource: dict[str, Any]) -> dict[str, Any]:
    """The ``/manager/queue/disable`` body (the Manager names an unknown pack by its URL)."""
    return {
        "id": resource["pack_id"],
        "version": "unknown" if resource.get("install_type") != "cnr" else resource["version"],
        "files": list(resource["files"]),
        "ui_id": resource["id"],
    }


def model_request(resource: dict[str, Any]) -> dict[str, Any]:
    """The ``/manager/queue/install_model`` body: the model-list fields the Manager checks."""
    return {**resource["model_file"], "ui_id": resource["id"]}


@dataclass
class QueueRun:
    """What one run of the Manager's queue answered and reported."""

    answers: list[tuple[str, int, str]] = field(default_factory=list)  # path, status, text
    done: dict[str, Any] | None = None  # the cm-queue-status "done" message
    messages: list[dict[str, Any]] = field(default_factory=list)  # every cm-queue-status

    @property
    def refused(self) -> bool:
        return any(status != 200 for _, status, _ in self.answers)

    def result(self, ui_id: str) -> str | None:
        """The outcome the Manager reported for ``ui_id`` ("success" or its error)."""
        if self.done is None:
            return None
        results = {**self.done.get("nodepack_result", {}), **self.done.get("model_result", {})}
        value = results.get(ui_id)
        return None if value is None else str(value)


def run_queue(
    server: ComfyServer, items: list[tuple[str, dict[str, Any]]], timeout: float = QUEUE_TIMEOUT
) -> QueueRun:
    """Reset the queue, post each ``(path, body)``, start it and wait for its "done" message.

    Listens on ComfyUI's websocket as a page does (``cm-queue-status``). When the Manager
    refuses an item, nothing is started and the answers say why.
    """
    run = QueueRun()
    try:
        asyncio.run(asyncio.wait_for(_run(server, items, run), timeout))
    except (TimeoutError, asyncio.TimeoutError):  # the same class from Python 3.11 on
        raise AssertionError(
            f"the Manager's queue did not report done within {timeout:.0f} s; "
            f"answers {run.answers}, messages {run.messages}"
        ) from None
    return run


async def _run(server: ComfyServer, items: list[tuple[str, dict[str, Any]]], run: QueueRun) -> None:
    base = server.base_url
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{base}/ws?clientId={uuid.uuid4().hex}") as socket,
    ):
        async with session.post(f"{base}/manager/queue/reset") as reply:
            assert reply.status == 200, f"queue/reset: HTTP {reply.status}"
        for path, body in items:
            async with session.post(f"{base}{path}", json=body) as reply:
                run.answers.append((path, reply.status, await reply.text()))
            if run.answers[-1][1] != 200:
                return
        async with session.post(f"{base}/manager/queue/start") as reply:
            run.answers.append(("/manager/queue/start", reply.status, await reply.text()))
        async for message in socket:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            event = json.loads(message.data)
            if event.get("type") != "cm-queue-status":
                continue
            run.messages.append(event["data"])
            if event["data"].get("status") == "done":
                run.done = event["data"]
                break


def manager_state(server: ComfyServer, git_url: str) -> str:
    """The Manager's state of the pack cloned from ``git_url``: enabled, disabled, not-installed.

    Read from its node list (``/customnode/getlist``) as its dialog and the sidebar read it
    before acting; that read also rescans custom_nodes, which the Manager otherwise does only
    online at start (offline, a disable right after a restart finds nothing to disable).
    """
    packs = server.get_json("/customnode/getlist?mode=cache&skip_update=true")["node_packs"]
    states = [p.get("state", "") for p in packs.values() if git_url in p.get("files", [])]
    assert len(states) == 1, f"the Manager lists {len(states)} packs cloned from {git_url}"
    return str(states[0])
