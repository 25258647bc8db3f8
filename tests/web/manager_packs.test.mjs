// What the sidebar sends ComfyUI-Manager for a resource: its record, its actions, the requests.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildPlan, findRecord, folderName, gitUrl, indexRecords, modelFolder, normalizeUrl, packActions, refusal, toRecord, withVersion,
} from "../../web/lib/manager_packs.js";

const V3 = { api: "v3", version: "V3.41", legacy: false, outdated: false };
const V4 = { api: "v4", version: "V4.2.1", legacy: false, outdated: false };
const V4_LEGACY = { api: "v4", version: "V4.2.1", legacy: true, outdated: false };
const ids = { uiId: "ui-1", clientId: "client-1" };

/** A node pack resource as GET /awesome/v1/resources gives it. */
function pack(extra = {}) {
  return {
    id: "probe", name: "Probe pack", url: "https://github.com/someone/ComfyUI-Probe", category: "node-packs", kind: "node-pack",
    description: "d", tags: [], author: "", license: "", install_url: "", stars: null, updated: "", source: "manager",
    pack_id: "", install_type: "git-clone", files: ["http://127.0.0.1:8000/ComfyUI-Probe.git"], version: "", installed: false, disabled: false,
    ...extra,
  };
}

/** The Manager's GET /customnode/getlist answer, in its shapes (v3.41): keys are Registry ids or repository names. */
const LIST = {
  channel: "default",
  node_packs: {
    "ComfyUI-Probe": {
      title: "Probe", reference: "https://github.com/someone/ComfyUI-Probe", files: ["http://127.0.0.1:8000/ComfyUI-Probe.git"],
      install_type: "git-clone", version: "unknown", state: "not-installed", repository: "http://127.0.0.1:8000/ComfyUI-Probe.git",
    },
    "comfyui-videohelpersuite": {
      id: "comfyui-videohelpersuite", title: "VHS", files: ["https://github.com/Kosinkadink/ComfyUI-VideoHelperSuite"],
      repository: "https://github.com/Kosinkadink/ComfyUI-VideoHelperSuite", version: "1.6.1", cnr_latest: "1.7.0",
      active_version: "1.6.1", state: "enabled", "update-state": "true", install_type: "git-clone",
    },
    "comfyui-kjnodes": { id: "comfyui-kjnodes", title: "KJ", version: "1.1.0", state: "disabled", install_type: "cnr",
      repository: "https://github.com/kijai/ComfyUI-KJNodes" },
    broken: { id: "broken", title: "B", version: "unknown", state: "enabled", "import-fail": true, files: ["https://github.com/x/broken"] },
  },
};

test("URLs are compared by what names a repository; a clone lands in its last path part", () => {
  assert.equal(normalizeUrl("https://www.GitHub.com/Kijai/ComfyUI-KJNodes.git/"), "github.com/kijai/comfyui-kjnodes");
  assert.equal(normalizeUrl(undefined), "");
  assert.equal(folderName("http://127.0.0.1:8000/ComfyUI-Probe.git"), "ComfyUI-Probe");
  assert.equal(folderName("https://github.com/a/b/?tab=readme"), "b");
  assert.equal(gitUrl(pack({ files: [], install_url: "javascript:alert(1)" })), "https://github.com/someone/ComfyUI-Probe");
});

test("the Manager's record of a resource: by its id, else by a repository URL; its state in our words", () => {
  const index = indexRecords(LIST);
  const vhs = findRecord(index, pack({ pack_id: "ComfyUI-VideoHelperSuite", files: [] }));
  assert.equal(vhs?.key, "comfyui-videohelpersuite", "ids match whatever their case");
  assert.deepEqual([vhs?.state, vhs?.updatable, vhs?.version, vhs?.latest, vhs?.channel], ["installed", true, "1.6.1", "1.7.0", "default"]);
  const byUrl = findRecord(index, pack({ files: [], url: "https://github.com/kijai/ComfyUI-KJNodes.git" }));
  assert.deepEqual([byUrl?.key, byUrl?.state], ["comfyui-kjnodes", "disabled"]);
  const probe = findRecord(index, pack());
  assert.equal(probe?.id, "ComfyUI-Probe", "a record without an id takes its key, as the Manager's dialog does");
  assert.equal(probe?.data.id, "ComfyUI-Probe");
  assert.equal(findRecord(index, pack({ files: [], url: "https://github.com/nobody/else" })), null);
  assert.equal(toRecord("broken", LIST.node_packs.broken, "default").importFailed, true);
  assert.deepEqual(indexRecords(null).packs, {});
  assert.equal(indexRecords({ node_packs: { x: null } }).byKey.size, 0);
});

