// The page's ComfyUI-Manager runner against an in-memory Manager with its routes and rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createManagerClient } from "../../web/lib/manager.js";
import { createManagerRunner, POLL_MS } from "../../web/lib/manager_runner.js";
import { IDLE_GRACE_MS } from "../../web/lib/manager_queue.js";
import { createTranslator } from "../../web/lib/i18n.js";
import { initialState } from "../../web/lib/state.js";
import { createStore, initialAppState } from "../../web/lib/store.js";
import { manualTimers, settle } from "./helpers/dom.mjs";
import { fakeManager } from "./helpers/fake_manager.mjs";

const GIT = "http://127.0.0.1:8000/ComfyUI-Probe.git";

function pack(extra = {}) {
  return {
    id: "probe", name: "Probe pack", url: "https://github.com/someone/ComfyUI-Probe", category: "node-packs", kind: "node-pack",
    description: "", tags: [], author: "", license: "", install_url: "", stars: null, updated: "", source: "manager",
    pack_id: "ComfyUI-Probe", install_type: "git-clone", files: [GIT], version: "", ...extra,
  };
}

function setup(options = {}) {
  const timers = manualTimers();
  const store = createStore(initialAppState(initialState()));
  const toasts = [];
  let clock = 1000;
  /** @type {ReturnType<typeof createManagerRunner>} */
  let runner;
  const manager = fakeManager({ emit: (name, detail) => runner.onEvent(name, detail), ...options });
  manager.packs["ComfyUI-Probe"] = { title: "Probe", files: [GIT], install_type: "git-clone", version: "unknown", state: "not-installed",
    reference: "https://github.com/someone/ComfyUI-Probe" };
  runner = createManagerRunner({
    client: createManagerClient((route, init) => manager.fetchApi(route, init)), store: () => store,
    notify: (severity, summary, detail) => toasts.push({ severity, summary, detail }), t: () => createTranslator(undefined),
    clientId: () => "client-1", setTimer: timers.setTimer, clearTimer: timers.clearTimer, now: () => clock,
  });
  return { runner, manager, store, toasts, timers, tick: (ms) => { clock += ms; timers.run(ms); }, ui: () => store.getState().ui };
}

test("detection: v3 by its plain-text version, v4 under /v2, none when neither answers; asked once", async () => {
  const t = setup();
  assert.deepEqual(await t.runner.detect(), { api: "v3", version: "V3.41", legacy: false, outdated: false });
  assert.deepEqual(t.ui().manager, { api: "v3", version: "V3.41", legacy: false, outdated: false });
  await t.runner.detect();
  assert.equal(t.manager.gets.filter((g) => g.endsWith("/version")).length, 2, "both probes once, not again");
  const v4 = setup({ v4: true, version: "V4.2.1" });
  assert.deepEqual(await v4.runner.detect(), { api: "v4", version: "V4.2.1", legacy: false, outdated: false });
  const none = setup({ version: null });
  assert.deepEqual(await none.runner.detect(), { api: "none", version: "", legacy: false, outdated: false });
  const old = setup({ outdated: true });
  assert.equal((await old.runner.detect()).outdated, true, "its startup alert says ComfyUI is too old for it");
  const plan = await none.runner.plan("install", pack());
  assert.equal(plan.plan, null);
  assert.match(plan.error, /No ComfyUI-Manager/);
});

test("its node list is read once, lazily, and its record kept by resource", async () => {
  const t = setup();
  assert.equal(t.manager.listCalls, 0);
  const record = await t.runner.recordFor(pack());
  assert.deepEqual([record?.key, record?.state], ["ComfyUI-Probe", "not-installed"]);
  assert.equal(t.ui().managerList, "ready");
  assert.equal(t.ui().managerRecords.probe, record);
  assert.equal(await t.runner.recordFor(pack({ id: "other", pack_id: "nothing", files: [], url: "https://github.com/x/y" })), null);
  assert.equal(await t.runner.recordFor(pack()), record);
  assert.equal(t.manager.listCalls, 1);
});

