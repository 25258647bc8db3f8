// Shapes shared by the sidebar modules (JSDoc only: importing this file does nothing).

/**
 * One catalogue entry as GET /awesome/v1/resources returns it.
 * @typedef {object} Resource
 * @property {string} id
 * @property {string} name
 * @property {string} url
 * @property {string} category
 * @property {string} kind
 * @property {string} description
 * @property {string[]} tags
 * @property {string} author
 * @property {string} license
 * @property {string} install_url
 * @property {number | null} stars
 * @property {string} updated
 * @property {string} source
 * @property {boolean} [favorite]
 * @property {boolean} [installed] a node pack found in ComfyUI's custom_nodes
 */

/** @typedef {Record<string, Record<string, number>>} Facets */

/**
 * @typedef {object} SearchResult
 * @property {number} total
 * @property {number} offset
 * @property {number} limit
 * @property {Resource[]} items
 * @property {Facets} facets
 */

/** @typedef {{id: string, name: string, description: string, count: number}} Category */

/** @typedef {{file: string, line: number | null, field: string, message: string}} Problem */

/** @typedef {{name: string, resources: number, problems: number, error: string | null}} SourceStatus */

/** @typedef {{enabled: boolean, folder: string, url: string}} SourceSetting */

/** The optional sources a user can switch on (nodes/settings.py OPTIONAL_SOURCES). */
/** @typedef {"manager" | "registry"} OptionalSource */

/**
 * GET /awesome/v1/sources. `settings` and `refresh` are missing on servers older than the
 * switches; the panel then shows the loaded sources only.
 * @typedef {object} SourcesInfo
 * @property {string} version
 * @property {number} resources
 * @property {SourceStatus[]} sources
 * @property {Partial<Record<OptionalSource, SourceSetting>>} [settings]
 * @property {Partial<Record<OptionalSource, string | null>>} [refresh] the URL a refresh fetches, null for a local folder
 * @property {Problem[]} problems
 * @property {number} problem_count
 */

/**
 * One outcome of POST /awesome/v1/sources/{name}/refresh.
 * @typedef {{name: string, state: "changed" | "not-modified" | "failed", message: string, when: string, fetched_at: string}} RefreshOutcome
 */

/** @typedef {{name: string, ok: boolean, outcomes: RefreshOutcome[]}} RefreshResult */

/** @typedef {"alive" | "redirected" | "dead" | "blocked" | "error"} LinkState */

/**
 * A link check's verdict (GET /awesome/v1/links by URL, POST links/check by resource id).
 * @typedef {object} LinkStatus
 * @property {string} url
 * @property {LinkState} state
 * @property {number | null} status the last HTTP status
 * @property {string} final_url where the redirects led
 * @property {string} checked_at ISO time
 * @property {string} message
 */

/**
 * What the user asked for; everything here survives closing the tab and reloading.
 * @typedef {object} SidebarState
 * @property {string} q
 * @property {string} category
 * @property {string} kind
 * @property {string[]} tags
 * @property {string} sort
 * @property {boolean} favoritesOnly
 * @property {boolean} installedOnly
 * @property {number} scrollTop
 * @property {string} selectedId
 * @property {boolean} detailsOpen
 */

/**
 * The fields of the user's own entry form.
 * @typedef {{name: string, url: string, kind: string, category: string, description: string, tags: string[]}} EntryInput
 */

/** @typedef {(key: string, vars?: Record<string, string | number>) => string} Translate */

export {};
