// What the list area shows instead of rows: why nothing matched, or why nothing came.

import { h } from "./dom.js";
import { hasFilters } from "./state.js";
import { iconButton, kindName, tagName } from "./render_common.js";

/** @typedef {import("./render_common.js").RenderContext} RenderContext */
/** @typedef {import("./types.js").SidebarState} SidebarState */

/**
 * "category “Video”, kind “Model”, tags “a”, “b”, favourites only" for the empty state.
 * @param {RenderContext} ctx
 * @param {SidebarState} state
 */
export function describeFilters(ctx, state) {
  const { t } = ctx;
  const parts = [];
  if (state.category) parts.push(`${t("filters.category")} “${ctx.categoryName(state.category)}”`);
  if (state.kind) parts.push(`${t("filters.kind")} “${kindName(ctx, state.kind)}”`);
  if (state.tags.length) parts.push(`${t("filters.tags")} ${state.tags.map((tag) => `“${tagName(ctx, tag)}”`).join(", ")}`);
  if (state.favoritesOnly) parts.push(t("filters.favoritesOnly"));
  if (state.installedOnly) parts.push(t("filters.installedOnly"));
  return parts.join(", ");
}

/**
 * @param {RenderContext} ctx
 * @param {SidebarState} state
 */
function emptyReason(ctx, state) {
  const { t } = ctx;
  const q = state.q.trim();
  const filters = describeFilters(ctx, state);
  const onlyToggle = !q && !state.category && !state.kind && !state.tags.length;
  if (state.favoritesOnly && onlyToggle) return t("empty.favorites");
  if (state.installedOnly && onlyToggle) return t("empty.installed");
  if (q && filters) return t("empty.queryAndFilters", { q, filters });
  if (q) return t("empty.query", { q });
  if (filters) return t("empty.filters", { filters });
  return t("empty.catalogue");
}

/**
 * Why nothing matched, with a way out.
 * @param {RenderContext} ctx
 * @param {SidebarState} state
 */
export function renderEmpty(ctx, state) {
  const { doc, t } = ctx;
  return h(doc, "div", { class: "ab-empty", role: "status" }, [
    h(doc, "i", { class: "pi pi-search ab-empty-icon", "aria-hidden": "true" }),
    h(doc, "p", { class: "ab-empty-title" }, [t("empty.title")]),
    h(doc, "p", { class: "ab-empty-reason" }, [emptyReason(ctx, state)]),
    h(doc, "div", { class: "ab-actions" }, [
      hasFilters(state) && h(doc, "button", { type: "button", class: "ab-button", "data-action": "clear-filters" }, [t("empty.clearFilters")]),
      state.q.trim() && h(doc, "button", { type: "button", class: "ab-button", "data-action": "clear-search" }, [t("empty.clearSearch")]),
    ]),
  ]);
}

/**
 * The message shown instead of the list when the catalogue cannot be fetched.
 * @param {RenderContext} ctx
 * @param {import("./types.js").ErrorInfo} error
 */
export function renderError(ctx, error) {
  const { doc, t } = ctx;
  const detail = !error.status
    ? t("error.offline")
    : t("error.status", { status: error.status, message: error.message ?? "" });
  return h(doc, "div", { class: "ab-error", role: "alert" }, [
    h(doc, "i", { class: "pi pi-exclamation-triangle ab-empty-icon", "aria-hidden": "true" }),
    h(doc, "p", { class: "ab-empty-title" }, [t("error.title")]),
    h(doc, "p", { class: "ab-error-detail" }, [detail]),
    iconButton(ctx, "pi-refresh", t("error.retry"), { "data-action": "retry" }),
  ]);
}
