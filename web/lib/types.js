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

/**
 * @typedef {object} SourcesInfo
 * @property {string} version
 * @property {number} resources
 * @property {{name: string, resources: number, problems: number, error: string | null}[]} sources
 * @property {Problem[]} problems
 * @property {number} problem_count
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
