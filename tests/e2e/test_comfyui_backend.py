"""The pack inside a real ComfyUI server (``main.py --cpu``): import, nodes, workflows, HTTP API.

Expected results are computed in this process by the pack's own core (``nodes.app.browse``)
over the same data the server reads (the curated catalogue and the server's user
directory), so the tests prove that what ComfyUI shows is exactly what the core computes.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from nodes.app.browse import Listing, clamp_text, listing, node_query, picker_labels
from nodes.app.pack import Pack
from nodes.comfy.choices import category_menu, choices
from nodes.comfy.node_classes import NODE_CLASS_MAPPINGS, NODE_DISPLAY_NAME_MAPPINGS
from nodes.core.model import Resource
from nodes.core.query import parse_query
from tests.e2e.comfy_server import (
    PACK_FOLDER,
    PYTHON_MODULE,
    REPO,
    ComfyInstall,
    ComfyServer,
    extra_pack,
    import_times,
    new_frontend_root,
    traceback_blocks,
)

pytestmark = pytest.mark.e2e

BROWSER = "AwesomeBeyond_ResourceBrowser"
PICKER = "AwesomeBeyond_ResourcePicker"
API = "/awesome/v1"
# Requests that change something must say they are JSON, a body or not.
JSON = {"Content-Type": "application/json"}
PREFIXES = (API, f"/api{API}")
# The one exception a test provokes on purpose (a bad tag linked from another node).
EXPECTED_NODE_ERROR = "tag: 'tag!' is not a valid tag"
ComfyFactory = Callable[..., AbstractContextManager[ComfyServer]]


# -- helpers ------------------------------------------------------------------------------


def core(server: ComfyServer) -> Pack:
    """The pack's core over the data this server uses (curated data + its user directory)."""
    return Pack(user_dir=server.pack_user_dir)


def browser_node(
    query: str = "",
    category: str = "all",
    kind: str = "all",
    tag: str = "",
    sort: str = "relevance",
    limit: int = 10,
) -> dict[str, Any]:
    return {
        "class_type": BROWSER,
        "inputs": {
            "query": query,
            "category": category,
            "kind": kind,
            "tag": tag,
            "sort": sort,
            "limit": limit,
        },
    }


def expected_listing(server: ComfyServer, node: dict[str, Any]) -> Listing:
    """What the browser node must output for ``node``'s inputs, computed by the core."""
    given = node["inputs"]
    query = node_query(
        clamp_text(given["query"]),
        given["category"],
        given["kind"],
        given["tag"],
        given["sort"],
        given["limit"],
    )
    return listing(core(server).catalog(), query)


def preview(node: str, output: int) -> dict[str, Any]:
    """ComfyUI's own "Preview Any" node, showing one output of ``node`` as ui text."""
    return {"class_type": "PreviewAny", "inputs": {"source": [node, output]}}


def run_prompt(server: ComfyServer, graph: dict[str, Any]) -> dict[str, Any]:
    """Queue ``graph`` through POST /prompt and return its completed history entry."""
    reply = server.queue_prompt(graph, str(uuid.uuid4()))
    assert reply.status == 200, f"POST /prompt: {reply}"
    body = reply.json()
    assert body["node_errors"] == {}, body
    return server.wait_history(body["prompt_id"])


def ui_text(entry: dict[str, Any], node: str) -> list[str]:
    outputs = entry["outputs"]
    assert node in outputs, f"node {node} has no output in history: {sorted(outputs)}"
    return list(outputs[node]["text"])


def cached_nodes(entry: dict[str, Any]) -> set[str]:
    """The nodes ComfyUI served from its cache, from the history's status messages."""
    for kind, data in entry["status"]["messages"]:
        if kind == "execution_cached":
            return set(data["nodes"])
    raise AssertionError(f"no execution_cached message: {entry['status']}")


# The folder, the display name, the logger ("awesome_comfyui_beyond"), the node ids; not
# other packs whose names start with "awesome" (such as the import-time baseline).
PACK_NAME_RE = re.compile(r"awesome[-_ ]?comfyui[-_ ]?beyond|AwesomeBeyond_", re.IGNORECASE)


def mentions_pack(text: str, server: ComfyServer) -> bool:
    paths = (str(server.install.pack_link), str(REPO))
    return bool(PACK_NAME_RE.search(text)) or any(p in text for p in paths)


