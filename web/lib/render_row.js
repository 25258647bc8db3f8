// One row of the virtual list.

import { h } from "./dom.js";
import { formatCount, highlightInto } from "./text.js";
import { installedBadge, kindName, starButton } from "./render_common.js";
import { linkBadge } from "./render_links.js";

/** @typedef {import("./render_common.js").RenderContext} RenderContext */
/** @typedef {import("./types.js").Resource} Resource */

/**
 * The "kind · category · ★ stars · updated" line.
 * @param {RenderContext} ctx
 * @param {Resource} resource
 */
function metaParts(ctx, resource) {
  const parts = [kindName(ctx, resource.kind), ctx.categoryName(resource.category)];
  if (typeof resource.stars === "number") parts.push(ctx.t("list.stars", { count: formatCount(resource.stars, ctx.locale) }));
  if (resource.updated) parts.push(ctx.t("list.updated", { date: resource.updated }));
  return parts;
}

/**
 * One row; `resource` is undefined while its page is loading.
 * @param {RenderContext} ctx
 * @param {Resource | undefined} resource
 * @param {number} index
 * @param {number} total
 * @param {boolean} selected
 */
export function renderRow(ctx, resource, index, total, selected) {
  const { doc, t } = ctx;
  const row = h(doc, "div", {
    role: "listitem", class: `ab-row${selected ? " ab-selected" : ""}${ctx.showDescriptions ? "" : " ab-compact"}`,
    id: `ab-row-${index}`, "data-index": index, "aria-setsize": total, "aria-posinset": index + 1,
  });
  if (!resource) {
    row.classList.add("ab-row-loading");
    row.setAttribute("aria-busy", "true");
    row.append(h(doc, "span", { class: "ab-row-placeholder" }, [t("list.loadingRow")]));
    return row;
  }
  row.dataset.id = resource.id;
  const title = h(doc, "span", { class: "ab-row-title" });
  highlightInto(title, resource.name, ctx.terms);
  const link = ctx.linkStatus?.(resource.url);
  const badges = [
    resource.installed === true && installedBadge(ctx),
    link && linkBadge(ctx, link, true),
  ].filter((b) => b !== false && b !== undefined);
  const line = h(doc, "span", { class: "ab-row-line" }, [title, badges.length > 0 && h(doc, "span", { class: "ab-badges" }, badges)]);
  if (link?.state === "dead") row.classList.add("ab-row-dead");
  const meta = h(doc, "span", { class: "ab-row-meta" }, [metaParts(ctx, resource).join(" · ")]);
  /** @type {HTMLElement | null} */
  let desc = null;
  if (ctx.showDescriptions) {
    desc = h(doc, "span", { class: "ab-row-desc" });
    // One line only: newlines would be hidden by the ellipsis anyway.
    highlightInto(desc, resource.description.replace(/\s+/g, " "), ctx.terms);
  }
  const main = h(doc, "button", {
    type: "button", class: "ab-row-main", "data-action": "open", "aria-current": selected ? "true" : false,
  }, [line, meta, desc]);
  row.append(main, starButton(ctx, resource.name, Boolean(resource.favorite)));
  return row;
}
