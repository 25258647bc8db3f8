// The sort select and the facets: category and kind selects and tag chips, with counts.

import { h } from "./dom.js";
import { KINDS, SORTS } from "./constants.js";
import { kindName, selectControl } from "./render_common.js";

/** @typedef {import("./render_common.js").RenderContext} RenderContext */
/** @typedef {import("./types.js").SidebarState} SidebarState */

/**
 * @param {RenderContext} ctx
 * @param {string} sort
 */
export function renderSort(ctx, sort) {
  return selectControl(ctx, "ab-sort", ctx.t("sort.label"), "sort",
    SORTS.map((value) => ({ value, label: ctx.t(`sort.${value}`) })), sort);
}

/**
 * Each choice with its count. Counts come from the server, which counts each facet over
 * the other filters so choices stay visible.
 * @param {RenderContext} ctx
 * @param {SidebarState} state
 * @param {import("./types.js").Facets} facets
 * @param {import("./types.js").Category[]} categories
 */
export function renderFacets(ctx, state, facets, categories) {
  const { doc, t } = ctx;
  const counted = (/** @type {string} */ name, /** @type {string} */ value) => facets[name]?.[value] ?? 0;
  const withCount = (/** @type {string} */ label, /** @type {number} */ count) => `${label} (${count})`;

  const categoryIds = new Set([...categories.map((c) => c.id), ...Object.keys(facets.category ?? {})]);
  if (state.category) categoryIds.add(state.category);
  const categoryOptions = [...categoryIds]
    .filter((id) => counted("category", id) > 0 || id === state.category)
    .map((id) => ({ value: id, label: withCount(ctx.categoryName(id), counted("category", id)) }));
  const kindOptions = KINDS
    .filter((kind) => counted("kind", kind) > 0 || kind === state.kind)
    .map((kind) => ({ value: kind, label: withCount(kindName(ctx, kind), counted("kind", kind)) }));

  const tagCounts = { ...(facets.tag ?? {}) };
  for (const tag of state.tags) tagCounts[tag] ??= 0;
  const tags = Object.entries(tagCounts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

  return h(doc, "div", { class: "ab-facets" }, [
    h(doc, "div", { class: "ab-facet-row" }, [
      selectControl(ctx, "ab-category", t("filters.category"), "category",
        [{ value: "", label: t("filters.anyCategory") }, ...categoryOptions], state.category),
      selectControl(ctx, "ab-kind", t("filters.kind"), "kind",
        [{ value: "", label: t("filters.anyKind") }, ...kindOptions], state.kind),
    ]),
    tags.length > 0 && h(doc, "div", { class: "ab-tags ab-tag-facet", role: "group", "aria-label": t("filters.tags") },
      tags.map(([tag, count]) => h(doc, "button", {
        type: "button", class: "ab-chip", "data-action": "tag", "data-tag": tag,
        "aria-pressed": state.tags.includes(tag) ? "true" : "false",
      }, [t("filters.tagCount", { tag, count })]))),
  ]);
}
