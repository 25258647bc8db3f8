// Installing from the panel: the Manager's action buttons (details, rows, the workflow view),
// the confirmation over the panel (what will happen, the version), the bar that follows the
// job and asks for the restart, and what the panel does when a job ends (search again, so the
// installed marks are fresh). The work itself is the page's ManagerRunner (deps.manager).

import { h } from "./dom.js";
import { indexOf, itemAt } from "./pages.js";
import { isActive } from "./manager_queue.js";
import { withVersion } from "./manager_packs.js";
import { renderConfirm, renderManagerBar } from "./render_install.js";
import { renderContext } from "./panel_context.js";
import { cssEscape, keepFocus } from "./panel_focus.js";

/** @typedef {import("./panel_context.js").PanelContext} PanelContext */
/** @typedef {import("./types.js").AppState} AppState */
/** @typedef {import("./types.js").Resource} Resource */
/** @typedef {import("./types.js").ManagerKind} ManagerKind */

const KINDS = ["install", "enable", "update", "download"];

/**
 * A resource shown somewhere in the panel: in the list, the details or the workflow view.
 * @param {AppState} state
 * @param {string} id
 * @returns {Resource | undefined}
 */
export function shownResource(state, id) {
  const { view } = state;
  if (view.pane.resource?.id === id) return view.pane.resource;
  const listed = itemAt(view.result, indexOf(view.result, id));
  if (listed) return listed;
  for (const entry of view.workflow.answer?.types ?? []) {
    const found = entry.providers.find((p) => p.id === id);
    if (found) return found;
  }
  return undefined;
}

