// Shows the nodes' results on the nodes. The Python nodes return {"ui": {"text": [markdown]}},
// but the frontend draws text only for its own PreviewAny node, so this adds a read-only
// widget through the public node.addDOMWidget API and renders the Markdown into it with
// markdown.js (DOM built from text, links only to http(s) pages). The frontend's own
// MARKDOWN widget is not used: it is reached only through a deprecated getter, becomes an
// editor on double-click, and links ftp:, mailto: and tel: too.

import { renderMarkdown } from "./markdown.js";

export const BROWSER_NODE = "AwesomeBeyond_ResourceBrowser";
export const PICKER_NODE = "AwesomeBeyond_ResourcePicker";
/** The nodes that show their result on themselves. */
export const SHOWN_NODES = /** @type {const} */ ([BROWSER_NODE, PICKER_NODE]);
export const WIDGET_NAME = "awesome_results";
const STYLE_ID = "awesome-beyond-node-style";
/** Each results widget's element, to reach it again (the frontends name it differently). */
const boxes = /** @type {WeakMap<object, HTMLElement>} */ (new WeakMap());

/** Scoped to the widget; injected into the page once. */
export const NODE_CSS = `
.awesome-beyond-results {
  box-sizing: border-box; width: 100%; height: 100%; overflow: auto; padding: 6px 8px; border-radius: 6px;
  background: var(--comfy-input-bg, #222); color: var(--input-text, var(--fg-color, #ddd));
  font: 12px/1.45 var(--font-inter, system-ui, sans-serif); overflow-wrap: anywhere; user-select: text; cursor: auto;
}
.awesome-beyond-results:focus-visible { outline: 2px solid var(--p-primary-color, #60a5fa); outline-offset: -2px; }
.awesome-beyond-results:empty::before { content: attr(data-placeholder); color: var(--descrip-text, #999); }
.awesome-beyond-results p, .awesome-beyond-results h4 { margin: 0 0 6px; }
.awesome-beyond-results h4 { font-size: 13px; }
.awesome-beyond-results ol, .awesome-beyond-results ul { margin: 0 0 6px; padding-left: 22px; }
.awesome-beyond-results li { margin: 0 0 6px; }
.awesome-beyond-results a { color: var(--p-primary-color, #60a5fa); }
.awesome-beyond-results code { font: 11px var(--font-mono, monospace); background: rgba(127, 127, 127, .15); padding: 0 3px; border-radius: 3px; }
`;

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

/** @param {Document} doc */
function addStyle(doc) {
  if (doc.getElementById(STYLE_ID) || !doc.head) return;
  const style = doc.createElement("style");
  style.id = STYLE_ID;
  style.textContent = NODE_CSS;
  doc.head.append(style);
}

/**
 * The node's results widget, created on first use. Returns null on frontends without
 * addDOMWidget (then the outputs still work; only the on-node display is missing).
 * @param {NodeLike} node
 * @param {Document} doc
 * @param {string} placeholder
 */
export function ensureResultWidget(node, doc, placeholder) {
  const existing = node.widgets?.find((w) => w.name === WIDGET_NAME);
  if (existing) return existing;
  if (typeof node.addDOMWidget !== "function") return null;
  addStyle(doc);
  const box = doc.createElement("div");
  box.className = "awesome-beyond-results";
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", placeholder);
  box.dataset.placeholder = placeholder;
  box.tabIndex = 0; // the keyboard can scroll it
  let source = "";
  const widget = node.addDOMWidget(WIDGET_NAME, "awesome_markdown", box, {
    getValue: () => source,
    setValue: (/** @type {unknown} */ value) => {
      source = value === null || value === undefined ? "" : String(value);
      box.replaceChildren(renderMarkdown(doc, source));
    },
    getMinHeight: () => 120,
    serialize: false,
  });
  // Not part of the workflow: widgets_values must keep matching the Python inputs.
  widget.serialize = false;
  boxes.set(widget, box);
  return widget;
}

/**
 * @param {NodeLike} node
 * @param {unknown} message the `executed` output
 * @param {Document} doc
 * @param {string} placeholder
 */
export function showResult(node, message, doc, placeholder) {
  const widget = ensureResultWidget(node, doc, placeholder);
  if (!widget) return;
  widget.value = messageText(message); // rendered by setValue: text nodes and safe links only
  node.setDirtyCanvas?.(true, false);
}

/**
 * Say `text` where the widget has nothing to show yet.
 * @param {unknown} widget
 * @param {string} text
 */
function setPlaceholder(widget, text) {
  const box = boxes.get(/** @type {object} */ (widget));
  if (!box) return;
  box.dataset.placeholder = text;
  box.setAttribute("aria-label", text);
}

/**
 * Chain (not replace) the node type's onNodeCreated and onExecuted. A node made before the
 * translations arrived (a workflow restored at page load) gets its placeholder again in the
 * user's language once `ready` settles.
 * @param {{prototype: any}} nodeType
 * @param {Document} doc
 * @param {() => string} placeholder
 * @param {Promise<unknown>} [ready] the translations
 */
export function attachToNodeType(nodeType, doc, placeholder, ready) {
  const proto = nodeType.prototype;
  const created = proto.onNodeCreated;
  proto.onNodeCreated = function onNodeCreated(/** @type {unknown[]} */ ...args) {
    const result = created?.apply(this, args);
    const widget = ensureResultWidget(this, doc, placeholder());
    if (widget && ready) void ready.then(() => setPlaceholder(widget, placeholder()), () => {});
    return result;
  };
  const executed = proto.onExecuted;
  proto.onExecuted = function onExecuted(/** @type {unknown[]} */ ...args) {
    const result = executed?.apply(this, args);
    showResult(this, args[0], doc, placeholder());
    return result;
  };
}
