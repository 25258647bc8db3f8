// The sort select and the facets: category and kind selects and tag chips, with counts.

import { h } from "./dom.js";
import { KINDS, SORTS } from "./constants.js";
import { kindName, selectControl, tagName } from "./render_common.js";

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

/** Tags shown before "All N tags": the most used, and every chosen one. */
export const TAGS_SHOWN = 12;

/**
 * Each choice with its count. Counts come from the server, which counts each facet over
 * the other filters so choices stay visible. The tags show the most used first; the rest
 * wait behind "All N tags" (`allTags`), so the cloud never ends mid-row. The chips are one
 * tab stop (arrows move between them): the chip `tabTag` names holds it, else the first.
 * @param {RenderContext} ctx
 * @param {SidebarState} state
 * @param {import("./types.js").Facets} facets
 * @param {import("./types.js").Category[]} categories
 * @param {{allTags?: boolean, tabTag?: string}} [view]
 */
export function renderFacets(ctx, state, facets, categories, view = {}) {
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
  const shown = view.allTags ? tags : tags.filter(([tag], i) => i < TAGS_SHOWN || state.tags.includes(tag));
  const tabTag = shown.some(([tag]) => tag === view.tabTag) ? view.tabTag : shown[0]?.[0];
  const more = tags.length > TAGS_SHOWN && h(doc, "button", {
    type: "button", class: "ab-link ab-more-tags", "data-action": "more-tags", "aria-expanded": view.allTags ? "true" : "false",
  }, [view.allTags ? t("filters.fewerTags") : t("filters.moreTags", { count: tags.length })]);

  return h(doc, "div", { class: "ab-facets" }, [
    h(doc, "div", { class: "ab-facet-row" }, [
      selectControl(ctx, "ab-category", t("filters.category"), "category",
        [{ value: "", label: t("filters.anyCategory") }, ...categoryOptions], state.category),
      selectControl(ctx, "ab-kind", t("filters.kind"), "kind",
        [{ value: "", label: t("filters.anyKind") }, ...kindOptions], state.kind),
    ]),
    shown.length > 0 && h(doc, "div", { class: "ab-tags ab-tag-facet", role: "group", "aria-label": t("filters.tags") },
      shown.map(([tag, count]) => h(doc, "button", {
        type: "button", class: "ab-chip", "data-action": "tag", "data-tag": tag, tabindex: tag === tabTag ? "0" : "-1",
        "aria-pressed": state.tags.includes(tag) ? "true" : "false",
      }, [t("filters.tagCount", { tag: tagName(ctx, tag), count })]))),
    more,
  ]);
}
