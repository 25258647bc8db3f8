// The one store: every view action of the reducer, and how listeners see the changes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createStore, initialAppState, reduceApp } from "../../web/lib/store.js";
import { PAGE_SIZE, indexOf, itemAt } from "../../web/lib/pages.js";
import { initialState, reduce } from "../../web/lib/state.js";
import { makeResources } from "./helpers/fake_client.mjs";

const ITEMS = makeResources(250);
const page = (n) => ITEMS.slice(n * PAGE_SIZE, (n + 1) * PAGE_SIZE);
const answer = (seq, extra = {}) => ({ type: "results", seq, key: "sort=relevance", total: ITEMS.length, facets: {}, items: page(0), ...extra });

/** Apply actions one after another. */
const run = (state, ...actions) => actions.reduce(reduceApp, state);

function opened(search = initialState()) {
  return run(initialAppState(search), { type: "opened", rowLines: 3 });
}

test("an answer opens at the saved scroll once, then at the top; the selection is found again", () => {
  let search = reduce(reduce(initialState(), { type: "scroll", top: 640 }), { type: "select", id: "res-3" });
  let state = run(opened(search), answer(1));
  assert.equal(state.view.result.openAt, 640, "the first answer after opening restores the scroll");
  assert.equal(state.view.selectedIndex, 3);
  assert.equal(itemAt(state.view.result, 3).id, "res-3");
  state = run(state, { type: "failed", error: { status: 500, message: "x" } }, answer(2));
  assert.equal(state.view.error, null, "an answer clears the error");
  assert.equal(state.view.result.openAt, 0, "a later answer opens at the top");
  state = run(state, { type: "refresh", top: 320 }, answer(3));
  assert.equal(state.view.result.openAt, 320, "a refresh keeps the scroll");
  search = reduce(initialState(), { type: "select", id: "res-150" });
  assert.equal(run(opened(search), answer(1)).view.selectedIndex, -1, "not loaded yet");
});

test("pages join their own answer only; the selected row's page names the selection", () => {
  let state = run(opened(), answer(1), { type: "selectIndex", index: 120 });
  assert.equal(state.view.selectedIndex, 120);
  assert.equal(state.search.selectedId, "", "its page is not loaded yet");
  const before = state;
  assert.equal(run(state, { type: "page", seq: 0, page: 1, items: page(1) }), before, "an older search's page is dropped");
  state = run(state, { type: "page", seq: 1, page: 1, items: page(1) });
  assert.equal(state.search.selectedId, "res-120");
  assert.equal(before.view.result.pages.size, 1, "the previous result is left as it was");
  assert.equal(run(state, { type: "page", seq: 1, page: 1, items: [] }), state, "a page arrives once");
  assert.equal(indexOf(state.view.result, "res-199"), 199);
  assert.equal(indexOf(state.view.result, "res-249"), -1);
});

test("selecting clamps to the list and names the row; nothing to select in an empty list", () => {
  let state = run(opened(), answer(1));
  state = run(state, { type: "selectIndex", index: -5 });
  assert.deepEqual([state.view.selectedIndex, state.search.selectedId], [0, "res-0"]);
  state = run(state, { type: "page", seq: 1, page: 2, items: page(2) }, { type: "selectIndex", index: 9999 });
  assert.deepEqual([state.view.selectedIndex, state.search.selectedId], [249, "res-249"]);
  assert.equal(run(state, { type: "selectIndex", index: 249 }), state, "the same row again changes nothing");
  const empty = run(opened(), answer(1, { total: 0, items: [] }));
  assert.equal(run(empty, { type: "selectIndex", index: 0 }), empty);
});

test("a favourite changes the loaded row and the details, in new objects", () => {
  const state = run(opened(), answer(1), { type: "showDetails", resource: ITEMS[2] });
  const next = run(state, { type: "favorite", id: "res-2", on: true });
  assert.equal(itemAt(next.view.result, 2).favorite, true);
  assert.equal(next.view.pane.resource.favorite, true);
  assert.equal(itemAt(state.view.result, 2).favorite, false, "the old state is left as it was");
  assert.notEqual(next.view.result.pages.get(0), state.view.result.pages.get(0));
  assert.equal(run(next, { type: "favorite", id: "not-loaded", on: true }), next, "nothing loaded to change");
});

test("the pane: details, the form over them, back, saved and deleted, kept in step with search.detailsOpen", () => {
  let state = run(opened(), answer(1), { type: "showDetails", resource: ITEMS[1] });
  assert.deepEqual([state.view.pane.mode, state.search.detailsOpen], ["details", true]);
  state = run(state, { type: "openForm", entry: ITEMS[1] });
  const form = state.view.pane.form;
  assert.deepEqual([state.view.pane.mode, state.view.pane.entry.id], ["form", "res-1"]);
  assert.equal(run(state, { type: "openForm", entry: null }).view.pane.form, form + 1, "each opening starts afresh");
  state = run(state, { type: "saving", value: true });
  assert.equal(state.view.pane.saving, true);
  assert.equal(run(state, { type: "saving", value: true }), state);
  state = run(state, { type: "closePane" });
  assert.deepEqual([state.view.pane.mode, state.view.pane.saving, state.search.detailsOpen], ["details", false, true],
    "back from the form to the details it came from");
  state = run(state, { type: "closePane" });
  assert.deepEqual([state.view.pane.mode, state.search.detailsOpen], [null, false]);
  assert.equal(run(state, { type: "closePane" }), state, "nothing open: nothing to close");
  state = run(state, { type: "openForm", entry: null }, { type: "closePane" });
  assert.equal(state.view.pane.mode, null, "a form opened from the list goes back to the list");

  const saved = { ...ITEMS[0], id: "mine-1", source: "user" };
  state = run(state, { type: "openForm", entry: null }, { type: "saved", resource: saved });
  assert.deepEqual([state.view.pane.mode, state.view.pane.resource.id, state.search.selectedId, state.search.detailsOpen],
    ["details", "mine-1", "mine-1", true]);
  state = run(state, { type: "deleted" });
  assert.deepEqual([state.view.pane.mode, state.view.pane.resource, state.search.detailsOpen], [null, null, false]);
});

