// What the list area shows instead of rows: why nothing matched, or why nothing came.

import { h } from "./dom.js";
import { hasFilters } from "./state.js";
import { iconButton, kindName, tagName } from "./render_common.js";
import { formatNumber } from "./text.js";
import { plural } from "./i18n.js";
import { NO_HINTS, offerLabel, usefulOffers } from "./result_hints.js";

/** @typedef {import("./render_common.js").RenderContext} RenderContext */
/** @typedef {import("./types.js").SidebarState} SidebarState */
/** @typedef {import("./types.js").ResultHints} ResultHints */

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
  if (state.disabledOnly) parts.push(t("filters.disabledOnly"));
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
 * The way out of the filters: with the count the server found without them; none when
 * that count is 0 (the text alone finds nothing either).
 * @param {RenderContext} ctx
 * @param {SidebarState} state
 * @param {ResultHints} hints
 */
function withoutFilters(ctx, state, hints) {
  const { doc, t } = ctx;
  const found = hints.unfilteredTotal;
  if (!hasFilters(state) || found === 0) return null;
  const label = found === null
    ? t("empty.clearFilters")
    : plural(t, "empty.withoutFilters", found, { count: formatNumber(found, ctx.locale) });
  return h(doc, "button", { type: "button", class: "ab-button", "data-action": "clear-filters" }, [label]);
}

/**
 * Why nothing matched, with the next steps: the search without its filters, clearing the
 * search, and each optional source that is off with what switching it on would add.
 * @param {RenderContext} ctx
 * @param {SidebarState} state
 * @param {ResultHints} [hints] what the server counted for these steps
 */
export function renderEmpty(ctx, state, hints = NO_HINTS) {
  const { doc, t } = ctx;
  const offers = usefulOffers(hints.moreSources).map((offer) => h(doc, "button", {
    type: "button", class: "ab-button ab-source-offer", "data-action": "source-on", "data-source": offer.source,
    "data-download": offer.download ? "1" : false,
  }, [h(doc, "i", { class: offer.download ? "pi pi-download" : "pi pi-database", "aria-hidden": "true" }),
    ` ${offerLabel(t, ctx.locale, offer)}`]));
  return h(doc, "div", { class: "ab-empty", role: "status" }, [
    h(doc, "i", { class: "pi pi-search ab-empty-icon", "aria-hidden": "true" }),
    h(doc, "p", { class: "ab-empty-title" }, [t("empty.title")]),
    h(doc, "p", { class: "ab-empty-reason" }, [emptyReason(ctx, state)]),
    h(doc, "div", { class: "ab-actions ab-empty-actions" }, [
      withoutFilters(ctx, state, hints),
      state.q.trim() && h(doc, "button", { type: "button", class: "ab-button", "data-action": "clear-search" }, [t("empty.clearSearch")]),
      ...offers,
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
