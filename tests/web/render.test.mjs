import { test } from "node:test";
import assert from "node:assert/strict";
import { renderDetails } from "../../web/lib/render_details.js";
import { renderFacets } from "../../web/lib/render_facets.js";
import { renderEmpty, renderError } from "../../web/lib/render_messages.js";
import { renderRow } from "../../web/lib/render_row.js";
import { renderProblems, renderSources } from "../../web/lib/render_sources.js";
import { createTranslator } from "../../web/lib/i18n.js";
import { initialState, reduce } from "../../web/lib/state.js";
import { makeDom } from "./helpers/dom.mjs";

const EVIL = "<img src=x onerror=alert(1)>";

/** @param {Document} doc */
function ctx(doc, extra = {}) {
  return {
    doc, t: createTranslator(undefined), locale: "en", terms: [], rowLines: 3,
    categoryName: (id) => ({ "video-generation": "Video Generation" })[id] ?? id, ...extra,
  };
}

function resource(extra = {}) {
  return {
    id: "evil", name: EVIL, url: "https://github.com/a/b", category: "video-generation", kind: "node-pack",
    description: `${EVIL}\nsecond line`, tags: ["video", "x<y"], author: "<b>me</b>", license: "MIT",
    install_url: "", stars: 12345, updated: "2025-01-31", source: "curated", favorite: false, ...extra,
  };
}

test("a row with a malicious name renders as text only", async () => {
  const dom = makeDom();
  try {
    const row = renderRow(ctx(dom.document, { terms: ["img"] }), resource(), 4, 6000, true);
    assert.equal(row.querySelector("img, script, b"), null);
    assert.equal(row.querySelector(".ab-row-title").textContent, EVIL);
    assert.equal(row.querySelector(".ab-row-desc").textContent, `${EVIL} second line`);
    // Where it belongs gives way; the stars and the month never do (and say it all in a title).
    assert.equal(row.querySelector(".ab-row-where").textContent, "Node pack · Video Generation");
    assert.equal(row.querySelector(".ab-row-facts").textContent, "★ 12.3K · Jan 2025");
    assert.equal(row.querySelector(".ab-row-facts").title, "12345 stars · Last update: 2025-01-31");
    assert.ok(row.classList.contains("ab-lines-3"));
    assert.equal(row.getAttribute("role"), "listitem");
    assert.equal(row.getAttribute("aria-posinset"), "5");
    assert.equal(row.getAttribute("aria-setsize"), "6000");
    assert.equal(row.querySelector(".ab-row-main").getAttribute("aria-current"), "true");
    const star = row.querySelector(".ab-star");
    assert.equal(star.getAttribute("aria-pressed"), "false");
    assert.equal(star.getAttribute("aria-label"), `Add ${EVIL} to favourites`);
    assert.equal(star.tabIndex, -1, "the list is one tab stop; the arrows reach the star");
    assert.equal(row.querySelector(".ab-row-main").tabIndex, -1);
    assert.equal(row.querySelector("mark").textContent, "img");
  } finally {
    await dom.close();
  }
});

test("rows without descriptions, and rows still loading", async () => {
  const dom = makeDom();
  try {
    const compact = renderRow(ctx(dom.document, { rowLines: 2 }), resource({ stars: null, updated: "" }), 0, 1, false);
    assert.equal(compact.querySelector(".ab-row-desc"), null);
    assert.equal(compact.querySelector(".ab-row-meta").textContent, "Node pack · Video Generation");
    assert.equal(compact.querySelector(".ab-row-facts"), null, "nothing to say: no empty box");
    assert.equal(compact.querySelector(".ab-row-main").hasAttribute("aria-current"), false);
    const one = renderRow(ctx(dom.document, { rowLines: 1, locale: "zh", t: createTranslator({ list: { stars: "★ {count}" } }) }),
      resource({ updated: "2025-10-03" }), 0, 1, false);
    assert.equal(one.querySelectorAll(".ab-row-main > *").length, 1, "one line");
    assert.deepEqual([...one.querySelector(".ab-row-line").children].map((c) => c.className), ["ab-row-title", "ab-row-facts"]);
    assert.equal(one.querySelector(".ab-row-facts").textContent, "★ 1.2万 · 2025年10月");
    const loading = renderRow(ctx(dom.document), undefined, 150, 6000, false);
    assert.equal(loading.getAttribute("aria-busy"), "true");
    assert.equal(loading.textContent, "Loading…");
  } finally {
    await dom.close();
  }
});

