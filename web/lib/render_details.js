// The details pane for one resource.

import { h } from "./dom.js";
import { formatCount, formatNumber, safeHttpUrl } from "./text.js";
import { USER_SOURCE } from "./constants.js";
import { disabledBadge, iconButton, installedBadge, kindName, linkOrText, starButton, tagName } from "./render_common.js";
import { renderInstall } from "./render_install.js";
import { linkHealth } from "./render_links.js";
import { sourceName } from "./render_sources.js";
import { renderMarkdown } from "./markdown.js";

/** @typedef {import("./render_common.js").RenderContext} RenderContext */
/** @typedef {import("./types.js").Resource} Resource */

/**
 * @param {RenderContext} ctx
 * @param {string} label
 * @param {Node | string} value
 */
function field(ctx, label, value) {
  return [h(ctx.doc, "dt", {}, [label]), h(ctx.doc, "dd", {}, [value])];
}

/**
 * The node classes a pack provides: how many, and their names when the answer has them.
 * @param {RenderContext} ctx
 * @param {Resource} resource
 */
function nodeList(ctx, resource) {
  const { doc } = ctx;
  const names = resource.node_types ?? [];
  const count = names.length || resource.node_count || 0;
  if (count === 0) return null;
  const label = formatNumber(count, ctx.locale);
  if (names.length === 0) return label;
  return h(doc, "details", { class: "ab-node-list" }, [h(doc, "summary", {}, [label]),
    h(doc, "ul", {}, names.map((name) => h(doc, "li", {}, [h(doc, "code", {}, [name])])))]);
}

/**
 * @param {RenderContext} ctx
 * @param {Resource} resource
 */
export function renderDetails(ctx, resource) {
  const { doc, t } = ctx;
  const none = t("details.none");
  const header = h(doc, "div", { class: "ab-details-header" }, [
    h(doc, "h3", { class: "ab-details-title", id: "ab-details-title" }, [resource.name]),
    starButton(ctx, resource.name, Boolean(resource.favorite)),
    h(doc, "button", {
      type: "button", class: "ab-icon-button", "data-action": "close-details", "aria-label": t("details.close"),
      title: t("details.close"),
    }, [h(doc, "i", { class: "pi pi-times", "aria-hidden": "true" })]),
  ]);
  // Under the title, not beside it: the sidebar is too narrow for both on one line.
  const badges = resource.installed === true || resource.disabled === true
    ? h(doc, "div", { class: "ab-details-badges" }, [resource.disabled === true ? disabledBadge(ctx) : installedBadge(ctx)]) : null;
  const nodes = nodeList(ctx, resource);
  // Descriptions hold Markdown (ComfyUI-Manager's links): rendered as text and http(s) links only.
  const description = h(doc, "div", { class: "ab-details-desc" }, [resource.description ? renderMarkdown(doc, resource.description) : none]);

  const tags = resource.tags.length
    ? h(doc, "span", { class: "ab-tags" }, resource.tags.map((tag) => h(doc, "button", {
      type: "button", class: "ab-chip", "data-action": "tag", "data-tag": tag,
    }, [tagName(ctx, tag)])))
    : none;
  const safeUrl = safeHttpUrl(resource.url);
  // Optional fields that are not known are left out rather than shown as dashes.
  const fields = h(doc, "dl", { class: "ab-fields" }, [
    ...field(ctx, t("details.url"), linkOrText(ctx, resource.url, resource.name)),
    ...field(ctx, t("links.title"), linkHealth(ctx, resource)),
    ...field(ctx, t("details.kind"), kindName(ctx, resource.kind)),
    ...field(ctx, t("details.category"), ctx.categoryName(resource.category)),
    ...(resource.author ? field(ctx, t("details.author"), resource.author) : []),
    ...(resource.license ? field(ctx, t("details.license"), resource.license) : []),
    ...(typeof resource.stars === "number" ? field(ctx, t("details.stars"), formatCount(resource.stars, ctx.locale)) : []),
    ...(typeof resource.downloads === "number" ? field(ctx, t("details.downloads"), formatCount(resource.downloads, ctx.locale)) : []),
    // A Registry id is what comfy-cli installs by; the Manager's own ids are only its names.
    ...(resource.pack_id ? field(ctx, t(resource.install_type === "cnr" ? "details.packId" : "details.managerId"),
      h(doc, "code", {}, [resource.pack_id])) : []),
    ...(resource.version ? field(ctx, t("details.version"), resource.version) : []),
    ...(nodes ? field(ctx, t("details.nodes"), nodes) : []),
    ...(resource.updated ? field(ctx, t("details.updated"), resource.updated) : []),
    ...field(ctx, t("details.source"), sourceName(ctx, resource.source)),
    ...field(ctx, t("details.tags"), tags),
  ]);
  const own = resource.source === USER_SOURCE;
  const actions = h(doc, "div", { class: "ab-actions" }, [
    safeUrl && iconButton(ctx, "pi-copy", t("details.copyUrl"), { "data-action": "copy", "data-copy": safeUrl }),
    own && iconButton(ctx, "pi-pencil", t("details.edit"), { "data-action": "edit" }),
    own && iconButton(ctx, "pi-trash", t("details.delete"), { class: "ab-button ab-danger", "data-action": "delete" }),
  ]);
  return h(doc, "section", {
    class: "ab-details", "aria-labelledby": "ab-details-title", "data-id": resource.id,
  }, [header, badges, description, renderInstall(ctx, resource), fields, actions]);
}
