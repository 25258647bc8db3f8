// The Filters section: category and kind selects and tag chips with the server's counts.
// The chips are one tab stop: the arrows move between them (roving.js).

import { h } from "./dom.js";
import { renderFacets } from "./render_facets.js";
import { renderContext } from "./panel_context.js";
import { cssEscape } from "./panel_focus.js";
import { nextIndex, setTabStop } from "./roving.js";

/** @typedef {import("./panel_context.js").PanelContext} PanelContext */

/** @param {PanelContext} ctx */
export function createFilters(ctx) {
  const { doc, t, store } = ctx;
  const holder = h(doc, "div", { class: "ab-facets-holder" });
  const section = h(doc, "details", { class: "ab-filters", open: store.getState().ui.filtersOpen }, [
    h(doc, "summary", {}, [t("filters.title")]), holder]);
  /** The chip that holds the group's tab stop (where Tab enters the chips), by tag. */
  let tabTag = "";

  const chips = () => /** @type {HTMLElement[]} */ ([...holder.querySelectorAll(".ab-tag-facet .ab-chip")]);

  /** Draw the facets, keeping the focus on the same select, chip or button. */
  function render() {
    const { search, ui, view } = store.getState();
    const active = /** @type {HTMLElement | null} */ (doc.activeElement);
    const focused = active && holder.contains(active) ? active : null;
    const focusKey = focused ? focused.id || focused.dataset.tag || focused.dataset.action : null;
    holder.replaceChildren(renderFacets(renderContext(ctx), search, view.result?.facets ?? {}, ui.categories ?? [],
      { allTags: ui.tagsOpen, tabTag }));
    if (focusKey) {
      const again = /** @type {HTMLElement | null} */ (holder.querySelector(`#${cssEscape(focusKey)}`)
        ?? holder.querySelector(`[data-tag="${cssEscape(focusKey)}"]`) ?? holder.querySelector(`[data-action="${cssEscape(focusKey)}"]`));
      (again ?? chips()[0])?.focus();
    }
  }

  // Drawn when an answer brings new counts, the category names arrive or the tags open,
  // not per keystroke.
  const unsubscribe = store.subscribe((state, before) => {
    if (state.view.result?.facets !== before.view.result?.facets || state.ui.categories !== before.ui.categories
      || state.ui.tagsOpen !== before.ui.tagsOpen) render();
    const open = state.ui.filtersOpen;
    if (open !== before.ui.filtersOpen && open !== section.open) section.open = open;
  });
  const onToggle = () => store.dispatch({ type: "section", name: "filters", open: section.open });
  /** @param {Event} event */
  const onFocusIn = (event) => {
    const chip = /** @type {HTMLElement} */ (event.target);
    if (!chip.matches?.(".ab-tag-facet .ab-chip")) return;
    tabTag = chip.dataset.tag ?? "";
    const all = chips();
    setTabStop(all, all.indexOf(chip));
  };
  /** @param {Event} event */
  const onKeyDown = (event) => {
    const { key, target, altKey, ctrlKey, metaKey } = /** @type {KeyboardEvent} */ (event);
    const chip = /** @type {HTMLElement} */ (target);
    if (altKey || ctrlKey || metaKey || !chip.matches?.(".ab-tag-facet .ab-chip")) return;
    const all = chips();
    const next = nextIndex(key, all.indexOf(chip), all.length);
    if (next < 0) return;
    event.preventDefault();
    event.stopPropagation(); // the panel's own keys (the list's arrows) and ComfyUI's stay out
    all[next]?.focus();
  };
  section.addEventListener("toggle", onToggle);
  holder.addEventListener("focusin", onFocusIn);
  holder.addEventListener("keydown", onKeyDown);

  return {
    section,
    /** @type {import("./panel_context.js").Component["clicks"]} */
    clicks: {
      tag: (el) => store.dispatch({ type: "toggleTag", tag: el.dataset.tag ?? "" }),
      "more-tags": () => store.dispatch({ type: "section", name: "tags", open: !store.getState().ui.tagsOpen }),
      "clear-filters": () => {
        store.dispatch({ type: "clearFilters" });
        ctx.ops.focusSearch(); // the button was in the message the answer replaces
      },
    },
    /** @type {import("./panel_context.js").Component["changes"]} */
    changes: {
      category: (el) => store.dispatch({ type: "category", value: el.value }),
      kind: (el) => store.dispatch({ type: "kind", value: el.value }),
    },
    destroy() {
      unsubscribe();
      section.removeEventListener("toggle", onToggle);
      holder.removeEventListener("focusin", onFocusIn);
      holder.removeEventListener("keydown", onKeyDown);
    },
  };
}
