// Builders for the parts of the panel. They return detached elements and attach no
// listeners: the panel handles clicks by delegation on `data-action`, so the thousands of
// rows a scroll creates and drops carry no handlers to leak. Text goes in as text only.

import { h } from "./dom.js";
import { formatCount, formatNumber, formatWhen, gitCloneCommand, highlightInto, safeHttpUrl } from "./text.js";
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
 * @property {(url: string) => import("./types.js").LinkStatus | undefined} [linkStatus] the cached link check, if any
 * @property {(id: string) => boolean} [checkingLink] whether a link check of this resource is running
 */

/** The sources a user can switch on and refresh (nodes/settings.py OPTIONAL_SOURCES). */
export const OPTIONAL_SOURCES = /** @type {const} */ (["manager", "registry"]);
const LINK_STATES = ["alive", "redirected", "dead", "blocked", "error"];

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

/** @param {RenderContext} ctx */
function installedBadge(ctx) {
  return h(ctx.doc, "span", { class: "ab-badge ab-installed", title: ctx.t("installed.title") }, [
    h(ctx.doc, "i", { class: "pi pi-check-circle", "aria-hidden": "true" }), ` ${ctx.t("installed.badge")}`]);
}

/**
 * The state of a link check as a small badge; in rows an alive link is only an icon.
 * @param {RenderContext} ctx
 * @param {import("./types.js").LinkStatus | undefined} link undefined: never checked
 * @param {boolean} compact
 */
export function linkBadge(ctx, link, compact) {
  const { doc, t } = ctx;
  const state = link && LINK_STATES.includes(link.state) ? link.state : "unchecked";
  const label = t(`links.${state}`);
  const when = link?.checked_at ? formatWhen(link.checked_at, ctx.locale) : "";
  const title = link && when ? t("links.rowTitle", { state: label, date: when }) : t(`links.${state}Hint`);
  const icon = { alive: "pi-check", redirected: "pi-arrow-right", dead: "pi-times-circle", blocked: "pi-ban",
    error: "pi-question-circle", unchecked: "pi-minus-circle" }[state];
  if (compact && state === "alive") {
    return h(doc, "span", { class: "ab-badge ab-health ab-link-alive ab-badge-icon", title }, [
      h(doc, "i", { class: `pi ${icon}`, "aria-hidden": "true" }), h(doc, "span", { class: "ab-visually-hidden" }, [label])]);
  }
  return h(doc, "span", { class: `ab-badge ab-health ab-link-${state}`, title }, [
    h(doc, "i", { class: `pi ${icon}`, "aria-hidden": "true" }), ` ${label}`]);
}

/**
 * The "Link health" line of the details: the verdict, when, where it leads, and a button.
 * @param {RenderContext} ctx
 * @param {Resource} resource
 */
function linkHealth(ctx, resource) {
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
  // Under the title, not beside it: the sidebar is too narrow for both on one line.
  const badges = resource.installed === true ? h(doc, "div", { class: "ab-details-badges" }, [installedBadge(ctx)]) : null;
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
    ...field(ctx, t("links.title"), linkHealth(ctx, resource)),
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
  }, [header, badges, description, install, fields, actions]);
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
  if (state.installedOnly) parts.push(t("filters.installedOnly"));
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
  const onlyToggle = !q && !state.category && !state.kind && !state.tags.length;
  if (state.favoritesOnly && onlyToggle) reason = t("empty.favorites");
  else if (state.installedOnly && onlyToggle) reason = t("empty.installed");
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
 * A source's name in the user's language ("manager" → "ComfyUI-Manager database").
 * @param {Pick<RenderContext, "t">} ctx
 * @param {string} name
 */
export function sourceName(ctx, name) {
  const key = `sources.names.${name}`;
  const label = ctx.t(key);
  return label === key ? name : label;
}

/**
 * "6,445 resources · 25 problems" for a loaded source.
 * @param {RenderContext} ctx
 * @param {import("./types.js").SourceStatus} status
 */
function sourceCounts(ctx, status) {
  const parts = [plural(ctx.t, "sources.count", status.resources, { count: formatNumber(status.resources, ctx.locale) })];
  if (status.problems > 0) parts.push(plural(ctx.t, "sources.problems", status.problems, { count: formatNumber(status.problems, ctx.locale) }));
  return parts.join(" · ");
}

/**
 * @param {RenderContext} ctx
 * @param {import("./types.js").SourceStatus} status
 */
function sourceError(ctx, status) {
  return status.error ? h(ctx.doc, "div", { class: "ab-source-error", role: "note" }, [ctx.t("sources.error", { error: String(status.error) })]) : null;
}

