// The data problems and the Sources section: each source's counts and errors, and a switch
// and a Refresh button for each optional source.

import { h } from "./dom.js";
import { formatNumber } from "./text.js";
import { plural, translated } from "./i18n.js";
import { OPTIONAL_SOURCES } from "./constants.js";
import { managerLine } from "./render_install.js";

/** @typedef {import("./render_common.js").RenderContext} RenderContext */
/** @typedef {import("./types.js").SourcesInfo} SourcesInfo */
/** @typedef {import("./types.js").SourceStatus} SourceStatus */

/**
 * The collapsible list of data problems, or null when the data is clean.
 * @param {RenderContext} ctx
 * @param {SourcesInfo} info
 * @param {boolean} open
 */
export function renderProblems(ctx, info, open) {
  const { doc, t } = ctx;
  // An optional source's failure shows in its state in the Sources section instead.
  const stated = Object.keys(info.states ?? {});
  const failed = (info.sources ?? []).filter((s) => s.error && !stated.includes(s.name));
  const count = (info.problem_count ?? 0) + failed.length;
  if (count === 0) return null;
  const items = [
    ...failed.map((s) => h(doc, "li", {}, [t("problems.sourceFailed", { name: sourceName(ctx, s.name), error: String(s.error) })])),
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
  return translated(ctx.t, "sources.names", name) ?? name;
}

/**
 * "6,445 resources · 25 problems" for a loaded source.
 * @param {Pick<RenderContext, "t" | "locale">} ctx
 * @param {SourceStatus} status
 */
function sourceCounts(ctx, status) {
  const parts = [plural(ctx.t, "sources.count", status.resources, { count: formatNumber(status.resources, ctx.locale) })];
  if (status.problems > 0) parts.push(plural(ctx.t, "sources.problems", status.problems, { count: formatNumber(status.problems, ctx.locale) }));
  return parts.join(" · ");
}

/**
 * @param {RenderContext} ctx
 * @param {SourceStatus} status
 */
function sourceError(ctx, status) {
  return status.error ? h(ctx.doc, "div", { class: "ab-source-error", role: "note" }, [ctx.t("sources.error", { error: String(status.error) })]) : null;
}

/**
 * Where an optional source reads from: a folder, an installed ComfyUI-Manager, or a URL.
 * @param {RenderContext} ctx
 * @param {import("./types.js").OptionalSource} name
 * @param {SourcesInfo} info
 */
function sourceFrom(ctx, name, info) {
  const target = info.refresh?.[name];
  const folder = info.settings?.[name]?.folder;
  if (target === null) return folder ? ctx.t("sources.fromFolder", { folder }) : ctx.t("sources.fromInstalled");
  return typeof target === "string" && target ? ctx.t("sources.fromUrl", { url: target }) : "";
}

/**
 * What an optional source is doing, in words: off; reading; on with N entries; nothing to
 * read yet; failed, with the reason and what to do. Servers without `states` get the counts.
 * @param {Pick<RenderContext, "t" | "locale">} ctx
 * @param {import("./types.js").OptionalSource} name
 * @param {SourcesInfo} info
 * @param {boolean} busy its switch is being saved
 * @returns {{text: string, tone: "" | "warn" | "error"}}
 */
export function sourceStateText(ctx, name, info, busy) {
  const { t } = ctx;
  const enabled = info.settings?.[name]?.enabled === true;
  const state = info.states?.[name];
  const status = info.sources.find((s) => s.name === name);
  if (!state) {
    if (!enabled || !status) return { text: t("sources.off"), tone: "" };
    return { text: status.resources === 0 && !status.error ? t("sources.notFetched") : sourceCounts(ctx, status), tone: "" };
  }
  // Switched on, but the sources not yet asked again (or off, being switched on): reading.
  if (busy || (enabled && state.state === "off")) return { text: t("sources.reading"), tone: "" };
  if (state.state === "off") return { text: t("sources.off"), tone: "" };
  if (state.state === "on") {
    const count = formatNumber(state.resources, ctx.locale);
    return { text: plural(t, "sources.on", state.resources, { count }), tone: "" };
  }
  if (state.state === "missing") return { text: translated(t, "sources.missing", name) ?? "", tone: "warn" };
  const fix = translated(t, "sources.fix", name);
  return { text: [t("sources.failed", { error: state.detail }), fix].filter(Boolean).join(" "), tone: "error" };
}

/**
 * The toast that follows switching a source on, from the sources as read afterwards: a
 * success only when entries were read.
 * @param {Pick<RenderContext, "t" | "locale">} ctx
 * @param {import("./types.js").OptionalSource} name
 * @param {SourcesInfo} info
 * @returns {{severity: "success" | "error" | "info", summary: string, detail: string}}
 */
export function switchedOnToast(ctx, name, info) {
  const state = info.states?.[name];
  const label = sourceName(ctx, name);
  const text = sourceStateText(ctx, name, info, false).text;
  if (!state || state.state === "on") return { severity: "success", summary: ctx.t("sources.turnedOn", { name: label }), detail: text };
  return { severity: state.state === "failed" ? "error" : "info", summary: label, detail: text };
}

/**
 * "25 entries skipped in ComfyUI-Manager's data", with the details behind a toggle: upstream
 * data the user cannot fix, for curators; null when none were skipped.
 * @param {RenderContext} ctx
 * @param {import("./types.js").OptionalSource} name
 * @param {SourcesInfo} info
 */
function skippedEntries(ctx, name, info) {
  const { doc, t } = ctx;
  const skipped = info.states?.[name]?.state === "on" ? info.states[name]?.skipped ?? 0 : 0;
  if (skipped <= 0) return null;
  const listed = (info.upstream_problems ?? []).filter((p) => p.source === name);
  const items = listed.map((p) => h(doc, "li", {}, [
    h(doc, "span", { class: "ab-muted" }, [p.line === null ? p.file : t("problems.where", { file: p.file, line: p.line })]),
    ` ${p.field}: ${p.message}`,
  ]));
  if (skipped > listed.length) items.push(h(doc, "li", {}, [t("problems.more", { count: skipped - listed.length })]));
  const count = formatNumber(skipped, ctx.locale);
  return h(doc, "details", { class: "ab-source-skipped ab-muted" }, [
    h(doc, "summary", {}, [plural(t, "sources.skipped", skipped, { count, name: sourceName(ctx, name) })]),
    h(doc, "p", {}, [t("sources.skippedHint")]),
    h(doc, "ul", {}, items),
  ]);
}

/**
 * The folder ComfyUI-Manager's database is read from; empty: an installed Manager, or a download.
 * @param {RenderContext} ctx
 * @param {SourcesInfo} info
 * @param {boolean} busy
 */
function folderField(ctx, info, busy) {
  const { doc, t } = ctx;
  const id = "ab-source-manager-folder";
  const input = h(doc, "input", {
    type: "text", id, class: "ab-source-folder-input", "data-action": "source-folder", "data-source": "manager",
    value: info.settings?.manager?.folder ?? "", placeholder: t("sources.folderPlaceholder"), spellcheck: "false",
    autocomplete: "off", "aria-describedby": `${id}-hint`, "aria-disabled": busy ? "true" : false,
  });
  return h(doc, "div", { class: "ab-source-folder" }, [
    h(doc, "label", { for: id }, [t("sources.folder")]),
    input,
    h(doc, "div", { class: "ab-muted", id: `${id}-hint` }, [t("sources.folderHint")]),
  ]);
}

/**
 * One optional source: its switch, state, where it reads from, and its Refresh button.
 * @param {RenderContext} ctx
 * @param {import("./types.js").OptionalSource} name
 * @param {SourcesInfo} info
 * @param {{busy: readonly string[], refreshing: readonly string[]}} view
 */
function optionalSource(ctx, name, info, view) {
  const { doc, t } = ctx;
  const enabled = info.settings?.[name]?.enabled === true;
  const status = info.sources.find((s) => s.name === name);
  const label = sourceName(ctx, name);
  const refreshing = view.refreshing.includes(name);
  const busy = view.busy.includes(name);
  const toggle = h(doc, "input", {
    type: "checkbox", role: "switch", id: `ab-source-${name}`, class: "ab-switch-input", "data-action": "source-toggle",
    "data-source": name, checked: enabled, "aria-describedby": `ab-source-${name}-info`,
    // Not `disabled` while it is saved: that would throw the keyboard focus out of the panel.
    "aria-disabled": busy ? "true" : false, "aria-busy": busy ? "true" : false,
  });
  toggle.checked = enabled;
  const from = sourceFrom(ctx, name, info);
  const state = sourceStateText(ctx, name, info, busy);
  const tone = state.tone ? ` ab-source-${state.tone}` : " ab-muted";
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
    h(doc, "div", { class: `ab-source-info${tone}`, id: `ab-source-${name}-info`, role: "status" }, [state.text]),
    from && h(doc, "div", { class: "ab-source-from ab-muted" }, [from]),
    !info.states && enabled && status ? sourceError(ctx, status) : null,
    skippedEntries(ctx, name, info),
    name === "manager" && info.settings?.manager ? folderField(ctx, info, busy) : null,
  ]);
}

/**
 * The collapsible list of sources.
 * @param {RenderContext} ctx
 * @param {SourcesInfo} info
 * @param {{open: boolean, busy: readonly string[], refreshing: readonly string[],
 *   installer?: import("./types.js").ManagerInfo | null}} view `installer`: the ComfyUI-Manager that installs from here (undefined: not shown)
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
    view.installer !== undefined && managerLine(ctx, view.installer),
  ].filter((item) => item !== false);
  const total = info.resources ?? 0;
  return h(doc, "details", { class: "ab-sources", open: view.open }, [
    h(doc, "summary", {}, [plural(t, "sources.summary", total, { count: formatNumber(total, ctx.locale) })]),
    h(doc, "ul", { class: "ab-source-list", "aria-label": t("sources.title") }, items),
    switchable.length > 0 && h(doc, "p", { class: "ab-muted ab-source-hint" }, [t("sources.hint")]),
  ]);
}
