// Stands in for ComfyUI's scripts/app.js and scripts/api.js; the test fills globalThis.__fakeComfy.
const fake = /** @type {any} */ (globalThis).__fakeComfy;
export const app = fake.app;
export const api = fake.api;
