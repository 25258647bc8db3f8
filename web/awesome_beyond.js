// Awesome ComfyUI Beyond: the one entry module ComfyUI runs for this pack. It registers the
// sidebar tab (with its settings, command and keybinding) and the nodes' on-node display
// (the Resource Browser's list, the Resource Picker's choice). Everything in web/lib/ is
// side-effect free and imported from here.

import { app } from "../../scripts/app.js";
import { api } from "../../scripts/api.js";
import { createClient } from "./lib/api.js";
import { EN, createTranslator, loadMessages } from "./lib/i18n.js";
import { DEFAULT_SORT, SORTS } from "./lib/constants.js";
import { isSort, loadState } from "./lib/state.js";
import { createStore, initialAppState } from "./lib/store.js";
import { Panel } from "./lib/panel.js";
import { sourceName, switchedOnToast } from "./lib/render_sources.js";
import { SourceSettings } from "./lib/source_settings.js";
import { createNotifier } from "./lib/toast.js";
import { PICKER_NODE, SHOWN_NODES, attachToNodeType, showResult } from "./lib/node_display.js";
import { createManagerClient } from "./lib/manager.js";
import { createManagerRunner } from "./lib/manager_runner.js";
import { QUEUE_EVENTS } from "./lib/manager_queue.js";
import { graphNodeTypes, missingTypes } from "./lib/workflow_types.js";

const NS = "awesomecomfyuibeyond"; // comfy-test's namespace for DisplayName "Awesome ComfyUI Beyond"
const TAB_ID = "awesome-beyond";
const TAB_LABEL = "Awesome ComfyUI Beyond";
const SHORTCUT = "Alt+A";
/** The tab button's tooltip and aria-label, with its shortcut as the built-in tabs show theirs ("Node Library (n)"). */
const TAB_TOOLTIP = `${TAB_LABEL} (${SHORTCUT})`;
/** Not a star: the favourite buttons inside the panel (and ComfyUI-Manager's) are stars. */
const TAB_ICON = "pi pi-compass";
const SETTING_SORT = `${NS}.Sidebar.DefaultSort`;
const SETTING_DESCRIPTIONS = `${NS}.Sidebar.ShowDescriptions`;
const SETTING_ONE_LINE = `${NS}.Sidebar.OneLineRows`;
/** The optional sources' switches; sources.json on the server stays the truth (see source_settings.js). */
const SOURCE_SETTINGS = { manager: `${NS}.Sources.Manager`, registry: `${NS}.Sources.Registry` };
const SETTING_MANAGER_FOLDER = `${NS}.Sources.ManagerFolder`;
const TOGGLE_COMMAND = `${NS}.ToggleSidebar`;
const SETTINGS_CATEGORY = "Awesome ComfyUI Beyond";

/** Translations, loaded once per page; English until they arrive. */
let t = createTranslator(EN);
let locale = "en";
/** @type {Promise<void> | null} */
let i18nReady = null;

function loadI18n() {
  i18nReady ??= (async () => {
    const wanted = [setting("Comfy.Locale", ""), globalThis.navigator?.language];
    const loaded = await loadMessages((route) => api.fetchApi(route), wanted);
    t = createTranslator(loaded.messages);
    locale = loaded.lang;
  })();
  return i18nReady;
}

/**
 * @template T
 * @param {string} id
 * @param {T} fallback
 * @returns {T}
 */
function setting(id, fallback) {
  try {
    const value = app.extensionManager?.setting?.get(id);
    return value === undefined || value === null ? fallback : /** @type {T} */ (value);
  } catch {
    return fallback; // settings not ready yet (very early) or a frontend without them
  }
}

function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage blocked by the browser
  }
}

const defaultSort = () => {
  const value = setting(SETTING_SORT, DEFAULT_SORT);
  return isSort(value) ? value : DEFAULT_SORT;
};
/**
 * How many lines a row shows, from the two settings; `changed` holds a value being set (the
 * frontend calls onChange before it stores the new value).
 * @param {Record<string, unknown>} [changed]
 * @returns {import("./lib/types.js").RowLines}
 */