test("details: text only, safe links, install command for node packs", async () => {
  const dom = makeDom();
  try {
    const pane = renderDetails(ctx(dom.document), resource({ favorite: true }));
    assert.equal(pane.querySelector("img, script, b"), null);
    assert.equal(pane.querySelector("h3").textContent, EVIL);
    const desc = pane.querySelector(".ab-details-desc");
    assert.equal(desc.textContent, `${EVIL}second line`, "HTML stays text");
    assert.equal(desc.querySelectorAll("br").length, 1, "the line break kept");
    const md = renderDetails(ctx(dom.document), resource({ description: "Nodes for [a/WanVideo](https://example.org/wan) and [x](javascript:alert(1))." }));
    assert.deepEqual([...md.querySelectorAll(".ab-details-desc a")].map((a) => [a.textContent, a.getAttribute("href"), a.rel]),
      [["WanVideo", "https://example.org/wan", "noopener noreferrer"]]);
    assert.equal(md.querySelector(".ab-details-desc").textContent, "Nodes for WanVideo and x.");
    const row = renderRow(ctx(dom.document), resource({ description: "Nodes for [a/WanVideo](https://example.org/wan) and **more**." }), 0, 1, false);
    assert.equal(row.querySelector(".ab-row-desc").textContent, "Nodes for WanVideo and more.", "rows show what a reader sees");
    const link = pane.querySelector("a");
    assert.equal(link.getAttribute("href"), "https://github.com/a/b");
    assert.equal(link.getAttribute("target"), "_blank");
    assert.equal(link.getAttribute("rel"), "noopener noreferrer");
    assert.equal(pane.querySelector(".ab-command").textContent, "git clone https://github.com/a/b");
    assert.equal(pane.querySelector(".ab-star").getAttribute("aria-pressed"), "true");
    const copies = [...pane.querySelectorAll("[data-action=copy]")].map((b) => b.getAttribute("data-copy"));
    assert.deepEqual(copies, ["git clone https://github.com/a/b", "https://github.com/a/b"]);
    assert.deepEqual([...pane.querySelectorAll(".ab-chip")].map((c) => c.textContent), ["video", "x<y"]);
    assert.equal([...pane.querySelectorAll("dd")].find((d) => d.previousSibling.textContent === "Source").textContent, "Curated list");
    assert.equal(pane.querySelector("[data-action=edit]"), null, "curated entries cannot be edited");
  } finally {
    await dom.close();
  }
});

test("details never link anything but http(s)", async () => {
  const dom = makeDom();
  try {
    for (const url of ["javascript:alert(1)", "data:text/html,<b>x</b>", "/relative", "vbscript:x"]) {
      const pane = renderDetails(ctx(dom.document), resource({ url, kind: "node-pack", source: "user" }));
      assert.equal(pane.querySelector("a"), null, url);
      assert.match(pane.querySelector(".ab-unsafe-url").textContent, /not a web link/);
      assert.equal(pane.querySelector(".ab-command"), null, "no clone command without a safe URL");
      assert.equal(pane.querySelector("[data-action=copy]"), null);
      assert.ok(pane.querySelector("[data-action=edit]") && pane.querySelector("[data-action=delete]"));
    }
    const model = renderDetails(ctx(dom.document), resource({ kind: "model" }));
    assert.equal(model.querySelector(".ab-command"), null, "only node packs get a clone command");
  } finally {
    await dom.close();
  }
});

