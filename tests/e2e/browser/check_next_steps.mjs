// Browser check of two first-hour points of issue 13 in a real ComfyUI, with screenshots:
// - an empty result offers the next steps with what each would add (the search without its
//   filters; ComfyUI-Manager's database, switched on through the Sources flow), and they work;
// - the sort menu is honest: a sort none of the results has data for is disabled with the
//   reason as its title; one with data for only some says so in the list header.
// Usage: node tests/e2e/browser/check_next_steps.mjs [--frontend-root DIR] [--label NAME]
//                                                  [--screenshots DIR] [--width W --height H]
// The Manager's database is read from shared/ (nothing is downloaded); the Comfy Registry
// stays off and empty. The sort menu is drawn as a list box for its picture (a headless
// browser draws no drop-down).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { openBrowser, openComfyUI, TAB_BUTTON } from "./browser.mjs";
import { MANAGER_DB, REPO, findComfyUI, startComfyUI } from "./comfyui.mjs";

const { values: args } = parseArgs({
  options: {
    "frontend-root": { type: "string" },
    label: { type: "string", default: "default" },
    screenshots: { type: "string", default: path.join(REPO, "docs", "img") },
    width: { type: "string", default: "1400" },
    height: { type: "string", default: "900" },
    locale: { type: "string", default: "en" },
  },
});
const PANEL = ".awesome-beyond-panel";
const zh = args.locale === "zh";

