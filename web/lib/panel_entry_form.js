// The user's own entries: Add, Edit and Cancel, and sending the form. The server is the
// judge of what is valid; its problems are shown beside the fields they name (form.js).

import { clearProblems, readForm, showProblems } from "./form.js";

/** @typedef {import("./panel_context.js").PanelContext} PanelContext */
/** @typedef {import("./types.js").Resource} Resource */

/**
 * @param {PanelContext} ctx
 * @param {HTMLElement} pane where the form is drawn
 */
export function createEntryForm(ctx, pane) {
  const { t, store, deps } = ctx;

  /** @param {Resource | null} entry the entry to edit, or null to add one */
  function open(entry) {
    store.dispatch({ type: "openForm", entry });
    /** @type {HTMLElement | null} */ (pane.querySelector("#ab-f-name"))?.focus();
  }

  /** @param {HTMLFormElement} form */
  async function submit(form) {
    const entry = store.getState().view.pane.entry;
    const body = readForm(form, entry);
    store.dispatch({ type: "saving", value: true });
    clearProblems(form);
    try {
      const saved = await ctx.track(() => (entry ? deps.client.updateEntry(entry.id, body) : deps.client.addEntry(body)));
      deps.notify("success", t("form.saved", { name: saved.name }));
      if (!ctx.alive()) return;
      store.dispatch({ type: "saved", resource: { ...saved, favorite: entry?.favorite ?? false } });
      await ctx.ops.refreshResults();
    } catch (error) {
      const apiError = /** @type {import("./api.js").ApiError} */ (error);
      const problems = apiError.problems ?? [];
      if (problems.length) showProblems(form, problems, t("form.invalid"));
      else showProblems(form, [], t("form.failed", { message: apiError.message }));
      deps.notify("error", t("form.failed", { message: apiError.message }));
    } finally {
      if (ctx.alive()) store.dispatch({ type: "saving", value: false });
    }
  }

  return {
    /** @param {Event} event */
    onSubmit(event) {
      const form = /** @type {HTMLFormElement} */ (event.target);
      if (!form.classList?.contains("ab-form")) return;
      event.preventDefault();
      void submit(form);
    },
    /** @type {import("./panel_context.js").Component["clicks"]} */
    clicks: {
      add: () => open(null),
      edit: () => {
        const shown = store.getState().view.pane.resource;
        if (shown) open(shown);
      },
      "cancel-form": () => ctx.ops.closePane(),
    },
  };
}
