// Shows the Resource Browser node's result on the node. The Python node returns
// {"ui": {"text": [markdown]}}, but the frontend draws text only for its own PreviewAny
// node, so this adds a read-only textarea through the public node.addDOMWidget API.

export const BROWSER_NODE = "AwesomeBeyond_ResourceBrowser";
export const WIDGET_NAME = "awesome_results";

/**
 * The parts of a LiteGraph node this module uses.
 * @typedef {object} NodeLike
 * @property {{name: string, value?: unknown, serialize?: boolean}[]} [widgets]
 * @property {(name: string, type: string, element: HTMLElement, options: object) => {name: string, value?: unknown, serialize?: boolean}} [addDOMWidget]
 * @property {(fg: boolean, bg?: boolean) => void} [setDirtyCanvas]
 */

/**
 * The text of an `executed` message: the node sends one string; join several if present.
 * @param {unknown} message
 */
export function messageText(message) {
  const text = /** @type {{text?: unknown} | null | undefined} */ (message)?.text;
  if (Array.isArray(text)) return text.filter((part) => part !== null && part !== undefined).map(String).join("\n\n");
  return text === null || text === undefined ? "" : String(text);
}

/**
 * The node's results widget, created on first use. Returns null on frontends without
 * addDOMWidget (then the outputs still work; only the on-node display is missing).
 * @param {NodeLike} node
 * @param {Document} doc
 * @param {string} placeholder
 */
export function ensureTextWidget(node, doc, placeholder) {
  const existing = node.widgets?.find((w) => w.name === WIDGET_NAME);
  if (existing) return existing;
  if (typeof node.addDOMWidget !== "function") return null;
  const area = doc.createElement("textarea");
  area.readOnly = true;
  area.className = "comfy-multiline-input awesome-beyond-results";
  area.placeholder = placeholder;
  area.setAttribute("aria-label", placeholder);
  area.spellcheck = false;
  const widget = node.addDOMWidget(WIDGET_NAME, "awesome_text", area, {
    getValue: () => area.value,
    setValue: (/** @type {unknown} */ value) => { area.value = value === null || value === undefined ? "" : String(value); },
    getMinHeight: () => 120,
    serialize: false,
  });
  // Not part of the workflow: widgets_values must keep matching the Python inputs.
  widget.serialize = false;
  return widget;
}

/**
 * @param {NodeLike} node
 * @param {unknown} message the `executed` output
 * @param {Document} doc
 * @param {string} placeholder
 */
export function showResult(node, message, doc, placeholder) {
  const widget = ensureTextWidget(node, doc, placeholder);
  if (!widget) return;
  widget.value = messageText(message); // set as a value: a textarea shows it as text, never HTML
  node.setDirtyCanvas?.(true, false);
}

/**
 * Chain (not replace) the node type's onNodeCreated and onExecuted.
 * @param {{prototype: any}} nodeType
 * @param {Document} doc
 * @param {() => string} placeholder
 */
export function attachToNodeType(nodeType, doc, placeholder) {
  const proto = nodeType.prototype;
  const created = proto.onNodeCreated;
  proto.onNodeCreated = function onNodeCreated(/** @type {unknown[]} */ ...args) {
    const result = created?.apply(this, args);
    ensureTextWidget(this, doc, placeholder());
    return result;
  };
  const executed = proto.onExecuted;
  proto.onExecuted = function onExecuted(/** @type {unknown[]} */ ...args) {
    const result = executed?.apply(this, args);
    showResult(this, args[0], doc, placeholder());
    return result;
  };
}
