// Renders the example workflows' thumbnails from a real ComfyUI with headless Chromium:
// each example_workflows/<name>.json is loaded, run (so its results show on the nodes),
// fitted into a square and saved beside it as <name>.jpg, the name ComfyUI's template
// browser asks for (/api/workflow_templates/<pack>/<name>.jpg, on 1.27 and 1.58 alike).
//
//   node tests/e2e/browser/thumbnails.mjs [--frontend-root DIR] [--out DIR] [--size PX]
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { findComfyUI, REPO, startComfyUI } from "./comfyui.mjs";
import { openBrowser, openComfyUI } from "./browser.mjs";

const { values: args } = parseArgs({
  options: {
    "frontend-root": { type: "string" },
    out: { type: "string", default: path.join(REPO, "example_workflows") },
    size: { type: "string", default: "640" },
  },
});
const SIZE = Number(args.size);
const EXAMPLES = path.join(REPO, "example_workflows");

const found = findComfyUI();
if ("skip" in found) {
  console.log(`SKIPPED: thumbnails need a ComfyUI: ${found.skip}`);
  process.exit(0);
}
const server = await startComfyUI({
  ...found, frontendRoot: args["frontend-root"],
  settings: { "Comfy.ColorPalette": "dark", "Comfy.Minimap.Visible": false, "Comfy.Graph.CanvasInfo": false },
});
const browser = await openBrowser({ width: 1400, height: 900 });
const { page } = browser;
try {
  await openComfyUI(page, server.url);
  for (const file of fs.readdirSync(EXAMPLES).filter((f) => f.endsWith(".json")).sort()) {
    const workflow = JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), "utf8"));
    await page.evaluate(async (wf) => {
      const { app } = await import("/scripts/app.js");
      await app.loadGraphData(wf);
      await app.queuePrompt(0, 1);
    }, workflow);
    // Every node of this pack shows its result (a link), and every preview its text.
    await page.waitForFunction(() => {
      const ours = [...document.querySelectorAll(".awesome-beyond-results")];
      return ours.length > 0 && ours.every((box) => box.querySelector("a"));
    }, null, { timeout: 60_000 });
    await page.waitForTimeout(1500);
    await page.evaluate(async () => {
      const { app } = await import("/scripts/app.js");
      const toast = /** @type {any} */ (app.extensionManager.toast);
      (toast.dismissAll ?? toast.removeAll)?.call(toast);
    });
    // Fit the nodes into a square in the middle of the canvas: scale and offset of the view.
    const clip = await page.evaluate(async (size) => {
      const { app } = await import("/scripts/app.js");
      const canvas = /** @type {any} */ (app.canvas);
      const nodes = /** @type {any[]} */ (app.graph._nodes ?? app.graph.nodes);
      const title = 30;
      const left = Math.min(...nodes.map((n) => n.pos[0]));
      const top = Math.min(...nodes.map((n) => n.pos[1] - title));
      const right = Math.max(...nodes.map((n) => n.pos[0] + n.size[0]));
      const bottom = Math.max(...nodes.map((n) => n.pos[1] + n.size[1]));
      const margin = 24;
      const scale = Math.min((size - 2 * margin) / (right - left), (size - 2 * margin) / (bottom - top), 1.5);
      const rect = canvas.canvas.getBoundingClientRect();
      const x = Math.round(rect.left + (rect.width - size) / 2);
      const y = Math.round(rect.top + (rect.height - size) / 2);
      const width = (right - left) * scale;
      const height = (bottom - top) * scale;
      canvas.ds.scale = scale;
      // Screen = (graph + offset) * scale, relative to the canvas element.
      canvas.ds.offset[0] = (x - rect.left + (size - width) / 2) / scale - left;
      canvas.ds.offset[1] = (y - rect.top + (size - height) / 2) / scale - top;
      canvas.setDirty(true, true);
      return { x, y, width: size, height: size };
    }, SIZE);
    await page.mouse.move(5, 895);
    await page.waitForTimeout(800);
    const out = path.join(args.out, file.replace(/\.json$/, ".jpg"));
    await page.screenshot({ path: out, type: "jpeg", quality: 82, clip });
    console.log(`${path.relative(REPO, out)}: ${fs.statSync(out).size} bytes`);
  }
} finally {
  await browser.close();
  await server.stop();
}
