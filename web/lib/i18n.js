// Translations. The strings live in locales/<lang>/main.json under "awesomeBeyond", which
// ComfyUI merges into GET /i18n; the English ones are also built in here so that the panel
// never shows a bare key when /i18n fails or a language lacks a string.
// tests/web/i18n.test.mjs checks that locales/en/main.json equals EN and that zh has every key.

import { MANAGER_EN, WORKFLOW_EN } from "./i18n_manager.js";
import { TAGS_EN } from "./i18n_tags.js";

/** @typedef {{[key: string]: string | Messages}} Messages */

/** @type {Messages} */
export const EN = {
  panel: {
    title: "Awesome Beyond",
    close: "Close the sidebar",
    sections: "Filters, problems and sources",
  },
  search: {
    label: "Search the catalogue",
    placeholder: "Search the catalogue…",
  },
  sort: {
    label: "Sort by",
    relevance: "Best match",
    name: "Name",
    stars: "Stars",
    downloads: "Downloads",
    updated: "Last update",
    missing: {
      stars: "None of these {count} results has stars",
      starsOne: "This result has no stars",
      downloads: "None of these {count} results has a download count",
      downloadsOne: "This result has no download count",
      updated: "None of these {count} results has a last-update date",
      updatedOne: "This result has no last-update date",
    },
    partial: {
      stars: "{have} of {count} have stars; the rest follow by name",
      downloads: "{have} of {count} have a download count; the rest follow by name",
      updated: "{have} of {count} have a last-update date; the rest follow by name",
    },
    byName: "{reason}, so they are listed by name.",
  },
  filters: {
    title: "Filters",
    category: "Category",
    kind: "Kind",
    tags: "Tags",
    anyCategory: "All categories",
    anyKind: "All kinds",
    favoritesOnly: "Favourites only",
    installedOnly: "Installed only",
    disabledOnly: "Disabled only",
    clearAll: "Clear all",
    tagCount: "{tag} ({count})",
    moreTags: "All {count} tags",
    fewerTags: "Fewer tags",
  },
  kinds: {
    "node-pack": "Node pack",
    model: "Model",
    workflow: "Workflow",
    tool: "Tool",
    platform: "Platform",
    docs: "Documentation",
    tutorial: "Tutorial",
    community: "Community",
  },
  status: {
    count: "{count} resources",
    countOne: "1 resource",
    loading: "Loading…",
  },
  list: {
    label: "Catalogue results",
    loadingRow: "Loading…",
    stars: "★ {count}",
    starsTitle: "{count} stars",
    updatedTitle: "Last update: {date}",
    downloads: "⤓ {count}",
    downloadsTitle: "{count} downloads from the Comfy Registry",
  },
  favorite: {
    add: "Add {name} to favourites",
    remove: "Remove {name} from favourites",
    added: "Added {name} to favourites",
    removed: "Removed {name} from favourites",
    failed: "Could not change the favourites",
  },
  empty: {
    title: "Nothing matches",
    query: "No resource matches “{q}”.",
    queryAndFilters: "No resource matches “{q}” with the filters {filters}.",
    filters: "No resource has the filters {filters}.",
    favorites: "You have no favourites here yet: star a resource to keep it at hand.",
    installed: "None of the node packs in ComfyUI's custom_nodes folder is in the catalogue.",
    catalogue: "The catalogue is empty.",
    clearFilters: "Clear filters",
    clearSearch: "Clear the search",
    withoutFilters: "Search without filters — {count} results",
    withoutFiltersOne: "Search without filters — 1 result",
    switchOn: {
      manager: "Switch on ComfyUI-Manager's database",
      registry: "Switch on the Comfy Registry",
    },
    download: {
      manager: "Download ComfyUI-Manager's database and switch it on",
      registry: "Download the Comfy Registry's list and switch it on",
    },
    adds: "{action} — {count} more entries",
    addsOne: "{action} — 1 more entry",
    addsUpTo: "{action} — up to {count} more entries",
    matching: "{action} — {matches} of its {count} new entries match",
    matchingOne: "{action} — 1 of its {count} new entries matches",
  },
  error: {
    title: "The catalogue could not be loaded",
    offline: "ComfyUI's server did not answer. Check that it is still running, then retry.",
    status: "The server answered {status}: {message}",
    retry: "Retry",
  },
  problems: {
    summary: "{count} problems in the catalogue data",
    summaryOne: "1 problem in the catalogue data",
    more: "…and {count} more, listed by GET /awesome/v1/sources.",
    sourceFailed: "Source “{name}” could not be loaded: {error}",
    where: "{file}, line {line}",
  },
  details: {
    close: "Close details",
    open: "Open {name} in a new tab",
    url: "Link",
    author: "Author",
    license: "Licence",
    tags: "Tags",
    category: "Category",
    kind: "Kind",
    stars: "Stars",
    downloads: "Downloads",
    packId: "Registry id",
    managerId: "Manager id",
    version: "Latest version",
    nodes: "Nodes",
    updated: "Last update",
    source: "Source",
    install: "Install",
    installHint: "Run this in ComfyUI's custom_nodes folder, then restart ComfyUI.",
    copyUrl: "Copy URL",
    copyCommand: "Copy command",
    copied: "Copied to the clipboard",
    copyFailed: "Could not copy to the clipboard",
    notALink: "{url} (not a web link, so it is not opened)",
    none: "—",
    edit: "Edit",
    delete: "Delete",
    deleteConfirm: "Delete “{name}” from your own entries?",
    deleted: "Deleted {name}",
    deleteFailed: "Could not delete {name}",
  },
  form: {
    add: "Add your own",
    addTitle: "Add your own resource",
    editTitle: "Edit {name}",
    name: "Name",
    url: "URL",
    kind: "Kind",
    category: "Category",
    description: "Description",
    tags: "Tags",
    tagsHint: "Separated by commas, e.g. video, upscaling",
    urlHint: "A web address; https:// is added when you leave it out.",
    nameHint: "Proposed from the URL; change it as you like.",
    duplicate: "This URL is already in the catalogue as “{name}”.",
    showExisting: "Show “{name}”",
    save: "Save",
    cancel: "Cancel",
    saved: "Saved {name}",
    invalid: "The server refused the entry: fix the marked fields.",
    failed: "Could not save: {message}",
  },
  installed: {
    badge: "Installed",
    title: "Installed: this node pack is in ComfyUI's custom_nodes folder",
  },
  disabled: {
    badge: "Disabled",
    title: "Disabled: this node pack is in custom_nodes/.disabled, so ComfyUI does not load it",
  },
  manager: MANAGER_EN,
  workflow: WORKFLOW_EN,
  links: {
    title: "Link health",
    alive: "Link alive",
    redirected: "Redirected",
    dead: "Dead link",
    blocked: "Blocked",
    error: "No answer",
    unchecked: "Not checked",
    aliveHint: "The page answered when it was last checked.",
    redirectedHint: "The link leads elsewhere now.",
    deadHint: "The server says the page is gone.",
    blockedHint: "The link leads to this machine or a private network, so it is not checked.",
    errorHint: "No verdict: the server timed out, failed or refused to answer.",
    uncheckedHint: "This link has not been checked yet.",
    rowTitle: "{state}, checked {date}",
    status: "HTTP {status}",
    checkedAt: "checked {date}",
    finalUrl: "Now at",
    check: "Check link",
    checking: "Checking…",
    checkLabel: "Check the link of {name} now",
    checked: "{state}: {url}",
    busy: "A link check is already running; try again when it ends.",
    failed: "Could not check the link",
  },
  sources: {
    title: "Sources",
    summary: "Sources · {count} resources",
    summaryOne: "Sources · 1 resource",
    hint: "Optional sources stay off until you switch them on; only Refresh downloads anything.",
    count: "{count} resources",
    countOne: "1 resource",
    problems: "{count} problems",
    problemsOne: "1 problem",
    error: "Could not be loaded: {error}",
    off: "Off",
    reading: "Reading…",
    on: "On · {count} entries",
    onOne: "On · 1 entry",
    missing: {
      manager: "No ComfyUI-Manager found here: set its folder below, or press Refresh to download its database.",
      registry: "Nothing downloaded yet: press Refresh to download the Registry's list.",
    },
    failed: "Could not be read: {error}.",
    fix: {
      manager: "Check the folder below, or empty it and press Refresh to download the database.",
      registry: "Press Refresh to try again.",
    },
    skipped: "{count} entries skipped in the {name}",
    skippedOne: "1 entry skipped in the {name}",
    skippedHint: "These entries of the source's own data are not valid; the rest is in use. Only its maintainers can fix them.",
    folder: "ComfyUI-Manager folder",
    folderPlaceholder: "…/custom_nodes/ComfyUI-Manager",
    folderHint: "Empty: an installed ComfyUI-Manager, else the copy Refresh downloads.",
    folderSaved: "The ComfyUI-Manager folder is now {folder}",
    folderCleared: "The ComfyUI-Manager folder is no longer set",
    folderFailed: "Could not set the ComfyUI-Manager folder",
    notFetched: "Nothing downloaded yet: press Refresh.",
    fromFolder: "Read from the folder {folder}",
    fromInstalled: "Read from the installed ComfyUI-Manager",
    fromUrl: "Refresh downloads from {url}",
    refreshing: "Refreshing {name}…",
    refreshLabel: "Refresh {name} now",
    turnedOn: "{name} is on",
    turnedOff: "{name} is off",
    toggleFailed: "Could not switch {name}",
    refreshed: "{name} refreshed",
    upToDate: "{name} is up to date",
    refreshFailed: "Could not refresh {name}",
    refreshRunning: "A refresh of {name} is already running",
    names: {
      user: "Your own entries",
      curated: "Curated list",
      manager: "ComfyUI-Manager database",
      registry: "Comfy Registry",
    },
  },
  node: {
    placeholder: "Run the workflow to list the matching resources here.",
    pickerPlaceholder: "Run the workflow (or this node alone) to show the chosen resource here.",
  },
  keys: {
    hint: "/ search · ↑↓ move · → star · Enter details · Esc clear",
  },
  categories: {
    "whats-hot": "What's Hot in 2024-2025",
    essentials: "Quick Start & Essential Setup",
    "video-generation": "Video Generation",
    "face-portrait": "Face & Portrait",
    "image-enhancement": "Image Enhancement & Effects",
    "3d-depth": "3D Generation & Depth",
    "workflow-productivity": "Workflow & Productivity Tools",
    models: "Latest Models (2024-2025)",
    learning: "Learning Hub",
    "community-favorites": "Community Favorites & Top Repos",
    "more-resources": "More Awesome Resources",
    "node-packs": "All Custom Node Packs",
    "model-files": "All Model Files",
    mine: "My Resources",
  },
  tags: TAGS_EN,
};

