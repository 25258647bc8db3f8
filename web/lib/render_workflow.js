// The "This workflow" view: the node types of the open graph this ComfyUI does not know, each
// with the packs that provide it and their Install action (or what is keeping them from loading).

import { h } from "./dom.js";
import { plural } from "./i18n.js";
import { formatCount } from "./text.js";
import { disabledBadge, installedBadge } from "./render_common.js";
import { actionsFor, actionButton } from "./render_install.js";

/** @typedef {import("./render_common.js").RenderContext} RenderContext */
/** @typedef {import("./types.js").Resource} Resource */
/** @typedef {import("./types.js").WorkflowView} WorkflowView */

/** Providers shown per type before the rest are only counted. */
export const PROVIDERS_SHOWN = 5;

/**
 * One pack that provides a missing type: its name (opens its details), its state, its action.
 * @param {RenderContext} ctx
 * @param {Resource} provider
 */
function providerItem(ctx, provider) {
  const { doc, t } = ctx;
  const kinds = actionsFor(ctx, provider);
  // Installed yet missing: ComfyUI has not loaded it (a restart, or it failed to import).
  const note = provider.installed === true && !provider.disabled && kinds.length === 0
    ? h(doc, "small", { class: "ab-muted ab-provider-note" }, [t("workflow.notLoaded")]) : null;
  return h(doc, "li", { class: "ab-provider", "data-id": provider.id }, [
    h(doc, "div", { class: "ab-provider-line" }, [
      h(doc, "button", { type: "button", class: "ab-link ab-provider-name", "data-action": "workflow-open", "data-id": provider.id,
        title: t("workflow.details", { name: provider.name }) }, [provider.name]),
      provider.disabled === true ? disabledBadge(ctx) : provider.installed === true ? installedBadge(ctx) : null,
      popularity(ctx, provider),
    ]),
    note,
    kinds.length > 0 && h(doc, "div", { class: "ab-provider-actions" }, kinds.map((kind) => actionButton(ctx, kind, provider, false))),
  ]);
}

/**
 * "★ 6.1K" (or "⤓ 12.3K"): which of several packs people use, as the rows show it.
 * @param {RenderContext} ctx
 * @param {Resource} provider
 */
function popularity(ctx, provider) {
  const { t } = ctx;
  const text = typeof provider.stars === "number" ? t("list.stars", { count: formatCount(provider.stars, ctx.locale) })
    : typeof provider.downloads === "number" ? t("list.downloads", { count: formatCount(provider.downloads, ctx.locale) }) : "";
  return text ? h(ctx.doc, "small", { class: "ab-muted" }, [text]) : null;
}

/**
 * @param {RenderContext} ctx
 * @param {string} type
 * @param {Resource[] | undefined} providers undefined while they are looked up
 */
function missingItem(ctx, type, providers) {
  const { doc, t } = ctx;
  const list = providers ?? [];
  const more = list.length - PROVIDERS_SHOWN;
  return h(doc, "li", { class: "ab-missing", "data-type": type }, [
    h(doc, "code", { class: "ab-node-type" }, [type]),
    providers && list.length === 0 && h(doc, "p", { class: "ab-muted" }, [t("workflow.noProvider")]),
    list.length > 0 && h(doc, "ul", { class: "ab-providers", "aria-label": t("workflow.providers", { type }) },
      list.slice(0, PROVIDERS_SHOWN).map((p) => providerItem(ctx, p))),
    more > 0 && h(doc, "p", { class: "ab-muted" }, [plural(t, "workflow.more", more)]),
  ]);
}

/**
 * @param {RenderContext} ctx
 * @param {WorkflowView} workflow
 */
export function renderWorkflow(ctx, workflow) {
  const { doc, t } = ctx;
  const missing = workflow.missing;
  /** @type {Map<string, Resource[]>} */
  const byType = new Map((workflow.answer?.types ?? []).map((entry) => [entry.type, entry.providers]));
  let summary;
  if (missing === null) summary = t("workflow.noGraph");
  else if (missing.length === 0) summary = plural(t, "workflow.allKnown", workflow.total);
  else summary = plural(t, "workflow.missing", missing.length);
  const looking = missing && missing.length > 0 && workflow.status === "loading";
  return h(doc, "section", { class: "ab-workflow", "aria-labelledby": "ab-workflow-title" }, [
    h(doc, "div", { class: "ab-details-header" }, [
      h(doc, "h3", { class: "ab-details-title", id: "ab-workflow-title" }, [t("workflow.title")]),
      h(doc, "button", { type: "button", class: "ab-icon-button", "data-action": "workflow-check", "aria-label": t("workflow.check"),
        title: t("workflow.check") }, [h(doc, "i", { class: "pi pi-refresh", "aria-hidden": "true" })]),
      h(doc, "button", { type: "button", class: "ab-icon-button", "data-action": "workflow-close", "aria-label": t("workflow.close"),
        title: t("workflow.close") }, [h(doc, "i", { class: "pi pi-times", "aria-hidden": "true" })]),
    ]),
    h(doc, "p", { class: `ab-workflow-summary${missing?.length ? "" : " ab-muted"}`, role: "status" }, [summary]),
    looking && h(doc, "p", { class: "ab-muted" }, [h(doc, "i", { class: "pi pi-spin pi-spinner", "aria-hidden": "true" }), ` ${t("workflow.looking")}`]),
    workflow.status === "failed" && h(doc, "p", { class: "ab-install-error", role: "alert" }, [t("workflow.failed", { error: workflow.error })]),
    missing && missing.length > 0 && h(doc, "ul", { class: "ab-missing-list" },
      missing.map((type) => missingItem(ctx, type, workflow.status === "ready" ? byType.get(type) ?? [] : undefined))),
    missing && missing.length > 0 && ctx.manager?.info?.api === "none"
      && h(doc, "p", { class: "ab-muted ab-workflow-hint" }, [t("workflow.noManager")]),
  ]);
}
