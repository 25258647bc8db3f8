// The Filters section: category and kind selects and tag chips with the server's counts.

import { h } from "./dom.js";
import { renderFacets } from "./render_facets.js";
import { renderContext } from "./panel_context.js";
import { cssEscape } from "./panel_focus.js";

/** @typedef {import("./panel_context.js").PanelContext} PanelContext */

/** @param {PanelContext} ctx */
export function createFilters(ctx) {
  const { doc, t, store } = ctx;
  const holder = h(doc, "div", { class: "ab-facets-holder" });
  const section = h(doc, "details", { class: "ab-filters", open: store.getState().ui.filtersOpen }, [
    h(doc, "summary", {}, [t("filters.title")]), holder]);

  /** Draw the facets, keeping the focus on the same select or chip. */
  function render() {
    const { search, ui, view } = store.getState();
    const active = /** @type {HTMLElement | null} */ (doc.activeElement);
    const focusKey = active && holder.contains(active) ? active.id || active.dataset.tag : null;
    holder.replaceChildren(renderFacets(renderContext(ctx), search, view.result?.facets ?? {}, ui.categories ?? []));
    if (focusKey) {
      const again = /** @type {HTMLElement | null} */ (
        holder.querySelector(`#${cssEscape(focusKey)}`) ?? holder.querySelector(`[data-tag="${cssEscape(focusKey)}"]`));
      again?.focus();
    }
  }

  // Drawn when an answer brings new counts or the category names arrive, not per keystroke.
  const unsubscribe = store.subscribe((state, before) => {
    if (state.view.result?.facets !== before.view.result?.facets || state.ui.categories !== before.ui.categories) render();
    const open = state.ui.filtersOpen;
    if (open !== before.ui.filtersOpen && open !== section.open) section.open = open;
  });
  const onToggle = () => store.dispatch({ type: "section", name: "filters", open: section.open });
  section.addEventListener("toggle", onToggle);

  return {
    section,
    /** @type {import("./panel_context.js").Component["clicks"]} */
    clicks: {
      tag: (el) => store.dispatch({ type: "toggleTag", tag: el.dataset.tag ?? "" }),
      "clear-filters": () => store.dispatch({ type: "clearFilters" }),
    },
    /** @type {import("./panel_context.js").Component["changes"]} */
    changes: {
      category: (el) => store.dispatch({ type: "category", value: el.value }),
      kind: (el) => store.dispatch({ type: "kind", value: el.value }),
    },
    destroy() {
      unsubscribe();
      section.removeEventListener("toggle", onToggle);
    },
  };
}
