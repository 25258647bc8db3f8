// "Check link" in the details: checks the shown resource's link now (POST links/check);
// the verdict joins the cached checks that rows and details show.

/** @typedef {import("./panel_context.js").PanelContext} PanelContext */

/** @param {PanelContext} ctx */
export function createLinkHealth(ctx) {
  const { t, store, deps } = ctx;

  async function check() {
    const { view } = store.getState();
    const resource = view.pane.resource;
    if (!resource || view.checking.includes(resource.id)) return;
    const { id, url } = resource;
    store.dispatch({ type: "checking", id, running: true });
    try {
      const data = await ctx.track(() => deps.client.checkLinks([id]));
      const status = data?.links?.[id];
      if (status) {
        store.dispatch({ type: "linkChecked", url, status });
        const label = t(`links.${status.state}`);
        const severity = status.state === "alive" || status.state === "redirected" ? "success"
          : status.state === "dead" ? "error" : "info";
        deps.notify(severity, t("links.checked", { state: label, url }), status.final_url && status.final_url !== url
          ? `${t("links.finalUrl")} ${status.final_url}` : status.message || undefined);
      }
    } catch (error) {
      const apiError = /** @type {import("./api.js").ApiError} */ (error);
      if (apiError.status === 409) deps.notify("info", t("links.busy"));
      else deps.notify("error", t("links.failed"), apiError.message);
    } finally {
      if (ctx.alive()) store.dispatch({ type: "checking", id, running: false });
    }
  }

  return {
    /** @type {import("./panel_context.js").Component["clicks"]} */
    clicks: { "check-link": () => void check() },
  };
}
