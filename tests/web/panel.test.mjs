import { test } from "node:test";
import assert from "node:assert/strict";
import { DEBOUNCE_MS, PAGE_SIZE, Panel, PROGRESS_DELAY_MS } from "../../web/lib/panel.js";
import { ApiError } from "../../web/lib/api.js";
import { createTranslator } from "../../web/lib/i18n.js";
import { initialState, STORAGE_KEY } from "../../web/lib/state.js";
import { key, makeDom, manualTimers, settle } from "./helpers/dom.mjs";
import { fakeClient, makeResources } from "./helpers/fake_client.mjs";

function setup({ count = 250, client = fakeClient(makeResources(count)), store } = {}) {
  const dom = makeDom();
  const timers = manualTimers();
  const toasts = [];
  const saved = new Map();
  const storage = { getItem: (k) => saved.get(k) ?? null, setItem: (k, v) => saved.set(k, v) };
  const deps = {
    client, t: createTranslator(undefined), locale: "en",
    store: store ?? { state: initialState(), categories: null, filtersOpen: true, problemsOpen: false },
    showDescriptions: () => true, defaultSort: () => "relevance",
    notify: (severity, summary, detail) => toasts.push({ severity, summary, detail }),
    storage, confirm: async () => true, setTimer: timers.setTimer, clearTimer: timers.clearTimer,
  };
  const host = dom.document.createElement("div");
  dom.document.body.append(host);
  const panel = new Panel(dom.document, deps);
  Object.defineProperty(panel.scroller, "clientHeight", { value: 640, configurable: true });
  return { dom, timers, toasts, saved, deps, client, host, panel, root: panel.root,
    $: (sel) => panel.root.querySelector(sel), $$: (sel) => [...panel.root.querySelectorAll(sel)],
    async cleanup() { panel.destroy(); await dom.close(); } };
}

async function open(t) {
  t.panel.mount(t.host);
  await settle();
  t.panel.list.update();
  await settle();
}

test("mounting is idempotent and shows the first page, names and problems", async () => {
  const t = setup();
  try {
    await open(t);
    t.panel.mount(t.host);
    assert.equal(t.host.querySelectorAll(".awesome-beyond-panel").length, 1);
    assert.equal(t.$(".ab-count").textContent, "250 resources");
    assert.ok(t.$$("[role=listitem]").length > 0 && t.$$("[role=listitem]").length < 30);
    assert.match(t.$(".ab-row-meta").textContent, /Quick Start & Essential Setup/);
    assert.equal(t.$(".ab-problems summary").textContent, "1 problem in the catalogue data");
    const first = t.client.calls.find((c) => c.query);
    assert.equal(first.query, `sort=relevance&offset=0&limit=${PAGE_SIZE}&facets=1`);
  } finally {
    await t.cleanup();
  }
});

test("typing is debounced, stale requests are aborted, results ranked by the server", async () => {
  const t = setup();
  try {
    await open(t);
    const before = t.client.calls.length;
    const input = t.$(".ab-search");
    for (const q of ["r", "re", "res", "resource"]) {
      input.value = q;
      input.dispatchEvent(new t.dom.window.Event("input", { bubbles: true }));
    }
    assert.equal(t.client.calls.length, before, "nothing sent while typing");
    assert.deepEqual([...t.timers.pending.values()].map((x) => x.ms), [DEBOUNCE_MS]);
    t.client.hold = true;
    t.timers.run(DEBOUNCE_MS);
    const slow = t.client.calls.at(-1);
    assert.match(slow.query, /^q=resource&/);
    input.value = "resource 2";
    input.dispatchEvent(new t.dom.window.Event("input", { bubbles: true }));
    t.timers.run(DEBOUNCE_MS);
    assert.equal(slow.signal.aborted, true, "the older request is aborted");
    t.client.releaseAll();
    await settle();
    const expected = t.client.items.filter((r) => r.name.toLowerCase().includes("resource 2")).length;
    assert.equal(t.$(".ab-count").textContent, `${expected} resources`);
  } finally {
    await t.cleanup();
  }
});

test("a progress bar shows only when a request takes longer than 150 ms", async () => {
  const t = setup();
  try {
    t.client.hold = true;
    t.panel.mount(t.host);
    assert.equal(t.$(".ab-progress").hidden, true);
    assert.ok([...t.timers.pending.values()].some((x) => x.ms === PROGRESS_DELAY_MS));
    t.timers.run(PROGRESS_DELAY_MS);
    assert.equal(t.$(".ab-progress").hidden, false);
    t.client.releaseAll();
    await settle();
    assert.equal(t.$(".ab-progress").hidden, true);
  } finally {
    await t.cleanup();
  }
});

