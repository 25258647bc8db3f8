// Builders for the parts of the panel. They return detached elements and attach no
// listeners: the panel handles clicks by delegation on `data-action`, so the thousands of
// rows a scroll creates and drops carry no handlers to leak. Text goes in as text only.

import { h } from "./dom.js";
import { formatCount, gitCloneCommand, highlightInto, safeHttpUrl } from "./text.js";
import { hasFilters, KINDS, SORTS } from "./state.js";
import { plural } from "./i18n.js";

/** @typedef {import("./types.js").Resource} Resource */
/** @typedef {import("./types.js").SidebarState} SidebarState */

/**
 * What every builder needs.
 * @typedef {object} RenderContext
 * @property {Document} doc
 * @property {import("./types.js").Translate} t
 * @property {string} locale
 * @property {string[]} terms the search words to highlight
 * @property {(id: string) => string} categoryName
 * @property {boolean} showDescriptions
 */

/**
 * @param {RenderContext} ctx
 * @param {string} kind
 */
export function kindName(ctx, kind) {
  const name = ctx.t(`kinds.${kind}`);
  return name === `kinds.${kind}` ? kind : name;
}

/**
 * @param {RenderContext} ctx
 * @param {string} name
 * @param {boolean} on
 */
function starButton(ctx, name, on) {
  const label = ctx.t(on ? "favorite.remove" : "favorite.add", { name });
  return h(ctx.doc, "button", {
    type: "button", class: "ab-star", "data-action": "star", "aria-pressed": on ? "true" : "false",
    "aria-label": label, title: label,
  }, [h(ctx.doc, "i", { class: on ? "pi pi-star-fill" : "pi pi-star", "aria-hidden": "true" })]);
}

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
 * One row of the virtual list; `resource` is undefined while its page is loading.
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
  }, [title, meta, desc]);
  row.append(main, starButton(ctx, resource.name, Boolean(resource.favorite)));
  return row;
}

/**
 * @param {RenderContext} ctx
 * @param {string} label
 * @param {Node | string} value
 */
function field(ctx, label, value) {
  return [h(ctx.doc, "dt", {}, [label]), h(ctx.doc, "dd", {}, [value])];
}

/**
 * A link for http(s) URLs only; anything else is shown as text.
 * @param {RenderContext} ctx
 * @param {string} url
 * @param {string} name
 */
function linkOrText(ctx, url, name) {
  const safe = safeHttpUrl(url);
  if (!safe) return h(ctx.doc, "span", { class: "ab-unsafe-url" }, [ctx.t("details.notALink", { url })]);
  return h(ctx.doc, "a", {
    href: safe, target: "_blank", rel: "noopener noreferrer", title: ctx.t("details.open", { name }),
  }, [url]);
}

/**
 * The details pane for one resource.
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
  const description = h(doc, "p", { class: "ab-details-desc" }, [resource.description || none]);

  const tags = resource.tags.length
    ? h(doc, "span", { class: "ab-tags" }, resource.tags.map((tag) => h(doc, "button", {
      type: "button", class: "ab-chip", "data-action": "tag", "data-tag": tag,
    }, [tag])))
    : none;
  const safeUrl = safeHttpUrl(resource.url);
  // Optional fields that are not known are left out rather than shown as dashes.
  const fields = h(doc, "dl", { class: "ab-fields" }, [
    ...field(ctx, t("details.url"), linkOrText(ctx, resource.url, resource.name)),
    ...field(ctx, t("details.kind"), kindName(ctx, resource.kind)),
    ...field(ctx, t("details.category"), ctx.categoryName(resource.category)),
    ...(resource.author ? field(ctx, t("details.author"), resource.author) : []),
    ...(resource.license ? field(ctx, t("details.license"), resource.license) : []),
    ...(typeof resource.stars === "number" ? field(ctx, t("details.stars"), formatCount(resource.stars, ctx.locale)) : []),
    ...(resource.updated ? field(ctx, t("details.updated"), resource.updated) : []),
    ...field(ctx, t("details.source"), resource.source),
    ...field(ctx, t("details.tags"), tags),
  ]);
  const actions = h(doc, "div", { class: "ab-actions" }, [
    safeUrl && h(doc, "button", { type: "button", class: "ab-button", "data-action": "copy", "data-copy": safeUrl }, [
      h(doc, "i", { class: "pi pi-copy", "aria-hidden": "true" }), ` ${t("details.copyUrl")}`]),
    resource.source === "user" && h(doc, "button", { type: "button", class: "ab-button", "data-action": "edit" }, [
      h(doc, "i", { class: "pi pi-pencil", "aria-hidden": "true" }), ` ${t("details.edit")}`]),
    resource.source === "user" && h(doc, "button", { type: "button", class: "ab-button ab-danger", "data-action": "delete" }, [
      h(doc, "i", { class: "pi pi-trash", "aria-hidden": "true" }), ` ${t("details.delete")}`]),
  ]);
  /** @type {HTMLElement | null} */
  let install = null;
  const command = resource.kind === "node-pack" ? gitCloneCommand(resource) : "";
  if (command) {
    install = h(doc, "div", { class: "ab-install" }, [
      h(doc, "div", { class: "ab-install-label" }, [t("details.install")]),
      h(doc, "code", { class: "ab-command" }, [command]),
      h(doc, "div", { class: "ab-install-row" }, [
        h(doc, "small", { class: "ab-muted" }, [t("details.installHint")]),
        h(doc, "button", { type: "button", class: "ab-button", "data-action": "copy", "data-copy": command }, [
          h(doc, "i", { class: "pi pi-copy", "aria-hidden": "true" }), ` ${t("details.copyCommand")}`]),
      ]),
    ]);
  }
  return h(doc, "section", {
    class: "ab-details", "aria-labelledby": "ab-details-title", "data-id": resource.id,
  }, [header, description, install, fields, actions]);
}

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
  if (state.tags.length) parts.push(`${t("filters.tags")} ${state.tags.map((tag) => `“${tag}”`).join(", ")}`);
  if (state.favoritesOnly) parts.push(t("filters.favoritesOnly"));
  return parts.join(", ");
}

