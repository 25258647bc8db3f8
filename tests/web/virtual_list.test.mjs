import { test } from "node:test";
import assert from "node:assert/strict";
import { pagesFor, revealScrollTop, visibleRange, VirtualList } from "../../web/lib/virtual_list.js";
import { makeDom } from "./helpers/dom.mjs";

test("visibleRange: the rows in view plus overscan, clamped", () => {
  const view = { viewportHeight: 400, rowHeight: 64, total: 6000, overscan: 4 };
  assert.deepEqual(visibleRange({ ...view, scrollTop: 0 }), { start: 0, end: 11 });
  assert.deepEqual(visibleRange({ ...view, scrollTop: 6400 }), { start: 96, end: 111 });
  assert.deepEqual(visibleRange({ ...view, scrollTop: 6000 * 64 }), { start: 5996, end: 6000 });
  assert.deepEqual(visibleRange({ ...view, scrollTop: -50 }), { start: 0, end: 11 });
  assert.deepEqual(visibleRange({ ...view, scrollTop: 0, total: 0 }), { start: 0, end: 0 });
  assert.deepEqual(visibleRange({ ...view, scrollTop: 0, total: 3 }), { start: 0, end: 3 });
  assert.deepEqual(visibleRange({ ...view, scrollTop: 1e9, total: 3 }), { start: 3, end: 3 });
});

test("the window stays small at any scroll position", () => {
  for (let top = 0; top < 6000 * 64; top += 9973) {
    const { start, end } = visibleRange({ scrollTop: top, viewportHeight: 900, rowHeight: 64, total: 6000 });
    assert.ok(end - start <= Math.ceil(900 / 64) + 1 + 8, `${end - start} rows at ${top}`);
    assert.ok(start <= Math.floor(top / 64) && end >= Math.min(6000, Math.ceil((top + 900) / 64)));
  }
});

test("pagesFor and revealScrollTop", () => {
  assert.deepEqual(pagesFor(0, 11, 100), [0]);
  assert.deepEqual(pagesFor(95, 111, 100), [0, 1]);
  assert.deepEqual(pagesFor(5996, 6000, 100), [59]);
  assert.deepEqual(pagesFor(10, 10, 100), []);
  const view = { scrollTop: 640, viewportHeight: 400, rowHeight: 64 };
  assert.equal(revealScrollTop(12, view), 640, "already visible");
  assert.equal(revealScrollTop(2, view), 128, "above: align top");
  assert.equal(revealScrollTop(20, view), 21 * 64 - 400, "below: align bottom");
});

test("VirtualList keeps only the visible rows in the DOM", async () => {
  const dom = makeDom();
  try {
    const scroller = dom.document.createElement("div");
    Object.defineProperty(scroller, "clientHeight", { value: 640 });
    dom.document.body.append(scroller);
    const ranges = [];
    const list = new VirtualList({
      scroller, rowHeight: 64, overscan: 2,
      renderRow: (i) => Object.assign(dom.document.createElement("div"), { textContent: `row ${i}` }),
      onRange: (start, end) => ranges.push([start, end]),
    });
    list.setTotal(6000);
    list.update();
    assert.equal(list.sizer.style.height, `${6000 * 64}px`);
    assert.equal(scroller.querySelectorAll(".ab-vlist-sizer > div").length, 12);
    scroller.scrollTop = 64 * 3000;
    list.update();
    const rows = [...scroller.querySelectorAll(".ab-vlist-sizer > div")];
    assert.equal(rows.length, 14);
    assert.equal(rows[0].textContent, "row 2998");
    assert.equal(rows[0].style.top, `${2998 * 64}px`);
    assert.deepEqual(ranges.at(-1), [2998, 3012]);
    list.reveal(10);
    assert.equal(scroller.scrollTop, 640);
    list.setRowHeight(44);
    assert.equal(list.sizer.style.height, `${6000 * 44}px`);
    list.destroy();
    assert.equal(scroller.children.length, 0);
  } finally {
    await dom.close();
  }
});