const rowLines = (changed = {}) => {
  const value = (/** @type {string} */ id, /** @type {unknown} */ fallback) => (id in changed ? changed[id] : setting(id, fallback));
  if (value(SETTING_ONE_LINE, false) === true) return 1;
  return value(SETTING_DESCRIPTIONS, true) !== false ? 3 : 2;
};

/**
 * The pinned types only know the core setting ids; a pack's own ids are plain strings.
 * @param {string} id
 */
const settingId = (id) => /** @type {keyof import("@comfyorg/comfyui-frontend-types").Settings} */ (id);

/** One client for the page: it holds no state. */
const client = createClient((route, init) => api.fetchApi(route, init));

/** The pack's toasts replace each other: quick actions never stack a column of them. */
const toast = createNotifier(() => /** @type {import("./lib/toast.js").ToastLike} */ (app.extensionManager?.toast));

/** ComfyUI's api as the event target it is (the pinned types know only the core events). */
const events = /** @type {EventTarget} */ (/** @type {unknown} */ (api));

/** Installs, enables, updates and downloads through ComfyUI-Manager; one for the page, so a job outlives the tab. */
const manager = createManagerRunner({
  client: createManagerClient((route, init) => api.fetchApi(route, init)),
  store: () => store, notify: (severity, summary, detail) => toast(severity, summary, detail), t: () => t,
  clientId: () => String(/** @type {{clientId?: unknown}} */ (/** @type {unknown} */ (api)).clientId ?? ""),
  setTimer: (fn, ms) => globalThis.setTimeout(fn, ms), clearTimer: (handle) => globalThis.clearTimeout(/** @type {number} */ (handle)),
  now: () => Date.now(),
});
for (const name of QUEUE_EVENTS) {
  events.addEventListener(name, (event) => manager.onEvent(name, /** @type {CustomEvent} */ (event).detail));
}

/** Told when the open graph may have changed: an edit ("graphChanged"), or a workflow loaded. */
/** @type {Set<() => void>} */
const graphWatchers = new Set();
const graphChanged = () => { for (const fn of graphWatchers) fn(); };
events.addEventListener("graphChanged", graphChanged);

/** The open graph's node types, and those this ComfyUI has not registered (LiteGraph's registry, as the frontend checks them). */
const workflow = {
  read() {
    const graph = app.graph;
    const registered = /** @type {{LiteGraph?: {registered_node_types?: Record<string, unknown>}}} */ (globalThis).LiteGraph?.registered_node_types;
    if (!graph || !registered) return null;
    const types = graphNodeTypes(graph);
    return { types, missing: missingTypes(types, (type) => Object.hasOwn(registered, type)) };
  },
  /** @param {() => void} fn */
  subscribe(fn) {
    graphWatchers.add(fn);
    return () => { graphWatchers.delete(fn); };
  },
};

/** Open or close the tab through the frontend's own command for it. */
async function toggleTab() {
  await app.extensionManager.command.execute(`Workspace.ToggleSidebarTab.${TAB_ID}`);
}

const sourceSettings = new SourceSettings({
  client: () => client,
  settingId: (name) => SOURCE_SETTINGS[name],
  getSetting: (id) => setting(id, /** @type {unknown} */ (undefined)),
  setSetting: (id, value) => app.extensionManager?.setting?.set(id, value),
  folderSettingId: (name) => (name === "manager" ? SETTING_MANAGER_FOLDER : null),
  onChanged: (name, enabled) => {
    panel?.sourcesChanged();
    if (!enabled) {
      toast("info", t("sources.turnedOff", { name: sourceName({ t }, name) }));
      return;
    }
    // Say what came of it, from the sources as read now: a success only when entries were read.
    void client.sources().then((info) => {
      const said = switchedOnToast({ t, locale }, name, info);
      toast(said.severity, said.summary, said.detail);
    }, () => {});
  },
  onFolderChanged: (_name, folder) => {
    panel?.sourcesChanged();
    toast("info", folder ? t("sources.folderSaved", { folder }) : t("sources.folderCleared"));
  },
  onError: (name, error) => toast("error", t("sources.toggleFailed", { name: sourceName({ t }, name) }), error.message),
});

/** Lives as long as the page, so closing and reopening the tab keeps everything. */
/** @type {import("./lib/store.js").Store | null} */
let store = null;
/** @type {Panel | null} */
let panel = null;
let renderToken = 0;
let focusOnRender = false;

