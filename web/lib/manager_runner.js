// Acting through ComfyUI-Manager, for the page: finding it, reading its node list once when
// needed, planning an action, sending it (reset, the request, start, as its own dialog does),
// following it (its websocket messages, and polling its queue status as a fallback), saying
// how it ended, and restarting ComfyUI when asked. One runner lives as long as the page, so a
// job outlives the panel; its state is in the store (store_manager.js), its toasts are here.
// A refusal by the Manager's security settings is reported, never worked around.

import { indexRecords, findRecord, buildPlan, refusal } from "./manager_packs.js";
import { isActive } from "./manager_queue.js";

/** @typedef {import("./types.js").Resource} Resource */
/** @typedef {import("./types.js").ManagerInfo} ManagerInfo */
/** @typedef {import("./types.js").ManagerJob} ManagerJob */
/** @typedef {import("./types.js").ManagerKind} ManagerKind */
/** @typedef {import("./types.js").Plan} Plan */
/** @typedef {import("./types.js").PackRecord} PackRecord */

/** How often the queue status is asked while a job runs, and ComfyUI while it restarts. */
export const POLL_MS = 2000;
/** How long a restart may take before the sidebar stops waiting for ComfyUI. */
export const RESTART_WAIT_MS = 180000;

/**
 * @typedef {object} RunnerDeps
 * @property {import("./manager.js").ManagerClient} client
 * @property {() => import("./store.js").Store | null} store the page's store, once there is one
 * @property {(severity: "success" | "error" | "info", summary: string, detail?: string) => void} notify
 * @property {() => import("./types.js").Translate} t the translations of the moment
 * @property {() => string} clientId ComfyUI's websocket client id (v4 addresses its messages by it)
 * @property {(fn: () => void, ms: number) => unknown} setTimer
 * @property {(handle: unknown) => void} clearTimer
 * @property {() => number} now
 */

