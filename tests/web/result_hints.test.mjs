// What an answer says beside its rows: the data sorts' counts (the sort menu and its note)
// and an empty answer's next steps (without filters, switching a source on), read, drawn
// and acted on.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { DATA_SORTS, NO_HINTS, hintsOf, offerLabel, sortAdvice, usefulOffers } from "../../web/lib/result_hints.js";
import { renderEmpty } from "../../web/lib/render_messages.js";
import { createTranslator } from "../../web/lib/i18n.js";
import { SORTS } from "../../web/lib/constants.js";
import { initialState, reduce } from "../../web/lib/state.js";
import { makeDom, settle } from "./helpers/dom.mjs";
import { fakeClient, makeResources } from "./helpers/fake_client.mjs";
import { open, setup, type } from "./helpers/panel.mjs";
import { RECOUNT_MS, RECOUNT_TRIES } from "../../web/lib/panel_results.js";

const en = createTranslator(undefined);
const zhMessages = JSON.parse(fs.readFileSync(new URL("../../locales/zh/main.json", import.meta.url), "utf8")).awesomeBeyond;
const zh = createTranslator(zhMessages);

/** An offer as the server sends it. */
const offer = (extra = {}) => ({ source: "manager", ready: true, download: false, adds: 5896, exact: true, matches: 12, ...extra });

/**
 * The fake client, its first pages carrying what `extra` adds (as the server's would).
 * @param {(page: object, params: URLSearchParams) => object} extra
 */
function hinting(extra, client = fakeClient(makeResources(40))) {
  const search = client.search.bind(client);
  client.search = async (query, signal) => {
    const page = await search(query, signal);
    const params = new URLSearchParams(query);
    return params.get("facets") === "1" ? { ...page, ...extra(page, params) } : page;
  };
  return client;
}

test("the data sorts are the server's (facets.py SORT_DATA) and each is a sort", () => {
  const source = fs.readFileSync(new URL("../../nodes/core/query/facets.py", import.meta.url), "utf8");
  const block = source.slice(source.indexOf("SORT_DATA:"), source.indexOf("}", source.indexOf("SORT_DATA:")));
  assert.deepEqual([...block.matchAll(/^\s+"(\w+)": /gm)].map((m) => m[1]).sort(), [...DATA_SORTS].sort());
  for (const sort of DATA_SORTS) assert.ok(SORTS.includes(sort), sort);
});

test("hints are read defensively; an older server's answer gives none", () => {
  assert.deepEqual(hintsOf({ total: 3, items: [], facets: {} }), NO_HINTS);
  assert.deepEqual(hintsOf({
    sortable: { stars: 2, updated: -1, downloads: 1.5, other: 4 }, unfiltered_total: 7,
    more_sources: [offer({ matches: null }), null, { source: "" }, { source: "registry", adds: "9", ready: 1 }],
  }), {
    sortable: { stars: 2 }, unfilteredTotal: 7,
    moreSources: [offer({ matches: null }),
      { source: "registry", ready: false, download: false, adds: null, exact: false, matches: null }],
  });
  assert.equal(hintsOf({ sortable: null, unfiltered_total: null, more_sources: {} }).moreSources.length, 0);
});

