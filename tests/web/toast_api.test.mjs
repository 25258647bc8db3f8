import { test } from "node:test";
import assert from "node:assert/strict";
import { createNotifier, notify } from "../../web/lib/toast.js";
import { ApiError, createClient, isAbort } from "../../web/lib/api.js";

test("toasts use success/error (with a duration) when the frontend has them, else add({severity, summary, detail, life})", () => {
  const seen = [];
  const modern = { success: (title, options) => seen.push(["success", title, options]), add: () => seen.push(["add"]) };
  assert.equal(notify(modern, "success", "Saved", "detail"), true);
  assert.deepEqual(seen.splice(0), [["success", "Saved", { description: "detail", duration: 3000 }]]);
  assert.equal(notify({ add: (m) => seen.push(m) }, "error", "Failed", "why"), true);
  assert.deepEqual(seen, [{ severity: "error", summary: "Failed", detail: "why", life: 8000 }]);
  assert.equal(notify(undefined, "info", "x"), false);
  assert.equal(notify({}, "info", "x"), false);
  const warn = console.warn;
  console.warn = () => {};
  try {
    assert.equal(notify({ error: () => { throw new Error("broken store"); } }, "error", "x"), false);
  } finally {
    console.warn = warn;
  }
});

test("the pack's toasts replace each other, on the newer API (dismiss by id) and the older (remove by message)", () => {
  const shown = [];
  let next = 0;
  const modern = {
    success: (title) => { shown.push(title); return `id-${next++}`; },
    error: (title) => { shown.push(title); return `id-${next++}`; },
    dismiss: (id) => shown.push(`dismiss ${id}`),
  };
  let toast = modern;
  const say = createNotifier(() => toast);
  say("success", "one");
  say("error", "two");
  say("success", "three");
  assert.deepEqual(shown.splice(0), ["one", "dismiss id-0", "two", "dismiss id-1", "three"]);
  const added = [];
  const removed = [];
  toast = { add: (m) => added.push(m), remove: (m) => removed.push(m) };
  say("info", "four"); // the frontend changed under it: the modern toast is still dismissed by id
  say("info", "five");
  assert.deepEqual(shown, ["dismiss id-2"]);
  assert.deepEqual(added.map((m) => m.summary), ["four", "five"]);
  assert.deepEqual(removed, [added[0]], "removed by the very object it was added with");
  toast = null;
  assert.doesNotThrow(() => say("info", "nowhere"));
  assert.deepEqual(removed, [added[0], added[1]]);
});

function fakeFetch(respond) {
  const calls = [];
  const fetchApi = async (route, init) => { calls.push({ route, init }); return respond(route, init); };
  return { calls, client: createClient(fetchApi) };
}
const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

test("requests go to /awesome/v1 with JSON bodies and encoded ids", async () => {
  const { calls, client } = fakeFetch(() => json({ ids: ["a"] }));
  await client.setFavorite("a/../b", true);
  await client.addEntry({ name: "x" });
  await client.search("q=video&sort=relevance");
  assert.equal(calls[0].route, "/awesome/v1/user/favorites/a%2F..%2Fb");
  assert.equal(calls[0].init.method, "PUT");
  assert.equal(calls[1].init.headers["Content-Type"], "application/json");
  assert.equal(calls[1].init.body, '{"name":"x"}');
  assert.equal(calls[2].route, "/awesome/v1/resources?q=video&sort=relevance");
  assert.notEqual(calls[0].init, calls[1].init, "a fresh init object per request");
  assert.deepEqual(calls[2].init.headers, {}, "a GET says nothing of its (absent) body");
});

test("every request that changes something says JSON, with or without a body", async () => {
  const { calls, client } = fakeFetch((route, init) => (init.method === "DELETE" ? new Response(null, { status: 204 })
    : json({ ids: [], settings: {}, name: "manager", ok: true, outcomes: [] })));
  await client.setFavorite("a", true);
  await client.setFavorite("a", false);
  await client.deleteEntry("a");
  await client.refreshSource("manager");
  await client.checkLinks(["a"]);
  assert.deepEqual(calls.map((c) => [c.init.method, c.init.headers["Content-Type"]]), [
    ["PUT", "application/json"], ["DELETE", "application/json"], ["DELETE", "application/json"],
    ["POST", "application/json"], ["POST", "application/json"]]);
});

test("errors carry the server's status, message and problems", async () => {
  const problems = [{ file: "request", line: null, field: "url", message: "bad" }];
  const { client } = fakeFetch(() => json({ error: { status: 400, message: "the entry is not valid", param: "url", problems } }, 400));
  await assert.rejects(client.addEntry({}), (error) => error instanceof ApiError && error.status === 400
    && error.message === "the entry is not valid" && error.param === "url" && error.problems.length === 1 && !error.offline);
  const taken = fakeFetch(() => json({ error: { status: 409, message: "listed already", param: "url", existing: { id: "x", name: "X" } } }, 409));
  await assert.rejects(taken.client.addEntry({}), (error) => error instanceof ApiError && error.status === 409
    && error.param === "url" && error.existing?.id === "x" && error.existing?.name === "X");
  const odd = fakeFetch(() => json({ error: { status: 409, message: "listed already", existing: { id: 3 } } }, 409));
  await assert.rejects(odd.client.addEntry({}), (error) => error instanceof ApiError && error.existing === undefined);
  const html = fakeFetch(() => new Response("<h1>Bad gateway</h1>", { status: 502, statusText: "Bad Gateway" }));
  await assert.rejects(html.client.sources(), { name: "ApiError", status: 502, message: "Bad Gateway" });
  const notJson = fakeFetch(() => new Response("hello", { status: 200 }));
  await assert.rejects(notJson.client.categories(), { status: 200, message: /not the expected JSON/ });
  const deleted = fakeFetch(() => new Response(null, { status: 204 }));
  assert.equal(await deleted.client.deleteEntry("x"), null);
});

test("a server that cannot be reached is 'offline'; our own aborts stay aborts", async () => {
  const down = fakeFetch(() => { throw new TypeError("Failed to fetch"); });
  await assert.rejects(down.client.sources(), (error) => error instanceof ApiError && error.offline);
  const controller = new AbortController();
  controller.abort();
  const aborted = fakeFetch(() => { throw new DOMException("The user aborted a request.", "AbortError"); });
  await assert.rejects(aborted.client.search("sort=name", controller.signal), (error) => isAbort(error));
  const timeout = fakeFetch(() => { throw new DOMException("Fetch timeout", "TimeoutError"); });
  await assert.rejects(timeout.client.search("sort=name", new AbortController().signal), (error) => error instanceof ApiError && error.offline);
});
