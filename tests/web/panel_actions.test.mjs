// The panel's actions: details, the user's own entries, favourites, sources and link checks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Panel } from "../../web/lib/panel.js";
import { ApiError } from "../../web/lib/api.js";
import { initialState } from "../../web/lib/state.js";
import { createStore, initialAppState } from "../../web/lib/store.js";
import { key, settle } from "./helpers/dom.mjs";
import { fakeClient, makeResources } from "./helpers/fake_client.mjs";
import { open, setup } from "./helpers/panel.mjs";

test("favourites: optimistic toggle, toast, revert on failure", async () => {
  const t = setup();
  try {
    await open(t);
    t.$(".ab-star").click();
    assert.equal(t.$(".ab-star").getAttribute("aria-pressed"), "true", "shown at once");
    await settle();
    assert.deepEqual(t.client.calls.at(-1), { favorite: "res-0", on: true });
    assert.deepEqual(t.toasts.at(-1), { severity: "success", summary: "Added Resource 0 video to favourites", detail: undefined });
    t.client.fail = () => new ApiError(500, "disk full");
    t.$(".ab-star").click();
    await settle();
    assert.equal(t.$(".ab-star").getAttribute("aria-pressed"), "true", "put back after the failure");
    assert.deepEqual(t.toasts.at(-1), { severity: "error", summary: "Could not change the favourites", detail: "disk full" });
    t.client.fail = () => null;
    t.$("[data-action=favorites-only]").click();
    await settle();
    assert.equal(t.$(".ab-count").textContent, "1 resource");
    assert.match(t.client.calls.filter((c) => c.query).at(-1).query, /favorites=1/);
  } finally {
    await t.cleanup();
  }
});

test("own entries: the server's problems appear next to the fields", async () => {
  const t = setup();
  try {
    await open(t);
    t.$("[data-action=add]").click();
    const form = t.$("form.ab-form");
    assert.equal(t.dom.document.activeElement, form.querySelector("#ab-f-url"), "the URL comes first");
    form.querySelector("#ab-f-name").value = "Mine";
    form.querySelector("#ab-f-url").value = "ftp://x";
    form.querySelector("#ab-f-tags").value = "Video, video , upscaling，x";
    t.client.fail = () => new ApiError(400, "the entry is not valid", { problems: [
      { file: "request", line: null, field: "url", message: "scheme 'ftp' is not allowed; use http or https" },
      { file: "request", line: null, field: "id", message: "is already used" },
    ] });
    form.requestSubmit();
    await settle();
    assert.deepEqual(t.client.calls.at(-1).add, { name: "Mine", url: "ftp://x", kind: "node-pack", category: "mine",
      tags: ["video", "upscaling", "x"] });
    assert.equal(form.querySelector("#ab-e-url").textContent, "scheme 'ftp' is not allowed; use http or https");
    assert.equal(form.querySelector("#ab-f-url").getAttribute("aria-invalid"), "true");
    assert.match(form.querySelector(".ab-form-error").textContent, /fix the marked fields\. id: is already used/);
    t.client.fail = () => null;
    form.querySelector("#ab-f-url").value = "https://example.org/mine";
    form.requestSubmit();
    await settle();
    assert.equal(form.querySelector("#ab-e-url").textContent, "");
    assert.equal(t.$(".ab-details h3").textContent, "Mine");
    assert.deepEqual(t.toasts.map((x) => x.summary), ["Saved Mine"], "a refusal is on the form, not in a toast");
    assert.equal(t.dom.document.activeElement, t.$("[data-action=close-details]"), "the focus went with the details");
  } finally {
    await t.cleanup();
  }
});

