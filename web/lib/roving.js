// One tab stop per group ("roving tabindex"): the tag chips are one stop, the rows of the
// list another. Tab enters a group at its stop; the arrows, Home and End move inside it.

/**
 * Where a key moves the focus in a group of `count` items, from `index`; -1 when the key
 * does not move it. The ends do not wrap.
 * @param {string} key
 * @param {number} index
 * @param {number} count
 */
export function nextIndex(key, index, count) {
  if (count <= 0) return -1;
  switch (key) {
    case "ArrowRight": case "ArrowDown": return Math.min(count - 1, index + 1);
    case "ArrowLeft": case "ArrowUp": return Math.max(0, index - 1);
    case "Home": return 0;
    case "End": return count - 1;
    default: return -1;
  }
}

/**
 * Make `items[index]` the group's one tab stop (tabindex 0, the others -1).
 * @param {readonly HTMLElement[]} items
 * @param {number} index
 */
export function setTabStop(items, index) {
  items.forEach((item, i) => {
    const value = i === index ? 0 : -1;
    if (item.tabIndex !== value) item.tabIndex = value;
  });
}
