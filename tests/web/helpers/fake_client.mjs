// An in-memory stand-in for the /awesome/v1 client with the same shapes, for panel tests.
import { ApiError } from "../../../web/lib/api.js";

/** @param {number} count */
export function makeResources(count) {
  const kinds = ["node-pack", "model", "workflow", "tool"];
  return Array.from({ length: count }, (_, i) => ({
    id: `res-${i}`, name: `Resource ${i}${i % 10 === 0 ? " video" : ""}`, url: `https://example.org/r/${i}`,
    category: i % 2 ? "video-generation" : "essentials", kind: kinds[i % kinds.length],
    description: `Description of resource ${i}`, tags: i % 3 ? ["video"] : ["image"], author: "someone",
    license: "", install_url: "", stars: i, updated: "", source: i === 1 ? "user" : "curated", favorite: false,
    installed: i % 5 === 2,
  }));
}

/**
 * @param {ReturnType<typeof makeResources>} items
 * @param {{fail?: () => Error | null, hold?: boolean}} [options]
 */
export function fakeClient(items, options = {}) {
  const calls = [];
  /** @type {{resolve: () => void}[]} */
  const held = [];
  const favorites = new Set();
  /** The server's sources.json, the link cache (by URL), and what a link check finds (by URL). */
  const settings = { manager: { enabled: false, folder: "/data/manager", url: "" }, registry: { enabled: false, folder: "", url: "" } };
  const linkCache = {};
  const verdicts = {};
  /** @type {{resolve: (value: unknown) => void}[]} refreshes waiting for releaseRefresh() */
  const refreshes = [];
  const client = {
    calls, held, favorites, items, settings, linkCache, verdicts, refreshes,
    /** What POST sources/{name}/refresh answers (or throws). */
    refreshAnswer: (name) => ({ name, ok: true, outcomes: [{ name, state: "not-modified", when: "", fetched_at: "",
      message: `${name} is read from the local folder /data/manager; nothing to download` }] }),
    fail: options.fail ?? (() => null),
    /** The manager's state GET sources reports while it is on (default: on, 6,445 entries, 25 skipped). */
    managerState: /** @type {object | null} */ (null),
    hold: options.hold ?? false,
    /** @param {string} query @param {AbortSignal} [signal] */
    async search(query, signal) {
      const params = new URLSearchParams(query);
      calls.push({ query, signal });
      if (client.hold) await new Promise((resolve) => held.push({ resolve }));
      if (signal?.aborted) throw Object.assign(new Error("aborted"), { name: "AbortError" });
      const failure = client.fail();
      if (failure) throw failure;
      const q = (params.get("q") ?? "").toLowerCase();
      let found = items.filter((r) => !q || r.name.toLowerCase().includes(q));
      if (params.get("kind")) found = found.filter((r) => r.kind === params.get("kind"));
      if (params.get("category")) found = found.filter((r) => r.category === params.get("category"));
      for (const tag of params.getAll("tag")) found = found.filter((r) => r.tags.includes(tag));
      if (params.get("favorites") === "1") found = found.filter((r) => favorites.has(r.id));
      if (params.get("installed") === "1") found = found.filter((r) => r.installed);
      if (params.get("disabled") === "1") found = found.filter((r) => r.disabled);
      const offset = Number(params.get("offset") ?? 0);
      const limit = Number(params.get("limit") ?? 50);
      const count = (/** @type {string} */ field) => {
        const out = {};
        for (const r of found) for (const v of field === "tag" ? r.tags : [r[field]]) out[v] = (out[v] ?? 0) + 1;
        return out;
      };
      return {
        total: found.length, offset, limit,
        items: found.slice(offset, offset + limit).map((r) => ({ ...r, favorite: favorites.has(r.id) })),
        facets: params.get("facets") === "1" ? { category: count("category"), kind: count("kind"), tag: count("tag") } : {},
      };
    },
    async resource(id) {
      const found = items.find((r) => r.id === id);
      if (!found) throw new ApiError(404, `no resource with id '${id}'`, { param: "id" });
      return { ...found, favorite: favorites.has(id) };
    },
    async categories() {
      return { categories: [
        { id: "essentials", name: "Quick Start & Essential Setup", description: "", count: 1 },
        { id: "video-generation", name: "Video Generation", description: "", count: 1 },
        { id: "mine", name: "My Resources", description: "", count: 0 },
      ] };
    },
    async sources() {
      calls.push({ sources: true });
      const loaded = [{ name: "curated", resources: items.length, problems: 1, error: "" }];
      if (settings.manager.enabled) loaded.push({ name: "manager", resources: 6445, problems: 25, error: "" });
      if (settings.registry.enabled) loaded.push({ name: "registry", resources: 0, problems: 0, error: "" });
      const off = { state: "off", resources: 0, skipped: 0, detail: "" };
      const states = {
        manager: settings.manager.enabled ? client.managerState ?? { state: "on", resources: 6445, skipped: 25, detail: "" } : off,
        registry: settings.registry.enabled ? { state: "missing", resources: 0, skipped: 0, detail: "" } : off,
      };
      const upstream = states.manager.skipped
        ? [{ source: "manager", file: "model-list.json", line: null, field: "models[433].url", message: "must start with http:// or https://; skipped" }]
        : [];
      return { version: "v", resources: items.length, sources: loaded,
        settings: structuredClone(settings),
        refresh: { manager: settings.manager.folder ? null : "https://example.org/manager", registry: "https://api.comfy.org" },
        states,
        problems: [{ file: "data/resources/video.yaml", line: 3, field: "url", message: "must start with http:// or https://" }],
        problem_count: 1, upstream_problems: upstream, upstream_problem_count: states.manager.skipped };
    },
    async setSource(name, change) {
      calls.push({ setSource: name, change });
      const failure = client.fail();
      if (failure) throw failure;
      if (!(name in settings)) throw new ApiError(404, `no optional source '${name}'`, { param: "name" });
      if ("enabled" in change && typeof change.enabled !== "boolean") throw new ApiError(400, `${name}.enabled: must be true or false`);
      Object.assign(settings[name], change);
      return { settings: structuredClone(settings) };
    },
    async refreshSource(name) {
      calls.push({ refresh: name });
      await new Promise((resolve) => refreshes.push({ resolve }));
      return client.refreshAnswer(name);
    },
    releaseRefresh() { for (const r of refreshes.splice(0)) r.resolve(); },
    async links() {
      calls.push({ links: true });
      return { links: structuredClone(linkCache) };
    },
    async checkLinks(ids) {
      calls.push({ checkLinks: ids });
      const failure = client.fail();
      if (failure) throw failure;
      const out = {};
      for (const id of ids) {
        const found = items.find((r) => r.id === id);
        if (!found) throw new ApiError(400, `no resource with id '${id}'`, { param: "ids" });
        const verdict = verdicts[found.url] ?? { state: "alive", status: 200, final_url: found.url, message: "" };
        out[id] = { url: found.url, checked_at: "2026-01-31T14:05:00+00:00", ...verdict };
        linkCache[found.url] = out[id];
      }
      return { links: out };
    },
    /** POST node-types: the items whose `node_types` list each type. */
    async nodeTypes(types) {
      calls.push({ nodeTypes: types });
      const failure = client.fail();
      if (failure) throw failure;
      const answer = types.map((type) => ({ type, providers: items.filter((r) => (r.node_types ?? []).includes(type))
        .map((r) => ({ ...r, favorite: favorites.has(r.id) })) }));
      return { types: answer, unmatched: answer.filter((a) => a.providers.length === 0).length };
    },
    async validate() { return { ok: true, problems: [] }; },
    async addEntry(entry) {
      calls.push({ add: entry });
      const failure = client.fail();
      if (failure) throw failure;
      return { id: "new-entry", category: "mine", description: "", tags: [], author: "", license: "", install_url: "",
        stars: null, updated: "", source: "user", ...entry };
    },
    async updateEntry(id, entry) {
      calls.push({ update: id, entry });
      const found = items.find((r) => r.id === id);
      Object.assign(found, entry);
      return { ...found };
    },
    async deleteEntry(id) { calls.push({ delete: id }); return null; },
    async setFavorite(id, on) {
      calls.push({ favorite: id, on });
      const failure = client.fail();
      if (failure) throw failure;
      if (on) favorites.add(id); else favorites.delete(id);
      return { ids: [...favorites] };
    },
    releaseAll() { for (const h of held.splice(0)) h.resolve(); },
  };
  return client;
}