test("own entries: https:// is assumed, a name is proposed from the URL, and a known URL links to its entry", async () => {
  const t = setup();
  try {
    await open(t);
    t.$("[data-action=add]").click();
    const form = t.$("form.ab-form");
    const url = form.querySelector("#ab-f-url");
    const name = form.querySelector("#ab-f-name");
    const change = () => url.dispatchEvent(new t.dom.window.Event("change", { bubbles: true }));
    url.value = "github.com/kijai/ComfyUI-WanVideoWrapper.git";
    change();
    assert.equal(url.value, "https://github.com/kijai/ComfyUI-WanVideoWrapper.git");
    assert.equal(name.value, "ComfyUI-WanVideoWrapper");
    url.value = "huggingface.co/Lightricks/LTX-Video";
    change();
    assert.equal(name.value, "LTX-Video", "a proposal follows the URL until the user types a name");
    name.value = "My LTX";
    url.value = "https://example.org/other";
    change();
    assert.equal(name.value, "My LTX", "a typed name stays");

    // The link comes from the error's `existing`, not from its wording.
    t.client.fail = () => new ApiError(409, "that link is listed already", { param: "url", existing: { id: "res-3", name: "Resource 3" } });
    form.requestSubmit();
    await settle();
    const error = form.querySelector("#ab-e-url");
    assert.equal(error.querySelector("button").textContent, "Show “Resource 3”");
    assert.match(error.textContent, /already in the catalogue as “Resource 3”/);
    assert.equal(url.getAttribute("aria-invalid"), "true");
    assert.equal(t.toasts.length, 0);
    error.querySelector("button").click();
    await settle();
    assert.equal(t.$(".ab-details").dataset.id, "res-3");
    assert.equal(t.dom.document.activeElement, t.$("[data-action=close-details]"));
  } finally {
    await t.cleanup();
  }
});

test("sources: switch a source on and off; the list and the sources are reloaded", async () => {
  const t = setup();
  try {
    await open(t);
    const section = t.$(".ab-sources");
    assert.equal(section.open, false, "collapsed until opened");
    assert.equal(section.querySelector("summary").textContent, "Sources · 250 resources");
    section.open = true;
    section.dispatchEvent(new t.dom.window.Event("toggle"));
    assert.equal(t.deps.store.getState().ui.sourcesOpen, true);
    const toggle = () => t.$(".ab-source[data-source=manager] input[role=switch]");
    assert.equal(toggle().checked, false);
    const searches = t.client.calls.filter((c) => c.query).length;
    toggle().focus();
    toggle().click(); // a click on a checkbox fires change
    assert.equal(toggle().getAttribute("aria-busy"), "true", "busy while it is saved");
    toggle().click(); // a second click meanwhile is ignored
    await settle();
    assert.equal(t.client.calls.filter((c) => c.setSource).length, 1);
    assert.deepEqual(t.client.calls.find((c) => c.setSource), { setSource: "manager", change: { enabled: true } });
    assert.equal(toggle().checked, true);
    assert.equal(toggle().hasAttribute("aria-busy"), false);
    assert.equal(t.dom.document.activeElement, toggle(), "focus stays on the switch");
    assert.deepEqual(t.toasts.at(-1), { severity: "success", summary: "ComfyUI-Manager database is on", detail: "On · 6,445 entries" });
    assert.ok(t.client.calls.filter((c) => c.query).length > searches, "the list is reloaded");
    assert.equal(t.$(".ab-source[data-source=manager] .ab-source-info").textContent, "On · 6,445 entries");
    // Upstream data the user cannot fix: a quiet count with the details behind a toggle, not a red box.
    const skipped = t.$(".ab-source[data-source=manager] .ab-source-skipped");
    assert.equal(skipped.querySelector("summary").textContent, "25 entries skipped in the ComfyUI-Manager database");
    assert.equal(skipped.open, false);
    assert.match(skipped.textContent, /models\[433\]\.url: must start with/);
    assert.match(skipped.textContent, /…and 24 more/);
    assert.equal(t.$(".ab-problems summary").textContent, "1 problem in the catalogue data", "only the user's own problems");
    assert.equal(t.sourceSettings.at(-1).manager.enabled, true, "the settings mirror is told");
    assert.equal(t.$(".ab-sources").open, true, "still open after the reload");

    t.client.fail = () => new ApiError(400, "manager.enabled: must be true or false", { param: "manager" });
    toggle().click();
    await settle();
    assert.equal(toggle().checked, true, "the server's state again after a refusal");
    assert.deepEqual(t.toasts.at(-1), { severity: "error", summary: "Could not switch ComfyUI-Manager database",
      detail: "manager.enabled: must be true or false" });
    t.client.fail = () => null;
    toggle().click();
    await settle();
    assert.equal(toggle().checked, false);
    assert.equal(t.client.settings.manager.enabled, false);
    assert.deepEqual(t.toasts.at(-1), { severity: "info", summary: "ComfyUI-Manager database is off", detail: undefined });
    assert.equal(t.$(".ab-source[data-source=manager] .ab-source-info").textContent, "Off");
  } finally {
    await t.cleanup();
  }
});

