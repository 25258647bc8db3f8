// The pane over the list: one resource's details, or the form for the user's own entries.
// It renders from `view.pane`; opening the details may first ask the server for the resource.

import { h, copyText } from "./dom.js";
import { indexOf, itemAt } from "./pages.js";
import { USER_SOURCE } from "./constants.js";
import { renderDetails } from "./render_details.js";
import { renderForm } from "./form.js";
import { renderContext } from "./panel_context.js";
import { keepFocus } from "./panel_focus.js";

/** @typedef {import("./panel_context.js").PanelContext} PanelContext */
/** @typedef {import("./types.js").AppState} AppState */
/** @typedef {import("./types.js").Resource} Resource */

/** @param {PanelContext} ctx */
export function createPane(ctx) {
  const { doc, t, store, deps } = ctx;
  const el = h(doc, "div", { class: "ab-pane", hidden: true });

  /** @param {AppState} state @param {AppState} before */
  function render(state, before) {
    const { pane } = state.view;
    const changed = pane !== before.view.pane;
    if (changed) ctx.root.classList.toggle("ab-pane-open", pane.mode !== null);
    if (pane.mode === "details" && pane.resource) {
      const { ui } = state;
      const shown = changed || ui.links !== before.ui.links || state.view.checking !== before.view.checking
        || ui.categories !== before.ui.categories || ui.manager !== before.ui.manager || ui.managerJob !== before.ui.managerJob
        || ui.managerRecords !== before.ui.managerRecords || ui.managerList !== before.ui.managerList;
      const resource = pane.resource;
      if (shown) keepFocus(doc, el, () => el.replaceChildren(renderDetails(renderContext(ctx), resource)));
      el.hidden = false;
    } else if (pane.mode === "form") {
      // Built once per opening of the form, and kept while typing.
      if (pane.form !== before.view.pane.form || before.view.pane.mode !== "form") {
        el.replaceChildren(renderForm(renderContext(ctx), pane.entry, state.ui.categories ?? []));
      }
      const submit = /** @type {HTMLButtonElement | null} */ (el.querySelector("button[type=submit]"));
      if (submit) submit.disabled = pane.saving;
      el.hidden = false;
    } else if (changed) {
      el.replaceChildren();
      el.hidden = true;
    }
  }
  const unsubscribe = store.subscribe(render);

  /**
   * Show a resource in the details: from the loaded pages, else from the server.
   * @param {string} id
   * @param {boolean} focus move the focus into the pane
   */
  async function openDetails(id, focus) {
    if (!id) return;
    const { view } = store.getState();
    /** @type {Resource | undefined} */
    let resource = itemAt(view.result, indexOf(view.result, id));
    if (!resource && view.pane.resource?.id === id) resource = view.pane.resource;
    if (!resource) {
      try {
        resource = await ctx.track(() => deps.client.resource(id));
      } catch (error) {
        if (/** @type {import("./api.js").ApiError} */ (error).status === 404) store.dispatch({ type: "details", open: false });
        else deps.notify("error", t("error.title"), /** @type {Error} */ (error).message);
        return;
      }
    }
    if (!ctx.alive() || !resource) return;
    store.dispatch({ type: "showDetails", resource });
    if (focus) /** @type {HTMLElement | null} */ (el.querySelector("[data-action=close-details]"))?.focus();
  }

  /**
   * Back from the form to the details it came from, from the details to the workflow view
   * they were opened from, else to the list; `all`: to the list at once.
   * @param {boolean} [all]
   */
  function closePane(all = false) {
    const hadFocus = Boolean(/** @type {HTMLElement | null} */ (doc.activeElement)?.closest?.(".ab-pane"));
    const shown = store.getState().view.pane.resource?.id ?? "";
    store.dispatch({ type: "closePane", all });
    const { view } = store.getState();
    if (!hadFocus) return;
    if (!view.pane.mode) (ctx.ops.rowButton(view.selectedIndex) ?? ctx.ops.searchBox()).focus();
    else if (view.pane.mode === "workflow") {
      // Back on the pack's name the details were opened from.
      const names = /** @type {HTMLElement[]} */ ([...ctx.root.querySelectorAll(".ab-workflow .ab-provider-name")]);
      (names.find((b) => b.dataset.id === shown) ?? /** @type {HTMLElement | null} */ (ctx.root.querySelector(".ab-workflow [data-action=workflow-close]")))?.focus();
    }
  }

  async function deleteEntry() {
    const entry = store.getState().view.pane.resource;
    if (!entry || entry.source !== USER_SOURCE) return;
    if (!(await deps.confirm(t("details.deleteConfirm", { name: entry.name })))) return;
    try {
      await ctx.track(() => deps.client.deleteEntry(entry.id));
      deps.notify("success", t("details.deleted", { name: entry.name }));
      if (!ctx.alive()) return;
      store.dispatch({ type: "deleted" });
      await ctx.ops.refreshResults();
    } catch (error) {
      deps.notify("error", t("details.deleteFailed", { name: entry.name }), /** @type {Error} */ (error).message);
    }
  }

  /** @param {string} text */
  async function copy(text) {
    const ok = await copyText(doc, text);
    deps.notify(ok ? "success" : "error", t(ok ? "details.copied" : "details.copyFailed"), ok ? text : undefined);
  }

  return {
    el, openDetails, closePane,
    /** @type {import("./panel_context.js").Component["clicks"]} */
    clicks: {
      "close-details": () => closePane(),
      copy: (button) => void copy(button.dataset.copy ?? ""),
      delete: () => void deleteEntry(),
    },
    destroy: unsubscribe,
  };
}
