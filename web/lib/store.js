// The sidebar's one store. Every change of state is an action through `reduceApp`; the
// panel's components subscribe and render from the state. The entry module keeps the store
// for the page's life, so closing and reopening the tab loses nothing of `search` and `ui`;
// `view` starts afresh at each opening ("opened").

import { reduce as reduceSearch } from "./state.js";
import { indexOf, itemAt, withFavorite, withPage } from "./pages.js";
import { NO_HINTS } from "./result_hints.js";
import { MANAGER_UI, NO_WORKFLOW, isManagerAction, reduceManager } from "./store_manager.js";

/** @typedef {import("./types.js").AppState} AppState */
/** @typedef {import("./types.js").ViewState} ViewState */
/** @typedef {import("./types.js").UiState} UiState */
/** @typedef {import("./types.js").Resource} Resource */
/** @typedef {import("./types.js").Pane} Pane */
/** @typedef {import("./types.js").RowLines} RowLines */

/**
 * @typedef {{type: "opened", rowLines: RowLines}
 *   | {type: "rowLines", value: RowLines}
 *   | {type: "requestStarted"} | {type: "requestEnded"} | {type: "progressDue"}
 *   | {type: "results", seq: number, key: string, total: number, facets: import("./types.js").Facets, items: Resource[], hints?: import("./types.js").ResultHints}
 *   | {type: "page", seq: number, page: number, items: Resource[]}
 *   | {type: "failed", error: import("./types.js").ErrorInfo}
 *   | {type: "refresh", top: number}
 *   | {type: "selectIndex", index: number}
 *   | {type: "categories", categories: import("./types.js").Category[]}
 *   | {type: "sources", info: import("./types.js").SourcesInfo}
 *   | {type: "sourceSettings", settings: Partial<Record<string, import("./types.js").SourceSetting>>}
 *   | {type: "sourceBusy", name: string, busy: boolean}
 *   | {type: "refreshing", name: string, running: boolean}
 *   | {type: "links", links: Record<string, import("./types.js").LinkStatus>}
 *   | {type: "linkChecked", url: string, status: import("./types.js").LinkStatus}
 *   | {type: "checking", id: string, running: boolean}
 *   | {type: "section", name: "filters" | "problems" | "sources" | "tags", open: boolean}
 *   | {type: "favorite", id: string, on: boolean}
 *   | {type: "showDetails", resource: Resource}
 *   | {type: "openWorkflow"}
 *   | {type: "openForm", entry: Resource | null}
 *   | {type: "closePane", all?: boolean}
 *   | {type: "saving", value: boolean}
 *   | {type: "saved", resource: Resource}
 *   | {type: "deleted"}} ViewAction
 */
/** @typedef {import("./state.js").SearchAction | ViewAction | import("./store_manager.js").ManagerAction} Action */

/** @type {Pane} */
const NO_PANE = { mode: null, back: null, resource: null, entry: null, form: 0, saving: false };

/**
 * @param {RowLines} rowLines
 * @returns {ViewState}
 */
export function initialView(rowLines) {
  return {
    result: null, error: null, restoreScroll: true, selectedIndex: -1, rowLines, pending: 0, progress: false,
    sources: null, sourceBusy: [], checking: [], pane: NO_PANE, confirm: null, workflow: NO_WORKFLOW,
  };
}

/**
 * @param {import("./types.js").SidebarState} search
 * @param {Partial<UiState>} [ui]
 * @returns {AppState}
 */
export function initialAppState(search, ui = {}) {
  return {
    search,
    ui: {
      categories: null, filtersOpen: true, problemsOpen: false, sourcesOpen: false, tagsOpen: false, refreshing: [], links: null,
      ...MANAGER_UI, ...ui,
    },
    view: initialView(3),
  };
}

/**
 * `list` with `name` in or out; the same array when nothing changes.
 * @param {readonly string[]} list
 * @param {string} name
 * @param {boolean} on
 */
function toggled(list, name, on) {
  if (list.includes(name) === on) return list;
  return on ? [...list, name] : list.filter((item) => item !== name);
}