/** @param {PanelContext} ctx */
export function createManagerActions(ctx) {
  const { doc, store, deps } = ctx;
  const bar = h(doc, "div", { class: "ab-manager-bar-holder" });
  const layer = h(doc, "div", { class: "ab-confirm-holder" });
  /** What opened the confirmation, to take the focus back to. @type {{action: string, kind: string, id: string} | null} */
  let opener = null;
  /** Resources whose Manager record or node list was asked for in this opening. */
  const asked = new Set();
  /** The node lists read, by resource id: the list's rows come without them. @type {Map<string, string[]>} */
  const nodeLists = new Map();

  function drawBar() {
    const content = renderManagerBar(renderContext(ctx));
    keepFocus(doc, bar, () => bar.replaceChildren(...(content ? [content] : [])));
  }

  /** The control the confirmation's focus belongs on: Confirm when it can be pressed, else Cancel. */
  const preferred = () => /** @type {HTMLElement | null} */ (layer.querySelector("[data-action=confirm-go]")
    ?? layer.querySelector("[data-action=confirm-cancel]"));

  /** @param {AppState} state @param {AppState} before */
  function drawConfirm(state, before) {
    const confirm = state.view.confirm;
    const hadFocus = layer.contains(doc.activeElement);
    if (!confirm) {
      layer.replaceChildren();
      if (before.view.confirm) giveFocusBack(hadFocus);
      return;
    }
    const onSelect = doc.activeElement?.id === "ab-confirm-version";
    layer.replaceChildren(renderConfirm(renderContext(ctx), confirm));
    if (onSelect) /** @type {HTMLElement | null} */ (layer.querySelector("#ab-confirm-version"))?.focus();
    else if (hadFocus || !before.view.confirm || before.view.confirm.phase !== confirm.phase) preferred()?.focus();
  }

  /** @param {boolean} hadFocus the confirmation had the focus (else it stays where the user put it) */
  function giveFocusBack(hadFocus) {
    const from = opener;
    opener = null;
    if (hadFocus || doc.activeElement === doc.body || !doc.activeElement) {
      const selector = from ? `[data-action="${cssEscape(from.action)}"]${from.kind ? `[data-kind="${cssEscape(from.kind)}"]` : ""}`
        + `${from.id ? `[data-id="${cssEscape(from.id)}"]` : ""}` : "";
      // The same button where it is on view: the pane's over the list's (which it hides).
      const paneOpen = ctx.root.classList.contains("ab-pane-open");
      const again = selector ? /** @type {HTMLElement[]} */ ([...ctx.root.querySelectorAll(selector)])
        .find((b) => !b.closest("[hidden]") && !(paneOpen && b.closest(".ab-body"))) : undefined;
      (again ?? ctx.root).focus({ preventScroll: true });
    }
  }

  /** Ask the Manager about the pack in the details, and fetch the pack's node list, once each. */
  function followDetails(/** @type {AppState} */ state) {
    const { pane } = state.view;
    const resource = pane.mode === "details" ? pane.resource : null;
    if (!resource) return;
    const info = state.ui.manager;
    if (deps.manager && info && info.api !== "none" && resource.kind === "node-pack" && !asked.has(`record:${resource.id}`)) {
      asked.add(`record:${resource.id}`);
      void deps.manager.recordFor(resource).catch((error) => console.warn("[Awesome ComfyUI Beyond] ComfyUI-Manager's list:", error));
    }
    if ((resource.node_count ?? 0) > 0 && !resource.node_types) {
      const known = nodeLists.get(resource.id);
      if (known) store.dispatch({ type: "showDetails", resource: { ...resource, node_types: known } });
      else if (!asked.has(`nodes:${resource.id}`)) {
        asked.add(`nodes:${resource.id}`);
        void refreshShown(resource.id);
      }
    }
  }

  /** The details' resource again from the server (its node list; its marks after an install). @param {string} id */
  async function refreshShown(id) {
    try {
      const fresh = await deps.client.resource(id);
      if (Array.isArray(fresh.node_types)) nodeLists.set(id, fresh.node_types);
      const { pane } = store.getState().view;
      if (ctx.alive() && pane.mode === "details" && pane.resource?.id === id) {
        store.dispatch({ type: "showDetails", resource: { ...fresh, favorite: pane.resource.favorite ?? fresh.favorite } });
      }
    } catch (error) {
      console.warn("[Awesome ComfyUI Beyond] could not read the resource again:", error);
    }
  }

  const unsubscribe = store.subscribe((state, before) => {
    const { ui, view } = state;
    if (ui.managerJob !== before.ui.managerJob || ui.restart !== before.ui.restart) drawBar();
    if (view.confirm !== before.view.confirm) drawConfirm(state, before);
    if (view.pane !== before.view.pane || ui.manager !== before.ui.manager) followDetails(state);
    // A job ended: what is installed changed, and the server has rescanned custom_nodes.
    if (isActive(before.ui.managerJob) && !isActive(ui.managerJob)) {
      void ctx.ops.refreshResults();
      const shown = view.pane.mode === "details" ? view.pane.resource?.id : undefined;
      if (shown) void refreshShown(shown);
    }
  });

  /**
   * Ask the Manager what an action would do, and show the confirmation.
   * @param {HTMLElement} el the button pressed
   */
  async function act(el) {
    const kind = /** @type {ManagerKind} */ (el.dataset.kind ?? "");
    const id = el.dataset.id ?? "";
    const state = store.getState();
    const resource = shownResource(state, id);
    if (!deps.manager || !KINDS.includes(kind) || !resource || el.getAttribute("aria-disabled") === "true" || state.view.confirm) return;
    opener = { action: "manager", kind, id };
    store.dispatch({ type: "confirm", confirm: { kind, resource, phase: "loading", plan: null, version: "", error: "" } });
    let answer;
    try {
      answer = await deps.manager.plan(kind, resource);
    } catch (error) {
      answer = { plan: null, error: /** @type {Error} */ (error).message };
    }
    const open = store.getState().view.confirm;
    if (!ctx.alive() || open?.resource?.id !== id || open.kind !== kind) return; // cancelled meanwhile
    store.dispatch({ type: "confirm", confirm: { ...open, phase: answer.plan ? "ready" : "error", plan: answer.plan, error: answer.error } });
  }

  async function go() {
    const confirm = store.getState().view.confirm;
    if (!confirm || confirm.phase !== "ready" || !deps.manager) return;
    store.dispatch({ type: "confirm", confirm: null });
    if (confirm.kind === "restart") await deps.manager.restart();
    else if (confirm.plan && confirm.resource) await deps.manager.run(withVersion(confirm.plan, confirm.version), confirm.resource);
  }

  /** @param {KeyboardEvent} event */
  function onKeyDown(event) {
    if (!store.getState().view.confirm) return;
    // A modal: Escape cancels, Tab stays inside, and no key reaches the panel or ComfyUI.
    event.stopPropagation();
    if (event.key === "Escape") {
      event.preventDefault();
      store.dispatch({ type: "confirm", confirm: null });
    } else if (event.key === "Tab") {
      const stops = /** @type {HTMLElement[]} */ ([...layer.querySelectorAll("button, select, a[href]")]);
      const first = stops[0];
      const last = stops.at(-1);
      if (event.shiftKey && doc.activeElement === first) {
        event.preventDefault();
        last?.focus();
      } else if (!event.shiftKey && doc.activeElement === last) {
        event.preventDefault();
        first?.focus();
      }
    }
  }
  layer.addEventListener("keydown", onKeyDown);
  drawBar();

  return {
    bar, layer,
    /** @type {import("./panel_context.js").Component["clicks"]} */
    clicks: {
      manager: (el) => void act(el),
      "confirm-go": () => void go(),
      "confirm-cancel": () => store.dispatch({ type: "confirm", confirm: null }),
      "manager-restart": () => {
        if (!deps.manager || store.getState().view.confirm) return;
        opener = { action: "manager-restart", kind: "", id: "" };
        store.dispatch({ type: "confirm", confirm: { kind: "restart", resource: null, phase: "ready", plan: null, version: "", error: "" } });
      },
      "manager-reload": () => deps.reload?.(),
    },
    /** @type {import("./panel_context.js").Component["changes"]} */
    changes: {
      "confirm-version": (el) => store.dispatch({ type: "confirmVersion", version: el.value }),
    },
    destroy() {
      unsubscribe();
      layer.removeEventListener("keydown", onKeyDown);
    },
  };
}