test("the empty state says why (search, filters, favourites, installed) and offers a way out", async () => {
  const dom = makeDom();
  try {
    const c = ctx(dom.document);
    let state = reduce(initialState(), { type: "query", q: "zzz" });
    let empty = renderEmpty(c, state);
    assert.match(empty.textContent, /No resource matches “zzz”\./);
    assert.equal(empty.querySelector("[data-action=clear-filters]"), null);
    assert.ok(empty.querySelector("[data-action=clear-search]"));
    state = reduce(reduce(state, { type: "category", value: "video-generation" }), { type: "toggleTag", tag: "wan" });
    empty = renderEmpty(c, state);
    assert.match(empty.textContent, /“zzz” with the filters Category “Video Generation”, Tags “wan”/);
    assert.ok(empty.querySelector("[data-action=clear-filters]"));
    empty = renderEmpty(c, reduce(initialState(), { type: "favoritesOnly", value: true }));
    assert.match(empty.textContent, /no favourites here yet/);
    assert.match(renderEmpty(c, initialState()).textContent, /catalogue is empty/);
    const installed = reduce(initialState(), { type: "installedOnly", value: true });
    assert.match(renderEmpty(c, installed).textContent, /None of the node packs in ComfyUI's custom_nodes folder/);
    assert.match(renderEmpty(c, reduce(installed, { type: "query", q: "zzz" })).textContent, /“zzz” with the filters Installed only/);
  } finally {
    await dom.close();
  }
});

test("the error panel explains and offers a retry", async () => {
  const dom = makeDom();
  try {
    const offline = renderError(ctx(dom.document), { status: 0, message: "Failed to fetch" });
    assert.equal(offline.getAttribute("role"), "alert");
    assert.match(offline.textContent, /did not answer/);
    assert.ok(offline.querySelector("[data-action=retry]"));
    const bad = renderError(ctx(dom.document), { status: 400, message: `<b>${EVIL}</b>` });
    assert.match(bad.textContent, /answered 400: <b><img/);
    assert.equal(bad.querySelector("b, img"), null);
  } finally {
    await dom.close();
  }
});

test("problems collapse under a count; sources that failed are listed first", async () => {
  const dom = makeDom();
  try {
    const c = ctx(dom.document);
    assert.equal(renderProblems(c, { version: "", resources: 1, sources: [], problems: [], problem_count: 0 }, false), null);
    const details = renderProblems(c, {
      version: "", resources: 1, sources: [{ name: "manager", resources: 0, problems: 0, error: "timed out" }],
      problems: [{ file: "a.yaml", line: 3, field: "url", message: "bad" }, { file: "b.json", line: null, field: "name", message: "x" }],
      problem_count: 205,
    }, false);
    assert.equal(details.tagName, "DETAILS");
    assert.equal(details.open, false);
    assert.equal(details.querySelector("summary").textContent, "206 problems in the catalogue data");
    const items = [...details.querySelectorAll("li")].map((li) => li.textContent);
    assert.deepEqual(items, ["Source “ComfyUI-Manager database” could not be loaded: timed out", "a.yaml, line 3 url: bad", "b.json name: x",
      "…and 203 more, listed by GET /awesome/v1/sources."]);
    const one = renderProblems(c, { version: "", resources: 1, sources: [], problems: [{ file: "a", line: 1, field: "f", message: "m" }], problem_count: 1 }, true);
    assert.equal(one.querySelector("summary").textContent, "1 problem in the catalogue data");
  } finally {
    await dom.close();
  }
});

test("facets show names and counts, and keep the selected values", async () => {
  const dom = makeDom();
  try {
    const state = reduce(reduce(initialState(), { type: "kind", value: "tool" }), { type: "toggleTag", tag: "rare" });
    const facets = renderFacets(ctx(dom.document), state,
      { category: { "video-generation": 3, essentials: 0 }, kind: { "node-pack": 3 }, tag: { video: 3, image: 1 } },
      [{ id: "video-generation", name: "Video Generation", description: "", count: 3 }]);
    const category = [...facets.querySelectorAll("#ab-category option")].map((o) => o.textContent);
    assert.deepEqual(category, ["All categories", "Video Generation (3)"]);
    const kinds = [...facets.querySelectorAll("#ab-kind option")].map((o) => o.textContent);
    assert.deepEqual(kinds, ["All kinds", "Node pack (3)", "Tool (0)"]);
    assert.equal(facets.querySelector("#ab-kind").value, "tool");
    const chips = [...facets.querySelectorAll(".ab-tag-facet .ab-chip")].map((c) => [c.textContent, c.getAttribute("aria-pressed")]);
    assert.deepEqual(chips, [["video (3)", "false"], ["image (1)", "false"], ["rare (0)", "true"]]);
  } finally {
    await dom.close();
  }
});

test("facets: the most used tags first, the rest behind All N tags; names in the user's language; one tab stop", async () => {
  const dom = makeDom();
  try {
    const tags = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`tag-${String(i).padStart(2, "0")}`, 100 - i]));
    const state = reduce(initialState(), { type: "toggleTag", tag: "tag-29" });
    const zh = createTranslator({ tags: { "tag-00": "标签零" }, categories: { "video-generation": "视频生成" },
      filters: { moreTags: "全部 {count} 个标签", fewerTags: "收起标签", tagCount: "{tag}（{count}）" } });
    const few = renderFacets(ctx(dom.document, { t: zh, categoryName: (id) => zh(`categories.${id}`) }), state,
      { tag: tags, category: { "video-generation": 2 } }, []);
    const chips = [...few.querySelectorAll(".ab-tag-facet .ab-chip")];
    assert.equal(chips.length, 13, "twelve most used, and the chosen one");
    assert.equal(chips[0].textContent, "标签零（100）");
    assert.equal(chips[0].dataset.tag, "tag-00", "the value stays the tag");
    assert.equal(chips.at(-1).dataset.tag, "tag-29");
    assert.deepEqual(chips.map((c) => c.tabIndex).filter((i) => i === 0).length, 1, "one tab stop");
    assert.equal(chips[0].tabIndex, 0);
    assert.equal([...few.querySelectorAll("#ab-category option")][1].textContent, "视频生成 (2)");
    const more = few.querySelector("[data-action=more-tags]");
    assert.deepEqual([more.textContent, more.getAttribute("aria-expanded")], ["全部 30 个标签", "false"]);
    const all = renderFacets(ctx(dom.document, { t: zh }), state, { tag: tags }, [], { allTags: true, tabTag: "tag-05" });
    const every = [...all.querySelectorAll(".ab-tag-facet .ab-chip")];
    assert.equal(every.length, 30);
    assert.deepEqual(every.filter((c) => c.tabIndex === 0).map((c) => c.dataset.tag), ["tag-05"], "the stop stays where it was");
    assert.deepEqual([all.querySelector("[data-action=more-tags]").textContent, all.querySelector("[data-action=more-tags]").getAttribute("aria-expanded")],
      ["收起标签", "true"]);
    const none = renderFacets(ctx(dom.document), initialState(), { tag: { a: 1 } }, []);
    assert.equal(none.querySelector("[data-action=more-tags]"), null, "no button when all fit");
  } finally {
    await dom.close();
  }
});

