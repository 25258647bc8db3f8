// The result list: a virtual list of rows over the loaded pages, or the message that
// replaces it (nothing matched, or the server failed), and the selection. The list is one
// tab stop: the selected row when it is in view, else the first row in view (roving.js);
// the keys that move inside it are in panel_keyboard.js.

import { h } from "./dom.js";
import { PAGE_SIZE, itemAt } from "./pages.js";
import { VirtualList } from "./virtual_list.js";
import { rowHeight as heightOf } from "./style.js";
import { setTabStop } from "./roving.js";
import { renderRow } from "./render_row.js";
import { renderEmpty, renderError } from "./render_messages.js";
import { renderContext } from "./panel_context.js";

/** @typedef {import("./panel_context.js").PanelContext} PanelContext */
/** @typedef {import("./types.js").Result} Result */

/** How long an empty answer waits before it is asked again for its offers' matches, and how often. */
export const RECOUNT_MS = 2000;
export const RECOUNT_TRIES = 2;

/**
 * The pages an answer gained, or null when any page it had changed (a favourite).
 * @param {Result} result
 * @param {Result} before
 */
function addedPages(result, before) {
  for (const [page, items] of before.pages) if (result.pages.get(page) !== items) return null;
  return [...result.pages.keys()].filter((page) => !before.pages.has(page));
}