test("sort advice: a sort none of the results has data for is disabled with why; the chosen one's note", () => {
  const sortable = { stars: 0, updated: 46, downloads: 150 };
  let advice = sortAdvice(en, "en", "relevance", 150, sortable);
  assert.deepEqual([...advice.disabled], [["stars", "None of these 150 results has stars"]]);
  assert.equal(advice.note, "", "a sort that is not chosen says nothing below the list header");
  advice = sortAdvice(en, "en", "updated", 150, sortable);
  assert.equal(advice.note, "46 of 150 have a last-update date; the rest follow by name");
  assert.equal(sortAdvice(en, "en", "downloads", 150, sortable).note, "", "all of them have it");
  advice = sortAdvice(en, "en", "stars", 1234, { ...sortable, downloads: 0 });
  assert.equal(advice.note, "None of these 1,234 results has stars, so they are listed by name.");
  assert.equal(advice.disabled.get("downloads"), "None of these 1,234 results has a download count");
  advice = sortAdvice(en, "en", "stars", 1, { stars: 0 });
  assert.equal(advice.disabled.get("stars"), "This result has no stars");
  assert.equal(advice.note, "", "one result needs no order");
  assert.deepEqual(sortAdvice(en, "en", "stars", 0, { stars: 0 }), { disabled: new Map(), note: "" });
  assert.deepEqual(sortAdvice(en, "en", "stars", 9, {}), { disabled: new Map(), note: "" }, "not counted: nothing said");
  advice = sortAdvice(zh, "zh", "updated", 12, { stars: 0, updated: 5 });
  assert.equal(advice.disabled.get("stars"), "这 12 个结果都没有星标数");
  assert.equal(advice.note, "12 个结果中有 5 个有最近更新日期，其余按名称排列");
});

test("an offer's label says what it does and, when known, what it adds", () => {
  assert.equal(offerLabel(en, "en", offer()), "Switch on ComfyUI-Manager's database — 12 of its 5,896 new entries match");
  assert.equal(offerLabel(en, "en", offer({ matches: 1 })), "Switch on ComfyUI-Manager's database — 1 of its 5,896 new entries matches");
  assert.equal(offerLabel(en, "en", offer({ matches: null })), "Switch on ComfyUI-Manager's database — 5,896 more entries");
  assert.equal(offerLabel(en, "en", offer({ matches: null, adds: 1 })), "Switch on ComfyUI-Manager's database — 1 more entry");
  assert.equal(offerLabel(en, "en", offer({ exact: false, matches: null })), "Switch on ComfyUI-Manager's database — up to 5,896 more entries");
  assert.equal(offerLabel(en, "en", offer({ adds: null, matches: null })), "Switch on ComfyUI-Manager's database");
  const download = offer({ source: "registry", ready: false, download: true, adds: null, exact: false, matches: null });
  assert.equal(offerLabel(en, "en", download), "Download the Comfy Registry's list and switch it on");
  assert.equal(offerLabel(en, "en", offer({ source: "elsewhere" })), "elsewhere — 12 of its 5,896 new entries match");
  assert.equal(offerLabel(zh, "zh", offer()), "启用 ComfyUI-Manager 数据库 — 新增的 5,896 个条目中有 12 个匹配");
  assert.equal(offerLabel(zh, "zh", { ...download, source: "registry" }), "下载 Comfy Registry 列表并启用");
  assert.deepEqual(usefulOffers([offer({ adds: 0 }), offer({ matches: 0 }), offer({ matches: null }), offer()]).length, 2);
});

test("the empty state offers the search without filters, with its count, and each source that would add", async () => {
  const dom = makeDom();
  try {
    const c = { doc: dom.document, t: en, locale: "en", terms: [], rowLines: 3, categoryName: (id) => id };
    const state = reduce(reduce(initialState(), { type: "query", q: "upscale" }), { type: "kind", value: "model" });
    const hints = { sortable: {}, unfilteredTotal: 4, moreSources: [offer(), offer({ source: "registry", adds: 0 }),
      offer({ source: "registry", ready: false, download: true, adds: null, exact: false, matches: null })] };
    let empty = renderEmpty(c, state, hints);
    const buttons = [...empty.querySelectorAll("button")];
    assert.deepEqual(buttons.map((b) => b.textContent.trim()), [
      "Search without filters — 4 results",
      "Clear the search",
      "Switch on ComfyUI-Manager's database — 12 of its 5,896 new entries match",
      "Download the Comfy Registry's list and switch it on",
    ]);
    assert.deepEqual(buttons.map((b) => b.dataset.action), ["clear-filters", "clear-search", "source-on", "source-on"]);
    assert.deepEqual(buttons.slice(2).map((b) => [b.dataset.source, b.dataset.download]), [["manager", undefined], ["registry", "1"]]);
    empty = renderEmpty(c, state, { ...hints, unfilteredTotal: 1 });
    assert.equal(empty.querySelector("[data-action=clear-filters]").textContent, "Search without filters — 1 result");
    empty = renderEmpty(c, state, { ...hints, unfilteredTotal: 0 });
    assert.equal(empty.querySelector("[data-action=clear-filters]"), null, "the text finds nothing without them either");
    empty = renderEmpty(c, state, NO_HINTS);
    assert.equal(empty.querySelector("[data-action=clear-filters]").textContent, "Clear filters", "an older server: no count");
    assert.equal(empty.querySelector("[data-action=source-on]"), null);
    empty = renderEmpty({ ...c, t: zh, locale: "zh" }, state, hints);
    assert.equal(empty.querySelector("[data-action=clear-filters]").textContent, "不用筛选搜索 — 4 个结果");
  } finally {
    await dom.close();
  }
});

