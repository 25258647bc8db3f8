// Start and stop a real ComfyUI with only this pack, for the browser checks.
// Reads COMFYUI_DIR and COMFYUI_PYTHON (default: the folder the README names).
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PACK_FOLDER = "awesome-comfyui-beyond";
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const DEFAULT_DIR = path.join(os.homedir(), "comfyui-e2e", "ComfyUI");
/** The shared data folder: AWESOME_SHARED_DATA, as the Python tests read it, else ../shared/data. */
const SHARED_DATA = process.env.AWESOME_SHARED_DATA || path.resolve(REPO, "..", "shared", "data");
/** ComfyUI-Manager's node database from shared/ (about 6,500 entries), read locally: nothing is downloaded. */
export const MANAGER_DB = path.resolve(SHARED_DATA, "comfyui-manager");

/** Throws, naming the folder, when the Manager database the checks switch on is not there. */
export function requireManagerDb() {
  if (!fs.existsSync(path.join(MANAGER_DB, "custom-node-list.json"))) {
    throw new Error(`the ComfyUI-Manager data is not at ${MANAGER_DB} (set AWESOME_SHARED_DATA)`);
  }
}

/** Where ComfyUI is, or null with the reason. */
export function findComfyUI() {
  const dir = process.env.COMFYUI_DIR || DEFAULT_DIR;
  const python = process.env.COMFYUI_PYTHON || path.join(dir, "..", "venv", "bin", "python");
  if (!fs.existsSync(path.join(dir, "main.py"))) return { skip: `no ComfyUI at ${dir} (set COMFYUI_DIR)` };
  if (!fs.existsSync(python)) return { skip: `no python at ${python} (set COMFYUI_PYTHON)` };
  const link = path.join(dir, "custom_nodes", PACK_FOLDER);
  let isLink = false;
  try { isLink = fs.lstatSync(link).isSymbolicLink(); } catch { /* absent */ }
  if (isLink && (!fs.existsSync(link) || fs.realpathSync(link) !== fs.realpathSync(REPO))) {
    // A link left by a run from another checkout (CI clones afresh): re-point it atomically.
    const temporary = `${link}.${process.pid}`;
    fs.rmSync(temporary, { force: true });
    fs.symlinkSync(REPO, temporary);
    fs.renameSync(temporary, link);
  }
  if (!fs.existsSync(link)) fs.symlinkSync(REPO, link);
  if (fs.realpathSync(link) !== fs.realpathSync(REPO)) throw new Error(`${link} is a folder, not this checkout`);
  return { dir, python };
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/**
 * Start ComfyUI with a fresh user directory (or `userDir`, reused as it is, e.g. for a
 * second start; it is then kept on stop, as with `keepUserDir`) seeded with:
 * - `settings`: ComfyUI settings (comfy.settings.json);
 * - `userResources`: the user's own entries;
 * - `sources`: the pack's sources.json ({manager: {enabled, folder}, registry: {...}});
 * - `links`: the pack's link-check cache, by URL.
 * `whitelist` adds custom node folders to load beside this pack, `extraArgs` ComfyUI options
 * and `env` variables (the ComfyUI-Manager checks pass those of tests/e2e/manager_env.py).
 * @param {{dir: string, python: string, frontendRoot?: string, settings?: object, userResources?: object[],
 *   sources?: object, links?: Record<string, object>, userDir?: string, keepUserDir?: boolean,
 *   whitelist?: string[], extraArgs?: string[], env?: Record<string, string>}} options
 */
export async function startComfyUI({
  dir, python, frontendRoot, settings = {}, userResources, sources, links, userDir: reuse, keepUserDir = false,
  whitelist = [], extraArgs = [], env = {},
}) {
  const userDir = reuse ?? fs.mkdtempSync(path.join(os.tmpdir(), "awesome-e2e-user-"));
  const packDir = path.join(userDir, PACK_FOLDER);
  if (!reuse) {
    fs.mkdirSync(path.join(userDir, "default"), { recursive: true });
    fs.writeFileSync(path.join(userDir, "default", "comfy.settings.json"),
      JSON.stringify({ "Comfy.TutorialCompleted": true, ...settings }));
  }
  if (userResources) {
    fs.mkdirSync(packDir, { recursive: true });
    fs.writeFileSync(path.join(packDir, "resources.json"), JSON.stringify({ schema: 1, resources: userResources }));
  }
  if (sources) {
    fs.mkdirSync(packDir, { recursive: true });
    fs.writeFileSync(path.join(packDir, "sources.json"), JSON.stringify({ schema: 1, ...sources }));
  }
  if (links) {
    fs.mkdirSync(path.join(packDir, "cache"), { recursive: true });
    fs.writeFileSync(path.join(packDir, "cache", "links.json"), JSON.stringify({ schema: 1, links }));
  }
  const port = await freePort();
  const args = [path.join(dir, "main.py"), "--cpu", "--listen", "127.0.0.1", "--port", String(port),
    "--disable-auto-launch", "--user-directory", userDir,
    "--disable-all-custom-nodes", "--whitelist-custom-nodes", PACK_FOLDER, ...whitelist.filter((w) => w !== PACK_FOLDER)];
  if (frontendRoot) args.push("--front-end-root", frontendRoot);
  args.push(...extraArgs);
  const logPath = path.join(userDir, "comfyui.log");
  const log = fs.openSync(logPath, "w");
  const started = Date.now();
  const child = spawn(python, args, { cwd: dir, stdio: ["ignore", log, log], env: { ...process.env, ...env } });
  /** Wait until the log shows the ready line `times` times (a restart in place prints it again). */
  const ready = async (/** @type {number} */ times) => {
    const deadline = Date.now() + 90_000;
    while (fs.readFileSync(logPath, "utf8").split("To see the GUI go to").length - 1 < times) {
      if (child.exitCode !== null) throw new Error(`ComfyUI exited early:\n${fs.readFileSync(logPath, "utf8").slice(-3000)}`);
      if (Date.now() > deadline) {
        child.kill("SIGKILL"); // never leave a half-started server behind
        throw new Error("ComfyUI did not start within 90 s");
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  await ready(1);
  let starts = 1;
  return {
    url: `http://127.0.0.1:${port}`, userDir, logPath, startupMs: Date.now() - started,
    log: () => fs.readFileSync(logPath, "utf8"),
    /** After a restart in place (ComfyUI-Manager's reboot re-executes the same process): ready again. */
    async restarted() {
      starts += 1;
      await ready(starts);
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const until = Date.now() + 20_000;
        while (child.exitCode === null && child.signalCode === null && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        while (child.exitCode === null && child.signalCode === null) await new Promise((r) => setTimeout(r, 100));
      }
      fs.closeSync(log);
      if (!reuse && !keepUserDir) fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}