const found = findComfyUI();
if ("skip" in found) {
  console.log(`SKIPPED: browser checks need a ComfyUI: ${found.skip}`);
  process.exit(0);
}
const server = await startComfyUI({
  ...found, frontendRoot: args["frontend-root"],
  sources: { manager: { enabled: false, folder: MANAGER_DB } },
  settings: zh ? { "Comfy.Locale": "zh" } : {},
});
const browser = await openBrowser({ width: Number(args.width), height: Number(args.height) });
const { page } = browser;
let failed = 0;
/** @param {string} name @param {() => Promise<unknown>} fn */
async function check(name, fn) {
  try {
    const said = await fn();
    console.log(`ok   ${name}${said ? `: ${said}` : ""}`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${name}\n     ${String(/** @type {Error} */ (error).stack ?? error).split("\n").slice(0, 6).join("\n     ")}`);
  }
}
const shoot = async (/** @type {string} */ name) => {
  fs.mkdirSync(args.screenshots, { recursive: true });
  const file = path.join(args.screenshots, name);
  await page.mouse.move(5, Number(args.height) - 5); // no hover effects in the picture
  await page.waitForTimeout(300);
  await page.screenshot({ path: file });
  return path.relative(REPO, file);
};
const text = (/** @type {string} */ selector) => page.locator(`${PANEL} ${selector}`).first().textContent();
const waitFor = (/** @type {string} */ selector, /** @type {RegExp} */ pattern, timeout = 15_000) => page.waitForFunction(
  ([sel, source]) => new RegExp(source).test(document.querySelector(sel)?.textContent ?? ""),
  [`${PANEL} ${selector}`, pattern.source], { timeout });
/** Let the panel's answer arrive. */
const answered = async () => {
  await page.waitForFunction(() => !document.querySelector(".awesome-beyond-panel .ab-progress:not([hidden])"));
  await page.waitForTimeout(400);
};
/** Choose a kind with the search empty (a kind the text's matches lack is not offered, as
 * a user meets it: filter first, then type), then set the search text. */
async function searchFor(/** @type {string} */ q, kind = "") {
  await page.locator(`${PANEL} .ab-search`).fill("");
  await answered();
  if (kind) await page.waitForSelector(`${PANEL} #ab-kind option[value="${kind}"]`, { state: "attached" });
  await page.locator(`${PANEL} #ab-kind`).selectOption(kind);
  await answered();
  await page.locator(`${PANEL} .ab-search`).fill(q);
  await answered();
}
const dismissToasts = () => page.evaluate(async () => {
  const { app } = await import("/scripts/app.js");
  const toast = /** @type {any} */ (app.extensionManager.toast);
  (toast.dismissAll ?? toast.removeAll)?.call(toast);
});
const source = (/** @type {string} */ name) => page.evaluate(async (n) => (await (await fetch("/awesome/v1/sources")).json()).states[n], name);

page.setDefaultTimeout(15_000);
try {
  await openComfyUI(page, server.url);
  const version = await page.evaluate(() => /** @type {any} */ (window).__COMFYUI_FRONTEND_VERSION__ ?? "?");
  const label = args.label === "default" ? version : args.label;
  console.log(`frontend ${version}, ComfyUI at ${server.url}`);

  await check("the Manager's database, read once and switched off, leaves its snapshot", async () => {
    const put = (/** @type {boolean} */ enabled) => page.evaluate(async (on) => (await fetch("/awesome/v1/sources/manager", {
      method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ enabled: on }) })).status, enabled);
    assert.equal(await put(true), 200);
    assert.equal((await source("manager")).state, "on");
    assert.equal(await put(false), 200);
    return `off again: ${JSON.stringify(await source("manager"))}`;
  });

  await page.locator(TAB_BUTTON).click();
  await page.waitForSelector(`${PANEL} [role=listitem] .ab-row-main`);

  await check("an owner/repo the curated list lacks: the Manager's database is offered with its matches", async () => {
    await searchFor("ltdrdata/ComfyUI-Inspire-Pack");
    await page.waitForSelector(`${PANEL} .ab-empty`);
    // The first answer counts the entries; the panel asks again once the server has indexed them.
    const matching = zh ? /个匹配/ : /new entr(y|ies) match/;
    await waitFor(".ab-source-offer[data-source=manager]", matching);
    const offers = (await page.locator(`${PANEL} .ab-empty button`).allTextContents()).map((o) => o.trim());
    assert.equal(offers.length, 3, offers.join(" | "));
    assert.equal(offers[0], zh ? "清除搜索" : "Clear the search");
    assert.match(offers[1], zh ? /^启用 ComfyUI-Manager 数据库 — 新增的 [\d,]+ 个条目中有 [\d,]+ 个匹配$/
      : /^Switch on ComfyUI-Manager's database — [\d,]+ of its [\d,]+ new entries match(es)?$/);
    assert.equal(offers[2], zh ? "下载 Comfy Registry 列表并启用" : "Download the Comfy Registry's list and switch it on");
    return `${offers.map((o) => o.trim()).join(" | ")}; ${await shoot(`empty-next-steps-${label}.png`)}`;
  });

  await check("with a filter: the search without it, with its count", async () => {
    await searchFor("upscale", "workflow");
    await page.waitForSelector(`${PANEL} .ab-empty [data-action=clear-filters]`);
    const button = await text(".ab-empty [data-action=clear-filters]");
    assert.match(button ?? "", zh ? /^不用筛选搜索 — \d+ 个结果$/ : /^Search without filters — \d+ results?$/);
    const shot = await shoot(`empty-without-filters-${label}.png`);
    const promised = Number((button ?? "").replace(/[^\d]/g, ""));
    await page.locator(`${PANEL} .ab-empty [data-action=clear-filters]`).click();
    await waitFor(".ab-count", new RegExp(`^${promised} `));
    return `${button} → ${await text(".ab-count")}; ${shot}`;
  });

  await check("switching the Manager's database on from the empty result finds what it promised", async () => {
    await searchFor("ltdrdata/ComfyUI-Inspire-Pack");
    await waitFor(".ab-source-offer[data-source=manager]", /\d/);
    const offer = await text(".ab-source-offer[data-source=manager]") ?? "";
    const matches = Number((zh ? /有 ([\d,]+) 个匹配/ : /— ([\d,]+) of/).exec(offer)?.[1].replace(/,/g, ""));
    await page.locator(`${PANEL} .ab-source-offer[data-source=manager]`).click();
    await page.waitForSelector(`${PANEL} [role=listitem] .ab-row-main`, { timeout: 60_000 });
    await waitFor(".ab-count", /\d/);
    const count = Number((await text(".ab-count") ?? "").replace(/[^\d]/g, ""));
    assert.equal(count, matches, `${offer} → ${await text(".ab-count")}`);
    assert.equal((await source("manager")).state, "on");
    const setting = await page.evaluate(async () => {
      const { app } = await import("/scripts/app.js");
      return app.extensionManager.setting.get("awesomecomfyuibeyond.Sources.Manager");
    });
    assert.equal(setting, true, "ComfyUI's setting follows the switch");
    return `${offer} → ${await text(".ab-count")}; ${await shoot(`empty-switched-on-${label}.png`)}`;
  });

  await check("the sort menu: no data disables a sort, with why; partial data is said in the list header", async () => {
    await dismissToasts();
    await searchFor("video");
    const sort = page.locator(`${PANEL} #ab-sort`);
    await sort.selectOption("stars");
    await waitFor(".ab-sort-note", zh ? /其余按名称排列/ : /have stars; the rest follow by name/);
    const downloads = sort.locator("option[value=downloads]");
    assert.equal(await downloads.isDisabled(), true, "the Registry is off: no result has a download count");
    const reason = await downloads.getAttribute("title");
    assert.match(reason ?? "", zh ? /都没有下载量/ : /^None of these [\d,]+ results has a download count$/);
    const note = await text(".ab-sort-note");
    // A headless browser draws no drop-down: show the options as a list box for the picture.
    await sort.evaluate((el) => { el.setAttribute("size", String(el.options.length)); el.style.height = "auto"; });
    const shot = await shoot(`sort-menu-${label}.png`);
    await sort.evaluate((el) => { el.removeAttribute("size"); el.style.height = ""; });
    return `${note}; downloads: ${reason}; ${shot}`;
  });
} finally {
  await browser.close();
  await server.stop();
}
console.log(failed ? `${failed} check(s) failed` : "all checks passed");
process.exit(failed ? 1 : 0);
