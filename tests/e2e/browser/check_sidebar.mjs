// End-to-end check of the sidebar and the browser node in a real ComfyUI with headless
// Chromium. Not part of `npm test` (it needs ComfyUI, about a minute per frontend):
//
//   node tests/e2e/browser/check_sidebar.mjs [--frontend-root DIR] [--label NAME] [--screenshots DIR]
//                                        [--more-screenshots DIR] [--palette dark|light]
//
// Without --frontend-root, ComfyUI's pinned frontend is used. The user directory is seeded
// with 6,000 of the user's own entries (to see the virtual list at scale), one entry whose
// name is HTML, one broken entry (to see the data-problems section), an entry for this pack
// itself (installed: ComfyUI's custom_nodes holds it), three entries with link checks
// (two in a seeded link cache, one on a name that resolves nowhere, to check live), a
// sources.json that knows the ComfyUI-Manager database in ../shared (off, read locally: a
// refresh downloads nothing), and a saved "Manager on" setting that disagrees with the
// server (it must not be sent at load). Only 127.0.0.1 is contacted, by the browser and by
// the server.
//
// Screenshots for docs/img (--screenshots): the panel at 1400×900 and at 1024×700 with every
// section open, at 140 px wide, in Chinese, the details and the browser node; the picker node
// goes to --more-screenshots. The Chinese one needs a CJK font (Debian: fonts-wqy-microhei).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { findComfyUI, MANAGER_DB, REPO, requireManagerDb, startComfyUI } from "./comfyui.mjs";
import { openBrowser, openComfyUI, TAB_BUTTON } from "./browser.mjs";

const { values: args } = parseArgs({
  options: {
    "frontend-root": { type: "string" },
    label: { type: "string", default: "default" },
    screenshots: { type: "string", default: path.join(REPO, "docs", "img") },
    "more-screenshots": { type: "string", default: os.tmpdir() }, // the picker node
    palette: { type: "string", default: "dark" }, // ComfyUI's colour palette: dark or light
  },
});
const TAB = TAB_BUTTON;
const PANEL = ".awesome-beyond-panel";
const SEEDED = 6000;
const XSS_NAME = "<img src=x onerror=window.__xss=1>";
const SELF_URL = "https://github.com/umitkacar/Awesome-ComfyUI-Beyond"; // pyproject's [project.urls] Repository
const MANAGER_SETTING = "awesomecomfyuibeyond.Sources.Manager";
const DEAD_URL = "https://example.org/e2e/gone";
const ALIVE_URL = "https://example.org/e2e/fine";
// A public-looking link that can never answer (.invalid names resolve nowhere): a live check
// gives "no answer" offline. (A 127.0.0.1 link is no longer a valid catalogue entry.)
const NOWHERE_URL = "https://e2e-link-check.invalid/page";
const PICKER = "AwesomeBeyond_ResourcePicker";
const BROWSER = "AwesomeBeyond_ResourceBrowser";

function seedEntries() {
  const kinds = ["node-pack", "model", "workflow", "tool", "tutorial"];
  const entries = Array.from({ length: SEEDED }, (_, i) => ({
    id: `seed-${i}`, name: `Seeded resource ${i}`, url: `https://example.org/seed/${i}`, category: "mine",
    kind: kinds[i % kinds.length], description: `Generated entry number ${i} for the scale check.`,
    tags: [`group-${i % 7}`],
  }));
  entries.push({ id: "xss-name", name: XSS_NAME, url: "https://example.org/xss", category: "mine", kind: "tool",
    description: "<script>window.__xss=2</script> is only text here." });
  entries.push({ id: "broken-entry", name: "Broken", url: "ftp://example.org/broken", category: "mine", kind: "tool" });
  entries.push({ id: "awesome-self", name: "Awesome ComfyUI Beyond (this pack)", url: SELF_URL, category: "mine",
    kind: "node-pack", description: "The pack under test; ComfyUI's custom_nodes holds it, so it is installed." });
  for (const [id, url] of [["link-dead", DEAD_URL], ["link-alive", ALIVE_URL], ["link-nowhere", NOWHERE_URL]]) {
    entries.push({ id, name: `Link health ${id.slice(5)} example`, url, category: "mine", kind: "tool" });
  }
  return entries;
}

/** The link cache as a past check left it: one dead link, one alive. */
function seedLinks() {
  const when = "2026-01-30T10:00:00+00:00";
  return {
    [DEAD_URL]: { state: "dead", status: 404, final_url: DEAD_URL, checked_at: when, message: "not found" },
    [ALIVE_URL]: { state: "alive", status: 200, final_url: ALIVE_URL, checked_at: when, message: "" },
  };
}

