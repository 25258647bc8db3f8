// What the sidebar shows about installing: the details' Install box (the ComfyUI-Manager
// actions, or the commands to run without one), a row's compact action, the confirmation
// over the panel, the bar that follows a job and asks for the restart, and the Manager's line
// in the Sources section. Builders only: panel_manager_actions.js handles their clicks.

import { h } from "./dom.js";
import { gitCloneCommand, safeHttpUrl } from "./text.js";
import { gitUrl, modelFolder, packActions } from "./manager_packs.js";
import { isActive } from "./manager_queue.js";
import { iconButton, linkOrText } from "./render_common.js";

/** @typedef {import("./render_common.js").RenderContext} RenderContext */
/** @typedef {import("./types.js").Resource} Resource */
/** @typedef {import("./types.js").ManagerKind} ManagerKind */

const ICONS = /** @type {const} */ ({ install: "pi-download", enable: "pi-power-off", update: "pi-sync", download: "pi-download" });

/** A Manager that can act from the page. @param {RenderContext} ctx */
const managerOn = (ctx) => Boolean(ctx.manager?.info && ctx.manager.info.api !== "none");

/**
 * The Manager's actions for a resource now (none while its job runs elsewhere).
 * @param {RenderContext} ctx
 * @param {Resource} resource
 * @returns {ManagerKind[]}
 */
export function actionsFor(ctx, resource) {
  if (!managerOn(ctx)) return [];
  return packActions(resource, ctx.manager?.records[resource.id]);
}

/**
 * A job of the Manager's for this resource, if the last one was.
 * @param {RenderContext} ctx
 * @param {Resource} resource
 */
const jobFor = (ctx, resource) => (ctx.manager?.job?.resourceId === resource.id ? ctx.manager.job : null);

/**
 * One action's button. `compact`: an icon only (rows), out of the tab order.
 * @param {RenderContext} ctx
 * @param {ManagerKind} kind
 * @param {Resource} resource
 * @param {boolean} compact
 */
export function actionButton(ctx, kind, resource, compact) {
  const { doc, t } = ctx;
  const job = ctx.manager?.job ?? null;
  const mine = isActive(job) && job?.resourceId === resource.id;
  const label = t(`manager.${kind}Label`, { name: resource.name });
  // A Manager that calls this ComfyUI too old refuses every queued action; only its git-URL
  // route (a pack it does not list) may still work, so only that stays clickable.
  const blocked = blockedByManager(ctx, kind, resource);
  const attrs = {
    type: "button", "data-action": "manager", "data-kind": kind, "data-id": resource.id, "aria-label": label,
    title: blocked ? t("manager.security.outdated") : label,
    // Not `disabled` while busy: that would throw the keyboard focus out of the panel.
    "aria-disabled": isActive(job) || blocked ? "true" : false, "aria-busy": mine ? "true" : false,
  };
  const icon = h(doc, "i", { class: mine ? "pi pi-spin pi-spinner" : `pi ${ICONS[kind]}`, "aria-hidden": "true" });
  if (compact) return h(doc, "button", { ...attrs, class: "ab-row-action", tabindex: "-1" }, [icon]);
  return h(doc, "button", { ...attrs, class: "ab-button ab-primary" }, [icon, ` ${t(`manager.${kind}`)}`]);
}

/**
 * Whether the Manager is known to refuse `kind` for `resource` before anything is sent.
 * @param {RenderContext} ctx
 * @param {ManagerKind} kind
 * @param {Resource} resource
 */
export function blockedByManager(ctx, kind, resource) {
  if (!ctx.manager?.info?.outdated) return false;
  return kind !== "install" || ctx.manager.records[resource.id] !== undefined;
}

/**
 * A row's compact action (Install or Enable), when a Manager is here and the row has room.
 * @param {RenderContext} ctx
 * @param {Resource} resource
 */
export function rowAction(ctx, resource) {
  const kind = actionsFor(ctx, resource)[0];
  return kind ? actionButton(ctx, kind, resource, true) : null;
}

/**
 * A command to copy, with its button.
 * @param {RenderContext} ctx
 * @param {string} command
 */
function commandBox(ctx, command) {
  const { doc, t } = ctx;
  return h(doc, "div", { class: "ab-command-row" }, [
    h(doc, "code", { class: "ab-command" }, [command]),
    iconButton(ctx, "pi-copy", t("details.copyCommand"), { class: "ab-button ab-small", "data-action": "copy", "data-copy": command }),
  ]);
}

/**
 * The commands to install a node pack by hand: git clone, and comfy-cli with a Registry id.
 * @param {RenderContext} ctx
 * @param {Resource} resource
 */
function commands(ctx, resource) {
  // A Registry page is no repository: no clone command for it.
  const page = /^https:\/\/registry\.comfy\.org\//;
  const from = [resource.files?.[0], resource.install_url, resource.url].find((url) => url && !page.test(url)) ?? "";
  const clone = gitCloneCommand({ url: from });
  // Only a Registry id: comfy-cli installs by it (the Manager's own ids are not Registry ids).
  const registry = resource.install_type === "cnr" || resource.source === "registry";
  const id = registry && resource.pack_id && /^[a-z0-9][a-z0-9._-]*$/i.test(resource.pack_id) ? resource.pack_id : "";
  return [clone ? commandBox(ctx, clone) : null, id ? commandBox(ctx, `comfy node install ${id}`) : null]
    .filter((c) => c !== null);
}

