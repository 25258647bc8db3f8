// Timing marks for the browser benchmark (tests/web_e2e/bench_sidebar.mjs). Off unless the
// page sets `window.__awesomeBeyondPerf = true`; then each timed section leaves a
// performance.measure entry named after it ("awesome-beyond:render", ...).

export const PERF_FLAG = "__awesomeBeyondPerf";

function enabled() {
  return /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (globalThis))[PERF_FLAG] === true
    && typeof globalThis.performance?.measure === "function";
}

/**
 * Start timing; returns the start time for perfEnd, or null when timing is off.
 * @returns {number | null}
 */
export function perfStart() {
  return enabled() ? globalThis.performance.now() : null;
}

/**
 * Record the time since perfStart as a performance.measure entry called `name`.
 * @param {string} name
 * @param {number | null} start
 */
export function perfEnd(name, start) {
  if (start === null) return;
  try {
    globalThis.performance.measure(name, { start, end: globalThis.performance.now() });
  } catch {
    // a browser without measure options: timing is best effort and never breaks the panel
  }
}