test("the sort menu: no data disables a sort with the reason as its title; some data shows a note", async () => {
  const client = hinting((page) => ({ sortable: { stars: page.total > 30 ? 12 : 0, updated: 0, downloads: page.total } }));
  const t = setup({ client });
  try {
    await open(t);
    const option = (value) => t.$(`#ab-sort option[value="${value}"]`);
    assert.equal(option("updated").disabled, true);
    assert.equal(option("updated").title, "None of these 40 results has a last-update date");
    assert.equal(option("stars").disabled, false);
    assert.equal(option("relevance").disabled, false);
    assert.equal(t.$(".ab-sort-note").hidden, true, "Best match needs no note");
    const sort = t.$("#ab-sort");
    sort.value = "stars";
    sort.dispatchEvent(new t.dom.window.Event("change", { bubbles: true }));
    assert.equal(t.$(".ab-sort-note").textContent, "12 of 40 have stars; the rest follow by name", "said at once: a sort keeps the matches");
    assert.equal(t.$(".ab-sort-note").hidden, false);
    assert.equal(sort.getAttribute("aria-describedby"), "ab-sort-note");
    await settle();
    type(t, "video");
    await settle();
    assert.equal(option("stars").disabled, true);
    assert.equal(option("stars").title, "None of these 4 results has stars");
    assert.equal(t.$(".ab-sort-note").textContent, "None of these 4 results has stars, so they are listed by name.");
    type(t, "");
    await settle();
    assert.equal(option("stars").hasAttribute("title"), false, "the reason goes with the data");
    sort.value = "downloads";
    sort.dispatchEvent(new t.dom.window.Event("change", { bubbles: true }));
    await settle();
    assert.equal(t.$(".ab-sort-note").hidden, true);
    assert.equal(sort.hasAttribute("aria-describedby"), false);
  } finally {
    await t.cleanup();
  }
});

