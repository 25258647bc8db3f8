// The pack's HTTP API (/awesome/v1/, see nodes/server/), called through ComfyUI's
// api.fetchApi so that the user header and the base path are right. Every failure becomes
// an ApiError the panel can show; an abort stays an AbortError so it can be ignored.

/** @typedef {import("./types.js").Resource} Resource */
/** @typedef {import("./types.js").Problem} Problem */
/** @typedef {(route: string, init?: RequestInit) => Promise<Response>} FetchApi */

export const PREFIX = "/awesome/v1/";

export class ApiError extends Error {
  /**
   * @param {number} status 0 when the server could not be reached
   * @param {string} message
   * @param {{param?: string, problems?: Problem[], existing?: {id: string, name: string}}} [extra]
   */
  constructor(status, message, extra = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.param = extra.param;
    this.problems = extra.problems ?? [];
    /** The resource that already has the URL, on a 409 that names one. */
    this.existing = extra.existing;
  }

  get offline() {
    return this.status === 0;
  }
}

/** @param {unknown} error */
export function isAbort(error) {
  return error instanceof Error && error.name === "AbortError";
}

/**
 * @param {FetchApi} fetchApi
 */
export function createClient(fetchApi) {
  /**
   * @param {string} path under PREFIX
   * @param {{method?: string, body?: unknown, signal?: AbortSignal}} [options]
   * @returns {Promise<any>}
   */
  async function call(path, { method = "GET", body, signal } = {}) {
    /** @type {Response} */
    let res;
    try {
      // A fresh init object each time: older frontends add their header to it in place.
      // Every request that changes something says JSON, body or not: the server obeys only
      // those (a page on another site cannot send them without asking first).
      res = await fetchApi(PREFIX + path, {
        method,
        headers: body === undefined && method === "GET" ? {} : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error; // our own abort: the caller ignores it
      throw new ApiError(0, error instanceof Error ? error.message : String(error));
    }
    if (res.status === 204) return null;
    /** @type {any} */
    let data = null;
    try {
      data = await res.json();
    } catch (error) {
      if (signal?.aborted) throw error;
      data = null;
    }
    if (!res.ok) {
      const detail = data && typeof data === "object" ? data.error : null;
      const message = typeof detail?.message === "string" ? detail.message : res.statusText || `HTTP ${res.status}`;
      throw new ApiError(res.status, message, {
        param: typeof detail?.param === "string" ? detail.param : undefined,
        problems: Array.isArray(detail?.problems) ? detail.problems : [],
        existing: typeof detail?.existing?.id === "string" && typeof detail.existing.name === "string"
          ? { id: detail.existing.id, name: detail.existing.name } : undefined,
      });
    }
    if (data === null || typeof data !== "object") {
      throw new ApiError(res.status, "the server's answer is not the expected JSON");
    }
    return data;
  }

  const id = (/** @type {string} */ value) => encodeURIComponent(value);

  return {
    /**
     * @param {string} query from buildQuery()
     * @param {AbortSignal} [signal]
     * @returns {Promise<import("./types.js").SearchResult>}
     */
    search: (query, signal) => call(`resources?${query}`, { signal }),
    /** @param {string} resourceId @returns {Promise<Resource>} */
    resource: (resourceId) => call(`resources/${id(resourceId)}`),
    /** @returns {Promise<{categories: import("./types.js").Category[]}>} */
    categories: () => call("categories"),
    /** @returns {Promise<import("./types.js").SourcesInfo>} */
    sources: () => call("sources"),
    /** @param {object} resource @returns {Promise<{ok: boolean, problems: Problem[]}>} */
    validate: (resource) => call("validate", { method: "POST", body: resource }),
    /** @param {object} entry @returns {Promise<Resource>} */
    addEntry: (entry) => call("user/resources", { method: "POST", body: entry }),
    /** @param {string} resourceId @param {object} entry @returns {Promise<Resource>} */
    updateEntry: (resourceId, entry) => call(`user/resources/${id(resourceId)}`, { method: "PUT", body: entry }),
    /** @param {string} resourceId @returns {Promise<null>} */
    deleteEntry: (resourceId) => call(`user/resources/${id(resourceId)}`, { method: "DELETE" }),
    /** @param {string} resourceId @param {boolean} on @returns {Promise<{ids: string[]}>} */
    setFavorite: (resourceId, on) => call(`user/favorites/${id(resourceId)}`, { method: on ? "PUT" : "DELETE" }),
    /**
     * Switch an optional source on or off (or point it elsewhere).
     * @param {import("./types.js").OptionalSource} name
     * @param {Partial<import("./types.js").SourceSetting>} change
     * @returns {Promise<{settings: Record<string, import("./types.js").SourceSetting>}>}
     */
    setSource: (name, change) => call(`sources/${id(name)}`, { method: "PUT", body: change }),
    /**
     * Fetch an optional source again (may take many seconds; 409 while one is running).
     * @param {import("./types.js").OptionalSource} name
     * @returns {Promise<import("./types.js").RefreshResult>}
     */
    refreshSource: (name) => call(`sources/${id(name)}/refresh`, { method: "POST" }),
    /** @returns {Promise<{links: Record<string, import("./types.js").LinkStatus>}>} every cached check, by URL */
    links: () => call("links"),
    /**
     * Check the links of these resources now (409 while another check runs).
     * @param {string[]} ids
     * @returns {Promise<{links: Record<string, import("./types.js").LinkStatus>}>} by resource id
     */
    checkLinks: (ids) => call("links/check", { method: "POST", body: { ids } }),
    /**
     * The packs that provide these node types (the workflow's missing ones).
     * @param {string[]} types
     * @returns {Promise<import("./types.js").NodeTypesAnswer>}
     */
    nodeTypes: (types) => call("node-types", { method: "POST", body: { types } }),
  };
}

/** @typedef {ReturnType<typeof createClient>} Client */
