// Browser benchmark of the sidebar in a real ComfyUI with headless Chromium: at 6.5k entries
// (the real ComfyUI-Manager database) by default, or at any size with a synthetic one.
// Not a test (nothing here asserts a time); it prints figures for docs/performance.md:
//
//   node tests/e2e/browser/bench_sidebar.mjs [--frontend-root DIR] [--label NAME]
//                                        [--cold N] [--warm N] [--rounds N] [--json FILE]
//                                        [--scale N | --manager-dir DIR] [--min-entries N]
//
// The user directory gets a sources.json that switches on ComfyUI-Manager's node database
// next to the curated list. By default from ../shared/data/comfyui-manager (read locally,
// about 6,450 entries): the DESIGN.md reference workload. With --manager-dir DIR, from the
// Manager files in DIR. With --scale N, from a synthetic database of N entries in the
// Manager's format, written (once, then reused) by `python -m tests.bench.scale_world` into
// the system's temporary folder (or into --manager-dir): see tests/bench/scale_world.py.
// A folder that scale_world wrote (it holds world.json) also raises the pack's cap of 20,000
// entries per Manager file inside the ComfyUI started here (tests/bench/scale_hook).
// At 100,000 entries, one run per frontend (about 3 minutes on a 2-core machine):
//
//   npm run bench:web:scale -- --label 1.27.10
//   npm run bench:web:scale -- --label 1.58.1 --frontend-root <1.58.1 static folder>
//
// (bench:web:scale is this script with --scale 100000 --cold 6 --warm 10 --rounds 2.)
//
// Every time is taken inside the page with performance.now():
//
// (a) opening the tab: from the tab button's click to the first row in the DOM
//     (MutationObserver), and to the next animation frame after it ("painted"). Cold: the
//     first opening after ComfyUI started, so the server loads the catalogue meanwhile
//     (a fresh ComfyUI per sample on the same user directory). The first ever builds the
//     Manager snapshot and the catalogue; the script then waits until the pack has kept
//     the catalogue on disk (cache/catalog.bin), so every later cold sample is a restart
//     that reads it, as every ComfyUI start after the first does. A later sample that
//     finds the file rewritten (the pack's code changed meanwhile) is reported. Note that
//     loading ComfyUI's page already asks for /object_info, whose answer holds the pack's
//     node menus, and those load the catalogue: the tab is clicked 1.5 s after the page is
//     ready, so a cold opening times what is left of the server's start by then.
//     Warm: closing and reopening the tab.
// (b) keystroke to updated list: the search box gets its new value and an input event,
//     as a keystroke gives it; the time runs until the list's DOM changes (status, rows)
//     and then to the next animation frame. One keystroke at a time, 100 ms apart.
// (c) render time: the performance.measure the panel leaves around drawing a new result
//     list when window.__awesomeBeyondPerf is true (web/lib/perf.js).
// Baseline: a bare fetch() of the same /api/awesome/v1/resources query from the page,
// body read as JSON (cache: "no-store", so always a full answer), for each query typed in
// (b). The panel's own requests are also read from the browser's resource timing, so the
// client's share of (b) is known: painted minus its own request.
// The load average is printed at each stage: the machines are shared and noisy.
//
// Only 127.0.0.1 is contacted. Every server and browser started here is stopped.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { findComfyUI, MANAGER_DB, PACK_FOLDER, REPO, startComfyUI } from "./comfyui.mjs";
import { openBrowser, openComfyUI, TAB_BUTTON } from "./browser.mjs";

const { values: args } = parseArgs({
  options: {
    "frontend-root": { type: "string" },
    label: { type: "string", default: "default" },
    cold: { type: "string", default: "11" },
    warm: { type: "string", default: "12" },
    rounds: { type: "string", default: "2" },
    json: { type: "string" },
    scale: { type: "string" },
    "manager-dir": { type: "string" },
    "min-entries": { type: "string" },
  },
});
const TAB = TAB_BUTTON;
const PANEL = ".awesome-beyond-panel";
const RENDER_MEASURE = "awesome-beyond:render"; // web/lib/panel.js
const PAGE_SIZE = 100; // web/lib/panel.js
// Typed one key at a time: each word, then backspaces back to the empty box.
const WORDS = ["video", "upscale", "flux lora", "controlnet"];
const KEY_GAP_MS = 100;

