// A fixed-row-height virtual list: only the rows in view (plus a small overscan) exist in
// the DOM, so 6,000 results cost the same to draw as 20. The math is pure and exported
// for tests; the class owns only positioning and recycling, never what a row shows.

/**
 * The rows to draw: [start, end) clamped to [0, total).
 * @param {{scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan?: number}} view
 * @returns {{start: number, end: number}}
 */
export function visibleRange({ scrollTop, viewportHeight, rowHeight, total, overscan = 4 }) {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const top = Math.max(0, scrollTop);
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight);
  const start = Math.min(total, Math.max(0, first - overscan));
  const end = Math.min(total, last + overscan);
  return { start: Math.min(start, end), end };
}

/**
 * The page numbers covering rows [start, end).
 * @param {number} start
 * @param {number} end
 * @param {number} pageSize
 * @returns {number[]}
 */
export function pagesFor(start, end, pageSize) {
  if (end <= start || pageSize <= 0) return [];
  const pages = [];
  for (let page = Math.floor(start / pageSize); page * pageSize < end; page += 1) pages.push(page);
  return pages;
}

/**
 * The scrollTop that shows row `index` whole, moving as little as possible.
 * @param {number} index
 * @param {{scrollTop: number, viewportHeight: number, rowHeight: number}} view
 */
export function revealScrollTop(index, { scrollTop, viewportHeight, rowHeight }) {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/**
 * @typedef {object} VirtualListOptions
 * @property {HTMLElement} scroller the element that scrolls (fixed height, overflow auto)
 * @property {number} rowHeight
 * @property {(index: number) => HTMLElement} renderRow builds the element for one row
 * @property {(start: number, end: number) => void} [onRange] told which rows are in view
 * @property {(row: HTMLElement) => void} [onDrop] told before a row leaves the DOM
 * @property {number} [overscan]
 */

export class VirtualList {
  /** @param {VirtualListOptions} options */
  constructor(options) {
    this.scroller = options.scroller;
    this.rowHeight = options.rowHeight;
    this.renderRow = options.renderRow;
    this.onRange = options.onRange;
    this.onDrop = options.onDrop;
    this.overscan = options.overscan ?? 4;
    this.total = 0;
    /** @type {Map<number, HTMLElement>} rows in the DOM, by index */
    this.rows = new Map();
    const doc = this.scroller.ownerDocument;
    // The sizer gives the scroller its full height, so the scrollbar is right before
    // any page beyond the first has loaded.
    this.sizer = doc.createElement("div");
    this.sizer.className = "ab-vlist-sizer";
    this.sizer.style.position = "relative";
    this.sizer.style.width = "100%";
    this.scroller.append(this.sizer);
    this.frame = 0;
    this.onScroll = () => this.schedule();
    this.scroller.addEventListener("scroll", this.onScroll, { passive: true });
  }

  /** @param {number} total */
  setTotal(total) {
    this.total = Math.max(0, total);
    this.sizer.style.height = `${this.total * this.rowHeight}px`;
  }

  /** @param {number} rowHeight */
  setRowHeight(rowHeight) {
    if (rowHeight === this.rowHeight) return;
    const firstRow = Math.floor(this.scroller.scrollTop / this.rowHeight);
    this.rowHeight = rowHeight;
    this.setTotal(this.total);
    this.scroller.scrollTop = firstRow * rowHeight;
    this.refresh();
  }

  /** Redraw every row in view (data or selection changed). */
  refresh() {
    for (const row of this.rows.values()) this.drop(row);
    this.rows.clear();
    this.update();
  }

  /** @param {HTMLElement} row */
  drop(row) {
    this.onDrop?.(row);
    row.remove();
  }

  /**
   * Redraw the rows in [start, end) that are in view, e.g. when their page arrives.
   * @param {number} start
   * @param {number} end
   */
  refreshRange(start, end) {
    for (const [index, row] of this.rows) {
      if (index >= start && index < end) {
        this.drop(row);
        this.rows.delete(index);
      }
    }
    this.update();
  }

  schedule() {
    if (this.frame) return;
    const win = this.scroller.ownerDocument.defaultView;
    const raf = win?.requestAnimationFrame?.bind(win);
    if (!raf) {
      this.update();
      return;
    }
    this.frame = raf(() => {
      this.frame = 0;
      this.update();
    });
  }

  range() {
    return visibleRange({
      scrollTop: this.scroller.scrollTop,
      viewportHeight: this.scroller.clientHeight,
      rowHeight: this.rowHeight,
      total: this.total,
      overscan: this.overscan,
    });
  }

  /** Add the rows that came into view and drop those that left it. */
  update() {
    const { start, end } = this.range();
    for (const [index, row] of this.rows) {
      if (index < start || index >= end) {
        this.drop(row);
        this.rows.delete(index);
      }
    }
    for (let index = start; index < end; index += 1) {
      if (this.rows.has(index)) continue;
      const row = this.renderRow(index);
      row.style.position = "absolute";
      row.style.left = "0";
      row.style.right = "0";
      row.style.top = `${index * this.rowHeight}px`;
      row.style.height = `${this.rowHeight}px`;
      this.rows.set(index, row);
      this.sizer.append(row);
    }
    this.onRange?.(start, end);
  }

  /** @param {number} index */
  reveal(index) {
    const top = revealScrollTop(index, {
      scrollTop: this.scroller.scrollTop,
      viewportHeight: this.scroller.clientHeight,
      rowHeight: this.rowHeight,
    });
    if (top !== this.scroller.scrollTop) this.scroller.scrollTop = top;
    this.update();
  }

  /**
   * The first and last rows at least half in view (no overscan); first > last when none is.
   * @returns {{first: number, last: number}}
   */
  inView() {
    const top = this.scroller.scrollTop;
    const first = Math.max(0, Math.round(top / this.rowHeight));
    const last = Math.min(this.total - 1, Math.round((top + this.scroller.clientHeight) / this.rowHeight) - 1);
    return { first: Math.min(first, Math.max(0, this.total - 1)), last };
  }

  /** @param {number} index */
  rowAt(index) {
    return this.rows.get(index) ?? null;
  }

  destroy() {
    this.scroller.removeEventListener("scroll", this.onScroll);
    const win = this.scroller.ownerDocument.defaultView;
    if (this.frame) win?.cancelAnimationFrame?.(this.frame);
    this.frame = 0;
    this.rows.clear();
    this.sizer.remove();
  }
}