/**
 * The line under the actions: the state the Manager reports, or how the last job went.
 * @param {RenderContext} ctx
 * @param {Resource} resource
 */
function stateLine(ctx, resource) {
  const { doc, t } = ctx;
  const job = jobFor(ctx, resource);
  const say = (/** @type {string} */ text, /** @type {string} */ tone = "ab-muted") => h(doc, "p", { class: `ab-install-state ${tone}`, role: "status" }, [text]);
  if (job && isActive(job)) {
    return h(doc, "p", { class: "ab-install-state", role: "status" }, [
      h(doc, "i", { class: "pi pi-spin pi-spinner", "aria-hidden": "true" }), ` ${t(`manager.job.${job.kind}`, { name: resource.name })}`]);
  }
  if (job?.phase === "refused") return say(t(`manager.security.${job.refusal}`, { status: job.status, message: job.message }), "ab-install-error");
  if (job?.phase === "failed") return say(`${t(`manager.failed.${job.kind}`, { name: resource.name })}: ${job.message}`, "ab-install-error");
  if ((job?.phase === "done" || job?.phase === "finished") && job.kind !== "download") return say(t("manager.restartHint"));
  if (job?.phase === "done") return say(t("manager.savedInto", { folder: job.target }));
  // A Manager that blocks every install says so before a click, not only after.
  if (ctx.manager?.info?.outdated) return say(t("manager.security.outdated"), "ab-install-error");
  const record = ctx.manager?.records[resource.id];
  if (resource.kind === "node-pack" && record === undefined && ctx.manager?.list === "loading") return say(t("manager.checkingPack"));
  if (record?.importFailed) return say(t("manager.importFailed"), "ab-install-error");
  if (record?.state === "installed" || (!record && resource.installed && !resource.disabled)) return say(t("manager.upToDate"));
  return null;
}

/**
 * The details' Install box: the Manager's actions with what they do, or the commands to run.
 * @param {RenderContext} ctx
 * @param {Resource} resource
 */
export function renderInstall(ctx, resource) {
  const { doc, t } = ctx;
  const model = resource.model_file;
  if (resource.kind !== "node-pack" && !model) return null;
  const byHand = resource.kind === "node-pack" ? commands(ctx, resource) : [];
  const folder = model ? modelFolder(model) : "";
  const destination = model && h(doc, "p", { class: "ab-install-where" }, [
    t("manager.destination", { folder, file: model.filename })]);
  if (!managerOn(ctx)) {
    if (byHand.length === 0 && !model) return null;
    const url = model ? safeHttpUrl(model.url) : null;
    return h(doc, "div", { class: "ab-install" }, [
      h(doc, "div", { class: "ab-install-label" }, [t("details.install")]),
      destination, url && h(doc, "p", { class: "ab-install-where" }, [linkOrText(ctx, url, model?.filename ?? "")]),
      ...byHand,
      h(doc, "small", { class: "ab-muted" }, [t(model ? "manager.noneModel" : "details.installHint")]),
    ]);
  }
  const kinds = actionsFor(ctx, resource);
  const info = ctx.manager?.info;
  return h(doc, "div", { class: "ab-install" }, [
    h(doc, "div", { class: "ab-install-label" }, [t("details.install")]),
    kinds.length > 0 && h(doc, "div", { class: "ab-install-actions" }, kinds.map((kind) => actionButton(ctx, kind, resource, false))),
    destination,
    stateLine(ctx, resource),
    h(doc, "small", { class: "ab-muted ab-install-via" }, [t("manager.via", { version: info?.version ?? "" })]),
    byHand.length > 0 && h(doc, "details", { class: "ab-by-hand", open: info?.outdated === true }, [h(doc, "summary", {}, [t("manager.byHand")]), ...byHand,
      h(doc, "small", { class: "ab-muted" }, [t("details.installHint")])]),
  ]);
}

/**
 * The confirmation over the panel: what will happen, from where to where, and the version.
 * @param {RenderContext} ctx
 * @param {import("./types.js").Confirm} confirm
 */
