// Keyboard focus in the panel: one tab stop per group (the tag chips, the rows), arrows
// inside each, and a click never leaves the focus on the page instead of the panel.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nextIndex, setTabStop } from "../../web/lib/roving.js";
import { overflowSides } from "../../web/lib/panel_sections.js";
import { key, settle } from "./helpers/dom.mjs";
import { open, setup } from "./helpers/panel.mjs";

const stops = (els) => els.filter((el) => el.tabIndex === 0);

test("nextIndex and setTabStop", () => {
  assert.deepEqual(["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp", "Home", "End", "a"].map((k) => nextIndex(k, 2, 5)),
    [3, 3, 1, 1, 0, 4, -1]);
  assert.equal(nextIndex("ArrowRight", 4, 5), 4, "no wrap");
  assert.equal(nextIndex("ArrowLeft", 0, 5), 0);
  assert.equal(nextIndex("Home", 0, 0), -1);
  const items = [{ tabIndex: 0 }, { tabIndex: 0 }, { tabIndex: -1 }];
  setTabStop(items, 2);
  assert.deepEqual(items.map((i) => i.tabIndex), [-1, -1, 0]);
});

test("overflowSides says where the sections have more", () => {
  assert.equal(overflowSides({ scrollTop: 0, scrollHeight: 100, clientHeight: 100 }), "");
  assert.equal(overflowSides({ scrollTop: 0, scrollHeight: 300, clientHeight: 100 }), "below");
  assert.equal(overflowSides({ scrollTop: 50, scrollHeight: 300, clientHeight: 100 }), "above below");
  assert.equal(overflowSides({ scrollTop: 200, scrollHeight: 300, clientHeight: 100 }), "above");
});

test("the tag chips are one tab stop; arrows, Home and End move between them", async () => {
  const t = setup();
  try {
    await open(t);
    const w = t.dom.window;
    const chips = () => t.$$(".ab-tag-facet .ab-chip");
    assert.ok(chips().length >= 2);
    assert.equal(stops(chips()).length, 1);
    assert.equal(stops(chips())[0], chips()[0]);
    chips()[0].focus();
    const moved = key(w, chips()[0], "ArrowRight");
    assert.equal(moved.defaultPrevented, true);
    assert.equal(t.dom.document.activeElement, chips()[1]);
    assert.deepEqual(stops(chips()), [chips()[1]], "the stop follows the focus");
    key(w, chips()[1], "End");
    assert.equal(t.dom.document.activeElement, chips().at(-1));
    key(w, chips().at(-1), "Home");
    assert.equal(t.dom.document.activeElement, chips()[0]);
    // Choosing a chip redraws the facets: the focus and the stop stay on it.
    const tag = chips()[1].dataset.tag;
    chips()[1].focus();
    chips()[1].click();
    await settle();
    t.panel.list.update();
    await settle();
    assert.equal(t.dom.document.activeElement?.dataset.tag, tag);
    assert.deepEqual(stops(chips()).map((c) => c.dataset.tag), [tag]);
  } finally {
    await t.cleanup();
  }
});

test("the rows are one tab stop: the selected row in view, else the first; → and ← reach the star", async () => {
  const t = setup();
  try {
    await open(t);
    const w = t.dom.window;
    const mains = () => t.$$(".ab-row-main");
    assert.ok(mains().length > 5);
    assert.deepEqual(stops(mains()).map((b) => b.closest(".ab-row").dataset.index), ["0"]);
    assert.equal(stops(t.$$(".ab-star")).length, 0, "stars are reached with the arrows");
    t.panel.select(3, true);
    assert.deepEqual(stops(mains()).map((b) => b.closest(".ab-row").dataset.index), ["3"]);
    const main = t.dom.document.activeElement;
    assert.equal(main.closest(".ab-row").dataset.index, "3");
    key(w, main, "ArrowRight");
    assert.equal(t.dom.document.activeElement, main.closest(".ab-row").querySelector(".ab-star"));
    key(w, t.dom.document.activeElement, "ArrowLeft");
    assert.equal(t.dom.document.activeElement.closest(".ab-row").dataset.index, "3");
    key(w, t.dom.document.activeElement, "End");
    await settle();
    assert.equal(t.deps.store.getState().view.selectedIndex, 249);
    key(w, t.dom.document.activeElement, "Home");
    assert.equal(t.deps.store.getState().view.selectedIndex, 0);
    assert.equal(t.dom.document.activeElement.closest(".ab-row").dataset.index, "0");
  } finally {
    await t.cleanup();
  }
});

test("clicking a row moves the focus into its details; Escape brings it back to the row, then / to the search", async () => {
  const t = setup();
  try {
    await open(t);
    const w = t.dom.window;
    const row = t.$$(".ab-row")[2];
    row.querySelector(".ab-row-main").click();
    await settle();
    const close = t.$("[data-action=close-details]");
    assert.equal(t.dom.document.activeElement, close, "the details took the list's place, and the focus with them");
    key(w, close, "Escape");
    assert.equal(t.$(".ab-details"), null);
    assert.equal(t.dom.document.activeElement.closest(".ab-row")?.dataset.index, "2");
    key(w, t.dom.document.activeElement, "/");
    assert.equal(t.dom.document.activeElement, t.$(".ab-search"));
  } finally {
    await t.cleanup();
  }
});

test("the panel takes the focus back when its focused control vanishes; keys then still work", async () => {
  const t = setup();
  try {
    await open(t);
    const w = t.dom.window;
    assert.equal(t.root.getAttribute("tabindex"), "-1", "a click anywhere in the panel lands in it");
    const clearAll = t.$("[data-action=clear-all]");
    const retry = t.dom.document.createElement("button"); // stands for a control a redraw removes
    t.$(".ab-message").append(retry);
    retry.focus();
    retry.remove();
    t.dom.document.body.focus?.();
    t.deps.store.dispatch({ type: "query", q: "zzz" });
    t.timers.run(0);
    assert.equal(t.dom.document.activeElement, t.root);
    key(w, t.root, "/");
    assert.equal(t.dom.document.activeElement, t.$(".ab-search"));
    assert.ok(clearAll);
  } finally {
    await t.cleanup();
  }
});
