// The optional sources' on/off switches (and the Manager's folder) as ComfyUI settings. The server (sources.json in
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
 * @property {(name: OptionalSource) => string | null} [folderSettingId] the ComfyUI setting id of a source's folder, if it has one
 * @property {(id: string, value: boolean | string) => unknown} setSetting
 * @property {(name: OptionalSource, enabled: boolean) => void} onChanged after a PUT the settings sent
 * @property {(name: OptionalSource, folder: string) => void} [onFolderChanged] after a PUT of a folder the settings sent
 * @property {(name: OptionalSource, error: Error) => void} onError a PUT the settings sent failed
 */

export class SourceSettings {
  /** @param {SourceSettingsDeps} deps */
  constructor(deps) {
    this.deps = deps;
    /** @type {Partial<Record<OptionalSource, boolean>>} the server's `enabled`, when known */
    this.server = {};
    /** @type {Partial<Record<OptionalSource, string>>} the server's `folder`, when known */
    this.folders = {};
    /** @type {Set<OptionalSource>} sources with a PUT from here in flight */
    this.sending = new Set();
  }

  /**
   * Learn the server's settings and mirror them into ComfyUI's.
   * @param {Partial<Record<string, SourceSetting>> | undefined} settings
   */
  observe(settings) {
    for (const name of OPTIONAL_SOURCES) {
      if (this.sending.has(name)) continue;
      const enabled = settings?.[name]?.enabled;
      if (typeof enabled === "boolean") {
        this.server[name] = enabled; // first, so that the onChange set() triggers sees no difference
        this.mirror(this.deps.settingId(name), enabled);
      }
      const folder = settings?.[name]?.folder;
      const folderId = this.deps.folderSettingId?.(name);
      if (typeof folder === "string" && folderId) {
        this.folders[name] = folder;
        this.mirror(folderId, folder);
      }
    }
  }

  /**
   * @param {string} id
   * @param {boolean | string} value
   */
  mirror(id, value) {
    if ((this.deps.getSetting(id) ?? "") === value) return;
    try {
      void Promise.resolve(this.deps.setSetting(id, value)).catch(() => {});
    } catch {
      // settings unavailable on this frontend: the panel's controls still work
    }
  }

  /**
   * A folder setting's onChange: PUT the folder when it differs from the server's.
   * @param {OptionalSource} name
   * @param {unknown} value
   * @param {unknown} old undefined when called at registration
   * @returns {Promise<boolean>} whether a PUT was sent and succeeded
   */
  async onFolderChange(name, value, old) {
    if (old === undefined || typeof value !== "string") return false;
    const folder = value.trim();
    const client = this.deps.client();
    try {
      let server = this.folders[name];
      if (server === undefined) {
        const info = await client.sources();
        server = info.settings?.[name]?.folder;
        if (typeof server === "string") this.folders[name] = server;
      }
      if (server === folder) return false;
      this.sending.add(name);
      try {
        await client.setSource(name, { folder });
      } finally {
        this.sending.delete(name);
      }
      this.folders[name] = folder;
    } catch (error) {
      const known = this.folders[name];
      const id = this.deps.folderSettingId?.(name);
      if (typeof known === "string" && id) this.mirror(id, known);
      this.deps.onError(name, error instanceof Error ? error : new Error(String(error)));
      return false;
    }
    this.deps.onFolderChanged?.(name, folder);
    return true;
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
