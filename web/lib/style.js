// The panel's CSS, scoped under .awesome-beyond-panel and injected with the panel (and
// removed with it). Colours come from ComfyUI's theme variables, present in 1.27 and 1.58,
// so the panel follows light and dark palettes.

/** A row's height in the list by its number of lines (types.js RowLines). */
export const ROW_HEIGHTS = /** @type {const} */ ({ 1: 34, 2: 46, 3: 64 });

/** @param {import("./types.js").RowLines} lines */
export const rowHeight = (lines) => ROW_HEIGHTS[lines] ?? ROW_HEIGHTS[3];

export const CSS = `
.awesome-beyond-panel {
  --ab-fg: var(--fg-color, #ddd);
  --ab-bg: var(--comfy-menu-bg, #353535);
  --ab-input: var(--comfy-input-bg, #222);
  --ab-muted: var(--descrip-text, #999);
  --ab-border: var(--border-color, #4e4e4e);
  --ab-accent: var(--p-primary-color, #60a5fa);
  --ab-error: var(--error-text, #ff4444);
  display: flex; flex-direction: column; height: 100%; min-height: 0; box-sizing: border-box;
  color: var(--ab-fg); font-size: 13px; line-height: 1.35; overflow: hidden;
  /* Rules below ask the panel's own width (@container): the sidebar is resized by the user. */
  container-type: inline-size; container-name: ab-panel; position: relative;
}
.awesome-beyond-panel:focus { outline: none; }
/* The title bar, like the built-in tabs': the title, then Add your own and Close. */
.awesome-beyond-panel .ab-titlebar {
  display: flex; align-items: center; gap: 4px; flex: none; min-height: 40px; padding: 4px 6px 4px 10px;
  border-bottom: 1px solid var(--ab-border);
}
.awesome-beyond-panel .ab-title {
  flex: 1 1 auto; min-width: 0; margin: 0; font-size: 14px; font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}
.awesome-beyond-panel .ab-title-actions { display: flex; gap: 2px; flex: none; }
.awesome-beyond-panel .ab-title-button {
  background: none; border: none; border-radius: 6px; width: 30px; height: 30px; display: inline-flex; align-items: center;
  justify-content: center; color: var(--ab-muted);
}
.awesome-beyond-panel .ab-title-button:hover { color: var(--ab-fg); background: color-mix(in srgb, var(--ab-fg) 10%, transparent); }
.awesome-beyond-panel *, .awesome-beyond-panel *::before, .awesome-beyond-panel *::after { box-sizing: border-box; }
.awesome-beyond-panel .ab-head { padding: 8px 8px 4px; display: flex; flex-direction: column; gap: 6px; flex: none; }
.awesome-beyond-panel .ab-title { display: flex; align-items: center; gap: 6px; font-weight: 600; font-size: 14px; margin: 0; }
.awesome-beyond-panel .ab-title .ab-grow { flex: 1; }
.awesome-beyond-panel .ab-search-box { position: relative; }
.awesome-beyond-panel .ab-search-box .pi-search { position: absolute; left: 8px; top: 50%; transform: translateY(-50%); color: var(--ab-muted); pointer-events: none; }
.awesome-beyond-panel input, .awesome-beyond-panel select, .awesome-beyond-panel textarea {
  background: var(--ab-input); color: var(--ab-fg); border: 1px solid var(--ab-border); border-radius: 6px;
  padding: 5px 8px; font: inherit; min-width: 0; max-width: 100%;
}
.awesome-beyond-panel .ab-search { width: 100%; padding-left: 28px; height: 32px; }
.awesome-beyond-panel input:focus-visible, .awesome-beyond-panel select:focus-visible, .awesome-beyond-panel textarea:focus-visible,
.awesome-beyond-panel button:focus-visible { outline: 2px solid var(--ab-accent); outline-offset: 1px; }
/* The sort and the two toggles; on a narrow sidebar the toggles go under the sort rather than squeeze it. */
.awesome-beyond-panel .ab-toolbar, .awesome-beyond-panel .ab-facet-row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.awesome-beyond-panel .ab-toolbar select { flex: 1 1 120px; min-width: 0; height: 30px; }
.awesome-beyond-panel .ab-toggles { display: flex; gap: 4px; flex: none; }
.awesome-beyond-panel .ab-facet-row select { flex: 1 1 130px; min-width: 0; height: 30px; }
.awesome-beyond-panel button { font: inherit; color: inherit; cursor: pointer; }
.awesome-beyond-panel .ab-button, .awesome-beyond-panel .ab-icon-button, .awesome-beyond-panel .ab-toggle {
  background: var(--ab-input); border: 1px solid var(--ab-border); border-radius: 6px; padding: 4px 8px;
  display: inline-flex; align-items: center; gap: 4px; white-space: nowrap;
}
.awesome-beyond-panel .ab-icon-button, .awesome-beyond-panel .ab-toggle { height: 30px; min-width: 30px; justify-content: center; }
.awesome-beyond-panel .ab-toolbar { gap: 4px; }
.awesome-beyond-panel .ab-toolbar .ab-toggle { min-width: 30px; padding: 0 6px; }
.awesome-beyond-panel .ab-toolbar select { padding-left: 6px; padding-right: 2px; }
.awesome-beyond-panel .ab-button:hover, .awesome-beyond-panel .ab-icon-button:hover, .awesome-beyond-panel .ab-toggle:hover { border-color: var(--ab-accent); }
.awesome-beyond-panel .ab-toggle[aria-pressed="true"] { border-color: var(--ab-accent); color: var(--ab-accent); }
.awesome-beyond-panel .ab-primary { border-color: var(--ab-accent); }
.awesome-beyond-panel .ab-danger:hover { border-color: var(--ab-error); color: var(--ab-error); }
.awesome-beyond-panel .ab-link { background: none; border: none; padding: 0; color: var(--ab-accent); text-decoration: underline; }
.awesome-beyond-panel .ab-link[hidden] { display: none; }
.awesome-beyond-panel .ab-status { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 0 8px; color: var(--ab-muted); font-size: 12px; min-height: 18px; }
.awesome-beyond-panel .ab-progress { height: 2px; position: relative; overflow: hidden; flex: none; }
.awesome-beyond-panel .ab-progress::after {
  content: ""; position: absolute; top: 0; bottom: 0; width: 35%; background: var(--ab-accent);
  animation: ab-slide 1s ease-in-out infinite;
}
.awesome-beyond-panel .ab-progress[hidden] { display: none; }
@keyframes ab-slide { from { left: -35%; } to { left: 100%; } }
/* The sections share one area that shrinks before the list does and scrolls inside; the
   list keeps at least --ab-list-min. A shadow at an edge says there is more that way. */
.awesome-beyond-panel .ab-sections-frame { position: relative; flex: 0 1 auto; min-height: 0; display: flex; flex-direction: column; }
.awesome-beyond-panel .ab-sections { flex: 0 1 auto; min-height: 0; overflow-y: auto; overscroll-behavior: contain; scrollbar-width: thin; }
.awesome-beyond-panel .ab-sections-frame::before, .awesome-beyond-panel .ab-sections-frame::after {
  content: ""; position: absolute; left: 0; right: 0; height: 14px; pointer-events: none; opacity: 0; transition: opacity .15s;
}
.awesome-beyond-panel .ab-sections-frame::before {
  top: 0; background: linear-gradient(rgba(0, 0, 0, .55), transparent); border-top: 2px solid var(--ab-accent);
}
.awesome-beyond-panel .ab-sections-frame::after {
  bottom: 0; background: linear-gradient(transparent, rgba(0, 0, 0, .55)); border-bottom: 2px solid var(--ab-accent);
}
.awesome-beyond-panel .ab-sections-frame[data-more~="above"]::before, .awesome-beyond-panel .ab-sections-frame[data-more~="below"]::after { opacity: 1; }
.awesome-beyond-panel .ab-filters { padding: 0 8px; }
.awesome-beyond-panel .ab-filters > summary, .awesome-beyond-panel .ab-problems > summary,
.awesome-beyond-panel .ab-sources > summary { cursor: pointer; color: var(--ab-muted); font-size: 12px; padding: 2px 0; }
.awesome-beyond-panel .ab-facets { display: flex; flex-direction: column; gap: 6px; padding: 4px 0 6px; }
.awesome-beyond-panel .ab-tags { display: flex; flex-wrap: wrap; gap: 4px; }
.awesome-beyond-panel .ab-more-tags { align-self: flex-start; font-size: 12px; }
.awesome-beyond-panel .ab-chip {
  border: 1px solid var(--ab-border); background: transparent; border-radius: 999px; padding: 1px 8px; font-size: 12px;
}
.awesome-beyond-panel .ab-chip[aria-pressed="true"] { background: var(--ab-accent); border-color: var(--ab-accent); color: #fff; }
.awesome-beyond-panel .ab-problems { margin: 0 8px 4px; border: 1px solid var(--ab-error); border-radius: 6px; padding: 2px 8px; }
.awesome-beyond-panel .ab-problems > summary { color: var(--ab-error); }
.awesome-beyond-panel .ab-problems ul { margin: 4px 0; padding-left: 16px; font-size: 12px; }
.awesome-beyond-panel .ab-sources { padding: 0 8px; }
.awesome-beyond-panel .ab-source-list { list-style: none; margin: 0 0 4px; padding: 0; display: flex; flex-direction: column; }
.awesome-beyond-panel .ab-source { padding: 3px 0; font-size: 12px; min-width: 0; border-bottom: 1px solid color-mix(in srgb, var(--ab-border) 50%, transparent); }
.awesome-beyond-panel .ab-source:last-child { border-bottom: none; }
.awesome-beyond-panel .ab-source-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0 6px; min-height: 22px; }
.awesome-beyond-panel .ab-source-name { font-weight: 600; overflow-wrap: anywhere; min-width: 0; }
.awesome-beyond-panel .ab-source-head .ab-source-info { margin-left: auto; text-align: right; }
.awesome-beyond-panel .ab-source-optional .ab-source-info, .awesome-beyond-panel .ab-source-from { padding-left: 36px; overflow-wrap: anywhere; }
.awesome-beyond-panel .ab-source-from { font-size: 11px; }
.awesome-beyond-panel .ab-source-on .ab-source-info { color: var(--ab-fg); }
.awesome-beyond-panel .ab-source-error { color: var(--ab-error); overflow-wrap: anywhere; }
.awesome-beyond-panel .ab-source-optional .ab-source-info.ab-source-error { color: var(--ab-error); }
.awesome-beyond-panel .ab-source-optional .ab-source-info.ab-source-warn { color: var(--ab-fg); font-style: italic; }
.awesome-beyond-panel .ab-source-skipped { padding-left: 36px; font-size: 11px; }
.awesome-beyond-panel .ab-source-skipped > summary { cursor: pointer; }
.awesome-beyond-panel .ab-source-skipped p { margin: 2px 0; }
.awesome-beyond-panel .ab-source-skipped ul { margin: 2px 0; padding-left: 16px; overflow-wrap: anywhere; }
.awesome-beyond-panel .ab-source-folder { padding: 4px 0 2px 36px; display: flex; flex-direction: column; gap: 2px; font-size: 11px; }
.awesome-beyond-panel .ab-source-folder-input {
  background: var(--ab-input); color: var(--ab-fg); border: 1px solid var(--ab-border); border-radius: 6px; padding: 2px 6px; font-size: 12px; min-width: 0;
}
.awesome-beyond-panel .ab-source-hint { font-size: 11px; margin: 0 0 6px; }
.awesome-beyond-panel .ab-small { padding: 1px 6px; font-size: 12px; height: 24px; }
.awesome-beyond-panel .ab-source-head .ab-icon-button { height: 24px; min-width: 26px; padding: 0 4px; flex: none; }
.awesome-beyond-panel .ab-button:disabled, .awesome-beyond-panel .ab-button[aria-disabled="true"] { opacity: .6; cursor: progress; }
/* A switch: the checkbox stays the control (keyboard, label, role=switch); the track is its look. */
.awesome-beyond-panel .ab-switch { display: inline-flex; align-items: center; gap: 6px; cursor: pointer; min-width: 0; position: relative; }
.awesome-beyond-panel .ab-switch-input { position: absolute; left: 0; opacity: 0; width: 30px; height: 16px; margin: 0; cursor: pointer; z-index: 1; }
.awesome-beyond-panel .ab-switch-track {
  flex: none; width: 30px; height: 16px; border-radius: 999px; background: var(--ab-border); position: relative; transition: background .15s;
}
.awesome-beyond-panel .ab-switch-track::after {
  content: ""; position: absolute; top: 2px; left: 2px; width: 12px; height: 12px; border-radius: 50%; background: #fff;
  box-shadow: 0 0 1px rgba(0, 0, 0, .6); transition: left .15s;
}
.awesome-beyond-panel .ab-switch-input:checked + .ab-switch-track { background: var(--ab-accent); }
.awesome-beyond-panel .ab-switch-input:checked + .ab-switch-track::after { left: 16px; }
.awesome-beyond-panel .ab-switch-input:focus-visible + .ab-switch-track { outline: 2px solid var(--ab-accent); outline-offset: 1px; }
.awesome-beyond-panel .ab-switch-input[aria-busy="true"] + .ab-switch-track { opacity: .5; }
.awesome-beyond-panel .ab-badge {
  display: inline-flex; align-items: center; gap: 3px; flex: none; font-size: 10px; font-weight: 600; line-height: 14px;
  padding: 0 5px; border-radius: 999px; border: 1px solid currentColor; white-space: nowrap;
}
.awesome-beyond-panel .ab-badge .pi { font-size: 9px; }
.awesome-beyond-panel .ab-badge-icon { border: none; padding: 0 2px; }
.awesome-beyond-panel .ab-installed { color: #4ade80; }
/* Disabled: amber, with a ban icon, so it never reads as Installed (on light and dark). */
.awesome-beyond-panel .ab-disabled { color: #d97706; }
.awesome-beyond-panel .ab-link-alive { color: #4ade80; }
.awesome-beyond-panel .ab-link-redirected { color: #fbbf24; }
.awesome-beyond-panel .ab-link-dead { color: var(--ab-error); background: color-mix(in srgb, var(--ab-error) 15%, transparent); }
.awesome-beyond-panel .ab-link-blocked, .awesome-beyond-panel .ab-link-error, .awesome-beyond-panel .ab-link-unchecked { color: var(--ab-muted); }
.awesome-beyond-panel .ab-row-line { display: flex; align-items: center; gap: 6px; min-width: 0; max-width: 100%; }
.awesome-beyond-panel .ab-row-line .ab-row-title { flex: 0 1 auto; min-width: 0; }
/* "kind · category" gives way before "★ stars · date", which always shows. */
.awesome-beyond-panel .ab-row-meta { display: flex; gap: 6px; min-width: 0; color: var(--ab-muted); font-size: 11px; }
.awesome-beyond-panel .ab-row-where { flex: 1 1 auto; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.awesome-beyond-panel .ab-row-facts { flex: none; white-space: nowrap; color: var(--ab-muted); font-size: 11px; }
.awesome-beyond-panel .ab-lines-1 .ab-row-facts { margin-left: auto; }
.awesome-beyond-panel .ab-badges { display: inline-flex; gap: 4px; flex: none; }
.awesome-beyond-panel .ab-row-dead .ab-row-title { text-decoration: line-through; text-decoration-color: var(--ab-error); }
.awesome-beyond-panel .ab-source-head .ab-switch { flex: 1 1 0; min-width: 0; }
.awesome-beyond-panel .ab-details-badges { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; }
.awesome-beyond-panel .ab-details-badges .ab-badge { font-size: 11px; line-height: 16px; }
.awesome-beyond-panel .ab-link-health { display: flex; flex-direction: column; gap: 2px; }
.awesome-beyond-panel .ab-link-line { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.awesome-beyond-panel .ab-link-moved { overflow-wrap: anywhere; }
.awesome-beyond-panel .ab-body { flex: 1 0 auto; min-height: clamp(140px, 45%, 360px); position: relative; border-top: 1px solid var(--ab-border); }
.awesome-beyond-panel .ab-scroller { position: absolute; inset: 0; overflow-y: auto; overflow-x: hidden; outline: none; contain: strict; }
.awesome-beyond-panel .ab-scroller[hidden] { display: none; }
.awesome-beyond-panel .ab-row { display: flex; align-items: stretch; border-bottom: 1px solid color-mix(in srgb, var(--ab-border) 50%, transparent); }
.awesome-beyond-panel .ab-row.ab-selected { background: color-mix(in srgb, var(--ab-accent) 18%, transparent); box-shadow: inset 3px 0 0 var(--ab-accent); }
.awesome-beyond-panel .ab-row-main {
  flex: 1; min-width: 0; display: flex; flex-direction: column; justify-content: center; gap: 1px; text-align: left;
  background: none; border: none; padding: 4px 4px 4px 10px;
}
.awesome-beyond-panel .ab-row:hover { background: color-mix(in srgb, var(--ab-fg) 6%, transparent); }
.awesome-beyond-panel .ab-row-title, .awesome-beyond-panel .ab-row-desc {
  display: block; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 100%;
}
.awesome-beyond-panel .ab-row-title { font-weight: 600; }
.awesome-beyond-panel .ab-row-desc { font-size: 12px; opacity: .85; }
.awesome-beyond-panel .ab-row-loading { align-items: center; padding-left: 10px; color: var(--ab-muted); }
/* An underline, not a background: Chrome paints a mark's background over the ellipsis when
   the match starts just past the cut, which looks like a stray yellow block. */
.awesome-beyond-panel mark {
  background: none; color: inherit; padding: 0;
  text-decoration: underline 2px #facc15; text-underline-offset: 2px; text-decoration-skip-ink: none;
}
.awesome-beyond-panel .ab-star { background: none; border: none; width: 34px; flex: none; color: var(--ab-muted); }
.awesome-beyond-panel .ab-row-main:focus-visible, .awesome-beyond-panel .ab-star:focus-visible { outline-offset: -2px; }
.awesome-beyond-panel .ab-star[aria-pressed="true"] { color: #facc15; }
.awesome-beyond-panel .ab-empty, .awesome-beyond-panel .ab-error { padding: 20px 12px; text-align: center; display: flex; flex-direction: column; align-items: center; gap: 6px; }
.awesome-beyond-panel .ab-empty p, .awesome-beyond-panel .ab-error p { margin: 0; }
.awesome-beyond-panel .ab-empty-icon { font-size: 22px; color: var(--ab-muted); }
.awesome-beyond-panel .ab-error .ab-empty-icon { color: var(--ab-error); }
.awesome-beyond-panel .ab-empty-title { font-weight: 600; }
.awesome-beyond-panel .ab-empty-reason, .awesome-beyond-panel .ab-error-detail { color: var(--ab-muted); overflow-wrap: anywhere; }
.awesome-beyond-panel .ab-pane { flex: 1 1 auto; min-height: 0; overflow-y: auto; border-top: 1px solid var(--ab-border); padding: 8px; }
.awesome-beyond-panel .ab-pane[hidden] { display: none; }
/* The details and the form take the list's place: a narrow sidebar cannot show both well. */
.awesome-beyond-panel.ab-pane-open .ab-body,
.awesome-beyond-panel.ab-pane-open .ab-sections-frame { display: none; }
.awesome-beyond-panel .ab-details-header { display: flex; align-items: center; gap: 4px; }
.awesome-beyond-panel .ab-details-title { flex: 1; margin: 0; font-size: 14px; overflow-wrap: anywhere; }
.awesome-beyond-panel .ab-details-desc { overflow-wrap: anywhere; margin: 6px 0; }
.awesome-beyond-panel .ab-details-desc p, .awesome-beyond-panel .ab-details-desc ol, .awesome-beyond-panel .ab-details-desc ul { margin: 0 0 4px; }
.awesome-beyond-panel .ab-details-desc ol, .awesome-beyond-panel .ab-details-desc ul { padding-left: 18px; }
.awesome-beyond-panel .ab-details-desc a { color: var(--ab-accent); }
.awesome-beyond-panel .ab-fields { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 6px 0; font-size: 12px; }
.awesome-beyond-panel .ab-fields dt { color: var(--ab-muted); }
.awesome-beyond-panel .ab-fields dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
.awesome-beyond-panel .ab-fields a { color: var(--ab-accent); }
.awesome-beyond-panel .ab-actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; justify-content: center; }
.awesome-beyond-panel .ab-details .ab-actions { justify-content: flex-start; }
.awesome-beyond-panel .ab-empty-actions { flex-direction: column; align-items: stretch; width: 100%; max-width: 360px; }
.awesome-beyond-panel .ab-empty-actions .ab-button { white-space: normal; justify-content: center; text-align: center; }
.awesome-beyond-panel .ab-sort-note { margin: 0; color: var(--ab-muted); font-size: 12px; }
.awesome-beyond-panel .ab-sort-note[hidden] { display: none; }
.awesome-beyond-panel .ab-install { margin: 6px 0; }
.awesome-beyond-panel .ab-install-label { color: var(--ab-muted); font-size: 12px; }
.awesome-beyond-panel .ab-command { display: block; background: var(--ab-input); border: 1px solid var(--ab-border); border-radius: 6px; padding: 4px 6px; font-size: 12px; overflow-wrap: anywhere; user-select: all; }
.awesome-beyond-panel .ab-install-row { display: flex; flex-direction: column; gap: 4px; align-items: flex-start; margin-top: 4px; }
.awesome-beyond-panel .ab-muted { color: var(--ab-muted); }
.awesome-beyond-panel .ab-form { display: flex; flex-direction: column; gap: 6px; }
.awesome-beyond-panel .ab-field { display: flex; flex-direction: column; gap: 2px; }
.awesome-beyond-panel .ab-field label { font-size: 12px; color: var(--ab-muted); }
.awesome-beyond-panel .ab-field-error, .awesome-beyond-panel .ab-form-error { color: var(--ab-error); font-size: 12px; }
.awesome-beyond-panel .ab-field-error:empty, .awesome-beyond-panel .ab-form-error:empty { display: none; }
.awesome-beyond-panel [aria-invalid="true"] { border-color: var(--ab-error); }
.awesome-beyond-panel .ab-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
/* ComfyUI-Manager: a row's compact action, the details' Install box, the job and restart bar,
   the confirmation over the panel. */
.awesome-beyond-panel .ab-row-action {
  background: none; border: none; width: 30px; flex: none; color: var(--ab-muted); display: inline-flex; align-items: center; justify-content: center;
}
.awesome-beyond-panel .ab-row-action:hover { color: var(--ab-accent); }
.awesome-beyond-panel .ab-row-action:focus-visible { outline-offset: -2px; }
.awesome-beyond-panel .ab-install-actions, .awesome-beyond-panel .ab-provider-actions { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0; }
.awesome-beyond-panel .ab-primary { background: color-mix(in srgb, var(--ab-accent) 18%, var(--ab-input)); }
.awesome-beyond-panel .ab-install-state, .awesome-beyond-panel .ab-install-where { margin: 4px 0; font-size: 12px; overflow-wrap: anywhere; }
.awesome-beyond-panel .ab-install-error { color: var(--ab-error); overflow-wrap: anywhere; }
.awesome-beyond-panel .ab-install-via { display: block; }
.awesome-beyond-panel .ab-by-hand { margin-top: 4px; font-size: 12px; }
.awesome-beyond-panel .ab-by-hand > summary { cursor: pointer; color: var(--ab-muted); }
.awesome-beyond-panel .ab-command-row { display: flex; flex-direction: column; align-items: flex-start; gap: 4px; margin: 4px 0; }
.awesome-beyond-panel .ab-command-row .ab-command { align-self: stretch; }
.awesome-beyond-panel .ab-node-list > summary { cursor: pointer; }
.awesome-beyond-panel .ab-node-list ul { margin: 2px 0; padding-left: 16px; max-height: 200px; overflow-y: auto; }
.awesome-beyond-panel .ab-manager-bar {
  display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; margin: 0 8px 6px; padding: 4px 8px; font-size: 12px;
  border: 1px solid var(--ab-accent); border-radius: 6px; background: color-mix(in srgb, var(--ab-accent) 10%, transparent);
}
.awesome-beyond-panel .ab-manager-bar > span { flex: 1 1 120px; min-width: 0; overflow-wrap: anywhere; }
.awesome-beyond-panel .ab-confirm-layer {
  position: absolute; inset: 0; z-index: 5; display: flex; align-items: flex-start; justify-content: center; padding: 48px 8px 8px;
  background: rgba(0, 0, 0, .45); overflow-y: auto;
}
.awesome-beyond-panel .ab-confirm {
  width: 100%; max-width: 420px; background: var(--ab-bg); color: var(--ab-fg); border: 1px solid var(--ab-border); border-radius: 8px;
  padding: 10px 12px; box-shadow: 0 6px 24px rgba(0, 0, 0, .4); overflow-wrap: anywhere;
}
.awesome-beyond-panel .ab-confirm-title { margin: 0 0 6px; font-size: 14px; }
.awesome-beyond-panel .ab-confirm p { margin: 4px 0; }
.awesome-beyond-panel .ab-confirm .ab-actions { justify-content: flex-end; }
/* The title bar's "This workflow" button and its count of missing node types. */
.awesome-beyond-panel .ab-title-button { position: relative; }
.awesome-beyond-panel .ab-title-button[hidden] { display: none; }
.awesome-beyond-panel .ab-title-button[aria-pressed="true"] { color: var(--ab-accent); }
.awesome-beyond-panel .ab-title-badge {
  position: absolute; top: 1px; right: 0; min-width: 15px; height: 15px; padding: 0 3px; border-radius: 999px; font-size: 10px; line-height: 15px;
  background: var(--ab-error); color: #fff; font-weight: 600;
}
.awesome-beyond-panel .ab-title-badge[hidden] { display: none; }
.awesome-beyond-panel .ab-workflow-summary { margin: 6px 0; }
.awesome-beyond-panel .ab-missing-list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.awesome-beyond-panel .ab-missing { border: 1px solid var(--ab-border); border-radius: 6px; padding: 6px 8px; }
.awesome-beyond-panel .ab-missing p { margin: 2px 0; font-size: 12px; }
.awesome-beyond-panel .ab-node-type { font-weight: 600; overflow-wrap: anywhere; }
.awesome-beyond-panel .ab-providers { list-style: none; margin: 4px 0 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }
.awesome-beyond-panel .ab-provider-line { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; }
.awesome-beyond-panel .ab-provider-name { text-align: left; overflow-wrap: anywhere; }
.awesome-beyond-panel .ab-provider-note { display: block; }
.awesome-beyond-panel .ab-workflow-hint { font-size: 12px; }
/* The rows' compact action needs room: under 260 px the details have it. */
@container ab-panel (max-width: 259px) {
  .awesome-beyond-panel .ab-row-action { display: none; }
}
/* A narrow sidebar (down to 140 px): controls wrap instead of squeezing, rows keep the name
   readable (two lines when there is room for them) and the stars and date always. */
@container ab-panel (max-width: 200px) {
  .awesome-beyond-panel .ab-head { padding: 6px 6px 4px; }
  .awesome-beyond-panel .ab-filters, .awesome-beyond-panel .ab-sources { padding: 0 6px; }
  .awesome-beyond-panel .ab-problems { margin: 0 6px 4px; }
  .awesome-beyond-panel .ab-titlebar { padding-left: 8px; }
  .awesome-beyond-panel .ab-title { font-size: 13px; }
  .awesome-beyond-panel .ab-row-main { padding: 3px 2px 3px 6px; }
  .awesome-beyond-panel .ab-star { width: 26px; }
  .awesome-beyond-panel .ab-lines-3 .ab-row-desc { display: none; }
  /* "kind · category" would show a letter or two: the details have it; the stars and date stay. */
  .awesome-beyond-panel .ab-row-where { display: none; }
  .awesome-beyond-panel .ab-lines-3 .ab-row-title {
    white-space: normal; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; line-clamp: 2; overflow-wrap: anywhere;
  }
  .awesome-beyond-panel .ab-lines-3 .ab-row-line { align-items: flex-start; }
  .awesome-beyond-panel .ab-badge { font-size: 0; gap: 0; padding: 0 3px; }
  .awesome-beyond-panel .ab-badge .pi { font-size: 10px; }
  .awesome-beyond-panel .ab-source-optional .ab-source-info, .awesome-beyond-panel .ab-source-from { padding-left: 0; }
  .awesome-beyond-panel .ab-source-skipped, .awesome-beyond-panel .ab-source-folder { padding-left: 0; }
  .awesome-beyond-panel .ab-fields { grid-template-columns: 1fr; }
  .awesome-beyond-panel .ab-manager-bar { margin: 0 6px 6px; }
  .awesome-beyond-panel .ab-confirm-layer { padding: 40px 4px 4px; }
}
`;
