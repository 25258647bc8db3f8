// Headless Chromium for the browser checks: only 127.0.0.1 is reachable.
import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
/** The tab's button: its aria-label is the tooltip, with the shortcut as the built-in tabs show theirs. */
export const TAB_TOOLTIP = "Awesome ComfyUI Beyond (Alt+A)";
export const TAB_BUTTON = `nav.side-tool-bar-container [aria-label="${TAB_TOOLTIP}"]`;

/** @param {{width?: number, height?: number}} [viewport] */
export async function openBrowser(viewport = { width: 1400, height: 900 }) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "awesome-e2e-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    const local = url.hostname === "127.0.0.1" || url.protocol === "data:" || url.protocol === "blob:";
    return local ? route.continue() : route.abort();
  });
  const page = context.pages()[0] ?? await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  return {
    context, page, pageErrors,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Load ComfyUI and wait until the graph and the extensions are ready. */
export async function openComfyUI(page, url) {
  await page.goto(url);
  await page.waitForSelector("#graph-canvas", { state: "visible", timeout: 60_000 });
  await page.waitForFunction((selector) => Boolean(document.querySelector(selector)), TAB_BUTTON, { timeout: 30_000 });
}
