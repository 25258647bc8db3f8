// The loaded pages of a search's answer (types.js Result): lookups and copies with a
// change, never changes in place, so the store can tell what changed by identity.

/** @typedef {import("./types.js").Resource} Resource */
/** @typedef {import("./types.js").Result} Result */

/** Rows per request; the list loads the pages it shows. */
export const PAGE_SIZE = 100;

/**
 * @param {Result | null} result
 * @param {number} index
 * @returns {Resource | undefined}
 */
export function itemAt(result, index) {
  if (!result || index < 0) return undefined;
  return result.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
}

/**
 * The index of a loaded resource, -1 when it is not loaded.
 * @param {Result | null} result
 * @param {string} id
 */
export function indexOf(result, id) {
  if (!result || !id) return -1;
  for (const [page, items] of result.pages) {
    const at = items.findIndex((item) => item.id === id);
    if (at >= 0) return page * PAGE_SIZE + at;
  }
  return -1;
}

/**
 * @param {Result} result
 * @param {number} page
 * @param {Resource[]} items
 * @returns {Result}
 */
export function withPage(result, page, items) {
  return { ...result, pages: new Map([...result.pages, [page, items]]) };
}

/**
 * The result with one resource's favourite flag set; the same result when it is not loaded.
 * @param {Result} result
 * @param {string} id
 * @param {boolean} on
 * @returns {Result}
 */
export function withFavorite(result, id, on) {
  let changed = false;
  const pages = new Map([...result.pages].map(([page, items]) => {
    if (!items.some((item) => item.id === id)) return [page, items];
    changed = true;
    return [page, items.map((item) => (item.id === id ? { ...item, favorite: on } : item))];
  }));
  return changed ? { ...result, pages } : result;
}
