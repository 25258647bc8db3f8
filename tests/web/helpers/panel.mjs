// A panel over a fake client, with hand-run timers, for the panel tests.
import { Panel } from "../../../web/lib/panel.js";
import { createTranslator } from "../../../web/lib/i18n.js";
import { initialState } from "../../../web/lib/state.js";
import { createStore, initialAppState } from "../../../web/lib/store.js";
import { makeDom, manualTimers, settle } from "./dom.mjs";
import { fakeClient, makeResources } from "./fake_client.mjs";

/** A panel, not yet mounted, and what it told the user. */
export function setup({ count = 250, client = fakeClient(makeResources(count)), store, frames, extra = {} } = {}) {
  const dom = makeDom();
  const timers = manualTimers();
  const sourceSettings = [];
  const toasts = [];
  const saved = new Map();
  const storage = { getItem: (k) => saved.get(k) ?? null, setItem: (k, v) => saved.set(k, v) };
  const deps = {
    client, t: createTranslator(undefined), locale: "en",
    store: store ?? createStore(initialAppState(initialState())),
    rowLines: () => 3, defaultSort: () => "relevance",
    notify: (severity, summary, detail) => toasts.push({ severity, summary, detail }),
    storage, confirm: async () => true, setTimer: timers.setTimer, clearTimer: timers.clearTimer,
    onSourceSettings: (settings) => sourceSettings.push(structuredClone(settings)),
    ...(frames ? { requestFrame: frames.requestFrame, cancelFrame: frames.cancelFrame } : {}),
    ...extra,
  };
  const host = dom.document.createElement("div");
  dom.document.body.append(host);
  const panel = new Panel(dom.document, deps);
  Object.defineProperty(panel.scroller, "clientHeight", { value: 640, configurable: true });
  return { dom, timers, toasts, saved, deps, client, host, panel, root: panel.root, sourceSettings,
    $: (sel) => panel.root.querySelector(sel), $$: (sel) => [...panel.root.querySelectorAll(sel)],
    async cleanup() { panel.destroy(); await dom.close(); } };
}

/** Mount the panel and let its first answers arrive. */
export async function open(t) {
  t.panel.mount(t.host);
  await settle();
  t.panel.list.update();
  await settle();
}

/** Type `q` into the search box the way a browser does: the value, then an input event. */
export function type(t, q) {
  const input = t.$(".ab-search");
  input.value = q;
  input.dispatchEvent(new t.dom.window.Event("input", { bubbles: true }));
}
