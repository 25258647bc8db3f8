// Keys and scroll: / and Ctrl+F focus the search, the arrows move the selection (Home and
// End to the ends; → and ← between a row and its star), Enter opens the details, Escape
// clears or closes; the list's scroll is saved as the user scrolls.

import { itemAt } from "./pages.js";
import { isTextEntry } from "./panel_focus.js";

/** @typedef {import("./panel_context.js").PanelContext} PanelContext */

const SAVE_SCROLL_MS = 250;

/**
 * @param {PanelContext} ctx
 * @param {{search: HTMLInputElement, scroller: HTMLElement}} parts
 */
export function createKeyboard(ctx, { search, scroller }) {
  const { store, ops, timers } = ctx;

  /**
   * Escape: close the form; in the search box clear the search, then close the details;
   * elsewhere close the details first (they cover the list), then clear the search.
   * @param {HTMLElement} target
   */
  function onEscape(target) {
    const { search: state, view } = store.getState();
    const mode = view.pane.mode;
    if (mode === "form" || ((mode === "details" || mode === "workflow") && target !== search)) {
      ops.closePane();
      return true;
    }
    if (state.q) {
      store.dispatch({ type: "query", q: "" });
      if (target !== search) search.focus();
      return true;
    }
    if (mode === "details" || mode === "workflow") {
      ops.closePane();
      return true;
    }
    return false;
  }

  /** @param {KeyboardEvent} event */
  function onKeyDown(event) {
    const target = /** @type {HTMLElement} */ (event.target);
    const inSearch = target === search;
    const inList = scroller.contains(target);
    const { view } = store.getState();
    let handled = true;
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "f") {
      ops.focusSearch();
    } else if (event.key === "/" && !isTextEntry(target) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      ops.focusSearch();
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && (inSearch || inList) && !event.altKey) {
      const step = event.key === "ArrowDown" ? 1 : -1;
      ops.select(view.selectedIndex < 0 ? 0 : view.selectedIndex + step, inList);
    } else if ((event.key === "Home" || event.key === "End") && inList && !event.altKey) {
      ops.select(event.key === "Home" ? 0 : (view.result?.total ?? 0) - 1, true);
    } else if ((event.key === "ArrowRight" || event.key === "ArrowLeft") && inList && !event.altKey) {
      // Along the row's buttons: the row, its action (when shown), its star.
      const row = target.closest(".ab-row");
      const buttons = /** @type {HTMLElement[]} */ ([...(row?.querySelectorAll("button") ?? [])])
        .filter((b) => b === target || b.ownerDocument.defaultView?.getComputedStyle(b).display !== "none");
      const at = buttons.indexOf(target);
      const to = at < 0 ? null : buttons[event.key === "ArrowRight" ? Math.min(buttons.length - 1, at + 1) : Math.max(0, at - 1)];
      if (to) to.focus();
      else if (target === scroller) ops.select(Math.max(0, view.selectedIndex), true);
    } else if (event.key === "Enter" && inSearch && (view.result?.total ?? 0) > 0) {
      if (view.selectedIndex < 0) ops.select(0, false); // Enter with nothing selected takes the best match
      const now = store.getState().view;
      void ops.openDetails(itemAt(now.result, now.selectedIndex)?.id ?? "", false);
    } else if (event.key === "Escape") {
      handled = onEscape(target);
    } else {
      handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation(); // keep ComfyUI's own shortcuts from acting on these keys too
    }
  }

  function saveScroll() {
    const { view } = store.getState();
    if (!view.result || scroller.hidden || view.restoreScroll) return;
    store.dispatch({ type: "scroll", top: scroller.scrollTop });
  }

  /** @type {unknown} */
  let scrollTimer = null;
  const onScroll = () => {
    if (scrollTimer !== null) return;
    scrollTimer = timers.setTimer(() => {
      scrollTimer = null;
      saveScroll();
    }, SAVE_SCROLL_MS);
  };
  scroller.addEventListener("scroll", onScroll);

  return {
    onKeyDown, saveScroll,
    destroy() {
      scroller.removeEventListener("scroll", onScroll);
      if (scrollTimer !== null) timers.clearTimer(scrollTimer);
    },
  };
}