def pack_exceptions(log: str, server: ComfyServer) -> list[str]:
    """Tracebacks in ``log`` that pass through the pack, and the routes' "<METHOD> <path>
    failed" lines (logged with the traceback when a handler hits a bug and answers 500)."""
    found = [b for b in traceback_blocks(log) if mentions_pack(b, server)]
    found += [line for line in log.splitlines() if re.search(r"/awesome/v1\S* failed$", line)]
    return found


def api_get(server: ComfyServer, path: str) -> Any:
    return server.get_json(f"{API}{path}")


def picker_combo(server: ComfyServer) -> list[str]:
    info = server.get_json(f"/object_info/{PICKER}")
    return list(info[PICKER]["input"]["required"]["resource"][0])


def label_of(pack: Pack, resource_id: str) -> str:
    picker = choices(pack.catalog()).picker  # "Name — Category", as the menu shows it
    labels = [label for label, rid in picker.items() if rid == resource_id]
    assert len(labels) == 1, (resource_id, labels)
    return labels[0]


# -- the pack loads -----------------------------------------------------------------------


def test_pack_imports_cleanly(comfy: ComfyServer) -> None:
    log = comfy.startup_log()
    ours = {
        path: result for path, result in import_times(log).items() if Path(path).name == PACK_FOLDER
    }
    assert ours, f"no 'Import times for custom nodes' line for {PACK_FOLDER}:\n{log}"
    failed = [path for path, (_, imported) in ours.items() if not imported]
    assert not failed, f"(IMPORT FAILED) for {failed}:\n{log}"

    lines = log.splitlines()
    cannot = [line for line in lines if "Cannot import" in line and mentions_pack(line, comfy)]
    assert not cannot, "\n".join(cannot)
    alarming = re.compile(r"warning|error|traceback|exception|failed|cannot|skip", re.IGNORECASE)
    bad = [line for line in lines if alarming.search(line) and mentions_pack(line, comfy)]
    assert not bad, "\n".join(bad)
    tracebacks = [b for b in traceback_blocks(log) if mentions_pack(b, comfy)]
    assert not tracebacks, "\n\n".join(tracebacks)
    # Nothing printed at import: the import-times line is the only one naming the pack.
    named = [line for line in lines if mentions_pack(line, comfy)]
    assert len(named) == 1, "\n".join(named)


def test_object_info_describes_both_nodes(comfy: ComfyServer) -> None:
    info = comfy.get_json("/object_info")
    pack = core(comfy)
    catalog = pack.catalog()
    for node_id, node_class in NODE_CLASS_MAPPINGS.items():
        cls: Any = node_class
        assert node_id in info, f"{node_id} is missing from /object_info"
        entry = info[node_id]
        assert entry["python_module"] == PYTHON_MODULE
        assert entry["category"] == cls.CATEGORY == "Awesome Beyond"
        assert entry["description"] == cls.DESCRIPTION
        assert len(entry["description"]) > 40
        assert entry["display_name"] == NODE_DISPLAY_NAME_MAPPINGS[node_id]
        assert entry["output"] == list(cls.RETURN_TYPES)
        assert entry["output_name"] == list(cls.RETURN_NAMES)
        assert entry["output_tooltips"] == list(cls.OUTPUT_TOOLTIPS)
        assert all(entry["output_tooltips"]), entry["output_tooltips"]
        assert entry["output_node"] is bool(getattr(cls, "OUTPUT_NODE", False))
        inputs = {**entry["input"].get("required", {}), **entry["input"].get("optional", {})}
        assert inputs, f"{node_id} has no inputs"
        for name, spec in inputs.items():
            tooltip = spec[1].get("tooltip")
            assert isinstance(tooltip, str), f"{node_id}.{name} has no tooltip: {spec}"
            assert tooltip.strip(), f"{node_id}.{name} has an empty tooltip: {spec}"
        assert comfy.get_json(f"/object_info/{node_id}") == {node_id: entry}

    browser = info[BROWSER]["input"]["required"]
    assert browser["category"][0] == category_menu(catalog)  # names, not internal ids
    assert browser["limit"][1]["min"] == 1
    assert browser["limit"][1]["max"] == 100
    assert info[PICKER]["input"]["required"]["resource"][0] == choices(catalog).menu