test("keyboard: / and Ctrl+F focus the search, arrows move, Enter opens, Escape clears then closes", async () => {
  const t = setup();
  try {
    await open(t);
    const w = t.dom.window;
    const search = t.$(".ab-search");
    t.$(".ab-row-main").focus();
    const slash = key(w, t.$(".ab-row-main"), "/");
    assert.equal(slash.defaultPrevented, true);
    assert.equal(t.dom.document.activeElement, search);
    t.$(".ab-toggle").focus();
    key(w, t.$(".ab-toggle"), "f", { ctrlKey: true });
    assert.equal(t.dom.document.activeElement, search);
    const typed = key(w, search, "/");
    assert.equal(typed.defaultPrevented, false, "/ is typed as text inside the search box");

    key(w, search, "ArrowDown");
    key(w, search, "ArrowDown");
    key(w, search, "ArrowDown");
    key(w, search, "ArrowUp");
    assert.equal(t.$(".ab-row.ab-selected").getAttribute("aria-posinset"), "2");
    assert.equal(t.deps.store.state.selectedId, "res-1");
    key(w, search, "Enter");
    await settle();
    assert.equal(t.$(".ab-details h3").textContent, "Resource 1");
    assert.ok(t.root.classList.contains("ab-pane-open"));

    search.value = "video";
    search.dispatchEvent(new w.Event("input", { bubbles: true }));
    assert.equal(t.root.classList.contains("ab-pane-open"), false, "a new search brings the list back");
    t.timers.run();
    await settle();
    key(w, search, "Enter"); // the old selection is not among the results: Enter takes the first
    await settle();
    assert.equal(t.$(".ab-details h3").textContent, "Resource 0 video");
    const esc = key(w, search, "Escape");
    assert.equal(esc.defaultPrevented, true);
    assert.equal(search.value, "");
    assert.equal(t.deps.store.state.q, "");
    await settle();
    key(w, search, "Enter");
    await settle();
    assert.ok(t.$(".ab-details"));
    key(w, search, "Escape");
    assert.equal(t.$(".ab-details"), null, "with the search empty, Escape closes the details");
    const unused = key(w, search, "Escape");
    assert.equal(unused.defaultPrevented, false, "nothing left to do: ComfyUI gets the key");
  } finally {
    await t.cleanup();
  }
});

test("arrow keys in the list move focus with the selection, past loaded pages", async () => {
  const t = setup({ count: 250 });
  try {
    await open(t);
    const w = t.dom.window;
    t.panel.select(PAGE_SIZE - 1, true);
    assert.equal(t.dom.document.activeElement?.closest(".ab-row")?.getAttribute("aria-posinset"), String(PAGE_SIZE));
    key(w, t.dom.document.activeElement, "ArrowDown");
    await settle();
    t.panel.list.update();
    await settle();
    assert.equal(t.deps.store.state.selectedId, `res-${PAGE_SIZE}`, "the next page was loaded for it");
    assert.ok(t.client.calls.some((c) => c.query?.includes(`offset=${PAGE_SIZE}&limit=${PAGE_SIZE}&facets=0`)));
  } finally {
    await t.cleanup();
  }
});

test("filters, clear filters and clear all", async () => {
  const t = setup();
  try {
    await open(t);
    const w = t.dom.window;
    const kind = t.$("#ab-kind");
    kind.value = "model";
    kind.dispatchEvent(new w.Event("change", { bubbles: true }));
    await settle();
    assert.equal(t.$(".ab-count").textContent, `${t.client.items.filter((r) => r.kind === "model").length} resources`);
    t.$(".ab-tag-facet [data-tag=image]").click();
    await settle();
    assert.equal(t.$(".ab-tag-facet [data-tag=image]").getAttribute("aria-pressed"), "true");
    t.$(".ab-search").value = "zzz";
    t.$(".ab-search").dispatchEvent(new w.Event("input", { bubbles: true }));
    t.timers.run();
    await settle();
    assert.match(t.$(".ab-empty").textContent, /No resource matches “zzz” with the filters Kind “Model”, Tags “image”/);
    t.$(".ab-empty [data-action=clear-filters]").click();
    await settle();
    assert.deepEqual([t.deps.store.state.kind, t.deps.store.state.tags, t.deps.store.state.q], ["", [], "zzz"]);
    t.$("[data-action=clear-all]").click();
    await settle();
    assert.equal(t.deps.store.state.q, "");
    assert.equal(t.$(".ab-count").textContent, "250 resources");
    assert.equal(t.$("[data-action=clear-all]").hidden, true);
  } finally {
    await t.cleanup();
  }
});