/** @param {string} message */
async function confirmDialog(message) {
  const dialog = /** @type {{confirm?: (o: object) => Promise<boolean | null>} | undefined} */ (
    /** @type {unknown} */ (app.extensionManager?.dialog));
  if (typeof dialog?.confirm === "function") {
    return (await dialog.confirm({ title: TAB_LABEL, message, type: "delete" })) === true;
  }
  return globalThis.confirm(message);
}

/** @param {HTMLElement} el */
async function render(el) {
  // The frontend may call render again for the same element: keep what is there.
  if (panel && panel.root.parentElement === el) return;
  const token = ++renderToken;
  await loadI18n();
  if (token !== renderToken) return; // destroyed or rendered elsewhere meanwhile
  panel?.destroy();
  store ??= createStore(initialAppState(loadState(storage(), defaultSort())));
  el.style.height = "100%"; // the list fills the tab and scrolls inside it
  panel = new Panel(el.ownerDocument, {
    client, t, locale, store, rowLines: () => rowLines(), defaultSort, storage: storage(), confirm: confirmDialog, notify: toast,
    close: () => { toggleTab().catch((error) => console.warn("[Awesome ComfyUI Beyond] could not close the tab:", error)); },
    onSourceSettings: (settings) => sourceSettings.observe(settings),
    manager, workflow, reload: () => globalThis.location.reload(),
  });
  panel.mount(el);
  if (focusOnRender) {
    focusOnRender = false;
    panel.focusSearch();
  }
}

function destroy() {
  renderToken += 1;
  panel?.destroy();
  panel = null;
}

/** Alt+A: open or close the tab through the frontend's own command, then focus the search. */
async function toggleSidebar() {
  focusOnRender = true;
  try {
    await toggleTab();
  } catch (error) {
    console.warn("[Awesome ComfyUI Beyond] could not toggle the sidebar tab:", error);
    panel?.focusSearch();
  }
  // If the tab was closed instead, no render comes to use the flag.
  globalThis.setTimeout(() => { focusOnRender = false; }, 500);
}

