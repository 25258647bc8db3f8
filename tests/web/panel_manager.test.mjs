// The panel acting through ComfyUI-Manager: the details' actions, the confirmation, the job's
// bar and restart, the rows' marks and action, the Disabled filter, the Sources line, and the
// "This workflow" view. The Manager is the in-memory one of helpers/fake_manager.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createManagerClient } from "../../web/lib/manager.js";
import { createManagerRunner } from "../../web/lib/manager_runner.js";
import { createTranslator } from "../../web/lib/i18n.js";
import { STORAGE_KEY, initialState } from "../../web/lib/state.js";
import { createStore, initialAppState } from "../../web/lib/store.js";
import { GRAPH_SETTLE_MS } from "../../web/lib/panel_workflow.js";
import { key, manualTimers, settle } from "./helpers/dom.mjs";
import { fakeClient, makeResources } from "./helpers/fake_client.mjs";
import { fakeManager } from "./helpers/fake_manager.mjs";
import { open, setup as panelSetup, type } from "./helpers/panel.mjs";

const GIT = "http://127.0.0.1:8000/ComfyUI-Probe.git";

/** Resources with a Manager-listed probe pack (res-0), a disabled pack (res-4), a Registry pack and a model. */
function resources() {
  const items = makeResources(12);
  Object.assign(items[0], { name: "Probe pack", kind: "node-pack", url: "https://github.com/someone/ComfyUI-Probe", pack_id: "ComfyUI-Probe",
    install_type: "git-clone", files: [GIT], installed: false, node_types: ["Probe_Node"], node_count: 1 });
  Object.assign(items[4], { name: "Disabled pack", kind: "node-pack", installed: true, disabled: true, files: ["https://github.com/a/disabled"] });
  Object.assign(items[8], { name: "Registry pack", kind: "node-pack", pack_id: "comfyui-kjnodes", install_type: "cnr", stars: null,
    downloads: 12345, files: [], url: "https://github.com/kijai/ComfyUI-KJNodes", node_types: ["Probe_Node", "KJ_Node"] });
  Object.assign(items[1], { name: "Probe model", kind: "model", model_file: { name: "Probe model", type: "lora", base: "SD1.5",
    save_path: "default", filename: "probe.safetensors", url: "http://127.0.0.1:8000/probe.safetensors" } });
  return items;
}

/** A panel with a runner over an in-memory Manager, and a workflow source the test changes. */
function setup({ manager: managerOptions = {}, graph = { types: ["KSampler"], missing: [] } } = {}) {
  const store = createStore(initialAppState(initialState()));
  const timers = manualTimers();
  /** @type {ReturnType<typeof createManagerRunner>} */
  let runner;
  const manager = fakeManager({ emit: (name, detail) => runner.onEvent(name, detail), ...managerOptions });
  manager.packs["ComfyUI-Probe"] = { title: "Probe", files: [GIT], install_type: "git-clone", version: "unknown", state: "not-installed" };
  manager.packs["comfyui-kjnodes"] = { id: "comfyui-kjnodes", title: "KJ", version: "1.1.0", cnr_latest: "1.1.0", state: "not-installed", install_type: "cnr" };
  manager.versions["comfyui-kjnodes"] = [{ version: "1.1.0" }, { version: "1.0.9" }];
  const toasts = [];
  runner = createManagerRunner({
    client: createManagerClient((route, init) => manager.fetchApi(route, init)), store: () => store,
    notify: (severity, summary, detail) => toasts.push({ severity, summary, detail }), t: () => createTranslator(undefined),
    clientId: () => "client-1", setTimer: timers.setTimer, clearTimer: timers.clearTimer, now: () => 1000,
  });
  const watchers = new Set();
  const source = {
    graph,
    read: () => source.graph,
    subscribe: (fn) => { watchers.add(fn); return () => watchers.delete(fn); },
    changed: () => { for (const fn of watchers) fn(); },
  };
  let reloaded = 0;
  const t = panelSetup({ client: fakeClient(resources()), store,
    extra: { manager: runner, workflow: source, reload: () => { reloaded += 1; } } });
  return Object.assign(t, { manager, runner, managerToasts: toasts, source, reloads: () => reloaded });
}

