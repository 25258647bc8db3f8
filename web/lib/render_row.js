// One row of the virtual list. What a row shows by its number of lines (the settings):
//   3: the name; "kind · category" and "★ stars · date"; one line of description
//   2: the name; "kind · category" and "★ stars · date"
//   1: the name, then "★ stars · date" on the same line
// The stars and the date never fall off the end: "kind · category" gives way (ellipsis) first.
// Without stars, a Registry pack shows its downloads in their place. With ComfyUI-Manager on
// the page, a node pack's row has a compact Install (or Enable) button where there is room.

import { h } from "./dom.js";
import { formatCount, formatMonth, highlightInto } from "./text.js";
import { disabledBadge, installedBadge, kindName, starButton } from "./render_common.js";
import { rowAction } from "./render_install.js";
import { linkBadge } from "./render_links.js";
import { plainText } from "./markdown.js";

/** @typedef {import("./render_common.js").RenderContext} RenderContext */
/** @typedef {import("./types.js").Resource} Resource */

/**
 * "★ 6.7K · Oct 2025": what is always visible; null when the resource has neither.
 * @param {RenderContext} ctx
 * @param {Resource} resource
 */
function facts(ctx, resource) {
  const parts = [];
  const titles = [];
  if (typeof resource.stars === "number") {
    const count = formatCount(resource.stars, ctx.locale);
    parts.push(ctx.t("list.stars", { count }));
    titles.push(ctx.t("list.starsTitle", { count: resource.stars }));
  } else if (typeof resource.downloads === "number") {
    const count = formatCount(resource.downloads, ctx.locale);
    parts.push(ctx.t("list.downloads", { count }));
    titles.push(ctx.t("list.downloadsTitle", { count: resource.downloads }));
  }
  if (resource.updated) {
    parts.push(formatMonth(resource.updated, ctx.locale));
    titles.push(ctx.t("list.updatedTitle", { date: resource.updated }));
  }
  if (parts.length === 0) return null;
  return h(ctx.doc, "span", { class: "ab-row-facts", title: titles.join(" · ") }, [parts.join(" · ")]);
}

/**
 * One row; `resource` is undefined while its page is loading. Its buttons are out of the
 * tab order: the list is one tab stop (panel_results.js gives it to one row).
 * @param {RenderContext} ctx
 * @param {Resource | undefined} resource
 * @param {number} index
 * @param {number} total
 * @param {boolean} selected
 */
export function renderRow(ctx, resource, index, total, selected) {
  const { doc, t } = ctx;
  const row = h(doc, "div", {
    role: "listitem", class: `ab-row ab-lines-${ctx.rowLines}${selected ? " ab-selected" : ""}`,
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
    resource.disabled === true ? disabledBadge(ctx) : resource.installed === true && installedBadge(ctx),
    link && linkBadge(ctx, link, true),
  ].filter((b) => b !== false && b !== undefined);
  const badgeBox = badges.length > 0 ? h(doc, "span", { class: "ab-badges" }, badges) : null;
  if (link?.state === "dead") row.classList.add("ab-row-dead");
  const known = facts(ctx, resource);
  /** @type {(HTMLElement | null)[]} */
  let lines;
  if (ctx.rowLines === 1) {
    lines = [h(doc, "span", { class: "ab-row-line" }, [title, badgeBox, known])];
  } else {
    const where = h(doc, "span", { class: "ab-row-where" }, [`${kindName(ctx, resource.kind)} · ${ctx.categoryName(resource.category)}`]);
    lines = [
      h(doc, "span", { class: "ab-row-line" }, [title, badgeBox]),
      h(doc, "span", { class: "ab-row-meta" }, [where, known]),
    ];
    if (ctx.rowLines === 3) {
      const desc = h(doc, "span", { class: "ab-row-desc" });
      // One line of what a reader sees: "[a/Name](url)" shows as "Name".
      highlightInto(desc, plainText(resource.description).replace(/\s+/g, " "), ctx.terms);
      lines.push(desc);
    }
  }
  const main = h(doc, "button", {
    type: "button", class: "ab-row-main", "data-action": "open", "aria-current": selected ? "true" : false, tabindex: "-1",
  }, lines);
  const star = starButton(ctx, resource.name, Boolean(resource.favorite));
  star.tabIndex = -1;
  const action = rowAction(ctx, resource);
  row.append(main, ...(action ? [action] : []), star);
  return row;
}
