import { test } from "node:test";
import assert from "node:assert/strict";
import { PAGE_SIZE, Panel, PROGRESS_DELAY_MS, RENDER_MEASURE } from "../../web/lib/panel.js";
import { ApiError } from "../../web/lib/api.js";
import { createTranslator } from "../../web/lib/i18n.js";
import { initialState, STORAGE_KEY } from "../../web/lib/state.js";
import { key, makeDom, manualFrames, manualTimers, settle } from "./helpers/dom.mjs";
import { fakeClient, makeResources } from "./helpers/fake_client.mjs";

function setup({ count = 250, client = fakeClient(makeResources(count)), store, frames } = {}) {
  const dom = makeDom();
  const timers = manualTimers();
  const sourceSettings = [];
  const toasts = [];
  const saved = new Map();
  const storage = { getItem: (k) => saved.get(k) ?? null, setItem: (k, v) => saved.set(k, v) };
  const deps = {
    client, t: createTranslator(undefined), locale: "en",
    store: store ?? { state: initialState(), categories: null, filtersOpen: true, problemsOpen: false },
    showDescriptions: () => true, defaultSort: () => "relevance",
    notify: (severity, summary, detail) => toasts.push({ severity, summary, detail }),
    storage, confirm: async () => true, setTimer: timers.setTimer, clearTimer: timers.clearTimer,
    onSourceSettings: (settings) => sourceSettings.push(structuredClone(settings)),
    ...(frames ? { requestFrame: frames.requestFrame, cancelFrame: frames.cancelFrame } : {}),
  };
  const host = dom.document.createElement("div");
  dom.document.body.append(host);
  const panel = new Panel(dom.document, deps);
  Object.defineProperty(panel.scroller, "clientHeight", { value: 640, configurable: true });
  return { dom, timers, toasts, saved, deps, client, host, panel, root: panel.root, sourceSettings,
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

/** Type `q` into the search box the way a browser does: the value, then an input event. */
function type(t, q) {
  const input = t.$(".ab-search");
  input.value = q;
  input.dispatchEvent(new t.dom.window.Event("input", { bubbles: true }));
}

test("every keystroke asks at once (no debounce); the older request is aborted", async () => {
  const t = setup();
  try {
    await open(t);
    const searches = () => t.client.calls.filter((c) => c.query);
    const before = searches().length;
    t.client.hold = true;
    for (const q of ["r", "re", "res", "resource"]) type(t, q);
    const sent = searches().slice(before);
    assert.deepEqual(sent.map((c) => new URLSearchParams(c.query).get("q")), ["r", "re", "res", "resource"],
      "one request per keystroke, sent while typing");
    assert.deepEqual(sent.map((c) => c.signal.aborted), [true, true, true, false], "only the newest stays in flight");
    assert.equal([...t.timers.pending.values()].some((x) => x.ms > 0 && x.ms < PROGRESS_DELAY_MS), false, "no debounce timer");
    type(t, "resource 2");
    assert.equal(sent.at(-1).signal.aborted, true);
    t.client.releaseAll();
    await settle();
    const expected = t.client.items.filter((r) => r.name.toLowerCase().includes("resource 2")).length;
    assert.equal(t.$(".ab-count").textContent, `${expected} resources`);
  } finally {
    await t.cleanup();
  }
});

test("answers are drawn at most once per animation frame; a burst costs one render", async () => {
  const frames = manualFrames();
  const t = setup({ frames });
  const perf = globalThis.performance;
  globalThis.__awesomeBeyondPerf = true;
  perf.clearMeasures(RENDER_MEASURE);
  try {
    t.panel.mount(t.host);
    await settle();
    assert.equal(t.$(".ab-count").textContent, "250 resources", "the first answer in a frame is drawn at once");
    assert.equal(perf.getEntriesByName(RENDER_MEASURE).length, 1, "the render is timed when the debug flag is set");
    assert.equal(frames.pending.size, 1, "and the frame is taken");

    type(t, "resource 1");
    await settle(); // its answer waits for the next frame...
    assert.equal(t.$(".ab-count").textContent, "250 resources");
    type(t, "resource 2"); // ...and is dropped when a newer search starts
    await settle();
    assert.equal(perf.getEntriesByName(RENDER_MEASURE).length, 1, "nothing more drawn in this frame");
    frames.run();
    const expected = t.client.items.filter((r) => r.name.toLowerCase().includes("resource 2")).length;
    assert.equal(t.$(".ab-count").textContent, `${expected} resources`, "the newest answer, at the next frame");
    assert.equal(perf.getEntriesByName(RENDER_MEASURE).length, 2, "three answers, two frames, two renders");
    frames.run(); // a frame with nothing to draw frees the next answer to be drawn at once
    globalThis.__awesomeBeyondPerf = false;
    type(t, "resource 3");
    await settle();
    assert.match(t.$(".ab-count").textContent, /^\d+ resources?$/);
    assert.notEqual(t.$(".ab-count").textContent, `${expected} resources`);
    assert.equal(perf.getEntriesByName(RENDER_MEASURE).length, 2, "no marks without the flag");
  } finally {
    delete globalThis.__awesomeBeyondPerf;
    perf.clearMeasures(RENDER_MEASURE);
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

test("installed: badges on rows, and an Installed only toggle that is saved like the other filters", async () => {
  const t = setup();
  try {
    await open(t);
    const installed = t.client.items.filter((r) => r.installed);
    assert.ok(t.$(".ab-row[data-id=res-2] .ab-installed"), "res-2 is installed");
    assert.equal(t.$(".ab-row[data-id=res-0] .ab-installed"), null);
    const toggle = t.root.querySelector("[data-action=installed-only]");
    assert.equal(toggle.getAttribute("aria-label"), "Installed only");
    toggle.click();
    await settle();
    assert.equal(toggle.getAttribute("aria-pressed"), "true");
    assert.match(t.client.calls.filter((c) => c.query).at(-1).query, /installed=1/);
    assert.equal(t.$(".ab-count").textContent, `${installed.length} resources`);
    assert.equal(JSON.parse(t.saved.get(STORAGE_KEY)).installedOnly, true);
    assert.equal(t.$("[data-action=clear-all]").hidden, false);
    t.$(".ab-row-main").click();
    await settle();
    assert.ok(t.$(".ab-details .ab-installed"), "and in the details");
    t.$("[data-action=close-details]").click();
    t.$("[data-action=clear-all]").click();
    await settle();
    assert.equal(toggle.getAttribute("aria-pressed"), "false");
  } finally {
    await t.cleanup();
  }
});

test("sources: switch a source on and off; the list and the sources are reloaded", async () => {
  const t = setup();
  try {
    await open(t);
    const section = t.$(".ab-sources");
    assert.equal(section.open, false, "collapsed until opened");
    assert.equal(section.querySelector("summary").textContent, "Sources · 250 resources");
    section.open = true;
    section.dispatchEvent(new t.dom.window.Event("toggle"));
    assert.equal(t.deps.store.sourcesOpen, true);
    const toggle = () => t.$(".ab-source[data-source=manager] input[role=switch]");
    assert.equal(toggle().checked, false);
    const searches = t.client.calls.filter((c) => c.query).length;
    toggle().focus();
    toggle().click(); // a click on a checkbox fires change
    assert.equal(toggle().getAttribute("aria-busy"), "true", "busy while it is saved");
    toggle().click(); // a second click meanwhile is ignored
    await settle();
    assert.equal(t.client.calls.filter((c) => c.setSource).length, 1);
    assert.deepEqual(t.client.calls.find((c) => c.setSource), { setSource: "manager", change: { enabled: true } });
    assert.equal(toggle().checked, true);
    assert.equal(toggle().hasAttribute("aria-busy"), false);
    assert.equal(t.dom.document.activeElement, toggle(), "focus stays on the switch");
    assert.deepEqual(t.toasts.at(-1), { severity: "success", summary: "ComfyUI-Manager database is on", detail: undefined });
    assert.ok(t.client.calls.filter((c) => c.query).length > searches, "the list is reloaded");
    assert.match(t.$(".ab-source[data-source=manager] .ab-source-info").textContent, /6,445 resources · 25 problems/);
    assert.equal(t.sourceSettings.at(-1).manager.enabled, true, "the settings mirror is told");
    assert.equal(t.$(".ab-sources").open, true, "still open after the reload");

    t.client.fail = () => new ApiError(400, "manager.enabled: must be true or false", { param: "manager" });
    toggle().click();
    await settle();
    assert.equal(toggle().checked, true, "the server's state again after a refusal");
    assert.deepEqual(t.toasts.at(-1), { severity: "error", summary: "Could not switch ComfyUI-Manager database",
      detail: "manager.enabled: must be true or false" });
    t.client.fail = () => null;
    toggle().click();
    await settle();
    assert.equal(toggle().checked, false);
    assert.equal(t.client.settings.manager.enabled, false);
  } finally {
    await t.cleanup();
  }
});

test("sources: a refresh shows progress, then a toast with the outcome, and outlives the panel", async () => {
  const t = setup();
  try {
    await open(t);
    const button = () => t.$(".ab-source[data-source=manager] [data-action=source-refresh]");
    button().focus();
    button().click();
    assert.equal(button().disabled, true);
    assert.equal(t.dom.document.activeElement, t.$(".ab-source[data-source=manager] input[role=switch]"),
      "the focus moves to the switch beside the disabled button, not out of the panel");
    assert.equal(button().getAttribute("title"), "Refreshing ComfyUI-Manager database…");
    button().click();
    assert.equal(t.client.calls.filter((c) => c.refresh).length, 1, "one at a time");
    t.client.releaseRefresh();
    await settle();
    assert.equal(button().disabled, false);
    assert.deepEqual(t.toasts.at(-1), { severity: "info", summary: "ComfyUI-Manager database is up to date",
      detail: "manager is read from the local folder /data/manager; nothing to download" });

    t.client.refreshAnswer = (name) => ({ name, ok: false, outcomes: [
      { name: "custom-node-list", state: "changed", message: "downloaded", when: "", fetched_at: "" },
      { name: "github-stats", state: "failed", message: "timed out after 30 s", when: "", fetched_at: "" }] });
    button().click();
    // Closed and opened again while it runs: the new panel shows it running, then the outcome.
    t.panel.destroy();
    const again = new Panel(t.dom.document, t.deps);
    again.mount(t.host);
    await settle();
    const running = again.root.querySelector(".ab-source[data-source=manager] [data-action=source-refresh]");
    assert.equal(running.getAttribute("aria-busy"), "true");
    const searches = t.client.calls.filter((c) => c.query).length;
    t.client.releaseRefresh();
    await settle();
    assert.deepEqual(t.toasts.at(-1), { severity: "error", summary: "Could not refresh ComfyUI-Manager database",
      detail: "timed out after 30 s" });
    assert.equal(again.root.querySelector(".ab-source[data-source=manager] [data-action=source-refresh]").disabled, false);
    assert.ok(t.client.calls.filter((c) => c.query).length > searches, "the list is reloaded after a refresh");
    again.destroy();

    t.client.refreshSource = async () => { throw new ApiError(409, "a refresh of registry is already running"); };
    const third = new Panel(t.dom.document, t.deps);
    third.mount(t.host);
    await settle();
    third.root.querySelector(".ab-source[data-source=registry] [data-action=source-refresh]").click();
    await settle();
    assert.deepEqual(t.toasts.at(-1), { severity: "info", summary: "A refresh of Comfy Registry is already running",
      detail: "a refresh of registry is already running" });
    third.destroy();
  } finally {
    await t.dom.close();
  }
});

test("link health: cached checks on rows, and a Check link button in the details", async () => {
  const client = fakeClient(makeResources(30));
  client.linkCache["https://example.org/r/0"] = { url: "https://example.org/r/0", state: "dead", status: 404,
    final_url: "https://example.org/r/0", checked_at: "2026-01-30T10:00:00+00:00", message: "not found" };
  client.verdicts["https://example.org/r/3"] = { state: "redirected", status: 200, final_url: "https://example.org/moved/3",
    message: "redirected 1 time(s)" };
  const t = setup({ client });
  try {
    await open(t);
    assert.equal(t.client.calls.filter((c) => c.links).length, 1, "GET links once per opening");
    assert.ok(t.$(".ab-row[data-id=res-0]").classList.contains("ab-row-dead"));
    assert.equal(t.$(".ab-row[data-id=res-0] .ab-link-dead").textContent.trim(), "Dead link");
    assert.equal(t.$(".ab-row[data-id=res-1] .ab-health"), null, "no badge without a cached check");
    t.$(".ab-row[data-id=res-3] .ab-row-main").click();
    await settle();
    assert.equal(t.$(".ab-details .ab-link-unchecked").textContent.trim(), "Not checked");
    t.client.hold = true;
    const check = () => t.$("[data-action=check-link]");
    check().focus();
    check().click();
    assert.equal(check().getAttribute("aria-busy"), "true", "busy while it runs");
    await settle();
    assert.deepEqual(t.client.calls.find((c) => c.checkLinks), { checkLinks: ["res-3"] });
    assert.equal(t.$(".ab-details .ab-link-redirected").textContent.trim(), "Redirected");
    assert.equal(t.$(".ab-details .ab-link-moved a").getAttribute("href"), "https://example.org/moved/3");
    assert.equal(check().hasAttribute("aria-busy"), false);
    assert.equal(t.dom.document.activeElement, check(), "focus stays on the button");
    assert.deepEqual(t.toasts.at(-1), { severity: "success", summary: "Redirected: https://example.org/r/3",
      detail: "Now at https://example.org/moved/3" });
    t.$("[data-action=close-details]").click();
    assert.equal(t.$(".ab-row[data-id=res-3] .ab-link-redirected").textContent.trim(), "Redirected", "and on the row");

    t.client.checkLinks = async () => { throw new ApiError(409, "a link check is already running; try again when it ends"); };
    t.$(".ab-row[data-id=res-4] .ab-row-main").click();
    await settle();
    check().click();
    await settle();
    assert.deepEqual(t.toasts.at(-1), { severity: "info", summary: "A link check is already running; try again when it ends.",
      detail: undefined });
  } finally {
    await t.cleanup();
  }
});
