// What the user asked for (the store's `search` slice, see store.js): its reducer, the
// query string it maps to, and its persistence. Free of DOM and network, unit-tested in Node.

import {
  DEFAULT_SORT, ID_PATTERN, KINDS, MAX_FILTER_TAGS, MAX_QUERY, SORTS, TAG_PATTERN,
} from "./constants.js";

/** @typedef {import("./types.js").SidebarState} SidebarState */

export const STORAGE_KEY = "awesomecomfyuibeyond.sidebar.v1";

/**
 * @param {string} [sort]
 * @returns {SidebarState}
 */
export function initialState(sort = DEFAULT_SORT) {
  return {
    q: "", category: "", kind: "", tags: [], sort: isSort(sort) ? sort : DEFAULT_SORT,
    favoritesOnly: false, installedOnly: false, disabledOnly: false, scrollTop: 0, selectedId: "", detailsOpen: false,
  };
}

/** @param {unknown} value */
export function isSort(value) {
  return typeof value === "string" && /** @type {readonly string[]} */ (SORTS).includes(value);
}

/** @param {string} value */
function isKind(value) {
  return /** @type {readonly string[]} */ (KINDS).includes(value);
}

/**
 * @typedef {{type: "query", q: string}
 *   | {type: "category", value: string}
 *   | {type: "kind", value: string}
 *   | {type: "toggleTag", tag: string}
 *   | {type: "sort", value: string}
 *   | {type: "favoritesOnly", value: boolean}
 *   | {type: "installedOnly", value: boolean}
 *   | {type: "disabledOnly", value: boolean}
 *   | {type: "clearFilters"}
 *   | {type: "clearAll", sort?: string}
 *   | {type: "select", id: string}
 *   | {type: "details", open: boolean}
 *   | {type: "scroll", top: number}} SearchAction
 */

/**
 * The next state; `state` is never changed. A change of what is searched resets the scroll.
 * @param {SidebarState} state
 * @param {SearchAction} action
 * @returns {SidebarState}
 */
export function reduce(state, action) {
  const searched = (/** @type {Partial<SidebarState>} */ change) => ({ ...state, ...change, scrollTop: 0 });
  switch (action.type) {
    case "query":
      return searched({ q: action.q.slice(0, MAX_QUERY) });
    case "category":
      return searched({ category: ID_PATTERN.test(action.value) ? action.value : "" });
    case "kind":
      return searched({ kind: isKind(action.value) ? action.value : "" });
    case "toggleTag": {
      if (state.tags.includes(action.tag)) return searched({ tags: state.tags.filter((t) => t !== action.tag) });
      if (!TAG_PATTERN.test(action.tag) || state.tags.length >= MAX_FILTER_TAGS) return state;
      return searched({ tags: [...state.tags, action.tag] });
    }
    case "sort":
      return isSort(action.value) ? searched({ sort: action.value }) : state;
    case "favoritesOnly":
      return searched({ favoritesOnly: action.value });
    case "installedOnly":
      return searched({ installedOnly: action.value });
    case "disabledOnly":
      return searched({ disabledOnly: action.value });
    case "clearFilters":
      return searched({ category: "", kind: "", tags: [], favoritesOnly: false, installedOnly: false, disabledOnly: false });
    case "clearAll":
      return { ...initialState(action.sort ?? state.sort), selectedId: state.selectedId };
    case "select":
      return { ...state, selectedId: action.id };
    case "details":
      return { ...state, detailsOpen: action.open };
    case "scroll":
      return { ...state, scrollTop: Math.max(0, Math.round(action.top)) };
    default:
      return state;
  }
}

/** @param {SidebarState} state */
export function hasFilters(state) {
  return Boolean(state.category || state.kind || state.tags.length || state.favoritesOnly || state.installedOnly || state.disabledOnly);
}

/**
 * The query string for GET /awesome/v1/resources. Two states that search the same thing
 * give the same string without paging, so it doubles as the cache key of loaded pages.
 * @param {SidebarState} state
 * @param {{offset?: number, limit?: number, facets?: boolean}} [page]
 */
export function buildQuery(state, page = {}) {
  const params = new URLSearchParams();
  const q = state.q.trim();
  if (q) params.set("q", q);
  if (state.category) params.set("category", state.category);
  if (state.kind) params.set("kind", state.kind);
  for (const tag of state.tags) params.append("tag", tag);
  params.set("sort", state.sort);
  if (state.favoritesOnly) params.set("favorites", "1");
  if (state.installedOnly) params.set("installed", "1");
  if (state.disabledOnly) params.set("disabled", "1");
  if (page.offset !== undefined) params.set("offset", String(page.offset));
  if (page.limit !== undefined) params.set("limit", String(page.limit));
  if (page.facets !== undefined) params.set("facets", page.facets ? "1" : "0");
  return params.toString();
}

/**
 * The saved state, or the initial one when nothing (valid) was saved.
 * @param {Pick<Storage, "getItem"> | null | undefined} storage
 * @param {string} [defaultSort]
 * @returns {SidebarState}
 */
export function loadState(storage, defaultSort = DEFAULT_SORT) {
  const base = initialState(defaultSort);
  /** @type {unknown} */
  let raw = null;
  try {
    raw = JSON.parse(storage?.getItem(STORAGE_KEY) ?? "null");
  } catch {
    return base; // corrupt or blocked storage: start afresh rather than fail
  }
  if (!raw || typeof raw !== "object") return base;
  const saved = /** @type {Record<string, unknown>} */ (raw);
  // Replay the saved values through the reducer so they get the same checks as user input.
  let state = base;
  if (typeof saved.q === "string") state = reduce(state, { type: "query", q: saved.q });
  if (typeof saved.category === "string") state = reduce(state, { type: "category", value: saved.category });
  if (typeof saved.kind === "string") state = reduce(state, { type: "kind", value: saved.kind });
  if (Array.isArray(saved.tags)) {
    for (const tag of saved.tags) if (typeof tag === "string") state = reduce(state, { type: "toggleTag", tag });
  }
  if (typeof saved.sort === "string") state = reduce(state, { type: "sort", value: saved.sort });
  if (saved.favoritesOnly === true) state = reduce(state, { type: "favoritesOnly", value: true });
  if (saved.installedOnly === true) state = reduce(state, { type: "installedOnly", value: true });
  if (saved.disabledOnly === true) state = reduce(state, { type: "disabledOnly", value: true });
  if (typeof saved.scrollTop === "number" && Number.isFinite(saved.scrollTop)) {
    state = reduce(state, { type: "scroll", top: saved.scrollTop });
  }
  if (typeof saved.selectedId === "string" && ID_PATTERN.test(saved.selectedId)) {
    state = reduce(state, { type: "select", id: saved.selectedId });
  }
  if (saved.detailsOpen === true) state = reduce(state, { type: "details", open: true });
  return state;
}

/**
 * @param {Pick<Storage, "setItem"> | null | undefined} storage
 * @param {SidebarState} state
 */
export function saveState(storage, state) {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch {
    // Storage full or disabled (private mode): the state still lives for this page.
  }
}
