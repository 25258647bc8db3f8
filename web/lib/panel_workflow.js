// The "This workflow" view: a title-bar button (with the count of node types ComfyUI does not
// know) opens it over the list. The missing types are worked out on the page (deps.workflow
// reads the open graph), again when the graph changes; the packs that provide them are asked of
// the server (POST node-types) only while the view is open.

import { h } from "./dom.js";
import { plural } from "./i18n.js";
import { isActive } from "./manager_queue.js";
import { typesKey } from "./store_manager.js";
import { renderWorkflow } from "./render_workflow.js";
import { renderContext } from "./panel_context.js";
import { keepFocus } from "./panel_focus.js";

/** @typedef {import("./panel_context.js").PanelContext} PanelContext */
/** @typedef {import("./types.js").AppState} AppState */

/** A burst of graph changes (dragging, typing) is read once, this long after the last. */
export const GRAPH_SETTLE_MS = 300;

/** @param {PanelContext} ctx */
export function createWorkflow(ctx) {
  const { doc, t, store, deps, timers } = ctx;
  const source = deps.workflow;
  const badge = h(doc, "span", { class: "ab-title-badge", hidden: true, "aria-hidden": "true" });
  const button = h(doc, "button", {
    type: "button", class: "ab-title-button ab-workflow-button", "data-action": "workflow", "aria-pressed": "false",
    "aria-label": t("workflow.open"), title: t("workflow.open"), hidden: !source,
  }, [h(doc, "i", { class: "pi pi-sitemap", "aria-hidden": "true" }), badge]);
  const el = h(doc, "div", { class: "ab-pane ab-workflow-pane", hidden: true });

  /** Read the open graph's node types now. */
  function read() {
    let found = null;
    try {
      found = source?.read() ?? null;
    } catch (error) {
      console.warn("[Awesome ComfyUI Beyond] could not read the workflow:", error);
    }
    store.dispatch({ type: "workflowTypes", missing: found ? found.missing : null, total: found ? found.types.length : 0 });
  }

  /** Ask which packs provide the missing types (again when `force`, after an install). @param {boolean} [force] */
  async function lookup(force = false) {
    const { workflow } = store.getState().view;
    const missing = workflow.missing;
    if (!missing || missing.length === 0) return;
    const key = typesKey(missing);
    if (!force && workflow.key === key && workflow.status !== "failed") return;
    store.dispatch({ type: "workflowLoading", key });
    try {
      const answer = await ctx.track(() => deps.client.nodeTypes(missing));
      if (ctx.alive()) store.dispatch({ type: "workflowAnswer", key, answer, error: "" });
    } catch (error) {
      if (ctx.alive()) store.dispatch({ type: "workflowAnswer", key, answer: null, error: /** @type {Error} */ (error).message });
    }
  }

  /** @param {AppState} state */
  function drawButton(state) {
    const open = state.view.pane.mode === "workflow";
    const count = state.view.workflow.missing?.length ?? 0;
    const label = count > 0 ? plural(t, "workflow.openCount", count) : t("workflow.open");
    button.setAttribute("aria-pressed", String(open));
    button.setAttribute("aria-label", label);
    button.title = label;
    badge.hidden = count === 0;
    badge.textContent = count > 99 ? "99+" : String(count);
  }

  const unsubscribe = store.subscribe((state, before) => {
    const { view, ui } = state;
    const open = view.pane.mode === "workflow";
    const opened = open && before.view.pane.mode !== "workflow";
    if (view.workflow !== before.view.workflow || view.pane.mode !== before.view.pane.mode) drawButton(state);
    if (opened) read();
    if (open && (opened || view.workflow.missing !== before.view.workflow.missing)) void lookup();
    // A job ended: the providers' marks changed.
    if (open && isActive(before.ui.managerJob) && !isActive(ui.managerJob)) void lookup(true);
    const now = store.getState();
    if (open && (opened || now.view.workflow !== before.view.workflow || ui.manager !== before.ui.manager
      || ui.managerJob !== before.ui.managerJob || ui.managerRecords !== before.ui.managerRecords)) {
      keepFocus(doc, el, () => el.replaceChildren(renderWorkflow(renderContext(ctx), now.view.workflow)));
      el.hidden = false;
    } else if (!open && !el.hidden) {
      el.hidden = true;
      el.replaceChildren();
    }
  });

  /** @type {unknown} */
  let settle = null;
  const unwatch = source?.subscribe(() => {
    if (settle !== null) timers.clearTimer(settle);
    settle = timers.setTimer(() => {
      settle = null;
      if (ctx.alive()) read();
    }, GRAPH_SETTLE_MS);
  }) ?? (() => {});
  read(); // the count on the button, before the view is opened

  function openView() {
    store.dispatch({ type: "openWorkflow" });
    /** @type {HTMLElement | null} */ (el.querySelector("[data-action=workflow-close]"))?.focus();
  }

  return {
    button, el,
    /** @type {import("./panel_context.js").Component["clicks"]} */
    clicks: {
      workflow: () => (store.getState().view.pane.mode === "workflow" ? ctx.ops.closePane(true) : openView()),
      "workflow-close": () => ctx.ops.closePane(true),
      "workflow-check": () => {
        read();
        void lookup(true);
      },
      "workflow-open": (target) => void ctx.ops.openDetails(target.dataset.id ?? "", true),
    },
    destroy() {
      unsubscribe();
      unwatch();
      if (settle !== null) timers.clearTimer(settle);
    },
  };
}