/** Open the details of a row by its resource id. */
async function details(t, id) {
  t.$(`.ab-row[data-id=${id}] .ab-row-main`).click();
  await settle(10);
}

test("details: Install through the Manager, confirmed (name, source, folder), followed, then the restart", async () => {
  const t = setup();
  try {
    await open(t);
    await details(t, "res-0");
    const install = t.$(".ab-details [data-action=manager][data-kind=install]");
    assert.ok(install, "an Install action");
    assert.equal(install.textContent.trim(), "Install");
    assert.match(t.$(".ab-details .ab-install-via").textContent, /ComfyUI-Manager V3\.41/);
    assert.equal(t.manager.listCalls, 1, "its node list, read for the details");
    assert.ok(t.$(".ab-details .ab-by-hand .ab-command"), "the commands stay, folded");
    install.click();
    const box = () => t.$(".ab-confirm[role=alertdialog]");
    assert.ok(box(), "the confirmation opens at once");
    await settle(10);
    const text = box().textContent;
    assert.match(text, /Install Probe pack\?/);
    assert.ok(text.includes(GIT) && text.includes("custom_nodes/ComfyUI-Probe"), text);
    assert.match(text, /Restart ComfyUI afterwards/);
    assert.equal(t.dom.document.activeElement, box().querySelector("[data-action=confirm-go]"));
    box().querySelector("[data-action=confirm-go]").click();
    assert.equal(box(), null);
    await settle(10);
    assert.deepEqual(t.manager.posts.map((p) => p.route), ["/manager/queue/reset", "/manager/queue/install", "/manager/queue/start"]);
    assert.equal(t.manager.posts[1].body.ui_id, t.deps.store.getState().ui.managerJob.uiId);
    assert.equal(t.managerToasts.at(-1).summary, "Probe pack is installed");
    const bar = t.$(".ab-manager-restart");
    assert.ok(bar, "the restart prompt");
    assert.match(bar.textContent, /Restart ComfyUI/);
    assert.match(t.$(".ab-details .ab-install-state").textContent, /Restart ComfyUI to load it/);
    assert.ok(t.client.calls.filter((c) => c.query).length >= 2, "searched again: the installed marks are fresh");
    bar.querySelector("[data-action=manager-restart]").click();
    assert.match(box().textContent, /Restart ComfyUI\?/);
    box().querySelector("[data-action=confirm-go]").click();
    await settle(10);
    assert.equal(t.manager.posts.at(-1).route, "/manager/reboot");
    assert.match(t.$(".ab-manager-bar").textContent, /restarting/);
  } finally {
    await t.cleanup();
  }
});

test("the confirmation: Escape cancels and the focus returns; Tab stays inside; a Registry version is chosen", async () => {
  const t = setup();
  try {
    await open(t);
    await details(t, "res-8");
    const install = () => t.$(".ab-details [data-action=manager][data-kind=install]");
    install().focus();
    install().click();
    await settle(10);
    const box = t.$(".ab-confirm");
    assert.match(box.textContent, /install comfyui-kjnodes from the Comfy Registry into custom_nodes\/comfyui-kjnodes/);
    const select = box.querySelector("#ab-confirm-version");
    assert.deepEqual([...select.options].map((o) => o.value), ["", "1.1.0", "1.0.9"], "latest first, then the Registry's versions");
    const go = box.querySelector("[data-action=confirm-go]");
    const cancel = box.querySelector("[data-action=confirm-cancel]");
    cancel.focus();
    // happy-dom has no default Tab move: the trap only acts at the ends.
    const tab = key(t.dom.window, cancel, "Tab");
    assert.equal(tab.defaultPrevented, true, "from the last stop, Tab wraps to the first");
    assert.equal(t.dom.document.activeElement, box.querySelector("a[href]") ?? select);
    key(t.dom.window, box.querySelector("a[href]") ?? select, "Tab", { shiftKey: true });
    assert.equal(t.dom.document.activeElement, cancel);
    const escape = key(t.dom.window, go, "Escape");
    assert.equal(escape.defaultPrevented, true);
    assert.equal(t.$(".ab-confirm"), null);
    assert.ok(t.$(".ab-details"), "Escape closed the confirmation, not the details");
    assert.ok(t.dom.document.activeElement === install(), `the focus is back on Install, not ${t.dom.document.activeElement?.outerHTML.slice(0, 120)}`);
    assert.equal(t.manager.posts.length, 0, "nothing sent");
    install().click();
    await settle(10);
    const again = t.$("#ab-confirm-version");
    again.value = "1.0.9";
    again.dispatchEvent(new t.dom.window.Event("change", { bubbles: true }));
    t.$("[data-action=confirm-go]").click();
    await settle(10);
    assert.equal(t.manager.posts.find((p) => p.route === "/manager/queue/install").body.selected_version, "1.0.9");
  } finally {
    await t.cleanup();
  }
});