/** @param {PanelContext} ctx */
export function createResults(ctx) {
  const { doc, t, store } = ctx;
  const scroller = h(doc, "div", {
    class: "ab-scroller", id: "ab-list", role: "list", "aria-label": t("list.label"), tabindex: "-1",
  });
  const message = h(doc, "div", { class: "ab-message" });
  const body = h(doc, "div", { class: "ab-body" }, [scroller, message]);
  const rowHeight = () => heightOf(store.getState().view.rowLines);
  /** @type {import("./render_common.js").RenderContext | null} one context for all the rows drawn together */
  let rowCtx = null;
  const list = new VirtualList({
    scroller, rowHeight: rowHeight(), overscan: 6,
    renderRow: (index) => {
      const { view } = store.getState();
      return renderRow(rowCtx ??= renderContext(ctx), itemAt(view.result, index), index, view.result?.total ?? 0,
        index === view.selectedIndex);
    },
    onRange: (start, end) => {
      rowCtx = null; // drawn: the next batch reads the settings and the search again
      placeTabStop();
      ctx.ops.loadRows(start, end);
    },
    // A row that scrolls away with the focus in it hands the focus to the list, so the
    // panel's keys still work (and the arrows come back to the selection).
    onDrop: (row) => {
      if (row.contains(doc.activeElement)) scroller.focus({ preventScroll: true });
    },
  });

  /** The rows' main buttons in the DOM, in order. */
  const rowButtons = () => /** @type {HTMLElement[]} */ ([...list.rows.keys()].sort((a, b) => a - b)
    .map((index) => list.rowAt(index)?.querySelector(".ab-row-main")).filter(Boolean));

  /** Give the list's one tab stop to the selected row if it is in view, else to the first row in view. */
  function placeTabStop() {
    const buttons = rowButtons();
    if (buttons.length === 0) return;
    const { first, last } = list.inView();
    const selected = store.getState().view.selectedIndex;
    const index = selected >= first && selected <= last ? selected : first;
    const stop = buttons.findIndex((b) => Number(b.closest(".ab-row")?.getAttribute("data-index")) === index);
    setTabStop(buttons, stop < 0 ? 0 : stop);
  }

  /** @param {number} index */
  const rowButton = (index) => /** @type {HTMLElement | null} */ (list.rowAt(index)?.querySelector(".ab-row-main") ?? null);

  /** Redraw the rows in view, keeping keyboard focus on the same row and button. */
  function redrawRows() {
    rowCtx = null;
    const active = /** @type {HTMLElement | null} */ (doc.activeElement);
    const row = active && scroller.contains(active) ? /** @type {HTMLElement | null} */ (active.closest(".ab-row")) : null;
    const which = active?.classList.contains("ab-star") ? ".ab-star" : active?.classList.contains("ab-row-action") ? ".ab-row-action" : ".ab-row-main";
    list.refresh();
    if (row) /** @type {HTMLElement | null} */ (list.rowAt(Number(row.dataset.index))?.querySelector(which))?.focus();
  }

  /** An empty answer whose offers wait for the server's index of a source (suggest.py). */
  const recount = { key: "", tries: 0, timer: /** @type {unknown} */ (null) };

  /**
   * Ask an empty answer again, a few seconds later and twice at most, while the server
   * still indexes what an offered source would add: the second answer counts the matches.
   * @param {Result} result
   * @param {import("./types.js").SidebarState} search
   */
  function recountLater(result, search) {
    if (recount.timer !== null) ctx.timers.clearTimer(recount.timer);
    recount.timer = null;
    const marked = search.favoritesOnly || search.installedOnly || search.disabledOnly; // never counted
    const waiting = result.total === 0 && !marked && result.hints.moreSources.some((o) => o.exact && o.matches === null);
    if (recount.key !== result.key) Object.assign(recount, { key: result.key, tries: 0 });
    if (!waiting || recount.tries >= RECOUNT_TRIES) return;
    recount.tries += 1;
    recount.timer = ctx.timers.setTimer(() => {
      recount.timer = null;
      if (store.getState().view.result?.key === result.key) void ctx.ops.refreshResults();
    }, RECOUNT_MS);
  }

  /**
   * A new answer: the count of rows, where the list opens, and the first rows.
   * @param {Result} result
   * @param {import("./types.js").SidebarState} search what it answers
   */
  function showResults(result, search) {
    recountLater(result, search);
    if (result.total === 0) {
      scroller.hidden = true;
      message.replaceChildren(renderEmpty(renderContext(ctx), search, result.hints));
    } else {
      message.replaceChildren();
      scroller.hidden = false;
    }
    list.setTotal(result.total);
    scroller.scrollTop = result.openAt;
    redrawRows();
  }

  const unsubscribe = store.subscribe((state, before) => {
    const { view, ui } = state;
    const { result, error } = view;
    if (view.rowLines !== before.view.rowLines) list.setRowHeight(rowHeight());
    if (error && error !== before.view.error) {
      scroller.hidden = true;
      message.replaceChildren(renderError(renderContext(ctx), error));
      return;
    }
    if (result && result.seq !== before.view.result?.seq) {
      showResults(result, state.search);
      return;
    }
    let redraw = view.rowLines !== before.view.rowLines || view.selectedIndex !== before.view.selectedIndex
      || ui.links !== before.ui.links || ui.categories !== before.ui.categories
      || ui.manager !== before.ui.manager || ui.managerJob !== before.ui.managerJob || ui.managerRecords !== before.ui.managerRecords;
    if (result && before.view.result && result !== before.view.result) {
      const added = addedPages(result, before.view.result);
      if (added) for (const page of added) list.refreshRange(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
      else redraw = true;
    }
    if (redraw) redrawRows();
  });

  /**
   * Select a row (clamped to the list), show it, and follow it with the details if open.
   * @param {number} index
   * @param {boolean} focusRow
   */
  function select(index, focusRow) {
    store.dispatch({ type: "selectIndex", index });
    const { view, search } = store.getState();
    if (!view.result || view.result.total === 0) return;
    list.reveal(view.selectedIndex);
    if (focusRow) rowButton(view.selectedIndex)?.focus();
    const item = itemAt(view.result, view.selectedIndex);
    if (search.detailsOpen && item) void ctx.ops.openDetails(item.id, false);
  }

  return {
    body, scroller, list, select, rowButton,
    /** @type {import("./panel_context.js").Component["clicks"]} */
    clicks: {
      // The details take the list's place, so the focus goes with them (to their Close
      // button): a click never leaves the keyboard focus on a row that is hidden.
      open: (el) => {
        const row = /** @type {HTMLElement | null} */ (el.closest(".ab-row"));
        select(row ? Number(row.dataset.index) : -1, false);
        void ctx.ops.openDetails(row?.dataset.id ?? "", true);
      },
      retry: () => void ctx.ops.refreshResults(),
    },
    destroy() {
      unsubscribe();
      list.destroy();
      if (recount.timer !== null) ctx.timers.clearTimer(recount.timer);
    },
  };
}
