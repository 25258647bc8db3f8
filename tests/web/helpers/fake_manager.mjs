// An in-memory ComfyUI-Manager v3.41 behind a fetchApi, with its routes' answers and security
// rules as glob/manager_server.py has them (403/404 plain text, the queue, the status), and its
// websocket messages handed to `emit`. The real Manager runs in tests/e2e.

/**
 * @param {{emit?: (name: string, detail: unknown) => void, version?: string | null, v4?: boolean,
 *   security?: "normal" | "strong", gitUrlAllowed?: boolean}} [options]
 */
export function fakeManager(options = {}) {
  const manager = {
    posts: /** @type {{route: string, body: any, headers: Record<string, string>}[]} */ ([]),
    gets: /** @type {string[]} */ ([]),
    version: options.version === undefined ? "V3.41" : options.version,
    v4: options.v4 ?? false,
    security: options.security ?? "normal",
    /** ComfyUI too old for it: it forces security_level strong and says so in its startup alerts. */
    outdated: options.outdated ?? false,
    gitUrlAllowed: options.gitUrlAllowed ?? false,
    emit: options.emit ?? (() => {}),
    /** Its node list (GET /customnode/getlist), by key. */
    packs: /** @type {Record<string, any>} */ ({}),
    /** Registry versions, by id; missing: the route fails as it does offline. */
    versions: /** @type {Record<string, {version: string}[]>} */ ({}),
    queue: /** @type {{kind: string, body: any}[]} */ ([]),
    processing: false,
    /** What a queued task ends with, by ui_id ("success" unless set). */
    results: /** @type {Record<string, string>} */ ({}),
    /** false: the worker's messages are not sent (a lost websocket); finish() runs the queue. */
    autoFinish: true,
    failReboot: false,
    listCalls: 0,
    /** Run the queued tasks and send the messages the Manager sends. */
    finish() {
      const nodepack = {};
      const model = {};
      for (const task of manager.queue.splice(0)) {
        const id = task.body.ui_id;
        const result = manager.results[id] ?? "success";
        (task.kind === "install_model" ? model : nodepack)[id] = result;
        // Its list says so afterwards (the state it reports for the pack).
        const listed = Object.values(manager.packs).find((p) => p.files?.[0] === task.body.files?.[0] || p.id === task.body.id);
        if (listed && result === "success" && task.kind === "install") listed.state = "enabled";
        manager.emit("cm-queue-status", { status: "in_progress", target: id, ui_target: "nodepack_manager", total_count: 1, done_count: 1 });
      }
      manager.processing = false;
      manager.emit("cm-queue-status", { status: "done", nodepack_result: nodepack, model_result: model, total_count: 1, done_count: 1 });
    },
    /** @param {string} route @param {RequestInit} [init] */
    async fetchApi(route, init = {}) {
      const method = init.method ?? "GET";
      const url = new URL(route, "http://127.0.0.1");
      const path = url.pathname;
      const text = (/** @type {string} */ body, status = 200) => new Response(body, { status });
      const json = (/** @type {unknown} */ body, status = 200) => new Response(JSON.stringify(body), { status });
      const refused = () => text("A security error has occurred. Please check the terminal logs", 403);
      if (method === "GET") {
        manager.gets.push(route);
        if (manager.version === null) return text("404: Not Found", 404);
        if (path === (manager.v4 ? "/v2/manager/version" : "/manager/version")) return text(manager.version);
        if (manager.v4 && path === "/v2/manager/is_legacy_manager_ui") return json({ is_legacy_manager_ui: false });
        if (path === "/manager/startup_alerts") {
          return json(manager.outdated ? [{ message: "[ComfyUI-Manager] Security Alert: ComfyUI outdated. Installations blocked (update allowed).\nUpdate ComfyUI for normal operation.", level: "error" }] : []);
        }
        if (path === "/manager/queue/status" || path === "/v2/manager/queue/status") {
          return json({ total_count: manager.queue.length, done_count: 0, in_progress_count: 0, is_processing: manager.processing });
        }
        if (path === "/customnode/getlist") {
          manager.listCalls += 1;
          return json({ channel: "default", node_packs: manager.packs });
        }
        const versions = /^\/customnode\/versions\/(.+)$/.exec(path);
        if (versions) {
          const known = manager.versions[decodeURIComponent(versions[1] ?? "")];
          return known ? json(known) : text("500 Internal Server Error", 500);
        }
        return text("404: Not Found", 404);
      }
      const body = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
      manager.posts.push({ route: path, body, headers: /** @type {Record<string, string>} */ (init.headers ?? {}) });
      const strong = manager.security === "strong" || manager.outdated;
      switch (path) {
        case "/manager/queue/reset":
          manager.queue = [];
          return text("");
        case "/manager/queue/install":
          if (strong) return refused();
          if (body.version === "unknown" && !Object.values(manager.packs).some((p) => p.files?.[0] === body.files?.[0])) {
            return text("A security error has occurred. Please check the terminal logs", 404);
          }
          manager.queue.push({ kind: "install", body });
          return text("");
        case "/manager/queue/update":
          if (strong) return refused();
          manager.queue.push({ kind: "update", body });
          return text("");
        case "/manager/queue/install_model":
          if (strong) return refused();
          manager.queue.push({ kind: "install_model", body });
          return text("");
        case "/manager/queue/start":
          manager.processing = manager.queue.length > 0;
          if (manager.autoFinish) queueMicrotask(() => manager.finish());
          return text("");
        case "/customnode/install/git_url":
          return manager.gitUrlAllowed ? text("") : json({ error: "allow_git_url_install" }, 403);
        case "/manager/reboot":
          if (strong) return json({ error: "comfyui_outdated" }, 403);
          if (manager.failReboot) return text("", 500);
          throw new TypeError("Failed to fetch"); // the process is replaced while answering
        default:
          return text("404: Not Found", 404);
      }
    },
  };
  return manager;
}