test("a refusal by the Manager's security level stays in the details with what to change", async () => {
  const t = setup({ manager: { security: "strong" } });
  try {
    await open(t);
    await details(t, "res-0");
    t.$(".ab-details [data-action=manager][data-kind=install]").click();
    await settle(10);
    t.$("[data-action=confirm-go]").click();
    await settle(10);
    const state = t.$(".ab-details .ab-install-state");
    assert.ok(state.classList.contains("ab-install-error"));
    assert.match(state.textContent, /security_level = normal/);
    assert.equal(t.managerToasts.at(-1).summary, "ComfyUI-Manager refused to install Probe pack");
    assert.equal(t.$(".ab-manager-bar"), null, "nothing to restart");
  } finally {
    await t.cleanup();
  }
});

test("a busy Manager: the confirmation says so and offers nothing to confirm", async () => {
  const t = setup();
  try {
    await open(t);
    t.manager.processing = true;
    await details(t, "res-0");
    t.$(".ab-details [data-action=manager]").click();
    await settle(10);
    assert.match(t.$(".ab-confirm [role=alert]").textContent, /busy with other tasks/);
    assert.equal(t.$("[data-action=confirm-go]"), null);
    assert.equal(t.dom.document.activeElement, t.$("[data-action=confirm-cancel]"));
    t.$("[data-action=confirm-cancel]").click();
    assert.equal(t.$(".ab-confirm"), null);
  } finally {
    await t.cleanup();
  }
});

test("rows: a Disabled badge of its own, downloads where stars are missing, a compact action; the Disabled only filter", async () => {
  const t = setup();
  try {
    await open(t);
    const disabled = t.$(".ab-row[data-id=res-4]");
    assert.ok(disabled.querySelector(".ab-disabled"));
    assert.equal(disabled.querySelector(".ab-installed"), null, "not also Installed");
    assert.equal(disabled.querySelector(".ab-row-action").dataset.kind, "enable");
    assert.equal(t.$(".ab-row[data-id=res-0] .ab-row-action").dataset.kind, "install");
    assert.equal(t.$(".ab-row[data-id=res-0] .ab-row-action").tabIndex, -1, "the list stays one tab stop");
    assert.equal(t.$(".ab-row[data-id=res-2] .ab-row-action"), null, "installed: nothing to do");
    assert.equal(t.$(".ab-row[data-id=res-8] .ab-row-facts").textContent, "⤓ 12.3K");
    // → and ← go along the row's buttons: the row, its action, its star.
    const main = t.$(".ab-row[data-id=res-0] .ab-row-main");
    main.focus();
    key(t.dom.window, main, "ArrowRight");
    assert.equal(t.dom.document.activeElement, t.$(".ab-row[data-id=res-0] .ab-row-action"));
    key(t.dom.window, t.dom.document.activeElement, "ArrowRight");
    assert.equal(t.dom.document.activeElement, t.$(".ab-row[data-id=res-0] .ab-star"));
    key(t.dom.window, t.dom.document.activeElement, "ArrowLeft");
    key(t.dom.window, t.dom.document.activeElement, "ArrowLeft");
    assert.equal(t.dom.document.activeElement, main);
    // The compact action asks the same confirmation.
    t.$(".ab-row[data-id=res-4] .ab-row-action").click();
    await settle(10);
    assert.match(t.$(".ab-confirm").textContent, /Enable Disabled pack\?/);
    t.$("[data-action=confirm-cancel]").click();

    const toggle = t.$("[data-action=disabled-only]");
    assert.equal(toggle.getAttribute("aria-label"), "Disabled only");
    toggle.click();
    await settle();
    assert.equal(toggle.getAttribute("aria-pressed"), "true");
    assert.match(t.client.calls.filter((c) => c.query).at(-1).query, /disabled=1/);
    assert.equal(t.$(".ab-count").textContent, "1 resource");
    assert.equal(JSON.parse(t.saved.get(STORAGE_KEY)).disabledOnly, true);
  } finally {
    await t.cleanup();
  }
});

