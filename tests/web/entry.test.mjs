// The entry module as ComfyUI runs it, against a fake app/api (see helpers/comfy_loader.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { register } from "node:module";
import { makeDom, settle } from "./helpers/dom.mjs";
import { DEFAULT_SORT, SORTS } from "../../web/lib/constants.js";
import { fakeClient, makeResources } from "./helpers/fake_client.mjs";

register("./helpers/comfy_loader.mjs", import.meta.url);

const dom = makeDom();
const zh = JSON.parse(fs.readFileSync(new URL("../../locales/zh/main.json", import.meta.url), "utf8"));
const en = JSON.parse(fs.readFileSync(new URL("../../locales/en/main.json", import.meta.url), "utf8"));
const backend = fakeClient(makeResources(30));
const settings = { "Comfy.Locale": "zh", "awesomecomfyuibeyond.Sidebar.DefaultSort": "name" };
const MANAGER = "awesomecomfyuibeyond.Sources.Manager";
const REGISTRY = "awesomecomfyuibeyond.Sources.Registry";
const executed = [];
const toasts = [];
/** The frontend's setting store: get falls back to the default; set calls onChange when the value changes. */
const settingStore = {
  get: (id) => settings[id] ?? extensions[0]?.settings.find((s) => s.id === id)?.defaultValue,
  async set(id, value) {
    const old = settingStore.get(id);
    if (old === value) return;
    settings[id] = value;
    await extensions[0].settings.find((s) => s.id === id)?.onChange?.(value, old);
  },
};
const extensions = [];
const tabs = [];
const json = (body) => new Response(JSON.stringify(body), { headers: { "Content-Type": "application/json" } });

globalThis.__fakeComfy = {
  app: {
    registerExtension: (extension) => extensions.push(extension),
    extensionManager: {
      registerSidebarTab: (tab) => tabs.push(tab),
      setting: settingStore,
      command: { execute: async (id) => { executed.push(id); } },
      toast: { add: (message) => toasts.push(message) },
    },
    graph: { getNodeById: () => null },
  },
  api: {
    async fetchApi(route, init = {}) {
      if (route === "/i18n") return json({ en, zh });
      const url = new URL(route, "http://x");
      const method = init.method ?? "GET";
      try {
        if (url.pathname === "/awesome/v1/resources") return json(await backend.search(url.search.slice(1)));
        if (url.pathname === "/awesome/v1/categories") return json(await backend.categories());
        if (url.pathname === "/awesome/v1/sources") return json(await backend.sources());
        if (url.pathname === "/awesome/v1/links") return json(await backend.links());
        const source = /^\/awesome\/v1\/sources\/(\w+)$/.exec(url.pathname);
        if (source && method === "PUT") return json(await backend.setSource(source[1], JSON.parse(init.body)));
      } catch (error) {
        return new Response(JSON.stringify({ error: { message: error.message } }), { status: error.status ?? 500 });
      }
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
    ["awesomecomfyuibeyond.Sidebar.DefaultSort", "combo", DEFAULT_SORT, "Awesome ComfyUI Beyond"],
    ["awesomecomfyuibeyond.Sidebar.ShowDescriptions", "boolean", true, "Awesome ComfyUI Beyond"],
    [MANAGER, "boolean", false, "Awesome ComfyUI Beyond"],
    [REGISTRY, "boolean", false, "Awesome ComfyUI Beyond"],
  ]);
  assert.deepEqual(sidebar.settings[0].options, [...SORTS], "the sorts the server knows");
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

test("source switches in the settings: registration sends nothing, a change only when it differs from the server's", async () => {
  const puts = () => backend.calls.filter((c) => c.setSource);
  const manager = sidebar.settings.find((s) => s.id === MANAGER);
  // At registration the frontend calls onChange(saved value, undefined): never a write,
  // even when the saved value disagrees with the server.
  settings[MANAGER] = true;
  await manager.onChange(true, undefined);
  assert.deepEqual(puts(), []);
  delete settings[MANAGER];

  // The user switches it on: the server's state is asked for, then PUT once.
  await settingStore.set(MANAGER, true);
  assert.deepEqual(puts().map((c) => [c.setSource, c.change]), [["manager", { enabled: true }]]);
  assert.equal(backend.settings.manager.enabled, true);
  assert.match(toasts.at(-1).summary, /ComfyUI-Manager/);
  // Off and on again in the dialog: one PUT each.
  await settingStore.set(MANAGER, false);
  assert.equal(puts().length, 2);
  assert.equal(backend.settings.manager.enabled, false);

  // Changed behind our back (the command line): the panel learns it and mirrors it into the
  // setting; the onChange that causes sees no difference and sends nothing.
  backend.settings.manager.enabled = true;
  const el = dom.document.createElement("div");
  dom.document.body.append(el);
  tabs[0].render(el);
  await settle(10);
  assert.equal(settingStore.get(MANAGER), true, "mirrored from GET sources");
  assert.equal(puts().length, 2, "mirroring sends nothing");
  const row = el.querySelector(".ab-source[data-source=manager] input[role=switch]");
  assert.equal(row.checked, true);

  // A refusal puts the setting back and says why.
  const fail = backend.fail;
  backend.fail = () => Object.assign(new Error("registry.enabled: disk full"), { status: 400 });
  await settingStore.set(REGISTRY, true);
  backend.fail = fail;
  assert.equal(settingStore.get(REGISTRY), false, "back to the server's value");
  assert.equal(toasts.at(-1).severity, "error");
  assert.match(toasts.at(-1).detail, /disk full/);
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
