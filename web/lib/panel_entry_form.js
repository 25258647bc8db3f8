// The user's own entries: Add, Edit and Cancel, and sending the form. The server is the
// judge of what is valid; its problems are shown beside the fields they name (form.js), so
// a refusal needs no toast. A URL already in the catalogue links to the entry that has it.

import { h } from "./dom.js";
import { clearProblems, existingEntry, proposeName, readForm, showProblems, withScheme } from "./form.js";

/** @typedef {import("./panel_context.js").PanelContext} PanelContext */
/** @typedef {import("./types.js").Resource} Resource */

/**
 * @param {PanelContext} ctx
 * @param {HTMLElement} pane where the form is drawn
 */
export function createEntryForm(ctx, pane) {
  const { doc, t, store, deps } = ctx;
  /** The name last proposed from the URL: replaced by the next proposal until the user types another. */
  let proposed = "";

  /** @param {Resource | null} entry the entry to edit, or null to add one */
  function open(entry) {
    proposed = "";
    store.dispatch({ type: "openForm", entry });
    /** @type {HTMLElement | null} */ (pane.querySelector(entry ? "#ab-f-name" : "#ab-f-url"))?.focus();
  }

  /**
   * The URL was typed: add https:// if no scheme was, and propose a name while there is none.
   * @param {HTMLInputElement} url
   */
  function urlChanged(url) {
    const fixed = withScheme(url.value);
    if (fixed !== url.value) url.value = fixed;
    const name = /** @type {HTMLInputElement | null} */ (url.form?.querySelector("#ab-f-name") ?? null);
    if (!name || (name.value.trim() && name.value !== proposed)) return;
    proposed = proposeName(fixed);
    name.value = proposed;
  }

  /**
   * The server refused: say why by the fields, and link to the entry that has the URL already.
   * @param {HTMLFormElement} form
   * @param {import("./api.js").ApiError} error
   */
  function refused(form, error) {
    const problems = error.problems ?? [];
    const existing = existingEntry(error);
    if (existing) {
      showProblems(form, [{ file: "", line: null, field: "url", message: t("form.duplicate", { name: existing.name }) }], "");
      form.querySelector("#ab-e-url")?.append(" ", h(doc, "button", {
        type: "button", class: "ab-link", "data-action": "show-existing", "data-id": existing.id,
      }, [t("form.showExisting", { name: existing.name })]));
    } else if (problems.length) {
      showProblems(form, problems, t("form.invalid"));
    } else {
      showProblems(form, [], t("form.failed", { message: error.message }));
    }
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
      // The form is gone: the focus goes to the details that took its place.
      /** @type {HTMLElement | null} */ (pane.querySelector("[data-action=close-details]"))?.focus();
      await ctx.ops.refreshResults();
    } catch (error) {
      if (ctx.alive()) refused(form, /** @type {import("./api.js").ApiError} */ (error));
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
      "show-existing": (el) => void ctx.ops.openDetails(el.dataset.id ?? "", true),
    },
    /** @type {import("./panel_context.js").Component["changes"]} */
    changes: { "form-url": (el) => urlChanged(el) },
  };
}
