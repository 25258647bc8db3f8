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
const MANAGER_FOLDER = "awesomecomfyuibeyond.Sources.ManagerFolder";
const executed = [];
const toasts = [];
const removedToasts = [];
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
/** ComfyUI's api is an EventTarget: the Manager's websocket messages and "graphChanged" come through it. */
const apiEvents = new EventTarget();

globalThis.__fakeComfy = {
  app: {
    registerExtension: (extension) => extensions.push(extension),
    extensionManager: {
      registerSidebarTab: (tab) => tabs.push(tab),
      setting: settingStore,
      command: { execute: async (id) => { executed.push(id); } },
      toast: { add: (message) => toasts.push(message), remove: (message) => removedToasts.push(message) },
    },
    graph: { getNodeById: () => null },
  },
  api: {
    clientId: "client-1",
    addEventListener: (type, fn) => apiEvents.addEventListener(type, fn),
    removeEventListener: (type, fn) => apiEvents.removeEventListener(type, fn),
    dispatchEvent: (event) => apiEvents.dispatchEvent(event),
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
    ["awesomecomfyuibeyond.Sidebar.OneLineRows", "boolean", false, "Awesome ComfyUI Beyond"],
    [MANAGER, "boolean", false, "Awesome ComfyUI Beyond"],
    [MANAGER_FOLDER, "text", "", "Awesome ComfyUI Beyond"],
    [REGISTRY, "boolean", false, "Awesome ComfyUI Beyond"],
  ]);
  assert.deepEqual(sidebar.settings[0].options, [...SORTS], "the sorts the server knows");
  assert.deepEqual(sidebar.commands.map((c) => [c.id, c.icon]), [["awesomecomfyuibeyond.ToggleSidebar", "pi pi-compass"]]);
  assert.deepEqual(sidebar.keybindings[0], { combo: { key: "a", alt: true }, commandId: "awesomecomfyuibeyond.ToggleSidebar" });
  assert.equal(tabs.length, 0, "nothing registered before setup");
});