test("an empty answer's steps act: without filters searches again; an offer switches its source on", async () => {
  let offers = [offer()];
  const client = hinting((page, params) => (page.total > 0 ? {} : {
    unfiltered_total: params.has("kind") ? 4 : undefined, more_sources: client.settings.manager.enabled ? [] : offers,
  }));
  client.settings.manager.folder = "";
  const t = setup({ client });
  try {
    await open(t);
    t.deps.store.dispatch({ type: "kind", value: "model" });
    type(t, "video");
    await settle();
    assert.equal(t.$(".ab-count").textContent, "0 resources");
    assert.equal(t.$(".ab-empty [data-action=clear-filters]").textContent, "Search without filters — 4 results");
    t.$(".ab-empty [data-action=clear-filters]").click();
    await settle();
    assert.equal(t.deps.store.getState().search.kind, "");
    assert.match(t.$(".ab-count").textContent, /resources/);
    assert.notEqual(t.$(".ab-count").textContent, "0 resources");

    type(t, "zzz");
    await settle();
    const button = t.$(".ab-empty [data-action=source-on]");
    assert.equal(button.textContent.trim(), "Switch on ComfyUI-Manager's database — 12 of its 5,896 new entries match");
    const searches = t.client.calls.filter((c) => c.query).length;
    button.click();
    await settle(10);
    assert.deepEqual(t.client.calls.find((c) => c.setSource), { setSource: "manager", change: { enabled: true } });
    assert.equal(t.toasts.at(-1).summary, "ComfyUI-Manager database is on");
    assert.ok(t.client.calls.filter((c) => c.query).length > searches, "the list is asked again");
    assert.equal(t.$(".ab-empty [data-action=source-on]"), null, "on now: no longer offered");
    assert.deepEqual(t.sourceSettings.at(-1).manager.enabled, true, "ComfyUI's setting follows");
  } finally {
    await t.cleanup();
  }
  // Nothing to read yet: the offer downloads first, and switches on only if that worked.
  offers = [offer({ source: "registry", ready: false, download: true, adds: null, exact: false, matches: null })];
  for (const ok of [false, true]) {
    const u = setup({ client: hinting(() => ({ more_sources: offers })) });
    try {
      u.client.refreshAnswer = (name) => ({ name, ok, outcomes: [{ name, state: ok ? "changed" : "failed", when: "", fetched_at: "",
        message: ok ? "registry was updated: 3 node packs" : "the registry answered 503" }] });
      await open(u);
      type(u, "zzz");
      await settle();
      u.$(".ab-empty [data-action=source-on]").click();
      await settle();
      assert.deepEqual(u.client.calls.filter((c) => c.refresh), [{ refresh: "registry" }]);
      assert.equal(u.client.calls.some((c) => c.setSource), false, "not before the download ends");
      assert.equal(u.dom.document.activeElement, u.$(".ab-search"), "the focus goes to the search box");
      u.client.releaseRefresh();
      await settle(10);
      const switched = u.client.calls.filter((c) => c.setSource);
      assert.deepEqual(switched, ok ? [{ setSource: "registry", change: { enabled: true } }] : []);
      assert.equal(u.toasts.some((x) => x.summary === (ok ? "Comfy Registry refreshed" : "Could not refresh Comfy Registry")), true);
    } finally {
      await u.cleanup();
    }
  }
});

test("an empty answer whose offer still waits for its matches is asked again, twice at most", async () => {
  let matches = null;
  const client = hinting((page) => (page.total > 0 ? {} : { more_sources: [offer({ matches })] }));
  const t = setup({ client });
  const asked = () => t.client.calls.filter((c) => new URLSearchParams(c.query ?? "").get("q") === "zzz").length;
  const due = () => [...t.timers.pending.values()].filter((x) => x.ms === RECOUNT_MS).length;
  try {
    await open(t);
    type(t, "zzz");
    await settle();
    assert.equal(t.$(".ab-source-offer").textContent.trim(), "Switch on ComfyUI-Manager's database — 5,896 more entries");
    for (let round = 1; round <= RECOUNT_TRIES; round += 1) {
      assert.equal(due(), 1);
      t.timers.run(RECOUNT_MS);
      await settle();
      assert.equal(asked(), 1 + round);
    }
    assert.equal(due(), 0, "not a third time");
    type(t, "zzzz");
    await settle();
    matches = 3;
    t.timers.run(RECOUNT_MS);
    await settle();
    assert.equal(t.$(".ab-source-offer").textContent.trim(), "Switch on ComfyUI-Manager's database — 3 of its 5,896 new entries match");
    assert.equal(due(), 0, "counted: nothing to wait for");
    t.deps.store.dispatch({ type: "favoritesOnly", value: true });
    matches = null;
    await settle();
    assert.equal(due(), 0, "favourites only: the server never counts the matches");
    t.deps.store.dispatch({ type: "favoritesOnly", value: false });
    await settle();
    assert.equal(due(), 1);
    type(t, "");
    await settle();
    t.timers.run(RECOUNT_MS);
    await settle();
    assert.equal(t.client.calls.filter((c) => new URLSearchParams(c.query ?? "").get("q") === "zzzz").length, 4,
      "the search changed: the old answer is not asked again");
    type(t, "zzz");
    await settle();
  } finally {
    await t.cleanup();
  }
  assert.equal(due(), 0, "destroyed: no timer left");
});
