// The entry module as ComfyUI runs it, against a fake app/api (see helpers/comfy_loader.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { register } from "node:module";
import { makeDom, settle } from "./helpers/dom.mjs";
import { fakeClient, makeResources } from "./helpers/fake_client.mjs";

register("./helpers/comfy_loader.mjs", import.meta.url);

const dom = makeDom();
const zh = JSON.parse(fs.readFileSync(new URL("../../locales/zh/main.json", import.meta.url), "utf8"));
const en = JSON.parse(fs.readFileSync(new URL("../../locales/en/main.json", import.meta.url), "utf8"));
const backend = fakeClient(makeResources(30));
const settings = { "Comfy.Locale": "zh", "awesomecomfyuibeyond.Sidebar.DefaultSort": "name" };
const executed = [];
const extensions = [];
const tabs = [];
const json = (body) => new Response(JSON.stringify(body), { headers: { "Content-Type": "application/json" } });

globalThis.__fakeComfy = {
  app: {
    registerExtension: (extension) => extensions.push(extension),
    extensionManager: {
      registerSidebarTab: (tab) => tabs.push(tab),
      setting: { get: (id) => settings[id] },
      command: { execute: async (id) => { executed.push(id); } },
      toast: { add: () => {} },
    },
    graph: { getNodeById: () => null },
  },
  api: {
    async fetchApi(route) {
      if (route === "/i18n") return json({ en, zh });
      const url = new URL(route, "http://x");
      if (url.pathname === "/awesome/v1/resources") return json(await backend.search(url.search.slice(1)));
      if (url.pathname === "/awesome/v1/categories") return json(await backend.categories());
      if (url.pathname === "/awesome/v1/sources") return json(await backend.sources());
      return new Response("{}", { status: 404 });
    },
  },
};
globalThis.document = dom.document;
globalThis.localStorage = dom.window.localStorage;

await import("../../web/awesome_beyond.js");
const [sidebar, browserNode] = extensions;

test("two extensions, named in the pack's namespace", () => {
  assert.deepEqual(extensions.map((e) => e.name), ["awesomecomfyuibeyond.Sidebar", "awesomecomfyuibeyond.BrowserNode"]);
  assert.deepEqual(sidebar.settings.map((s) => [s.id, s.type, s.defaultValue, s.category[0]]), [
    ["awesomecomfyuibeyond.Sidebar.DefaultSort", "combo", "relevance", "Awesome ComfyUI Beyond"],
    ["awesomecomfyuibeyond.Sidebar.ShowDescriptions", "boolean", true, "Awesome ComfyUI Beyond"],
  ]);
  assert.deepEqual(sidebar.settings[0].options, ["relevance", "name", "stars", "updated"]);
  assert.deepEqual(sidebar.commands.map((c) => c.id), ["awesomecomfyuibeyond.ToggleSidebar"]);
  assert.deepEqual(sidebar.keybindings[0], { combo: { key: "a", alt: true }, commandId: "awesomecomfyuibeyond.ToggleSidebar" });
  assert.equal(tabs.length, 0, "nothing registered before setup");
});

test("setup registers the tab; the command toggles it through the frontend's command", async () => {
  await sidebar.setup();
  assert.equal(tabs.length, 1);
  const [tab] = tabs;
  assert.deepEqual({ id: tab.id, type: tab.type, tooltip: tab.tooltip, icon: tab.icon },
    { id: "awesome-beyond", type: "custom", tooltip: "Awesome ComfyUI Beyond", icon: "pi pi-star" });
  await sidebar.commands[0].function();
  assert.deepEqual(executed, ["Workspace.ToggleSidebarTab.awesome-beyond"]);
});

test("render is idempotent, destroy cleans up, and the state survives", async () => {
  const [tab] = tabs;
  const el = dom.document.createElement("div");
  dom.document.body.append(el);
  tab.render(el);
  tab.render(el);
  await settle(10);
  tab.render(el);
  await settle(10);
  assert.equal(el.querySelectorAll(".awesome-beyond-panel").length, 1);
  const search = el.querySelector(".ab-search");
  assert.equal(search.placeholder, "搜索资源目录…", "Comfy.Locale zh picks the zh strings from /i18n");
  assert.equal(el.querySelector(".ab-count").textContent, "30 个资源");
  assert.equal(el.querySelector("#ab-sort").value, "name", "the default sort setting");
  search.value = "resource 1";
  search.dispatchEvent(new dom.window.Event("input", { bubbles: true }));
  tab.destroy();
  assert.equal(el.children.length, 0);
  tab.destroy();
  const again = dom.document.createElement("div");
  dom.document.body.append(again);
  tab.render(again);
  await settle(10);
  assert.equal(again.querySelector(".ab-search").value, "resource 1");
  assert.match(localStorage.getItem("awesomecomfyuibeyond.sidebar.v1"), /"q":"resource 1"/);
});

test("the settings' first onChange (at registration) does not undo a saved choice", async () => {
  const [sortSetting, descriptions] = sidebar.settings;
  const select = dom.document.querySelector("#ab-sort");
  sortSetting.onChange("stars", undefined);
  assert.equal(select.value, "name");
  sortSetting.onChange("updated", "name");
  assert.equal(select.value, "updated");
  const row = dom.document.querySelector(".ab-row");
  settings["awesomecomfyuibeyond.Sidebar.ShowDescriptions"] = false;
  descriptions.onChange(false, true);
  await settle();
  assert.ok(dom.document.querySelector(".ab-row").classList.contains("ab-compact"));
  assert.notEqual(dom.document.querySelector(".ab-row"), row);
  tabs[0].destroy();
});

test("the browser node gets its display; other nodes are left alone", async () => {
  function Browser() { this.widgets = []; }
  Browser.prototype.addDOMWidget = function addDOMWidget(name, type, element, options) {
    const widget = { name, element, options };
    Object.defineProperty(widget, "value", { get: () => options.getValue(), set: (v) => options.setValue(v) });
    this.widgets.push(widget);
    return widget;
  };
  function Other() {}
  const otherExecuted = function onExecuted() {};
  Other.prototype.onExecuted = otherExecuted;
  await browserNode.beforeRegisterNodeDef(Other, { name: "KSampler" });
  assert.equal(Other.prototype.onExecuted, otherExecuted);
  await browserNode.beforeRegisterNodeDef(Browser, { name: "AwesomeBeyond_ResourceBrowser" });
  const node = new Browser();
  node.onNodeCreated();
  node.onExecuted({ text: ["10 of 18 resources"] });
  assert.equal(node.widgets[0].element.value, "10 of 18 resources");
  globalThis.__fakeComfy.app.graph.getNodeById = (id) => (id === 7 ? Object.assign(node, { type: "AwesomeBeyond_ResourceBrowser" }) : null);
  browserNode.onNodeOutputsUpdated({ 7: { text: ["restored"] }, "3:7": { text: ["in a subgraph"] }, 8: {} });
  assert.equal(node.widgets[0].element.value, "restored");
});

test.after(() => dom.close());
