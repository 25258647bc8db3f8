// Link health: a check's verdict as a badge, and the "Link health" line of the details.

import { h } from "./dom.js";
import { formatWhen, safeHttpUrl } from "./text.js";
import { LINK_STATES } from "./constants.js";
import { linkOrText } from "./render_common.js";

/** @typedef {import("./render_common.js").RenderContext} RenderContext */

const ICONS = {
  alive: "pi-check", redirected: "pi-arrow-right", dead: "pi-times-circle", blocked: "pi-ban",
  error: "pi-question-circle", unchecked: "pi-minus-circle",
};

/**
 * The state of a link check as a small badge; in rows an alive link is only an icon.
 * @param {RenderContext} ctx
 * @param {import("./types.js").LinkStatus | undefined} link undefined: never checked
 * @param {boolean} compact
 */
export function linkBadge(ctx, link, compact) {
  const { doc, t } = ctx;
  const state = link && /** @type {readonly string[]} */ (LINK_STATES).includes(link.state) ? link.state : "unchecked";
  const label = t(`links.${state}`);
  const when = link?.checked_at ? formatWhen(link.checked_at, ctx.locale) : "";
  const title = link && when ? t("links.rowTitle", { state: label, date: when }) : t(`links.${state}Hint`);
  const icon = h(doc, "i", { class: `pi ${ICONS[state]}`, "aria-hidden": "true" });
  if (compact && state === "alive") {
    return h(doc, "span", { class: "ab-badge ab-health ab-link-alive ab-badge-icon", title }, [
      icon, h(doc, "span", { class: "ab-visually-hidden" }, [label])]);
  }
  return h(doc, "span", { class: `ab-badge ab-health ab-link-${state}`, title }, [icon, ` ${label}`]);
}

/**
 * The "Link health" line of the details: the verdict, when, where it leads, and a button.
 * @param {RenderContext} ctx
 * @param {import("./types.js").Resource} resource
 */
export function linkHealth(ctx, resource) {
  const { doc, t } = ctx;
  const link = ctx.linkStatus?.(resource.url);
  const checking = ctx.checkingLink?.(resource.id) ?? false;
  const facts = [];
  if (link && typeof link.status === "number") facts.push(t("links.status", { status: link.status }));
  if (link?.checked_at) facts.push(t("links.checkedAt", { date: formatWhen(link.checked_at, ctx.locale) }));
  const moved = link && link.final_url && link.final_url !== link.url ? link.final_url : "";
  const button = safeHttpUrl(resource.url) && h(doc, "button", {
    type: "button", class: "ab-button ab-small", "data-action": "check-link", "aria-disabled": checking ? "true" : false,
    "aria-busy": checking ? "true" : false, "aria-label": t("links.checkLabel", { name: resource.name }),
  }, [h(doc, "i", { class: checking ? "pi pi-spin pi-spinner" : "pi pi-sync", "aria-hidden": "true" }),
    ` ${t(checking ? "links.checking" : "links.check")}`]);
  return h(doc, "div", { class: "ab-link-health" }, [
    h(doc, "div", { class: "ab-link-line" }, [linkBadge(ctx, link, false),
      facts.length > 0 && h(doc, "small", { class: "ab-muted" }, [facts.join(" · ")]), button]),
    moved && h(doc, "div", { class: "ab-link-moved" }, [`${t("links.finalUrl")} `, linkOrText(ctx, moved, resource.name)]),
    link?.message && link.state !== "alive" && h(doc, "small", { class: "ab-muted ab-link-message" }, [link.message]),
  ]);
}