test("requests, the progress bar, sources, busy switches, running refreshes and link checks", () => {
  let state = opened();
  assert.equal(run(state, { type: "progressDue" }), state, "nothing in flight: no bar");
  state = run(state, { type: "requestStarted" }, { type: "requestStarted" }, { type: "progressDue" });
  assert.deepEqual([state.view.pending, state.view.progress], [2, true]);
  state = run(state, { type: "requestEnded" });
  assert.deepEqual([state.view.pending, state.view.progress], [1, true]);
  state = run(state, { type: "requestEnded" }, { type: "requestEnded" });
  assert.deepEqual([state.view.pending, state.view.progress], [0, false]);

  assert.equal(run(state, { type: "sourceSettings", settings: {} }), state, "no sources loaded yet");
  const info = { version: "v", resources: 1, sources: [], settings: { manager: { enabled: false, folder: "", url: "" } }, problems: [], problem_count: 0 };
  state = run(state, { type: "sources", info }, { type: "sourceSettings", settings: { manager: { enabled: true, folder: "", url: "" } } });
  assert.equal(state.view.sources.settings.manager.enabled, true);
  assert.equal(info.settings.manager.enabled, false);

  state = run(state, { type: "sourceBusy", name: "manager", busy: true }, { type: "refreshing", name: "registry", running: true },
    { type: "checking", id: "res-1", running: true });
  assert.deepEqual([state.view.sourceBusy, state.ui.refreshing, state.view.checking], [["manager"], ["registry"], ["res-1"]]);
  for (const action of [{ type: "sourceBusy", name: "manager", busy: true }, { type: "refreshing", name: "registry", running: true },
    { type: "checking", id: "res-1", running: true }, { type: "section", name: "filters", open: true }]) {
    assert.equal(run(state, action), state, `${action.type}: no change, the same state`);
  }
  state = run(state, { type: "refreshing", name: "registry", running: false }, { type: "section", name: "sources", open: true });
  assert.deepEqual([state.ui.refreshing, state.ui.sourcesOpen], [[], true]);

  assert.equal(run(state, { type: "links", links: {} }), state, "no checks before or now: nothing to draw");
  const link = { url: "https://example.org/r/1", state: "dead", status: 404, final_url: "", checked_at: "", message: "" };
  state = run(state, { type: "linkChecked", url: link.url, status: link });
  assert.equal(state.ui.links[link.url].state, "dead");
  assert.deepEqual(run(state, { type: "links", links: {} }).ui.links, {}, "a cache emptied since is shown empty");
});

test("an opening starts its view afresh and keeps the search and what the tab remembers", () => {
  const search = reduce(initialState(), { type: "query", q: "video" });
  let state = run(initialAppState(search, { filtersOpen: false }), { type: "categories", categories: [] },
    answer(1), { type: "showDetails", resource: ITEMS[0] }, { type: "refreshing", name: "manager", running: true });
  state = run(state, { type: "opened", rowLines: 2 });
  assert.deepEqual([state.view.result, state.view.pane.mode, state.view.rowLines, state.view.restoreScroll],
    [null, null, 2, true]);
  assert.deepEqual([state.search.q, state.ui.filtersOpen, state.ui.categories, state.ui.refreshing], ["video", false, [], ["manager"]]);
  assert.equal(run(state, { type: "rowLines", value: 2 }), state);
  assert.equal(run(state, { type: "rowLines", value: 1 }).view.rowLines, 1);
  assert.equal(state.ui.tagsOpen, false);
  const tags = run(state, { type: "section", name: "tags", open: true });
  assert.equal(tags.ui.tagsOpen, true);
  assert.equal(run(tags, { type: "section", name: "tags", open: true }), tags);
  assert.equal(run(state, { type: "sort", value: "random" }), state, "search actions go through the search reducer");
  assert.equal(run(state, { type: "sort", value: "stars" }).search.sort, "stars");
});

test("listeners run after each change with what they saw last; a change made while they run reaches all of them", () => {
  const store = createStore(opened());
  const seen = [];
  const stop = store.subscribe((state, before) => {
    seen.push(["a", before.search.q, state.search.q]);
    if (state.search.q === "one") store.dispatch({ type: "query", q: "two" }); // e.g. a component correcting the state
  });
  store.subscribe((state, before) => seen.push(["b", before.search.q, state.search.q]));
  store.dispatch({ type: "sort", value: "random" });
  assert.deepEqual(seen, [], "no change, no call");
  store.dispatch({ type: "query", q: "one" });
  assert.deepEqual(seen, [["a", "", "one"], ["b", "", "two"], ["a", "one", "two"]],
    "b, called after the nested change, sees the final state once; a sees both");
  assert.equal(store.getState().search.q, "two");
  stop();
  store.dispatch({ type: "query", q: "three" });
  assert.deepEqual(seen.at(-1), ["b", "two", "three"]);
});