test("details: a Disabled pack, a model's destination, downloads and the pack's nodes", async () => {
  const t = setup();
  try {
    await open(t);
    await details(t, "res-4");
    assert.ok(t.$(".ab-details-badges .ab-disabled"));
    assert.equal(t.$(".ab-details [data-action=manager]").dataset.kind, "enable");
    t.$("[data-action=close-details]").click();
    await details(t, "res-1");
    assert.match(t.$(".ab-details .ab-install-where").textContent, /Saves probe\.safetensors into models\/loras/);
    t.$(".ab-details [data-action=manager][data-kind=download]").click();
    await settle(10);
    assert.match(t.$(".ab-confirm").textContent, /download probe\.safetensors into models\/loras/);
    t.$("[data-action=confirm-cancel]").click();
    t.$("[data-action=close-details]").click();
    await details(t, "res-8");
    const fields = t.$(".ab-details .ab-fields").textContent;
    assert.match(fields, /Downloads12\.3K/);
    assert.match(fields, /Registry idcomfyui-kjnodes/);
    assert.deepEqual([...t.$$(".ab-details .ab-node-list li")].map((li) => li.textContent), ["Probe_Node", "KJ_Node"]);
  } finally {
    await t.cleanup();
  }
});

test("without a Manager: the commands to run, with comfy node install for a Registry id, and Sources says so", async () => {
  const t = setup({ manager: { version: null } });
  try {
    await open(t);
    await details(t, "res-8");
    const commands = t.$$(".ab-details .ab-install .ab-command").map((c) => c.textContent);
    assert.deepEqual(commands, ["git clone https://github.com/kijai/ComfyUI-KJNodes", "comfy node install comfyui-kjnodes"]);
    assert.equal(t.$(".ab-details [data-action=manager]"), null);
    assert.equal(t.$(".ab-row-action"), null);
    const line = t.$(".ab-source[data-source=installer]");
    assert.match(line.textContent, /No ComfyUI-Manager answers here/);
  } finally {
    await t.cleanup();
  }
});

test("Sources names the Manager that installs from the sidebar, and when it blocks installs", async () => {
  const t = setup();
  try {
    await open(t);
    assert.match(t.$(".ab-source[data-source=installer]").textContent, /InstallsV3\.41Through ComfyUI-Manager V3\.41/);
  } finally {
    await t.cleanup();
  }
  const old = setup({ manager: { outdated: true } });
  try {
    await open(old);
    assert.match(old.$(".ab-source[data-source=installer]").textContent, /says this ComfyUI is too old for it and blocks installs/);
    // A pack it lists would go through its queue, which it refuses: no click, the reason, the commands open.
    await details(old, "res-8");
    await settle(10);
    const install = old.$(".ab-details [data-action=manager][data-kind=install]");
    assert.equal(install.getAttribute("aria-disabled"), "true");
    assert.match(install.getAttribute("title"), /too old for its ComfyUI-Manager/);
    assert.equal(old.$(".ab-details .ab-by-hand").hasAttribute("open"), true);
    const before = old.manager.posts.length;
    install.click();
    await settle(10);
    assert.equal(old.$(".ab-confirm"), null, "nothing to confirm");
    assert.equal(old.manager.posts.length, before, "nothing sent to the Manager");
  } finally {
    await old.cleanup();
  }
});

