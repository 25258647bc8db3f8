// The sidebar panel: builds its DOM, talks to the API, and keeps the list in step with
// the state. One Panel lives while the tab is open; the state it edits lives in a store
// owned by the entry module, so closing and reopening the tab loses nothing.

import { h, copyText } from "./dom.js";
import { isAbort } from "./api.js";
import { buildQuery, hasFilters, reduce, saveState } from "./state.js";
import { formatNumber, searchTerms } from "./text.js";
import { plural } from "./i18n.js";
import { perfEnd, perfStart } from "./perf.js";
import { VirtualList, pagesFor } from "./virtual_list.js";
import {
  OPTIONAL_SOURCES, renderDetails, renderEmpty, renderError, renderFacets, renderProblems, renderRow, renderSort,
  renderSources, sourceName,
} from "./render.js";
import { clearProblems, readForm, renderForm, showProblems } from "./form.js";
import { CSS, ROW_HEIGHT, ROW_HEIGHT_COMPACT } from "./style.js";

/** @typedef {import("./types.js").Resource} Resource */
/** @typedef {import("./types.js").SidebarState} SidebarState */
/** @typedef {import("./state.js").Action} Action */

export const PAGE_SIZE = 100;
export const PROGRESS_DELAY_MS = 150;
const SAVE_SCROLL_MS = 250;
/** The performance.measure entry the benchmark reads when window.__awesomeBeyondPerf is true. */
export const RENDER_MEASURE = "awesome-beyond:render";

/**
 * What the panel keeps between openings of the tab.
 * @typedef {object} Store
 * @property {SidebarState} state
 * @property {import("./types.js").Category[] | null} categories
 * @property {boolean} filtersOpen
 * @property {boolean} problemsOpen
 * @property {boolean} [sourcesOpen]
 * @property {Map<string, Promise<void>>} [refreshing] source refreshes still running, by source name
 * @property {Record<string, import("./types.js").LinkStatus> | null} [links] cached link checks, by URL
 */

/**
 * @typedef {object} PanelDeps
 * @property {import("./api.js").Client} client
 * @property {import("./types.js").Translate} t
 * @property {string} locale
 * @property {Store} store
 * @property {() => boolean} showDescriptions
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
 */

/**
 * Keep keyboard focus on "the same" control while `container` is rebuilt: by id, else by
 * its data-action (and data-source).
 * @param {Document} doc
 * @param {HTMLElement} container
 * @param {() => void} rebuild
 */
function keepFocus(doc, container, rebuild) {
  const active = /** @type {HTMLElement | null} */ (doc.activeElement);
  let selector = "";
  if (active && container.contains(active)) {
    if (active.id) selector = `#${CSS_ESCAPE(active.id)}`;
    else if (active.dataset.action) {
      selector = `[data-action="${CSS_ESCAPE(active.dataset.action)}"]`;
      if (active.dataset.source) selector += `[data-source="${CSS_ESCAPE(active.dataset.source)}"]`;
    }
  }
  rebuild();
  if (!selector) return;
  const again = /** @type {HTMLButtonElement | null} */ (container.querySelector(selector));
  // A control that is now disabled (a Refresh running) cannot hold the focus: its neighbour takes it.
  const target = again && !again.disabled ? again
    : /** @type {HTMLElement | null} */ (again?.closest("li")?.querySelector("input:not([disabled]), button:not([disabled])") ?? null);
  target?.focus();
}

/** @param {EventTarget | null} target */
function isTextEntry(target) {
  const el = /** @type {HTMLElement | null} */ (target);
  const tag = el?.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || Boolean(el?.isContentEditable);
}

