// The sidebar panel: puts the components together over the one store (store.js), hands
// clicks, changes, keys and submits to the component that owns them, and starts loading.
// One Panel lives while the tab is open; the store is the entry module's, so closing and
// reopening the tab loses nothing.

import { h } from "./dom.js";
import { saveState } from "./state.js";
import { CSS } from "./style.js";
import { timersFor } from "./panel_context.js";
import { createToolbar } from "./panel_toolbar.js";
import { createFilters } from "./panel_filters.js";
import { createSources } from "./panel_sources.js";
import { createResults } from "./panel_results.js";
import { createPane } from "./panel_pane.js";
import { createEntryForm } from "./panel_entry_form.js";
import { createFavourites } from "./panel_favourites.js";
import { createLinkHealth } from "./panel_link_health.js";
import { createKeyboard } from "./panel_keyboard.js";
import { createLoader } from "./panel_loader.js";
import { createSections } from "./panel_sections.js";
import { createManagerActions } from "./panel_manager_actions.js";
import { createWorkflow } from "./panel_workflow.js";

export { PAGE_SIZE } from "./pages.js";
export { PROGRESS_DELAY_MS } from "./panel_toolbar.js";
export { RENDER_MEASURE } from "./panel_loader.js";

/** @typedef {import("./panel_context.js").PanelDeps} PanelDeps */
/** @typedef {import("./panel_context.js").PanelContext} PanelContext */
/** @typedef {import("./panel_context.js").Component} Component */

export class Panel {
  /**
   * @param {Document} doc
   * @param {PanelDeps} deps
   */
  constructor(doc, deps) {
    this.deps = deps;
    this.destroyed = false;
    this.started = false;
    const { store } = deps;
    store.dispatch({ type: "opened", rowLines: deps.rowLines() });
    // Focusable (not in the tab order), so a click anywhere in the panel keeps the keyboard
    // focus in it and its keys (/, Escape, the arrows) keep working.
    this.root = h(doc, "div", {
      class: "awesome-beyond-panel", role: "region", "aria-label": "Awesome ComfyUI Beyond", tabindex: "-1",
    });

    /** @type {import("./panel_context.js").PanelOps} */
    const ops = {
      refreshResults: () => this.loader.refreshResults(),
      sourcesChanged: () => this.loader.sourcesChanged(),
      loadRows: (start, end) => this.loader.loadRows(start, end),
      select: (index, focusRow) => this.results.select(index, focusRow),
      rowButton: (index) => this.results.rowButton(index),
      scrollTop: () => this.results.scroller.scrollTop,
      openDetails: (id, focus) => this.pane.openDetails(id, focus),
      closePane: (all) => this.pane.closePane(all),
      focusSearch: () => this.focusSearch(),
      searchBox: () => this.toolbar.search,
    };
    /** @type {PanelContext} */
    const ctx = {
      doc, store, deps, t: deps.t, root: this.root, alive: () => !this.destroyed, timers: timersFor(doc, deps), ops,
      track: async (work) => {
        const counted = !this.destroyed;
        if (counted) store.dispatch({ type: "requestStarted" });
        try {
          return await work();
        } finally {
          if (counted && !this.destroyed) store.dispatch({ type: "requestEnded" });
        }
      },
    };
    this.timers = ctx.timers;
    this.toolbar = createToolbar(ctx);
    this.filters = createFilters(ctx);
    this.sources = createSources(ctx);
    this.results = createResults(ctx);
    this.pane = createPane(ctx);
    this.entryForm = createEntryForm(ctx, this.pane.el);
    this.keyboard = createKeyboard(ctx, { search: this.toolbar.search, scroller: this.results.scroller });
    this.loader = createLoader(ctx);
    this.sections = createSections(ctx, [this.filters.section, this.sources.problemsBox, this.sources.sourcesBox]);
    this.manager = createManagerActions(ctx);
    this.workflow = createWorkflow(ctx);
    this.toolbar.titlebar.querySelector(".ab-title-actions")?.prepend(this.workflow.button);
    /** @type {Component[]} */
    this.components = [this.toolbar, this.filters, this.sources, this.results, this.pane, this.entryForm,
      createFavourites(ctx), createLinkHealth(ctx), this.keyboard, this.loader, this.sections, this.manager, this.workflow];
    this.root.append(h(doc, "style", {}, [CSS]), this.toolbar.titlebar, this.toolbar.head, this.toolbar.progress,
      this.manager.bar, this.sections.frame, this.results.body, this.pane.el, this.workflow.el, this.manager.layer);

    /** @type {Map<string, (el: HTMLElement) => void>} */
    const clicks = new Map(this.components.flatMap((c) => Object.entries(c.clicks ?? {})));
    /** @type {Map<string, (el: HTMLInputElement) => void>} */
    const changes = new Map(this.components.flatMap((c) => Object.entries(c.changes ?? {})));
    // Saved as it changes, so a reload finds what the user asked for.
    const unsubscribe = store.subscribe((state, before) => {
      if (state.search !== before.search) saveState(deps.storage, state.search);
    });
    /** @type {[EventTarget, string, EventListener][]} */
    this.listeners = [
      [this.root, "click", (event) => {
        const target = /** @type {HTMLElement | null} */ (event.target);
        const el = /** @type {HTMLElement | null} */ (target?.closest?.("[data-action]") ?? null);
        if (el && this.root.contains(el) && el.tagName !== "SELECT") clicks.get(el.dataset.action ?? "")?.(el);
      }],
      [this.root, "change", (event) => {
        const el = /** @type {HTMLInputElement} */ (event.target);
        changes.get(el.dataset?.action ?? "")?.(el);
      }],
      [this.root, "keydown", (event) => this.keyboard.onKeyDown(/** @type {KeyboardEvent} */ (event))],
      [this.root, "submit", (event) => this.entryForm.onSubmit(event)],
      [this.root, "focusin", (event) => { this.lastFocus = /** @type {HTMLElement} */ (event.target); }],
      [this.root, "focusout", (event) => {
        if (!(/** @type {FocusEvent} */ (event)).relatedTarget) this.keepFocusSoon();
      }],
    ];
    /** @type {HTMLElement | null} the control that had the focus last */
    this.lastFocus = null;
    /** @type {unknown} */
    this.focusTimer = null;
    // A redraw may remove or hide the control that had the focus (a message replaced by rows,
    // the form by the details): the focus then comes back to the panel, not to the page.
    const unwatch = store.subscribe(() => this.keepFocusSoon());
    for (const [target, type, fn] of this.listeners) target.addEventListener(type, fn);
    this.unsubscribe = () => {
      unsubscribe();
      unwatch();
    };
  }

