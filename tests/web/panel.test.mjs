// The panel's list: loading, searching as you type, paging, the keyboard, filters, and
// what survives closing the tab.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PAGE_SIZE, Panel, PROGRESS_DELAY_MS, RENDER_MEASURE } from "../../web/lib/panel.js";
import { ApiError } from "../../web/lib/api.js";
import { STORAGE_KEY } from "../../web/lib/state.js";
import { key, manualFrames, settle } from "./helpers/dom.mjs";
import { fakeClient, makeResources } from "./helpers/fake_client.mjs";
import { open, setup, type } from "./helpers/panel.mjs";

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
    assert.equal(t.deps.store.getState().search.selectedId, "res-1");
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
    assert.equal(t.deps.store.getState().search.q, "");
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
    assert.equal(t.deps.store.getState().search.selectedId, `res-${PAGE_SIZE}`, "the next page was loaded for it");
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
    assert.deepEqual([t.deps.store.getState().search.kind, t.deps.store.getState().search.tags, t.deps.store.getState().search.q], ["", [], "zzz"]);
    t.$("[data-action=clear-all]").click();
    await settle();
    assert.equal(t.deps.store.getState().search.q, "");
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

test("the sections remember being open or closed across openings of the tab", async () => {
  const t = setup();
  try {
    await open(t);
    const toggle = (section, open) => {
      section.open = open;
      section.dispatchEvent(new t.dom.window.Event("toggle"));
    };
    assert.equal(t.$(".ab-filters").open, true);
    toggle(t.$(".ab-filters"), false);
    toggle(t.$(".ab-problems"), true);
    t.panel.destroy();
    const again = new Panel(t.dom.document, t.deps);
    again.mount(t.host);
    await settle();
    assert.equal(again.root.querySelector(".ab-filters").open, false);
    assert.equal(again.root.querySelector(".ab-problems").open, true);
    assert.equal(again.root.querySelector(".ab-sources").open, false);
    again.destroy();
  } finally {
    await t.dom.close();
  }
});

test("a page of rows is asked for the search that drew the list, and dropped when a newer answer came first", async () => {
  const t = setup({ count: 250 });
  try {
    await open(t);
    t.client.hold = true;
    type(t, "resource 1"); // asked, and held
    t.panel.scroller.scrollTop = 64 * 120; // meanwhile the old list scrolls to rows of its second page
    t.panel.list.update();
    assert.equal(t.client.calls.at(-1).query, `sort=relevance&offset=${PAGE_SIZE}&limit=${PAGE_SIZE}&facets=0`);
    t.client.releaseAll();
    await settle();
    const expected = t.client.items.filter((r) => r.name.toLowerCase().includes("resource 1")).length;
    assert.equal(t.$(".ab-count").textContent, `${expected} resources`);
    assert.equal(t.deps.store.getState().view.result.pages.size, 1, "the old search's page was not added to the new list");
  } finally {
    await t.cleanup();
  }
});

test("a page that fails to load shows the error with a retry; the focused filter keeps the focus through redraws", async () => {
  const t = setup();
  try {
    await open(t);
    t.client.fail = () => new ApiError(503, "busy");
    t.panel.scroller.scrollTop = 64 * 120;
    t.panel.list.update();
    await settle();
    assert.match(t.$(".ab-error[role=alert]").textContent, /503/);
    assert.equal(t.$(".ab-count").textContent, "");
    t.client.fail = () => null;
    const kind = t.$("#ab-kind");
    kind.focus();
    kind.value = "node-pack";
    kind.dispatchEvent(new t.dom.window.Event("change", { bubbles: true }));
    await settle();
    assert.equal(t.$(".ab-error"), null);
    assert.notEqual(t.$("#ab-kind"), kind, "the facets were drawn again with the new counts");
    assert.equal(t.dom.document.activeElement, t.$("#ab-kind"));
  } finally {
    await t.cleanup();
  }
});
