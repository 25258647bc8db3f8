// The English strings of installing through ComfyUI-Manager and of the "This workflow" view
// (part of EN in i18n.js; locales/<lang>/main.json holds them under the same keys).

/** @typedef {import("./i18n.js").Messages} Messages */

const KINDS = ["install", "enable", "update", "download"];

/**
 * One string per action, from a template per action word.
 * @param {Record<string, string>} byKind
 * @returns {Messages}
 */
const perKind = (byKind) => Object.fromEntries(KINDS.map((kind) => [kind, byKind[kind] ?? ""]));

/** @type {Messages} */
export const MANAGER_EN = {
  installer: "Installs",
  looking: "Looking for ComfyUI-Manager…",
  inUse: "Through ComfyUI-Manager {version}: install, enable, update and download from the sidebar.",
  outdatedLine: "ComfyUI-Manager {version} says this ComfyUI is too old for it and blocks installs: update ComfyUI, or run the commands in each pack's details.",
  none: "No ComfyUI-Manager answers here: the sidebar shows the commands to run instead.",
  noneModel: "Without ComfyUI-Manager, download the file into this folder yourself.",
  via: "Through ComfyUI-Manager {version}",
  install: "Install",
  enable: "Enable",
  update: "Update",
  download: "Download",
  installLabel: "Install {name} with ComfyUI-Manager",
  enableLabel: "Enable {name} with ComfyUI-Manager",
  updateLabel: "Update {name} with ComfyUI-Manager",
  downloadLabel: "Download {name} with ComfyUI-Manager",
  byHand: "Or install by hand",
  destination: "Saves {file} into {folder}",
  checkingPack: "Asking ComfyUI-Manager about this pack…",
  importFailed: "Installed, but ComfyUI could not import it: its log says why.",
  upToDate: "Installed. ComfyUI-Manager reports no update.",
  preparing: "Asking ComfyUI-Manager…",
  source: "From",
  target: "Into",
  version: "Version",
  latest: "Latest",
  busy: "ComfyUI-Manager is busy with other tasks ({done} of {total} done): try again when they finish.",
  busyHere: "A ComfyUI-Manager task started here is still running: try again when it ends.",
  cannot: "ComfyUI-Manager cannot install {name}: it has no Registry id and no repository URL.",
  confirm: {
    installTitle: "Install {name}?",
    enableTitle: "Enable {name}?",
    updateTitle: "Update {name}?",
    downloadTitle: "Download {name}?",
    restartTitle: "Restart ComfyUI?",
    clone: "ComfyUI-Manager will clone {url} into {folder}. Restart ComfyUI afterwards to load it.",
    registry: "ComfyUI-Manager will install {id} from the Comfy Registry into {folder}. Restart ComfyUI afterwards to load it.",
    enable: "ComfyUI-Manager will move it back from custom_nodes/.disabled to {folder}. Restart ComfyUI afterwards to load it.",
    update: "ComfyUI-Manager will update it to its latest version. Restart ComfyUI afterwards to load it.",
    download: "ComfyUI-Manager will download {file} into {folder}.",
    restart: "ComfyUI-Manager will restart ComfyUI: a running prompt stops. Reload this page when ComfyUI is back to load the new nodes.",
  },
  job: perKind({
    install: "Installing {name} through ComfyUI-Manager…",
    enable: "Enabling {name} through ComfyUI-Manager…",
    update: "Updating {name} through ComfyUI-Manager…",
    download: "Downloading {name} through ComfyUI-Manager…",
  }),
  done: perKind({
    install: "{name} is installed", enable: "{name} is enabled", update: "{name} is updated", download: "{name} is downloaded",
  }),
  failed: perKind({
    install: "Could not install {name}", enable: "Could not enable {name}", update: "Could not update {name}",
    download: "Could not download {name}",
  }),
  refused: perKind({
    install: "ComfyUI-Manager refused to install {name}", enable: "ComfyUI-Manager refused to enable {name}",
    update: "ComfyUI-Manager refused to update {name}", download: "ComfyUI-Manager refused to download {name}",
  }),
  security: {
    level: "Its security level does not allow this; its terminal log says why. To allow it: stop ComfyUI, set security_level = normal in ComfyUI-Manager's config.ini (in the user folder, default/ComfyUI-Manager/config.ini), and start ComfyUI again.",
    gitUrl: "It installs from a git URL that is not in its list only when its config.ini says allow_git_url_install = True and ComfyUI listens on 127.0.0.1; its terminal log says why. Change that with ComfyUI stopped, or choose a pack from its list.",
    model: "Its security level does not allow this download; its terminal log says why. Downloads need security_level normal, and files that are not .safetensors need weak (or normal- with ComfyUI on 127.0.0.1). Change it in ComfyUI-Manager's config.ini with ComfyUI stopped.",
    modelList: "ComfyUI-Manager downloads only the models of its own model list, and this one is not in it.",
    outdated: "This ComfyUI is too old for its ComfyUI-Manager, which blocks installs until ComfyUI is updated (its terminal log says so). Update ComfyUI, or run the commands in the pack's details.",
    other: "ComfyUI-Manager answered {status}: {message}",
  },
  httpFailed: "ComfyUI-Manager answered {status}; its terminal log says why.",
  finished: "ComfyUI-Manager has finished with {name}",
  finishedHint: "It did not report how it went: its terminal log says.",
  skipped: "ComfyUI-Manager had nothing to do for {name}",
  restartHint: "Restart ComfyUI to load it.",
  savedInto: "Saved into {folder}.",
  restartNeeded: "Restart ComfyUI to load what was installed.",
  restartButton: "Restart ComfyUI",
  restarting: "ComfyUI is restarting…",
  restartFailed: "Could not restart ComfyUI",
  restartLost: "ComfyUI has not answered since the restart: check its terminal.",
  back: "ComfyUI is back",
  backHint: "ComfyUI has restarted: reload this page to load the new nodes.",
  reload: "Reload page",
};

/** @type {Messages} */
export const WORKFLOW_EN = {
  title: "This workflow",
  open: "This workflow: node types ComfyUI does not know",
  openCount: "This workflow: {count} node types ComfyUI does not know",
  openCountOne: "This workflow: 1 node type ComfyUI does not know",
  close: "Close this workflow's view",
  check: "Check the workflow again",
  noGraph: "No workflow is open.",
  allKnown: "Nothing missing: ComfyUI knows all {count} node types of this workflow.",
  allKnownOne: "Nothing missing: ComfyUI knows the one node type of this workflow.",
  missing: "{count} node types of this workflow are not known to this ComfyUI:",
  missingOne: "1 node type of this workflow is not known to this ComfyUI:",
  looking: "Looking for the packs that provide them…",
  failed: "Could not look up the packs: {error}",
  providers: "Packs that provide {type}",
  noProvider: "No pack in the catalogue provides it.",
  more: "…and {count} more packs",
  moreOne: "…and 1 more pack",
  details: "Show the details of {name}",
  notLoaded: "Installed, but not loaded: restart ComfyUI (or see its log if it failed to import).",
  noManager: "Without ComfyUI-Manager, each pack's details show the commands to install it.",
};
