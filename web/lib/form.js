// The small form for the user's own entries. The server is the judge of what is valid
// (nodes/core/validate.py); its problems are shown next to the fields they name. The URL
// comes first: https:// is added when no scheme is typed, and a name is proposed from it.

import { h } from "./dom.js";
import { KINDS, MAX_DESCRIPTION, MAX_NAME, USER_CATEGORY } from "./constants.js";
import { kindName } from "./render_common.js";
import { safeHttpUrl } from "./text.js";

/** @typedef {import("./types.js").Resource} Resource */
/** @typedef {import("./types.js").Problem} Problem */

export const FORM_FIELDS = /** @type {const} */ (["url", "name", "kind", "category", "description", "tags"]);
// Fields a user entry may carry that the form does not show; kept as they are on edit.
const KEPT_FIELDS = /** @type {const} */ (["author", "license", "install_url", "stars", "updated"]);

/**
 * @param {import("./render_common.js").RenderContext} ctx
 * @param {string} name
 * @param {string} label
 * @param {HTMLElement} control
 * @param {string} [hint]
 */
function fieldBox(ctx, name, label, control, hint) {
  const { doc } = ctx;
  control.id = `ab-f-${name}`;
  control.setAttribute("name", name);
  control.setAttribute("aria-describedby", `ab-e-${name}${hint ? ` ab-h-${name}` : ""}`);
  return h(doc, "div", { class: "ab-field", "data-field": name }, [
    h(doc, "label", { for: `ab-f-${name}` }, [label]),
    control,
    hint ? h(doc, "small", { class: "ab-muted", id: `ab-h-${name}` }, [hint]) : null,
    h(doc, "div", { class: "ab-field-error", id: `ab-e-${name}` }),
  ]);
}

/**
 * @param {import("./render_common.js").RenderContext} ctx
 * @param {Resource | null} entry the entry to edit, or null to add one
 * @param {import("./types.js").Category[]} categories
 */
export function renderForm(ctx, entry, categories) {
  const { doc, t } = ctx;
  const title = entry ? t("form.editTitle", { name: entry.name }) : t("form.addTitle");
  const name = h(doc, "input", { type: "text", required: true, maxlength: MAX_NAME, autocomplete: "off" });
  name.value = entry?.name ?? "";
  // type=text, not url: the browser would refuse "github.com/x/y" before https:// is added.
  const url = h(doc, "input", {
    type: "text", inputmode: "url", required: true, placeholder: "https://github.com/owner/repo", autocomplete: "off",
    spellcheck: "false", "data-action": "form-url",
  });
  url.value = entry?.url ?? "";
  const kind = h(doc, "select", {}, KINDS.map((k) => h(doc, "option", { value: k }, [kindName(ctx, k)])));
  kind.value = entry?.kind ?? KINDS[0];
  const categoryIds = categories.map((c) => c.id);
  if (!categoryIds.includes(USER_CATEGORY)) categoryIds.unshift(USER_CATEGORY);
  const category = h(doc, "select", {}, categoryIds.map((id) => h(doc, "option", { value: id }, [ctx.categoryName(id)])));
  category.value = entry?.category ?? USER_CATEGORY;
  const description = h(doc, "textarea", { rows: 3, maxlength: MAX_DESCRIPTION });
  description.value = entry?.description ?? "";
  const tags = h(doc, "input", { type: "text", autocomplete: "off" });
  tags.value = (entry?.tags ?? []).join(", ");

  return h(doc, "form", {
    class: "ab-form", novalidate: true, "aria-labelledby": "ab-form-title", "data-id": entry?.id ?? "",
  }, [
    h(doc, "h3", { id: "ab-form-title", class: "ab-details-title" }, [title]),
    h(doc, "div", { class: "ab-form-error", role: "alert" }),
    fieldBox(ctx, "url", t("form.url"), url, t("form.urlHint")),
    fieldBox(ctx, "name", t("form.name"), name, entry ? undefined : t("form.nameHint")),
    fieldBox(ctx, "kind", t("form.kind"), kind),
    fieldBox(ctx, "category", t("form.category"), category),
    fieldBox(ctx, "description", t("form.description"), description),
    fieldBox(ctx, "tags", t("form.tags"), tags, t("form.tagsHint")),
    h(doc, "div", { class: "ab-actions" }, [
      h(doc, "button", { type: "submit", class: "ab-button ab-primary" }, [t("form.save")]),
      h(doc, "button", { type: "button", class: "ab-button", "data-action": "cancel-form" }, [t("form.cancel")]),
    ]),
  ]);
}

/**
 * The address with https:// in front when no scheme was typed ("github.com/a/b"); as typed
 * otherwise, for the server to judge (it refuses anything but http and https).
 * @param {string} text
 */
export function withScheme(text) {
  const typed = text.trim();
  if (!typed || /^[a-z][a-z0-9+.-]*:\/\//i.test(typed) || /^(?:mailto|javascript|data|file|ftp|tel|about|blob|vbscript):/i.test(typed)) {
    return typed;
  }
  return `https://${typed.replace(/^\/+/, "")}`;
}

