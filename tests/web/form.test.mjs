// The own-entry form's helpers: the scheme assumed, the name proposed, the entry a 409 names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existingEntry, proposeName, withScheme } from "../../web/lib/form.js";

test("https:// is added when no scheme is typed; anything else is left for the server to judge", () => {
  assert.equal(withScheme(" github.com/a/b "), "https://github.com/a/b");
  assert.equal(withScheme("//example.org/x"), "https://example.org/x");
  assert.equal(withScheme("example.org:8080/x"), "https://example.org:8080/x", "a port is no scheme");
  assert.equal(withScheme("localhost:8188"), "https://localhost:8188");
  for (const kept of ["http://a.org", "HTTPS://a.org", "ftp://a.org", "javascript:alert(1)", "data:text/html,x", "mailto:a@b.c", ""]) {
    assert.equal(withScheme(kept), kept, kept);
  }
});

test("a name is proposed from the URL", () => {
  const cases = [
    ["https://github.com/kijai/ComfyUI-WanVideoWrapper", "ComfyUI-WanVideoWrapper"],
    ["github.com/ltdrdata/ComfyUI-Manager.git", "ComfyUI-Manager"],
    ["https://github.com/comfyanonymous", "comfyanonymous"],
    ["https://huggingface.co/Lightricks/LTX-Video/tree/main", "LTX-Video"],
    ["https://huggingface.co/spaces/org/My-Space", "My-Space"],
    ["https://civitai.com/models/4384/dreamshaper", "dreamshaper"],
    ["https://www.example.org/guides/getting%20started.html", "getting started"],
    ["https://comfy.org/", "comfy.org"],
    ["javascript:alert(1)", ""],
    ["", ""],
  ];
  for (const [url, name] of cases) assert.equal(proposeName(url), name, url);
  assert.ok(proposeName(`https://example.org/${"x".repeat(500)}`).length <= 120);
});

test("a 409 for a known URL names the entry that has it", () => {
  const message = (name) => `https://a.org/x is already in the catalogue as ${name} (id 'comfyui-manager'); star it instead`;
  assert.deepEqual(existingEntry({ status: 409, message: message("'ComfyUI Manager'") }), { id: "comfyui-manager", name: "ComfyUI Manager" });
  assert.deepEqual(existingEntry({ status: 409, message: message('"It\'s mine"') }), { id: "comfyui-manager", name: "It's mine" });
  assert.equal(existingEntry({ status: 400, message: message("'X'") }), null);
  assert.equal(existingEntry({ status: 409, message: "the id 'x' is already used by 'X' (curated)" }), null);
  assert.equal(existingEntry({ status: 409 }), null);
  assert.deepEqual(existingEntry({ status: 409, message: "in other words", existing: { id: "x", name: "X" } }), { id: "x", name: "X" });
});