/** Every value the search box has while the words are typed and erased. */
function keystrokes() {
  const values = [];
  for (const word of WORDS) {
    for (let i = 1; i <= word.length; i += 1) values.push(word.slice(0, i));
    for (let i = word.length - 1; i >= 0; i -= 1) values.push(word.slice(0, i));
  }
  return values;
}

/** The query string the panel sends for a search box value (state.js buildQuery, first page). */
function firstPageQuery(value) {
  const params = new URLSearchParams();
  if (value.trim()) params.set("q", value.trim());
  params.set("sort", "relevance");
  params.set("offset", "0");
  params.set("limit", String(PAGE_SIZE));
  params.set("facets", "1");
  return params.toString();
}

/** @param {number[]} values */
function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return {
    n: sorted.length, median: at(0.5), p95: at(0.95), min: sorted[0], max: sorted.at(-1),
  };
}

const fmt = (x) => (x === undefined ? "-" : x < 10 ? x.toFixed(2) : x.toFixed(1));
/** @param {string} name @param {number[]} values */
function line(name, values) {
  const s = stats(values);
  return `${name.padEnd(58)} n=${String(s.n).padStart(3)}  median ${fmt(s.median).padStart(7)} ms  p95 ${fmt(s.p95).padStart(7)} ms`
    + `  (min ${fmt(s.min)}, max ${fmt(s.max)})`;
}

const found = findComfyUI();
if ("skip" in found) {
  console.log(`SKIPPED: the browser benchmark needs a ComfyUI: ${found.skip}`);
  process.exit(0);
}

const loadAverage = () => os.loadavg().map((x) => x.toFixed(2)).join(" ");
const KEEP_TIMEOUT_MS = 300_000; // for cache/catalog.bin after the first answer (about 10 s at 100k)

/**
 * The Manager folder to read, the variables for ComfyUI, and the least number of entries
 * the catalogue must then hold. A synthetic folder (world.json) gets the pack's
 * per-file cap raised to its size (tests/bench/scale_world.py, comfyui_env()).
 */
function workload() {
  let folder = args["manager-dir"] ? path.resolve(args["manager-dir"]) : MANAGER_DB;
  if (args.scale) {
    folder = args["manager-dir"] ? folder : path.join(os.tmpdir(), `awesome-scale-world-${Number(args.scale)}`);
    console.log(`writing or checking a synthetic Manager database of ${args.scale} entries in ${folder}`);
    const made = spawnSync(found.python, ["-m", "tests.bench.scale_world", "--size", String(Number(args.scale)), "--out", folder],
      { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (made.status !== 0) throw new Error(`tests.bench.scale_world failed (exit ${made.status})`);
  }
  const described = path.join(folder, "world.json");
  /** @type {Record<string, string>} */
  let env = {};
  let size = 6000;
  if (fs.existsSync(described)) {
    size = JSON.parse(fs.readFileSync(described, "utf8")).size;
    const pythonPath = [path.join(REPO, "tests", "bench", "scale_hook"), process.env.PYTHONPATH].filter(Boolean);
    env = { PYTHONPATH: pythonPath.join(path.delimiter), AWESOME_BENCH_MAX_ENTRIES: String(size) };
  }
  return { folder, env, minEntries: args["min-entries"] ? Number(args["min-entries"]) : size };
}

/** The pack's Python code as it is now: the kept catalogue is only read back by the same code. */
function codeFingerprint() {
  const hash = createHash("sha256");
  const files = fs.readdirSync(path.join(REPO, "nodes"), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".py")).sort();
  for (const name of files) hash.update(`${name}\0`).update(fs.readFileSync(path.join(REPO, "nodes", name)));
  return hash.digest("hex").slice(0, 16);
}

/** When the kept catalogue file was last written, or null. */
function keptTime(userDir) {
  try {
    return fs.statSync(path.join(userDir, PACK_FOLDER, "cache", "catalog.bin")).mtimeMs;
  } catch {
    return null;
  }
}

/** Wait until the pack has kept the catalogue it built (written after its first answer). */
async function waitForKept(server) {
  const started = Date.now();
  // ComfyUI's own start may log some (its optional nodes); a new one is the pack's background work failing.
  const tracebacks = () => server.log().split("Traceback (most recent call").length;
  const before = tracebacks();
  while (keptTime(server.userDir) === null) {
    if (tracebacks() > before) {
      throw new Error(`the pack failed while keeping its catalogue:\n${server.log().slice(-3000)}`);
    }
    if (Date.now() - started > KEEP_TIMEOUT_MS) throw new Error("the catalogue was not kept on disk (cache/catalog.bin)");
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 2000)); // the background work ends with the write
  return Date.now() - started;
}

