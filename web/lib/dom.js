// A tiny element builder. It sets text with textContent and attributes with
// setAttribute, and has no way to set HTML, so catalogue text can never become markup.

/**
 * @typedef {Record<string, string | number | boolean | null | undefined>} Attrs
 * Attributes; `false`, null and undefined leave the attribute out, `true` sets it empty.
 */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {Document} doc
 * @param {K} tag
 * @param {Attrs} [attrs]
 * @param {(Node | string | null | undefined | false)[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(doc, tag, attrs = {}, children = []) {
  const el = doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "string" ? doc.createTextNode(child) : child);
  }
  return el;
}

/**
 * Copy text to the clipboard; falls back to a hidden textarea where the async API is missing
 * or refused (plain-http origins other than localhost).
 * @param {Document} doc
 * @param {string} text
 * @returns {Promise<boolean>}
 */
export async function copyText(doc, text) {
  const clipboard = doc.defaultView?.navigator?.clipboard;
  if (clipboard?.writeText) {
    try {
      await clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the textarea way
    }
  }
  const area = h(doc, "textarea", { readonly: true, "aria-hidden": "true" });
  area.value = text;
  area.style.position = "fixed";
  area.style.opacity = "0";
  doc.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = doc.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}
