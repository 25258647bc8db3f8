// What the builders share: their context, and the small pieces several of them draw. The
// builders return detached elements and attach no listeners: the panel handles clicks by
// delegation on `data-action`, so the rows a scroll creates and drops carry no handlers to
// leak. Text goes in as text only (dom.js has no way to set HTML).

import { h } from "./dom.js";
import { safeHttpUrl } from "./text.js";
import { translated } from "./i18n.js";

/**
 * What every builder needs.
 * @typedef {object} RenderContext
 * @property {Document} doc
 * @property {import("./types.js").Translate} t
 * @property {string} locale
 * @property {string[]} terms the search words to highlight
 * @property {(id: string) => string} categoryName
 * @property {import("./types.js").RowLines} rowLines
 * @property {(url: string) => import("./types.js").LinkStatus | undefined} [linkStatus] the cached link check, if any
 * @property {(id: string) => boolean} [checkingLink] whether a link check of this resource is running
 * @property {ManagerView} [manager] ComfyUI-Manager as the store knows it (absent: no install actions)
 */

/**
 * What the builders know of ComfyUI-Manager (the store's `ui`, see store_manager.js).
 * @typedef {object} ManagerView
 * @property {import("./types.js").ManagerInfo | null} info
 * @property {Readonly<Record<string, import("./types.js").PackRecord | null>>} records
 * @property {import("./types.js").UiState["managerList"]} list
 * @property {import("./types.js").ManagerJob | null} job
 * @property {import("./types.js").RestartState} restart
 */

/**
 * A kind's name in the user's language; the kind itself when there is none.
 * @param {Pick<RenderContext, "t">} ctx
 * @param {string} kind
 */
export function kindName(ctx, kind) {
  return translated(ctx.t, "kinds", kind) ?? kind;
}

/**
 * A tag's name in the user's language ("video" → "视频"); the tag itself when there is none.
 * @param {Pick<RenderContext, "t">} ctx
 * @param {string} tag
 */
export function tagName(ctx, tag) {
  return translated(ctx.t, "tags", tag) ?? tag;
}

/**
 * @param {RenderContext} ctx
 * @param {string} name
 * @param {boolean} on
 */
export function starButton(ctx, name, on) {
  const label = ctx.t(on ? "favorite.remove" : "favorite.add", { name });
  return h(ctx.doc, "button", {
    type: "button", class: "ab-star", "data-action": "star", "aria-pressed": on ? "true" : "false",
    "aria-label": label, title: label,
  }, [h(ctx.doc, "i", { class: on ? "pi pi-star-fill" : "pi pi-star", "aria-hidden": "true" })]);
}

/** @param {RenderContext} ctx */
export function installedBadge(ctx) {
  return h(ctx.doc, "span", { class: "ab-badge ab-installed", title: ctx.t("installed.title") }, [
    h(ctx.doc, "i", { class: "pi pi-check-circle", "aria-hidden": "true" }), ` ${ctx.t("installed.badge")}`]);
}

/** Installed but switched off (custom_nodes/.disabled): a badge of its own, not "Installed". @param {RenderContext} ctx */
export function disabledBadge(ctx) {
  return h(ctx.doc, "span", { class: "ab-badge ab-disabled", title: ctx.t("disabled.title") }, [
    h(ctx.doc, "i", { class: "pi pi-ban", "aria-hidden": "true" }), ` ${ctx.t("disabled.badge")}`]);
}

/**
 * A link for http(s) URLs only; anything else is shown as text.
 * @param {RenderContext} ctx
 * @param {string} url
 * @param {string} name
 */
export function linkOrText(ctx, url, name) {
  const safe = safeHttpUrl(url);
  if (!safe) return h(ctx.doc, "span", { class: "ab-unsafe-url" }, [ctx.t("details.notALink", { url })]);
  return h(ctx.doc, "a", {
    href: safe, target: "_blank", rel: "noopener noreferrer", title: ctx.t("details.open", { name }),
  }, [url]);
}

/**
 * A button with an icon before its text.
 * @param {RenderContext} ctx
 * @param {string} icon the PrimeIcons class, "pi-copy"
 * @param {string} text
 * @param {import("./dom.js").Attrs} attrs
 */
export function iconButton(ctx, icon, text, attrs) {
  return h(ctx.doc, "button", { type: "button", class: "ab-button", ...attrs }, [
    h(ctx.doc, "i", { class: `pi ${icon}`, "aria-hidden": "true" }), ` ${text}`]);
}

/**
 * A labelled select; `selected` is chosen.
 * @param {RenderContext} ctx
 * @param {string} id
 * @param {string} label
 * @param {string} action
 * @param {{value: string, label: string}[]} options
 * @param {string} selected
 */
export function selectControl(ctx, id, label, action, options, selected) {
  const { doc } = ctx;
  const control = h(doc, "select", { id, class: "ab-select", "data-action": action, "aria-label": label },
    options.map((o) => h(doc, "option", { value: o.value, selected: o.value === selected }, [o.label])));
  control.value = selected;
  return control;
}