export class Panel {
  /**
   * @param {Document} doc
   * @param {PanelDeps} deps
   */
  constructor(doc, deps) {
    this.doc = doc;
    this.deps = deps;
    this.t = deps.t;
    this.setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = deps.clearTimer ?? ((handle) => clearTimeout(/** @type {any} */ (handle)));
    const win = doc.defaultView;
    this.requestFrame = deps.requestFrame
      ?? (win?.requestAnimationFrame ? (/** @type {() => void} */ fn) => win.requestAnimationFrame(fn) : (/** @type {() => void} */ fn) => this.setTimer(fn, 0));
    this.cancelFrame = deps.cancelFrame
      ?? (win?.cancelAnimationFrame ? (/** @type {unknown} */ handle) => win.cancelAnimationFrame(/** @type {number} */ (handle)) : this.clearTimer);
    deps.store.sourcesOpen ??= false;
    deps.store.refreshing ??= new Map();
    deps.store.links ??= null;
    /** @type {{key: string, total: number, facets: import("./types.js").Facets, pages: Map<number, Resource[]>} | null} */
    this.result = null;
    /** @type {Map<number, AbortController>} page loads in flight, by page number */
    this.pageLoads = new Map();
    /** @type {AbortController | null} */
    this.searchAbort = null;
    this.searchSeq = 0;
    /** @type {(() => void) | null} the newest answer, waiting for the next animation frame */
    this.pendingShow = null;
    /** @type {unknown} set from a render until the next animation frame */
    this.showFrame = null;
    /** @type {Set<string>} optional sources whose switch is being saved */
    this.sourceBusy = new Set();
    /** @type {Set<string>} resources whose link is being checked */
    this.checking = new Set();
    /** @type {import("./api.js").ApiError | null} */
    this.error = null;
    /** @type {import("./types.js").SourcesInfo | null} */
    this.sources = null;
    /** @type {Resource | null} */
    this.detailsResource = null;
    /** @type {"details" | "form" | null} */
    this.paneMode = null;
    /** @type {Resource | null} the entry being edited (null while adding) */
    this.formEntry = null;
    this.selectedIndex = -1;
    this.restoreScroll = true; // the first result after opening goes back to the saved scroll
    this.pending = 0;
    /** @type {unknown} */
    this.progressTimer = null;
    /** @type {unknown} */
    this.scrollSaveTimer = null;
    this.destroyed = false;
    this.started = false;

    // -- the DOM: built once per opening of the tab --
    const t = this.t;
    const state = this.state;
    this.search = h(doc, "input", {
      type: "search", class: "ab-search", placeholder: t("search.placeholder"), "aria-label": t("search.label"),
      "aria-controls": "ab-list", autocomplete: "off", spellcheck: "false", maxlength: 200, title: t("keys.hint"),
    });
    this.search.value = state.q;
    this.sortSelect = renderSort(this.ctx(), state.sort);
    this.favToggle = h(doc, "button", {
      type: "button", class: "ab-toggle", "data-action": "favorites-only", "aria-pressed": String(state.favoritesOnly),
      "aria-label": t("filters.favoritesOnly"), title: t("filters.favoritesOnly"),
    }, [h(doc, "i", { class: "pi pi-star", "aria-hidden": "true" })]);
    this.installedToggle = h(doc, "button", {
      type: "button", class: "ab-toggle", "data-action": "installed-only", "aria-pressed": String(state.installedOnly),
      "aria-label": t("filters.installedOnly"), title: t("filters.installedOnly"),
    }, [h(doc, "i", { class: "pi pi-check-circle", "aria-hidden": "true" })]);
    this.addButton = h(doc, "button", {
      type: "button", class: "ab-icon-button", "data-action": "add", "aria-label": t("form.add"), title: t("form.add"),
    }, [h(doc, "i", { class: "pi pi-plus", "aria-hidden": "true" })]);
    this.status = h(doc, "span", { class: "ab-count", role: "status", "aria-live": "polite" });
    this.clearAll = h(doc, "button", { type: "button", class: "ab-link", "data-action": "clear-all" }, [t("filters.clearAll")]);
    this.progress = h(doc, "div", { class: "ab-progress", role: "progressbar", "aria-label": t("status.loading"), hidden: true });
    this.facets = h(doc, "div", { class: "ab-facets-holder" });
    this.filters = h(doc, "details", { class: "ab-filters", open: this.deps.store.filtersOpen }, [
      h(doc, "summary", {}, [t("filters.title")]), this.facets]);
    this.problems = h(doc, "div", { class: "ab-problems-holder" });
    this.sourcesBox = h(doc, "div", { class: "ab-sources-holder" });
    this.scroller = h(doc, "div", {
      class: "ab-scroller", id: "ab-list", role: "list", "aria-label": t("list.label"), tabindex: "-1",
    });
    this.message = h(doc, "div", { class: "ab-message" });
    this.body = h(doc, "div", { class: "ab-body" }, [this.scroller, this.message]);
    this.pane = h(doc, "div", { class: "ab-pane", hidden: true });
    this.root = h(doc, "div", { class: "awesome-beyond-panel", role: "region", "aria-label": "Awesome ComfyUI Beyond" }, [
      h(doc, "style", {}, [CSS]),
      h(doc, "div", { class: "ab-head" }, [
        h(doc, "div", { class: "ab-search-box" }, [h(doc, "i", { class: "pi pi-search", "aria-hidden": "true" }), this.search]),
        h(doc, "div", { class: "ab-toolbar" }, [this.sortSelect, this.favToggle, this.installedToggle, this.addButton]),
        h(doc, "div", { class: "ab-status" }, [this.status, this.clearAll]),
      ]),
      this.progress,
      this.filters,
      this.problems,
      this.sourcesBox,
      this.body,
      this.pane,
    ]);
    /** @type {import("./render.js").RenderContext | null} one context for all the rows drawn together */
    this.rowCtx = null;
    this.list = new VirtualList({
      scroller: this.scroller, rowHeight: this.rowHeight(), overscan: 6,
      renderRow: (index) => renderRow(this.rowCtx ??= this.ctx(), this.itemAt(index), index, this.result?.total ?? 0,
        index === this.selectedIndex),
      onRange: (start, end) => {
        this.rowCtx = null; // drawn: the next batch reads the settings and the search again
        this.onRange(start, end);
      },
    });

    /** @type {[EventTarget, string, EventListener][]} */
    this.listeners = [
      [this.search, "input", () => this.dispatch({ type: "query", q: this.search.value })],
      [this.root, "click", (e) => this.onClick(/** @type {MouseEvent} */ (e))],
      [this.root, "change", (e) => this.onChange(e)],
      [this.root, "keydown", (e) => this.onKeyDown(/** @type {KeyboardEvent} */ (e))],
      [this.root, "submit", (e) => this.onSubmit(e)],
      [this.scroller, "scroll", () => this.onScroll()],
      [this.filters, "toggle", () => { this.deps.store.filtersOpen = this.filters.open; }],
    ];
    for (const [target, type, fn] of this.listeners) target.addEventListener(type, fn);
    this.renderControls();
  }

