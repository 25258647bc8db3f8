// Another site tries to change the pack's state through a real Chromium (issue 9, part 3).
//
//   node tests/e2e/browser/cross_site.mjs --page http://127.0.0.1:PORT/attack.html?target=...
//
// The page (served by tests/e2e/test_cross_site_browser.py on another port than ComfyUI's)
// sends every request a page can send without a CORS preflight: fetch() in no-cors mode
// with a text/plain, form and multipart body and with none, and HTML form posts of the
// three encodings, to the refresh and user-entry routes under both /awesome/v1 and
// /api/awesome/v1. It does so itself (Origin http://127.0.0.1:PORT) and from a sandboxed
// iframe (Origin: null, which ComfyUI's origin check lets through). It prints one line,
// "RESULT {...}", with how many requests each frame sent; the Python test checks that
// nothing changed on the server.
import { parseArgs } from "node:util";
import { openBrowser } from "./browser.mjs";

const { values: args } = parseArgs({ options: { page: { type: "string" } } });
if (!args.page) throw new Error("--page URL is required");

const browser = await openBrowser();
try {
  const requests = [];
  browser.page.on("request", (request) => {
    if (request.url().includes("/awesome/v1/")) {
      requests.push({ method: request.method(), url: request.url() });
    }
  });
  await browser.page.goto(args.page);
  await browser.page.waitForFunction(() => window.__result, null, { timeout: 120_000 });
  const result = await browser.page.evaluate(() => window.__result);
  console.log(`RESULT ${JSON.stringify({ ...result, seen: requests.length, pageErrors: browser.pageErrors })}`);
} finally {
  await browser.close();
}
