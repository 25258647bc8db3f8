// The details pane for one resource.

import { h } from "./dom.js";
import { formatCount, gitCloneCommand, safeHttpUrl } from "./text.js";
import { USER_SOURCE } from "./constants.js";
import { iconButton, installedBadge, kindName, linkOrText, starButton, tagName } from "./render_common.js";
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
 * The `git clone` command to copy, for node packs with a safe URL; else null.
 * @param {RenderContext} ctx
 * @param {Resource} resource
 */
function installBox(ctx, resource) {
  const { doc, t } = ctx;
  const command = resource.kind === "node-pack" ? gitCloneCommand(resource) : "";
  if (!command) return null;
  return h(doc, "div", { class: "ab-install" }, [
    h(doc, "div", { class: "ab-install-label" }, [t("details.install")]),
    h(doc, "code", { class: "ab-command" }, [command]),
    h(doc, "div", { class: "ab-install-row" }, [
      h(doc, "small", { class: "ab-muted" }, [t("details.installHint")]),
      iconButton(ctx, "pi-copy", t("details.copyCommand"), { "data-action": "copy", "data-copy": command }),
    ]),
  ]);
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
  const badges = resource.installed === true ? h(doc, "div", { class: "ab-details-badges" }, [installedBadge(ctx)]) : null;
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
  }, [header, badges, description, installBox(ctx, resource), fields, actions]);
}