/** @param {AppState} state @param {Partial<ViewState>} change @returns {AppState} */
const withView = (state, change) => ({ ...state, view: { ...state.view, ...change } });
/** @param {AppState} state @param {Partial<UiState>} change @returns {AppState} */
const withUi = (state, change) => ({ ...state, ui: { ...state.ui, ...change } });
/** @param {AppState} state @param {Partial<Pane>} change @returns {AppState} */
const withPane = (state, change) => withView(state, { pane: { ...state.view.pane, ...change } });
/** @param {AppState} state @param {import("./state.js").SearchAction} action @returns {AppState} */
const withSearch = (state, action) => {
  const search = reduceSearch(state.search, action);
  return search === state.search ? state : { ...state, search };
};
/** The state with `item`, if there is one, as the selected resource. @param {AppState} state @param {Resource | undefined} item */
const selecting = (state, item) => (item && item.id !== state.search.selectedId ? withSearch(state, { type: "select", id: item.id }) : state);

/**
 * What changes in the view; the same state when nothing does (so nothing renders).
 * @param {AppState} state
 * @param {ViewAction} action
 * @returns {AppState}
 */
function reduceView(state, action) {
  const { search, ui, view } = state;
  switch (action.type) {
    case "opened":
      return { ...state, view: initialView(action.rowLines) };
    case "rowLines":
      return view.rowLines === action.value ? state : withView(state, { rowLines: action.value });
    case "requestStarted":
      return withView(state, { pending: view.pending + 1 });
    case "requestEnded": {
      if (view.pending === 0) return state;
      const pending = Math.max(0, view.pending - 1);
      return withView(state, { pending, progress: view.progress && pending > 0 });
    }
    case "progressDue":
      return view.pending > 0 && !view.progress ? withView(state, { progress: true }) : state;
    case "results": {
      const result = {
        seq: action.seq, key: action.key, total: action.total, facets: action.facets, hints: action.hints ?? NO_HINTS,
        pages: new Map([[0, action.items]]),
        openAt: view.restoreScroll ? search.scrollTop : 0,
      };
      return withView(state, { result, error: null, restoreScroll: false, selectedIndex: indexOf(result, search.selectedId) });
    }
    case "page": {
      if (!view.result || view.result.seq !== action.seq || view.result.pages.has(action.page)) return state;
      const next = withView(state, { result: withPage(view.result, action.page, action.items) });
      return selecting(next, itemAt(next.view.result, view.selectedIndex)); // the selected row's page arrived: remember its id
    }
    case "failed":
      return withView(state, { error: action.error });
    case "refresh": // search again keeping the scroll
      return withSearch(withView(state, { restoreScroll: true }), { type: "scroll", top: action.top });
    case "selectIndex": {
      const total = view.result?.total ?? 0;
      if (total === 0) return state;
      const selectedIndex = Math.max(0, Math.min(total - 1, action.index));
      return selecting(selectedIndex === view.selectedIndex ? state : withView(state, { selectedIndex }), itemAt(view.result, selectedIndex));
    }
    case "categories":
      return withUi(state, { categories: action.categories });
    case "sources":
      return withView(state, { sources: action.info });
    case "sourceSettings":
      return view.sources
        ? withView(state, { sources: { ...view.sources, settings: { ...view.sources.settings, ...action.settings } } })
        : state;
    case "sourceBusy": {
      const sourceBusy = toggled(view.sourceBusy, action.name, action.busy);
      return sourceBusy === view.sourceBusy ? state : withView(state, { sourceBusy });
    }
    case "refreshing": {
      const refreshing = toggled(ui.refreshing, action.name, action.running);
      return refreshing === ui.refreshing ? state : withUi(state, { refreshing });
    }
    case "links": // nothing cached before or now: nothing to draw
      return Object.keys(action.links).length === 0 && Object.keys(ui.links ?? {}).length === 0
        ? state : withUi(state, { links: action.links });
    case "linkChecked":
      return withUi(state, { links: { ...ui.links, [action.url]: action.status } });
    case "checking": {
      const checking = toggled(view.checking, action.id, action.running);
      return checking === view.checking ? state : withView(state, { checking });
    }
    case "section": {
      const key = /** @type {const} */ ({
        filters: "filtersOpen", problems: "problemsOpen", sources: "sourcesOpen", tags: "tagsOpen",
      })[action.name];
      return ui[key] === action.open ? state : withUi(state, { [key]: action.open });
    }
    case "favorite": {
      const result = view.result && withFavorite(view.result, action.id, action.on);
      const shown = view.pane.resource;
      const next = result === view.result ? state : withView(state, { result });
      return shown?.id === action.id ? withPane(next, { resource: { ...shown, favorite: action.on } }) : next;
    }
    default:
      return reducePane(state, action);
  }
}