const LINK = (state, extra = {}) => ({ url: "https://github.com/a/b", state, status: 200, final_url: "https://github.com/a/b",
  checked_at: "2026-01-31T14:05:00+00:00", message: "", ...extra });

test("rows: an installed badge, and link badges only where a check is cached", async () => {
  const dom = makeDom();
  try {
    const plain = renderRow(ctx(dom.document, { linkStatus: () => undefined }), resource(), 0, 1, false);
    assert.equal(plain.querySelector(".ab-badge"), null, "nothing known: no badge");
    const installed = renderRow(ctx(dom.document), resource({ installed: true }), 0, 1, false);
    assert.equal(installed.querySelector(".ab-installed").textContent.trim(), "Installed");
    assert.equal(installed.querySelector(".ab-row-title").textContent, EVIL, "the badge is beside the title, not in it");
    const links = { "https://github.com/a/b": LINK("dead", { status: 404, message: "not found" }) };
    const dead = renderRow(ctx(dom.document, { linkStatus: (url) => links[url] }), resource(), 0, 1, false);
    assert.ok(dead.classList.contains("ab-row-dead"));
    assert.equal(dead.querySelector(".ab-link-dead").textContent.trim(), "Dead link");
    assert.match(dead.querySelector(".ab-link-dead").getAttribute("title"), /^Dead link, checked /);
    links["https://github.com/a/b"] = LINK("alive");
    const alive = renderRow(ctx(dom.document, { linkStatus: (url) => links[url] }), resource(), 0, 1, false);
    assert.ok(alive.querySelector(".ab-link-alive.ab-badge-icon"), "an alive link is only a small icon in rows");
    assert.equal(alive.querySelector(".ab-link-alive").textContent, "Link alive", "with a text for screen readers");
    assert.equal(alive.classList.contains("ab-row-dead"), false);
  } finally {
    await dom.close();
  }
});