test("sources: switched on with nothing to read says so and how to fix it, never a success", async () => {
  const t = setup();
  try {
    await open(t);
    t.client.managerState = { state: "missing", resources: 0, skipped: 0, detail: "" };
    const info = () => t.$(".ab-source[data-source=manager] .ab-source-info");
    t.$(".ab-source[data-source=manager] input[role=switch]").click();
    assert.equal(info().textContent, "Reading…", "reading while it is saved and read");
    await settle();
    const missing = "No ComfyUI-Manager found here: set its folder below, or press Refresh to download its database.";
    assert.deepEqual(t.toasts.at(-1), { severity: "info", summary: "ComfyUI-Manager database", detail: missing });
    assert.equal(info().textContent, missing);
    assert.ok(info().classList.contains("ab-source-warn"));
    assert.equal(t.$(".ab-source[data-source=manager] .ab-source-skipped"), null);

    // A folder without the database: failed, with the reason and the fix.
    t.client.managerState = { state: "failed", resources: 0, skipped: 0, detail: "/srv/x/custom-node-list.json: file: cannot be read" };
    const folder = t.$("#ab-source-manager-folder");
    assert.equal(folder.value, "/data/manager");
    assert.equal(t.$("label[for=ab-source-manager-folder]").textContent, "ComfyUI-Manager folder");
    folder.value = " /srv/x ";
    folder.dispatchEvent(new t.dom.window.Event("change", { bubbles: true }));
    await settle();
    assert.deepEqual(t.client.calls.filter((c) => c.setSource).at(-1), { setSource: "manager", change: { folder: "/srv/x" } });
    assert.equal(t.client.settings.manager.folder, "/srv/x");
    const failed = "Could not be read: /srv/x/custom-node-list.json: file: cannot be read. "
      + "Check the folder below, or empty it and press Refresh to download the database.";
    assert.deepEqual(t.toasts.at(-1), { severity: "error", summary: "The ComfyUI-Manager folder is now /srv/x", detail: failed });
    assert.equal(info().textContent, failed);
    assert.ok(info().classList.contains("ab-source-error"));
    assert.equal(t.$("#ab-source-manager-folder").value, "/srv/x");

    // The same folder again sends nothing; a refusal says why; an empty one clears it.
    const puts = () => t.client.calls.filter((c) => c.setSource).length;
    const sent = puts();
    t.$("#ab-source-manager-folder").dispatchEvent(new t.dom.window.Event("change", { bubbles: true }));
    await settle();
    assert.equal(puts(), sent);
    t.client.fail = () => new ApiError(400, "manager.folder: must be a folder path (text)", { param: "manager" });
    t.$("#ab-source-manager-folder").value = "/bad";
    t.$("#ab-source-manager-folder").dispatchEvent(new t.dom.window.Event("change", { bubbles: true }));
    await settle();
    t.client.fail = () => null;
    assert.deepEqual(t.toasts.at(-1), { severity: "error", summary: "Could not set the ComfyUI-Manager folder",
      detail: "manager.folder: must be a folder path (text)" });
    t.client.managerState = null;
    t.$("#ab-source-manager-folder").value = "";
    t.$("#ab-source-manager-folder").dispatchEvent(new t.dom.window.Event("change", { bubbles: true }));
    await settle();
    assert.deepEqual(t.toasts.at(-1), { severity: "info", summary: "The ComfyUI-Manager folder is no longer set", detail: "On · 6,445 entries" });
    // The Registry, on with nothing downloaded yet.
    t.$(".ab-source[data-source=registry] input[role=switch]").click();
    await settle();
    assert.equal(t.$(".ab-source[data-source=registry] .ab-source-info").textContent,
      "Nothing downloaded yet: press Refresh to download the Registry's list.");
    assert.equal(t.$("#ab-source-registry-folder"), null, "a folder only for the Manager");
  } finally {
    await t.cleanup();
  }
});