export function renderConfirm(ctx, confirm) {
  const { doc, t } = ctx;
  const name = confirm.resource?.name ?? "";
  const plan = confirm.plan;
  /** @type {(Node | string | null | false)[]} */
  const body = [];
  if (confirm.phase === "loading") {
    body.push(h(doc, "p", { role: "status" }, [h(doc, "i", { class: "pi pi-spin pi-spinner", "aria-hidden": "true" }), ` ${t("manager.preparing")}`]));
  } else if (confirm.phase === "error") {
    body.push(h(doc, "p", { class: "ab-install-error", role: "alert", id: "ab-confirm-what" }, [confirm.error]));
  } else if (confirm.kind === "restart") {
    body.push(h(doc, "p", { id: "ab-confirm-what" }, [t("manager.confirm.restart")]));
  } else if (plan) {
    const source = plan.source || (confirm.resource ? gitUrl(confirm.resource) : "");
    const what = {
      clone: t("manager.confirm.clone", { url: source, folder: plan.target }),
      registry: t("manager.confirm.registry", { id: plan.registryId ?? "", folder: plan.target }),
      enable: t("manager.confirm.enable", { folder: plan.target }),
      update: t("manager.confirm.update"),
      download: t("manager.confirm.download", { file: String(confirm.resource?.model_file?.filename ?? ""), folder: plan.target }),
    }[plan.what];
    body.push(h(doc, "dl", { class: "ab-fields" }, [
      h(doc, "dt", {}, [t("manager.source")]), h(doc, "dd", {}, [source ? linkOrText(ctx, source, name) : t("details.none")]),
      h(doc, "dt", {}, [t("manager.target")]), h(doc, "dd", {}, [h(doc, "code", {}, [plan.target])]),
    ]));
    body.push(h(doc, "p", { id: "ab-confirm-what" }, [what]));
    if (plan.versions.length > 0) {
      const select = h(doc, "select", { id: "ab-confirm-version", class: "ab-select", "data-action": "confirm-version" }, [
        h(doc, "option", { value: "" }, [t("manager.latest")]),
        ...plan.versions.slice(0, 50).map((v) => h(doc, "option", { value: v }, [v]))]);
      select.value = confirm.version;
      body.push(h(doc, "div", { class: "ab-field" }, [h(doc, "label", { for: "ab-confirm-version" }, [t("manager.version")]), select]));
    }
  }
  const go = confirm.phase === "ready" && h(doc, "button", {
    type: "button", class: "ab-button ab-primary", "data-action": "confirm-go",
  }, [t(confirm.kind === "restart" ? "manager.restartButton" : `manager.${confirm.kind}`)]);
  return h(doc, "div", { class: "ab-confirm-layer" }, [
    h(doc, "div", {
      class: "ab-confirm", role: "alertdialog", "aria-modal": "true", "aria-labelledby": "ab-confirm-title",
      "aria-describedby": confirm.phase === "loading" ? false : "ab-confirm-what",
    }, [
      h(doc, "h3", { class: "ab-confirm-title", id: "ab-confirm-title" }, [t(`manager.confirm.${confirm.kind}Title`, { name })]),
      ...body,
      h(doc, "div", { class: "ab-actions" }, [go,
        h(doc, "button", { type: "button", class: "ab-button", "data-action": "confirm-cancel" }, [t("form.cancel")])]),
    ]),
  ]);
}

/**
 * The bar under the search while a job runs, and when ComfyUI must restart; null otherwise.
 * @param {RenderContext} ctx
 */
export function renderManagerBar(ctx) {
  const { doc, t } = ctx;
  const job = ctx.manager?.job ?? null;
  const restart = ctx.manager?.restart ?? "none";
  const spinner = () => h(doc, "i", { class: "pi pi-spin pi-spinner", "aria-hidden": "true" });
  if (job && isActive(job)) {
    return h(doc, "div", { class: "ab-manager-bar", role: "status" }, [spinner(),
      h(doc, "span", {}, [t(`manager.job.${job.kind}`, { name: job.name })])]);
  }
  if (restart === "restarting") {
    return h(doc, "div", { class: "ab-manager-bar", role: "status" }, [spinner(), h(doc, "span", {}, [t("manager.restarting")])]);
  }
  if (restart === "needed" || restart === "back") {
    const back = restart === "back";
    return h(doc, "div", { class: "ab-manager-bar ab-manager-restart", role: "status" }, [
      h(doc, "i", { class: `pi ${back ? "pi-check-circle" : "pi-exclamation-circle"}`, "aria-hidden": "true" }),
      h(doc, "span", {}, [t(back ? "manager.backHint" : "manager.restartNeeded")]),
      iconButton(ctx, back ? "pi-refresh" : "pi-power-off", t(back ? "manager.reload" : "manager.restartButton"),
        { class: "ab-button ab-small ab-primary", "data-action": back ? "manager-reload" : "manager-restart" }),
    ]);
  }
  return null;
}

/**
 * The Manager's line in the Sources section: which one installs from the sidebar, if any.
 * @param {RenderContext} ctx
 * @param {import("./types.js").ManagerInfo | null} info
 */
export function managerLine(ctx, info) {
  const { doc, t } = ctx;
  const text = !info ? t("manager.looking") : info.api === "none" ? t("manager.none")
    : info.outdated ? t("manager.outdatedLine", { version: info.version }) : t("manager.inUse", { version: info.version });
  return h(doc, "li", { class: "ab-source ab-source-installer", "data-source": "installer" }, [
    h(doc, "div", { class: "ab-source-head" }, [
      h(doc, "span", { class: "ab-source-name" }, [t("manager.installer")]),
      h(doc, "span", { class: "ab-source-info ab-muted" }, [info && info.api !== "none" ? info.version : "—"])]),
    h(doc, "div", { class: "ab-source-from ab-muted" }, [text]),
  ]);
}
