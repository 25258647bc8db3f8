// A fresh happy-dom window per test, closed afterwards so no timer keeps Node alive.
import { Window } from "happy-dom";

/** @returns {{window: any, document: Document, close: () => Promise<void>}} */
export function makeDom() {
  const window = new Window({ url: "http://127.0.0.1:8188/" });
  return {
    window,
    document: /** @type {Document} */ (/** @type {unknown} */ (window.document)),
    close: () => window.happyDOM.close(),
  };
}

/** Keyboard event on `target`, bubbling like a real one. */
export function key(window, target, keyName, extra = {}) {
  const event = new window.KeyboardEvent("keydown", { key: keyName, bubbles: true, cancelable: true, ...extra });
  target.dispatchEvent(event);
  return event;
}

/** Let pending promise callbacks run. */
export async function settle(rounds = 5) {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** Timers the test runs by hand, so debounce and progress delays are deterministic. */
export function manualTimers() {
  let next = 1;
  /** @type {Map<number, {fn: () => void, ms: number}>} */
  const pending = new Map();
  return {
    pending,
    setTimer: (fn, ms) => { const id = next++; pending.set(id, { fn, ms }); return id; },
    clearTimer: (id) => { pending.delete(id); },
    /** Run every timer due within `ms` (all when omitted). */
    run(ms = Infinity) {
      for (const [id, timer] of [...pending]) {
        if (timer.ms <= ms) { pending.delete(id); timer.fn(); }
      }
    },
  };
}

/** Animation frames the test runs by hand. */
export function manualFrames() {
  let next = 1;
  /** @type {Map<number, () => void>} */
  const pending = new Map();
  return {
    pending,
    requestFrame: (fn) => { const id = next++; pending.set(id, fn); return id; },
    cancelFrame: (id) => { pending.delete(id); },
    /** Run the frames requested so far (not those they request). */
    run() {
      const due = [...pending];
      pending.clear();
      for (const [, fn] of due) fn();
    },
  };
}