/**
 * The pane's actions; opening or closing the details is also saved in `search`.
 * @param {AppState} state
 * @param {Extract<ViewAction, {type: "showDetails" | "openWorkflow" | "openForm" | "closePane" | "saving" | "saved" | "deleted"}>} action
 * @returns {AppState}
 */
function reducePane(state, action) {
  const { search, view } = state;
  /** @param {AppState} next @param {boolean} open */
  const details = (next, open) => (next.search.detailsOpen === open ? next : withSearch(next, { type: "details", open }));
  switch (action.type) {
    case "showDetails": { // from the workflow view, closing the details goes back to it
      const back = view.pane.mode === "workflow" ? "workflow" : view.pane.mode === "details" ? view.pane.back : null;
      return details(withPane(state, { mode: "details", resource: action.resource, back }), true);
    }
    case "openWorkflow":
      return view.pane.mode === "workflow" ? state : details(withPane(state, { mode: "workflow", back: null, saving: false }), false);
    case "openForm":
      return withPane(state, { mode: "form", entry: action.entry, form: view.pane.form + 1, saving: false });
    case "closePane": {
      if (!view.pane.mode && !search.detailsOpen) return state;
      // Back from the form to the details it came from, from the details to the workflow
      // view they were opened from, else to the list (`all`: to the list at once).
      const back = !action.all && view.pane.mode === "form" && view.pane.resource && search.detailsOpen;
      const toWorkflow = !action.all && view.pane.mode === "details" && view.pane.back === "workflow";
      const next = withPane(state, { mode: back ? "details" : toWorkflow ? "workflow" : null, back: null, saving: false });
      return back ? next : details(next, false);
    }
    case "saving":
      return view.pane.saving === action.value ? state : withPane(state, { saving: action.value });
    case "saved": {
      const next = withPane(state, { mode: "details", resource: action.resource, entry: null, saving: false });
      return details(selecting(next, action.resource), true);
    }
    case "deleted":
      return details(withPane(state, { mode: null, resource: null, entry: null, saving: false }), false);
    default:
      return state;
  }
}

/**
 * The next state; `state` is never changed, and comes back as it is when nothing changes.
 * @param {AppState} state
 * @param {Action} action
 * @returns {AppState}
 */
export function reduceApp(state, action) {
  switch (action.type) {
    case "query": case "category": case "kind": case "toggleTag": case "sort": case "favoritesOnly":
    case "installedOnly": case "disabledOnly": case "clearFilters": case "clearAll": case "select": case "details": case "scroll":
      return withSearch(state, action);
    default:
      if (isManagerAction(action)) return reduceManager(state, action);
      return reduceView(state, action);
  }
}

/**
 * @callback Listener
 * @param {AppState} state
 * @param {AppState} previous the state this listener saw last
 * @returns {void}
 */

/**
 * The store: one state, changed only by dispatch. Listeners run after each change, each
 * with the state it saw last; an action dispatched while they run is applied at once and
 * its listeners run after the current round, so every listener sees every final state.
 * @param {AppState} initial
 */
export function createStore(initial) {
  let state = initial;
  /** @type {Set<() => void>} */
  const listeners = new Set();
  let notifying = false;
  let again = false;
  return {
    getState: () => state,
    /** @param {Action} action */
    dispatch(action) {
      const next = reduceApp(state, action);
      if (next === state) return;
      state = next;
      if (notifying) {
        again = true;
        return;
      }
      notifying = true;
      try {
        do {
          again = false;
          for (const listener of [...listeners]) if (listeners.has(listener)) listener();
        } while (again);
      } finally {
        notifying = false;
      }
    },
    /**
     * @param {Listener} fn
     * @returns {() => void} unsubscribes
     */
    subscribe(fn) {
      let seen = state;
      const listener = () => {
        if (seen === state) return;
        const previous = seen;
        seen = state;
        fn(state, previous);
      };
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
  };
}

/** @typedef {ReturnType<typeof createStore>} Store */