/**
 * Why nothing matched, with a way out.
 * @param {RenderContext} ctx
 * @param {SidebarState} state
 */
export function renderEmpty(ctx, state) {
  const { doc, t } = ctx;
  const q = state.q.trim();
  const filters = describeFilters(ctx, state);
  let reason;
  if (state.favoritesOnly && !q && !state.category && !state.kind && !state.tags.length) reason = t("empty.favorites");
  else if (q && filters) reason = t("empty.queryAndFilters", { q, filters });
  else if (q) reason = t("empty.query", { q });
  else if (filters) reason = t("empty.filters", { filters });
  else reason = t("empty.catalogue");
  return h(doc, "div", { class: "ab-empty", role: "status" }, [
    h(doc, "i", { class: "pi pi-search ab-empty-icon", "aria-hidden": "true" }),
    h(doc, "p", { class: "ab-empty-title" }, [t("empty.title")]),
    h(doc, "p", { class: "ab-empty-reason" }, [reason]),
    h(doc, "div", { class: "ab-actions" }, [
      hasFilters(state) && h(doc, "button", { type: "button", class: "ab-button", "data-action": "clear-filters" }, [t("empty.clearFilters")]),
      q && h(doc, "button", { type: "button", class: "ab-button", "data-action": "clear-search" }, [t("empty.clearSearch")]),
    ]),
  ]);
}

/**
 * The message shown instead of the list when the catalogue cannot be fetched.
 * @param {RenderContext} ctx
 * @param {{status?: number, message?: string}} error
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
    h(doc, "button", { type: "button", class: "ab-button", "data-action": "retry" }, [
      h(doc, "i", { class: "pi pi-refresh", "aria-hidden": "true" }), ` ${t("error.retry")}`]),
  ]);
}

/**
 * The collapsible list of data problems, or null when the data is clean.
 * @param {RenderContext} ctx
 * @param {import("./types.js").SourcesInfo} info
 * @param {boolean} open
 */
export function renderProblems(ctx, info, open) {
  const { doc, t } = ctx;
  const failed = (info.sources ?? []).filter((s) => s.error);
  const count = (info.problem_count ?? 0) + failed.length;
  if (count === 0) return null;
  const items = [
    ...failed.map((s) => h(doc, "li", {}, [t("problems.sourceFailed", { name: s.name, error: String(s.error) })])),
    ...(info.problems ?? []).map((p) => h(doc, "li", {}, [
      h(doc, "span", { class: "ab-muted" }, [p.line === null ? p.file : t("problems.where", { file: p.file, line: p.line })]),
      ` ${p.field}: ${p.message}`,
    ])),
  ];
  const hidden = (info.problem_count ?? 0) - (info.problems ?? []).length;
  if (hidden > 0) items.push(h(doc, "li", { class: "ab-muted" }, [t("problems.more", { count: hidden })]));
  return h(doc, "details", { class: "ab-problems", open }, [
    h(doc, "summary", {}, [plural(t, "problems.summary", count)]),
    h(doc, "ul", {}, items),
  ]);
}

/**
 * @param {RenderContext} ctx
 * @param {string} id
 * @param {string} label
 * @param {string} action
 * @param {{value: string, label: string}[]} options
 * @param {string} selected
 */
function select(ctx, id, label, action, options, selected) {
  const { doc } = ctx;
  const control = h(doc, "select", { id, class: "ab-select", "data-action": action, "aria-label": label },
    options.map((o) => h(doc, "option", { value: o.value, selected: o.value === selected }, [o.label])));
  control.value = selected;
  return control;
}

/**
 * The sort select.
 * @param {RenderContext} ctx
 * @param {string} sort
 */
export function renderSort(ctx, sort) {
  return select(ctx, "ab-sort", ctx.t("sort.label"), "sort",
    SORTS.map((value) => ({ value, label: ctx.t(`sort.${value}`) })), sort);
}

/**
 * Category and kind selects and tag chips, each choice with its count. Counts come from
 * the server, which counts each facet over the other filters so choices stay visible.
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
      select(ctx, "ab-category", t("filters.category"), "category",
        [{ value: "", label: t("filters.anyCategory") }, ...categoryOptions], state.category),
      select(ctx, "ab-kind", t("filters.kind"), "kind",
        [{ value: "", label: t("filters.anyKind") }, ...kindOptions], state.kind),
    ]),
    tags.length > 0 && h(doc, "div", { class: "ab-tags ab-tag-facet", role: "group", "aria-label": t("filters.tags") },
      tags.map(([tag, count]) => h(doc, "button", {
        type: "button", class: "ab-chip", "data-action": "tag", "data-tag": tag,
        "aria-pressed": state.tags.includes(tag) ? "true" : "false",
      }, [t("filters.tagCount", { tag, count })]))),
  ]);
}