test("setup registers the tab; the command toggles it through the frontend's command", async () => {
  await sidebar.setup();
  assert.equal(tabs.length, 1);
  const [tab] = tabs;
  // Not a star (the favourite buttons are stars); the shortcut in the tooltip, as the built-in tabs show theirs.
  assert.deepEqual({ id: tab.id, type: tab.type, tooltip: tab.tooltip, icon: tab.icon },
    { id: "awesome-beyond", type: "custom", tooltip: "Awesome ComfyUI Beyond (Alt+A)", icon: "pi pi-compass" });
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
  assert.equal(el.querySelector(".ab-title").textContent, "Awesome Beyond");
  el.querySelector("[data-action=close-panel]").click(); // the title bar's Close: the frontend's toggle
  await settle();
  assert.deepEqual(executed.slice(-1), ["Workspace.ToggleSidebarTab.awesome-beyond"]);
  assert.equal(el.querySelector("[data-action=close-panel]").getAttribute("aria-label"), "关闭侧边栏");
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
  const [sortSetting, descriptions, oneLine] = sidebar.settings;
  const select = dom.document.querySelector("#ab-sort");
  sortSetting.onChange("stars", undefined);
  assert.equal(select.value, "name");
  sortSetting.onChange("updated", "name");
  assert.equal(select.value, "updated");
  const row = dom.document.querySelector(".ab-row");
  assert.ok(row.classList.contains("ab-lines-3"));
  // The frontend calls onChange before it stores the new value: the value given counts.
  descriptions.onChange(false, true);
  settings["awesomecomfyuibeyond.Sidebar.ShowDescriptions"] = false;
  await settle();
  assert.ok(dom.document.querySelector(".ab-row").classList.contains("ab-lines-2"));
  assert.notEqual(dom.document.querySelector(".ab-row"), row);
  oneLine.onChange(true, false);
  settings["awesomecomfyuibeyond.Sidebar.OneLineRows"] = true;
  await settle();
  assert.ok(dom.document.querySelector(".ab-row").classList.contains("ab-lines-1"), "one line wins over descriptions");
  assert.equal(dom.document.querySelector(".ab-row .ab-row-meta"), null);
  oneLine.onChange(true, undefined); // registration: nothing changes
  oneLine.onChange(false, true);
  delete settings["awesomecomfyuibeyond.Sidebar.OneLineRows"];
  await settle();
  assert.ok(dom.document.querySelector(".ab-row").classList.contains("ab-lines-2"), "back to two lines: descriptions are off");
  descriptions.onChange(true, false);
  settings["awesomecomfyuibeyond.Sidebar.ShowDescriptions"] = true;
  await settle();
  assert.ok(dom.document.querySelector(".ab-row").classList.contains("ab-lines-3"));
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
  await settle(5);
  // Said from the sources as read after the change: on, with how many entries.
  assert.deepEqual([toasts.at(-1).severity, toasts.at(-1).summary, toasts.at(-1).detail],
    ["success", "已开启 ComfyUI-Manager 数据库", "已开启 · 6,445 个条目"]); // the page is in Chinese
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

  // The folder setting: nothing at registration, a PUT when it differs from the server's.
  const folderSetting = sidebar.settings.find((s) => s.id === MANAGER_FOLDER);
  await folderSetting.onChange("/elsewhere", undefined);
  assert.equal(puts().length, 2, "registration sends nothing");
  assert.equal(settingStore.get(MANAGER_FOLDER), "/data/manager", "mirrored from GET sources");
  await settingStore.set(MANAGER_FOLDER, " /data/manager ");
  assert.equal(puts().length, 2, "the server's folder already");
  await settingStore.set(MANAGER_FOLDER, "/srv/ComfyUI-Manager");
  assert.deepEqual(puts().at(-1).change, { folder: "/srv/ComfyUI-Manager" });
  assert.equal(backend.settings.manager.folder, "/srv/ComfyUI-Manager");
  assert.equal(toasts.at(-1).summary, "ComfyUI-Manager 文件夹现在是 /srv/ComfyUI-Manager");
  await settingStore.set(MANAGER_FOLDER, "");
  assert.equal(toasts.at(-1).summary, "已不再设置 ComfyUI-Manager 文件夹");
  const before = backend.fail;
  backend.fail = () => Object.assign(new Error("manager.folder: must be a folder path (text)"), { status: 400 });
  await settingStore.set(MANAGER_FOLDER, "/bad");
  backend.fail = before;
  assert.equal(settingStore.get(MANAGER_FOLDER), "", "back to the server's folder");
  assert.match(toasts.at(-1).detail, /must be a folder path/);
  const putsNow = puts().length;

  // A refusal puts the setting back and says why.
  const fail = backend.fail;
  backend.fail = () => Object.assign(new Error("registry.enabled: disk full"), { status: 400 });
  await settingStore.set(REGISTRY, true);
  backend.fail = fail;
  assert.equal(settingStore.get(REGISTRY), false, "back to the server's value");
  assert.equal(toasts.at(-1).severity, "error");
  assert.match(toasts.at(-1).detail, /disk full/);
  assert.equal(puts().length, putsNow + 1);
  // One toast at a time: each new one took the one before it away.
  assert.ok(toasts.length >= 3);
  assert.deepEqual(removedToasts, toasts.slice(0, -1), "every toast but the last was removed, by the object it was added with");
  tabs[0].destroy();
});

test("both nodes get their display, rendering Markdown safely; other nodes are left alone", async () => {
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
  const box = node.widgets[0].element;
  assert.equal(box.dataset.placeholder, "运行工作流后，匹配的资源会列在这里。");
  node.onExecuted({ text: ["10 of 18 resources\n\n1. **Video** (tool)\n   https://example.org/v"] });
  assert.equal(box.querySelector("strong").textContent, "Video");
  assert.equal(box.querySelector("a").getAttribute("href"), "https://example.org/v");
  assert.doesNotMatch(box.textContent, /\*\*/);
  globalThis.__fakeComfy.app.graph.getNodeById = (id) => (id === 7 ? Object.assign(node, { type: "AwesomeBeyond_ResourceBrowser" }) : null);
  browserNode.onNodeOutputsUpdated({ 7: { text: ["restored"] }, "3:7": { text: ["in a subgraph"] }, 8: {} });
  assert.equal(box.textContent, "restored");

  function Picker() { this.widgets = []; }
  Picker.prototype.addDOMWidget = Browser.prototype.addDOMWidget;
  await browserNode.beforeRegisterNodeDef(Picker, { name: "AwesomeBeyond_ResourcePicker" });
  const picker = new Picker();
  picker.onNodeCreated();
  assert.match(picker.widgets[0].element.dataset.placeholder, /单独运行此节点/);
  picker.onExecuted({ text: ["**Wan Model** (model · Video)\nhttps://huggingface.co/example/wan"] });
  assert.equal(picker.widgets[0].element.querySelector("a").textContent, "https://huggingface.co/example/wan");
});

test.after(() => dom.close());
