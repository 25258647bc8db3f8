"""No state change from another site, tried for real: a page on another origin, in headless
Chromium, posts to a real ComfyUI with this pack (issue 9, part 3).

The page is served on 127.0.0.1 from another port than ComfyUI's. It sends what any web page
can send without a CORS preflight: ``fetch`` in ``no-cors`` mode with a ``text/plain``, form
or multipart body or with none, and HTML form posts of the three encodings, to
``/sources/manager/refresh`` and ``/user/resources`` (under ``/awesome/v1`` and
``/api/awesome/v1``). It sends them itself, and from a sandboxed iframe, whose requests say
``Origin: null``: ComfyUI's own origin check refuses the first kind and lets the second
through, so it is the pack that must refuse those.

The browser part is ``tests/e2e/browser/cross_site.mjs``. Skips with one line when there is
no ComfyUI (see ``conftest.py``), or no Node, Playwright or Chromium.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.e2e.comfy_server import HOST, REPO, ComfyServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SCRIPT = REPO / "tests" / "e2e" / "browser" / "cross_site.mjs"
API = "/awesome/v1"
# The manager's refresh would fetch from here: a private address the pack refuses at once,
# saying so in the log ("refreshing manager-... failed"), so a refresh that got through shows.
MANAGER_URL = "https://10.255.255.1/manager"
MINE = {
    "id": "mine-before",
    "name": "Mine Before",
    "url": "https://example.org/mine-before",
    "category": "mine",
    "kind": "tool",
}
PATHS = [
    f"{prefix}{API}/{route}"
    for prefix in ("", "/api")
    for route in ("sources/manager/refresh", "user/resources")
]
FETCHES = 4  # text/plain, form, multipart, no body
FORMS = 3  # text/plain, urlencoded, multipart
PER_FRAME = len(PATHS) * (FETCHES + FORMS)

ATTACK_JS = """
const target = new URLSearchParams(location.search).get("target");
const paths = %(paths)s;
const entry = {name: "Evil Entry", url: "https://evil.example.org/entry", kind: "tool"};
const json = JSON.stringify(entry);

function multipart() {
  const data = new FormData();
  for (const [k, v] of Object.entries(entry)) data.append(k, v);
  return data;
}

async function fetches() {
  let sent = 0;
  for (const path of paths) {
    const bodies = [
      ["text/plain", json],
      ["application/x-www-form-urlencoded", new URLSearchParams(entry)],
      [null, multipart()],
      [null, undefined],
    ];
    for (const [type, body] of bodies) {
      const init = {method: "POST", mode: "no-cors", credentials: "include", body};
      if (type) init.headers = {"Content-Type": type};
      try { await fetch(target + path, init); } catch (error) { /* opaque or refused */ }
      sent += 1;
    }
  }
  return sent;
}

function submit(path, enctype) {
  return new Promise((resolve) => {
    const sink = document.createElement("iframe");
    sink.name = "sink" + Math.random().toString(36).slice(2);
    sink.style.display = "none";
    let submitted = false;
    sink.addEventListener("load", () => { if (submitted) resolve(); });
    document.body.appendChild(sink);
    const form = document.createElement("form");
    form.method = "POST";
    form.action = target + path;
    form.enctype = enctype;
    form.target = sink.name;
    const fields = enctype === "text/plain"
      // name=value with the = inside a string: the body is JSON, sent as text/plain
      ? [[json.slice(0, -1) + ', "x": "', '"}']]
      : Object.entries(entry);
    for (const [name, value] of fields) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    document.body.appendChild(form);
    setTimeout(() => { submitted = true; form.submit(); }, 0);
    setTimeout(resolve, 10000);  // never wait forever for a frame
  });
}

const ENCODINGS = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"];

async function forms() {
  let sent = 0;
  for (const path of paths) {
    for (const enctype of ENCODINGS) {
      await submit(path, enctype);
      sent += 1;
    }
  }
  return sent;
}

async function attack() {
  const fetched = await fetches();
  const posted = await forms();
  return {fetched, posted};
}
"""
ATTACK_HTML = """<!doctype html>
<meta charset="utf-8"><title>Another site</title>
<body>
<h1>Another site</h1>
<iframe id="sandboxed" sandbox="allow-scripts allow-forms"
  src="/sandboxed.html?target=%(target)s"></iframe>