test("details: installed badge and link health with a check button; only http(s) final URLs are links", async () => {
  const dom = makeDom();
  try {
    let checking = false;
    let link;
    const c = ctx(dom.document, { linkStatus: () => link, checkingLink: () => checking });
    let pane = renderDetails(c, resource({ installed: true }));
    assert.equal(pane.querySelector(".ab-details-badges .ab-installed").textContent.trim(), "Installed");
    assert.equal(pane.querySelector(".ab-link-health .ab-link-unchecked").textContent.trim(), "Not checked");
    const button = pane.querySelector("[data-action=check-link]");
    assert.equal(button.textContent.trim(), "Check link");
    assert.equal(button.hasAttribute("aria-disabled"), false);
    checking = true;
    pane = renderDetails(c, resource());
    assert.equal(pane.querySelector("[data-action=check-link]").getAttribute("aria-disabled"), "true");
    assert.equal(pane.querySelector("[data-action=check-link]").getAttribute("aria-busy"), "true");
    assert.ok(pane.querySelector("[data-action=check-link] .pi-spinner"));
    checking = false;
    link = LINK("redirected", { status: 200, final_url: "https://github.com/new/place" });
    pane = renderDetails(c, resource());
    assert.equal(pane.querySelector(".ab-link-redirected").textContent.trim(), "Redirected");
    assert.match(pane.querySelector(".ab-link-health").textContent, /HTTP 200 · checked /);
    const moved = pane.querySelector(".ab-link-moved a");
    assert.equal(moved.getAttribute("href"), "https://github.com/new/place");
    assert.equal(moved.getAttribute("rel"), "noopener noreferrer");
    link = LINK("redirected", { final_url: "javascript:alert(1)" });
    pane = renderDetails(c, resource());
    assert.equal(pane.querySelector(".ab-link-moved a"), null);
    assert.match(pane.querySelector(".ab-link-moved").textContent, /not a web link/);
    link = LINK("dead", { status: 404, message: `<b>${EVIL}</b>` });
    pane = renderDetails(c, resource());
    assert.equal(pane.querySelector(".ab-link-message").textContent, `<b>${EVIL}</b>`);
    assert.equal(pane.querySelector("b, img"), null);
    const unsafe = renderDetails(c, resource({ url: "ftp://x/y", source: "user" }));
    assert.equal(unsafe.querySelector("[data-action=check-link]"), null, "no check for links that are not http(s)");
  } finally {
    await dom.close();
  }
});