/**
 * One optional source: its switch, counts, where it reads from, and its Refresh button.
 * @param {RenderContext} ctx
 * @param {import("./types.js").OptionalSource} name
 * @param {import("./types.js").SourcesInfo} info
 * @param {{busy: ReadonlySet<string>, refreshing: ReadonlySet<string>}} view
 */
function optionalSource(ctx, name, info, view) {
  const { doc, t } = ctx;
  const setting = info.settings?.[name];
  const enabled = setting?.enabled === true;
  const status = info.sources.find((s) => s.name === name);
  const label = sourceName(ctx, name);
  const refreshing = view.refreshing.has(name);
  const toggle = h(doc, "input", {
    type: "checkbox", role: "switch", id: `ab-source-${name}`, class: "ab-switch-input", "data-action": "source-toggle",
    "data-source": name, checked: enabled, "aria-describedby": `ab-source-${name}-info`,
    // Not `disabled` while it is saved: that would throw the keyboard focus out of the panel.
    "aria-disabled": view.busy.has(name) ? "true" : false, "aria-busy": view.busy.has(name) ? "true" : false,
  });
  toggle.checked = enabled;
  const target = info.refresh?.[name];
  let from = "";
  if (target === null) from = setting?.folder ? t("sources.fromFolder", { folder: setting.folder }) : t("sources.fromInstalled");
  else if (typeof target === "string" && target) from = t("sources.fromUrl", { url: target });
  let counts = t("sources.off");
  if (enabled && status) counts = status.resources === 0 && !status.error ? t("sources.notFetched") : sourceCounts(ctx, status);
  return h(doc, "li", { class: `ab-source ab-source-optional${enabled ? " ab-source-on" : ""}`, "data-source": name }, [
    h(doc, "div", { class: "ab-source-head" }, [
      h(doc, "label", { class: "ab-switch", for: `ab-source-${name}` }, [toggle,
        h(doc, "span", { class: "ab-switch-track", "aria-hidden": "true" }),
        h(doc, "span", { class: "ab-source-name" }, [label])]),
      // An icon button (the sidebar is narrow); its name says what it does, and while it runs
      // it is disabled, spins and says so.
      h(doc, "button", {
        type: "button", class: "ab-icon-button", "data-action": "source-refresh", "data-source": name,
        disabled: refreshing, "aria-busy": refreshing ? "true" : false, "aria-label": t("sources.refreshLabel", { name: label }),
        title: t(refreshing ? "sources.refreshing" : "sources.refreshLabel", { name: label }),
      }, [h(doc, "i", { class: refreshing ? "pi pi-spin pi-spinner" : "pi pi-refresh", "aria-hidden": "true" })]),
    ]),
    h(doc, "div", { class: "ab-source-info ab-muted", id: `ab-source-${name}-info` }, [counts]),
    from && h(doc, "div", { class: "ab-source-from ab-muted" }, [from]),
    enabled && status ? sourceError(ctx, status) : null,
  ]);
}

/**
 * The collapsible list of sources: each loaded source with its count, problems and error,
 * and a switch and a Refresh button for each optional one.
 * @param {RenderContext} ctx
 * @param {import("./types.js").SourcesInfo} info
 * @param {{open: boolean, busy: ReadonlySet<string>, refreshing: ReadonlySet<string>}} view
 */
export function renderSources(ctx, info, view) {
  const { doc, t } = ctx;
  // Servers without the switches send no settings: their sources are then listed as they are.
  const switchable = OPTIONAL_SOURCES.filter((name) => info.settings?.[name]);
  const fixed = (info.sources ?? []).filter((s) => !(/** @type {readonly string[]} */ (switchable)).includes(s.name));
  const items = [
    ...fixed.map((status) => h(doc, "li", { class: "ab-source", "data-source": status.name }, [
      h(doc, "div", { class: "ab-source-head" }, [
        h(doc, "span", { class: "ab-source-name" }, [sourceName(ctx, status.name)]),
        h(doc, "span", { class: "ab-source-info ab-muted" }, [sourceCounts(ctx, status)])]),
      sourceError(ctx, status),
    ])),
    ...switchable.map((name) => optionalSource(ctx, name, info, view)),
  ];
  const total = info.resources ?? 0;
  return h(doc, "details", { class: "ab-sources", open: view.open }, [
    h(doc, "summary", {}, [plural(t, "sources.summary", total, { count: formatNumber(total, ctx.locale) })]),
    h(doc, "ul", { class: "ab-source-list", "aria-label": t("sources.title") }, items),
    switchable.length > 0 && h(doc, "p", { class: "ab-muted ab-source-hint" }, [t("sources.hint")]),
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