test("server errors show a message with a retry; never a blank panel", async () => {
  let failure = new ApiError(0, "Failed to fetch");
  const client = fakeClient(makeResources(20), { fail: () => failure });
  const t = setup({ client });
  try {
    await open(t);
    assert.match(t.$(".ab-error[role=alert]").textContent, /did not answer/);
    assert.equal(t.$(".ab-scroller").hidden, true);
    failure = null;
    t.$("[data-action=retry]").click();
    await settle();
    assert.equal(t.$(".ab-error"), null);
    assert.equal(t.$(".ab-count").textContent, "20 resources");
  } finally {
    await t.cleanup();
  }
});

test("favourites: optimistic toggle, toast, revert on failure", async () => {
  const t = setup();
  try {
    await open(t);
    t.$(".ab-star").click();
    assert.equal(t.$(".ab-star").getAttribute("aria-pressed"), "true", "shown at once");
    await settle();
    assert.deepEqual(t.client.calls.at(-1), { favorite: "res-0", on: true });
    assert.deepEqual(t.toasts.at(-1), { severity: "success", summary: "Added Resource 0 video to favourites", detail: undefined });
    t.client.fail = () => new ApiError(500, "disk full");
    t.$(".ab-star").click();
    await settle();
    assert.equal(t.$(".ab-star").getAttribute("aria-pressed"), "true", "put back after the failure");
    assert.deepEqual(t.toasts.at(-1), { severity: "error", summary: "Could not change the favourites", detail: "disk full" });
    t.client.fail = () => null;
    t.$("[data-action=favorites-only]").click();
    await settle();
    assert.equal(t.$(".ab-count").textContent, "1 resource");
    assert.match(t.client.calls.filter((c) => c.query).at(-1).query, /favorites=1/);
  } finally {
    await t.cleanup();
  }
});

test("own entries: the server's problems appear next to the fields", async () => {
  const t = setup();
  try {
    await open(t);
    t.$("[data-action=add]").click();
    const form = t.$("form.ab-form");
    assert.equal(t.dom.document.activeElement, form.querySelector("#ab-f-name"));
    form.querySelector("#ab-f-name").value = "Mine";
    form.querySelector("#ab-f-url").value = "ftp://x";
    form.querySelector("#ab-f-tags").value = "Video, video , upscaling，x";
    t.client.fail = () => new ApiError(400, "the entry is not valid", { problems: [
      { file: "request", line: null, field: "url", message: "scheme 'ftp' is not allowed; use http or https" },
      { file: "request", line: null, field: "id", message: "is already used" },
    ] });
    form.requestSubmit();
    await settle();
    assert.deepEqual(t.client.calls.at(-1).add, { name: "Mine", url: "ftp://x", kind: "node-pack", category: "mine",
      tags: ["video", "upscaling", "x"] });
    assert.equal(form.querySelector("#ab-e-url").textContent, "scheme 'ftp' is not allowed; use http or https");
    assert.equal(form.querySelector("#ab-f-url").getAttribute("aria-invalid"), "true");
    assert.match(form.querySelector(".ab-form-error").textContent, /fix the marked fields\. id: is already used/);
    t.client.fail = () => null;
    form.querySelector("#ab-f-url").value = "https://example.org/mine";
    form.requestSubmit();
    await settle();
    assert.equal(form.querySelector("#ab-e-url").textContent, "");
    assert.equal(t.$(".ab-details h3").textContent, "Mine");
    assert.equal(t.toasts.at(-1).summary, "Saved Mine");
  } finally {
    await t.cleanup();
  }
});

test("state and scroll survive closing and reopening the tab", async () => {
  const t = setup({ count: 500 });
  try {
    await open(t);
    const w = t.dom.window;
    t.$(".ab-search").value = "resource";
    t.$(".ab-search").dispatchEvent(new w.Event("input", { bubbles: true }));
    t.timers.run();
    await settle();
    t.panel.scroller.scrollTop = 64 * 120;
    t.panel.scroller.dispatchEvent(new w.Event("scroll"));
    t.panel.destroy();
    assert.equal(t.host.children.length, 0, "destroy removes the panel");
    assert.equal(JSON.parse(t.saved.get(STORAGE_KEY)).scrollTop, 64 * 120);

    const again = new Panel(t.dom.document, t.deps);
    Object.defineProperty(again.scroller, "clientHeight", { value: 640 });
    again.mount(t.host);
    await settle();
    assert.equal(again.search.value, "resource");
    assert.equal(again.scroller.scrollTop, 64 * 120);
    again.list.update();
    await settle();
    assert.ok(t.client.calls.some((c) => c.query?.includes(`offset=${PAGE_SIZE}&`)), "the page in view is loaded");
    again.destroy();
  } finally {
    await t.dom.close();
  }
});
