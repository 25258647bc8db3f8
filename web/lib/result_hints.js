// What a search answer says beside its rows (read from its first page): how many results
// have what each data sort orders by, and, when nothing matched, the next steps the server
// counted (the same text without filters; the optional sources that are off). Free of DOM.

import { formatNumber } from "./text.js";
import { plural, translated } from "./i18n.js";

/** @typedef {import("./types.js").ResultHints} ResultHints */
/** @typedef {import("./types.js").SourceOffer} SourceOffer */

/** Sorts that order by a figure some entries lack (core/query/facets.py SORT_DATA). */
export const DATA_SORTS = /** @type {const} */ (["stars", "downloads", "updated"]);

/** @type {ResultHints} */
export const NO_HINTS = Object.freeze({ sortable: {}, unfilteredTotal: null, moreSources: [] });

/** @param {unknown} value @returns {value is number} */
const isCount = (value) => typeof value === "number" && Number.isInteger(value) && value >= 0;

/** @param {unknown} raw @returns {SourceOffer | null} */
function offerOf(raw) {
  if (!raw || typeof raw !== "object") return null;
  const o = /** @type {Record<string, unknown>} */ (raw);
  if (typeof o.source !== "string" || !o.source) return null;
  return {
    source: o.source, ready: o.ready === true, download: o.download === true,
    adds: isCount(o.adds) ? o.adds : null, exact: o.exact === true, matches: isCount(o.matches) ? o.matches : null,
  };
}

/**
 * The hints of a first page; servers that send none (older ones) give NO_HINTS' empty ones.
 * @param {Partial<import("./types.js").SearchResult>} page
 * @returns {ResultHints}
 */
export function hintsOf(page) {
  /** @type {Record<string, number>} */
  const sortable = {};
  const raw = page.sortable && typeof page.sortable === "object" ? page.sortable : {};
  for (const sort of DATA_SORTS) if (isCount(raw[sort])) sortable[sort] = raw[sort];
  const offers = Array.isArray(page.more_sources) ? page.more_sources.map(offerOf) : [];
  return {
    sortable,
    unfilteredTotal: isCount(page.unfiltered_total) ? page.unfiltered_total : null,
    moreSources: /** @type {SourceOffer[]} */ (offers.filter(Boolean)),
  };
}

/**
 * What the sort menu says about the data sorts for `total` results: the sorts none of them
 * has data for (disabled, with the reason as the title), and a note on the chosen sort when
 * it orders only some of them (or none) and the rest follow by name.
 * @param {import("./types.js").Translate} t
 * @param {string} locale
 * @param {string} sort the chosen sort
 * @param {number} total
 * @param {Partial<Record<string, number>>} sortable
 * @returns {{disabled: Map<string, string>, note: string}}
 */
export function sortAdvice(t, locale, sort, total, sortable) {
  /** @type {Map<string, string>} */
  const disabled = new Map();
  let note = "";
  if (total === 0) return { disabled, note };
  const count = formatNumber(total, locale);
  for (const name of DATA_SORTS) {
    const have = sortable[name];
    if (have === undefined) continue; // not counted (an older server): nothing to say
    if (have === 0) {
      const reason = plural(t, `sort.missing.${name}`, total, { count });
      disabled.set(name, reason);
      if (name === sort && total > 1) note = t("sort.byName", { reason });
    } else if (have < total && name === sort) {
      note = t(`sort.partial.${name}`, { have: formatNumber(have, locale), count });
    }
  }
  return { disabled, note };
}

/**
 * The label of an offer's button: what it does, and what it would add when that is known.
 * @param {import("./types.js").Translate} t
 * @param {string} locale
 * @param {SourceOffer} offer
 */
export function offerLabel(t, locale, offer) {
  const action = translated(t, offer.download ? "empty.download" : "empty.switchOn", offer.source) ?? offer.source;
  if (offer.adds === null || offer.download) return action;
  const count = formatNumber(offer.adds, locale);
  if (!offer.exact) return t("empty.addsUpTo", { action, count });
  if (offer.matches === null) return plural(t, "empty.adds", offer.adds, { action, count });
  return plural(t, "empty.matching", offer.matches, { action, count, matches: formatNumber(offer.matches, locale) });
}

/**
 * The offers worth a button: not those known to add nothing, or nothing this search finds.
 * @param {SourceOffer[]} offers
 */
export function usefulOffers(offers) {
  return offers.filter((o) => o.adds !== 0 && o.matches !== 0);
}
