// Types for the two modules the entry file imports from the running frontend. On disk
// "../../scripts/app.js" points outside this repository (ComfyUI serves it next to
// /extensions/), so the patterns below stand in for it; every type comes from the pinned
// @comfyorg/comfyui-frontend-types (1.45.6, the last release that ships index.d.ts).

declare module "*/scripts/app.js" {
  import type { ComfyApp } from "@comfyorg/comfyui-frontend-types";
  export const app: ComfyApp;
}

declare module "*/scripts/api.js" {
  import type { ComfyApi } from "@comfyorg/comfyui-frontend-types";
  export const api: ComfyApi;
}
