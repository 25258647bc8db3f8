"""The source and link routes, and the installed flags, through a real server on 127.0.0.1.

Remote sources and links are a second real local server (:mod:`tests.helpers.upstream`). The pack
under test allows loopback targets only where a test says so: over HTTP they stay refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from nodes.app.pack import Pack
from nodes.app.settings import DEFAULT_MANAGER_URL, DEFAULT_REGISTRY_URL, SETTINGS_FILE
from nodes.core.catalog import FunctionSource
from nodes.core.excerpt import excerpt
from nodes.core.files import display_path
from nodes.core.model import Resource, SourceResult
from nodes.core.urls import canonical_url
from tests.helpers.live import Call, LiveServer, comfy_app
from tests.helpers.sample_catalogue import ALL_IDS, link_entries
from tests.helpers.upstream import MANAGER_DOCS, MANAGER_IDS, REGISTRY_IDS, Gate, Upstream

pytestmark = pytest.mark.http

JSON = {"Content-Type": "application/json"}
OFF = {"enabled": False, "folder": "", "url": ""}
NOT_DOWNLOADED = {
    "file": "custom-node-list.json",
    "line": None,
    "field": "file",
    "message": "not downloaded yet; refresh the manager source",
}


def error(status: int, message: str, param: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status, "message": message}
    if param is not None:
        body["param"] = param
    return {"error": body}


def ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["items"]]


@pytest.fixture
def pack(tmp_path: Path, data_dir: Path, custom_nodes: Path) -> Pack:
    """A pack on the sample data, with its own (empty) custom_nodes folder."""
    return Pack(user_dir=tmp_path / "user", data_dir=data_dir, custom_nodes=[custom_nodes])


def open_gate_on_conflict(gate: Gate) -> Any:
    """A middleware that opens ``gate`` once the server has answered a 409."""

    @web.middleware
    async def middleware(request: web.Request, handler: Any) -> web.StreamResponse:
        response: web.StreamResponse = await handler(request)
        if response.status == 409:
            gate.open()
        return response

    return middleware


def add_links(pack: Pack, base: str) -> None:
    """Catalogue entries whose links lead to the local server: alive, dead and moved.

    They come from a source of the test's own: the link rules keep such links out of every
    real source (a link must lead to the public internet).
    """
    found = tuple(
        Resource(
            id=e["id"],
            name=e["name"],
            url=e["url"],
            category="tools",
            kind=e["kind"],
            source="links",
            canonical_url=canonical_url(e["url"]),
        )
        for e in link_entries(base)
    )
    links = FunctionSource("links", lambda: "1", lambda: SourceResult("links", found))
    pack.store.set_sources([*pack.store.sources, links])


class TestInstalledFlags:
    """Search results and single resources say which node packs are installed."""

    def test_nothing_installed(self, api: LiveServer) -> None:
        body = api.get("/resources").json()
        assert [item["installed"] for item in body["items"]] == [False] * 5
        assert list(body["items"][0])[-3:] == ["favorite", "installed", "disabled"]
        assert api.get("/resources", params={"installed": "1"}).json()["total"] == 0

    def test_installed_packs_are_flagged(self, api: LiveServer, custom_nodes: Path) -> None:
        (custom_nodes / "video-helper").mkdir()
        body = api.get("/resources").json()
        assert [item["id"] for item in body["items"] if item["installed"]] == ["video-helper"]
        assert api.get("/resources/video-helper").json()["installed"] is True
        assert api.get("/resources/animate-diff").json()["installed"] is False

    @pytest.mark.parametrize("value", ["1", "true"])
    def test_installed_only(self, api: LiveServer, custom_nodes: Path, value: str) -> None:
        (custom_nodes / "video-helper").mkdir()
        (custom_nodes / "AnimateDiff").mkdir()
        body = api.get("/resources", params={"installed": value}).json()
        assert (ids(body), body["total"]) == (["video-helper", "animate-diff"], 2)
        assert body["facets"]["kind"] == {"node-pack": 2}
        everything = api.get("/resources", params={"installed": "0"}).json()
        assert ids(everything) == list(ALL_IDS)

    def test_installed_and_favourite(self, api: LiveServer, custom_nodes: Path) -> None:
        (custom_nodes / "video-helper").mkdir()
        (custom_nodes / "animatediff").mkdir()
        api.put("/user/favorites", json={"ids": ["animate-diff", "wan-model"]})
        body = api.get("/resources", params={"installed": "1", "favorites": "1"}).json()
        assert ids(body) == ["animate-diff"]

    def test_installing_a_pack_changes_the_etag(self, api: LiveServer, custom_nodes: Path) -> None:
        etag = api.get("/resources").headers["ETag"]
        assert api.get("/resources", headers={"If-None-Match": etag}).status == 304
        (custom_nodes / "video-helper").mkdir()
        again = api.get("/resources", headers={"If-None-Match": etag})
        assert again.status == 200
        assert again.headers["ETag"] != etag

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ([("installed", "yes")], "must be 0 or 1"),
            ([("installed", "1"), ("installed", "1")], "is given more than once"),
        ],
    )
    def test_bad_values(self, api: LiveServer, params: list[tuple[str, str]], message: str) -> None:
        reply = api.get("/resources", params=params)
        assert (reply.status, reply.json()) == (400, error(400, message, "installed"))


class TestGetSources:
    """GET /sources adds the settings, what a refresh would fetch, and settings problems."""

    def test_defaults(self, api: LiveServer) -> None:
        body = api.get("/sources").json()
        assert body["settings"] == {"manager": OFF, "registry": OFF}
        assert body["refresh"] == {"manager": DEFAULT_MANAGER_URL, "registry": DEFAULT_REGISTRY_URL}
        assert (body["problems"], body["problem_count"]) == ([], 0)
        assert [s["name"] for s in body["sources"]] == ["user", "curated"]

    def test_a_local_manager_has_nothing_to_refresh(
        self, api: LiveServer, custom_nodes: Path
    ) -> None:
        folder = custom_nodes / "ComfyUI-Manager"
        folder.mkdir()
        (folder / "custom-node-list.json").write_text(
            json.dumps(MANAGER_DOCS["custom-node-list.json"])
        )
        assert api.get("/sources").json()["refresh"]["manager"] is None

    def test_an_enabled_source_not_yet_downloaded(self, api: LiveServer) -> None:
        api.put("/sources/manager", json={"enabled": True})
        body = api.get("/sources").json()
        assert body["sources"][2] == {"name": "manager", "resources": 0, "problems": 1, "error": ""}
        assert (body["problems"], body["problem_count"]) == ([], 0)
        assert body["upstream_problems"] == [{"source": "manager", **NOT_DOWNLOADED}]
        assert body["upstream_problem_count"] == 1
        assert body["states"] == {
            "manager": {
                "state": "missing",
                "resources": 0,
                "skipped": 0,
                "detail": "",
                "file": "",
                "origin": "remote",
            },
            "registry": {"state": "off", "resources": 0, "skipped": 0, "detail": ""},
        }

    def test_a_folder_without_the_database_has_failed(
        self, api: LiveServer, tmp_path: Path
    ) -> None:
        api.put("/sources/manager", json={"enabled": True, "folder": str(tmp_path / "nowhere")})
        state = api.get("/sources").json()["states"]["manager"]
        assert (state["state"], state["resources"], state["skipped"]) == ("failed", 0, 0)
        assert state["detail"].endswith(
            "custom-node-list.json: file: cannot be read: No such file or directory"
        )

    def test_a_folder_with_an_empty_database_has_failed(
        self, api: LiveServer, tmp_path: Path
    ) -> None:
        (tmp_path / "custom-node-list.json").write_text('{"custom_nodes": []}')
        api.put("/sources/manager", json={"enabled": True, "folder": str(tmp_path)})
        state = api.get("/sources").json()["states"]["manager"]
        assert state == {
            "state": "failed",
            "resources": 0,
            "skipped": 0,
            "detail": "no entries in the folder's database",
            "file": display_path(tmp_path / "custom-node-list.json"),
            "origin": "folder",
        }

    def test_a_bad_settings_file_is_a_problem_until_replaced(
        self, tmp_path: Path, data_dir: Path
    ) -> None:
        (tmp_path / "user").mkdir()
        (tmp_path / "user" / SETTINGS_FILE).write_text("[]")
        pack = Pack(user_dir=tmp_path / "user", data_dir=data_dir, custom_nodes=[])
        with LiveServer(comfy_app(lambda: pack)) as api:
            body = api.get("/sources").json()
            assert body["problems"] == [
                {
                    "file": SETTINGS_FILE,
                    "line": None,
                    "field": "file",
                    "message": "is not usable (must be a JSON object); using the defaults",
                }
            ]
            assert body["problem_count"] == 1
            assert api.put("/sources/registry", json={"enabled": False}).status == 200
            assert api.get("/sources").json()["problem_count"] == 0


class TestPutSource:
    """PUT /sources/{name} changes one optional source and answers every setting."""

    def test_changed_saved_and_applied(self, api: LiveServer, pack: Pack) -> None:
        change = {"enabled": True, "url": "https://registry.example.org"}
        reply = api.put("/sources/registry", json=change)
        assert reply.status == 200
        assert reply.json() == {"settings": {"manager": OFF, "registry": {**change, "folder": ""}}}
        body = api.get("/sources").json()
        assert body["refresh"]["registry"] == "https://registry.example.org"
        assert [s["name"] for s in body["sources"]] == ["user", "curated", "registry"]
        saved = json.loads((pack.user_dir / SETTINGS_FILE).read_text())
        assert saved["registry"] == {**change, "folder": ""}

    def test_a_partial_change_keeps_the_rest(self, api: LiveServer) -> None:
        api.put("/sources/manager", json={"enabled": True, "url": "https://m.example.org"})
        reply = api.put("/sources/manager", json={"enabled": False})
        assert reply.json()["settings"]["manager"] == {
            "enabled": False,
            "folder": "",
            "url": "https://m.example.org",
        }

    @pytest.mark.parametrize("name", ["curated", "user", "x" * 60, "y" * 5000])
    def test_unknown_source(self, api: LiveServer, name: str) -> None:
        reply = api.put(f"/sources/{name}", json={"enabled": True})
        assert reply.status == 404
        assert reply.json() == error(
            404, f"no optional source {excerpt(name)}; use one of: manager, registry", "name"
        )

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"enabled": "yes"}, "registry.enabled: must be true or false"),
            (
                {"url": "ftp://r.example.org"},
                "registry.url: scheme 'ftp' is not allowed; use http or https",
            ),
            ({"colour": "red"}, "registry.colour: unknown field; use enabled, folder or url"),
            ([True], "registry: must be an object with enabled, folder or url"),
        ],
    )
    def test_bad_settings(self, api: LiveServer, pack: Pack, body: Any, message: str) -> None:
        reply = api.put("/sources/registry", json=body)
        assert (reply.status, reply.json()) == (400, error(400, message, "registry"))
        assert not (pack.user_dir / SETTINGS_FILE).exists()

    def test_bad_bodies(self, api: LiveServer) -> None:
        reply = api.put("/sources/registry", data=b"{", headers=JSON)
        assert reply.status == 400
        assert reply.json()["error"]["message"].startswith("the body is not valid JSON: ")
        assert api.put("/sources/registry", data=b"{}").status == 415


class TestRefreshRoute:
    """POST /sources/{name}/refresh downloads a source now; one refresh of it at a time."""

    def test_a_local_manager_folder_is_not_modified(self, api: LiveServer, tmp_path: Path) -> None:
        folder = tmp_path / "db"
        api.put("/sources/manager", json={"enabled": True, "folder": str(folder)})
        reply = api.post("/sources/manager/refresh", headers=JSON)
        assert reply.status == 200
        assert reply.json() == {
            "name": "manager",
            "ok": True,
            "outcomes": [
                {
                    "name": "manager",
                    "state": "not-modified",
                    "when": "",
                    "fetched_at": "",
                    "message": f"manager is read from the local folder {folder};"
                    " nothing to download",
                }
            ],
        }

    def test_registry(self, api: LiveServer, pack: Pack, base: str) -> None:
        pack.allow_private_links = True
        api.put("/sources/registry", json={"enabled": True, "url": base})
        reply = api.post("/sources/registry/refresh", headers=JSON)
        assert reply.status == 200
        body = reply.json()
        assert (body["name"], body["ok"]) == ("registry", True)
        ((state, message),) = [(o["state"], o["message"]) for o in body["outcomes"]]
        assert (state, message) == (
            "changed",
            "registry was updated: 2 node packs from 1 page(s), 0 problem(s)",
        )
        found = api.get("/resources", params={"source": "registry"}).json()
        assert tuple(ids(found)) == REGISTRY_IDS

    def test_manager_then_not_modified(self, api: LiveServer, pack: Pack, base: str) -> None:
        pack.allow_private_links = True
        api.put("/sources/manager", json={"enabled": True, "url": base})
        first = api.post("/sources/manager/refresh", headers=JSON).json()
        assert [o["state"] for o in first["outcomes"]] == ["changed"] * 4
        second = api.post("/sources/manager/refresh", headers=JSON).json()
        assert [o["state"] for o in second["outcomes"]] == ["not-modified"] * 4
        found = api.get("/resources", params={"source": "manager"}).json()
        assert tuple(ids(found)) == MANAGER_IDS
        body = api.get("/sources").json()
        assert (body["problem_count"], body["upstream_problem_count"]) == (0, 1)
        state = body["states"]["manager"]
        assert (state["state"], state["resources"], state["skipped"]) == (
            "on",
            len(MANAGER_IDS),
            1,  # the skipped Manager entry
        )
        held = pack.cache_dir / "remote" / "manager-custom-node-list.body"
        assert (state["origin"], state["file"]) == ("remote", display_path(held))

    def test_a_failed_file_answers_ok_false_and_keeps_the_copy(
        self, api: LiveServer, pack: Pack, base: str, upstream: Upstream
    ) -> None:
        pack.allow_private_links = True
        api.put("/sources/manager", json={"enabled": True, "url": base})
        api.post("/sources/manager/refresh", headers=JSON)
        upstream.broken["custom-node-list.json"] = "garbage"
        upstream.files["custom-node-list.json"] = b"{}"
        reply = api.post("/sources/manager/refresh", headers=JSON)
        assert reply.status == 200
        body = reply.json()
        assert body["ok"] is False
        assert [o["state"] for o in body["outcomes"]] == ["failed", *["not-modified"] * 3]
        assert body["outcomes"][0]["message"].startswith(
            f"the new copy from {base}/custom-node-list.json is not valid: Expecting value"
        )
        found = api.get("/resources", params={"source": "manager"}).json()
        assert tuple(ids(found)) == MANAGER_IDS

    @pytest.mark.parametrize("name", ["registry", "manager"])
    def test_loopback_is_refused_over_http(
        self, api: LiveServer, base: str, upstream: Upstream, name: str
    ) -> None:
        api.put(f"/sources/{name}", json={"url": base})
        body = api.post(f"/sources/{name}/refresh", headers=JSON).json()
        assert body["ok"] is False
        for outcome in body["outcomes"]:
            assert outcome["state"] == "failed"
            assert outcome["message"].startswith("refusing to fetch http://127.0.0.1:")
        assert upstream.requests == []

    def test_unknown_source(self, api: LiveServer) -> None:
        reply = api.post("/sources/curated/refresh", headers=JSON)
        assert (reply.status, reply.json()) == (
            404,
            error(404, "no optional source 'curated'; use one of: manager, registry", "name"),
        )

    def test_one_refresh_of_a_source_at_a_time(
        self, pack: Pack, base: str, upstream: Upstream
    ) -> None:
        """The second request arrives while the first waits for the registry: 409."""
        pack.allow_private_links = True
        pack.update_source("registry", {"enabled": True, "url": base})
        gate = upstream.gate = Gate()
        app = comfy_app(lambda: pack)
        app.middlewares.append(open_gate_on_conflict(gate))
        with LiveServer(app) as api:
            call = Call("POST", "/sources/registry/refresh", headers=JSON)
            replies = sorted(api.gather([call, call]), key=lambda reply: reply.status)
        assert [r.status for r in replies] == [200, 409]
        assert replies[0].json()["ok"] is True
        assert replies[1].json() == error(409, "a refresh of registry is already running", "name")
        assert [path for path, _ in upstream.requests] == ["/nodes"]


class TestLinkRoutes:
    """POST /links/check checks catalogue links by id; GET /links lists the results kept."""

    def test_nothing_checked_yet(self, api: LiveServer) -> None:
        assert api.get("/links").json() == {"links": {}}

    def test_checked_by_id_and_kept_by_url(self, api: LiveServer, pack: Pack, base: str) -> None:
        pack.allow_private_links = True
        add_links(pack, base)
        reply = api.post("/links/check", json={"ids": ["gone", "alive", "moved", "gone"]})
        assert reply.status == 200
        links = reply.json()["links"]
        assert list(links) == ["gone", "alive", "moved"]
        assert [(s["state"], s["status"], s["final_url"]) for s in links.values()] == [
            ("dead", 404, f"{base}/links/404"),
            ("alive", 200, f"{base}/links/200"),
            ("redirected", 200, f"{base}/links/200"),
        ]
        kept = api.get("/links").json()["links"]
        assert kept == {status["url"]: status for status in links.values()}

    def test_loopback_links_are_blocked_over_http(
        self, api: LiveServer, pack: Pack, base: str, upstream: Upstream
    ) -> None:
        add_links(pack, base)
        status = api.post("/links/check", json={"ids": ["alive"]}).json()["links"]["alive"]
        assert (status["state"], status["status"]) == ("blocked", None)
        assert upstream.requests == []

    @pytest.mark.parametrize(
        "body",
        [{}, {"ids": []}, {"ids": "alive"}, {"ids": [1]}, {"ids": ["a", None]}, ["alive"], "alive"],
    )
    def test_bad_bodies(self, api: LiveServer, body: Any) -> None:
        reply = api.post("/links/check", json=body)
        assert (reply.status, reply.json()) == (
            400,
            error(400, 'send {"ids": [resource ids]} with at least one id', "ids"),
        )

    def test_too_many_ids(self, api: LiveServer) -> None:
        reply = api.post("/links/check", json={"ids": ["video-helper"] * 1001})
        assert (reply.status, reply.json()) == (
            400,
            error(400, "at most 1000 resources per check", "ids"),
        )

    @pytest.mark.parametrize(
        ("bad", "shown"), [("Not An Id", "'Not An Id'"), ("x" * 60_000, f"'{'x' * 78}…")]
    )
    def test_malformed_ids(self, api: LiveServer, bad: str, shown: str) -> None:
        """A malformed id is refused before anything is looked up, quoted in short."""
        reply = api.post("/links/check", json={"ids": ["video-helper", bad]})
        assert (reply.status, reply.json()) == (
            400,
            error(400, f"{shown} is not a valid resource id", "ids"),
        )

    def test_unknown_ids(self, api: LiveServer) -> None:
        reply = api.post("/links/check", json={"ids": ["video-helper", "no-such-id", "other"]})
        assert (reply.status, reply.json()) == (
            400,
            error(400, "no resource with id 'no-such-id'", "ids"),
        )
        assert api.get("/links").json() == {"links": {}}

    def test_not_json(self, api: LiveServer) -> None:
        assert api.post("/links/check", data=b"ids", headers=JSON).status == 400
        assert api.post("/links/check", data=b"{}").status == 415

    def test_one_check_at_a_time(self, pack: Pack, base: str, upstream: Upstream) -> None:
        """A second check while the first waits for its link gets 409."""
        pack.allow_private_links = True
        gate = upstream.gate = Gate()
        app = comfy_app(lambda: pack)
        app.middlewares.append(open_gate_on_conflict(gate))
        with LiveServer(app) as api:
            add_links(pack, base)
            call = Call("POST", "/links/check", json={"ids": ["alive"]})
            replies = sorted(api.gather([call, call]), key=lambda reply: reply.status)
        assert [r.status for r in replies] == [200, 409]
        assert replies[0].json()["links"]["alive"]["state"] == "alive"
        assert replies[1].json() == error(
            409, "a link check is already running; try again when it ends"
        )
