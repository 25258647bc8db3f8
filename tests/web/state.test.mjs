import { test } from "node:test";
import assert from "node:assert/strict";
import { buildQuery, hasFilters, initialState, loadState, reduce, saveState, STORAGE_KEY } from "../../web/lib/state.js";
import { MAX_FILTER_TAGS } from "../../web/lib/constants.js";

const base = initialState();

test("a search change resets the scroll; selection and details do not", () => {
  const scrolled = reduce(base, { type: "scroll", top: 640.4 });
  assert.equal(scrolled.scrollTop, 640);
  assert.equal(reduce(scrolled, { type: "query", q: "video" }).scrollTop, 0);
  assert.equal(reduce(scrolled, { type: "select", id: "x" }).scrollTop, 640);
  assert.equal(reduce(scrolled, { type: "details", open: true }).scrollTop, 640);
});

test("the reducer never changes the state it is given", () => {
  const frozen = Object.freeze({ ...base, tags: Object.freeze(["a"]) });
  const next = reduce(/** @type {any} */ (frozen), { type: "toggleTag", tag: "b" });
  assert.deepEqual(next.tags, ["a", "b"]);
  assert.deepEqual(frozen.tags, ["a"]);
});

test("filters accept only values the server accepts", () => {
  assert.equal(reduce(base, { type: "category", value: "video-generation" }).category, "video-generation");
  assert.equal(reduce(base, { type: "category", value: "Bad Id!" }).category, "");
  assert.equal(reduce(base, { type: "kind", value: "model" }).kind, "model");
  assert.equal(reduce(base, { type: "kind", value: "spaceship" }).kind, "");
  assert.equal(reduce(base, { type: "sort", value: "stars" }).sort, "stars");
  assert.equal(reduce(base, { type: "sort", value: "random" }), base, "an unknown sort is ignored");
  assert.equal(reduce(base, { type: "toggleTag", tag: "NOT A TAG" }), base);
  assert.equal(reduce(base, { type: "query", q: "x".repeat(500) }).q.length, 200);
});

test("tags toggle on and off, at most MAX_FILTER_TAGS", () => {
  let state = base;
  for (let i = 0; i < MAX_FILTER_TAGS + 3; i += 1) state = reduce(state, { type: "toggleTag", tag: `t${i}` });
  assert.equal(state.tags.length, MAX_FILTER_TAGS);
  state = reduce(state, { type: "toggleTag", tag: "t0" });
  assert.ok(!state.tags.includes("t0"));
});

test("clear filters keeps the search; clear all resets to the default sort", () => {
  let state = reduce(base, { type: "query", q: "video" });
  state = reduce(state, { type: "kind", value: "model" });
  state = reduce(state, { type: "toggleTag", tag: "video" });
  state = reduce(state, { type: "favoritesOnly", value: true });
  state = reduce(state, { type: "installedOnly", value: true });
  state = reduce(state, { type: "sort", value: "name" });
  assert.ok(hasFilters(state));
  assert.ok(hasFilters(reduce(base, { type: "installedOnly", value: true })), "installed only is a filter");
  const cleared = reduce(state, { type: "clearFilters" });
  assert.equal(cleared.q, "video");
  assert.equal(cleared.sort, "name");
  assert.ok(!hasFilters(cleared));
  const all = reduce(state, { type: "clearAll", sort: "stars" });
  assert.deepEqual({ ...all, selectedId: "" }, initialState("stars"));
});

test("buildQuery: stable key, repeated tags, paging and flags", () => {
  let state = reduce(base, { type: "query", q: "  text to video  " });
  state = reduce(state, { type: "toggleTag", tag: "video" });
  state = reduce(state, { type: "toggleTag", tag: "wan" });
  state = reduce(state, { type: "favoritesOnly", value: true });
  assert.equal(buildQuery(state), "q=text+to+video&tag=video&tag=wan&sort=relevance&favorites=1");
  assert.equal(buildQuery(reduce(state, { type: "installedOnly", value: true })),
    "q=text+to+video&tag=video&tag=wan&sort=relevance&favorites=1&installed=1");
  assert.equal(buildQuery(state, { offset: 200, limit: 100, facets: false }),
    "q=text+to+video&tag=video&tag=wan&sort=relevance&favorites=1&offset=200&limit=100&facets=0");
  assert.equal(buildQuery(base), "sort=relevance", "no empty parameters");
  const odd = reduce(base, { type: "query", q: "a&b=c #d 视频" });
  assert.equal(new URLSearchParams(buildQuery(odd)).get("q"), "a&b=c #d 视频");
  assert.equal(buildQuery(reduce(state, { type: "scroll", top: 99 })), buildQuery(state), "scroll is not part of the key");
});

function memoryStorage() {
  const map = new Map();
  return { getItem: (k) => (map.has(k) ? map.get(k) : null), setItem: (k, v) => map.set(k, String(v)), map };
}

test("the state is saved and loaded back", () => {
  const storage = memoryStorage();
  let state = reduce(base, { type: "query", q: "flux" });
  state = reduce(state, { type: "category", value: "models" });
  state = reduce(state, { type: "toggleTag", tag: "sdxl" });
  state = reduce(state, { type: "sort", value: "updated" });
  state = reduce(state, { type: "installedOnly", value: true });
  state = reduce(state, { type: "scroll", top: 320 });
  state = reduce(state, { type: "select", id: "flux-1" });
  state = reduce(state, { type: "details", open: true });
  saveState(storage, state);
  assert.deepEqual(loadState(storage), state);
});

test("a broken or hostile saved state falls back safely", () => {
  const storage = memoryStorage();
  storage.map.set(STORAGE_KEY, "{not json");
  assert.deepEqual(loadState(storage, "name"), initialState("name"));
  storage.map.set(STORAGE_KEY, JSON.stringify({ q: 5, category: "../etc", kind: "x", tags: ["ok", 3, "BAD"],
    sort: "evil", favoritesOnly: "yes", installedOnly: 1, scrollTop: "1e9", selectedId: "<img>", detailsOpen: 1 }));
  const loaded = loadState(storage);
  assert.deepEqual(loaded, { ...initialState(), tags: ["ok"] });
  const throwing = { getItem() { throw new Error("denied"); }, setItem() { throw new Error("full"); } };
  assert.deepEqual(loadState(throwing), initialState());
  assert.doesNotThrow(() => saveState(throwing, base));
  assert.deepEqual(loadState(null), initialState());
});