app.registerExtension({
  name: `${NS}.Sidebar`,
  settings: [
    {
      id: settingId(SETTING_SORT),
      name: "Default sort of the catalogue",
      tooltip: "How the Awesome sidebar orders results until you choose another order, and after Clear all.",
      type: "combo",
      options: [...SORTS],
      defaultValue: DEFAULT_SORT,
      category: [SETTINGS_CATEGORY, "Sidebar", "DefaultSort"],
      onChange: (/** @type {unknown} */ value, /** @type {unknown} */ old) => {
        // Also called once at registration (old undefined): that must not undo a saved choice.
        if (old !== undefined && value !== old && typeof value === "string") panel?.applyDefaultSort(value);
      },
    },
    {
      id: settingId(SETTING_DESCRIPTIONS),
      name: "Show descriptions in the list",
      tooltip: "Show one line of each resource's description under its name.",
      type: "boolean",
      defaultValue: true,
      category: [SETTINGS_CATEGORY, "Sidebar", "ShowDescriptions"],
      onChange: (/** @type {unknown} */ value, /** @type {unknown} */ old) => {
        if (old !== undefined && value !== old) panel?.setRowLines(rowLines({ [SETTING_DESCRIPTIONS]: value }));
      },
    },
    {
      id: settingId(SETTING_ONE_LINE),
      name: "Compact list: one line per resource",
      tooltip: "Show each resource on one line (its name, stars and last update), so more fit in view. "
        + "Off: two lines, or three with descriptions.",
      type: "boolean",
      defaultValue: false,
      category: [SETTINGS_CATEGORY, "Sidebar", "OneLineRows"],
      onChange: (/** @type {unknown} */ value, /** @type {unknown} */ old) => {
        if (old !== undefined && value !== old) panel?.setRowLines(rowLines({ [SETTING_ONE_LINE]: value }));
      },
    },
    {
      id: settingId(SOURCE_SETTINGS.manager),
      name: "Use the ComfyUI-Manager database",
      tooltip: "Adds the node packs and models of ComfyUI-Manager's database (about 6,500) to the catalogue. "
        + "Read from an installed ComfyUI-Manager or the folder set below; otherwise downloaded only when you press Refresh in the sidebar.",
      type: "boolean",
      defaultValue: false,
      category: [SETTINGS_CATEGORY, "Sources", "Manager"],
      // Also called at registration (old undefined): that never writes (see source_settings.js).
      onChange: (/** @type {unknown} */ value, /** @type {unknown} */ old) => sourceSettings.onChange("manager", value, old),
    },
    {
      id: settingId(SETTING_MANAGER_FOLDER),
      name: "ComfyUI-Manager folder",
      tooltip: "The folder of a ComfyUI-Manager (holding custom-node-list.json) to read its database from. "
        + "Empty: an installed ComfyUI-Manager if there is one, else the copy downloaded by Refresh in the sidebar.",
      type: "text",
      defaultValue: "",
      category: [SETTINGS_CATEGORY, "Sources", "ManagerFolder"],
      // Also called at registration (old undefined): that never writes (see source_settings.js).
      onChange: (/** @type {unknown} */ value, /** @type {unknown} */ old) => sourceSettings.onFolderChange("manager", value, old),
    },
    {
      id: settingId(SOURCE_SETTINGS.registry),
      name: "Use the Comfy Registry",
      tooltip: "Adds the node packs published on the Comfy Registry to the catalogue. "
        + "Downloaded only when you press Refresh in the sidebar's Sources section.",
      type: "boolean",
      defaultValue: false,
      category: [SETTINGS_CATEGORY, "Sources", "Registry"],
      onChange: (/** @type {unknown} */ value, /** @type {unknown} */ old) => sourceSettings.onChange("registry", value, old),
    },
  ],
  commands: [
    { id: TOGGLE_COMMAND, label: "Toggle the Awesome sidebar", icon: TAB_ICON, function: toggleSidebar },
  ],
  // Bound to our own command (it also focuses the search), not to Workspace.ToggleSidebarTab.*,
  // whose keys the frontend would append to the tooltip in its own spelling: the tooltip
  // names the shortcut itself (TAB_TOOLTIP).
  keybindings: [
    { combo: { key: "a", alt: true }, commandId: TOGGLE_COMMAND },
    { combo: { key: "å", alt: true }, commandId: TOGGLE_COMMAND }, // Alt+A on a Mac keyboard
  ],
  menuCommands: [{ path: ["Extensions", TAB_LABEL], commands: [TOGGLE_COMMAND] }],
  // After every workflow load (and tab switch): the "This workflow" view reads the graph again.
  afterConfigureGraph() {
    graphChanged();
  },
  setup() {
    void loadI18n(); // so the panel opens in the user's language without a wait
    app.extensionManager.registerSidebarTab({
      id: TAB_ID, icon: TAB_ICON, title: "Awesome", tooltip: TAB_TOOLTIP, type: "custom",
      render: (el) => { void render(el); },
      destroy,
    });
  },
});

/** @param {string} type the node's id */
const placeholder = (type) => t(type === PICKER_NODE ? "node.pickerPlaceholder" : "node.placeholder");
/** @param {unknown} type */
const isShown = (type) => /** @type {readonly unknown[]} */ (SHOWN_NODES).includes(type);

app.registerExtension({
  name: `${NS}.BrowserNode`,
  async beforeRegisterNodeDef(nodeType, nodeData) {
    const type = nodeData?.name;
    if (!isShown(type)) return;
    attachToNodeType(nodeType, document, () => placeholder(String(type)), loadI18n());
  },
  // Frontends from about 1.30 restore outputs (switching workflow tabs, reloading) through
  // this hook instead of calling onExecuted; older ones never call it.
  /** @param {Record<string, unknown>} outputs */
  onNodeOutputsUpdated(outputs) {
    for (const [locator, output] of Object.entries(outputs ?? {})) {
      if (locator.includes(":")) continue; // inside a subgraph: found by its own locator, skipped here
      const node = app.graph?.getNodeById?.(Number(locator));
      if (isShown(node?.type)) showResult(/** @type {any} */ (node), output, document, placeholder(String(node?.type)));
    }
  },
});