<script src="/attack.js?target=%(target)s"></script>
<script>
let sandboxed = null;
window.addEventListener("message", (event) => { sandboxed = event.data; finish(); });
let own = null;
attack().then((result) => { own = result; finish(); });
function finish() {
  if (own && sandboxed) window.__result = {own, sandboxed, origin: location.origin};
}
</script>
"""
SANDBOXED_HTML = """<!doctype html>
<meta charset="utf-8"><title>Sandboxed</title>
<body>
<script>
%(attack_js)s
attack().then((result) => parent.postMessage({...result, origin: String(self.origin)}, "*"));
</script>
"""


def _needs() -> str | None:
    if shutil.which("node") is None:
        return "node is not on PATH"
    if not (REPO / "node_modules" / "playwright-core").is_dir():
        return "node_modules/playwright-core is missing (run `npm ci` at the repo root)"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)"
    return None


@contextmanager
def another_site(target: str) -> Iterator[str]:
    """Serve the attacking pages on 127.0.0.1 (a port of their own); yield the page's URL."""
    attack_js = ATTACK_JS % {"paths": json.dumps(PATHS)}
    pages = {
        "/attack.html": ("text/html", ATTACK_HTML % {"target": quote(target, safe="")}),
        "/attack.js": ("text/javascript", attack_js),
        "/sandboxed.html": ("text/html", SANDBOXED_HTML % {"attack_js": attack_js}),
    }

    class Pages(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            kind, text = pages.get(self.path.split("?")[0], ("text/plain", ""))
            body = text.encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer((HOST, 0), Pages)
    thread = threading.Thread(target=server.serve_forever, name="another-site", daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        yield f"http://{HOST}:{port}/attack.html?target={quote(target, safe='')}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def state(comfy: ComfyServer) -> dict[str, Any]:
    """What an attack could change: the sources' state, the user's entries and favourites,
    and every file of the pack's user folder."""
    folder = comfy.pack_user_dir
    return {
        "sources": comfy.get_json(f"{API}/sources"),
        "entries": comfy.get_json(f"{API}/user/resources"),
        "favorites": comfy.get_json(f"{API}/user/favorites"),
        "files": {
            str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        },
    }


def test_another_site_changes_nothing(
    comfy_factory: Callable[..., AbstractContextManager[ComfyServer]], tmp_path: Path
) -> None:
    missing = _needs()
    if missing:
        pytest.skip(f"browser e2e: {missing}")
    user_dir = tmp_path / "user"
    pack_dir = user_dir / "awesome-comfyui-beyond"
    pack_dir.mkdir(parents=True)
    (pack_dir / "sources.json").write_text(
        json.dumps({"schema": 1, "manager": {"enabled": False, "folder": "", "url": MANAGER_URL}})
    )
    (pack_dir / "resources.json").write_text(json.dumps({"schema": 1, "resources": [MINE]}))
    with comfy_factory(user_dir=user_dir) as comfy:
        before = state(comfy)
        assert [e["id"] for e in before["entries"]["items"]] == ["mine-before"]
        mark = comfy.log_size()
        with another_site(comfy.base_url) as page:
            done = subprocess.run(
                ["node", str(SCRIPT), "--page", page],
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
        result = json.loads(line.removeprefix("RESULT "))
        after = state(comfy)
        log = comfy.log_text(mark)

    # Every request was sent, from both origins, and reached ComfyUI.
    assert result["own"] == {"fetched": len(PATHS) * FETCHES, "posted": len(PATHS) * FORMS}
    assert {k: v for k, v in result["sandboxed"].items() if k != "origin"} == result["own"]
    assert result["sandboxed"]["origin"] == "null"
    assert result["pageErrors"] == []
    assert result["seen"] >= 2 * PER_FRAME, result
    # ComfyUI's origin check refused the page's own requests; the pack refused the
    # sandboxed frame's (Origin: null), each with one line in the log.
    assert log.count("request with non matching host and origin") >= PER_FRAME, log[-3000:]
    refused = [x for x in log.splitlines() if "refused POST" in x and "(Origin 'null')" in x]
    assert len(refused) >= PER_FRAME, log[-3000:]
    # And nothing changed: no refresh started, no entry added, no file written.
    assert "refreshing manager" not in log
    assert "refreshed manager" not in log
    assert after == before
