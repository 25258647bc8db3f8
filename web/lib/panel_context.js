// What the components of one open panel share. panel.js builds it; each component gets it,
// renders from `store` and changes state only by `store.dispatch`.

import { searchTerms } from "./text.js";
import { translated } from "./i18n.js";

/**
 * What the panel is given by the entry module (or a test).
 * @typedef {object} PanelDeps
 * @property {import("./api.js").Client} client
 * @property {import("./types.js").Translate} t
 * @property {string} locale
 * @property {import("./store.js").Store} store outlives the panel: closing and reopening the tab keeps it
 * @property {() => import("./types.js").RowLines} rowLines how many lines each row shows (from the settings)
 * @property {() => void} [close] close the sidebar tab
 * @property {() => string} defaultSort
 * @property {(severity: "success" | "error" | "info", summary: string, detail?: string) => void} notify
 * @property {Pick<Storage, "getItem" | "setItem"> | null} storage
 * @property {(message: string) => Promise<boolean>} confirm
 * @property {(fn: () => void, ms: number) => unknown} [setTimer] for tests
 * @property {(handle: unknown) => void} [clearTimer]
 * @property {(fn: () => void) => unknown} [requestFrame] requestAnimationFrame, for tests
 * @property {(handle: unknown) => void} [cancelFrame]
 * @property {(settings: Partial<Record<import("./types.js").OptionalSource, import("./types.js").SourceSetting>>) => void} [onSourceSettings]
 *   told the optional sources' settings whenever the server reports them (to mirror them in ComfyUI's settings)
 * @property {import("./manager_runner.js").ManagerRunner} [manager] acts through ComfyUI-Manager (absent: no Manager actions)
 * @property {WorkflowSource} [workflow] the open graph's node types (absent: no "This workflow" view)
 * @property {() => void} [reload] reload the page (after a restart)
 */

/**
 * The open workflow, as the entry module reads it from ComfyUI.
 * @typedef {object} WorkflowSource
 * @property {() => {types: string[], missing: string[]} | null} read the graph's node types and the unknown ones; null: no graph
 * @property {(fn: () => void) => () => void} subscribe told when the graph may have changed; returns the unsubscribe
 */

/**
 * @typedef {object} Timers
 * @property {(fn: () => void, ms: number) => unknown} setTimer
 * @property {(handle: unknown) => void} clearTimer
 * @property {(fn: () => void) => unknown} requestFrame
 * @property {(handle: unknown) => void} cancelFrame
 */

/**
 * What components ask of each other; panel.js wires each to the component that does it.
 * @typedef {object} PanelOps
 * @property {() => Promise<void>} refreshResults search again keeping the scroll (after an edit)
 * @property {() => void} sourcesChanged reload the list, categories and sources from the top
 * @property {(start: number, end: number) => void} loadRows load the pages of rows [start, end)
 * @property {(index: number, focusRow: boolean) => void} select
 * @property {(index: number) => HTMLElement | null} rowButton the main button of a row in the DOM
 * @property {() => number} scrollTop the list's scroll position
 * @property {(id: string, focus: boolean) => Promise<void>} openDetails
 * @property {(all?: boolean) => void} closePane back one step (`all`: to the list)
 * @property {() => void} focusSearch focus the search box and select its text
 * @property {() => HTMLInputElement} searchBox
 */

/**
 * @typedef {object} PanelContext
 * @property {Document} doc
 * @property {import("./store.js").Store} store
 * @property {PanelDeps} deps
 * @property {import("./types.js").Translate} t
 * @property {HTMLElement} root the panel's element
 * @property {() => boolean} alive false once the panel is destroyed: late answers then change nothing of its view
 * @property {<T>(work: () => Promise<T>) => Promise<T>} track a request the progress bar counts
 * @property {Timers} timers
 * @property {PanelOps} ops
 */

/**
 * A component's part in the panel's event delegation, and its teardown.
 * @typedef {object} Component
 * @property {Record<string, (el: HTMLElement) => void>} [clicks] by the clicked element's data-action
 * @property {Record<string, (el: HTMLInputElement) => void>} [changes] by the changed control's data-action
 * @property {() => void} [destroy]
 */

/**
 * The builders' context, from the current state. Link checks, running checks and category
 * names are read when drawn, so a context kept for a batch of rows never shows old ones.
 * @param {Pick<PanelContext, "doc" | "store" | "deps">} ctx
 * @returns {import("./render_common.js").RenderContext}
 */
export function renderContext({ doc, store, deps }) {
  const { search, view } = store.getState();
  return {
    doc, t: deps.t, locale: deps.locale, terms: searchTerms(search.q), rowLines: view.rowLines,
    // The user's language first; the server's name for a category no translation knows yet.
    categoryName: (id) => translated(deps.t, "categories", id)
      ?? (store.getState().ui.categories?.find((c) => c.id === id)?.name || id),
    linkStatus: (url) => {
      const links = store.getState().ui.links;
      return links && Object.hasOwn(links, url) ? links[url] : undefined;
    },
    checkingLink: (id) => store.getState().view.checking.includes(id),
    manager: managerView(store.getState().ui),
  };
}

/**
 * What the builders know of ComfyUI-Manager, from the store.
 * @param {import("./types.js").UiState} ui
 * @returns {import("./render_common.js").ManagerView}
 */
export function managerView(ui) {
  return { info: ui.manager, records: ui.managerRecords, list: ui.managerList, job: ui.managerJob, restart: ui.restart };
}

/**
 * Timers and animation frames: the test's, else the window's.
 * @param {Document} doc
 * @param {PanelDeps} deps
 * @returns {Timers}
 */
export function timersFor(doc, deps) {
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer ?? ((handle) => clearTimeout(/** @type {number} */ (handle)));
  const win = doc.defaultView;
  const requestFrame = deps.requestFrame
    ?? (win?.requestAnimationFrame ? (/** @type {() => void} */ fn) => win.requestAnimationFrame(fn) : (/** @type {() => void} */ fn) => setTimer(fn, 0));
  const cancelFrame = deps.cancelFrame
    ?? (win?.cancelAnimationFrame ? (/** @type {unknown} */ handle) => win.cancelAnimationFrame(/** @type {number} */ (handle)) : clearTimer);
  return { setTimer, clearTimer, requestFrame, cancelFrame };
}
