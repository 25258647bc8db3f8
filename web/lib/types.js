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
 * @property {boolean} [installed] a node pack found in ComfyUI's custom_nodes (also when disabled)
 * @property {boolean} [disabled] installed, but in custom_nodes/.disabled: ComfyUI does not load it
 * @property {string} [pack_id] the Registry / ComfyUI-Manager id of a node pack
 * @property {string} [install_type] the Manager's: git-clone, copy, unzip, cnr
 * @property {string[]} [files] what the Manager fetches (clone URLs, files)
 * @property {string} [version] the latest published version
 * @property {number} [node_count] how many node classes the pack provides
 * @property {string[]} [node_types] the node class names (the one-resource answer only)
 * @property {ModelFile | null} [model_file] a model in ComfyUI-Manager's model list
 * @property {number | null} [downloads] the Registry's download count
 * @property {number | null} [rating]
 * @property {string} [publisher]
 */

/**
 * A model file as ComfyUI-Manager's model list describes it (what its download checks).
 * @typedef {{name: string, type: string, base: string, save_path: string, filename: string, url: string}} ModelFile
 */

/**
 * POST /awesome/v1/node-types: the packs that provide each node type asked about.
 * @typedef {{types: {type: string, providers: Resource[]}[], unmatched: number}} NodeTypesAnswer
 */

/** @typedef {Record<string, Record<string, number>>} Facets */

/**
 * @typedef {object} SearchResult
 * @property {number} total
 * @property {number} offset
 * @property {number} limit
 * @property {Resource[]} items
 * @property {Facets} facets
 * @property {Partial<Record<string, number>>} [sortable] how many matches have each data sort's data
 * @property {number} [unfiltered_total] nothing matched the filters: what the text finds without them
 * @property {SourceOffer[]} [more_sources] nothing matched: the optional sources that are off
 */

/**
 * An optional source that is off, and what switching it on would add (app/suggest.py).
 * `adds` is exact from a snapshot, else (`exact` false) an upper bound; `matches` counts the
 * added entries the search finds, when known; `download`: nothing to read until a refresh.
 * @typedef {{source: string, ready: boolean, download: boolean, adds: number | null, exact: boolean, matches: number | null}} SourceOffer
 */

/**
 * What an answer says beside its rows (result_hints.js).
 * @typedef {object} ResultHints
 * @property {Partial<Record<string, number>>} sortable
 * @property {number | null} unfilteredTotal
 * @property {SourceOffer[]} moreSources
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
 * @property {boolean} disabledOnly
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
 * @property {ResultHints} hints what the first page said beside its rows
 * @property {ReadonlyMap<number, Resource[]>} pages by page number
 * @property {number} openAt
 */

/**
 * The pane over the list: a resource's details, the entry form, or the "This workflow" view.
 * @typedef {object} Pane
 * @property {"details" | "form" | "workflow" | null} mode
 * @property {"workflow" | null} back where closing the details leads (the view they were opened from)
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
 * @property {ManagerInfo | null} manager the ComfyUI-Manager found on the page; null until asked
 * @property {"idle" | "loading" | "ready" | "failed"} managerList its node list (/customnode/getlist), read once when needed
 * @property {Readonly<Record<string, PackRecord | null>>} managerRecords its record of a resource, by resource id (null: it has none)
 * @property {ManagerJob | null} managerJob the one install, enable, update or download running through it (or the last one)
 * @property {RestartState} restart whether ComfyUI must restart to load what was installed
 */

/**
 * Which ComfyUI-Manager answers on this page: v3 (/manager/...), v4 (/v2/manager/..., with
 * its new task queue, or its legacy UI's routes), or none.
 * `outdated`: it says this ComfyUI is too old for it, and then refuses every install (v3.41 on ComfyUI
 * before the System User API).
 * @typedef {{api: "v3" | "v4" | "none", version: string, legacy: boolean, outdated: boolean}} ManagerInfo
 */

/**
 * The Manager's own record of a node pack, from its node list. `data` is the record as it
 * lists it: the shape its install and update requests take.
 * @typedef {object} PackRecord
 * @property {string} key its key in the Manager's list
 * @property {string} id
 * @property {"not-installed" | "installed" | "disabled"} state
 * @property {boolean} importFailed installed, but ComfyUI could not import it
 * @property {boolean} updatable the Manager reports an update
 * @property {string} version the installed version, or the latest when not installed ("unknown" for git packs it does not track)
 * @property {string} latest the Registry's latest version, if any
 * @property {string} channel the Manager's channel the list came from
 * @property {Record<string, unknown>} data
 */

/** @typedef {"install" | "enable" | "update" | "download"} ManagerKind */

/**
 * One request to the Manager, made from a resource and its record (manager_packs.js).
 * `mode`: "queue" = reset, this request, start (and follow the queue); "batch" = this request
 * queues and starts (v4's legacy UI); "direct" = done when it answers (a git URL install).
 * @typedef {object} Plan
 * @property {ManagerKind} kind
 * @property {string} route
 * @property {Record<string, unknown>} body
 * @property {"queue" | "batch" | "direct"} mode
 * @property {string} uiId the id the Manager reports the outcome under
 * @property {string} source the URL it installs or downloads from
 * @property {string} target where it lands: custom_nodes/<folder> or models/<folder>
 * @property {"clone" | "registry" | "enable" | "update" | "download"} what what the confirmation says will happen
 * @property {string} [registryId] the Registry id, when the Registry provides it
 * @property {string[]} versions the Registry versions to choose from (empty: no choice)
 */

/**
 * The Manager job the sidebar started. `phase`: queued (sent), running (the Manager works on
 * it), done, failed (the Manager says why in `message`), finished (ended, outcome not
 * reported), refused (the Manager's security level said no; `message` is its answer).
 * @typedef {object} ManagerJob
 * @property {string} uiId
 * @property {ManagerKind} kind
 * @property {string} resourceId
 * @property {string} name
 * @property {"queued" | "running" | "done" | "failed" | "finished" | "refused"} phase
 * @property {string} message
 * @property {string} refusal why it was refused: level, gitUrl, model, modelList, outdated, other
 * @property {number} status the HTTP status of a refusal
 * @property {string} target where it lands
 * @property {number | null} idleSince when polling first found the Manager idle (ms)
 */

/** @typedef {"none" | "needed" | "restarting" | "back"} RestartState */

/**
 * The confirmation before a Manager action (or a restart), over the panel.
 * @typedef {object} Confirm
 * @property {ManagerKind | "restart"} kind
 * @property {Resource | null} resource
 * @property {"loading" | "ready" | "error"} phase
 * @property {Plan | null} plan
 * @property {string} version the Registry version chosen ("" = latest)
 * @property {string} error why nothing can be done now
 */

/**
 * The "This workflow" view: node types of the open graph this ComfyUI does not know, and
 * the packs that provide them.
 * @typedef {object} WorkflowView
 * @property {string[] | null} missing null: no graph to read
 * @property {number} total node types in the graph
 * @property {"idle" | "loading" | "ready" | "failed"} status the providers' lookup
 * @property {string} key the missing types the answer is for
 * @property {NodeTypesAnswer | null} answer
 * @property {string} error
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
 * @property {Confirm | null} confirm
 * @property {WorkflowView} workflow
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
