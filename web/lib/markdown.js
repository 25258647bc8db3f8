// A small, safe Markdown renderer for the nodes' results: it builds DOM with createElement
// and text nodes only (never HTML), links only absolute http(s) URLs (opened in a new tab
// with rel=noopener noreferrer), and shows everything else as the text it is. It knows what
// the nodes write and what catalogue descriptions hold: paragraphs, headings, numbered and
// bulleted lists (with indented continuation lines), **bold**, *italic*, `code`,
// [text](url), <url> and bare URLs. Raw HTML stays text.

import { safeHttpUrl } from "./text.js";

/** @typedef {{type: "p" | "h", lines: string[]}} TextBlock */
/** @typedef {{type: "ol" | "ul", start: number, items: string[][]}} ListBlock */
/** @typedef {TextBlock | ListBlock} Block */

const LIST_ITEM = /^(\s{0,3})(\d{1,9})[.)]\s+(.*)$/;
const BULLET = /^(\s{0,3})[-*+]\s+(.*)$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;

/**
 * The blocks of a Markdown text.
 * @param {string} text
 * @returns {Block[]}
 */
export function parseBlocks(text) {
  /** @type {Block[]} */
  const blocks = [];
  let list = /** @type {ListBlock | null} the list that the next lines may continue */ (null);
  let paragraph = /** @type {TextBlock | null} the paragraph that the next lines may continue */ (null);
  let blank = false;
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.replace(/\s+$/, "");
    if (!line.trim()) {
      blank = true;
      paragraph = null;
      continue;
    }
    const heading = HEADING.exec(line);
    const numbered = LIST_ITEM.exec(line);
    const bullet = numbered ? null : BULLET.exec(line);
    if (heading) {
      blocks.push({ type: "h", lines: [heading[2] ?? ""] });
      list = null;
      paragraph = null;
    } else if (numbered || bullet) {
      const type = numbered ? "ol" : "ul";
      const body = (numbered ? numbered[3] : bullet?.[2]) ?? "";
      if (list?.type !== type) {
        list = { type, start: numbered ? Number(numbered[2]) : 1, items: [] };
        blocks.push(list);
      }
      list.items.push([body]);
      paragraph = null;
    } else if (list && (/^\s{2,}/.test(line) || !blank)) {
      // An indented line (or one straight after an item) continues the item.
      list.items[list.items.length - 1]?.push(line.trim());
    } else if (paragraph && !blank) {
      paragraph.lines.push(line.trim());
    } else {
      paragraph = { type: "p", lines: [line.trim()] };
      list = null;
      blocks.push(paragraph);
    }
    blank = false;
  }
  return blocks;
}

/**
 * The inline parts of one line: text, strong, em, code and links.
 * @typedef {{type: "text", text: string}
 *   | {type: "code", text: string}
 *   | {type: "strong", parts: Inline[]}
 *   | {type: "em", parts: Inline[]}
 *   | {type: "link", href: string, parts: Inline[]}} Inline
 */