const results = [];
/** @param {string} name @param {() => Promise<unknown>} fn */
async function check(name, fn) {
  const started = Date.now();
  try {
    const note = await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)${note ? `: ${note}` : ""}`);
  } catch (error) {
    results.push({ name, ok: false });
    const shot = path.join(os.tmpdir(), `awesome-e2e-failure-${results.length}.png`);
    await page.screenshot({ path: shot }).catch(() => {});
    console.log(`     (screenshot of the failure: ${shot})`);
    console.log(`FAIL ${name}: ${error instanceof Error ? error.message.split("\n").slice(0, 8).join("\n     ") : error}`);
  }
}

const found = findComfyUI();
if ("skip" in found) {
  console.log(`SKIPPED: browser checks need a ComfyUI: ${found.skip}`);
  process.exit(0);
}
const server = await startComfyUI({
  ...found, frontendRoot: args["frontend-root"], userResources: seedEntries(), links: seedLinks(),
  sources: { manager: { enabled: false, folder: MANAGER_DB } },
  settings: { "Comfy.ColorPalette": args.palette, [MANAGER_SETTING]: true },
});
const browser = await openBrowser();
const { page } = browser;
/** Every PUT sources/{name} the page sends. */
const sourcePuts = [];
page.on("request", (request) => {
  if (request.method() === "PUT" && /\/awesome\/v1\/sources\//.test(request.url())) sourcePuts.push(request.postData());
});
const countOf = (/** @type {string | null} */ text) => Number((text ?? "").replace(/[^\d]/g, ""));
const settingValue = (/** @type {string} */ id) => page.evaluate(async (key) => {
  const { app } = await import("/scripts/app.js");
  return app.extensionManager.setting.get(key);
}, id);
const dismissToasts = () => page.evaluate(async () => {
  const { app } = await import("/scripts/app.js");
  const toast = /** @type {any} */ (app.extensionManager.toast);
  (toast.dismissAll ?? toast.removeAll)?.call(toast);
});
const status = () => page.locator(`${PANEL} .ab-count`).textContent();
const waitStatus = async (/** @type {string} */ before) => {
  await page.waitForFunction(([sel, old]) => document.querySelector(sel)?.textContent !== old,
    [`${PANEL} .ab-count`, before], { timeout: 10_000 });
  return status();
};
const rowsInDom = () => page.locator(`${PANEL} [role=listitem]`).count();
const search = () => page.getByRole("searchbox", { name: "Search the catalogue" });
/** Load a workflow, run it through POST /prompt and wait for its outputs (by node id). */
const runWorkflow = (/** @type {object} */ workflow) => page.evaluate(async (wf) => {
  const { app } = await import("/scripts/app.js");
  await app.loadGraphData(wf);
  const { output } = await app.graphToPrompt();
  const res = await fetch("/prompt", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ prompt: output, client_id: "e2e" }) });
  const { prompt_id: id } = await res.json();
  for (let i = 0; i < 100; i += 1) {
    const history = await (await fetch(`/history/${id}`)).json();
    if (history[id]?.status?.completed) return history[id].outputs;
    await new Promise((r) => setTimeout(r, 300));
  }
  return null;
}, workflow);
const shoot = async (/** @type {string} */ name, dir = args.screenshots) => {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  await page.mouse.move(700, 890); // no hover effects or tooltips in the picture
  await page.waitForTimeout(300);
  await page.screenshot({ path: file });
  return path.relative(REPO, file);
};

page.setDefaultTimeout(10_000);
try {
  await openComfyUI(page, server.url);
  const version = await page.evaluate(() => /** @type {any} */ (window).__COMFYUI_FRONTEND_VERSION__ ?? "?");
  console.log(`frontend ${version}, ComfyUI at ${server.url}`);

  await check("the pack imported cleanly", async () => {
    const failures = server.log().split("\n").filter((line) => /IMPORT FAILED|Cannot import/.test(line) && line.includes("awesome"));
    assert.deepEqual(failures, []);
    assert.match(server.log(), /\d+\.\d seconds: .*awesome-comfyui-beyond/);
  });

  await check("ComfyUI serves the web files, help pages, translations and examples", async () => {
    const got = await page.evaluate(async () => {
      const text = async (url) => { const r = await fetch(url); return r.ok ? r.text() : `HTTP ${r.status}`; };
      const extensions = await (await fetch("/extensions")).json();
      const i18n = await (await fetch("/i18n")).json();
      return {
        scripts: extensions.filter((e) => e.includes("awesome-comfyui-beyond")).sort(),
        help: await text("/extensions/awesome-comfyui-beyond/docs/AwesomeBeyond_ResourceBrowser.md"),
        helpZh: await text("/extensions/awesome-comfyui-beyond/docs/AwesomeBeyond_ResourcePicker/zh.md"),
        i18n: [i18n.en?.awesomeBeyond?.error?.retry, i18n.zh?.awesomeBeyond?.error?.retry,
          i18n.zh?.nodeDefs?.AwesomeBeyond_ResourceBrowser?.display_name, i18n.en?.settings?.awesomecomfyuibeyond_Sidebar_DefaultSort?.name,
          i18n.zh?.settings?.awesomecomfyuibeyond_Sources_Manager?.name, i18n.zh?.awesomeBeyond?.sources?.names?.registry],
        templates: (await (await fetch("/workflow_templates")).json())["awesome-comfyui-beyond"]?.sort(),
        // The template browser asks /api/workflow_templates/<pack>/<name>.jpg for a custom pack's thumbnail.
        thumbnails: await Promise.all(["awesome_browser", "awesome_picker"].map(async (name) => {
          const r = await fetch(`/api/workflow_templates/awesome-comfyui-beyond/${name}.jpg`);
          return [r.status, r.headers.get("content-type"), (await r.arrayBuffer()).byteLength > 10_000];
        })),
      };
    });
    assert.ok(got.scripts.includes("/extensions/awesome-comfyui-beyond/awesome_beyond.js"), got.scripts.join());
    assert.ok(got.scripts.every((s) => /\/(awesome_beyond|lib\/\w+)\.js$/.test(s)), got.scripts.join());
    assert.match(got.help, /^# Resource Browser/);
    assert.match(got.helpZh, /^# 资源选择器/);
    assert.deepEqual(got.i18n, ["Retry", "重试", "资源浏览器（Awesome）", "Default sort of the catalogue",
      "使用 ComfyUI-Manager 数据库", "Comfy Registry"]);
    assert.deepEqual(got.templates, ["awesome_browser", "awesome_picker"]);
    assert.deepEqual(got.thumbnails, [[200, "image/jpeg", true], [200, "image/jpeg", true]]);
    return `${got.scripts.length} modules`;
  });

  await check("the tab button has a stable selector", async () => {
    const specific = await page.locator('[data-testid="awesome-beyond-tab-button"], .awesome-beyond-tab-button').count();
    assert.equal(specific, 1);
    assert.equal(await page.locator(TAB).count(), 1);
  });

  /** Milliseconds from the tab button's click to the first rows in the DOM, timed in the page. */
  const timeOpening = async () => {
    await page.evaluate(([tab, panel]) => {
      const w = /** @type {any} */ (window);
      w.__abOpened = null;
      document.querySelector(tab)?.addEventListener("click", () => {
        const t0 = performance.now();
        const done = () => { w.__abOpened = performance.now() - t0; };
        const seen = new MutationObserver(() => {
          if (document.querySelector(`${panel} [role=listitem] .ab-row-main`)) { seen.disconnect(); done(); }
        });
        seen.observe(document.body, { childList: true, subtree: true });
      }, { once: true, capture: true });
    }, [TAB, PANEL]);
    await page.locator(TAB).click();
    await page.waitForFunction(() => /** @type {any} */ (window).__abOpened !== null);
    return Math.round(await page.evaluate(() => /** @type {any} */ (window).__abOpened));
  };

  await check("opening the tab paints the first rows", async () => {
    const cold = await timeOpening(); // includes the server's first load of the 6k-entry catalogue
    await page.locator(TAB).click();
    await page.waitForSelector(PANEL, { state: "detached" });
    const warm = await timeOpening();
    return `first rows ${cold} ms after the click (first opening, catalogue cold), ${warm} ms when reopened`;
  });

  await check("the tab: a compass (not a star), its shortcut in the tooltip, a title bar whose Close closes it", async () => {
    const button = page.locator(TAB);
    assert.equal(await button.getAttribute("aria-label"), "Awesome ComfyUI Beyond (Alt+A)");
    assert.equal(await button.locator(".pi-compass").count(), 1);
    assert.equal(await button.locator(".pi-star").count(), 0);
    const titlebar = page.locator(`${PANEL} .ab-titlebar`);
    assert.equal((await titlebar.getByRole("heading").textContent())?.trim(), "Awesome Beyond");
    await titlebar.getByRole("button", { name: "Close the sidebar" }).click();
    await page.waitForSelector(PANEL, { state: "detached" });
    await page.locator(TAB).click();
    await page.waitForSelector(`${PANEL} [role=listitem] .ab-row-main`);
  });

  await check("the data problems are listed", async () => {
    const summary = page.locator(`${PANEL} .ab-problems > summary`);
    await summary.waitFor();
    assert.match(await summary.textContent() ?? "", /problems? in the catalogue data/);
    await summary.click();
    assert.match(await page.locator(`${PANEL} .ab-problems ul`).textContent() ?? "", /scheme 'ftp'/);
    await summary.click();
  });

  await check(`the list is virtual at ${SEEDED}+ entries`, async () => {
    assert.match(await status() ?? "", /6,\d{3} resources/);
    const scroller = page.locator(`${PANEL} [role=list]`);
    const t0 = Date.now();
    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.waitForFunction((sel) => {
      const rows = [...document.querySelectorAll(`${sel} [role=listitem]`)];
      const end = rows.some((row) => row.getAttribute("aria-posinset") === row.getAttribute("aria-setsize"));
      return end && !document.querySelector(`${sel} .ab-row-loading`);
    }, PANEL);
    const rows = await rowsInDom();
    assert.ok(rows < 60, `${rows} rows in the DOM`);
    const last = await page.locator(`${PANEL} [role=listitem]`).last().getAttribute("aria-posinset");
    const total = await page.locator(`${PANEL} [role=listitem]`).last().getAttribute("aria-setsize");
    assert.equal(last, total);
    await scroller.evaluate((el) => { el.scrollTop = 0; });
    return `${rows} rows in the DOM; last page shown ${Date.now() - t0} ms after jumping to the end`;
  });

  await check("search as you type ranks and highlights", async () => {
    const before = await status();
    const t0 = Date.now();
    await search().fill("video");
    const after = await waitStatus(before ?? "");
    assert.match(after ?? "", /^\d+ resources?$/);
    await page.locator(`${PANEL} .ab-row-title mark`).first().waitFor();
    assert.match(await page.locator(`${PANEL} .ab-row-title mark`).first().textContent() ?? "", /video/i);
    return `${after} ${Date.now() - t0} ms after typing (no debounce: each keystroke asks at once)`;
  });

  await check("filter by kind and tag, with counts", async () => {
    const kind = page.getByRole("combobox", { name: "Kind" });
    assert.match(await kind.locator("option[value=node-pack]").textContent() ?? "", /\(\d+\)/);
    let before = await status();
    await kind.selectOption("node-pack");
    await waitStatus(before ?? "");
    const metas = await page.locator(`${PANEL} .ab-row-meta`).allTextContents();
    assert.ok(metas.length > 0 && metas.every((m) => m.startsWith("Node pack")), metas.join(" | "));
    before = await status();
    const chip = page.locator(`${PANEL} .ab-tag-facet [data-tag=video]`);
    if (await chip.count() === 0) await page.locator(`${PANEL} [data-action=more-tags]`).click(); // not among the most used
    await chip.click();
    await waitStatus(before ?? "").catch(() => status()); // the count may stay the same
    assert.equal(await page.locator(`${PANEL} .ab-tag-facet [data-tag=video]`).getAttribute("aria-pressed"), "true");
    return await status();
  });

  await check("details show safe links and the install command", async () => {
    await page.locator(`${PANEL} .ab-row-main`).first().click();
    const details = page.locator(`${PANEL} .ab-details`);
    await details.waitFor();
    const link = details.locator("a[href]").first();
    assert.equal(await link.getAttribute("target"), "_blank");
    assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
    assert.match(await link.getAttribute("href") ?? "", /^https?:\/\//);
    assert.match(await details.locator(".ab-command").textContent() ?? "", /^git clone https:\/\//);
  });

  await check("screenshot of the details", async () => shoot(`sidebar-details-${args.label}.png`));

  await check("the state survives closing and reopening the tab", async () => {
    await page.locator(TAB).click();
    await page.waitForSelector(PANEL, { state: "detached" });
    await page.locator(TAB).click();
    await page.waitForSelector(`${PANEL} .ab-details`);
    assert.equal(await search().inputValue(), "video");
    assert.equal(await page.locator(`${PANEL} #ab-kind`).inputValue(), "node-pack"); // hidden behind the details
  });

  await check("keyboard: Escape, arrows, Enter, /", async () => {
    await page.locator(`${PANEL} [data-action=close-details]`).focus();
    await page.keyboard.press("Escape"); // outside the search box: back to the list first
    await page.waitForSelector(`${PANEL} .ab-details`, { state: "detached" });
    await search().focus();
    await page.keyboard.press("Escape"); // in the search box: clears it
    assert.equal(await search().inputValue(), "");
    await page.locator(`${PANEL} [data-action=clear-all]`).click().catch(() => {});
    await page.waitForTimeout(400);
    await search().focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    assert.equal(await page.locator(`${PANEL} .ab-row.ab-selected`).getAttribute("aria-posinset"), "2");
    await page.keyboard.press("Enter");
    await page.locator(`${PANEL} .ab-details`).waitFor();
    await page.keyboard.press("Escape"); // search empty: closes the details
    await page.waitForSelector(`${PANEL} .ab-details`, { state: "detached" });
    await page.locator(`${PANEL} .ab-row-main`).first().focus();
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("type")), "search");
  });

  await check("focus: a click on a row keeps the keyboard in the panel; Escape and / still work", async () => {
    const inPanel = () => page.evaluate((sel) => Boolean(document.activeElement?.closest(sel)), PANEL);
    await page.locator(`${PANEL} .ab-row-main`).nth(2).click();
    await page.locator(`${PANEL} .ab-details`).waitFor();
    assert.ok(await inPanel(), "the focus went with the details");
    await page.keyboard.press("Escape");
    await page.waitForSelector(`${PANEL} .ab-details`, { state: "detached" });
    assert.equal(await page.evaluate(() => document.activeElement?.closest("[role=listitem]")?.getAttribute("aria-posinset")), "3",
      "back on the row that was clicked");
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("type")), "search");
    // A click on nothing in particular (the count) lands in the panel, not on the page.
    await page.locator(`${PANEL} .ab-count`).click();
    assert.ok(await inPanel(), "a click on plain text keeps the focus in the panel");
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("type")), "search");
  });

  await check("Alt+A toggles the tab and focuses the search", async () => {
    await page.evaluate(() => /** @type {HTMLElement | null} */ (document.activeElement)?.blur());
    await page.keyboard.press("Alt+a");
    await page.waitForSelector(PANEL, { state: "detached" });
    await page.keyboard.press("Alt+a");
    await page.waitForSelector(PANEL);
    await page.waitForFunction(() => document.activeElement?.classList.contains("ab-search"));
  });

  await check("favourites toggle and filter", async () => {
    const star = page.locator(`${PANEL} [role=listitem] .ab-star`).first();
    await star.waitFor();
    const id = await page.locator(`${PANEL} [role=listitem]`).first().getAttribute("data-id");
    await star.click();
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute("aria-pressed") === "true",
      `${PANEL} [role=listitem] .ab-star`);
    const favourites = await page.evaluate(async () => (await fetch("/awesome/v1/user/favorites")).json());
    assert.ok(favourites.ids.includes(id), JSON.stringify(favourites));
    const before = await status();
    await page.getByRole("button", { name: "Favourites only" }).click();
    assert.equal(await waitStatus(before ?? ""), "1 resource");
    await page.getByRole("button", { name: "Favourites only" }).click();
    await page.locator(`${PANEL} [role=listitem] .ab-star`).first().click(); // unstar again
    await page.locator(`${PANEL} [role=listitem] .ab-star`).nth(1).click();
    await page.locator(`${PANEL} [role=listitem] .ab-star`).nth(1).click();
    await page.waitForTimeout(1200); // the replaced toasts' leave animations
    // The toasts on screen (not the frontend's copies for screen readers), by their text.
    const shown = await page.getByText(/(to|from) favourites$/).evaluateAll((els) => [...new Set(els
      .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 20 && r.height > 8; })
      .map((el) => el.textContent?.trim()))]);
    assert.equal(shown.length, 1, `four favourite toasts in a row: only the last stays (${shown.join(" | ")})`);
  });

  await check("installed packs: a badge on rows and in the details, and the Installed only filter", async () => {
    const before = await status();
    const toggle = page.getByRole("button", { name: "Installed only" });
    await toggle.click();
    const after = await waitStatus(before ?? "");
    assert.equal(await toggle.getAttribute("aria-pressed"), "true");
    const rows = page.locator(`${PANEL} [role=listitem]`);
    const count = await rows.count();
    assert.ok(count >= 1 && count === await rows.locator(".ab-installed").count(), `${count} rows, all marked installed`);
    const self = page.locator(`${PANEL} [role=listitem][data-id=awesome-self]`);
    assert.equal((await self.locator(".ab-installed").textContent())?.trim(), "Installed");
    const viaApi = await page.evaluate(async () => (await fetch("/awesome/v1/resources?installed=1&limit=5")).json());
    assert.ok(viaApi.items.some((/** @type {any} */ r) => r.id === "awesome-self" && r.installed === true), JSON.stringify(viaApi.items));
    await self.locator(".ab-row-main").click();
    await page.locator(`${PANEL} .ab-details .ab-details-badges .ab-installed`).waitFor();
    await page.locator(`${PANEL} [data-action=close-details]`).click();
    // Saved like the other filters: still on after closing and reopening the tab.
    await page.locator(TAB).click();
    await page.waitForSelector(PANEL, { state: "detached" });
    await page.locator(TAB).click();
    await page.waitForSelector(`${PANEL} [role=listitem] .ab-row-main`);
    assert.equal(await page.getByRole("button", { name: "Installed only" }).getAttribute("aria-pressed"), "true");
    assert.equal(await status(), after);
    const on = await status();
    await page.getByRole("button", { name: "Installed only" }).click();
    await waitStatus(on ?? "");
    return `${after} installed (of ${before})`;
  });

  await check("link health: cached checks on rows; Check link in the details", async () => {
    const before = await status();
    await search().fill("link health");
    await waitStatus(before ?? "");
    const row = (/** @type {string} */ id) => page.locator(`${PANEL} [role=listitem][data-id=${id}]`);
    await row("link-dead").waitFor();
    assert.match(await row("link-dead").getAttribute("class") ?? "", /ab-row-dead/);
    assert.equal((await row("link-dead").locator(".ab-link-dead").textContent())?.trim(), "Dead link");
    assert.equal(await row("link-alive").locator(".ab-link-alive").count(), 1);
    assert.equal(await row("link-nowhere").locator(".ab-health").count(), 0, "never checked: no badge");
    await row("link-nowhere").locator(".ab-row-main").click();
    const details = page.locator(`${PANEL} .ab-details`);
    await details.locator(".ab-link-unchecked").waitFor();
    await details.getByRole("button", { name: /Check the link of/ }).click();
    await details.locator(".ab-link-error").waitFor({ timeout: 20_000 });
    const cache = await page.evaluate(async (url) => (await (await fetch("/awesome/v1/links")).json()).links[url], NOWHERE_URL);
    assert.equal(cache?.state, "error", JSON.stringify(cache));
    await page.locator(`${PANEL} [data-action=close-details]`).click();
    assert.equal(await row("link-nowhere").locator(".ab-link-error").count(), 1, "the row shows it too");
    return `a check of ${NOWHERE_URL}: ${cache.state} (${cache.message})`;
  });

  await check("sources: each source with its count; the saved switch was not sent at load", async () => {
    await search().fill("");
    await page.locator(`${PANEL} .ab-sources > summary`).click();
    const list = page.locator(`${PANEL} .ab-source-list`);
    await list.waitFor();
    assert.match(await list.textContent() ?? "", /Your own entries[\d,]+ resources.*Curated list\d+ resources/);
    const manager = page.getByRole("switch", { name: "ComfyUI-Manager database" });
    assert.equal(await manager.isChecked(), false);
    assert.equal(await page.getByRole("switch", { name: "Comfy Registry" }).isChecked(), false);
    assert.deepEqual(sourcePuts, [], "the saved setting (on) was not pushed at registration");
    await page.waitForFunction(async (id) => {
      const { app } = await import("/scripts/app.js");
      return app.extensionManager.setting.get(id) === false;
    }, MANAGER_SETTING);
    assert.match(await page.locator(`${PANEL} .ab-source[data-source=manager] .ab-source-from`).textContent() ?? "",
      /Read from the folder .*comfyui-manager/);
    return "the setting now mirrors the server (off)";
  });

  await check("sources: switching the ComfyUI-Manager database on from the panel", async () => {
    requireManagerDb();
    const before = await status();
    await page.getByRole("switch", { name: "ComfyUI-Manager database" }).click();
    const after = await waitStatus(before ?? "");
    assert.ok(countOf(after) > countOf(before) + 5000, `${before} → ${after}`);
    assert.deepEqual(sourcePuts, [JSON.stringify({ enabled: true })]);
    await page.waitForFunction((sel) => /^On · [\d,]+ entries$/.test(document.querySelector(sel)?.textContent ?? ""),
      `${PANEL} .ab-source[data-source=manager] .ab-source-info`);
    // The Manager's own data problems: a quiet count for curators, not the red box of the user's problems.
    const skipped = page.locator(`${PANEL} .ab-source[data-source=manager] .ab-source-skipped > summary`);
    if (await skipped.count()) assert.match(await skipped.textContent() ?? "", /^[\d,]+ (entries|entry) skipped in the ComfyUI-Manager database$/);
    assert.doesNotMatch(await page.locator(`${PANEL} .ab-problems-holder`).textContent() ?? "", /custom-node-list|model-list/);
    assert.equal(await page.getByRole("textbox", { name: "ComfyUI-Manager folder" }).count(), 1, "the folder field");
    assert.equal(await page.getByRole("switch", { name: "ComfyUI-Manager database" }).isChecked(), true);
    assert.equal(await settingValue(MANAGER_SETTING), true, "mirrored into ComfyUI's setting");
    assert.equal(sourcePuts.length, 1, "mirroring sent nothing");
    return `${before} → ${after}`;
  });

  await check("screenshot: a search for video with the Manager database on", async () => {
    const before = await status();
    await search().fill("video");
    await waitStatus(before ?? "");
    await page.locator(`${PANEL} .ab-row-title mark`).first().waitFor();
    await dismissToasts();
    return shoot(`sidebar-${args.label}.png`);
  });

  await check("focus: with the Manager database on, the chips and the rows are one tab stop each", async () => {
    const chips = page.locator(`${PANEL} .ab-tag-facet .ab-chip`);
    assert.ok(await chips.count() >= 10, `${await chips.count()} chips`);
    await search().focus();
    const stops = [];
    for (let i = 0; i < 40; i += 1) {
      await page.keyboard.press("Tab");
      const where = await page.evaluate(() => {
        const el = /** @type {HTMLElement | null} */ (document.activeElement);
        if (el?.closest("[role=listitem]")) return "row";
        if (el?.classList.contains("ab-chip")) return "chip";
        return el?.getAttribute("aria-label") || el?.dataset.action || el?.tagName || "?";
      });
      stops.push(where);
      if (where === "row") break;
    }
    assert.equal(stops.at(-1), "row", stops.join(" > "));
    assert.equal(stops.filter((w) => w === "chip").length, 1, stops.join(" > "));
    assert.ok(stops.length <= 20, stops.join(" > "));
    // Inside the chips, the arrows move.
    await chips.first().focus();
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.evaluate(() => document.activeElement === document.querySelectorAll(".ab-tag-facet .ab-chip")[1]), true);
    await page.keyboard.press("ArrowLeft");
    return `${stops.length} tab stops from the search box to the first row: ${stops.join(" > ")}`;
  });

  await check("layout: with every section open, the header never hides the list (1400×900 and 1024×700)", async () => {
    const open = async (/** @type {string} */ summary) => {
      const section = page.locator(`${PANEL} ${summary}`);
      if (!(await section.evaluate((el) => /** @type {HTMLDetailsElement} */ (el.parentElement).open))) await section.click();
    };
    const problemsWereOpen = await page.locator(`${PANEL} .ab-problems`).evaluate((el) => /** @type {HTMLDetailsElement} */ (el).open);
    await open(".ab-filters > summary");
    await open(".ab-problems > summary");
    await open(".ab-sources > summary");
    await page.locator(`${PANEL} [data-action=more-tags][aria-expanded=false]`).click();
    const measure = () => page.evaluate((sel) => {
      const box = (/** @type {string} */ part) => /** @type {HTMLElement} */ (document.querySelector(`${sel} ${part}`)).getBoundingClientRect();
      const body = box(".ab-body");
      const frame = box(".ab-sections-frame");
      const rows = [...document.querySelectorAll(`${sel} [role=listitem]`)]
        .filter((row) => { const r = row.getBoundingClientRect(); return r.top >= body.top - 1 && r.bottom <= body.bottom + 1; });
      const scroll = /** @type {HTMLElement} */ (document.querySelector(`${sel} .ab-sections`));
      return { body: Math.round(body.height), overlap: Math.round(frame.bottom - body.top), rows: rows.length,
        more: /** @type {HTMLElement} */ (document.querySelector(`${sel} .ab-sections-frame`)).dataset.more ?? "",
        scrolls: scroll.scrollHeight > scroll.clientHeight + 1 };
    }, PANEL);
    await page.locator(`${PANEL} .ab-sections`).evaluate((el) => { el.scrollTop = 0; });
    await page.waitForTimeout(300);
    const big = await measure();
    assert.ok(big.rows >= 5 && big.overlap <= 0, JSON.stringify(big));
    assert.ok(!big.scrolls || big.more.includes("below"), `a cue says there is more: ${JSON.stringify(big)}`);
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.locator(`${PANEL} .ab-sections`).evaluate((el) => { el.scrollTop = 0; });
    await page.waitForTimeout(600);
    const small = await measure();
    assert.ok(small.rows >= 3 && small.body >= 140 && small.overlap <= 0, JSON.stringify(small));
    assert.ok(small.scrolls && small.more === "below", `the sections scroll, and say so: ${JSON.stringify(small)}`);
    await dismissToasts();
    const shot = await shoot(`sidebar-1024-${args.label}.png`);
    await page.locator(`${PANEL} .ab-sections`).evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.waitForTimeout(300);
    assert.equal((await measure()).more, "above", "at the end, the cue points up");
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.waitForTimeout(300);
    await page.locator(`${PANEL} [data-action=more-tags][aria-expanded=true]`).click();
    if (!problemsWereOpen) await page.locator(`${PANEL} .ab-problems > summary`).click();
    await page.locator(`${PANEL} .ab-sections`).evaluate((el) => { el.scrollTop = 0; });
    return `1400×900: ${big.rows} rows in view, list ${big.body} px; 1024×700: ${small.rows} rows, list ${small.body} px; ${shot}`;
  });

  await check("layout: 140 px wide, no broken control; names, stars and dates stay readable", async () => {
    // The sidebar itself at 140 px (its splitter panel; both frontends give it this class),
    // else the panel alone.
    const narrowed = await page.evaluate((sel) => {
      const panel = /** @type {HTMLElement} */ (document.querySelector(sel));
      const side = /** @type {HTMLElement | null} */ (panel.closest(".side-bar-panel"));
      if (side) {
        side.dataset.abStyle = side.getAttribute("style") ?? "";
        side.style.flex = "0 0 140px";
        side.style.maxWidth = "140px";
      }
      if (Math.abs(panel.getBoundingClientRect().width - 140) > 2) panel.style.width = "140px";
      return side ? "the sidebar" : "the panel";
    }, PANEL);
    await page.waitForTimeout(400);
    const got = await page.evaluate((sel) => {
      const panel = /** @type {HTMLElement} */ (document.querySelector(sel));
      const right = panel.getBoundingClientRect().right;
      const sort = /** @type {HTMLSelectElement} */ (panel.querySelector("#ab-sort"));
      const overflowing = [...panel.querySelectorAll(".ab-titlebar, .ab-head *, .ab-filters select, .ab-chip, .ab-row")]
        .filter((el) => el.getBoundingClientRect().right > right + 0.5).map((el) => el.className || el.tagName);
      const rows = [...panel.querySelectorAll("[role=listitem][data-id]")].slice(0, 5).map((row) => {
        const facts = row.querySelector(".ab-row-facts")?.getBoundingClientRect();
        const title = /** @type {HTMLElement} */ (row.querySelector(".ab-row-title"));
        const line = /** @type {HTMLElement} */ (row.querySelector(".ab-row-line"));
        return { factsIn: !facts || facts.right <= row.getBoundingClientRect().right, nameRoom: line.getBoundingClientRect().width,
          titleLines: Math.round(title.getBoundingClientRect().height / 17) };
      });
      return { overflowing, sortWidth: sort.getBoundingClientRect().width, rows };
    }, PANEL);
    assert.deepEqual(got.overflowing, []);
    assert.ok(got.sortWidth >= 100, `the sort shows its choice: ${got.sortWidth} px`);
    assert.ok(got.rows.length > 0 && got.rows.every((r) => r.factsIn && r.nameRoom >= 90), JSON.stringify(got.rows));
    assert.ok(got.rows.some((r) => r.titleLines === 2), `long names take two lines: ${JSON.stringify(got.rows)}`);
    const shot = await shoot(`sidebar-narrow-${args.label}.png`);
    await page.evaluate((sel) => {
      const panel = /** @type {HTMLElement} */ (document.querySelector(sel));
      panel.style.width = "";
      const side = /** @type {HTMLElement | null} */ (panel.closest(".side-bar-panel"));
      if (side) side.setAttribute("style", side.dataset.abStyle ?? "");
    }, PANEL);
    return `${narrowed} at 140 px: sort ${Math.round(got.sortWidth)} px wide; ${shot}`;
  });

  await check("sources: switching it off through ComfyUI's settings sends one PUT and reloads", async () => {
    requireManagerDb();
    const before = await status();
    await page.evaluate(async (id) => {
      const { app } = await import("/scripts/app.js");
      await app.extensionManager.setting.set(id, false);
    }, MANAGER_SETTING);
    const after = await waitStatus(before ?? "");
    assert.ok(countOf(after) < countOf(before), `${before} → ${after}`);
    assert.deepEqual(sourcePuts.slice(1), [JSON.stringify({ enabled: false })]);
    await page.waitForFunction(() => {
      const input = /** @type {HTMLInputElement | null} */ (document.querySelector(".ab-source[data-source=manager] input[role=switch]"));
      return input?.checked === false;
    });
    const server = await page.evaluate(async () => (await (await fetch("/awesome/v1/sources")).json()).settings.manager.enabled);
    assert.equal(server, false);
    return `${before} → ${after}`;
  });

  await check("sources: a refresh shows a spinner, then its outcome in a toast", async () => {
    await dismissToasts();
    // Held back a moment so that the running state can be seen; the answer is the server's.
    await page.route("**/awesome/v1/sources/manager/refresh", async (route) => {
      await new Promise((r) => setTimeout(r, 1000));
      await route.continue();
    });
    const button = page.getByRole("button", { name: "Refresh ComfyUI-Manager database now" });
    await button.click();
    await page.waitForFunction((sel) => {
      const b = /** @type {HTMLButtonElement | null} */ (document.querySelector(sel));
      return Boolean(b?.disabled && b.getAttribute("aria-busy") === "true" && b.querySelector(".pi-spinner"));
    }, `${PANEL} .ab-source[data-source=manager] [data-action=source-refresh]`);
    const toast = page.getByText(/nothing to download/).first();
    await toast.waitFor();
    await page.getByText("ComfyUI-Manager database is up to date").first().waitFor();
    await page.waitForFunction((sel) => document.querySelector(sel)?.hasAttribute("disabled") === false,
      `${PANEL} .ab-source[data-source=manager] [data-action=source-refresh]`);
    await page.unroute("**/awesome/v1/sources/manager/refresh");
    await page.locator(`${PANEL} .ab-sources > summary`).click(); // collapse it again
    return (await toast.textContent())?.trim();
  });

  await check("HTML in a name stays text", async () => {
    const before = await status();
    await search().fill("onerror");
    await waitStatus(before ?? "");
    const title = page.locator(`${PANEL} .ab-row-title`).first();
    assert.equal(await title.textContent(), XSS_NAME);
    await page.locator(`${PANEL} .ab-row-main`).first().click();
    await page.locator(`${PANEL} .ab-details`).waitFor();
    assert.equal(await page.locator(`${PANEL} img`).count(), 0);
    assert.equal(await page.locator(`${PANEL} script`).count(), 0);
    assert.equal(await page.evaluate(() => /** @type {any} */ (window).__xss), undefined);
    await page.locator(`${PANEL} [data-action=close-details]`).click();
  });

  await check("own entries: a refusal is shown on the form", async () => {
    await page.getByRole("button", { name: "Add your own" }).click();
    const form = page.locator(`${PANEL} form.ab-form`);
    await form.getByLabel("Name").fill("One too many");
    await form.getByLabel("URL").fill("https://example.org/one-too-many");
    await form.getByRole("button", { name: "Save" }).click();
    await page.waitForFunction((sel) => /2000 entries/.test(document.querySelector(sel)?.textContent ?? ""), `${PANEL} .ab-form-error`);
    await form.getByRole("button", { name: "Cancel" }).click();
    // Make room: the server takes at most 2,000 entries through the API (a file may hold more).
    const file = path.join(server.userDir, "awesome-comfyui-beyond", "resources.json");
    const data = JSON.parse(fs.readFileSync(file, "utf8"));
    data.resources = data.resources.slice(-100);
    fs.writeFileSync(file, JSON.stringify(data));
  });

  await check("own entries: validation problems by the fields, then saved, edited, deleted", async () => {
    await page.getByRole("button", { name: "Add your own" }).click();
    const form = page.locator(`${PANEL} form.ab-form`);
    await form.getByLabel("Name").fill("My E2E Pack");
    await form.getByLabel("URL").fill("ftp://example.org/e2e");
    await form.getByRole("button", { name: "Save" }).click();
    await page.waitForFunction((sel) => (document.querySelector(sel)?.textContent ?? "").length > 0, `${PANEL} #ab-e-url`)
      .catch(async (error) => { throw new Error(`${error.message}; form says: ${await form.textContent()}`); });
    assert.match(await page.locator(`${PANEL} #ab-e-url`).textContent() ?? "", /ftp/);
    assert.equal(await form.getByLabel("URL").getAttribute("aria-invalid"), "true");
    await form.getByLabel("URL").fill("https://example.org/e2e-pack");
    await form.getByLabel("Tags").fill("e2e, testing");
    await form.getByRole("button", { name: "Save" }).click();
    const details = page.locator(`${PANEL} .ab-details`);
    await details.waitFor();
    assert.equal(await details.locator("h3").textContent(), "My E2E Pack");
    await details.getByRole("button", { name: "Edit" }).click();
    assert.equal(await form.getByLabel("Tags").inputValue(), "e2e, testing");
    await form.getByLabel("Name").fill("My E2E Pack, renamed");
    await form.getByRole("button", { name: "Save" }).click();
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === "My E2E Pack, renamed", `${PANEL} .ab-details h3`);
    page.once("dialog", (dialog) => dialog.accept());
    await details.getByRole("button", { name: "Delete" }).click();
    // The frontend's own confirm dialog (or window.confirm as a fallback)
    // The frontend's own confirm dialog (PrimeVue in 1.27, Reka in 1.58); window.confirm is the fallback.
    await page.locator('[role=dialog] button:has-text("Delete")').last().click();
    await page.waitForSelector(`${PANEL} .ab-details`, { state: "detached" });
  });

  await check("own entries: https:// assumed, a name proposed, and a URL already known links to its entry", async () => {
    await page.getByRole("button", { name: "Add your own" }).click();
    const form = page.locator(`${PANEL} form.ab-form`);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "ab-f-url", "the URL comes first");
    await form.getByLabel("URL").fill("example.org/e2e/fine");
    await page.keyboard.press("Tab");
    assert.equal(await form.getByLabel("URL").inputValue(), "https://example.org/e2e/fine");
    assert.equal(await form.getByLabel("Name").inputValue(), "fine");
    await form.getByRole("button", { name: "Save" }).click();
    const show = form.getByRole("button", { name: "Show “Link health alive example”" });
    await show.waitFor();
    assert.match(await page.locator(`${PANEL} #ab-e-url`).textContent() ?? "", /already in the catalogue/);
    await show.click();
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === "Link health alive example", `${PANEL} .ab-details h3`);
    await page.locator(`${PANEL} [data-action=close-details]`).click();
  });

  await check("a failing server shows an error with a retry", async () => {
    await page.route("**/awesome/v1/resources?**", (route) => route.fulfill({
      status: 503, contentType: "application/json", body: JSON.stringify({ error: { status: 503, message: "down for a test" } }),
    }));
    await page.locator(TAB).click();
    await page.waitForSelector(PANEL, { state: "detached" });
    await page.locator(TAB).click();
    const alert = page.locator(`${PANEL} .ab-error[role=alert]`);
    await alert.waitFor();
    assert.match(await alert.textContent() ?? "", /503: down for a test/);
    await page.unroute("**/awesome/v1/resources?**");
    await alert.getByRole("button", { name: "Retry" }).click();
    await page.waitForSelector(`${PANEL} [role=listitem] .ab-row-main`);
  });

  await check("the browser node shows its result on the node", async () => {
    const workflow = JSON.parse(fs.readFileSync(path.join(REPO, "example_workflows", "awesome_browser.json"), "utf8"));
    await page.locator(TAB).click(); // close the sidebar to see the node
    await page.evaluate(async (wf) => {
      const { app } = await import("/scripts/app.js");
      await app.loadGraphData(wf);
      await app.queuePrompt(0, 1);
    }, workflow);
    await page.waitForFunction(() => Boolean(document.querySelector(".awesome-beyond-results ol li a")), null, { timeout: 60_000 });
    const shown = page.locator(".awesome-beyond-results");
    const text = await shown.textContent() ?? "";
    assert.match(text, /resources for “video”/);
    assert.doesNotMatch(text, /\*\*|\]\(/, "Markdown rendered, not shown raw");
    assert.ok(await shown.locator("li strong").count() >= 1, "names in bold");
    const links = await shown.locator("a").evaluateAll((as) => as.map((a) => [a.getAttribute("href"), a.getAttribute("rel"), a.getAttribute("target")]));
    assert.ok(links.length >= 1 && links.every(([href, rel, target]) => /^https?:\/\//.test(href ?? "") && rel === "noopener noreferrer" && target === "_blank"),
      JSON.stringify(links));
    await page.evaluate(async () => {
      const { app } = await import("/scripts/app.js");
      const toast = /** @type {any} */ (app.extensionManager.toast);
      (toast.dismissAll ?? toast.removeAll)?.call(toast); // earlier checks' toasts would hide the node
    });
    await shoot(`browser-node-${args.label}.png`);
    return `${await shown.locator("li").count()} resources on the node, ${links.length} links`;
  });

  await check("the picker example runs on core nodes", async () => {
    const workflow = JSON.parse(fs.readFileSync(path.join(REPO, "example_workflows", "awesome_picker.json"), "utf8"));
    const ok = await runWorkflow(workflow);
    const texts = Object.values(ok ?? {}).map((o) => /** @type {any} */ (o).text?.[0]);
    assert.ok(texts.some((t) => /^https:\/\//.test(t ?? "")), JSON.stringify(texts));
    return texts.map((t) => String(t).slice(0, 50)).join(" | ");
  });

  await check("the picker alone: it runs with nothing connected and shows its choice; labels and categories saved by earlier versions still run", async () => {
    const example = JSON.parse(fs.readFileSync(path.join(REPO, "example_workflows", "awesome_picker.json"), "utf8"));
    const picker = example.nodes.find((/** @type {any} */ n) => n.type === PICKER);
    // Saved before the labels put the name first: "Category / Name".
    const alone = { ...example, links: [], nodes: [{ ...picker, outputs: picker.outputs.map((/** @type {any} */ o) => ({ ...o, links: null })),
      widgets_values: ["Quick Start & Essential Setup / ComfyUI-Manager"] }] };
    await page.evaluate(async (wf) => {
      const { app } = await import("/scripts/app.js");
      await app.loadGraphData(wf);
      await app.queuePrompt(0, 1);
    }, alone);
    await page.waitForFunction(() => [...document.querySelectorAll(".awesome-beyond-results")]
      .some((box) => box.querySelector("strong")?.textContent === "ComfyUI-Manager" && box.querySelector("a")), null, { timeout: 60_000 });
    const box = page.locator(".awesome-beyond-results");
    assert.equal(await box.count(), 1, "the picker's own display");
    await dismissToasts();
    const shot = await shoot(`picker-node-${args.label}.png`, args["more-screenshots"]);
    assert.equal(await box.locator("strong").first().textContent(), "ComfyUI-Manager");
    assert.match(await box.locator("a").first().getAttribute("href") ?? "", /^https:\/\/github\.com\/.+ComfyUI-Manager/);
    const labels = await page.evaluate(async (id) => (await (await fetch(`/object_info/${id}`)).json())[id].input.required.resource[0], PICKER);
    assert.ok(labels.includes("ComfyUI-Manager — Quick Start & Essential Setup"), "the name first");
    const info = await page.evaluate(async (id) => (await (await fetch(`/object_info/${id}`)).json())[id], BROWSER);
    const categories = info.input.required.category[0];
    assert.ok(categories.includes("Video Generation") && !categories.includes("video-generation"), "the category menu shows names");
    // A browser node saved with a category id (before the menu showed names) still runs.
    const old = JSON.parse(fs.readFileSync(path.join(REPO, "example_workflows", "awesome_browser.json"), "utf8"));
    old.nodes[0].widgets_values = ["", "video-generation", "all", "", "stars", 3];
    const outputs = await runWorkflow(old);
    const listed = String(/** @type {any} */ (Object.values(outputs ?? {})[0])?.text?.[0] ?? "");
    assert.match(listed, /^3 of \d+ resources\n/, listed.slice(0, 200));
    assert.match(listed, /Video Generation/);
    return shot;
  });

  await check("Chinese strings when ComfyUI's language is zh", async () => {
    await page.evaluate(async () => {
      const { app } = await import("/scripts/app.js");
      await app.extensionManager.setting.set("Comfy.Locale", "zh");
    });
    await page.reload();
    await openComfyUI(page, server.url);
    await page.locator(TAB).click();
    await page.waitForSelector(`${PANEL} [role=listitem] .ab-row-main`);
    assert.equal(await page.locator(`${PANEL} .ab-search`).getAttribute("placeholder"), "搜索资源目录…");
    assert.match(await status() ?? "", /个资源/);
    const clear = page.locator(`${PANEL} [data-action=clear-all]`);
    if (await clear.isVisible()) {
      const filtered = await status();
      await clear.click();
      await waitStatus(filtered ?? "");
    }
    // Category, kind, source and tag names too, not only the panel's own words.
    const categories = await page.locator(`${PANEL} #ab-category option`).allTextContents();
    assert.ok(categories.some((c) => /^我的资源 \(/.test(c)), categories.join(" | "));
    assert.ok(categories.every((c) => /[\u4e00-\u9fff]/.test(c)), categories.join(" | "));
    const kinds = await page.locator(`${PANEL} #ab-kind option`).allTextContents();
    assert.ok(kinds.includes("全部类型") && kinds.some((k) => /^节点包 \(/.test(k)), kinds.join(" | "));
    assert.match(await page.locator(`${PANEL} .ab-row-where`).first().textContent() ?? "", /^[\u4e00-\u9fff]+ · [\u4e00-\u9fff]+$/);
    const before = await status();
    await page.locator(`${PANEL} .ab-search`).fill("video");
    await waitStatus(before ?? "");
    const chip = page.locator(`${PANEL} .ab-tag-facet [data-tag=video]`);
    if (await chip.count() === 0) await page.locator(`${PANEL} [data-action=more-tags]`).click();
    assert.match(await chip.textContent() ?? "", /^视频（\d+）$/);
    await page.locator(`${PANEL} .ab-sources > summary`).click();
    assert.match(await page.locator(`${PANEL} .ab-source-list`).textContent() ?? "", /你自己的条目.*精选列表/);
    assert.equal(await page.locator(`${PANEL} [data-action=close-panel]`).getAttribute("aria-label"), "关闭侧边栏");
    // The node restored with the page was made before the translations came: it says so in zh too.
    for (const box of await page.locator(".awesome-beyond-results:empty").all()) {
      assert.match(await box.getAttribute("data-placeholder") ?? "", /[\u4e00-\u9fff]/);
    }
    await page.locator(`${PANEL} .ab-sources > summary`).click();
    const during = await status();
    await page.locator(`${PANEL} .ab-search`).fill("");
    await waitStatus(during ?? "");
    await shoot(`sidebar-zh-${args.label}.png`);
  });

  await check("no page errors from this pack", async () => {
    const ours = browser.pageErrors.filter((e) => /awesome|ab-/i.test(e));
    assert.deepEqual(ours, []);
    return browser.pageErrors.length ? `frontend's own: ${[...new Set(browser.pageErrors)].join("; ").slice(0, 200)}` : "";
  });
} finally {
  await browser.close();
  await server.stop();
}

const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