test("sources: a refresh shows progress, then a toast with the outcome, and outlives the panel", async () => {
  const t = setup();
  try {
    await open(t);
    const button = () => t.$(".ab-source[data-source=manager] [data-action=source-refresh]");
    button().focus();
    button().click();
    assert.equal(button().disabled, true);
    assert.equal(t.dom.document.activeElement, t.$(".ab-source[data-source=manager] input[role=switch]"),
      "the focus moves to the switch beside the disabled button, not out of the panel");
    assert.equal(button().getAttribute("title"), "Refreshing ComfyUI-Manager database…");
    button().click();
    assert.equal(t.client.calls.filter((c) => c.refresh).length, 1, "one at a time");
    t.client.releaseRefresh();
    await settle();
    assert.equal(button().disabled, false);
    assert.deepEqual(t.toasts.at(-1), { severity: "info", summary: "ComfyUI-Manager database is up to date",
      detail: "manager is read from the local folder /data/manager; nothing to download" });

    t.client.refreshAnswer = (name) => ({ name, ok: false, outcomes: [
      { name: "custom-node-list", state: "changed", message: "downloaded", when: "", fetched_at: "" },
      { name: "github-stats", state: "failed", message: "timed out after 30 s", when: "", fetched_at: "" }] });
    button().click();
    // Closed and opened again while it runs: the new panel shows it running, then the outcome.
    t.panel.destroy();
    const again = new Panel(t.dom.document, t.deps);
    again.mount(t.host);
    await settle();
    const running = again.root.querySelector(".ab-source[data-source=manager] [data-action=source-refresh]");
    assert.equal(running.getAttribute("aria-busy"), "true");
    const searches = t.client.calls.filter((c) => c.query).length;
    t.client.releaseRefresh();
    await settle();
    assert.deepEqual(t.toasts.at(-1), { severity: "error", summary: "Could not refresh ComfyUI-Manager database",
      detail: "timed out after 30 s" });
    assert.equal(again.root.querySelector(".ab-source[data-source=manager] [data-action=source-refresh]").disabled, false);
    assert.ok(t.client.calls.filter((c) => c.query).length > searches, "the list is reloaded after a refresh");
    again.destroy();

    t.client.refreshSource = async () => { throw new ApiError(409, "a refresh of registry is already running"); };
    const third = new Panel(t.dom.document, t.deps);
    third.mount(t.host);
    await settle();
    third.root.querySelector(".ab-source[data-source=registry] [data-action=source-refresh]").click();
    await settle();
    assert.deepEqual(t.toasts.at(-1), { severity: "info", summary: "A refresh of Comfy Registry is already running",
      detail: "a refresh of registry is already running" });
    third.destroy();
  } finally {
    await t.dom.close();
  }
});

test("link health: cached checks on rows, and a Check link button in the details", async () => {
  const client = fakeClient(makeResources(30));
  client.linkCache["https://example.org/r/0"] = { url: "https://example.org/r/0", state: "dead", status: 404,
    final_url: "https://example.org/r/0", checked_at: "2026-01-30T10:00:00+00:00", message: "not found" };
  client.verdicts["https://example.org/r/3"] = { state: "redirected", status: 200, final_url: "https://example.org/moved/3",
    message: "redirected 1 time(s)" };
  const t = setup({ client });
  try {
    await open(t);
    assert.equal(t.client.calls.filter((c) => c.links).length, 1, "GET links once per opening");
    assert.ok(t.$(".ab-row[data-id=res-0]").classList.contains("ab-row-dead"));
    assert.equal(t.$(".ab-row[data-id=res-0] .ab-link-dead").textContent.trim(), "Dead link");
    assert.equal(t.$(".ab-row[data-id=res-1] .ab-health"), null, "no badge without a cached check");
    t.$(".ab-row[data-id=res-3] .ab-row-main").click();
    await settle();
    assert.equal(t.$(".ab-details .ab-link-unchecked").textContent.trim(), "Not checked");
    t.client.hold = true;
    const check = () => t.$("[data-action=check-link]");
    check().focus();
    check().click();
    assert.equal(check().getAttribute("aria-busy"), "true", "busy while it runs");
    await settle();
    assert.deepEqual(t.client.calls.find((c) => c.checkLinks), { checkLinks: ["res-3"] });
    assert.equal(t.$(".ab-details .ab-link-redirected").textContent.trim(), "Redirected");
    assert.equal(t.$(".ab-details .ab-link-moved a").getAttribute("href"), "https://example.org/moved/3");
    assert.equal(check().hasAttribute("aria-busy"), false);
    assert.equal(t.dom.document.activeElement, check(), "focus stays on the button");
    assert.deepEqual(t.toasts.at(-1), { severity: "success", summary: "Redirected: https://example.org/r/3",
      detail: "Now at https://example.org/moved/3" });
    t.$("[data-action=close-details]").click();
    assert.equal(t.$(".ab-row[data-id=res-3] .ab-link-redirected").textContent.trim(), "Redirected", "and on the row");

    t.client.checkLinks = async () => { throw new ApiError(409, "a link check is already running; try again when it ends"); };
    t.$(".ab-row[data-id=res-4] .ab-row-main").click();
    await settle();
    check().click();
    await settle();
    assert.deepEqual(t.toasts.at(-1), { severity: "info", summary: "A link check is already running; try again when it ends.",
      detail: undefined });
  } finally {
    await t.cleanup();
  }
});

