// The store's part for ComfyUI-Manager and the "This workflow" view: the Manager found, its
// records, the job running through it and the restart it asks for (all in `ui`: they outlive
// the panel), and the confirmation and the workflow's missing node types (in `view`).
// store.js's reducer hands these actions here; nothing else changes this state.

import { onQueueEvent, onQueuePoll } from "./manager_queue.js";

/** @typedef {import("./types.js").AppState} AppState */
/** @typedef {import("./types.js").WorkflowView} WorkflowView */

/**
 * @typedef {{type: "manager", info: import("./types.js").ManagerInfo}
 *   | {type: "managerList", status: import("./types.js").UiState["managerList"]}
 *   | {type: "managerRecord", id: string, record: import("./types.js").PackRecord | null}
 *   | {type: "managerRecordsReset"}
 *   | {type: "job", job: import("./types.js").ManagerJob | null}
 *   | {type: "managerEvent", name: string, detail: unknown}
 *   | {type: "managerPoll", status: unknown, now: number}
 *   | {type: "restart", state: import("./types.js").RestartState}
 *   | {type: "confirm", confirm: import("./types.js").Confirm | null}
 *   | {type: "confirmVersion", version: string}
 *   | {type: "workflowTypes", missing: string[] | null, total: number}
 *   | {type: "workflowLoading", key: string}
 *   | {type: "workflowAnswer", key: string, answer: import("./types.js").NodeTypesAnswer | null, error: string}} ManagerAction
 */

/** @type {WorkflowView} */
export const NO_WORKFLOW = Object.freeze({ missing: null, total: 0, status: "idle", key: "", answer: null, error: "" });

/** The `ui` fields of this part, as a page starts. */
export const MANAGER_UI = Object.freeze({
  manager: null, managerList: /** @type {const} */ ("idle"), managerRecords: {}, managerJob: null, restart: /** @type {const} */ ("none"),
});

/** The key of a list of node types: the answer for it can be reused. @param {readonly string[]} types */
export const typesKey = (types) => types.join("\n");

const MANAGER_ACTIONS = new Set(["manager", "managerList", "managerRecord", "managerRecordsReset", "job", "managerEvent",
  "managerPoll", "restart", "confirm", "confirmVersion", "workflowTypes", "workflowLoading", "workflowAnswer"]);

/** @param {{type: string}} action @returns {action is ManagerAction} */
export const isManagerAction = (action) => MANAGER_ACTIONS.has(action.type);

/** @param {AppState} state @param {Partial<import("./types.js").UiState>} change @returns {AppState} */
const withUi = (state, change) => ({ ...state, ui: { ...state.ui, ...change } });
/** @param {AppState} state @param {Partial<import("./types.js").ViewState>} change @returns {AppState} */
const withView = (state, change) => ({ ...state, view: { ...state.view, ...change } });
/** @param {AppState} state @param {Partial<WorkflowView>} change @returns {AppState} */
const withWorkflow = (state, change) => withView(state, { workflow: { ...state.view.workflow, ...change } });

/** @param {readonly string[] | null} a @param {readonly string[] | null} b */
const sameList = (a, b) => a === b || (a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]));

/**
 * @param {AppState} state
 * @param {ManagerAction} action
 * @returns {AppState}
 */
export function reduceManager(state, action) {
  const { ui, view } = state;
  switch (action.type) {
    case "manager":
      return ui.manager && ui.manager.api === action.info.api && ui.manager.version === action.info.version
        && ui.manager.legacy === action.info.legacy && ui.manager.outdated === action.info.outdated
        ? state : withUi(state, { manager: action.info });
    case "managerList":
      return ui.managerList === action.status ? state : withUi(state, { managerList: action.status });
    case "managerRecord":
      return ui.managerRecords[action.id] === action.record ? state
        : withUi(state, { managerRecords: { ...ui.managerRecords, [action.id]: action.record } });
    case "managerRecordsReset": // after a job: the Manager's view of the packs changed
      return Object.keys(ui.managerRecords).length === 0 && ui.managerList === "idle" ? state
        : withUi(state, { managerRecords: {}, managerList: "idle" });
    case "job":
      return ui.managerJob === action.job ? state : withUi(state, { managerJob: action.job });
    case "managerEvent": {
      const job = onQueueEvent(ui.managerJob, action.name, action.detail);
      return job === ui.managerJob ? state : withUi(state, { managerJob: job });
    }
    case "managerPoll": {
      const job = onQueuePoll(ui.managerJob, action.status, action.now);
      return job === ui.managerJob ? state : withUi(state, { managerJob: job });
    }
    case "restart":
      return ui.restart === action.state ? state : withUi(state, { restart: action.state });
    case "confirm":
      return view.confirm === action.confirm ? state : withView(state, { confirm: action.confirm });
    case "confirmVersion":
      return !view.confirm || view.confirm.version === action.version ? state
        : withView(state, { confirm: { ...view.confirm, version: action.version } });
    case "workflowTypes":
      return sameList(view.workflow.missing, action.missing) && view.workflow.total === action.total ? state
        : withWorkflow(state, { missing: action.missing, total: action.total });
    case "workflowLoading":
      return withWorkflow(state, { status: "loading", key: action.key, error: "" });
    case "workflowAnswer": // an answer for types no longer missing is dropped
      return action.key !== view.workflow.key ? state
        : withWorkflow(state, { status: action.answer ? "ready" : "failed", answer: action.answer, error: action.error });
    default:
      return state;
  }
}