# -- workflows ----------------------------------------------------------------------------

CASES = [
    {"query": "video", "limit": 3},
    {"category": "essentials", "kind": "node-pack", "sort": "name", "limit": 5},
    {"query": "face", "tag": "face", "sort": "updated", "limit": 100},
    {"kind": "model", "tag": "sdxl, text-to-image", "limit": 2},
]


@pytest.mark.parametrize("inputs", CASES, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def test_workflow_output_is_what_the_core_computes(
    comfy: ComfyServer, inputs: dict[str, Any]
) -> None:
    node = browser_node(**inputs)
    pack = core(comfy)
    expected = expected_listing(comfy, node)
    assert expected.count > 0, f"case {inputs} matches nothing; pick inputs that do"
    first_id = expected_first_id(expected.json)
    picked = pack.catalog().get(first_id)
    assert picked is not None
    label = label_of(pack, first_id)
    assert label in picker_combo(comfy)

    graph = {
        "1": node,
        "2": {"class_type": PICKER, "inputs": {"resource": label}},
        "3": preview("2", 0),  # url
        "4": preview("2", 1),  # name
        "5": preview("1", 1),  # json
        "6": preview("1", 2),  # count
    }
    mark = comfy.log_size()
    entry = run_prompt(comfy, graph)

    assert ui_text(entry, "1") == [expected.markdown]
    assert ui_text(entry, "3") == [picked.url]
    assert ui_text(entry, "4") == [picked.name]
    assert ui_text(entry, "5") == [expected.json]
    assert ui_text(entry, "6") == [str(expected.count)]
    assert not pack_exceptions(comfy.log_text(mark), comfy)


def expected_first_id(items_json: str) -> str:
    return str(json.loads(items_json)[0]["id"])


BAD_INPUTS = [
    # (node, input, value, error type, words in the message)
    (
        "1",
        "category",
        "nope",
        "custom_validation_failed",
        "'nope' is not a category of the catalogue",
    ),
    ("1", "kind", "nope", "value_not_in_list", "Value not in list"),
    ("1", "sort", "best", "value_not_in_list", "Value not in list"),
    ("1", "limit", 1000, "value_bigger_than_max", "bigger than max of 100"),
    ("1", "limit", 0, "value_smaller_than_min", "smaller than min of 1"),
    ("1", "tag", "bad tag!", "custom_validation_failed", "'tag!' is not a valid tag"),
    ("1", "query", "x" * 201, "custom_validation_failed", "the limit is 200"),
    # The picker validates its combo itself (ComfyUI then skips "Value not in list"), to
    # say what happened to a resource a saved workflow names.
    (
        "2",
        "resource",
        "Nowhere / Not There",
        "custom_validation_failed",
        "'Nowhere / Not There' is not in the catalogue",
    ),
]


@pytest.mark.parametrize(
    ("node", "name", "value", "kind", "words"),
    BAD_INPUTS,
    ids=[f"{b[1]}={str(b[2])[:12]}" for b in BAD_INPUTS],
)
def test_bad_widget_values_are_refused_with_a_clear_message(
    comfy: ComfyServer, node: str, name: str, value: Any, kind: str, words: str
) -> None:
    # Only outputs that depend on the bad node: otherwise ComfyUI runs the rest (200).
    if node == "1":
        graph = {"1": browser_node(query="bad input probe")}
    else:
        label = next(iter(picker_labels(core(comfy).catalog())))
        graph = {"2": {"class_type": PICKER, "inputs": {"resource": label}}, "3": preview("2", 0)}
    graph[node]["inputs"][name] = value
    mark = comfy.log_size()
    reply = comfy.queue_prompt(graph, str(uuid.uuid4()))

    assert reply.status == 400, str(reply)
    body = reply.json()
    assert body["error"]["type"] == "prompt_outputs_failed_validation", body
    errors = body["node_errors"][node]["errors"]
    named = [e for e in errors if e["extra_info"].get("input_name") == name]
    assert named, f"no error names the input {name!r}: {errors}"
    assert any(e["type"] == kind for e in named), named
    assert any(words in f"{e['message']}: {e['details']}" for e in named), named
    log = comfy.log_text(mark)
    assert "Exception when validating" not in log, log
    assert not traceback_blocks(log), log


def test_linked_inputs_skip_comfyui_checks_and_are_kept_in_bounds(comfy: ComfyServer) -> None:
    """ComfyUI does not validate linked values: the node clamps them as it promises."""
    long_query = "video " * 50  # 300 characters: kept to the engine's 200
    graph = {
        "10": {"class_type": "PrimitiveString", "inputs": {"value": long_query}},
        "11": {"class_type": "PrimitiveInt", "inputs": {"value": 1000}},  # above max 100
        "12": {"class_type": "PrimitiveString", "inputs": {"value": "Video"}},
        "1": browser_node(sort="name"),
        "2": preview("1", 2),
    }
    graph["1"]["inputs"].update(query=["10", 0], limit=["11", 0], tag=["12", 0])
    entry = run_prompt(comfy, graph)

    clamped = browser_node(query=clamp_text(long_query), tag="Video", sort="name", limit=100)
    expected = expected_listing(comfy, clamped)
    assert ui_text(entry, "1") == [expected.markdown]
    assert ui_text(entry, "2") == [str(expected.count)]


def test_a_bad_linked_tag_fails_the_node_with_a_clear_message(comfy: ComfyServer) -> None:
    graph = {
        "10": {"class_type": "PrimitiveString", "inputs": {"value": "bad tag!"}},
        "1": browser_node(query="linked bad tag"),
    }
    graph["1"]["inputs"]["tag"] = ["10", 0]
    reply = comfy.queue_prompt(graph, str(uuid.uuid4()))
    assert reply.status == 200, str(reply)  # linked values are not validated up front
    entry = comfy.wait_history(reply.json()["prompt_id"], allow_error=True)
    errors = [data for kind, data in entry["status"]["messages"] if kind == "execution_error"]
    assert len(errors) == 1, entry["status"]
    assert errors[0]["node_type"] == BROWSER
    assert errors[0]["exception_message"].strip() == EXPECTED_NODE_ERROR


# A node whose output has ComfyUI's "any" type ("*"), as many packs offer: ComfyUI lets it
# feed a combo input such as the picker's, and during validation hands VALIDATE_INPUTS
# None for every linked input (the value exists only when the graph runs).
ANY_STRING_PACK = """\
from comfy.comfy_types.node_typing import IO


class AnyString:
    @classmethod
    def INPUT_TYPES(cls):
        return {"required": {"value": ("STRING", {"default": ""})}}

    RETURN_TYPES = (IO.ANY,)
    FUNCTION = "run"
    CATEGORY = "testing"

    def run(self, value):
        return (value,)


NODE_CLASS_MAPPINGS = {"E2E_AnyString": AnyString}
"""


def test_picker_accepts_a_linked_resource(
    comfy_factory: ComfyFactory, comfyui_install: ComfyInstall, tmp_path: Path
) -> None:
    helper_pack = extra_pack(comfyui_install, "e2e-any-string", ANY_STRING_PACK, tmp_path)
    with (
        helper_pack as helper,
        comfy_factory(
            user_dir=tmp_path / "user",
            log_path=tmp_path / "comfyui.log",
            whitelist=(PACK_FOLDER, helper),
        ) as server,
    ):
        assert "E2E_AnyString" in server.get_json("/object_info/E2E_AnyString")
        pack = core(server)
        resource = pack.catalog().resources[3]
        graph = {
            "10": {"class_type": "E2E_AnyString", "inputs": {"value": label_of(pack, resource.id)}},
            "2": {"class_type": PICKER, "inputs": {"resource": ["10", 0]}},
            "3": preview("2", 0),
        }
        entry = run_prompt(server, graph)
        assert ui_text(entry, "3") == [resource.url]

        # A linked label that is not in the catalogue fails when the node runs, clearly.
        graph["10"]["inputs"]["value"] = "Nowhere / Not There"
        reply = server.queue_prompt(graph, str(uuid.uuid4()))
        assert reply.status == 200, str(reply)
        failed = server.wait_history(reply.json()["prompt_id"], allow_error=True)
        errors = [d for kind, d in failed["status"]["messages"] if kind == "execution_error"]
        assert len(errors) == 1, failed["status"]
        assert "'Nowhere / Not There' is not in the catalogue" in errors[0]["exception_message"]


def test_same_prompt_is_cached_until_the_catalogue_changes(comfy: ComfyServer) -> None:
    graph = {"1": browser_node(query="upscale", sort="name", limit=7), "2": preview("1", 2)}
    first = run_prompt(comfy, graph)
    assert "1" not in cached_nodes(first)
    assert ui_text(first, "1") == [expected_listing(comfy, graph["1"]).markdown]

    again = run_prompt(comfy, graph)
    assert "1" in cached_nodes(again), again["status"]
    assert ui_text(again, "1") == ui_text(first, "1")

    version = api_get(comfy, "/sources")["version"]
    entry: dict[str, Any] = {
        "name": "E2E Upscale Probe",
        "url": "https://example.org/e2e-upscale-probe",
        "kind": "tool",
        "description": "An upscale probe added by the end-to-end tests.",
        "tags": ["upscaling"],
    }
    added = comfy.request("POST", f"{API}/user/resources", entry)
    assert added.status == 201, str(added)
    probe = added.json()["id"]
    try:
        assert api_get(comfy, "/sources")["version"] != version
        ids = [i["id"] for i in api_get(comfy, "/resources?q=upscale+probe&limit=5")["items"]]
        assert probe in ids
        assert label_of(core(comfy), probe) in picker_combo(comfy)

        rerun = run_prompt(comfy, graph)
        assert "1" not in cached_nodes(rerun), rerun["status"]
        expected = expected_listing(comfy, graph["1"])
        assert entry["url"] in expected.markdown
        assert ui_text(rerun, "1") == [expected.markdown]
        assert ui_text(rerun, "2") == [str(expected.count)]
    finally:
        deleted = comfy.request("DELETE", f"{API}/user/resources/{probe}", headers=JSON)
        assert deleted.status == 204, str(deleted)


# -- the HTTP API through ComfyUI ---------------------------------------------------------


def assert_record(item: dict[str, Any], resource: Resource, *, details: bool = False) -> None:
    """An API record is the resource's record plus the user's flags (favourite, ...); the
    one-resource answer (``details``) also lists every node type the pack provides."""
    record = resource.to_dict()
    if details:
        record["node_types"] = list(resource.node_types)
    assert {key: item.get(key) for key in record} == record
    assert item["favorite"] is False  # nothing is starred in the session's user dir
    extra = set(item) - set(record)
    assert all(isinstance(item[key], bool) for key in extra), {k: item[k] for k in extra}


def _check_search(server: ComfyServer, prefix: str, pack: Pack, params: dict[str, str]) -> None:
    path = f"{prefix}/resources?{urllib.parse.urlencode(params)}"
    reply = server.request("GET", path)
    assert reply.status == 200, f"GET {path}: {reply}"
    assert reply.headers["content-type"].startswith("application/json")
    body = reply.json()
    expected = pack.search(parse_query(params))
    assert body["total"] == expected.total
    assert [i["id"] for i in body["items"]] == [r.id for r in expected.items]
    for item, resource in zip(body["items"], expected.items, strict=True):
        assert_record(item, resource)
    etag = reply.headers["etag"]
    assert server.request("GET", path, headers={"If-None-Match": etag}).status == 304


BAD_REQUESTS = [
    ("GET", "/resources?limit=0", None, 400, "limit"),
    ("GET", "/resources?limit=abc", None, 400, "limit"),
    ("GET", "/resources?limit=501", None, 400, "limit"),
    ("GET", "/resources?offset=-1", None, 400, "offset"),
    ("GET", "/resources?sort=best", None, 400, "sort"),
    ("GET", "/resources?kind=nope", None, 400, "kind"),
    ("GET", "/resources?tag=bad%20tag!", None, 400, "tag"),
    ("GET", "/resources?q=" + "x" * 201, None, 400, "q"),
    ("GET", "/resources?q=a&q=b", None, 400, "q"),
    ("GET", "/resources?nope=1", None, 400, "nope"),
    ("GET", "/resources?favorites=maybe", None, 400, "favorites"),
    ("GET", "/resources/no-such-resource-e2e", None, 404, "id"),
    ("GET", "/resources/Bad%20Id", None, 400, "id"),
    ("POST", "/validate", b"not json", 415, None),
    ("POST", "/validate", {"name": "x" * 70_000}, 413, None),
    ("POST", "/user/resources", {}, 400, None),
    ("PUT", "/user/favorites", {"ids": "x"}, 400, None),
    ("DELETE", "/user/resources/not-mine-e2e", None, 404, None),
]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_http_routes_answer_through_comfyui(comfy: ComfyServer, prefix: str) -> None:
    pack = core(comfy)
    catalog = pack.catalog()
    mark = comfy.log_size()

    _check_search(comfy, prefix, pack, {"q": "video", "limit": "5"})
    _check_search(
        comfy,
        prefix,
        pack,
        {
            "category": "essentials",
            "kind": "node-pack",
            "sort": "name",
            "limit": "3",
            "facets": "0",
        },
    )

    some = catalog.resources[0]
    assert_record(comfy.get_json(f"{prefix}/resources/{some.id}"), some, details=True)

    categories = comfy.get_json(f"{prefix}/categories")["categories"]
    assert [c["id"] for c in categories] == [c.id for c in catalog.categories]

    sources = comfy.get_json(f"{prefix}/sources")
    assert sources["resources"] == len(catalog.resources)
    names = [s["name"] for s in sources["sources"]]
    assert names[:2] == ["user", "curated"], names  # optional sources are off by default
    assert sources["problem_count"] == 0, sources["problems"]

    document = comfy.get_json(f"{prefix}/openapi.json")
    assert document["openapi"].startswith("3.")
    assert f"{API}/resources" in document["paths"]

    for method, path, body, status, param in BAD_REQUESTS:
        headers = {"Content-Type": "text/plain"} if isinstance(body, bytes) else JSON
        reply = comfy.request(method, prefix + path, body, headers=headers)
        assert reply.status == status, f"{method} {prefix}{path}: {reply}"
        assert reply.headers["content-type"].startswith("application/json"), str(reply)
        error = reply.json()["error"]
        assert error["status"] == status, error
        assert error["message"], error
        if param is not None:
            assert error.get("param") == param, error
    assert not pack_exceptions(comfy.log_text(mark), comfy)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_comfyui_origin_check_still_guards_the_pack(comfy: ComfyServer, prefix: str) -> None:
    evil = {"Origin": "http://evil.example"}
    refused = comfy.request("POST", f"{prefix}/validate", {"name": "x"}, headers=evil)
    assert refused.status == 403, str(refused)

    before = comfy.get_json(f"{API}/user/resources")["items"]
    entry = {"name": "Evil Entry", "url": "https://evil.example/entry", "kind": "tool"}
    write = comfy.request("POST", f"{prefix}/user/resources", entry, headers=evil)
    assert write.status == 403, str(write)
    assert comfy.get_json(f"{API}/user/resources")["items"] == before

    same = {"Origin": comfy.base_url}
    allowed = comfy.request("POST", f"{prefix}/validate", {"name": "x"}, headers=same)
    assert allowed.status == 200, str(allowed)
    assert allowed.json()["ok"] is False
    assert allowed.json()["problems"]


# -- what ComfyUI serves from the pack folder --------------------------------------------


def test_comfyui_serves_web_files_translations_and_templates(comfy: ComfyServer) -> None:
    extensions = comfy.get_json("/extensions")
    ours = sorted(e for e in extensions if e.startswith(f"/extensions/{PACK_FOLDER}/"))
    web = REPO / "web"
    expected = sorted(
        f"/extensions/{PACK_FOLDER}/{p.relative_to(web).as_posix()}" for p in web.rglob("*.js")
    )
    assert ours == expected, "ComfyUI loads every .js under WEB_DIRECTORY"
    # The frontend imports each one at start: no dependency trees in there.
    assert not [u for u in ours if "node_modules" in u], "web/ holds node_modules"
    assert len(ours) < 100, f"{len(ours)} scripts under web/ would all load at start"
    for url in ours:
        reply = comfy.request("GET", url)
        assert reply.status == 200, f"{url}: {reply}"
        assert "javascript" in reply.headers["content-type"], f"{url}: {reply.headers}"
    for doc in sorted((web / "docs").glob("*.md")):
        url = f"/extensions/{PACK_FOLDER}/docs/{doc.name}"
        assert comfy.request("GET", url).status == 200, url

    # locales/ reaches the frontend through /i18n; English matches what the nodes say.
    i18n = comfy.get_json("/i18n")
    info = comfy.get_json("/object_info")
    for node_id in NODE_CLASS_MAPPINGS:
        for lang in ("en", "zh"):
            assert i18n[lang]["nodeDefs"][node_id]["display_name"], (lang, node_id)
        english = i18n["en"]["nodeDefs"][node_id]
        assert english["display_name"] == info[node_id]["display_name"]
        assert english["description"] == info[node_id]["description"]
        for name, spec in info[node_id]["input"]["required"].items():
            assert english["inputs"][name]["tooltip"] == spec[1]["tooltip"], (node_id, name)
        for index, tooltip in enumerate(info[node_id]["output_tooltips"]):
            assert english["outputs"][str(index)]["tooltip"] == tooltip, (node_id, index)

    # example_workflows/ becomes templates, and every node in them exists.
    templates = comfy.get_json("/workflow_templates").get(PACK_FOLDER, [])
    files = sorted(p.stem for p in (REPO / "example_workflows").glob("*.json"))
    assert sorted(templates) == files
    for name in files:
        workflow = comfy.get_json(f"/api/workflow_templates/{PACK_FOLDER}/{name}.json")
        missing = {n["type"] for n in workflow["nodes"]} - set(info)
        assert not missing, f"{name}.json uses unknown node types {missing}"


def test_newest_frontend_serves_the_pack(comfy_factory: ComfyFactory, tmp_path: Path) -> None:
    root = new_frontend_root()
    if root is None:
        pytest.skip("e2e: frontend 1.58.1 not found (set COMFYUI_FRONTEND_NEW)")
    with comfy_factory(
        frontend="new", user_dir=tmp_path / "user", log_path=tmp_path / "comfyui.log"
    ) as server:
        page = server.request("GET", "/")
        assert page.status == 200
        assert page.text == (root / "index.html").read_text(encoding="utf-8")
        assert f"/extensions/{PACK_FOLDER}/awesome_beyond.js" in server.get_json("/extensions")
        assert PICKER in server.get_json(f"/object_info/{PICKER}")
        assert not pack_exceptions(server.log_text(), server)


# -- user entries persist -----------------------------------------------------------------

PROBE = {
    "name": "E2E Persistence Probe",
    "url": "https://example.org/e2e-persistence-probe",
    "kind": "tool",
    "description": "Added by the end-to-end tests; must survive a restart.",
}


def _probe_is_visible(server: ComfyServer, probe_id: str) -> None:
    ids = [i["id"] for i in api_get(server, "/resources?q=persistence+probe&limit=5")["items"]]
    assert probe_id in ids, ids
    assert api_get(server, f"/resources/{probe_id}")["url"] == PROBE["url"]
    assert [r["id"] for r in api_get(server, "/user/resources")["items"]] == [probe_id]
    label = label_of(core(server), probe_id)
    assert label == f"{PROBE['name']} — My Resources"
    assert label in picker_combo(server)
    entry = run_prompt(
        server, {"1": {"class_type": PICKER, "inputs": {"resource": label}}, "2": preview("1", 0)}
    )
    assert ui_text(entry, "2") == [PROBE["url"]]


def test_user_entry_appears_everywhere_and_survives_a_restart(
    comfy_factory: ComfyFactory, tmp_path: Path
) -> None:
    user_dir = tmp_path / "user"
    with comfy_factory(user_dir=user_dir, log_path=tmp_path / "first.log") as first:
        added = first.request("POST", f"{API}/user/resources", PROBE)
        assert added.status == 201, str(added)
        probe_id = added.json()["id"]
        _probe_is_visible(first, probe_id)
        again = first.request("POST", f"{API}/user/resources", PROBE)
        assert again.status == 409, str(again)
    assert (user_dir / PACK_FOLDER / "resources.json").is_file()

    with comfy_factory(user_dir=user_dir, log_path=tmp_path / "second.log") as second:
        _probe_is_visible(second, probe_id)
        assert not pack_exceptions(second.log_text(), second)
    assert not pack_exceptions(first.log_text(), first)


def test_no_exception_from_the_pack_in_the_whole_session_log(comfy: ComfyServer) -> None:
    """Runs last in this module: everything above went through the session server."""
    found = [f for f in pack_exceptions(comfy.log_text(), comfy) if EXPECTED_NODE_ERROR not in f]
    assert not found, "\n\n".join(found)
