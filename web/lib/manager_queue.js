// Following a job through ComfyUI-Manager's queue, as pure functions of the job and what the
// Manager reports: its websocket messages (v3 and v4's legacy UI: "cm-queue-status" with
// in_progress per task and done with the results by ui_id; v4: "cm-task-started",
// "cm-task-completed" and "cm-queue-status" all-done) and, as a fallback when no message comes,
// GET /manager/queue/status. Each returns the same job when nothing changes.

/** @typedef {import("./types.js").ManagerJob} ManagerJob */

/** How long the Manager must look idle to polling before a job counts as finished without a report. */
export const IDLE_GRACE_MS = 4000;

/** The websocket messages the Manager sends about its queue. */
export const QUEUE_EVENTS = /** @type {const} */ (["cm-queue-status", "cm-task-started", "cm-task-completed", "cm-task-failed"]);

/** @param {ManagerJob | null | undefined} job */
export const isActive = (job) => Boolean(job && (job.phase === "queued" || job.phase === "running"));

/** @param {unknown} value */
const asRecord = (value) => /** @type {Record<string, unknown>} */ (value && typeof value === "object" ? value : {});

/**
 * A job the Manager reported on: "success" and "skip" end it well; any other text is its error.
 * @param {ManagerJob} job
 * @param {unknown} result undefined: ended without a word about this job
 * @returns {ManagerJob}
 */
function ended(job, result) {
  if (result === undefined || result === null) return { ...job, phase: "finished", message: "" };
  if (result === "success" || result === "skip") return { ...job, phase: "done", message: result === "skip" ? "skip" : "" };
  return { ...job, phase: "failed", message: String(result) };
}

/**
 * The job after one websocket message from the Manager.
 * @param {ManagerJob | null} job
 * @param {string} name the message type
 * @param {unknown} detail its data
 * @returns {ManagerJob | null}
 */
export function onQueueEvent(job, name, detail) {
  if (!job || !isActive(job)) return job;
  const data = asRecord(detail);
  if (name === "cm-queue-status") {
    if (data.status === "in_progress") {
      // Sent as each task ends; the outcome comes with "done".
      return data.target === job.uiId && job.phase !== "running" ? { ...job, phase: "running" } : job;
    }
    if (data.status === "done") {
      const results = { ...asRecord(data.model_result), ...asRecord(data.nodepack_result) };
      return ended(job, Object.hasOwn(results, job.uiId) ? results[job.uiId] : undefined);
    }
    if (data.status === "all-done") return ended(job, undefined); // v4: its task's own message came first, if at all
    return job;
  }
  if (data.ui_id !== job.uiId) return job;
  if (name === "cm-task-started") return job.phase === "running" ? job : { ...job, phase: "running" };
  if (name === "cm-task-completed") {
    const status = asRecord(data.status).status_str;
    if (status === "success" || status === "skip") return ended(job, status);
    return ended(job, typeof data.result === "string" && data.result ? data.result : String(status ?? "failed"));
  }
  if (name === "cm-task-failed") return ended(job, typeof data.error === "string" && data.error ? data.error : "failed");
  return job;
}

/**
 * The job after one answer of GET /manager/queue/status. The Manager's worker is alive while
 * it works; once it has been idle for IDLE_GRACE_MS (time for the websocket's report to
 * arrive) the job counts as finished, outcome unknown.
 * @param {ManagerJob | null} job
 * @param {unknown} status
 * @param {number} now ms
 * @returns {ManagerJob | null}
 */
export function onQueuePoll(job, status, now) {
  if (!job || !isActive(job)) return job;
  const data = asRecord(status);
  if (data.is_processing === true) {
    return job.phase === "running" && job.idleSince === null ? job : { ...job, phase: "running", idleSince: null };
  }
  if (job.idleSince === null) return { ...job, idleSince: now };
  return now - job.idleSince >= IDLE_GRACE_MS ? ended(job, undefined) : job;
}

/**
 * The version text of GET /manager/version ("V3.41"), or "" when the answer is not one (a
 * page, an error text).
 * @param {unknown} text
 */
export function parseVersion(text) {
  if (typeof text !== "string") return "";
  const value = text.trim();
  return /^v?\d+(\.\d+)*([-.+][\w.-]*)?$/i.test(value) && value.length <= 40 ? value : "";
}