/**
 * The language to use: ComfyUI's "Comfy.Locale" setting, then the browser's, then English.
 * "zh-TW" falls back to "zh" when only "zh" has strings.
 * @param {(string | null | undefined)[]} candidates in order of preference
 * @param {string[]} available languages that have strings
 */
export function pickLanguage(candidates, available) {
  for (const candidate of candidates) {
    if (typeof candidate !== "string" || !candidate) continue;
    const wanted = candidate.trim();
    const exact = available.find((lang) => lang.toLowerCase() === wanted.toLowerCase());
    if (exact) return exact;
    const base = (wanted.split(/[-_]/, 1)[0] ?? "").toLowerCase();
    const byBase = available.find((lang) => lang.toLowerCase() === base);
    if (byBase) return byBase;
  }
  return "en";
}

/**
 * @param {Messages | undefined} messages
 * @param {string} key dotted path
 * @returns {string | undefined}
 */
function lookup(messages, key) {
  /** @type {string | Messages | undefined} */
  let node = messages;
  for (const part of key.split(".")) {
    if (!node || typeof node !== "object") return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

/**
 * A translate function: the chosen language, then English, then the key itself.
 * `{name}` placeholders are replaced by `vars`; values are inserted as text, never parsed.
 * @param {Messages | undefined} messages
 * @param {Messages} [fallback]
 * @returns {import("./types.js").Translate}
 */
export function createTranslator(messages, fallback = EN) {
  return (key, vars = {}) => {
    const template = lookup(messages, key) ?? lookup(fallback, key) ?? key;
    return template.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
  };
}

/**
 * The name of `value` in a group of names ("tags", "kinds", "categories"), or undefined
 * when the group has none for it. Values with a dot are never looked up (a dot separates
 * the key's parts).
 * @param {import("./types.js").Translate} t
 * @param {string} group
 * @param {string} value
 * @returns {string | undefined}
 */
export function translated(t, group, value) {
  if (!value || value.includes(".")) return undefined;
  const key = `${group}.${value}`;
  const name = t(key);
  return name === key ? undefined : name;
}

/**
 * `key` + "One" when count is 1 and such a string exists (English plurals), else `key`.
 * @param {import("./types.js").Translate} t
 * @param {string} key
 * @param {number} count
 * @param {Record<string, string | number>} [vars]
 */
export function plural(t, key, count, vars = {}) {
  if (count === 1) {
    const one = t(`${key}One`, { count, ...vars });
    if (one !== `${key}One`) return one;
  }
  return t(key, { count, ...vars });
}

/**
 * Read this pack's strings from ComfyUI's GET /i18n. Resolves to the language picked and
 * its messages; on any failure, to English with the built-in strings.
 * @param {(route: string) => Promise<Response>} fetchApi
 * @param {(string | null | undefined)[]} candidates
 * @returns {Promise<{lang: string, messages: Messages}>}
 */
export async function loadMessages(fetchApi, candidates) {
  try {
    const res = await fetchApi("/i18n");
    if (!res.ok) throw new Error(`GET /i18n answered ${res.status}`);
    const all = /** @type {Record<string, {awesomeBeyond?: Messages} | undefined>} */ (await res.json());
    const available = Object.keys(all).filter((lang) => typeof all[lang]?.awesomeBeyond === "object");
    const lang = pickLanguage(candidates, available);
    return { lang, messages: all[lang]?.awesomeBeyond ?? EN };
  } catch (error) {
    console.warn("[Awesome ComfyUI Beyond] translations unavailable, using English:", error);
    return { lang: "en", messages: EN };
  }
}