test("sources: counts, problems, errors; switches and refresh buttons for the optional ones", async () => {
  const dom = makeDom();
  try {
    const c = ctx(dom.document);
    const info = {
      version: "v", resources: 6490,
      sources: [
        { name: "user", resources: 1, problems: 0, error: "" },
        { name: "curated", resources: 94, problems: 0, error: "" },
        { name: "manager", resources: 6445, problems: 25, error: "" },
        { name: "extra", resources: 0, problems: 1, error: `<img src=x onerror=alert(1)>` },
      ],
      settings: { manager: { enabled: true, folder: "/data/mgr", url: "" }, registry: { enabled: false, folder: "", url: "" } },
      refresh: { manager: null, registry: "https://api.comfy.org" },
      problems: [], problem_count: 25,
    };
    const view = { open: true, busy: [], refreshing: ["registry"] };
    const box = renderSources(c, info, view);
    assert.equal(box.tagName, "DETAILS");
    assert.equal(box.open, true);
    assert.equal(box.querySelector("summary").textContent, "Sources · 6,490 resources");
    const text = (name) => box.querySelector(`.ab-source[data-source=${name}]`).textContent;
    assert.equal(text("user"), "Your own entries1 resource");
    assert.match(text("curated"), /Curated list94 resources/);
    assert.match(text("extra"), /Could not be loaded: <img src=x onerror=alert\(1\)>/);
    assert.equal(box.querySelector("img"), null);
    const manager = box.querySelector(".ab-source[data-source=manager]");
    const toggle = manager.querySelector("input[role=switch]");
    assert.equal(toggle.checked, true);
    assert.equal(toggle.dataset.action, "source-toggle");
    assert.equal(dom.document.body.appendChild(box) && manager.querySelector("label").textContent, "ComfyUI-Manager database");
    assert.match(manager.querySelector(".ab-source-info").textContent, /^6,445 resources · 25 problems$/);
    assert.equal(manager.querySelector(".ab-source-from").textContent, "Read from the folder /data/mgr");
    const refresh = manager.querySelector("[data-action=source-refresh]");
    assert.equal(refresh.disabled, false);
    assert.equal(refresh.getAttribute("aria-label"), "Refresh ComfyUI-Manager database now");
    const registry = box.querySelector(".ab-source[data-source=registry]");
    assert.equal(registry.querySelector("input[role=switch]").checked, false);
    assert.equal(registry.querySelector(".ab-source-info").textContent, "Off");
    assert.equal(registry.querySelector(".ab-source-from").textContent, "Refresh downloads from https://api.comfy.org");
    const running = registry.querySelector("[data-action=source-refresh]");
    assert.equal(running.disabled, true);
    assert.equal(running.getAttribute("aria-busy"), "true");
    assert.ok(running.querySelector(".pi-spin"));
    assert.equal(running.getAttribute("title"), "Refreshing Comfy Registry…");
    assert.equal(refresh.getAttribute("title"), "Refresh ComfyUI-Manager database now");

    info.settings.registry.enabled = true;
    info.sources.push({ name: "registry", resources: 0, problems: 0, error: "" });
    const busy = renderSources(c, info, { open: false, busy: ["registry"], refreshing: [] });
    const reg = busy.querySelector(".ab-source[data-source=registry]");
    assert.equal(reg.querySelector(".ab-source-info").textContent, "Nothing downloaded yet: press Refresh.");
    assert.equal(reg.querySelector("input[role=switch]").getAttribute("aria-disabled"), "true", "marked while the switch is saved");
    assert.equal(reg.querySelector("input[role=switch]").disabled, false, "yet focusable");

    const old = renderSources(c, { version: "", resources: 3, sources: [{ name: "manager", resources: 3, problems: 0, error: "" }],
      problems: [], problem_count: 0 }, view);
    assert.equal(old.querySelector("input"), null, "a server without switches: sources listed, nothing to switch");
    assert.match(old.textContent, /ComfyUI-Manager database3 resources/);
  } finally {
    await dom.close();
  }
});
