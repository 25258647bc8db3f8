// End-to-end check of the sidebar acting through a real ComfyUI-Manager, in a real ComfyUI with
// headless Chromium. Run by tests/e2e/test_manager_browser.py, which builds the world (the probe
// pack in a git repository and a model, served on 127.0.0.1; the Manager's config and cache)
// and keeps it served meanwhile:
//
//   node tests/e2e/browser/check_manager.mjs --world WORLD.json [--frontend-root DIR] [--label NAME]
//                                           [--screenshots DIR]
//
// The story, as a user lives it: a workflow needs a node type this ComfyUI does not know, and
// "This workflow" names the pack that provides it; the pack is found by name and installed from
// its details (confirm, progress, toast, restart prompt), its model downloaded; ComfyUI restarts
// through the sidebar and the pack shows installed and loads; disabled in the Manager, it is
// enabled again from the sidebar. Only 127.0.0.1 is contacted.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { findComfyUI, startComfyUI } from "./comfyui.mjs";
import { openBrowser, openComfyUI, TAB_BUTTON } from "./browser.mjs";

const { values: args } = parseArgs({
  options: {
    world: { type: "string" },
    "frontend-root": { type: "string" },
    label: { type: "string", default: "default" },
    screenshots: { type: "string", default: os.tmpdir() },
  },
});
if (!args.world) throw new Error("--world WORLD.json is required (see tests/e2e/test_manager_browser.py)");
/** @type {{user_dir: string, nodes_dir: string, installed: string, disabled: string, model_path: string, db_dir: string,
 *   whitelist: string[], extra_args: string[], env: Record<string, string>, system_user_api: boolean,
 *   probe: {name: string, node_type: string, title: string, reference: string, git_url: string, model_name: string,
 *     model_reference: string, model_filename: string, model_url: string}}} */
const world = JSON.parse(fs.readFileSync(args.world, "utf8"));
const { probe } = world;
const PANEL = ".awesome-beyond-panel";

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
    const shot = path.join(args.screenshots, `manager-failure-${args.label}-${results.length}.png`);
    await page.screenshot({ path: shot }).catch(() => {});
    console.log(`     (screenshot of the failure: ${shot})`);
    console.log(`FAIL ${name}: ${error instanceof Error ? error.message.split("\n").slice(0, 10).join("\n     ") : error}`);
  }
}

const found = findComfyUI();
if ("skip" in found) {
  console.log(`SKIPPED: browser checks need a ComfyUI: ${found.skip}`);
  process.exit(0);
}
const server = await startComfyUI({
  ...found, frontendRoot: args["frontend-root"], userDir: world.user_dir,
  whitelist: world.whitelist, extraArgs: world.extra_args, env: world.env,
  sources: { manager: { enabled: true, folder: world.db_dir } },
});
const browser = await openBrowser();
const { page } = browser;
/** Every POST the page sends to the Manager: route and body. */
const managerPosts = [];
page.on("request", (request) => {
  const url = new URL(request.url());
  if (request.method() === "POST" && /^\/(api\/)?(manager|customnode)\//.test(url.pathname)) {
    let body = null;
    try { body = JSON.parse(request.postData() ?? "null"); } catch { body = request.postData(); }
    managerPosts.push({ route: url.pathname.replace(/^\/api/, ""), body });
  }
});

