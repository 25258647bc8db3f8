// The ComfyUI-Manager client: its HTTP API, reached through ComfyUI's api.fetchApi like the
// Manager's own dialog. v3 answers under /manager/ and /customnode/; v4 under /v2/ (its own
// UI's task queue, or its legacy UI's routes). What to send is built in manager_packs.js; this
// module only sends it and reports what came back.

import { parseVersion } from "./manager_queue.js";

/** @typedef {import("./types.js").ManagerInfo} ManagerInfo */
/** @typedef {(route: string, init?: RequestInit) => Promise<Response>} FetchApi */

/** The answer to one request: status 0 when the server could not be reached. */
/** @typedef {{status: number, ok: boolean, text: string, token: string}} Answer */

export const NO_MANAGER = /** @type {ManagerInfo} */ (Object.freeze({ api: "none", version: "", legacy: false, outdated: false }));

/** @param {ManagerInfo} info */
const prefix = (info) => (info.api === "v4" ? "/v2" : "");

/** @param {FetchApi} fetchApi */
export function createManagerClient(fetchApi) {
  /**
   * @param {string} route
   * @param {{method?: string, body?: unknown}} [options]
   * @returns {Promise<Answer>}
   */
  async function send(route, { method = "GET", body } = {}) {
    /** @type {Response} */
    let res;
    try {
      // Every POST says JSON: the Manager refuses form-like content types on its routes
      // without a body (a cross-site form could send those).
      res = await fetchApi(route, {
        method, cache: "no-store",
        headers: method === "GET" ? {} : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      return { status: 0, ok: false, text: error instanceof Error ? error.message : String(error), token: "" };
    }
    let text = "";
    try {
      text = await res.text();
    } catch {
      text = "";
    }
    let token = "";
    try {
      const data = JSON.parse(text);
      if (data && typeof data.error === "string") token = data.error;
    } catch {
      // plain text, as most of its answers are
    }
    return { status: res.status, ok: res.ok, text, token };
  }

  /**
   * @param {string} route
   * @returns {Promise<unknown>} the JSON answer, or null when it failed
   */
  async function getJson(route) {
    const answer = await send(route);
    if (!answer.ok) return null;
    try {
      return JSON.parse(answer.text);
    } catch {
      return null;
    }
  }

  return {
    send,

    /**
     * Which Manager answers here: v4 under /v2 (and whether it runs its legacy UI), else v3.
     * @returns {Promise<ManagerInfo>}
     */
    async detect() {
      const [v4, v3] = await Promise.all([send("/v2/manager/version"), send("/manager/version")]);
      const v4Version = v4.ok ? parseVersion(v4.text) : "";
      if (v4Version) {
        const legacy = /** @type {{is_legacy_manager_ui?: unknown} | null} */ (await getJson("/v2/manager/is_legacy_manager_ui"));
        return { api: "v4", version: v4Version, legacy: legacy?.is_legacy_manager_ui === true, outdated: false };
      }
      const v3Version = v3.ok ? parseVersion(v3.text) : "";
      if (!v3Version) return NO_MANAGER;
      // Its startup alerts say when it blocks installs because ComfyUI is too old for it.
      const alerts = await getJson("/manager/startup_alerts");
      const outdated = Array.isArray(alerts) && alerts.some((a) => /\boutdated\b/i.test(String(a?.message ?? "")));
      return { api: "v3", version: v3Version, legacy: false, outdated };
    },

    /**
     * The Manager's node list, from its cache without checking for updates (it can still
     * take seconds). v4's own UI has no such list: null.
     * @param {ManagerInfo} info
     */
    list(info) {
      if (info.api === "none" || (info.api === "v4" && !info.legacy)) return Promise.resolve(null);
      return getJson(`${prefix(info)}/customnode/getlist?mode=cache&skip_update=true`);
    },

    /**
     * The Registry versions of a pack, newest first; [] when the Manager cannot say (offline).
     * @param {ManagerInfo} info
     * @param {string} id
     * @returns {Promise<string[]>}
     */
    async versions(info, id) {
      if (info.api === "none" || (info.api === "v4" && !info.legacy)) return [];
      const data = await getJson(`${prefix(info)}/customnode/versions/${encodeURIComponent(id)}`);
      if (!Array.isArray(data)) return [];
      return data.map((v) => (v && typeof v === "object" ? v.version : v)).filter((v) => typeof v === "string" && v !== "");
    },

    /** @param {ManagerInfo} info */
    status: (info) => getJson(`${prefix(info)}/manager/queue/status`),
    /** @param {ManagerInfo} info */
    reset: (info) => send(`${prefix(info)}/manager/queue/reset`, { method: "POST" }),
    /** @param {ManagerInfo} info */
    start: (info) => send(`${prefix(info)}/manager/queue/start`, { method: "POST" }),
    /** @param {ManagerInfo} info */
    reboot: (info) => send(`${prefix(info)}/manager/reboot`, { method: "POST" }),
    /** @param {ManagerInfo} info */
    version: (info) => send(`${prefix(info)}/manager/version`),
  };
}

/** @typedef {ReturnType<typeof createManagerClient>} ManagerClient */
