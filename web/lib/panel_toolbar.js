// The head of the panel: a title bar like the built-in tabs' (the title, Add your own and
// Close), then the search box, the sort, the Favourites only and Installed only toggles, the
// count and Clear all; and the progress bar under it.

import { h } from "./dom.js";
import { hasFilters } from "./state.js";
import { formatNumber } from "./text.js";
import { plural } from "./i18n.js";
import { MAX_QUERY } from "./constants.js";
import { renderSort } from "./render_facets.js";
import { sortAdvice } from "./result_hints.js";
import { renderContext } from "./panel_context.js";

/** @typedef {import("./panel_context.js").PanelContext} PanelContext */
/** @typedef {import("./types.js").AppState} AppState */

/** A request shorter than this shows no progress bar. */
export const PROGRESS_DELAY_MS = 150;

/**
 * @param {Document} doc
 * @param {string} action
 * @param {string} label
 * @param {string} icon
 * @param {boolean} pressed
 */
function toggleButton(doc, action, label, icon, pressed) {
  return h(doc, "button", {
    type: "button", class: "ab-toggle", "data-action": action, "aria-pressed": String(pressed), "aria-label": label, title: label,
  }, [h(doc, "i", { class: icon, "aria-hidden": "true" })]);
}

/** @param {PanelContext} ctx */
export function createToolbar(ctx) {
  const { doc, t, store, deps, timers } = ctx;
  const initial = store.getState().search;
  const search = h(doc, "input", {
    type: "search", class: "ab-search", placeholder: t("search.placeholder"), "aria-label": t("search.label"),
    "aria-controls": "ab-list", autocomplete: "off", spellcheck: "false", maxlength: MAX_QUERY, title: t("keys.hint"),
  });
  search.value = initial.q;
  const sort = renderSort(renderContext(ctx), initial.sort);
  const favorites = toggleButton(doc, "favorites-only", t("filters.favoritesOnly"), "pi pi-star", initial.favoritesOnly);
  const installed = toggleButton(doc, "installed-only", t("filters.installedOnly"), "pi pi-check-circle", initial.installedOnly);
  const disabled = toggleButton(doc, "disabled-only", t("filters.disabledOnly"), "pi pi-ban", initial.disabledOnly);
  const titleAction = (/** @type {string} */ action, /** @type {string} */ label, /** @type {string} */ icon) => h(doc, "button", {
    type: "button", class: "ab-title-button", "data-action": action, "aria-label": label, title: label,
  }, [h(doc, "i", { class: icon, "aria-hidden": "true" })]);
  const titlebar = h(doc, "div", { class: "ab-titlebar" }, [
    h(doc, "h2", { class: "ab-title", title: t("panel.title") }, [t("panel.title")]),
    h(doc, "div", { class: "ab-title-actions" }, [
      titleAction("add", t("form.add"), "pi pi-plus"),
      deps.close && titleAction("close-panel", t("panel.close"), "pi pi-times"),
    ]),
  ]);
  const status = h(doc, "span", { class: "ab-count", role: "status", "aria-live": "polite" });
  const clearAll = h(doc, "button", { type: "button", class: "ab-link", "data-action": "clear-all" }, [t("filters.clearAll")]);
  // Says when the chosen sort has data for only some results (or none): the rest follow by name.
  const sortNote = h(doc, "p", { class: "ab-sort-note", id: "ab-sort-note", role: "note", hidden: true });
  const progress = h(doc, "div", { class: "ab-progress", role: "progressbar", "aria-label": t("status.loading"), hidden: true });
  const head = h(doc, "div", { class: "ab-head" }, [
    h(doc, "div", { class: "ab-search-box" }, [h(doc, "i", { class: "pi pi-search", "aria-hidden": "true" }), search]),
    h(doc, "div", { class: "ab-toolbar" }, [sort, h(doc, "div", { class: "ab-toggles" }, [favorites, installed, disabled])]),
    h(doc, "div", { class: "ab-status" }, [status, clearAll]),
    sortNote,
  ]);

  /** @param {import("./types.js").SidebarState} state */
  function renderControls(state) {
    if (search.value !== state.q) search.value = state.q;
    if (sort.value !== state.sort) sort.value = state.sort;
    favorites.setAttribute("aria-pressed", String(state.favoritesOnly));
    favorites.firstElementChild?.setAttribute("class", state.favoritesOnly ? "pi pi-star-fill" : "pi pi-star");
    installed.setAttribute("aria-pressed", String(state.installedOnly));
    disabled.setAttribute("aria-pressed", String(state.disabledOnly));
    clearAll.hidden = !(state.q || hasFilters(state) || state.sort !== deps.defaultSort());
  }

  /** @param {import("./types.js").ViewState} view */
  function renderStatus(view) {
    const total = view.result?.total ?? 0;
    const text = view.error || !view.result ? "" : plural(t, "status.count", total, { count: formatNumber(total, deps.locale) });
    if (status.textContent !== text) status.textContent = text; // a live region: unchanged text is not said again
  }

  /**
   * The data sorts against the results: one none of them has data for is disabled, its
   * reason as its title; the note says how many the chosen one orders.
   * @param {AppState} state
   */
  function renderSortData(state) {
    const { result } = state.view;
    const advice = sortAdvice(t, deps.locale, state.search.sort, result?.total ?? 0, result?.hints.sortable ?? {});
    for (const option of sort.querySelectorAll("option")) {
      const reason = advice.disabled.get(option.value) ?? "";
      option.disabled = Boolean(reason);
      if (reason) option.title = reason;
      else option.removeAttribute("title");
    }
    if (sortNote.textContent !== advice.note) sortNote.textContent = advice.note;
    sortNote.hidden = !advice.note;
    if (advice.note) sort.setAttribute("aria-describedby", sortNote.id);
    else sort.removeAttribute("aria-describedby");
  }

  /** @type {unknown} the progress bar waits for this before it shows */
  let progressTimer = null;
  /** @param {import("./types.js").ViewState} view */
  function renderProgress(view) {
    if (view.pending > 0 && !view.progress && progressTimer === null) {
      progressTimer = timers.setTimer(() => {
        progressTimer = null;
        store.dispatch({ type: "progressDue" });
      }, PROGRESS_DELAY_MS);
    } else if (view.pending === 0 && progressTimer !== null) {
      timers.clearTimer(progressTimer);
      progressTimer = null;
    }
    progress.hidden = !view.progress;
  }

  const unsubscribe = store.subscribe((state, before) => {
    if (state.search !== before.search) renderControls(state.search);
    const { view } = state;
    if (view.result !== before.view.result || view.error !== before.view.error) renderStatus(view);
    if (view.result !== before.view.result || state.search.sort !== before.search.sort) renderSortData(state);
    if (view.pending !== before.view.pending || view.progress !== before.view.progress) renderProgress(view);
  });
  const onInput = () => store.dispatch({ type: "query", q: search.value });
  search.addEventListener("input", onInput);
  renderControls(initial);

  function focusSearch() {
    search.focus();
    search.select();
  }

  return {
    titlebar, head, progress, search, focusSearch,
    /** @type {import("./panel_context.js").Component["clicks"]} */
    clicks: {
      "favorites-only": () => store.dispatch({ type: "favoritesOnly", value: !store.getState().search.favoritesOnly }),
      "installed-only": () => store.dispatch({ type: "installedOnly", value: !store.getState().search.installedOnly }),
      "disabled-only": () => store.dispatch({ type: "disabledOnly", value: !store.getState().search.disabledOnly }),
      "clear-search": () => {
        store.dispatch({ type: "query", q: "" });
        focusSearch(); // the button was in the message the answer replaces
      },
      "close-panel": () => deps.close?.(),
      "clear-all": () => {
        store.dispatch({ type: "clearAll", sort: deps.defaultSort() });
        focusSearch();
      },
    },
    /** @type {import("./panel_context.js").Component["changes"]} */
    changes: { sort: (el) => store.dispatch({ type: "sort", value: el.value }) },
    destroy() {
      unsubscribe();
      search.removeEventListener("input", onInput);
      if (progressTimer !== null) timers.clearTimer(progressTimer);
    },
  };
}