const search = () => page.getByRole("searchbox", { name: "Search the catalogue" });
const row = (/** @type {string} */ title) => page.locator(`${PANEL} [role=listitem]`).filter({ hasText: title });
const details = () => page.locator(`${PANEL} .ab-details`);
const confirmBox = () => page.locator(`${PANEL} .ab-confirm[role=alertdialog]`);
const onDisk = (/** @type {string} */ file) => fs.existsSync(file);
const waitFor = async (/** @type {() => boolean} */ test, /** @type {string} */ what, ms = 60_000) => {
  const until = Date.now() + ms;
  while (!test()) {
    if (Date.now() > until) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
};
const dismissToasts = () => page.evaluate(async () => {
  const { app } = await import("/scripts/app.js");
  const toast = /** @type {any} */ (app.extensionManager.toast);
  (toast.dismissAll ?? toast.removeAll)?.call(toast);
});

/** Open the tab (if closed) and wait for its list (covered by the details, if open). */
async function openTab() {
  if (await page.locator(PANEL).count() === 0) await page.locator(TAB_BUTTON).click();
  await page.waitForSelector(`${PANEL} [role=listitem] .ab-row-main`, { state: "attached", timeout: 30_000 });
}

/** Search for a title and open its details. */
async function openDetails(/** @type {string} */ title) {
  await openTab();
  if (await details().count() > 0) {
    await page.locator(`${PANEL} [data-action=close-details]`).click();
    await details().waitFor({ state: "detached" });
  }
  await search().fill(title);
  await row(title).first().locator(".ab-row-main").click();
  await details().waitFor();
  await details().getByText(title).first().waitFor();
}

/**
 * Click a Manager action in the details, check the confirmation and confirm; return its text.
 * @param {"install" | "enable" | "download"} kind
 */
async function confirmAction(kind) {
  await details().locator(`[data-action=manager][data-kind=${kind}]`).click();
  await confirmBox().locator("[data-action=confirm-go]").waitFor({ timeout: 30_000 });
  const text = (await confirmBox().textContent()) ?? "";
  await confirmBox().locator("[data-action=confirm-go]").click();
  await confirmBox().waitFor({ state: "detached" });
  return text;
}

/** The restart prompt the Manager's work leaves in the panel. */
const restartPrompt = () => page.locator(`${PANEL} .ab-manager-restart`);

/** The body the page posted to a Manager route last. @param {string} route */
const lastPost = (route) => [...managerPosts].reverse().find((p) => p.route === route)?.body;

/** Load a one-node workflow whose node type is the probe's (unknown until installed). */
const loadProbeWorkflow = () => page.evaluate(async (type) => {
  const { app } = await import("/scripts/app.js");
  await app.loadGraphData({
    last_node_id: 1, last_link_id: 0, links: [], groups: [], config: {}, extra: {}, version: 0.4,
    nodes: [{ id: 1, type, pos: [200, 200], size: [260, 60], flags: {}, order: 0, mode: 0, inputs: [], outputs: [],
      properties: { "Node name for S&R": type }, widgets_values: [] }],
  });
}, probe.node_type);

page.setDefaultTimeout(15_000);
try {
  await openComfyUI(page, server.url);
  const version = await page.evaluate(() => /** @type {any} */ (window).__COMFYUI_FRONTEND_VERSION__ ?? "?");
  console.log(`frontend ${version}, ComfyUI at ${server.url}, world ${world.nodes_dir}`);

  await check("the Sources section names the ComfyUI-Manager in use", async () => {
    await openTab();
    await page.locator(`${PANEL} .ab-sources > summary`).click();
    const line = page.locator(`${PANEL} .ab-source[data-source=installer]`);
    await page.waitForFunction((sel) => /V3\.\d+/.test(document.querySelector(sel)?.textContent ?? ""),
      `${PANEL} .ab-source[data-source=installer]`, { timeout: 20_000 });
    const text = (await line.textContent()) ?? "";
    await page.locator(`${PANEL} .ab-sources > summary`).click();
    return text.replace(/\s+/g, " ").trim();
  });

  await check('"This workflow" names the pack behind a node type this ComfyUI does not know', async () => {
    await loadProbeWorkflow();
    await page.keyboard.press("Escape"); // a missing-nodes dialog, if the frontend shows one
    await openTab();
    const open = page.locator(`${PANEL} [data-action=workflow]`);
    await page.waitForFunction((sel) => /1 node type/.test(document.querySelector(sel)?.getAttribute("aria-label") ?? ""),
      `${PANEL} [data-action=workflow]`, { timeout: 20_000 });
    await open.click();
    const missing = page.locator(`${PANEL} .ab-workflow .ab-missing[data-type="${probe.node_type}"]`);
    await missing.waitFor({ timeout: 20_000 });
    const provider = missing.locator(".ab-provider").filter({ hasText: probe.title });
    await provider.waitFor({ timeout: 20_000 });
    assert.equal(await provider.locator("[data-action=manager][data-kind=install]").count(), 1, "an Install action beside the pack");
    await page.screenshot({ path: path.join(args.screenshots, `manager-workflow-${args.label}.png`) });
    const shown = (await missing.textContent())?.replace(/\s+/g, " ").trim();
    await page.locator(`${PANEL} [data-action=workflow-close]`).click();
    await missing.waitFor({ state: "detached" });
    return shown;
  });

  await check("Install: confirm (name, source, folder), progress, toast, restart prompt; the folder appears", async () => {
    await openDetails(probe.title);
    await dismissToasts();
    const asked = await confirmAction("install");
    assert.ok(asked.includes(probe.title), `the confirmation names the pack: ${asked}`);
    assert.ok(asked.includes(probe.git_url), `the confirmation shows the source URL: ${asked}`);
    assert.ok(asked.includes(`custom_nodes/${probe.name}`), `the confirmation shows the folder: ${asked}`);
    await restartPrompt().waitFor({ timeout: 60_000 });
    // The toast on screen, by its text: the frontends draw toasts with different components.
    await page.getByText(`${probe.title} is installed`).filter({ visible: true }).first().waitFor({ timeout: 10_000 });
    await waitFor(() => onDisk(path.join(world.installed, "__init__.py")), "the pack folder in custom_nodes");
    const body = lastPost("/manager/queue/install");
    assert.ok(body, `the page posted /manager/queue/install (${JSON.stringify(managerPosts.map((p) => p.route))})`);
    assert.deepEqual([body.version, body.files, body.channel, body.mode, body.skip_post_install],
      ["unknown", [probe.git_url], "default", "cache", false], JSON.stringify(body));
    assert.ok(typeof body.ui_id === "string" && body.ui_id, JSON.stringify(body));
    assert.ok(managerPosts.some((p) => p.route === "/manager/queue/start"), "the queue was started");
  });

  await check("Download: the destination is shown, the model lands in its models folder", async () => {
    await openDetails(probe.model_name);
    assert.match((await details().textContent()) ?? "", /models\/loras/);
    await dismissToasts();
    const asked = await confirmAction("download");
    assert.ok(asked.includes(probe.model_filename) && asked.includes("models/loras"), asked);
    await waitFor(() => onDisk(world.model_path), "the model file in models/loras");
    const body = lastPost("/manager/queue/install_model");
    assert.deepEqual([body?.filename, body?.url, body?.save_path, body?.type], [probe.model_filename, probe.model_url, "default", "lora"],
      JSON.stringify(body));
    return `${fs.statSync(world.model_path).size} bytes in ${path.dirname(world.model_path)}`;
  });

  await check("Restart from the sidebar; after it the pack shows installed and its node loads", async () => {
    await restartPrompt().locator("[data-action=manager-restart]").click();
    await confirmBox().locator("[data-action=confirm-go]").click();
    await server.restarted();
    assert.ok(managerPosts.some((p) => p.route === "/manager/reboot"), "the restart went through the Manager");
    await page.reload();
    await openComfyUI(page, server.url);
    await openDetails(probe.title);
    await details().locator(".ab-installed").first().waitFor();
    assert.equal(await details().locator(".ab-disabled").count(), 0);
    const info = await page.evaluate(async (type) => (await fetch(`/object_info/${type}`)).json(), probe.node_type);
    assert.equal(info[probe.node_type]?.python_module, `custom_nodes.${probe.name}`, JSON.stringify(info));
  });

  await check("Enable: a pack disabled in the Manager shows disabled; Enable brings it back", async () => {
    // Disabled the Manager's way, as its own dialog would (the sidebar offers no Disable).
    const disabled = await page.evaluate(async ({ name, url }) => {
      const post = (route, body) => fetch(route, { method: "POST", headers: { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body) });
      await fetch("/customnode/getlist?mode=cache&skip_update=true"); // the Manager rescans custom_nodes
      await post("/manager/queue/reset");
      const queued = await post("/manager/queue/disable", { id: name, version: "unknown", files: [url], ui_id: "e2e-disable" });
      await post("/manager/queue/start");
      for (let i = 0; i < 100; i += 1) {
        const status = await (await fetch("/manager/queue/status")).json();
        if (!status.is_processing) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      return queued.status;
    }, { name: probe.name, url: probe.git_url });
    assert.equal(disabled, 200);
    await waitFor(() => onDisk(world.disabled), "the pack in custom_nodes/.disabled");
    await page.reload(); // the Manager's list changed behind the page's back
    await openComfyUI(page, server.url);
    await openDetails(probe.title);
    await details().locator(".ab-disabled").first().waitFor();
    await dismissToasts();
    const asked = await confirmAction("enable");
    assert.ok(asked.includes(probe.title), asked);
    await restartPrompt().waitFor({ timeout: 60_000 });
    await waitFor(() => onDisk(world.installed) && !onDisk(world.disabled), "the pack back in custom_nodes");
    const body = lastPost("/manager/queue/install");
    assert.equal(body?.skip_post_install, true, JSON.stringify(body));
    await page.screenshot({ path: path.join(args.screenshots, `manager-enabled-${args.label}.png`) });
  });

  await check("no page errors from this pack", async () => {
    const ours = browser.pageErrors.filter((e) => /awesome|ab-/i.test(e));
    assert.deepEqual(ours, []);
  });
} finally {
  await browser.close();
  await server.stop();
}

const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
