// Toasts through whichever API the running frontend has: the newer
// toast.success/error(title, {description, duration}) with dismiss(id), or the older
// toast.add({...}) with remove(message). The pack shows one toast at a time: each new one
// replaces the last (createNotifier), so quick actions never stack a column of them.

/**
 * @typedef {object} ToastLike
 * @property {(message: {severity?: string, summary?: string, detail?: string, life?: number}) => void} [add]
 * @property {(message: object) => void} [remove]
 * @property {(title: string, options?: {description?: string, duration?: number}) => unknown} [success]
 * @property {(title: string, options?: {description?: string, duration?: number}) => unknown} [error]
 * @property {(title: string, options?: {description?: string, duration?: number}) => unknown} [info]
 * @property {(id: unknown) => void} [dismiss]
 */

/** @typedef {"success" | "error" | "info"} Severity */

/**
 * What was shown, to take it away again: the newer API's id, or the older API's message.
 * @typedef {{dismiss: () => void}} Shown
 */

/**
 * @param {ToastLike | null | undefined} toast
 * @param {Severity} severity
 * @param {string} summary
 * @param {string} [detail]
 * @param {number} [life] milliseconds; errors stay longer by default
 * @returns {Shown | null} null when no toast could be shown
 */
export function showToast(toast, severity, summary, detail, life = severity === "error" ? 8000 : 3000) {
  if (!toast) return null;
  try {
    const modern = toast[severity];
    if (typeof modern === "function") {
      // The newer store keeps toasts forever unless given a duration.
      const id = modern.call(toast, summary, { description: detail, duration: life });
      return { dismiss: () => { if (id !== undefined && typeof toast.dismiss === "function") toast.dismiss(id); } };
    }
    if (typeof toast.add === "function") {
      // The same object goes back to remove(): the older store finds the toast by it.
      const message = { severity, summary, detail, life };
      toast.add(message);
      return { dismiss: () => { if (typeof toast.remove === "function") toast.remove(message); } };
    }
  } catch (error) {
    console.warn("[Awesome ComfyUI Beyond] toast failed:", error);
  }
  return null;
}

/**
 * @param {ToastLike | null | undefined} toast
 * @param {Severity} severity
 * @param {string} summary
 * @param {string} [detail]
 * @param {number} [life]
 * @returns {boolean} whether a toast was shown
 */
export function notify(toast, severity, summary, detail, life) {
  return showToast(toast, severity, summary, detail, life) !== null;
}

/**
 * A notify function whose toasts replace each other: the one shown last is dismissed
 * before the next appears.
 * @param {() => ToastLike | null | undefined} getToast the frontend's toast API, when asked
 * @returns {(severity: Severity, summary: string, detail?: string) => void}
 */
export function createNotifier(getToast) {
  /** @type {Shown | null} */
  let last = null;
  return (severity, summary, detail) => {
    try {
      last?.dismiss();
    } catch (error) {
      console.warn("[Awesome ComfyUI Beyond] could not dismiss a toast:", error);
    }
    last = showToast(getToast(), severity, summary, detail);
  };
}