const INLINE = new RegExp([
  /`([^`\n]+)`/.source, // 1 code
  /\*\*([^*\n]+?)\*\*/.source, // 2 strong
  /__([^_\n]+?)__/.source, // 3 strong
  /\[([^\]\n]*)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(?:\s+"[^"\n]*")?\s*\)/.source, // 4 text, 5 url
  /<(https?:\/\/[^>\s]+)>/.source, // 6 autolink
  /(https?:\/\/[^\s<>()[\]]*[^\s<>()[\].,;:!?'"])/.source, // 7 bare URL
  /(?<![\w*])\*([^*\n]+?)\*(?![\w*])/.source, // 8 em
  /(?<![\w_])_([^_\n]+?)_(?![\w_])/.source, // 9 em
].join("|"), "g");

/**
 * `parts` with any link replaced by its text: a link's label never holds another link.
 * @param {Inline[]} parts
 * @returns {Inline[]}
 */
function unlinked(parts) {
  return parts.flatMap((part) => {
    if (part.type === "link") return unlinked(part.parts);
    if (part.type === "strong" || part.type === "em") return [{ ...part, parts: unlinked(part.parts) }];
    return [part];
  });
}

/**
 * @param {string} text
 * @param {number} [depth] nesting, bounded so hostile input cannot recurse deeply
 * @returns {Inline[]}
 */
export function parseInline(text, depth = 0) {
  /** @type {Inline[]} */
  const parts = [];
  let last = 0;
  const plain = (/** @type {string} */ s) => { if (s) parts.push({ type: "text", text: s }); };
  for (const m of text.matchAll(INLINE)) {
    const at = m.index ?? 0;
    plain(text.slice(last, at));
    last = at + m[0].length;
    const inner = (/** @type {string} */ s) => (depth < 3 ? parseInline(s, depth + 1) : [{ type: /** @type {const} */ ("text"), text: s }]);
    if (m[1] !== undefined) parts.push({ type: "code", text: m[1] });
    else if (m[2] !== undefined || m[3] !== undefined) parts.push({ type: "strong", parts: inner(m[2] ?? m[3] ?? "") });
    else if (m[5] !== undefined) {
      const href = safeHttpUrl(m[5]);
      // ComfyUI-Manager's descriptions write their links as [a/Name](url): show "Name".
      const label = unlinked(inner((m[4] ?? "").replace(/^a\//, "") || m[5]));
      if (href) parts.push({ type: "link", href, parts: label });
      else parts.push(...label); // not a web link: its text only
    } else if (m[6] !== undefined || m[7] !== undefined) {
      const url = m[6] ?? m[7] ?? "";
      const href = safeHttpUrl(url);
      if (href) parts.push({ type: "link", href, parts: [{ type: "text", text: url }] });
      else plain(url);
    } else parts.push({ type: "em", parts: inner(m[8] ?? m[9] ?? "") });
  }
  plain(text.slice(last));
  return parts;
}

/**
 * @param {Document} doc
 * @param {Node} into
 * @param {Inline[]} parts
 */
function appendInline(doc, into, parts) {
  for (const part of parts) {
    if (part.type === "text") {
      into.appendChild(doc.createTextNode(part.text));
    } else if (part.type === "code") {
      const code = doc.createElement("code");
      code.textContent = part.text;
      into.appendChild(code);
    } else if (part.type === "link") {
      const link = doc.createElement("a");
      link.setAttribute("href", part.href);
      link.setAttribute("target", "_blank");
      link.setAttribute("rel", "noopener noreferrer");
      appendInline(doc, link, part.parts);
      into.appendChild(link);
    } else {
      const el = doc.createElement(part.type);
      appendInline(doc, el, part.parts);
      into.appendChild(el);
    }
  }
}

/**
 * Lines joined by line breaks.
 * @param {Document} doc
 * @param {HTMLElement} into
 * @param {string[]} lines
 */
function appendLines(doc, into, lines) {
  lines.forEach((line, i) => {
    if (i > 0) into.appendChild(doc.createElement("br"));
    appendInline(doc, into, parseInline(line));
  });
}

/**
 * `text` as DOM nodes (a fragment), built with text nodes and a few plain elements only.
 * @param {Document} doc
 * @param {string} text
 * @returns {DocumentFragment}
 */
export function renderMarkdown(doc, text) {
  const fragment = doc.createDocumentFragment();
  for (const block of parseBlocks(text)) {
    if ("items" in block) {
      const list = doc.createElement(block.type);
      if (block.type === "ol" && block.start !== 1) list.setAttribute("start", String(block.start));
      for (const item of block.items) {
        const li = doc.createElement("li");
        appendLines(doc, li, item);
        list.appendChild(li);
      }
      fragment.appendChild(list);
    } else {
      const el = doc.createElement(block.type === "h" ? "h4" : "p");
      appendLines(doc, el, block.lines);
      fragment.appendChild(el);
    }
  }
  return fragment;
}

/**
 * The text a reader sees, without the Markdown: links become their labels, emphasis its
 * words; blocks are joined by spaces. For one-line previews (the list's rows).
 * @param {string} text
 */
export function plainText(text) {
  /** @param {Inline[]} parts @returns {string} */
  const flat = (parts) => parts.map((part) => ("text" in part ? part.text : flat(part.parts))).join("");
  return parseBlocks(text)
    .flatMap((block) => ("items" in block ? block.items.flat() : block.lines))
    .map((line) => flat(parseInline(line)))
    .join(" ");
}
