// What the sidebar asks of ComfyUI-Manager for one resource, as data: the Manager's own
// record of a node pack (from its node list), which actions it allows, and the request each
// takes. Free of DOM and network: manager.js sends what is built here, and the shapes follow
// the Manager's own dialog (js/custom-nodes-manager.js installNodes: the record as listed,
// plus selected_version, channel, mode, ui_id, skip_post_install).

import { safeHttpUrl } from "./text.js";

/** @typedef {import("./types.js").Resource} Resource */
/** @typedef {import("./types.js").PackRecord} PackRecord */
/** @typedef {import("./types.js").ManagerInfo} ManagerInfo */
/** @typedef {import("./types.js").ManagerKind} ManagerKind */
/** @typedef {import("./types.js").Plan} Plan */
/** @typedef {import("./types.js").ModelFile} ModelFile */

/** The folder a model of a type goes to when its save_path is "default" (the Manager's model_dir_name_map). */
const MODEL_FOLDERS = /** @type {Record<string, string>} */ ({
  checkpoints: "checkpoints", checkpoint: "checkpoints", unclip: "checkpoints", text_encoders: "text_encoders",
  clip: "text_encoders", vae: "vae", lora: "loras", "t2i-adapter": "controlnet", "t2i-style": "controlnet",
  controlnet: "controlnet", clip_vision: "clip_vision", gligen: "gligen", upscale: "upscale_models",
  embedding: "embeddings", embeddings: "embeddings", unet: "diffusion_models", diffusion_model: "diffusion_models",
});

/**
 * A URL reduced to what identifies a repository: no scheme, "www.", trailing slash or ".git",
 * lower case. "" for anything that is not text.
 * @param {unknown} url
 */
