// The store's part for ComfyUI-Manager and the workflow view: each action, and no change when
// nothing changes (so nothing renders).
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildQuery, hasFilters, initialState, loadState, reduce } from "../../web/lib/state.js";
import { initialAppState, reduceApp } from "../../web/lib/store.js";

const V3 = { api: "v3", version: "V3.41", legacy: false, outdated: false };
const job = { uiId: "u", kind: "install", resourceId: "r", name: "R", phase: "queued", message: "", refusal: "", status: 0, target: "", idleSince: null };

test("the Manager's state: found, its list, records, the job and its messages, the restart", () => {
  let state = initialAppState(initialState());
  assert.deepEqual([state.ui.manager, state.ui.managerList, state.ui.managerJob, state.ui.restart], [null, "idle", null, "none"]);
  state = reduceApp(state, { type: "manager", info: V3 });
  assert.equal(reduceApp(state, { type: "manager", info: { ...V3 } }), state, "the same Manager: no change");
  state = reduceApp(state, { type: "managerList", status: "ready" });
  assert.equal(reduceApp(state, { type: "managerList", status: "ready" }), state);
  state = reduceApp(state, { type: "managerRecord", id: "r", record: null });
  assert.equal(reduceApp(state, { type: "managerRecord", id: "r", record: null }), state);
  state = reduceApp(state, { type: "job", job });
  assert.equal(reduceApp(state, { type: "managerEvent", name: "cm-queue-status", detail: { status: "in_progress", target: "x" } }), state);
  state = reduceApp(state, { type: "managerEvent", name: "cm-queue-status", detail: { status: "done", nodepack_result: { u: "success" } } });
  assert.equal(state.ui.managerJob?.phase, "done");
  assert.equal(reduceApp(state, { type: "managerPoll", status: { is_processing: false }, now: 1 }), state, "an ended job is not polled");
  state = reduceApp(state, { type: "managerRecordsReset" });
  assert.deepEqual([state.ui.managerRecords, state.ui.managerList], [{}, "idle"]);
  assert.equal(reduceApp(state, { type: "managerRecordsReset" }), state);
  state = reduceApp(state, { type: "restart", state: "needed" });
  assert.equal(reduceApp(state, { type: "restart", state: "needed" }), state);
  // The page's view starts afresh at each opening; the Manager's state stays.
  const reopened = reduceApp(state, { type: "opened", rowLines: 3 });
  assert.equal(reopened.ui, state.ui);
});

test("the confirmation and its version; the workflow's missing types and an answer for them", () => {
  let state = initialAppState(initialState());
  assert.equal(reduceApp(state, { type: "confirmVersion", version: "1.0" }), state, "no confirmation open");
  const confirm = { kind: "install", resource: null, phase: "ready", plan: null, version: "", error: "" };
  state = reduceApp(state, { type: "confirm", confirm });
  state = reduceApp(state, { type: "confirmVersion", version: "1.0" });
  assert.equal(state.view.confirm?.version, "1.0");
  assert.equal(reduceApp(state, { type: "confirmVersion", version: "1.0" }), state);
  state = reduceApp(state, { type: "workflowTypes", missing: ["A", "B"], total: 5 });
  assert.equal(reduceApp(state, { type: "workflowTypes", missing: ["A", "B"], total: 5 }), state, "the same list: no change");
  state = reduceApp(state, { type: "workflowLoading", key: "A\nB" });
  assert.equal(reduceApp(state, { type: "workflowAnswer", key: "A", answer: { types: [], unmatched: 0 }, error: "" }), state,
    "an answer for other types is dropped");
  state = reduceApp(state, { type: "workflowAnswer", key: "A\nB", answer: null, error: "down" });
  assert.deepEqual([state.view.workflow.status, state.view.workflow.error], ["failed", "down"]);
});

test("the workflow view takes the pane; details opened from it go back to it; `all` goes to the list", () => {
  let state = initialAppState(initialState());
  state = reduceApp(state, { type: "openWorkflow" });
  assert.equal(state.view.pane.mode, "workflow");
  assert.equal(reduceApp(state, { type: "openWorkflow" }), state);
  const resource = { id: "r", name: "R" };
  state = reduceApp(state, { type: "showDetails", resource });
  assert.deepEqual([state.view.pane.mode, state.view.pane.back, state.search.detailsOpen], ["details", "workflow", true]);
  state = reduceApp(state, { type: "showDetails", resource: { ...resource, node_types: ["X"] } });
  assert.equal(state.view.pane.back, "workflow", "the same details, read again, still go back there");
  const back = reduceApp(state, { type: "closePane" });
  assert.deepEqual([back.view.pane.mode, back.search.detailsOpen], ["workflow", false]);
  assert.equal(reduceApp(state, { type: "closePane", all: true }).view.pane.mode, null);
  assert.equal(reduceApp(back, { type: "closePane" }).view.pane.mode, null);
});

test("Disabled only: a filter like Installed only, sent as disabled=1, saved, cleared with the others", () => {
  let state = reduce(initialState(), { type: "disabledOnly", value: true });
  assert.ok(hasFilters(state));
  assert.match(buildQuery(state), /(^|&)disabled=1(&|$)/);
  const saved = new Map([["awesomecomfyuibeyond.sidebar.v1", JSON.stringify(state)]]);
  assert.equal(loadState({ getItem: (k) => saved.get(k) ?? null }).disabledOnly, true);
  state = reduce(state, { type: "clearFilters" });
  assert.equal(state.disabledOnly, false);
  assert.doesNotMatch(buildQuery(state), /disabled/);
});
