// Module hook for tests: the entry module's "../../scripts/app.js" and "../../scripts/api.js"
// (served by ComfyUI next to /extensions/) resolve to a fake instead.
export async function resolve(specifier, context, nextResolve) {
  const match = /\/scripts\/(app|api)\.js$/.exec(specifier);
  if (match && context.parentURL?.includes("/web/")) {
    return { url: new URL("./fake_comfy.mjs", import.meta.url).href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
