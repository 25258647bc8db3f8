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
  const client = {
    calls, held, favorites, items,
    fail: options.fail ?? (() => null),
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
      return { version: "v", resources: items.length, sources: [{ name: "curated", resources: items.length, problems: 1, error: null }],
        problems: [{ file: "data/resources/video.yaml", line: 3, field: "url", message: "must start with http:// or https://" }],
        problem_count: 1 };
    },
    async validate() { return { ok: true, problems: [] }; },
    async addEntry(entry) {
      calls.push({ add: entry });
      const failure = client.fail();
      if (failure) throw failure;
      return { id: "new-entry", category: "mine", description: "", tags: [], author: "", license: "", install_url: "",
        stars: null, updated: "", source: "user", ...entry };
    },
    async updateEntry(id, entry) { calls.push({ update: id, entry }); return { id, source: "user", ...entry }; },
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
