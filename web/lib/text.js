// Text helpers that decide what is safe to show: highlighted matches as plain text
// segments (never HTML), and links only for absolute http(s) URLs.

import { MAX_TERMS } from "./constants.js";

/**
 * The words of a search, longest first so that "videos" wins over "video" at one spot.
 * @param {string} query
 * @returns {string[]}
 */
export function searchTerms(query) {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
  return [...new Set(words)].slice(0, MAX_TERMS).sort((a, b) => b.length - a.length);
}

/**
 * Split `text` into segments; `match` marks the parts equal (ignoring case) to a term.
 * Joining the segments' text gives back `text` exactly.
 * @param {string} text
 * @param {string[]} terms
 * @returns {{text: string, match: boolean}[]}
 */
export function splitHighlight(text, terms) {
  if (!text) return [];
  const usable = terms.filter((t) => t.length > 0);
  if (usable.length === 0) return [{ text, match: false }];
  // A regex with the "i" flag matches on the original string, so indexes never shift the
  // way they can after toLowerCase() on some scripts.
  const pattern = new RegExp(usable.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "giu");
  /** @type {{text: string, match: boolean}[]} */
  const parts = [];
  let last = 0;
  for (const found of text.matchAll(pattern)) {
    const at = found.index ?? 0;
    if (found[0].length === 0) continue;
    if (at > last) parts.push({ text: text.slice(last, at), match: false });
    parts.push({ text: found[0], match: true });
    last = at + found[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}

/**
 * Fill `el` with `text`, wrapping matches in <mark>. Only text nodes are created.
 * @param {HTMLElement} el
 * @param {string} text
 * @param {string[]} terms
 */
export function highlightInto(el, text, terms) {
  const doc = el.ownerDocument;
  el.replaceChildren(...splitHighlight(text, terms).map((part) => {
    if (!part.match) return doc.createTextNode(part.text);
    const mark = doc.createElement("mark");
    mark.textContent = part.text;
    return mark;
  }));
}

/**
 * The URL when it is an absolute http or https address, else null. Relative URLs,
 * javascript:, data:, file: and anything unparsable are never turned into links.
 * @param {unknown} raw
 * @returns {string | null}
 */
export function safeHttpUrl(raw) {
  if (typeof raw !== "string" || raw.trim() === "") return null;
  let url;
  try {
    url = new URL(raw.trim()); // no base: a relative URL throws
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
}

/**
 * The shell command that installs a node pack, or "" when there is no safe URL.
 * The URL is quoted so that nothing in it can act as shell syntax when pasted.
 * @param {{install_url?: string, url?: string}} resource
 */
export function gitCloneCommand(resource) {
  const url = safeHttpUrl(resource.install_url) ?? safeHttpUrl(resource.url);
  if (!url) return "";
  return /^[A-Za-z0-9:/._~%+-]+$/.test(url) ? `git clone ${url}` : `git clone '${url.replace(/'/g, "'\\''")}'`;
}

/**
 * A whole number with the locale's digit grouping ("6,095" in en).
 * @param {number} value
 * @param {string} locale
 */
export function formatNumber(value, locale) {
  try {
    return new Intl.NumberFormat(locale).format(value);
  } catch {
    return String(value);
  }
}

/**
 * A short, locale-aware number ("12.3k" in en).
 * @param {number} value
 * @param {string} locale
 */
export function formatCount(value, locale) {
  try {
    return new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(value);
  } catch {
    return String(value);
  }
}

/**
 * An ISO time as a short local date and time ("Jan 31, 2026, 14:05" in en); the text as
 * given when it is not a time.
 * @param {string} iso
 * @param {string} locale
 */
export function formatWhen(iso, locale) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(date);
  } catch {
    return iso;
  }
}

/**
 * A day ("2025-10-03") as its month and year ("Oct 2025" in en, "2025年10月" in zh): short
 * enough to always show in a row. The text as given when it is not a date.
 * @param {string} day
 * @param {string} locale
 */
export function formatMonth(day, locale) {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(day);
  if (!match) return day;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3] ?? 1)));
  if (Number.isNaN(date.getTime())) return day;
  try {
    return new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" }).format(date);
  } catch {
    return day.slice(0, 7);
  }
}
