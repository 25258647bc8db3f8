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

/**
 * An optional source's state: off; on with N entries; missing (nothing to read yet);
 * failed (`detail` says why). `skipped` counts entries of its data that were left out.
 * @typedef {{state: "off" | "on" | "missing" | "failed", resources: number, skipped: number, detail: string}} SourceState
 */

/** @typedef {Problem & {source: string}} UpstreamProblem a problem in another source's data, not the user's to fix */

/** The optional sources a user can switch on (constants.js OPTIONAL_SOURCES). */
/** @typedef {(typeof import("./constants.js").OPTIONAL_SOURCES)[number]} OptionalSource */

/**
 * GET /awesome/v1/sources. `settings` and `refresh` are missing on servers older than the
 * switches; the panel then shows the loaded sources only.
 * @typedef {object} SourcesInfo
 * @property {string} version
 * @property {number} resources
 * @property {SourceStatus[]} sources
 * @property {Partial<Record<OptionalSource, SourceSetting>>} [settings]
 * @property {Partial<Record<OptionalSource, string | null>>} [refresh] the URL a refresh fetches, null for a local folder
 * @property {Partial<Record<OptionalSource, SourceState>>} [states] missing on older servers
 * @property {Problem[]} problems those the user can fix: settings, their own entries, the curated list
 * @property {number} problem_count
 * @property {UpstreamProblem[]} [upstream_problems] those in other sources' data
 * @property {number} [upstream_problem_count]
 */

/**
 * One outcome of POST /awesome/v1/sources/{name}/refresh.
 * @typedef {{name: string, state: "changed" | "not-modified" | "failed", message: string, when: string, fetched_at: string}} RefreshOutcome
 */

/** @typedef {{name: string, ok: boolean, outcomes: RefreshOutcome[]}} RefreshResult */

/** @typedef {(typeof import("./constants.js").LINK_STATES)[number]} LinkState */

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
 * The loaded pages of one search's answer. `seq` tells searches apart (a page that arrives
 * for an older search is dropped); `openAt` is the scroll the list opens at.
 * @typedef {object} Result
 * @property {number} seq
 * @property {string} key buildQuery() of the search, without paging
 * @property {number} total
 * @property {Facets} facets
 * @property {ReadonlyMap<number, Resource[]>} pages by page number
 * @property {number} openAt
 */

/**
 * The pane over the list: a resource's details or the entry form.
 * @typedef {object} Pane
 * @property {"details" | "form" | null} mode
 * @property {Resource | null} resource the resource in the details (kept while the form is open)
 * @property {Resource | null} entry the entry the form edits (null while adding)
 * @property {number} form counts the openings of the form: each starts afresh
 * @property {boolean} saving the form is being sent
 */

/** @typedef {{status?: number, message?: string, problems?: Problem[]}} ErrorInfo */

/**
 * A row of the list: 3 = name, facts and description; 2 = name and facts; 1 = one line.
 * @typedef {1 | 2 | 3} RowLines
 */

/**
 * What outlives one opening of the tab (but not a reload).
 * @typedef {object} UiState
 * @property {Category[] | null} categories
 * @property {boolean} filtersOpen
 * @property {boolean} problemsOpen
 * @property {boolean} sourcesOpen
 * @property {boolean} tagsOpen every tag shown, not only the most used
 * @property {readonly string[]} refreshing optional sources being refreshed (a refresh outlives the panel)
 * @property {Record<string, LinkStatus> | null} links cached link checks, by URL
 */

/**
 * One opening of the tab: what it loaded and shows.
 * @typedef {object} ViewState
 * @property {Result | null} result
 * @property {ErrorInfo | null} error the last search or page failed
 * @property {boolean} restoreScroll the next answer opens at the saved scroll
 * @property {number} selectedIndex the selected row, -1 for none
 * @property {RowLines} rowLines how many lines each row of the list shows
 * @property {number} pending requests in flight
 * @property {boolean} progress the progress bar shows
 * @property {SourcesInfo | null} sources
 * @property {readonly string[]} sourceBusy optional sources whose switch is being saved
 * @property {readonly string[]} checking resources whose link is being checked
 * @property {Pane} pane
 */

/**
 * The one store's state.
 * @typedef {object} AppState
 * @property {SidebarState} search what the user asked for; saved in localStorage
 * @property {UiState} ui
 * @property {ViewState} view
 */

/**
 * The fields of the user's own entry form.
 * @typedef {{name: string, url: string, kind: string, category: string, description: string, tags: string[]}} EntryInput
 */

/** @typedef {(key: string, vars?: Record<string, string | number>) => string} Translate */

export {};