  get state() {
    return this.deps.store.state;
  }

  /** @param {string} id */
  categoryName(id) {
    return this.deps.store.categories?.find((c) => c.id === id)?.name || id;
  }

  /** @returns {import("./render.js").RenderContext} */
  ctx() {
    const store = this.deps.store;
    return {
      doc: this.doc, t: this.t, locale: this.deps.locale, terms: searchTerms(this.state.q),
      categoryName: (id) => this.categoryName(id), showDescriptions: this.deps.showDescriptions(),
      linkStatus: (url) => (store.links && Object.hasOwn(store.links, url) ? store.links[url] : undefined),
      checkingLink: (id) => this.checking.has(id),
    };
  }

  rowHeight() {
    return this.deps.showDescriptions() ? ROW_HEIGHT : ROW_HEIGHT_COMPACT;
  }

  /** Put the panel in `el` (idempotent) and start loading. @param {HTMLElement} el */
  mount(el) {
    if (this.root.parentElement !== el) el.append(this.root);
    if (!this.started) {
      this.started = true;
      void this.runSearch();
      void this.loadMeta();
      void this.loadLinks(); // meanwhile the rows show the last opening's link checks, if any
      for (const job of this.refreshingJobs().values()) this.watchRefresh(job);
    }
  }

  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.saveScroll();
    saveState(this.deps.storage, this.state);
    this.abortAll();
    if (this.showFrame !== null) this.cancelFrame(this.showFrame);
    this.showFrame = null;
    for (const timer of [this.progressTimer, this.scrollSaveTimer]) if (timer) this.clearTimer(timer);
    for (const [target, type, fn] of this.listeners) target.removeEventListener(type, fn);
    this.list.destroy();
    this.root.remove();
  }

  focusSearch() {
    this.search.focus();
    this.search.select();
  }

  // -- state --------------------------------------------------------------------------

  /** @param {Action} action */
  dispatch(action) {
    const before = this.state;
    const after = reduce(before, action);
    if (after === before) return;
    this.deps.store.state = after;
    saveState(this.deps.storage, after);
    if (buildQuery(after) !== buildQuery(before)) {
      // The details cover the list: a new search brings the list back.
      if (this.paneMode === "details") this.closePane();
      // No debounce: the server is local and its search takes a millisecond or two, so
      // every keystroke asks at once; the previous request is aborted and only the newest
      // answer is drawn, at most once per animation frame (scheduleShow).
      void this.runSearch();
    }
    this.renderControls();
  }

  /** @param {string} sort */
  applyDefaultSort(sort) {
    this.dispatch({ type: "sort", value: sort });
  }

  setShowDescriptions() {
    this.list.setRowHeight(this.rowHeight());
    this.redrawRows();
  }

  // -- loading ------------------------------------------------------------------------

  /** @param {() => Promise<unknown>} work */
  async track(work) {
    this.pending += 1;
    if (this.pending === 1) {
      this.progressTimer = this.setTimer(() => { this.progress.hidden = false; }, PROGRESS_DELAY_MS);
    }
    try {
      return await work();
    } finally {
      this.pending -= 1;
      if (this.pending === 0 && !this.destroyed) {
        if (this.progressTimer) this.clearTimer(this.progressTimer);
        this.progressTimer = null;
        this.progress.hidden = true;
      }
    }
  }

  abortAll() {
    this.searchAbort?.abort();
    this.searchAbort = null;
    this.pendingShow = null; // an answer for an older search is no longer drawn
    for (const controller of this.pageLoads.values()) controller.abort();
    this.pageLoads.clear();
  }

  /** Categories (names for ids) and the data problems; neither is needed to list results. */
  async loadMeta() {
    const { client } = this.deps;
    const categories = this.track(() => client.categories()).then((data) => {
      const list = /** @type {{categories: import("./types.js").Category[]}} */ (data).categories;
      this.deps.store.categories = Array.isArray(list) ? list : [];
      if (!this.destroyed) {
        this.renderFacets();
        this.redrawRows();
        this.renderPane();
      }
    });
    const sources = this.track(() => client.sources()).then((data) => {
      this.sources = /** @type {import("./types.js").SourcesInfo} */ (data);
      if (this.sources.settings) this.deps.onSourceSettings?.(this.sources.settings);
      if (!this.destroyed) {
        this.renderProblems();
        this.renderSources();
      }
    });
    const results = await Promise.allSettled([categories, sources]);
    for (const result of results) {
      if (result.status === "rejected") console.warn("[Awesome ComfyUI Beyond]", result.reason);
    }
  }

  /** Cached link checks (GET links), once per opening; rows and details show them. */
  async loadLinks() {
    try {
      const data = /** @type {{links?: Record<string, import("./types.js").LinkStatus>}} */ (await this.deps.client.links());
      const links = data.links && typeof data.links === "object" ? data.links : {};
      // Rows change only when there is something to show, before or now.
      const changed = Object.keys(links).length > 0 || Object.keys(this.deps.store.links ?? {}).length > 0;
      this.deps.store.links = links;
      if (this.destroyed || !changed) return;
      this.redrawRows();
      if (this.paneMode === "details") this.renderPane();
    } catch (error) {
      if (!isAbort(error)) console.warn("[Awesome ComfyUI Beyond] link checks unavailable:", error);
    }
  }

  /**
   * Draw an answer, at most once per animation frame: the first answer in a frame is drawn
   * at once (the browser paints it at the coming frame either way); answers arriving after
   * it in the same frame wait for the next one, where only the newest is drawn. So a burst
   * of answers costs one render per frame and the first costs no waiting.
   * @param {() => void} show
   */
  scheduleShow(show) {
    if (this.showFrame !== null) {
      this.pendingShow = show; // drawn this frame already
      return;
    }
    this.showFrame = this.requestFrame(() => {
      this.showFrame = null;
      const next = this.pendingShow;
      this.pendingShow = null;
      if (next && !this.destroyed) this.scheduleShow(next);
    });
    show();
  }

  /** Fetch the first page (with facet counts) for the current state. */
  async runSearch() {
    this.abortAll();
    const controller = new AbortController();
    this.searchAbort = controller;
    const seq = ++this.searchSeq;
    const state = this.state;
    const key = buildQuery(state);
    try {
      const data = await this.track(() => this.deps.client.search(
        buildQuery(state, { offset: 0, limit: PAGE_SIZE, facets: true }), controller.signal));
      if (seq !== this.searchSeq || this.destroyed) return;
      const page = /** @type {import("./types.js").SearchResult} */ (data);
      this.scheduleShow(() => {
        this.result = { key, total: page.total, facets: page.facets ?? {}, pages: new Map([[0, page.items]]) };
        this.error = null;
        this.showResults();
      });
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted || seq !== this.searchSeq || this.destroyed) return;
      this.scheduleShow(() => {
        this.error = /** @type {import("./api.js").ApiError} */ (error);
        this.showError();
      });
    } finally {
      if (this.searchAbort === controller) this.searchAbort = null;
    }
  }

  /** @param {number} page */
  async loadPage(page) {
    const result = this.result;
    if (!result || result.pages.has(page) || this.pageLoads.has(page)) return;
    const controller = new AbortController();
    this.pageLoads.set(page, controller);
    try {
      const data = await this.track(() => this.deps.client.search(
        buildQuery(this.state, { offset: page * PAGE_SIZE, limit: PAGE_SIZE, facets: false }), controller.signal));
      if (this.result !== result || this.destroyed) return;
      result.pages.set(page, /** @type {import("./types.js").SearchResult} */ (data).items);
      this.adoptSelection();
      this.list.refreshRange(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted || this.result !== result || this.destroyed) return;
      this.error = /** @type {import("./api.js").ApiError} */ (error);
      this.showError();
    } finally {
      if (this.pageLoads.get(page) === controller) this.pageLoads.delete(page);
    }
  }

  /** @param {number} start @param {number} end */
  onRange(start, end) {
    for (const page of pagesFor(start, end, PAGE_SIZE)) void this.loadPage(page);
  }

  /** @param {number} index @returns {Resource | undefined} */
  itemAt(index) {
    return this.result?.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** @param {string} id */
  indexOf(id) {
    if (!this.result || !id) return -1;
    for (const [page, items] of this.result.pages) {
      const at = items.findIndex((item) => item.id === id);
      if (at >= 0) return page * PAGE_SIZE + at;
    }
    return -1;
  }

  /** When a page with the selected index arrives, remember its id. */
  adoptSelection() {
    const item = this.selectedIndex >= 0 ? this.itemAt(this.selectedIndex) : undefined;
    if (item && item.id !== this.state.selectedId) this.dispatch({ type: "select", id: item.id });
  }

  // -- rendering ----------------------------------------------------------------------

  renderControls() {
    const state = this.state;
    if (this.search.value !== state.q) this.search.value = state.q;
    if (this.sortSelect.value !== state.sort) this.sortSelect.value = state.sort;
    this.favToggle.setAttribute("aria-pressed", String(state.favoritesOnly));
    this.favToggle.firstElementChild?.setAttribute("class", state.favoritesOnly ? "pi pi-star-fill" : "pi pi-star");
    this.installedToggle.setAttribute("aria-pressed", String(state.installedOnly));
    this.clearAll.hidden = !(state.q || hasFilters(state) || state.sort !== this.deps.defaultSort());
  }

  renderStatus() {
    const total = this.result?.total ?? 0;
    this.status.textContent = this.error ? "" : plural(this.t, "status.count", total, { count: formatNumber(total, this.deps.locale) });
  }

  renderFacets() {
    const active = /** @type {HTMLElement | null} */ (this.doc.activeElement);
    const focusKey = active && this.facets.contains(active) ? active.id || active.dataset.tag : null;
    this.facets.replaceChildren(renderFacets(this.ctx(), this.state, this.result?.facets ?? {}, this.deps.store.categories ?? []));
    if (focusKey) {
      const again = /** @type {HTMLElement | null} */ (
        this.facets.querySelector(`#${CSS_ESCAPE(focusKey)}`) ?? this.facets.querySelector(`[data-tag="${CSS_ESCAPE(focusKey)}"]`));
      again?.focus();
    }
  }

  renderProblems() {
    const details = this.sources ? renderProblems(this.ctx(), this.sources, this.deps.store.problemsOpen) : null;
    if (details) {
      details.addEventListener("toggle", () => { this.deps.store.problemsOpen = /** @type {HTMLDetailsElement} */ (details).open; });
    }
    this.problems.replaceChildren(...(details ? [details] : []));
  }

  renderSources() {
    if (!this.sources) return;
    const store = this.deps.store;
    const view = { open: store.sourcesOpen === true, busy: this.sourceBusy, refreshing: new Set(this.refreshingJobs().keys()) };
    keepFocus(this.doc, this.sourcesBox, () => {
      const details = renderSources(this.ctx(), /** @type {import("./types.js").SourcesInfo} */ (this.sources), view);
      details.addEventListener("toggle", () => { store.sourcesOpen = details.open; });
      this.sourcesBox.replaceChildren(details);
    });
  }

  /** Redraw the rows in view, keeping keyboard focus on the same row and button. */
  redrawRows() {
    this.rowCtx = null;
    const active = /** @type {HTMLElement | null} */ (this.doc.activeElement);
    const row = active && this.scroller.contains(active) ? /** @type {HTMLElement | null} */ (active.closest(".ab-row")) : null;
    const which = active?.classList.contains("ab-star") ? ".ab-star" : ".ab-row-main";
    this.list.refresh();
    if (row) /** @type {HTMLElement | null} */ (this.list.rowAt(Number(row.dataset.index))?.querySelector(which))?.focus();
  }

  showResults() {
    const result = this.result;
    if (!result) return;
    const started = perfStart();
    this.renderStatus();
    this.renderFacets();
    if (result.total === 0) {
      this.scroller.hidden = true;
      this.message.replaceChildren(renderEmpty(this.ctx(), this.state));
    } else {
      this.message.replaceChildren();
      this.scroller.hidden = false;
    }
    this.list.setTotal(result.total);
    if (this.restoreScroll) {
      this.restoreScroll = false;
      this.scroller.scrollTop = this.state.scrollTop;
    } else {
      this.scroller.scrollTop = 0;
    }
    this.selectedIndex = this.indexOf(this.state.selectedId);
    this.redrawRows();
    perfEnd(RENDER_MEASURE, started);
    if (this.state.detailsOpen && this.paneMode !== "form") void this.openDetails(this.state.selectedId, false);
  }

  showError() {
    this.renderStatus();
    this.scroller.hidden = true;
    this.message.replaceChildren(renderError(this.ctx(), this.error ?? {}));
  }

  renderPane() {
    this.root.classList.toggle("ab-pane-open", this.paneMode !== null);
    if (this.paneMode === "details" && this.detailsResource) {
      const resource = this.detailsResource;
      keepFocus(this.doc, this.pane, () => this.pane.replaceChildren(renderDetails(this.ctx(), resource)));
      this.pane.hidden = false;
    } else if (this.paneMode === "form") {
      this.pane.hidden = false; // the form is rendered once by openForm, and kept while typing
    } else {
      this.pane.replaceChildren();
      this.pane.hidden = true;
    }
  }

  // -- selection and details ----------------------------------------------------------

  /** @param {number} index @param {boolean} focusRow */
  select(index, focusRow) {
    const total = this.result?.total ?? 0;
    if (total === 0) return;
    const next = Math.max(0, Math.min(total - 1, index));
    this.selectedIndex = next;
    const item = this.itemAt(next);
    if (item) this.dispatch({ type: "select", id: item.id });
    this.list.reveal(next);
    this.redrawRows();
    if (focusRow) /** @type {HTMLElement | null} */ (this.list.rowAt(next)?.querySelector(".ab-row-main"))?.focus();
    if (this.state.detailsOpen && item) void this.openDetails(item.id, false);
  }

  /**
   * Show a resource in the details pane: from the loaded pages, else from the server.
   * @param {string} id
   * @param {boolean} focus move focus into the pane
   */
  async openDetails(id, focus) {
    if (!id) return;
    let resource = this.result ? this.itemAt(this.indexOf(id)) : undefined;
    if (!resource && this.detailsResource?.id === id) resource = this.detailsResource;
    if (!resource) {
      try {
        resource = /** @type {Resource} */ (await this.track(() => this.deps.client.resource(id)));
      } catch (error) {
        if (/** @type {import("./api.js").ApiError} */ (error).status === 404) {
          this.dispatch({ type: "details", open: false });
          return;
        }
        this.deps.notify("error", this.t("error.title"), /** @type {Error} */ (error).message);
        return;
      }
    }
    if (this.destroyed || !resource) return;
    this.detailsResource = resource;
    this.paneMode = "details";
    if (!this.state.detailsOpen) this.dispatch({ type: "details", open: true });
    this.renderPane();
    if (focus) /** @type {HTMLElement | null} */ (this.pane.querySelector("[data-action=close-details]"))?.focus();
  }

  /** Back from the form to the details it came from, or from the details to the list. */
  closePane() {
    const wasForm = this.paneMode === "form";
    const hadFocus = this.pane.contains(this.doc.activeElement);
    this.paneMode = wasForm && this.detailsResource && this.state.detailsOpen ? "details" : null;
    this.renderPane();
    if (!this.paneMode && this.state.detailsOpen) this.dispatch({ type: "details", open: false });
    if (hadFocus && !this.paneMode) {
      const row = this.list.rowAt(this.selectedIndex)?.querySelector(".ab-row-main");
      /** @type {HTMLElement} */ (row ?? this.search).focus();
    }
  }

  /** @param {Resource | null} entry */
  openForm(entry) {
    this.formEntry = entry;
    this.paneMode = "form";
    this.pane.replaceChildren(renderForm(this.ctx(), entry, this.deps.store.categories ?? []));
    this.renderPane();
    /** @type {HTMLElement | null} */ (this.pane.querySelector("#ab-f-name"))?.focus();
  }

  // -- actions ------------------------------------------------------------------------

  /** @param {string} id */
  async toggleFavorite(id) {
    const current = this.itemAt(this.indexOf(id)) ?? (this.detailsResource?.id === id ? this.detailsResource : undefined);
    if (!current) return;
    const on = !current.favorite;
    this.setFavoriteLocally(id, on);
    try {
      await this.track(() => this.deps.client.setFavorite(id, on));
      this.deps.notify("success", this.t(on ? "favorite.added" : "favorite.removed", { name: current.name }));
      if (this.state.favoritesOnly && !on) void this.refreshResults();
    } catch (error) {
      this.setFavoriteLocally(id, !on);
      this.deps.notify("error", this.t("favorite.failed"), /** @type {Error} */ (error).message);
    }
  }

  /** @param {string} id @param {boolean} on */
  setFavoriteLocally(id, on) {
    for (const items of this.result?.pages.values() ?? []) {
      for (const item of items) if (item.id === id) item.favorite = on;
    }
    if (this.detailsResource?.id === id) this.detailsResource = { ...this.detailsResource, favorite: on };
    if (this.destroyed) return;
    this.redrawRows();
    if (this.paneMode === "details") this.renderPane();
  }

  /** Search again keeping the scroll position (after an edit elsewhere). */
  async refreshResults() {
    this.restoreScroll = true;
    this.deps.store.state = reduce(this.state, { type: "scroll", top: this.scroller.scrollTop });
    await this.runSearch();
    void this.loadMeta();
  }

  /** @param {Event} event */
  async onSubmit(event) {
    const form = /** @type {HTMLFormElement} */ (event.target);
    if (!form.classList?.contains("ab-form")) return;
    event.preventDefault();
    const entry = this.formEntry;
    const body = readForm(form, entry);
    const submit = /** @type {HTMLButtonElement | null} */ (form.querySelector("button[type=submit]"));
    if (submit) submit.disabled = true;
    clearProblems(form);
    try {
      const saved = /** @type {Resource} */ (await this.track(() => (entry
        ? this.deps.client.updateEntry(entry.id, body)
        : this.deps.client.addEntry(body))));
      this.deps.notify("success", this.t("form.saved", { name: saved.name }));
      this.detailsResource = { ...saved, favorite: entry?.favorite ?? false };
      this.paneMode = "details";
      this.dispatch({ type: "select", id: saved.id });
      this.dispatch({ type: "details", open: true });
      this.renderPane();
      await this.refreshResults();
    } catch (error) {
      const apiError = /** @type {import("./api.js").ApiError} */ (error);
      const problems = apiError.problems ?? [];
      if (problems.length) showProblems(form, problems, this.t("form.invalid"));
      else showProblems(form, [], this.t("form.failed", { message: apiError.message }));
      this.deps.notify("error", this.t("form.failed", { message: apiError.message }));
    } finally {
      if (submit) submit.disabled = false;
    }
  }

  async deleteEntry() {
    const entry = this.detailsResource;
    if (!entry || entry.source !== "user") return;
    if (!(await this.deps.confirm(this.t("details.deleteConfirm", { name: entry.name })))) return;
    try {
      await this.track(() => this.deps.client.deleteEntry(entry.id));
      this.deps.notify("success", this.t("details.deleted", { name: entry.name }));
      this.detailsResource = null;
      this.paneMode = null;
      this.dispatch({ type: "details", open: false });
      this.renderPane();
      await this.refreshResults();
    } catch (error) {
      this.deps.notify("error", this.t("details.deleteFailed", { name: entry.name }), /** @type {Error} */ (error).message);
    }
  }

  // -- sources ------------------------------------------------------------------------

  /** @returns {Map<string, Promise<void>>} */
  refreshingJobs() {
    return this.deps.store.refreshing ?? new Map();
  }

  /** The list, facets, categories and sources again, from the top, after a source changed. */
  sourcesChanged() {
    if (this.destroyed) return;
    this.deps.store.state = reduce(this.state, { type: "scroll", top: 0 });
    void this.runSearch();
    void this.loadMeta();
  }

  /**
   * Switch an optional source on or off on the server (PUT sources/{name}), then reload.
   * @param {string} name
   * @param {boolean} enabled
   */
  async toggleSource(name, enabled) {
    const source = /** @type {import("./types.js").OptionalSource} */ (name);
    if (!(/** @type {readonly string[]} */ (OPTIONAL_SOURCES)).includes(name) || this.sourceBusy.has(name)) return;
    const label = sourceName(this.ctx(), name);
    this.sourceBusy.add(name);
    this.renderSources();
    try {
      const answer = /** @type {{settings?: Record<string, import("./types.js").SourceSetting>}} */ (
        await this.track(() => this.deps.client.setSource(source, { enabled })));
      const settings = answer?.settings ?? {};
      if (this.sources) this.sources = { ...this.sources, settings: { ...this.sources.settings, ...settings } };
      this.deps.onSourceSettings?.(settings);
      this.deps.notify("success", this.t(enabled ? "sources.turnedOn" : "sources.turnedOff", { name: label }));
      this.sourcesChanged();
    } catch (error) {
      this.deps.notify("error", this.t("sources.toggleFailed", { name: label }), /** @type {Error} */ (error).message);
    } finally {
      this.sourceBusy.delete(name);
      if (!this.destroyed) this.renderSources(); // the switch shows the server's state again
    }
  }

  /**
   * Refresh an optional source (POST sources/{name}/refresh). It can take many seconds and
   * outlives this panel: the store keeps it, a toast tells the outcome, and whichever panel
   * is open then reloads.
   * @param {string} name
   */
  refreshSource(name) {
    const source = /** @type {import("./types.js").OptionalSource} */ (name);
    const jobs = this.refreshingJobs();
    if (!(/** @type {readonly string[]} */ (OPTIONAL_SOURCES)).includes(name) || jobs.has(name)) return;
    const { client, notify } = this.deps;
    const t = this.t;
    const label = sourceName(this.ctx(), name);
    const job = client.refreshSource(source).then((result) => {
      const outcomes = Array.isArray(result?.outcomes) ? result.outcomes : [];
      const say = (/** @type {import("./types.js").RefreshOutcome[]} */ list) => list.map((o) => o.message).filter(Boolean).join("\n");
      const failed = outcomes.filter((o) => o.state === "failed");
      if (result?.ok === false || failed.length) notify("error", t("sources.refreshFailed", { name: label }), say(failed.length ? failed : outcomes));
      else if (outcomes.some((o) => o.state === "changed")) notify("success", t("sources.refreshed", { name: label }), say(outcomes));
      else notify("info", t("sources.upToDate", { name: label }), say(outcomes));
    }, (error) => {
      const apiError = /** @type {import("./api.js").ApiError} */ (error);
      if (apiError.status === 409) notify("info", t("sources.refreshRunning", { name: label }), apiError.message);
      else notify("error", t("sources.refreshFailed", { name: label }), apiError.message);
    }).finally(() => {
      jobs.delete(name);
    });
    jobs.set(name, job);
    this.watchRefresh(job);
    this.renderSources();
  }

  /**
   * Redraw this panel's Sources when a refresh ends, and reload what it may have changed.
   * @param {Promise<void>} job never rejects
   */
  watchRefresh(job) {
    void job.then(() => {
      if (this.destroyed) return;
      this.renderSources();
      this.sourcesChanged();
    });
  }

  // -- link health --------------------------------------------------------------------

  /** Check the link of the resource in the details now (POST links/check). */
  async checkLink() {
    const resource = this.detailsResource;
    if (!resource || this.checking.has(resource.id)) return;
    const { id, url } = resource;
    this.checking.add(id);
    this.renderPane();
    try {
      const data = /** @type {{links?: Record<string, import("./types.js").LinkStatus>}} */ (
        await this.track(() => this.deps.client.checkLinks([id])));
      const status = data?.links?.[id];
      if (status) {
        this.deps.store.links = { ...(this.deps.store.links ?? {}), [url]: status };
        const label = this.t(`links.${status.state}`);
        const severity = status.state === "alive" || status.state === "redirected" ? "success"
          : status.state === "dead" ? "error" : "info";
        this.deps.notify(severity, this.t("links.checked", { state: label, url }), status.final_url && status.final_url !== url
          ? `${this.t("links.finalUrl")} ${status.final_url}` : status.message || undefined);
      }
    } catch (error) {
      const apiError = /** @type {import("./api.js").ApiError} */ (error);
      if (apiError.status === 409) this.deps.notify("info", this.t("links.busy"));
      else this.deps.notify("error", this.t("links.failed"), apiError.message);
    } finally {
      this.checking.delete(id);
      if (!this.destroyed) {
        this.renderPane();
        this.redrawRows();
      }
    }
  }

  /** @param {string} text */
  async copy(text) {
    const ok = await copyText(this.doc, text);
    this.deps.notify(ok ? "success" : "error", this.t(ok ? "details.copied" : "details.copyFailed"), ok ? text : undefined);
  }

  // -- events -------------------------------------------------------------------------

  /** @param {MouseEvent} event */
  onClick(event) {
    const target = /** @type {HTMLElement | null} */ (event.target);
    const button = /** @type {HTMLElement | null} */ (target?.closest?.("[data-action]") ?? null);
    if (!button || !this.root.contains(button) || button.tagName === "SELECT") return;
    const row = /** @type {HTMLElement | null} */ (button.closest(".ab-row"));
    const index = row ? Number(row.dataset.index) : -1;
    const detailsId = /** @type {HTMLElement | null} */ (button.closest(".ab-details"))?.dataset.id ?? "";
    switch (button.dataset.action) {
      case "open":
        this.select(index, false);
        void this.openDetails(row?.dataset.id ?? "", false);
        break;
      case "star":
        void this.toggleFavorite(row?.dataset.id ?? detailsId);
        break;
      case "close-details":
        this.closePane();
        break;
      case "favorites-only":
        this.dispatch({ type: "favoritesOnly", value: !this.state.favoritesOnly });
        break;
      case "installed-only":
        this.dispatch({ type: "installedOnly", value: !this.state.installedOnly });
        break;
      case "source-refresh":
        this.refreshSource(button.dataset.source ?? "");
        break;
      case "check-link":
        void this.checkLink();
        break;
      case "tag":
        this.dispatch({ type: "toggleTag", tag: button.dataset.tag ?? "" });
        break;
      case "clear-filters":
        this.dispatch({ type: "clearFilters" });
        break;
      case "clear-search":
        this.dispatch({ type: "query", q: "" });
        break;
      case "clear-all":
        this.dispatch({ type: "clearAll", sort: this.deps.defaultSort() });
        this.focusSearch();
        break;
      case "retry":
        void this.refreshResults();
        break;
      case "copy":
        void this.copy(button.dataset.copy ?? "");
        break;
      case "add":
        this.openForm(null);
        break;
      case "edit":
        if (this.detailsResource) this.openForm(this.detailsResource);
        break;
      case "delete":
        void this.deleteEntry();
        break;
      case "cancel-form":
        this.closePane();
        break;
      default:
        break;
    }
  }

  /** @param {Event} event */
  onChange(event) {
    const target = /** @type {HTMLSelectElement} */ (event.target);
    const action = target.dataset?.action;
    if (action === "source-toggle") {
      void this.toggleSource(target.dataset.source ?? "", /** @type {HTMLInputElement} */ (/** @type {unknown} */ (target)).checked);
    } else if (action === "sort") this.dispatch({ type: "sort", value: target.value });
    else if (action === "category") this.dispatch({ type: "category", value: target.value });
    else if (action === "kind") this.dispatch({ type: "kind", value: target.value });
  }

  /** @param {KeyboardEvent} event */
  onKeyDown(event) {
    const target = /** @type {HTMLElement} */ (event.target);
    const inSearch = target === this.search;
    const inList = this.scroller.contains(target);
    let handled = true;
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "f") {
      this.focusSearch();
    } else if (event.key === "/" && !isTextEntry(target) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      this.focusSearch();
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && (inSearch || inList) && !event.altKey) {
      const step = event.key === "ArrowDown" ? 1 : -1;
      this.select(this.selectedIndex < 0 ? 0 : this.selectedIndex + step, inList);
    } else if (event.key === "Enter" && inSearch && (this.result?.total ?? 0) > 0) {
      if (this.selectedIndex < 0) this.select(0, false); // Enter with nothing selected takes the best match
      void this.openDetails(this.itemAt(this.selectedIndex)?.id ?? "", false);
    } else if (event.key === "Escape") {
      handled = this.onEscape(target);
    } else {
      handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation(); // keep ComfyUI's own shortcuts from acting on these keys too
    }
  }

  /**
   * Escape: close the form; in the search box clear the search, then close the details;
   * elsewhere close the details first (they cover the list), then clear the search.
   * @param {HTMLElement} target
   */
  onEscape(target) {
    if (this.paneMode === "form" || (this.paneMode === "details" && target !== this.search)) {
      this.closePane();
      return true;
    }
    if (this.state.q) {
      this.dispatch({ type: "query", q: "" });
      if (target !== this.search) this.search.focus();
      return true;
    }
    if (this.paneMode === "details") {
      this.closePane();
      return true;
    }
    return false;
  }

  onScroll() {
    if (this.scrollSaveTimer) return;
    this.scrollSaveTimer = this.setTimer(() => {
      this.scrollSaveTimer = null;
      this.saveScroll();
    }, SAVE_SCROLL_MS);
  }

  saveScroll() {
    if (!this.result || this.scroller.hidden || this.restoreScroll) return;
    this.deps.store.state = reduce(this.state, { type: "scroll", top: this.scroller.scrollTop });
    saveState(this.deps.storage, this.state);
  }
}

/** CSS.escape where it exists (browsers), else a conservative stand-in (DOM libraries). */
const CSS_ESCAPE = (/** @type {string} */ value) => (globalThis.CSS?.escape
  ? globalThis.CSS.escape(value)
  : value.replace(/[^a-zA-Z0-9_-]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `));