test("This workflow: the count on the button, each missing type with its packs and Install; nothing missing", async () => {
  const t = setup({ graph: { types: ["KSampler", "Probe_Node", "Lost_Node"], missing: ["Probe_Node", "Lost_Node"] } });
  try {
    await open(t);
    const button = t.$("[data-action=workflow]");
    assert.equal(button.getAttribute("aria-label"), "This workflow: 2 node types ComfyUI does not know");
    assert.equal(button.querySelector(".ab-title-badge").textContent, "2");
    assert.equal(t.client.calls.some((c) => c.nodeTypes), false, "the server is asked only when the view opens");
    button.click();
    await settle(10);
    assert.deepEqual(t.client.calls.find((c) => c.nodeTypes).nodeTypes, ["Probe_Node", "Lost_Node"]);
    assert.equal(button.getAttribute("aria-pressed"), "true");
    assert.ok(t.root.classList.contains("ab-pane-open"), "it takes the list's place");
    assert.equal(t.dom.document.activeElement, t.$("[data-action=workflow-close]"));
    assert.match(t.$(".ab-workflow-summary").textContent, /2 node types of this workflow are not known/);
    const probe = t.$('.ab-missing[data-type="Probe_Node"]');
    assert.deepEqual(t.$$('.ab-missing[data-type="Probe_Node"] .ab-provider-name').map((b) => b.textContent), ["Probe pack", "Registry pack"]);
    assert.equal(probe.querySelector(".ab-provider[data-id=res-0] [data-action=manager]").dataset.kind, "install");
    assert.match(t.$('.ab-missing[data-type="Lost_Node"]').textContent, /No pack in the catalogue provides it/);
    // A provider's details, and back to the view on the same pack.
    probe.querySelector(".ab-provider[data-id=res-8] .ab-provider-name").click();
    await settle(10);
    assert.equal(t.$(".ab-details").dataset.id, "res-8");
    assert.ok(t.$(".ab-workflow-pane").hidden);
    t.$("[data-action=close-details]").click();
    await settle();
    assert.ok(!t.$(".ab-workflow-pane").hidden, "back to the workflow view");
    assert.equal(t.dom.document.activeElement, t.$(".ab-provider[data-id=res-8] .ab-provider-name"));
    // Install from the view.
    t.$(".ab-provider[data-id=res-0] [data-action=manager]").click();
    await settle(10);
    t.$("[data-action=confirm-go]").click();
    await settle(10);
    assert.equal(t.client.calls.filter((c) => c.nodeTypes).length, 2, "asked again when the install ended");
    // The graph changes: read again after it settles.
    t.source.graph = { types: ["KSampler"], missing: [] };
    t.source.changed();
    t.timers.run(GRAPH_SETTLE_MS);
    await settle();
    assert.match(t.$(".ab-workflow-summary").textContent, /Nothing missing: ComfyUI knows the one node type/);
    assert.ok(t.$(".ab-title-badge").hidden);
    key(t.dom.window, t.$("[data-action=workflow-check]"), "Escape");
    assert.ok(t.$(".ab-workflow-pane").hidden, "Escape closes it");
    assert.equal(button.getAttribute("aria-pressed"), "false");
  } finally {
    await t.cleanup();
  }
});

test("This workflow: no graph, a failed lookup, and a search closing the view", async () => {
  const t = setup({ graph: null });
  try {
    await open(t);
    t.$("[data-action=workflow]").click();
    await settle();
    assert.equal(t.$(".ab-workflow-summary").textContent, "No workflow is open.");
    t.source.graph = { types: ["A"], missing: ["A"] };
    t.client.fail = () => new Error("server down");
    t.$("[data-action=workflow-check]").click();
    await settle();
    assert.match(t.$(".ab-workflow [role=alert]").textContent, /Could not look up the packs: server down/);
    t.client.fail = () => null;
    type(t, "video");
    await settle();
    assert.ok(t.$(".ab-workflow-pane").hidden, "a search brings the list back");
    assert.equal(t.deps.store.getState().view.pane.mode, null);
  } finally {
    await t.cleanup();
  }
});