test("actions: the Manager's record wins over our marks; models download", () => {
  const index = indexRecords(LIST);
  const record = (/** @type {string} */ key) => toRecord(key, LIST.node_packs[key], "default");
  assert.deepEqual(packActions(pack(), findRecord(index, pack())), ["install"]);
  assert.deepEqual(packActions(pack({ installed: true }), record("comfyui-videohelpersuite")), ["update"]);
  assert.deepEqual(packActions(pack(), record("comfyui-kjnodes")), ["enable"]);
  assert.deepEqual(packActions(pack(), record("broken")), [], "installed, no update: nothing to do");
  // Without a record (its list not read yet, or no entry): our own marks.
  assert.deepEqual(packActions(pack({ installed: true, disabled: true }), undefined), ["enable"]);
  assert.deepEqual(packActions(pack({ installed: true }), null), []);
  assert.deepEqual(packActions(pack(), null), ["install"]);
  assert.deepEqual(packActions(pack({ files: [], url: "not a url", pack_id: "" }), null), [], "nothing to install from");
  assert.deepEqual(packActions(pack({ files: [], url: "not a url", pack_id: "x" }), null), ["install"], "a Registry id is enough");
  const model = pack({ kind: "model", model_file: { name: "m", type: "lora", base: "SD1.5", save_path: "default", filename: "m.safetensors", url: "https://x/m" } });
  assert.deepEqual(packActions(model, null), ["download"]);
  assert.deepEqual(packActions(pack({ kind: "workflow" }), null), []);
});

test("v3 install of a git pack it lists: its record, as its own dialog sends it", () => {
  const record = findRecord(indexRecords(LIST), pack());
  const plan = buildPlan("install", pack(), record, { info: V3, ...ids });
  assert.equal(plan?.route, "/manager/queue/install");
  assert.equal(plan?.mode, "queue");
  assert.equal(plan?.what, "clone");
  assert.equal(plan?.source, "http://127.0.0.1:8000/ComfyUI-Probe.git");
  assert.equal(plan?.target, "custom_nodes/ComfyUI-Probe");
  assert.deepEqual(plan?.versions, []);
  const body = plan?.body ?? {};
  assert.deepEqual([body.id, body.version, body.files, body.channel, body.mode, body.ui_id, body.skip_post_install, "selected_version" in body],
    ["ComfyUI-Probe", "unknown", ["http://127.0.0.1:8000/ComfyUI-Probe.git"], "default", "cache", "ui-1", false, false]);
  assert.equal(body.title, "Probe", "the rest of its record goes along");
});

test("v3 Registry install: a version chosen goes as selected_version; latest is the Manager's default", () => {
  const resource = pack({ pack_id: "comfyui-kjnodes", install_type: "cnr", files: [], url: "https://registry.comfy.org/nodes/comfyui-kjnodes", version: "1.1.0" });
  const plan = buildPlan("install", resource, null, { info: V3, ...ids, versions: ["1.1.0", "1.0.9"] });
  assert.equal(plan?.what, "registry");
  assert.equal(plan?.registryId, "comfyui-kjnodes");
  assert.equal(plan?.target, "custom_nodes/comfyui-kjnodes");
  assert.deepEqual(plan?.versions, ["1.1.0", "1.0.9"]);
  assert.deepEqual([plan?.body.id, plan?.body.version, plan?.body.install_type], ["comfyui-kjnodes", "1.1.0", "cnr"]);
  assert.equal(plan && withVersion(plan, "").body.selected_version, undefined);
  assert.equal(plan && withVersion(plan, "1.0.9").body.selected_version, "1.0.9");
});

test("v3: a git pack the Manager does not list goes to its Install via Git URL route", () => {
  const plan = buildPlan("install", pack(), null, { info: V3, ...ids });
  assert.deepEqual([plan?.route, plan?.mode, plan?.body, plan?.what], ["/customnode/install/git_url", "direct",
    { url: "http://127.0.0.1:8000/ComfyUI-Probe.git" }, "clone"]);
  assert.equal(plan && withVersion(plan, "1.0").body.selected_version, undefined, "no versions for a git URL");
  assert.equal(buildPlan("install", pack({ files: [], url: "x", pack_id: "" }), null, { info: V3, ...ids }), null);
});

test("v3 enable and update: the same record, skip_post_install for an enable, the update route", () => {
  const index = indexRecords(LIST);
  const kj = findRecord(index, pack({ pack_id: "comfyui-kjnodes" }));
  const enable = buildPlan("enable", pack({ pack_id: "comfyui-kjnodes" }), kj, { info: V3, ...ids });
  assert.deepEqual([enable?.route, enable?.body.skip_post_install, enable?.body.version, enable?.what],
    ["/manager/queue/install", true, "1.1.0", "enable"]);
  const disabledGit = buildPlan("enable", pack({ installed: true, disabled: true }), null, { info: V3, ...ids });
  assert.deepEqual([disabledGit?.route, disabledGit?.body.version, disabledGit?.body.skip_post_install], ["/manager/queue/install", "unknown", true]);
  const vhs = findRecord(index, pack({ pack_id: "comfyui-videohelpersuite" }));
  const update = buildPlan("update", pack({ pack_id: "comfyui-videohelpersuite" }), vhs, { info: V3, ...ids });
  assert.deepEqual([update?.route, update?.mode, update?.body.id, update?.body.version, update?.body.ui_id, update?.what],
    ["/manager/queue/update", "queue", "comfyui-videohelpersuite", "1.6.1", "ui-1", "update"]);
});

