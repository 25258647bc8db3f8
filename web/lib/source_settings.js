// The optional sources' on/off switches as ComfyUI settings. The server (sources.json in
// the user folder) is the truth; the settings mirror it:
// - the settings' onChange at registration (old value undefined) never writes anything:
//   a stale saved setting must not undo a change made in the panel or on the command line;
// - when the panel learns the server's state (GET sources, or a PUT's answer), each setting
//   that differs is set to it (its onChange then sees no difference and sends nothing);
// - when the user changes a setting, PUT sources/{name} is sent only if the value differs
//   from the server's (asked with GET sources when not yet known).

import { OPTIONAL_SOURCES } from "./constants.js";

/** @typedef {import("./types.js").OptionalSource} OptionalSource */
/** @typedef {import("./types.js").SourceSetting} SourceSetting */

/**
 * @typedef {object} SourceSettingsDeps
 * @property {() => Pick<import("./api.js").Client, "sources" | "setSource">} client
 * @property {(name: OptionalSource) => string} settingId the ComfyUI setting id of a source
 * @property {(id: string) => unknown} getSetting
 * @property {(id: string, value: boolean) => unknown} setSetting
 * @property {(name: OptionalSource, enabled: boolean) => void} onChanged after a PUT the settings sent
 * @property {(name: OptionalSource, error: Error) => void} onError a PUT the settings sent failed
 */

export class SourceSettings {
  /** @param {SourceSettingsDeps} deps */
  constructor(deps) {
    this.deps = deps;
    /** @type {Partial<Record<OptionalSource, boolean>>} the server's `enabled`, when known */
    this.server = {};
    /** @type {Set<OptionalSource>} sources with a PUT from here in flight */
    this.sending = new Set();
  }

  /**
   * Learn the server's settings and mirror them into ComfyUI's.
   * @param {Partial<Record<string, SourceSetting>> | undefined} settings
   */
  observe(settings) {
    for (const name of OPTIONAL_SOURCES) {
      const enabled = settings?.[name]?.enabled;
      if (typeof enabled !== "boolean" || this.sending.has(name)) continue;
      this.server[name] = enabled; // first, so that the onChange set() triggers sees no difference
      const id = this.deps.settingId(name);
      if (this.deps.getSetting(id) !== enabled) {
        try {
          void Promise.resolve(this.deps.setSetting(id, enabled)).catch(() => {});
        } catch {
          // settings unavailable on this frontend: the panel's switches still work
        }
      }
    }
  }

  /**
   * A setting's onChange.
   * @param {OptionalSource} name
   * @param {unknown} value
   * @param {unknown} old undefined when called at registration
   * @returns {Promise<boolean>} whether a PUT was sent and succeeded
   */
  async onChange(name, value, old) {
    if (old === undefined || typeof value !== "boolean" || value === old) return false;
    const client = this.deps.client();
    try {
      let server = this.server[name];
      if (server === undefined) {
        const info = await client.sources();
        server = info.settings?.[name]?.enabled;
        if (typeof server === "boolean") this.server[name] = server;
      }
      if (server === value) return false;
      this.sending.add(name);
      try {
        await client.setSource(name, { enabled: value });
      } finally {
        this.sending.delete(name);
      }
      this.server[name] = value;
    } catch (error) {
      const known = this.server[name];
      if (typeof known === "boolean") this.observe({ [name]: { enabled: known, folder: "", url: "" } });
      this.deps.onError(name, error instanceof Error ? error : new Error(String(error)));
      return false;
    }
    this.deps.onChanged(name, value);
    return true;
  }
}