  /** After this turn, bring the focus back to the panel if its control vanished with it. */
  keepFocusSoon() {
    if (this.focusTimer !== null || this.destroyed) return;
    this.focusTimer = this.timers.setTimer(() => {
      this.focusTimer = null;
      const doc = this.root.ownerDocument;
      const last = this.lastFocus;
      const lost = !doc.activeElement || doc.activeElement === doc.body;
      if (this.destroyed || !last || !lost || !this.root.isConnected) return;
      const gone = !this.root.contains(last) || last.getClientRects().length === 0;
      if (gone) this.root.focus({ preventScroll: true });
    }, 0);
  }

  get search() {
    return this.toolbar.search;
  }

  get scroller() {
    return this.results.scroller;
  }

  get list() {
    return this.results.list;
  }

  /** Put the panel in `el` (idempotent) and start loading. @param {HTMLElement} el */
  mount(el) {
    if (this.root.parentElement !== el) el.append(this.root);
    if (this.started) return;
    this.started = true;
    void this.loader.runSearch();
    void this.loader.loadMeta();
    void this.loader.loadLinks(); // meanwhile the rows show the last opening's link checks, if any
  }

  destroy() {
    if (this.destroyed) return;
    this.keyboard.saveScroll();
    saveState(this.deps.storage, this.deps.store.getState().search);
    this.destroyed = true;
    this.unsubscribe();
    if (this.focusTimer !== null) this.timers.clearTimer(this.focusTimer);
    for (const component of this.components) component.destroy?.();
    for (const [target, type, fn] of this.listeners) target.removeEventListener(type, fn);
    this.root.remove();
  }

  focusSearch() {
    this.toolbar.focusSearch();
  }

  /** @param {number} index @param {boolean} focusRow */
  select(index, focusRow) {
    this.results.select(index, focusRow);
  }

  /** The default sort setting changed. @param {string} sort */
  applyDefaultSort(sort) {
    this.deps.store.dispatch({ type: "sort", value: sort });
  }

  /**
   * The rows' settings (descriptions, one line) changed.
   * @param {import("./types.js").RowLines} [lines] the new count (else read from the settings)
   */
  setRowLines(lines = this.deps.rowLines()) {
    this.deps.store.dispatch({ type: "rowLines", value: lines });
  }

  /** A source was switched elsewhere (in ComfyUI's settings). */
  sourcesChanged() {
    this.loader.sourcesChanged();
  }
}