test("a model download: the model list's fields, reference, and where it lands", () => {
  const model_file = { name: "Probe model", type: "lora", base: "SD1.5", save_path: "default", filename: "probe.safetensors", url: "http://127.0.0.1:8000/m.safetensors" };
  const model = pack({ kind: "model", name: "Probe model", url: "https://huggingface.co/x/probe", description: "A model", model_file });
  const plan = buildPlan("download", model, null, { info: V3, ...ids });
  assert.deepEqual(plan?.body, { ...model_file, description: "A model", reference: "https://huggingface.co/x/probe", ui_id: "ui-1" });
  assert.deepEqual([plan?.route, plan?.mode, plan?.target, plan?.source], ["/manager/queue/install_model", "queue", "models/loras", model_file.url]);
  assert.equal(buildPlan("download", pack(), null, { info: V3, ...ids }), null, "nothing to download");
  assert.equal(modelFolder({ ...model_file, save_path: "vae_approx" }), "models/vae_approx");
  assert.equal(modelFolder({ ...model_file, type: "Checkpoint" }), "models/checkpoints");
  assert.equal(modelFolder({ ...model_file, type: "TAESD" }), "models/etc");
  assert.equal(modelFolder({ ...model_file, save_path: "../escape" }), "models/etc", "the Manager's own fallback");
  assert.equal(modelFolder({ ...model_file, save_path: "custom_nodes/x/models" }), "custom_nodes/x/models");
});

test("v4: one task route for its own UI (with the page's client id); the v3 bodies batched for its legacy UI", () => {
  const index = indexRecords(LIST);
  const vhs = findRecord(index, pack({ pack_id: "comfyui-videohelpersuite" }));
  const install = buildPlan("install", pack({ pack_id: "comfyui-kjnodes", install_type: "cnr", files: [] }), null, { info: V4, ...ids });
  assert.equal(install?.route, "/v2/manager/queue/task");
  assert.deepEqual(install?.body, { ui_id: "ui-1", client_id: "client-1", kind: "install", params: {
    id: "comfyui-kjnodes", version: "latest", selected_version: "latest", repository: "https://github.com/someone/ComfyUI-Probe",
    mode: "cache", channel: "default", skip_post_install: false } });
  assert.equal(install && withVersion(install, "1.0.0").body.params.selected_version, "1.0.0");
  const enable = buildPlan("enable", pack({ pack_id: "comfyui-kjnodes" }), null, { info: V4, ...ids });
  assert.deepEqual(enable?.body.params, { cnr_id: "comfyui-kjnodes" });
  const update = buildPlan("update", pack(), vhs, { info: V4, ...ids });
  assert.deepEqual(update?.body.params, { node_name: "comfyui-videohelpersuite", node_ver: "1.6.1" });
  const model = pack({ kind: "model", model_file: { name: "m", type: "vae", base: "", save_path: "default", filename: "m.safetensors", url: "https://x/m" } });
  const download = buildPlan("download", model, null, { info: V4, ...ids });
  assert.deepEqual([download?.route, download?.body.client_id, download?.mode], ["/v2/manager/queue/install_model", "client-1", "queue"]);

  const legacy = buildPlan("install", pack(), findRecord(index, pack()), { info: V4_LEGACY, ...ids });
  assert.deepEqual([legacy?.route, legacy?.mode, legacy?.body.install[0].ui_id], ["/v2/manager/queue/batch", "batch", "ui-1"]);
  const legacyRegistry = buildPlan("install", pack({ pack_id: "comfyui-kjnodes", install_type: "cnr", files: [] }), null, { info: V4_LEGACY, ...ids });
  assert.equal(legacyRegistry && withVersion(legacyRegistry, "1.0.0").body.install[0].selected_version, "1.0.0");
  assert.equal(buildPlan("update", pack(), vhs, { info: V4_LEGACY, ...ids })?.body.update[0].id, "comfyui-videohelpersuite");
  assert.deepEqual(Object.keys(buildPlan("download", model, null, { info: V4_LEGACY, ...ids })?.body ?? {}), ["install_model"]);
  assert.equal(buildPlan("install", pack(), null, { info: V4_LEGACY, ...ids })?.route, "/v2/customnode/install/git_url");
});

test("a refusal is told apart by status, token and action; anything else is not one", () => {
  assert.equal(refusal("install", 403, ""), "level");
  assert.equal(refusal("install", 404, ""), "gitUrl", "an unknown or blocked URL");
  assert.equal(refusal("install", 403, "allow_git_url_install"), "gitUrl");
  assert.equal(refusal("restart", 403, "comfyui_outdated"), "outdated");
  assert.equal(refusal("download", 403, ""), "model");
  assert.equal(refusal("download", 400, ""), "modelList");
  assert.equal(refusal("install", 400, ""), null);
  assert.equal(refusal("install", 500, ""), null);
  assert.equal(refusal("install", 403, "", true), "outdated", "a ComfyUI too old for it: every install is refused");
  assert.equal(refusal("install", 404, "", true), "gitUrl");
});
