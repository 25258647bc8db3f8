// Toasts through whichever API the running frontend has: the newer
// toast.success/error(title, {description, duration}) or the older toast.add({...}).

/**
 * @typedef {object} ToastLike
 * @property {(message: {severity?: string, summary?: string, detail?: string, life?: number}) => void} [add]
 * @property {(title: string, options?: {description?: string, duration?: number}) => unknown} [success]
 * @property {(title: string, options?: {description?: string, duration?: number}) => unknown} [error]
 * @property {(title: string, options?: {description?: string, duration?: number}) => unknown} [info]
 */

/**
 * @param {ToastLike | null | undefined} toast
 * @param {"success" | "error" | "info"} severity
 * @param {string} summary
 * @param {string} [detail]
 * @param {number} [life] milliseconds; errors stay longer by default
 * @returns {boolean} whether a toast was shown
 */
export function notify(toast, severity, summary, detail, life = severity === "error" ? 8000 : 3000) {
  if (!toast) return false;
  try {
    const modern = toast[severity];
    if (typeof modern === "function") {
      // The newer store keeps toasts forever unless given a duration.
      modern.call(toast, summary, { description: detail, duration: life });
      return true;
    }
    if (typeof toast.add === "function") {
      toast.add({ severity, summary, detail, life });
      return true;
    }
  } catch (error) {
    console.warn("[Awesome ComfyUI Beyond] toast failed:", error);
  }
  return false;
}
