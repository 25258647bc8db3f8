// The data problems and the Sources section: switching an optional source on or off
// (PUT sources/{name}) and refreshing it (POST sources/{name}/refresh). A refresh can take
// many seconds and outlives the panel: the store keeps it running, a toast tells the outcome,
// and whichever panel is open then reloads.

import { h } from "./dom.js";
import { OPTIONAL_SOURCES } from "./constants.js";
import { renderProblems, renderSources, sourceName, switchedOnToast } from "./render_sources.js";
import { renderContext } from "./panel_context.js";
import { keepFocus } from "./panel_focus.js";

/** @typedef {import("./panel_context.js").PanelContext} PanelContext */
/** @typedef {import("./types.js").AppState} AppState */
/** @typedef {import("./types.js").OptionalSource} OptionalSource */

/** @param {string} name @returns {name is OptionalSource} */
const isOptional = (name) => /** @type {readonly string[]} */ (OPTIONAL_SOURCES).includes(name);

/**
 * Keep a drawn section's open state in step with the store; the store learns it from the
 * section's toggle event.
 * @param {PanelContext} ctx
 * @param {HTMLDetailsElement} section
 * @param {"problems" | "sources"} name
 */
function followToggle(ctx, section, name) {
  section.addEventListener("toggle", () => ctx.store.dispatch({ type: "section", name, open: section.open }));
  return section;
}