test("own entries: edit over the details, back with Escape or Cancel, save, copy, and delete after asking", async () => {
  const t = setup();
  try {
    await open(t);
    const w = t.dom.window;
    t.$(".ab-row[data-id=res-1] .ab-row-main").click(); // res-1 is the user's own
    await settle();
    t.$("[data-action=edit]").click();
    let form = t.$("form.ab-form");
    assert.equal(form.querySelector("#ab-f-name").value, "Resource 1");
    assert.equal(t.dom.document.activeElement, form.querySelector("#ab-f-name"));
    key(w, form.querySelector("#ab-f-name"), "Escape");
    assert.equal(t.$(".ab-details h3").textContent, "Resource 1", "Escape goes back to the details");
    t.$("[data-action=edit]").click();
    t.$("[data-action=cancel-form]").click();
    assert.equal(t.$("form.ab-form"), null);
    assert.equal(t.$(".ab-details h3").textContent, "Resource 1", "so does Cancel");

    t.$("[data-action=edit]").click();
    form = t.$("form.ab-form");
    form.querySelector("#ab-f-name").value = "Renamed";
    form.requestSubmit();
    assert.equal(form.querySelector("button[type=submit]").disabled, true, "not sent twice");
    await settle();
    assert.equal(t.client.calls.find((c) => c.update)?.update, "res-1");
    assert.equal(t.$(".ab-details h3").textContent, "Renamed");

    t.$(".ab-details [data-action=copy]").click();
    await settle();
    assert.deepEqual(t.toasts.at(-1), { severity: "success", summary: "Copied to the clipboard", detail: "https://example.org/r/1" });

    t.deps.confirm = async () => false;
    t.$("[data-action=delete]").click();
    await settle();
    assert.equal(t.client.calls.some((c) => c.delete), false, "not without a yes");
    t.deps.confirm = async () => true;
    t.$("[data-action=delete]").click();
    await settle();
    assert.deepEqual(t.client.calls.find((c) => c.delete), { delete: "res-1" });
    assert.equal(t.toasts.at(-1).summary, "Deleted Renamed");
    assert.equal(t.$(".ab-details"), null);
    assert.equal(t.root.classList.contains("ab-pane-open"), false);
    assert.equal(t.deps.store.getState().search.detailsOpen, false);
  } finally {
    await t.cleanup();
  }
});

test("closing the details gives the focus back to the selected row; a favourite there shows in the row too", async () => {
  const t = setup();
  try {
    await open(t);
    t.$(".ab-row[data-id=res-2] .ab-row-main").click();
    await settle();
    t.$(".ab-details .ab-star").focus();
    t.$(".ab-details .ab-star").click();
    assert.equal(t.dom.document.activeElement, t.$(".ab-details .ab-star"), "the redrawn star keeps the focus");
    assert.equal(t.$(".ab-details .ab-star").getAttribute("aria-pressed"), "true");
    await settle();
    t.$("[data-action=close-details]").focus();
    t.$("[data-action=close-details]").click();
    assert.equal(t.dom.document.activeElement, t.$(".ab-row[data-id=res-2] .ab-row-main"));
    assert.equal(t.$(".ab-row[data-id=res-2] .ab-star").getAttribute("aria-pressed"), "true");
  } finally {
    await t.cleanup();
  }
});

test("details saved open come back: from the server when their row is not loaded, closed when the entry is gone", async () => {
  const opened = (selectedId) => createStore(initialAppState({ ...initialState(), selectedId, detailsOpen: true }));
  const t = setup({ store: opened("res-201") });
  try {
    await open(t);
    assert.equal(t.$(".ab-details h3").textContent, "Resource 201", "asked for by id: its page is not loaded");
  } finally {
    await t.cleanup();
  }
  const gone = setup({ store: opened("res-9999") });
  try {
    await open(gone);
    assert.equal(gone.$(".ab-details"), null);
    assert.equal(gone.deps.store.getState().search.detailsOpen, false, "a 404 closes them for good");
    assert.deepEqual(gone.toasts, [], "and is not an error to report");
  } finally {
    await gone.cleanup();
  }
});