export function normalizeUrl(url) {
  if (typeof url !== "string") return "";
  return url.trim().toLowerCase().replace(/^https?:\/\//, "").replace(/^www\./, "")
    .replace(/\/+$/, "").replace(/\.git$/, "").replace(/\/+$/, "");
}

/**
 * The last part of a URL's path without ".git": the folder a clone of it lands in.
 * @param {string} url
 */
export function folderName(url) {
  const parts = url.replace(/[?#].*$/, "").replace(/\/+$/, "").replace(/\.git$/, "").split("/");
  return parts.at(-1) ?? "";
}

/** @param {unknown} value @returns {string[]} */
const strings = (value) => (Array.isArray(value) ? value.filter((v) => typeof v === "string") : []);

/**
 * The Manager's state words ("enabled" in v3.41; "installed" elsewhere) as ours.
 * @param {unknown} state
 * @returns {PackRecord["state"]}
 */
function recordState(state) {
  if (state === "disabled") return "disabled";
  if (state === "enabled" || state === "installed" || state === "import-fail") return "installed";
  return "not-installed";
}

/**
 * One entry of the Manager's list as the sidebar keeps it.
 * @param {string} key
 * @param {Record<string, unknown>} pack
 * @param {string} channel
 * @returns {PackRecord}
 */
export function toRecord(key, pack, channel) {
  // The Manager's dialog gives records without an id their key (loadData: originalData.id = k).
  const data = { ...pack, id: typeof pack.id === "string" && pack.id ? pack.id : key };
  const text = (/** @type {unknown} */ value) => (typeof value === "string" || typeof value === "number" ? String(value) : "");
  return {
    key, id: String(data.id), state: recordState(pack.state),
    importFailed: pack["import-fail"] === true || pack.state === "import-fail",
    updatable: pack["update-state"] === "true" || pack["update-state"] === true,
    version: text(pack.version), latest: text(pack.cnr_latest), channel, data,
  };
}

/**
 * An index of the Manager's node list (GET /customnode/getlist): each record by its key and
 * id, and by every repository URL it names.
 * @param {unknown} answer `{channel, node_packs: {key: record}}`
 * @returns {{channel: string, byKey: Map<string, string>, packs: Record<string, Record<string, unknown>>}}
 */
export function indexRecords(answer) {
  const body = /** @type {{channel?: unknown, node_packs?: unknown}} */ (answer && typeof answer === "object" ? answer : {});
  const packs = /** @type {Record<string, Record<string, unknown>>} */ (
    body.node_packs && typeof body.node_packs === "object" ? body.node_packs : {});
  /** @type {Map<string, string>} */
  const byKey = new Map();
  const add = (/** @type {string} */ name, /** @type {string} */ key) => { if (name && !byKey.has(name)) byKey.set(name, key); };
  for (const [key, pack] of Object.entries(packs)) {
    if (!pack || typeof pack !== "object") continue;
    add(`id:${key.toLowerCase()}`, key);
    if (typeof pack.id === "string") add(`id:${pack.id.toLowerCase()}`, key);
    for (const url of [...strings(pack.files), pack.repository, pack.reference]) {
      const normal = normalizeUrl(url);
      if (normal.includes("/")) add(`url:${normal}`, key);
    }
  }
  return { channel: typeof body.channel === "string" && body.channel ? body.channel : "default", byKey, packs };
}

/**
 * The Manager's record of a resource: by its Registry/Manager id, else by a repository URL.
 * @param {ReturnType<typeof indexRecords>} index
 * @param {Resource} resource
 * @returns {PackRecord | null}
 */
export function findRecord(index, resource) {
  const names = [
    resource.pack_id ? `id:${resource.pack_id.toLowerCase()}` : "",
    ...[...(resource.files ?? []), resource.install_url, resource.url].map((url) => {
      const normal = normalizeUrl(url);
      return normal.includes("/") ? `url:${normal}` : "";
    }),
  ];
  for (const name of names) {
    const key = name ? index.byKey.get(name) : undefined;
    const pack = key === undefined ? undefined : index.packs[key];
    if (key !== undefined && pack) return toRecord(key, pack, index.channel);
  }
  return null;
}

/**
 * The git URL a node pack is cloned from: its first file, else its install URL or link
 * when those are web addresses.
 * @param {Resource} resource
 */
export function gitUrl(resource) {
  for (const url of [...(resource.files ?? []), resource.install_url, resource.url]) {
    const safe = safeHttpUrl(url);
    if (safe) return safe;
  }
  return "";
}

/** @param {Resource} resource */
const isRegistryPack = (resource) => Boolean(resource.pack_id) && (resource.install_type === "cnr" || !gitUrl(resource));

/**
 * What the Manager can do for a resource now, its record preferred over our own marks.
 * @param {Resource} resource
 * @param {PackRecord | null | undefined} record
 * @returns {ManagerKind[]}
 */
export function packActions(resource, record) {
  if (resource.kind !== "node-pack") return resource.model_file ? ["download"] : [];
  if (record) {
    if (record.state === "disabled") return ["enable"];
    if (record.state === "installed") return record.updatable ? ["update"] : [];
    return ["install"];
  }
  if (resource.disabled === true) return ["enable"];
  if (resource.installed === true) return [];
  return resource.pack_id || gitUrl(resource) ? ["install"] : [];
}

/**
 * Where a model lands: `models/<save_path>`, or for "default" the folder of its type.
 * @param {ModelFile} model
 */
export function modelFolder(model) {
  const path = model.save_path || "default";
  if (path !== "default") {
    if (path.includes("..") || path.startsWith("/")) return "models/etc"; // the Manager's own fallback
    return path.startsWith("custom_nodes") ? path : `models/${path}`;
  }
  return `models/${MODEL_FOLDERS[(model.type || "").toLowerCase()] ?? "etc"}`;
}

/**
 * The request for one action, in the dialect of the Manager found.
 * @param {ManagerKind} kind
 * @param {Resource} resource
 * @param {PackRecord | null} record
 * @param {{info: ManagerInfo, uiId: string, clientId: string, versions?: string[]}} options
 * @returns {Plan | null} null when the Manager cannot do it for this resource
 */
export function buildPlan(kind, resource, record, { info, uiId, clientId, versions = [] }) {
  const v2 = info.api === "v4";
  const prefix = v2 ? "/v2" : "";
  const tasks = v2 && !info.legacy; // v4's own UI: one task route; its legacy UI: the v3 bodies, batched
  if (kind === "download") {
    const model = resource.model_file;
    if (!model) return null;
    const body = { ...model, name: model.name || resource.name, description: resource.description, reference: resource.url, ui_id: uiId };
    const base = { kind, uiId, source: model.url, target: modelFolder(model), what: /** @type {const} */ ("download"), versions: [] };
    if (v2 && !tasks) return { ...base, route: "/v2/manager/queue/batch", body: { install_model: [body] }, mode: "batch" };
    return { ...base, route: `${prefix}/manager/queue/install_model`, body: tasks ? { ...body, client_id: clientId } : body, mode: "queue" };
  }
  const url = gitUrl(resource);
  const registry = record ? record.version !== "unknown" : isRegistryPack(resource);
  const id = record?.id || resource.pack_id || folderName(url);
  if (!id) return null;
  const source = (record ? strings(record.data.files)[0] || String(record.data.repository ?? "") : "") || url;
  const base = {
    kind, uiId, source, target: `custom_nodes/${registry ? id : folderName(source) || id}`,
    registryId: registry ? id : undefined, versions: kind === "install" && registry ? versions : [],
  };
  /** @type {Record<string, unknown>} what the Manager's list says, or what we know */
  const data = record ? { ...record.data } : {
    id, version: registry ? resource.version || "latest" : "unknown", files: url ? [url] : [], repository: url,
    title: resource.name, install_type: registry ? "cnr" : resource.install_type || "git-clone",
  };
  const channel = record?.channel ?? "default";
  if (tasks) {
    const params = kind === "enable" ? { cnr_id: id }
      : kind === "update" ? { node_name: id, node_ver: String(data.version ?? "") }
        : { id, version: String(data.version ?? "unknown"), selected_version: registry ? "latest" : "unknown", repository: url || undefined,
          mode: "cache", channel, skip_post_install: false };
    return { ...base, route: "/v2/manager/queue/task", body: { ui_id: uiId, client_id: clientId, kind, params }, mode: "queue",
      what: kind === "install" ? (registry ? "registry" : "clone") : kind };
  }
  if (kind === "update") {
    const body = { ...data, ui_id: uiId };
    return { ...base, what: "update", ...(v2 ? { route: "/v2/manager/queue/batch", body: { update: [body] }, mode: "batch" }
      : { route: "/manager/queue/update", body, mode: "queue" }) };
  }
  if (kind === "install" && !record && !registry) {
    // A git pack the Manager does not list: its queue would not find it; its own
    // "Install via Git URL" route takes it (allowed only by allow_git_url_install on loopback).
    if (!url) return null;
    return { ...base, what: "clone", route: `${prefix}/customnode/install/git_url`, body: { url }, mode: "direct" };
  }
  const body = { ...data, channel, mode: "cache", ui_id: uiId, skip_post_install: kind === "enable" };
  return { ...base, what: kind === "enable" ? "enable" : registry ? "registry" : "clone",
    ...(v2 ? { route: "/v2/manager/queue/batch", body: { install: [body] }, mode: "batch" }
      : { route: "/manager/queue/install", body, mode: "queue" }) };
}

/**
 * The plan with the Registry version the user chose ("" keeps the Manager's default: latest).
 * @param {Plan} plan
 * @param {string} version
 * @returns {Plan}
 */
export function withVersion(plan, version) {
  if (!version || plan.kind !== "install" || !plan.registryId) return plan;
  const set = (/** @type {Record<string, unknown>} */ body) => ({ ...body, selected_version: version });
  if (plan.route.endsWith("/queue/task")) {
    const params = /** @type {Record<string, unknown>} */ (plan.body.params);
    return { ...plan, body: { ...plan.body, params: set(params) } };
  }
  if (plan.mode === "batch") {
    const items = /** @type {Record<string, unknown>[]} */ (plan.body.install);
    return { ...plan, body: { install: items.map(set) } };
  }
  return { ...plan, body: set(plan.body) };
}

/**
 * Why the Manager refused a request, from its answer: its security level, the git URL flag,
 * a model it does not list or will not download, an outdated ComfyUI, or something else.
 * It logs the reason itself; the page only gets the status (and on newer versions a token).
 * @param {ManagerKind | "restart"} kind
 * @param {number} status
 * @param {string} token the `error` of a JSON answer, if any
 * @param {boolean} [outdated] the Manager said at startup that ComfyUI is too old for it
 * @returns {"level" | "gitUrl" | "model" | "modelList" | "outdated" | "other" | null} null: not a refusal
 */
export function refusal(kind, status, token, outdated = false) {
  if (token === "comfyui_outdated" || (outdated && status === 403)) return "outdated";
  if (token === "allow_git_url_install") return "gitUrl";
  if (status === 403) return kind === "download" ? "model" : "level";
  if (status === 404 && kind !== "download" && kind !== "restart") return "gitUrl";
  if (status === 400 && kind === "download") return "modelList";
  return null;
}
