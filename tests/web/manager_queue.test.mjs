// Following a ComfyUI-Manager job: its websocket messages (v3 and v4) and the status poll.
import { test } from "node:test";
import assert from "node:assert/strict";
import { IDLE_GRACE_MS, isActive, onQueueEvent, onQueuePoll, parseVersion } from "../../web/lib/manager_queue.js";

/** @returns {import("../../web/lib/types.js").ManagerJob} */
const job = (extra = {}) => ({
  uiId: "ui-1", kind: "install", resourceId: "probe", name: "Probe", phase: "queued", message: "", refusal: "", status: 0,
  target: "custom_nodes/probe", idleSince: null, ...extra,
});

test("v3: in_progress for its task marks it running; done carries the outcome by ui_id", () => {
  const queued = job();
  assert.equal(onQueueEvent(queued, "cm-queue-status", { status: "in_progress", target: "other", ui_target: "nodepack_manager" }), queued,
    "another task: nothing changes");
  const running = onQueueEvent(queued, "cm-queue-status", { status: "in_progress", target: "ui-1", total_count: 1, done_count: 0 });
  assert.equal(running?.phase, "running");
  assert.equal(onQueueEvent(running, "cm-queue-status", { status: "in_progress", target: "ui-1" }), running);
  const done = { status: "done", nodepack_result: { "ui-1": "success" }, model_result: {}, total_count: 1, done_count: 1 };
  assert.deepEqual([onQueueEvent(running, "cm-queue-status", done)?.phase, onQueueEvent(running, "cm-queue-status", done)?.message], ["done", ""]);
  const skipped = onQueueEvent(running, "cm-queue-status", { ...done, nodepack_result: { "ui-1": "skip" } });
  assert.deepEqual([skipped?.phase, skipped?.message], ["done", "skip"]);
  const failed = onQueueEvent(running, "cm-queue-status", { ...done, nodepack_result: { "ui-1": "Node 'x@unknown' not found in [default, cache]" } });
  assert.deepEqual([failed?.phase, failed?.message], ["failed", "Node 'x@unknown' not found in [default, cache]"]);
  const model = onQueueEvent(job({ kind: "download" }), "cm-queue-status", { status: "done", nodepack_result: {}, model_result: { "ui-1": "success" } });
  assert.equal(model?.phase, "done");
  const other = onQueueEvent(running, "cm-queue-status", { status: "done", nodepack_result: { another: "success" } });
  assert.equal(other?.phase, "finished", "the queue ended without a word about this job");
  assert.equal(onQueueEvent(running, "cm-queue-status", { status: "weird" }), running);
  assert.equal(onQueueEvent(failed, "cm-queue-status", done), failed, "an ended job stays as it ended");
  assert.equal(onQueueEvent(null, "cm-queue-status", done), null);
});

test("v4: task started and completed by ui_id; all-done ends a job it never reported", () => {
  const queued = job();
  assert.equal(onQueueEvent(queued, "cm-task-started", { ui_id: "other" }), queued);
  const running = onQueueEvent(queued, "cm-task-started", { ui_id: "ui-1", kind: "install" });
  assert.equal(running?.phase, "running");
  assert.equal(onQueueEvent(running, "cm-task-started", { ui_id: "ui-1" }), running);
  assert.equal(onQueueEvent(running, "cm-task-completed", { ui_id: "ui-1", result: "success", status: { status_str: "success" } })?.phase, "done");
  const failed = onQueueEvent(running, "cm-task-completed", { ui_id: "ui-1", result: "Installation failed", status: { status_str: "error" } });
  assert.deepEqual([failed?.phase, failed?.message], ["failed", "Installation failed"]);
  assert.equal(onQueueEvent(running, "cm-task-completed", { ui_id: "ui-1", status: { status_str: "failed" } })?.message, "failed");
  assert.equal(onQueueEvent(running, "cm-task-failed", { ui_id: "ui-1", error: "boom" })?.message, "boom");
  assert.equal(onQueueEvent(running, "cm-queue-status", { status: "all-done" })?.phase, "finished");
  assert.equal(onQueueEvent(running, "cm-something", { ui_id: "ui-1" }), running);
});

test("polling: busy keeps it running; idle for the grace period ends it, outcome unknown", () => {
  const queued = job();
  const running = onQueuePoll(queued, { is_processing: true, total_count: 1, done_count: 0 }, 1000);
  assert.equal(running?.phase, "running");
  assert.equal(onQueuePoll(running, { is_processing: true }, 1500), running);
  const idle = onQueuePoll(running, { is_processing: false }, 2000);
  assert.equal(idle?.idleSince, 2000);
  assert.equal(onQueuePoll(idle, { is_processing: false }, 2000 + IDLE_GRACE_MS - 1), idle, "the websocket's report may still come");
  assert.equal(onQueuePoll(idle, { is_processing: true }, 2500)?.idleSince, null, "busy again");
  assert.equal(onQueuePoll(idle, { is_processing: false }, 2000 + IDLE_GRACE_MS)?.phase, "finished");
  assert.equal(onQueuePoll(null, {}, 0), null);
  assert.equal(isActive(job({ phase: "refused" })), false);
});

test("the version text of GET /manager/version, and nothing else", () => {
  assert.equal(parseVersion("V3.41"), "V3.41");
  assert.equal(parseVersion(" V4.2.1\n"), "V4.2.1");
  assert.equal(parseVersion("3.41-beta"), "3.41-beta");
  assert.equal(parseVersion("<!doctype html><html>"), "");
  assert.equal(parseVersion("404: Not Found"), "");
  assert.equal(parseVersion(undefined), "");
});
