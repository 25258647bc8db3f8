// ComfyUI imports every .js file under web/, so each must be harmless on its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const WEB = fileURLToPath(new URL("../../web/", import.meta.url));
const files = (dir) => fs.readdirSync(dir, { withFileTypes: true })
  .flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)]));

test("web/ holds runtime files only", () => {
  for (const file of files(WEB)) {
    const rel = path.relative(WEB, file);
    assert.doesNotMatch(rel, /node_modules|package(-lock)?\.json|tsconfig|\.test\.|(^|\/)tests?\//, rel);
    assert.match(rel, /\.(js|md)$/, `${rel}: only modules and help pages`);
    if (rel.endsWith(".js")) assert.match(rel, /^(awesome_beyond|lib\/\w+)\.js$/, `${rel}: the entry module, or a module in lib/ (no deeper)`);
  }
});

test("only the entry module reaches for ComfyUI's scripts; no HTML sinks anywhere", () => {
  for (const file of files(WEB).filter((f) => f.endsWith(".js"))) {
    const source = fs.readFileSync(file, "utf8");
    const rel = path.relative(WEB, file);
    if (rel !== "awesome_beyond.js") assert.doesNotMatch(source, /scripts\/(app|api)\.js/, rel);
    assert.doesNotMatch(source, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/, rel);
  }
});

test("every module under web/lib imports without a DOM and without side effects", async () => {
  const before = new Set(Object.getOwnPropertyNames(globalThis));
  for (const file of files(path.join(WEB, "lib")).filter((f) => f.endsWith(".js"))) {
    await import(new URL(`file://${file}`).href);
  }
  const added = Object.getOwnPropertyNames(globalThis).filter((name) => !before.has(name));
  assert.deepEqual(added, []);
});

test("help pages exist for both nodes, in English and Chinese", () => {
  for (const node of ["AwesomeBeyond_ResourceBrowser", "AwesomeBeyond_ResourcePicker"]) {
    for (const page of [`docs/${node}.md`, `docs/${node}/zh.md`]) {
      const text = fs.readFileSync(path.join(WEB, page), "utf8");
      assert.match(text, /^# /, page);
    }
  }
});

test("the example workflows use only this pack's nodes and core nodes", () => {
  const core = new Set(["PreviewAny"]);
  const ours = new Set(["AwesomeBeyond_ResourceBrowser", "AwesomeBeyond_ResourcePicker"]);
  for (const name of ["awesome_browser.json", "awesome_picker.json"]) {
    const workflow = JSON.parse(fs.readFileSync(new URL(`../../example_workflows/${name}`, import.meta.url), "utf8"));
    assert.ok(Array.isArray(workflow.nodes) && workflow.nodes.length > 0, name);
    for (const node of workflow.nodes) assert.ok(core.has(node.type) || ours.has(node.type), `${name}: ${node.type}`);
    const browser = workflow.nodes.find((n) => n.type === "AwesomeBeyond_ResourceBrowser");
    if (browser) assert.deepEqual(browser.widgets_values, ["video", "all", "all", "", "relevance", 10]);
  }
});