/** In the page: click the tab and time the first row's appearance and the frame after it. */
async function timeOpening(page) {
  await page.evaluate(([tab, panel]) => {
    const w = /** @type {any} */ (window);
    w.__abOpen = null;
    document.querySelector(tab)?.addEventListener("click", () => {
      const t0 = performance.now();
      const seen = new MutationObserver(() => {
        if (!document.querySelector(`${panel} [role=listitem] .ab-row-main`)) return;
        seen.disconnect();
        const dom = performance.now() - t0;
        requestAnimationFrame(() => { w.__abOpen = { dom, painted: performance.now() - t0 }; });
      });
      seen.observe(document.body, { childList: true, subtree: true });
    }, { once: true, capture: true });
  }, [TAB, PANEL]);
  await page.locator(TAB).click();
  // The first opening ever builds the catalogue: tens of seconds at 100k entries.
  await page.waitForFunction(() => /** @type {any} */ (window).__abOpen !== null, null, { timeout: 300_000 });
  const timing = await page.evaluate(() => /** @type {any} */ (window).__abOpen);
  // How long the panel's own first search took on the wire (server included).
  const request = await page.evaluate(() => {
    const entries = performance.getEntriesByType("resource")
      .filter((e) => e.name.includes("/awesome/v1/resources?") && e.name.includes("facets=1"));
    const last = /** @type {PerformanceResourceTiming | undefined} */ (entries.at(-1));
    return last ? last.responseEnd - last.startTime : null;
  });
  return { ...timing, request };
}

async function closeTab(page) {
  await page.locator(TAB).click();
  await page.waitForSelector(PANEL, { state: "detached" });
}