test("install: reset, the record as the Manager's dialog sends it, start; the done message ends it; restart asked", async () => {
  const t = setup();
  const { plan, error } = await t.runner.plan("install", pack());
  assert.equal(error, "");
  assert.deepEqual([plan?.route, plan?.source, plan?.target], ["/manager/queue/install", GIT, "custom_nodes/ComfyUI-Probe"]);
  await t.runner.run(plan, pack());
  assert.deepEqual(t.manager.posts.map((p) => p.route), ["/manager/queue/reset", "/manager/queue/install", "/manager/queue/start"]);
  assert.ok(t.manager.posts.every((p) => p.headers["Content-Type"] === "application/json"), "never a form-like content type");
  const body = t.manager.posts[1].body;
  assert.deepEqual([body.id, body.version, body.files, body.channel, body.mode, body.skip_post_install], ["ComfyUI-Probe", "unknown", [GIT], "default", "cache", false]);
  await settle();
  assert.equal(t.ui().managerJob?.phase, "done");
  assert.equal(t.ui().restart, "needed");
  assert.deepEqual(t.toasts, [{ severity: "success", summary: "Probe pack is installed", detail: "Restart ComfyUI to load it." }]);
  assert.deepEqual(t.ui().managerRecords, {}, "the Manager's view changed: its list is read again next time");
  assert.equal(t.timers.pending.size, 0, "no polling once it ended");
  await t.runner.recordFor(pack());
  assert.equal(t.manager.listCalls, 2);
});

test("a failure is the Manager's own message; a Registry install offers its versions", async () => {
  const t = setup();
  t.manager.packs.kj = { id: "comfyui-kjnodes", title: "KJ", version: "1.1.0", cnr_latest: "1.1.0", state: "not-installed", install_type: "cnr" };
  t.manager.versions["comfyui-kjnodes"] = [{ version: "1.1.0" }, { version: "1.0.9" }];
  const kj = pack({ id: "kj", name: "KJNodes", pack_id: "comfyui-kjnodes", install_type: "cnr", files: [] });
  const { plan } = await t.runner.plan("install", kj);
  assert.deepEqual(plan?.versions, ["1.1.0", "1.0.9"]);
  t.manager.results[plan.uiId] = "Cannot resolve install target: 'comfyui-kjnodes@9.9'";
  await t.runner.run(plan, kj);
  await settle();
  assert.deepEqual(t.toasts.at(-1), { severity: "error", summary: "Could not install KJNodes", detail: "Cannot resolve install target: 'comfyui-kjnodes@9.9'" });
  assert.equal(t.ui().restart, "none", "nothing to load");
  // Offline, the Registry's versions cannot be read: no choice, latest.
  const other = setup();
  other.manager.packs.kj = t.manager.packs.kj;
  assert.deepEqual((await other.runner.plan("install", kj)).plan?.versions, []);
});

