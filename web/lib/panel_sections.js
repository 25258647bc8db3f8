// The header's sections (Filters, the data problems, Sources) share one area that never
// pushes the list out of view: the list keeps a minimum height (style.js) and this area
// scrolls inside what is left. A shadow at its top or bottom edge says there is more.

import { h } from "./dom.js";

/**
 * "above", "below", both or "": where the area has more to show than fits.
 * @param {{scrollTop: number, scrollHeight: number, clientHeight: number}} box
 */
export function overflowSides({ scrollTop, scrollHeight, clientHeight }) {
  const sides = [];
  if (scrollTop > 1) sides.push("above");
  if (scrollTop + clientHeight < scrollHeight - 1) sides.push("below");
  return sides.join(" ");
}

/**
 * @param {import("./panel_context.js").PanelContext} ctx
 * @param {HTMLElement[]} parts the sections, top to bottom
 */
export function createSections(ctx, parts) {
  const { doc, t, store, timers } = ctx;
  const scroll = h(doc, "div", { class: "ab-sections", role: "group", "aria-label": t("panel.sections") }, parts);
  const frame = h(doc, "div", { class: "ab-sections-frame" }, [scroll]);

  function update() {
    const sides = overflowSides(scroll);
    if ((frame.dataset.more ?? "") !== sides) frame.dataset.more = sides;
  }
  /** @type {unknown} */
  let pending = null;
  /** Measured after this turn: once the sections opened, closed or were redrawn. */
  function later() {
    if (pending !== null) return;
    pending = timers.setTimer(() => {
      pending = null;
      update();
    }, 0);
  }
  const Observer = doc.defaultView?.ResizeObserver;
  const resized = typeof Observer === "function" ? new Observer(later) : null;
  resized?.observe(frame);
  for (const part of parts) resized?.observe(part);
  scroll.addEventListener("scroll", update, { passive: true });
  scroll.addEventListener("toggle", later, true); // <details> opening or closing (toggle does not bubble)
  const unsubscribe = store.subscribe(later);

  return {
    frame, scroll, update,
    destroy() {
      unsubscribe();
      resized?.disconnect();
      scroll.removeEventListener("scroll", update);
      scroll.removeEventListener("toggle", later, true);
      if (pending !== null) timers.clearTimer(pending);
    },
  };
}