/** In the page: type each value as a keystroke would and time the list's update. */
async function typeAll(page, values) {
  return page.evaluate(async ([panelSel, list, queries, gap, measure]) => {
    const panel = /** @type {HTMLElement} */ (document.querySelector(panelSel));
    const input = /** @type {HTMLInputElement} */ (panel.querySelector(".ab-search"));
    const status = () => panel.querySelector(".ab-count")?.textContent ?? "";
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    performance.clearMeasures(measure);
    const out = [];
    let previous = input.value.trim();
    for (const [index, value] of list.entries()) {
      if (value.trim() === previous) {
        // "flux" → "flux ": the same search, so nothing is asked and nothing changes.
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        out.push({ value, same: true });
        await sleep(gap);
        continue;
      }
      previous = value.trim();
      const sample = await new Promise((resolve) => {
        let t0 = 0;
        let done = false;
        const timer = setTimeout(() => { done = true; observer.disconnect(); resolve({ value, timeout: true }); }, 5000);
        const observer = new MutationObserver(() => {
          if (done) return;
          done = true;
          observer.disconnect();
          const dom = performance.now() - t0;
          requestAnimationFrame(() => {
            clearTimeout(timer);
            resolve({ value, dom, painted: performance.now() - t0, status: status(), start: t0, query: queries[index] });
          });
        });
        // Rows, the count and the empty/error message: what a new result changes.
        observer.observe(panel, { childList: true, subtree: true, characterData: true });
        input.value = value;
        t0 = performance.now();
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
      out.push(sample);
      await sleep(gap);
    }
    const renders = performance.getEntriesByName(measure).map((e) => e.duration);
    // The panel's own request for each keystroke, from the browser's resource timing.
    const requests = /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType("resource"));
    for (const sample of out) {
      if (!sample.query) continue;
      const own = requests.find((e) => e.startTime >= sample.start - 1 && e.name.endsWith(`/awesome/v1/resources?${sample.query}`));
      sample.request = own ? own.responseEnd - own.startTime : null;
    }
    return { samples: out, renders };
  }, [PANEL, values, values.map(firstPageQuery), KEY_GAP_MS, RENDER_MEASURE]);
}

/** In the page: a bare fetch of each query, body read as JSON. */
async function fetchAll(page, values) {
  return page.evaluate(async ([queries, gap]) => {
    const out = [];
    for (const query of queries) {
      const t0 = performance.now();
      // no-store: a full answer every time, never a 304 revalidation of what the panel just fetched
      const res = await fetch(`/api/awesome/v1/resources?${query}`, { cache: "no-store" });
      const body = await res.json();
      out.push({ ms: performance.now() - t0, total: body.total, bytes: JSON.stringify(body).length });
      await new Promise((r) => setTimeout(r, gap));
    }
    return out;
  }, [values.map(firstPageQuery), KEY_GAP_MS]);
}

const coldRuns = Number(args.cold);
const warmRuns = Number(args.warm);
const rounds = Number(args.rounds);
const work = workload();
const sources = { manager: { enabled: true, folder: work.folder } };
const results = {
  label: args.label, frontend: "?", manager: work.folder, entries: 0, loads: [`start ${loadAverage()}`],
  cold: [], warm: [], keys: [], renders: [], fetches: [], mismatches: 0, keptAfterMs: null, code: codeFingerprint(),
};
const browser = await openBrowser();
/** @type {Awaited<ReturnType<typeof startComfyUI>> | null} */
let server = null;
let userDir = "";
try {
  const { page } = browser;
  page.setDefaultTimeout(30_000);
  for (let run = 0; run < coldRuns; run += 1) {
    const keptBefore = userDir ? keptTime(userDir) : null;
    server = await startComfyUI({
      ...found, frontendRoot: args["frontend-root"], sources, keepUserDir: true, ...(userDir ? { userDir } : {}),
      env: work.env,
    });
    userDir = server.userDir;
    await openComfyUI(page, server.url);
    await page.evaluate(() => {
      /** @type {any} */ (window).__awesomeBeyondPerf = true;
      performance.setResourceTimingBufferSize(10_000);
    });
    await page.waitForTimeout(1500); // let the frontend finish its own start-up work
    const timing = await timeOpening(page);
    if (run === 0) {
      results.keptAfterMs = await waitForKept(server);
      console.log(`the catalogue was kept on disk ${fmt(results.keptAfterMs)} ms after the first opening`);
    }
    // A restart that finds the file written by other code (the pack changed) rebuilds and rewrites it.
    let rebuilt = false;
    if (run > 0) {
      await new Promise((r) => setTimeout(r, 1000));
      rebuilt = keptBefore === null || keptTime(userDir) !== keptBefore || codeFingerprint() !== results.code;
    }
    results.cold.push({ ...timing, first: run === 0, rebuilt });
    console.log(`cold ${run + 1}/${coldRuns}: first row ${fmt(timing.dom)} ms, painted ${fmt(timing.painted)} ms`
      + ` (its request ${fmt(timing.request ?? undefined)} ms)${run === 0 ? " [first ever: builds the Manager snapshot and the catalogue]" : ""}`
      + `${rebuilt ? " [REBUILT: the kept catalogue was not used]" : ""}; load ${loadAverage()}`);
    if (run < coldRuns - 1) {
      await server.stop();
      server = null;
    }
  }
  results.frontend = await page.evaluate(() => /** @type {any} */ (window).__COMFYUI_FRONTEND_VERSION__ ?? "?");
  const total = await page.evaluate(async () => (await (await fetch("/awesome/v1/resources?limit=1&facets=0")).json()).total);
  results.entries = total;
  console.log(`frontend ${results.frontend}, ${total} entries in the catalogue (Manager folder ${work.folder})`);
  if (total < work.minEntries) throw new Error(`only ${total} entries: the Manager source did not load`);
  results.loads.push(`after cold ${loadAverage()}`);

  await page.waitForSelector(`${PANEL} [role=listitem] .ab-row-main`);
  for (let run = 0; run < warmRuns; run += 1) {
    await closeTab(page);
    await page.waitForTimeout(300);
    results.warm.push(await timeOpening(page));
  }

  const values = keystrokes();
  const search = page.locator(`${PANEL} .ab-search`);
  await search.fill("");
  await page.waitForTimeout(500);
  for (let round = 0; round < rounds; round += 1) {
    const typed = await typeAll(page, values);
    results.keys.push(...typed.samples);
    results.renders.push(...typed.renders);
    const fetched = await fetchAll(page, values);
    results.fetches.push(...fetched);
    results.loads.push(`round ${round + 1} ${loadAverage()}`);
    // The list must show what the server answers for the same query.
    typed.samples.forEach((sample, i) => {
      if (sample.same) return;
      const count = Number(String(sample.status ?? "").replace(/[^\d]/g, ""));
      if (sample.timeout || count !== fetched[i].total) results.mismatches += 1;
    });
  }
} finally {
  await browser.close();
  if (server) await server.stop();
  if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
}

const cold = results.cold;
const timedOut = results.keys.filter((k) => k.timeout).length;
const keys = results.keys.filter((k) => !k.timeout && !k.same);
const measuredFetches = results.fetches.filter((_, i) => !results.keys[i].same);
console.log(`\nSidebar in Chromium, frontend ${results.frontend} (${args.label}), ${results.entries} entries`);
console.log(`load average: ${results.loads.join("; ")}; end ${loadAverage()}`);
if (codeFingerprint() !== results.code) console.log("WARNING: the pack's code (nodes/**/*.py) changed during the run");
console.log(line("(a) cold open: click → first row in the DOM", cold.map((c) => c.dom)));
console.log(line("(a) cold open: click → first row painted (next frame)", cold.map((c) => c.painted)));
console.log(line("    of which the panel's first search request", cold.map((c) => c.request).filter((x) => x !== null)));
console.log(`    first ever (nothing kept yet): ${fmt(cold[0]?.painted)} ms painted;`
  + ` catalogue kept on disk ${fmt(results.keptAfterMs ?? undefined)} ms after`);
const restarts = cold.filter((c) => !c.first && !c.rebuilt);
console.log(line("(a) cold open after a restart, catalogue kept: first row painted", restarts.map((c) => c.painted)));
console.log(line("    of which the panel's first search request", restarts.map((c) => c.request).filter((x) => x !== null)));
if (cold.some((c) => c.rebuilt)) console.log(`WARNING: ${cold.filter((c) => c.rebuilt).length} restart(s) rebuilt the catalogue`);
console.log(line("(a) warm open (reopen): click → first row in the DOM", results.warm.map((c) => c.dom)));
console.log(line("(a) warm open (reopen): click → first row painted", results.warm.map((c) => c.painted)));
console.log(line("(b) keystroke → list DOM updated", keys.map((k) => k.dom)));
console.log(line("(b) keystroke → list updated and painted (next frame)", keys.map((k) => k.painted)));
console.log(line("    of which the panel's own request (resource timing)", keys.map((k) => k.request).filter((x) => typeof x === "number")));
console.log(line("    the rest: painted − own request (client side)",
  keys.filter((k) => typeof k.request === "number").map((k) => k.painted - k.request)));
console.log(line("(c) render of a new result list (performance.measure)", results.renders));
console.log(line("baseline: bare fetch() of the same queries, JSON read", measuredFetches.map((f) => f.ms)));
const bytes = stats(results.fetches.map((f) => f.bytes));
console.log(`    answer size: median ${Math.round(bytes.median / 1024)} KiB, max ${Math.round(bytes.max / 1024)} KiB`
  + ` (first page of ${PAGE_SIZE} items with facets)`);
console.log(`keystrokes: ${results.keys.length}, of which ${keys.length} changed the search and were timed;`
  + ` timed out: ${timedOut}; list count differing from the server's: ${results.mismatches}`);
const slowest = [...keys].sort((a, b) => b.painted - a.painted).slice(0, 5)
  .map((k) => `"${k.value}" ${fmt(k.painted)} ms (request ${fmt(k.request ?? undefined)} ms)`);
console.log(`slowest keystrokes: ${slowest.join(", ")}`);
if (args.json) fs.writeFileSync(args.json, JSON.stringify(results, null, 1));