test("a refusal of its security level is said with what to change, and nothing is retried", async () => {
  const t = setup({ security: "strong" });
  const { plan } = await t.runner.plan("install", pack());
  await t.runner.run(plan, pack());
  assert.deepEqual(t.manager.posts.map((p) => p.route), ["/manager/queue/reset", "/manager/queue/install"], "no start, no other route tried");
  const job = t.ui().managerJob;
  assert.deepEqual([job?.phase, job?.refusal, job?.status], ["refused", "level", 403]);
  assert.equal(t.toasts.at(-1).summary, "ComfyUI-Manager refused to install Probe pack");
  assert.match(t.toasts.at(-1).detail, /security_level = normal in ComfyUI-Manager's config\.ini/);
  // On a ComfyUI too old for it, the same 403 is said as what it is.
  const old = setup({ outdated: true });
  const refused = await old.runner.plan("install", pack());
  await old.runner.run(refused.plan, pack());
  assert.equal(old.ui().managerJob?.refusal, "outdated");
  assert.match(old.toasts.at(-1).detail, /too old for its ComfyUI-Manager, which blocks installs until ComfyUI is updated/);
  // A git URL it does not list: its Install via Git URL route, refused unless allowed.
  const git = setup();
  git.manager.packs = {};
  const direct = await git.runner.plan("install", pack());
  assert.equal(direct.plan?.route, "/customnode/install/git_url");
  await git.runner.run(direct.plan, pack());
  assert.deepEqual([git.ui().managerJob?.phase, git.ui().managerJob?.refusal], ["refused", "gitUrl"]);
  assert.match(git.toasts.at(-1).detail, /allow_git_url_install = True/);
  git.manager.gitUrlAllowed = true;
  const again = await git.runner.plan("install", pack());
  await git.runner.run(again.plan, pack());
  assert.equal(git.ui().managerJob?.phase, "done", "it answers when the clone is done");
  assert.equal(git.ui().restart, "needed");
});

test("busy: one job at a time here, and none while the Manager works for someone else", async () => {
  const t = setup();
  t.manager.autoFinish = false;
  const { plan } = await t.runner.plan("install", pack());
  await t.runner.run(plan, pack());
  assert.match((await t.runner.plan("install", pack())).error, /still running/);
  t.manager.finish();
  t.manager.processing = true;
  assert.match((await t.runner.plan("install", pack())).error, /busy with other tasks \(0 of 0 done\)/);
});

test("no websocket message: the status poll ends the job once the Manager has been idle a while", async () => {
  const t = setup();
  t.manager.autoFinish = false;
  const { plan } = await t.runner.plan("install", pack());
  await t.runner.run(plan, pack());
  assert.equal(t.manager.processing, true);
  t.tick(POLL_MS);
  await settle();
  assert.equal(t.ui().managerJob?.phase, "running");
  t.manager.queue = [];
  t.manager.processing = false; // it finished, but its message was lost
  for (let waited = 0; waited <= IDLE_GRACE_MS + POLL_MS && t.ui().managerJob?.phase === "running"; waited += POLL_MS) {
    t.tick(POLL_MS);
    await settle();
  }
  assert.equal(t.ui().managerJob?.phase, "finished");
  await settle();
  assert.deepEqual(t.toasts.at(-1), { severity: "info", summary: "ComfyUI-Manager has finished with Probe pack",
    detail: "It did not report how it went: its terminal log says." }, "its list still says not installed");
  assert.equal(t.timers.pending.size, 0);
  assert.equal(t.ui().restart, "needed", "it may have worked: the restart is offered");
});

test("no websocket message, but the Manager's list says it is installed now: said so", async () => {
  const t = setup();
  t.manager.autoFinish = false;
  t.manager.emit = () => {}; // the page's websocket lost (a reload that reused its client id)
  const { plan } = await t.runner.plan("install", pack());
  await t.runner.run(plan, pack());
  t.manager.finish();
  for (let waited = 0; waited <= IDLE_GRACE_MS + 2 * POLL_MS && t.toasts.length === 0; waited += POLL_MS) {
    t.tick(POLL_MS);
    await settle();
  }
  assert.deepEqual(t.toasts.at(-1), { severity: "success", summary: "Probe pack is installed", detail: "Restart ComfyUI to load it." });
  assert.equal(t.ui().managerJob?.phase, "done");
  assert.equal(t.ui().managerRecords.probe?.state, "installed");
});

test("download: the model list's fields, saved into its folder, no restart", async () => {
  const t = setup();
  const model = pack({ id: "m", name: "Probe model", kind: "model", model_file: { name: "Probe model", type: "lora", base: "SD1.5",
    save_path: "default", filename: "probe.safetensors", url: "http://127.0.0.1:8000/probe.safetensors" } });
  const { plan } = await t.runner.plan("download", model);
  await t.runner.run(plan, model);
  await settle();
  assert.equal(t.manager.posts[1].route, "/manager/queue/install_model");
  assert.equal(t.manager.listCalls, 0, "a download needs no node list");
  assert.deepEqual(t.toasts.at(-1), { severity: "success", summary: "Probe model is downloaded", detail: "Saved into models/loras." });
  assert.equal(t.ui().restart, "none");
});

test("restart: through the Manager, then waiting until ComfyUI answers again", async () => {
  const t = setup();
  await t.runner.detect();
  t.store.dispatch({ type: "restart", state: "needed" });
  await t.runner.restart();
  assert.equal(t.manager.posts.at(-1).route, "/manager/reboot");
  assert.equal(t.ui().restart, "restarting");
  assert.equal(t.toasts.at(-1).summary, "ComfyUI is restarting…");
  t.tick(POLL_MS);
  await settle();
  assert.equal(t.ui().restart, "back", "its version answers again");
  assert.equal(t.toasts.at(-1).detail, "ComfyUI has restarted: reload this page to load the new nodes.");
  // Refused (an outdated ComfyUI, or its security level): said, and nothing waits.
  const strong = setup({ security: "strong" });
  await strong.runner.restart();
  assert.equal(strong.ui().restart, "none");
  assert.deepEqual([strong.toasts.at(-1).summary, strong.toasts.at(-1).detail],
    ["Could not restart ComfyUI", "This ComfyUI is too old for its ComfyUI-Manager, which blocks installs until ComfyUI is updated (its terminal log says so). Update ComfyUI, or run the commands in the pack's details."]);
  const broken = setup();
  broken.manager.failReboot = true;
  await broken.runner.restart();
  assert.match(broken.toasts.at(-1).detail, /answered 500/);
});