/** @param {RunnerDeps} deps */
export function createManagerRunner(deps) {
  const { client } = deps;
  /** @type {Promise<import("./types.js").ManagerInfo> | null} */
  let detecting = null;
  /** @type {Promise<ReturnType<typeof indexRecords> | null> | null} the node list, read once until a job changes it */
  let listing = null;
  /** @type {unknown} */
  let pollTimer = null;
  let seq = 0;
  /** The resource of each job sent, by ui_id: to ask the Manager about it when the job's report is lost. */
  /** @type {Map<string, Resource>} */
  const jobResources = new Map();

  /** @param {import("./store.js").Action} action */
  const dispatch = (action) => deps.store()?.dispatch(action);
  const state = () => deps.store()?.getState() ?? null;
  const job = () => state()?.ui.managerJob ?? null;

  /**
   * Which Manager answers on this page (asked once; `again` asks anew, after a restart).
   * @param {boolean} [again]
   * @returns {Promise<ManagerInfo>}
   */
  function detect(again = false) {
    const known = state()?.ui.manager;
    if (known && !again) return Promise.resolve(known);
    if (!detecting || again) {
      detecting = client.detect().then((info) => {
        dispatch({ type: "manager", info });
        return info;
      });
    }
    return detecting;
  }

  /**
   * The Manager's record of a node pack, from its node list (read once, cached); null when it
   * has none or cannot list its packs.
   * @param {Resource} resource
   * @returns {Promise<PackRecord | null>}
   */
  async function recordFor(resource) {
    const known = state()?.ui.managerRecords[resource.id];
    if (known !== undefined) return known;
    const info = await detect();
    if (!listing) {
      dispatch({ type: "managerList", status: "loading" });
      listing = client.list(info).then((answer) => {
        dispatch({ type: "managerList", status: answer ? "ready" : "failed" });
        if (!answer) listing = null; // asked again next time
        return answer ? indexRecords(answer) : null;
      });
    }
    const index = await listing;
    const record = index ? findRecord(index, resource) : null;
    dispatch({ type: "managerRecord", id: resource.id, record });
    return record;
  }

  /**
   * What one action would send, with the Registry's versions to choose from; `error` says
   * why it cannot be done now (no Manager, or the Manager is busy).
   * @param {ManagerKind} kind
   * @param {Resource} resource
   * @returns {Promise<{plan: Plan | null, error: string}>}
   */
  async function plan(kind, resource) {
    const t = deps.t();
    const info = await detect();
    if (info.api === "none") return { plan: null, error: t("manager.none") };
    if (isActive(job())) return { plan: null, error: t("manager.busyHere") };
    const status = /** @type {{is_processing?: unknown, done_count?: unknown, total_count?: unknown} | null} */ (await client.status(info));
    if (status?.is_processing === true) {
      return { plan: null, error: t("manager.busy", { done: Number(status.done_count ?? 0), total: Number(status.total_count ?? 0) }) };
    }
    const record = kind === "download" ? null : await recordFor(resource);
    const uiId = `awesome-beyond-${deps.now().toString(36)}-${++seq}`;
    const made = buildPlan(kind, resource, record, { info, uiId, clientId: deps.clientId() });
    if (!made) return { plan: null, error: t("manager.cannot", { name: resource.name }) };
    if (made.registryId && made.versions.length === 0 && kind === "install") {
      made.versions = await client.versions(info, made.registryId);
    }
    return { plan: made, error: "" };
  }

  function stopPolling() {
    if (pollTimer !== null) deps.clearTimer(pollTimer);
    pollTimer = null;
  }

  /** Ask the queue's status while the job runs: the fallback when no websocket message comes. */
  function poll() {
    stopPolling();
    pollTimer = deps.setTimer(() => {
      pollTimer = null;
      const info = state()?.ui.manager;
      if (!info || !isActive(job())) return;
      void client.status(info).then((status) => {
        if (status) settle(() => dispatch({ type: "managerPoll", status, now: deps.now() }));
        if (isActive(job())) poll();
      });
    }, POLL_MS);
  }

  /**
   * Apply a change to the job, and say how it ended if it just did.
   * @param {() => void} change
   */
  function settle(change) {
    const before = job();
    change();
    const after = job();
    if (!after || after === before || isActive(after) || !isActive(before)) return;
    stopPolling();
    announce(after);
  }

  /** @param {ManagerJob} ended */
  function announce(ended) {
    const t = deps.t();
    const name = ended.name;
    listing = null; // the Manager's view of the packs changed
    dispatch({ type: "managerRecordsReset" });
    const loads = ended.kind !== "download";
    const resource = jobResources.get(ended.uiId);
    jobResources.delete(ended.uiId);
    if (ended.phase === "finished" && loads && resource) {
      // No report came (a lost websocket message): the Manager's own record says how it went.
      dispatch({ type: "restart", state: "needed" });
      void recordFor(resource).then((record) => {
        const done = record?.state === "installed" && !(ended.kind === "update" && record.updatable);
        if (done && job()?.uiId === ended.uiId) dispatch({ type: "job", job: { ...ended, phase: "done" } });
        if (done) deps.notify("success", t(`manager.done.${ended.kind}`, { name }), t("manager.restartHint"));
        else deps.notify("info", t("manager.finished", { name }), t("manager.finishedHint"));
      }, () => deps.notify("info", t("manager.finished", { name }), t("manager.finishedHint")));
      return;
    }
    if (ended.phase === "done" || ended.phase === "finished") {
      if (loads) dispatch({ type: "restart", state: "needed" });
      if (ended.phase === "finished") deps.notify("info", t("manager.finished", { name }), t("manager.finishedHint"));
      else if (ended.message === "skip") deps.notify("info", t("manager.skipped", { name }));
      else deps.notify("success", t(`manager.done.${ended.kind}`, { name }),
        loads ? t("manager.restartHint") : t("manager.savedInto", { folder: ended.target }));
    } else if (ended.phase === "failed") {
      deps.notify("error", t(`manager.failed.${ended.kind}`, { name }), ended.message);
    } else if (ended.phase === "refused") {
      deps.notify("error", t(`manager.refused.${ended.kind}`, { name }),
        t(`manager.security.${ended.refusal}`, { status: ended.status, message: ended.message }));
    }
  }

  /**
   * Send a plan to the Manager and follow it.
   * @param {Plan} made
   * @param {Resource} resource
   */
  async function run(made, resource) {
    const info = await detect();
    if (info.api === "none" || isActive(job())) return;
    /** @type {ManagerJob} Set before anything is sent: the Manager may report at once (an enable). */
    const started = {
      uiId: made.uiId, kind: made.kind, resourceId: resource.id, name: resource.name, phase: "queued", message: "",
      refusal: "", status: 0, target: made.target, idleSince: null,
    };
    jobResources.set(made.uiId, resource);
    dispatch({ type: "job", job: started });
    /** @param {import("./manager.js").Answer} answer */
    const stop = (answer) => {
      const why = refusal(made.kind, answer.status, answer.token, info.outdated);
      const message = answer.text.trim().slice(0, 500);
      settle(() => dispatch({ type: "job", job: { ...started, ...(job() ?? {}), phase: why ? "refused" : "failed",
        refusal: why ?? "", status: answer.status,
        message: why ? message : message || deps.t()("manager.httpFailed", { status: answer.status }) } }));
    };
    if (made.mode === "queue") {
      const reset = await client.reset(info);
      if (!reset.ok) return stop(reset);
    }
    const sent = await client.send(made.route, { method: "POST", body: made.body });
    if (!sent.ok) return stop(sent);
    if (made.mode === "direct") {
      settle(() => dispatch({ type: "job", job: { ...started, phase: "done" } }));
      return undefined;
    }
    if (made.mode === "batch") {
      /** @type {{failed?: unknown}} */
      let answer = {};
      try {
        answer = JSON.parse(sent.text);
      } catch {
        // an empty answer: nothing failed
      }
      if (Array.isArray(answer.failed) && answer.failed.length > 0) return stop({ ...sent, status: 400, text: answer.failed.join(", ") });
    } else if (isActive(job())) {
      const go = await client.start(info);
      if (!go.ok) return stop(go);
    }
    if (isActive(job())) poll();
    return undefined;
  }

  /** Restart ComfyUI through the Manager, then wait until it answers again. */
  async function restart() {
    const t = deps.t();
    const info = await detect();
    if (info.api === "none") return;
    const answer = await client.reboot(info);
    // The Manager replaces the process while answering: a dropped connection is the success.
    if (!answer.ok && answer.status !== 0) {
      const why = refusal("restart", answer.status, answer.token, info.outdated) ?? "other";
      deps.notify("error", t("manager.restartFailed"), t(`manager.security.${why}`, { status: answer.status, message: answer.text.slice(0, 300) }));
      return;
    }
    dispatch({ type: "restart", state: "restarting" });
    deps.notify("info", t("manager.restarting"));
    const since = deps.now();
    let down = answer.status === 0;
    const wait = () => deps.setTimer(() => {
      void client.version(info).then((again) => {
        if (!again.ok) down = true;
        if (again.ok && (down || deps.now() - since > POLL_MS * 5)) {
          dispatch({ type: "restart", state: "back" });
          deps.notify("success", t("manager.back"), t("manager.backHint"));
          void detect(true);
        } else if (deps.now() - since > RESTART_WAIT_MS) {
          dispatch({ type: "restart", state: "needed" });
          deps.notify("error", t("manager.restartLost"));
        } else wait();
      });
    }, POLL_MS);
    wait();
  }

  return {
    detect, recordFor, plan, run, restart,
    /**
     * A websocket message from the Manager about its queue.
     * @param {string} name
     * @param {unknown} detail
     */
    onEvent(name, detail) {
      settle(() => dispatch({ type: "managerEvent", name, detail }));
    },
  };
}

/** @typedef {ReturnType<typeof createManagerRunner>} ManagerRunner */
