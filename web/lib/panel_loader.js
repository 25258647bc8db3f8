// Loading: the first page of each search (with facet counts), further pages as rows come
// into view, the categories and sources, and the cached link checks. Answers go into the
// store as actions; what is kept here are only the requests in flight.

import { isAbort } from "./api.js";
import { buildQuery } from "./state.js";
import { PAGE_SIZE } from "./pages.js";
import { pagesFor } from "./virtual_list.js";
import { perfEnd, perfStart } from "./perf.js";
import { hintsOf } from "./result_hints.js";

/** @typedef {import("./panel_context.js").PanelContext} PanelContext */
/** @typedef {import("./types.js").ErrorInfo} ErrorInfo */

/** The performance.measure entry the benchmark reads when window.__awesomeBeyondPerf is true. */
export const RENDER_MEASURE = "awesome-beyond:render";

/**
 * The query string of one page of an answer, from the answer's own key: a page always
 * belongs to the search that produced the answer, whatever was typed since.
 * @param {string} key
 * @param {number} page
 */
function pageQuery(key, page) {
  const params = new URLSearchParams(key);
  params.set("offset", String(page * PAGE_SIZE));
  params.set("limit", String(PAGE_SIZE));
  params.set("facets", "0");
  return params.toString();
}

/** @param {PanelContext} ctx */
export function createLoader(ctx) {
  const { store, deps, timers } = ctx;
  /** @type {Map<number, AbortController>} page loads in flight, by page number */
  const pageLoads = new Map();
  /** @type {AbortController | null} */
  let searchAbort = null;
  let searchSeq = 0;
  /** @type {(() => void) | null} the newest answer, waiting for the next animation frame */
  let pendingShow = null;
  /** @type {unknown} taken from a draw until the next animation frame */
  let showFrame = null;

  function abortAll() {
    searchAbort?.abort();
    searchAbort = null;
    pendingShow = null; // an answer for an older search is no longer drawn
    for (const controller of pageLoads.values()) controller.abort();
    pageLoads.clear();
  }

  /**
   * Draw an answer, at most once per animation frame: the first answer in a frame is drawn
   * at once (the browser paints it at the coming frame either way); answers arriving after
   * it in the same frame wait for the next one, where only the newest is drawn. So a burst
   * of answers costs one render per frame and the first costs no waiting.
   * @param {() => void} show
   */
  function scheduleShow(show) {
    if (showFrame !== null) {
      pendingShow = show; // drawn this frame already
      return;
    }
    showFrame = timers.requestFrame(() => {
      showFrame = null;
      const next = pendingShow;
      pendingShow = null;
      if (next && ctx.alive()) scheduleShow(next);
    });
    show();
  }

  /** Fetch the first page (with facet counts) for the current search. */
  async function runSearch() {
    abortAll();
    const controller = new AbortController();
    searchAbort = controller;
    const seq = ++searchSeq;
    const search = store.getState().search;
    const key = buildQuery(search);
    try {
      const page = await ctx.track(() => deps.client.search(
        buildQuery(search, { offset: 0, limit: PAGE_SIZE, facets: true }), controller.signal));
      if (seq !== searchSeq || !ctx.alive()) return;
      scheduleShow(() => {
        const started = perfStart();
        store.dispatch({ type: "results", seq, key, total: page.total, facets: page.facets ?? {}, items: page.items, hints: hintsOf(page) });
        perfEnd(RENDER_MEASURE, started);
        const { search: now, view } = store.getState();
        if (now.detailsOpen && view.pane.mode !== "form") void ctx.ops.openDetails(now.selectedId, false);
      });
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted || seq !== searchSeq || !ctx.alive()) return;
      scheduleShow(() => store.dispatch({ type: "failed", error: /** @type {ErrorInfo} */ (error) }));
    } finally {
      if (searchAbort === controller) searchAbort = null;
    }
  }

  /** @param {number} page */
  async function loadPage(page) {
    const result = store.getState().view.result;
    if (!result || result.pages.has(page) || pageLoads.has(page)) return;
    const controller = new AbortController();
    pageLoads.set(page, controller);
    const current = () => store.getState().view.result?.seq === result.seq && ctx.alive();
    try {
      const data = await ctx.track(() => deps.client.search(pageQuery(result.key, page), controller.signal));
      if (current()) store.dispatch({ type: "page", seq: result.seq, page, items: data.items });
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted || !current()) return;
      store.dispatch({ type: "failed", error: /** @type {ErrorInfo} */ (error) });
    } finally {
      if (pageLoads.get(page) === controller) pageLoads.delete(page);
    }
  }

  /** Categories (names for ids) and the sources with the data problems; neither is needed to list results. */
  async function loadMeta() {
    const { client } = deps;
    const categories = ctx.track(() => client.categories()).then((data) => {
      const list = data.categories;
      store.dispatch({ type: "categories", categories: Array.isArray(list) ? list : [] });
    });
    const sources = ctx.track(() => client.sources()).then((info) => {
      if (info.settings) deps.onSourceSettings?.(info.settings);
      if (ctx.alive()) store.dispatch({ type: "sources", info });
    });
    // Which ComfyUI-Manager installs from here (asked once a page).
    const manager = deps.manager ? deps.manager.detect() : Promise.resolve();
    const results = await Promise.allSettled([categories, sources, manager]);
    for (const result of results) {
      if (result.status === "rejected") console.warn("[Awesome ComfyUI Beyond]", result.reason);
    }
  }

  /** Cached link checks (GET links), once per opening; rows and details show them. */
  async function loadLinks() {
    try {
      const data = await deps.client.links();
      store.dispatch({ type: "links", links: data.links && typeof data.links === "object" ? data.links : {} });
    } catch (error) {
      if (!isAbort(error)) console.warn("[Awesome ComfyUI Beyond] link checks unavailable:", error);
    }
  }

  // A change of what is searched asks at once: no debounce, as the server is local and its
  // search takes a millisecond or two; the previous request is aborted and only the newest
  // answer is drawn, at most once per animation frame (scheduleShow).
  const unsubscribe = store.subscribe((state, before) => {
    if (state.search === before.search || buildQuery(state.search) === buildQuery(before.search)) return;
    // The details and the workflow view cover the list: a new search brings it back.
    if (state.view.pane.mode === "details" || state.view.pane.mode === "workflow") ctx.ops.closePane(true);
    void runSearch();
  });

  return {
    runSearch, loadMeta, loadLinks,
    /** @param {number} start @param {number} end */
    loadRows(start, end) {
      for (const page of pagesFor(start, end, PAGE_SIZE)) void loadPage(page);
    },
    /** Search again keeping the scroll position (after an edit elsewhere). */
    async refreshResults() {
      store.dispatch({ type: "refresh", top: ctx.ops.scrollTop() });
      await runSearch();
      void loadMeta();
    },
    /** The list, facets, categories and sources again, from the top, after a source changed. */
    sourcesChanged() {
      if (!ctx.alive()) return;
      store.dispatch({ type: "scroll", top: 0 });
      void runSearch();
      void loadMeta();
    },
    destroy() {
      unsubscribe();
      abortAll();
      if (showFrame !== null) timers.cancelFrame(showFrame);
      showFrame = null;
    },
  };
}
