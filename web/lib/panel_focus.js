// Keyboard focus across redraws: a rebuilt part keeps the focus on "the same" control.

/** CSS.escape where it exists (browsers), else a conservative stand-in (DOM libraries). */
export const cssEscape = (/** @type {string} */ value) => (globalThis.CSS?.escape
  ? globalThis.CSS.escape(value)
  : value.replace(/[^a-zA-Z0-9_-]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `));

/**
 * Rebuild `container`, keeping the focus on the same control: by id, else by its
 * data-action (and data-source). A control that is now disabled (a Refresh running)
 * cannot hold the focus: its neighbour in the same list item takes it.
 * @param {Document} doc
 * @param {HTMLElement} container
 * @param {() => void} rebuild
 */
export function keepFocus(doc, container, rebuild) {
  const active = /** @type {HTMLElement | null} */ (doc.activeElement);
  let selector = "";
  if (active && container.contains(active)) {
    if (active.id) selector = `#${cssEscape(active.id)}`;
    else if (active.dataset.action) {
      selector = `[data-action="${cssEscape(active.dataset.action)}"]`;
      if (active.dataset.source) selector += `[data-source="${cssEscape(active.dataset.source)}"]`;
    }
  }
  rebuild();
  if (!selector) return;
  const again = /** @type {HTMLButtonElement | null} */ (container.querySelector(selector));
  const target = again && !again.disabled ? again
    : /** @type {HTMLElement | null} */ (again?.closest("li")?.querySelector("input:not([disabled]), button:not([disabled])") ?? null);
  target?.focus();
}

/** @param {EventTarget | null} target */
export function isTextEntry(target) {
  const el = /** @type {HTMLElement | null} */ (target);
  const tag = el?.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || Boolean(el?.isContentEditable);
}