/** @param {PanelContext} ctx */
export function createSources(ctx) {
  const { doc, t, store, deps } = ctx;
  const problemsBox = h(doc, "div", { class: "ab-problems-holder" });
  const sourcesBox = h(doc, "div", { class: "ab-sources-holder" });

  /** @param {AppState} state */
  function drawProblems(state) {
    const info = state.view.sources;
    const section = info ? renderProblems(renderContext(ctx), info, state.ui.problemsOpen) : null;
    problemsBox.replaceChildren(...(section ? [followToggle(ctx, section, "problems")] : []));
  }

  /** @param {AppState} state */
  function drawSources(state) {
    const info = state.view.sources;
    if (!info) return;
    const view = { open: state.ui.sourcesOpen, busy: state.view.sourceBusy, refreshing: state.ui.refreshing,
      installer: deps.manager ? state.ui.manager : undefined };
    keepFocus(doc, sourcesBox, () => sourcesBox.replaceChildren(followToggle(ctx, renderSources(renderContext(ctx), info, view), "sources")));
  }

  const unsubscribe = store.subscribe((state, before) => {
    const { view, ui } = state;
    if (view.sources !== before.view.sources) drawProblems(state);
    else if (ui.problemsOpen !== before.ui.problemsOpen) setOpen(problemsBox, ui.problemsOpen);
    if (view.sources !== before.view.sources || view.sourceBusy !== before.view.sourceBusy || ui.refreshing !== before.ui.refreshing
      || ui.manager !== before.ui.manager) {
      drawSources(state);
    } else if (ui.sourcesOpen !== before.ui.sourcesOpen) setOpen(sourcesBox, ui.sourcesOpen);
    // A refresh that ended (whichever panel started it) may have changed the catalogue.
    if (before.ui.refreshing.some((name) => !ui.refreshing.includes(name))) ctx.ops.sourcesChanged();
  });

  /**
   * Save one change of an optional source's setting, then read the sources again and say
   * what came of it: never a success when nothing could be read.
   * @param {OptionalSource} name
   * @param {Partial<import("./types.js").SourceSetting>} change
   * @param {(info: import("./types.js").SourcesInfo | null) => void} announce
   * @param {string} failure the toast's summary when the change is refused
   */
  async function changeSource(name, change, announce, failure) {
    store.dispatch({ type: "sourceBusy", name, busy: true });
    try {
      const answer = await ctx.track(() => deps.client.setSource(name, change));
      const settings = answer?.settings ?? {};
      if (ctx.alive()) store.dispatch({ type: "sourceSettings", settings });
      deps.onSourceSettings?.(settings);
      /** @type {import("./types.js").SourcesInfo | null} */
      let info = null;
      try {
        info = await ctx.track(() => deps.client.sources());
        if (ctx.alive()) store.dispatch({ type: "sources", info });
      } catch {
        // the list reload below asks again; the toast then says only what was saved
      }
      announce(info);
      ctx.ops.sourcesChanged();
    } catch (error) {
      deps.notify("error", failure, /** @type {Error} */ (error).message);
    } finally {
      // The switch shows the server's state again.
      if (ctx.alive()) store.dispatch({ type: "sourceBusy", name, busy: false });
    }
  }

  /**
   * @param {string} name
   * @param {boolean} enabled
   */
  async function toggleSource(name, enabled) {
    if (!isOptional(name) || store.getState().view.sourceBusy.includes(name)) return;
    const label = sourceName({ t }, name);
    await changeSource(name, { enabled }, (info) => {
      if (!enabled) deps.notify("info", t("sources.turnedOff", { name: label }));
      else if (info) {
        const said = switchedOnToast(renderContext(ctx), name, info);
        deps.notify(said.severity, said.summary, said.detail);
      }
    }, t("sources.toggleFailed", { name: label }));
  }

  /** @param {HTMLInputElement} input */
  async function setFolder(input) {
    const name = input.dataset.source ?? "";
    if (!isOptional(name) || store.getState().view.sourceBusy.includes(name)) return;
    const folder = input.value.trim();
    if (folder === (store.getState().view.sources?.settings?.[name]?.folder ?? "")) return;
    await changeSource(name, { folder }, (info) => {
      const summary = folder ? t("sources.folderSaved", { folder }) : t("sources.folderCleared");
      const state = info?.states?.[name];
      const detail = info && state && state.state !== "off" ? switchedOnToast(renderContext(ctx), name, info).detail : "";
      deps.notify(state && state.state === "failed" ? "error" : "info", summary, detail);
    }, t("sources.folderFailed"));
  }

  /**
   * @param {string} name
   * @returns {Promise<boolean>} whether it ran and did not fail
   */
  function refreshSource(name) {
    if (!isOptional(name) || store.getState().ui.refreshing.includes(name)) return Promise.resolve(false);
    const { client, notify } = deps;
    const label = sourceName({ t }, name);
    const done = client.refreshSource(name).then((result) => {
      const outcomes = Array.isArray(result?.outcomes) ? result.outcomes : [];
      const say = (/** @type {import("./types.js").RefreshOutcome[]} */ list) => list.map((o) => o.message).filter(Boolean).join("\n");
      const failed = outcomes.filter((o) => o.state === "failed");
      if (result?.ok === false || failed.length) {
        notify("error", t("sources.refreshFailed", { name: label }), say(failed.length ? failed : outcomes));
        return false;
      }
      if (outcomes.some((o) => o.state === "changed")) notify("success", t("sources.refreshed", { name: label }), say(outcomes));
      else notify("info", t("sources.upToDate", { name: label }), say(outcomes));
      return true;
    }, (error) => {
      const apiError = /** @type {import("./api.js").ApiError} */ (error);
      if (apiError.status === 409) notify("info", t("sources.refreshRunning", { name: label }), apiError.message);
      else notify("error", t("sources.refreshFailed", { name: label }), apiError.message);
      return false;
    }).finally(() => store.dispatch({ type: "refreshing", name, running: false }));
    store.dispatch({ type: "refreshing", name, running: true });
    return done;
  }

  /**
   * An empty list's offer (render_messages.js): switch a source on, downloading its data
   * first when there is none yet (a failed download leaves it off).
   * @param {string} name
   * @param {boolean} download
   */
  async function switchOn(name, download) {
    ctx.ops.focusSearch(); // the button leaves with the message the next answer replaces
    if (download && !(await refreshSource(name))) return;
    await toggleSource(name, true);
  }

  return {
    problemsBox, sourcesBox,
    /** @type {import("./panel_context.js").Component["clicks"]} */
    clicks: {
      "source-refresh": (el) => void refreshSource(el.dataset.source ?? ""),
      "source-on": (el) => void switchOn(el.dataset.source ?? "", el.dataset.download === "1"),
    },
    /** @type {import("./panel_context.js").Component["changes"]} */
    changes: {
      "source-toggle": (el) => void toggleSource(el.dataset.source ?? "", el.checked),
      "source-folder": (el) => void setFolder(el),
    },
    destroy: unsubscribe,
  };
}

/**
 * @param {HTMLElement} box
 * @param {boolean} open
 */
function setOpen(box, open) {
  const section = /** @type {HTMLDetailsElement | null} */ (box.firstElementChild);
  if (section && section.open !== open) section.open = open;
}
