// Starring a resource: shown at once, sent to the server, put back if the server refuses.

import { indexOf, itemAt } from "./pages.js";

/** @typedef {import("./panel_context.js").PanelContext} PanelContext */

/** @param {PanelContext} ctx */
export function createFavourites(ctx) {
  const { t, store, deps } = ctx;

  /** @param {string} id @param {boolean} on */
  const show = (id, on) => {
    if (ctx.alive()) store.dispatch({ type: "favorite", id, on });
  };

  /** @param {string} id */
  async function toggle(id) {
    const { view } = store.getState();
    const current = itemAt(view.result, indexOf(view.result, id)) ?? (view.pane.resource?.id === id ? view.pane.resource : undefined);
    if (!current) return;
    const on = !current.favorite;
    show(id, on);
    try {
      await ctx.track(() => deps.client.setFavorite(id, on));
      deps.notify("success", t(on ? "favorite.added" : "favorite.removed", { name: current.name }));
      // Unstarred under "favourites only": it leaves the list.
      if (store.getState().search.favoritesOnly && !on) void ctx.ops.refreshResults();
    } catch (error) {
      show(id, !on);
      deps.notify("error", t("favorite.failed"), /** @type {Error} */ (error).message);
    }
  }

  return {
    /** @type {import("./panel_context.js").Component["clicks"]} */
    clicks: {
      star: (el) => {
        const row = /** @type {HTMLElement | null} */ (el.closest(".ab-row"));
        const details = /** @type {HTMLElement | null} */ (el.closest(".ab-details"));
        void toggle(row?.dataset.id ?? details?.dataset.id ?? "");
      },
    },
  };
}