/** @param {string} part */
const decoded = (part) => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

/**
 * A name for the resource at `text`: the repository on a code host, the model on Hugging
 * Face or Civitai, else the last part of the path, else the host. "" when it is no web address.
 * @param {string} text
 */
export function proposeName(text) {
  const safe = safeHttpUrl(withScheme(text));
  if (!safe) return "";
  const url = new URL(safe);
  const host = url.hostname.replace(/^www\./, "");
  const parts = url.pathname.split("/").filter(Boolean).map(decoded);
  const codeHost = /^(?:github\.com|gitlab\.com|codeberg\.org|bitbucket\.org|gitee\.com)$/.test(host);
  let name = "";
  if (codeHost) name = parts[1] ?? parts[0] ?? "";
  else if (host === "huggingface.co") name = (["spaces", "datasets"].includes(parts[0] ?? "") ? parts[2] : parts[1]) ?? parts[0] ?? "";
  else if (host === "civitai.com" && parts[0] === "models") name = (parts[2] ?? "").replace(/[-_]+/g, " ");
  else name = parts.at(-1) ?? "";
  name = name.replace(/\.(?:git|html?|php|md)$/i, "").trim();
  return (name || host).slice(0, MAX_NAME);
}

/**
 * Split a comma (or Chinese comma) separated tag list; tags are lower-case on the server.
 * @param {string} text
 */
export function parseTags(text) {
  return [...new Set(text.split(/[,，]/).map((tag) => tag.trim().toLowerCase()).filter(Boolean))];
}

/**
 * The JSON body to send: the form's fields over what the entry already had.
 * Empty optional fields are left out rather than sent as "" (which the server refuses for URLs).
 * @param {HTMLFormElement} form
 * @param {Resource | null} entry
 * @returns {Record<string, unknown>}
 */
export function readForm(form, entry) {
  const value = (/** @type {string} */ name) => {
    const control = /** @type {HTMLInputElement | null} */ (form.querySelector(`[name="${name}"]`));
    return control ? control.value.trim() : "";
  };
  /** @type {Record<string, unknown>} */
  const body = {};
  if (entry) {
    for (const key of KEPT_FIELDS) {
      const kept = entry[key];
      if (kept !== null && kept !== undefined && kept !== "") body[key] = kept;
    }
  }
  const url = withScheme(value("url"));
  body.url = url;
  body.name = value("name") || proposeName(url);
  body.kind = value("kind");
  body.category = value("category");
  const description = value("description");
  if (description) body.description = description;
  const tags = parseTags(value("tags"));
  if (tags.length) body.tags = tags;
  return body;
}

/**
 * Show the server's problems: each beside its field, the rest (and a summary) on top.
 * @param {HTMLFormElement} form
 * @param {Problem[]} problems
 * @param {string} summary
 * @returns {number} how many problems were placed next to a field
 */
export function showProblems(form, problems, summary) {
  clearProblems(form);
  /** @type {Map<string, string[]>} */
  const byField = new Map();
  const general = [];
  for (const problem of problems) {
    const name = String(problem.field ?? "").split(/[.[]/, 1)[0] ?? "";
    if (/** @type {readonly string[]} */ (FORM_FIELDS).includes(name)) {
      byField.set(name, [...(byField.get(name) ?? []), problem.message]);
    } else {
      general.push(problem.field ? `${problem.field}: ${problem.message}` : problem.message);
    }
  }
  for (const [name, messages] of byField) {
    const box = form.querySelector(`#ab-e-${name}`);
    if (box) box.textContent = messages.join(" ");
    form.querySelector(`[name="${name}"]`)?.setAttribute("aria-invalid", "true");
  }
  const top = form.querySelector(".ab-form-error");
  if (top) top.textContent = [summary, ...general].filter(Boolean).join(" ");
  const first = /** @type {HTMLElement | null} */ (form.querySelector("[aria-invalid=\"true\"]"));
  first?.focus();
  return byField.size;
}

/**
 * The resource a 409 names when the URL is already in the catalogue: the error's
 * `existing` ({id, name}); servers before it only said "… is already in the catalogue as
 * 'Name' (id 'the-id'); star it instead".
 * @param {{status?: number, message?: string, existing?: {id: string, name: string}}} error
 * @returns {{id: string, name: string} | null}
 */
export function existingEntry(error) {
  if (error.status !== 409) return null;
  if (error.existing) return { id: error.existing.id, name: error.existing.name };
  const found = /already in the catalogue as (['"])(.*)\1 \(id '([^']+)'\)/.exec(error.message ?? "");
  return found ? { name: found[2] ?? "", id: found[3] ?? "" } : null;
}

/** @param {HTMLFormElement} form */
export function clearProblems(form) {
  for (const box of form.querySelectorAll(".ab-field-error, .ab-form-error")) box.textContent = "";
  for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
}
