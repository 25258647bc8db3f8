"""No catalogue link leads to this machine or a private network, whichever source it comes from.

A link is shown to everyone as something to open or a ``git clone`` command to copy, and
is what link checks fetch. The one validation module refuses loopback, private,
link-local and other non-public addresses in every notation, and names only a local
network knows, for curated files, the user's entries (through the route too) and remote
records alike. Link checks still block such a link should one reach the catalogue by
another way (:class:`tests.helpers.local_links.LocalLinks` stands in for one).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from nodes.app.actions import check_resource_links
from nodes.app.pack import Pack
from nodes.core.validate import Location, parse_resource
from nodes.sources.curated import load_curated
from nodes.sources.manager_db import parse_node_list
from tests.helpers.live import LiveServer
from tests.helpers.local_links import LocalLinks
from tests.helpers.netservers import serve
from tests.helpers.upstream import Upstream

pytestmark = pytest.mark.http
PUBLIC = "a link must lead to the public internet"
# (written, as reported): non-public addresses and names, as a catalogue might carry them.
REFUSED_HOSTS = [
    ("127.0.0.1", "host 127.0.0.1 is an address on this machine or a private network (loopback)"),
    ("10.0.0.8", "host 10.0.0.8 is an address on this machine or a private network (private)"),
    ("192.168.1.20", "host 192.168.1.20 is an address on this machine or a private network"),
    ("169.254.169.254", "host 169.254.169.254 is an address on this machine or a private"),
    ("[::1]", "host ::1 is an address on this machine or a private network (loopback)"),
    ("[fd00::5]", "host fd00::5 is an address on this machine or a private network"),
    ("[::ffff:7f00:1]", "host ::ffff:7f00:1 is an address on this machine or a private"),
    ("localhost", "host 'localhost' is a name only this machine or its local network knows"),
    ("gitea.local", "host 'gitea.local' is a name only this machine or its local network"),
    ("127.1", "host '127.1' is the IPv4 address 127.0.0.1 written another way"),
    ("0x7f000001", "host '0x7f000001' is the IPv4 address 127.0.0.1 written another way"),
    ("2130706433", "host '2130706433' is the IPv4 address 127.0.0.1 written another way"),
    ("0177.0.0.1", "host '0177.0.0.1' is the IPv4 address 127.0.0.1 written another way"),
    ("\uff11\uff12\uff17.\uff10.\uff10.\uff11", "is the IPv4 address 127.0.0.1 written another"),
]
HOSTS = [host for host, _ in REFUSED_HOSTS]


def entry(url: str, **fields: Any) -> dict[str, Any]:
    return {"id": "mine", "name": "Mine", "url": url, "category": "tools", "kind": "tool", **fields}


@pytest.mark.parametrize(("host", "message"), REFUSED_HOSTS)
def test_validation_refuses_links_that_are_not_public(host: str, message: str) -> None:
    where = Location("mine.yaml", 3)
    for field in ("url", "install_url"):
        raw = entry(f"http://{host}:3000/me/pack")
        if field == "install_url":
            raw = entry("https://github.com/me/pack", install_url=f"http://{host}/me/pack.git")
        resource, problems = parse_resource(raw, where)
        assert resource is None
        (problem,) = problems
        assert (problem.field, problem.line) == (field, 3)
        assert message in problem.message


def test_public_links_still_pass() -> None:
    for url in ("https://github.com/me/pack", "http://8.8.8.8/x", "https://[2606:4700::1111]/"):
        resource, problems = parse_resource(entry(url), Location("mine.yaml"))
        assert problems == []
        assert resource is not None


def test_curated_files_refuse_them(tmp_path: Path) -> None:
    (tmp_path / "resources").mkdir()
    (tmp_path / "categories.yaml").write_text("categories:\n  - id: tools\n    name: Tools\n")
    lines = ["resources:"]
    for index, host in enumerate([*HOSTS, "github.com"]):
        lines += [
            f"  - id: r{index}",
            f"    name: R{index}",
            f"    url: http://{host}/me/pack",
            "    description: A pack.",
            "    category: tools",
            "    kind: tool",
        ]
    (tmp_path / "resources" / "links.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load_curated(tmp_path)
    assert [r.url for r in result.resources] == ["http://github.com/me/pack"]
    assert len(result.problems) == len(HOSTS)
    assert all(p.field == "url" and p.line is not None for p in result.problems)


def test_remote_records_refuse_them() -> None:
    """A Manager database (or any remote list) cannot slip one in either."""
    nodes = [
        {
            "title": f"P{i}",
            "reference": f"http://{host}/me/p{i}",
            "files": [],
            "install_type": "git",
        }
        for i, host in enumerate([*HOSTS, "github.com"])
    ]
    resources, problems = parse_node_list({"custom_nodes": nodes}, "custom-node-list.json", {})
    assert [r.url for r, _ in resources] == [f"http://github.com/me/p{len(HOSTS)}"]
    assert len(problems) == len(HOSTS)
    assert all(PUBLIC in p.message or "written another way" in p.message for p in problems)


@pytest.mark.parametrize("host", HOSTS)
def test_the_user_entry_route_refuses_them(api: LiveServer, host: str) -> None:
    url = f"http://{host}:8188/me/pack"
    reply = api.post("/user/resources", json={"name": "Mine", "url": url, "kind": "tool"})
    assert reply.status == 400
    body = reply.json()
    assert body["error"]["message"] == "the entry is not valid"
    (problem,) = [p for p in body["error"]["problems"] if p["field"] == "url"]
    assert PUBLIC in problem["message"] or "written another way" in problem["message"]
    assert api.get("/user/resources").json() == {"items": []}


def test_a_user_entry_stored_before_the_rule_is_kept_and_reported(tmp_path: Path) -> None:
    """An entry an older version accepted is not lost: it stays in the file, as a problem."""
    user = tmp_path / "user"
    user.mkdir()
    stored = {"resources": [entry("http://192.168.1.20:3000/me/pack")]}
    (user / "resources.json").write_text(json.dumps(stored), encoding="utf-8")
    pack = Pack(user, tmp_path / "no-data")
    result = pack.user.load()
    assert result.resources == ()
    assert [p.field for p in result.problems] == ["resources[0].url"]
    assert json.loads((user / "resources.json").read_text()) == stored


def test_link_checks_still_block_one_that_got_in(tmp_path: Path, data_dir: Path) -> None:
    """Defence in depth: a loopback link in the catalogue (as LocalLinks puts one) is blocked."""
    upstream = Upstream()
    results: list[dict[str, dict[str, Any]]] = []

    async def main() -> None:
        async with serve(upstream.app()) as base:
            pack = Pack(tmp_path / "user", data_dir, extra_sources=[LocalLinks(base)])
            results.append(await check_resource_links(pack, ["alive", "gone"]))

    asyncio.run(main())
    assert {s["state"] for s in results[0].values()} == {"blocked"}
    assert upstream.requests == []


def test_local_links_keep_the_link_check_plumbing_testable(tmp_path: Path, data_dir: Path) -> None:
    """How tests of local servers get catalogue links now: LocalLinks, and allow_private_links."""
    upstream = Upstream()
    found: list[dict[str, dict[str, Any]]] = []

    async def main() -> None:
        async with serve(upstream.app()) as base:
            pack = Pack(tmp_path / "user", data_dir, extra_sources=[LocalLinks(base)])
            pack.allow_private_links = True
            found.append(await check_resource_links(pack, ["alive", "gone", "moved"]))

    asyncio.run(main())
    assert [(i, s["state"], s["status"]) for i, s in found[0].items()] == [
        ("alive", "alive", 200),
        ("gone", "dead", 404),
        ("moved", "redirected", 200),
    ]
