// The node types of the open workflow, and which of them this ComfyUI does not know. Works on
// the live graph (LGraph: `_nodes`/`nodes`, subgraph nodes with their `subgraph`, the root's
// `subgraphs` map on frontends with subgraphs) and on a serialized workflow (`nodes`,
// `definitions.subgraphs`) alike. Pure: the entry module hands it app.graph and a test for
// registered types.

/** The most node types one lookup asks the server about (POST node-types takes 500). */
export const MAX_TYPES = 500;

/**
 * @param {unknown} value
 * @returns {unknown[]}
 */
function listOf(value) {
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object" && typeof (/** @type {any} */ (value)).values === "function") {
    return [.../** @type {Map<unknown, unknown>} */ (value).values()];
  }
  return [];
}

/**
 * Every node type used in a graph and its subgraphs, sorted, each once. The types of
 * subgraph nodes (a subgraph's id) and of old group nodes ("workflow>…") are not node
 * classes and are left out; their inner nodes are counted.
 * @param {unknown} graph
 * @returns {string[]}
 */
export function graphNodeTypes(graph) {
  /** @type {Set<string>} */
  const types = new Set();
  /** @type {Set<string>} ids of subgraph definitions: their instances are not node classes */
  const subgraphIds = new Set();
  /** @type {Set<unknown>} */
  const seen = new Set();

  /** @param {unknown} g */
  function visit(g) {
    if (!g || typeof g !== "object" || seen.has(g)) return;
    seen.add(g);
    const graphLike = /** @type {Record<string, unknown>} */ (g);
    if (typeof graphLike.id === "string" && seen.size > 1) subgraphIds.add(graphLike.id);
    const definitions = /** @type {Record<string, unknown> | undefined} */ (graphLike.definitions);
    for (const sub of [...listOf(graphLike.subgraphs), ...listOf(definitions?.subgraphs)]) visit(sub);
    for (const item of listOf(graphLike._nodes ?? graphLike.nodes)) {
      if (!item || typeof item !== "object") continue;
      const node = /** @type {Record<string, unknown>} */ (item);
      const isSubgraph = typeof node.isSubgraphNode === "function" && node.isSubgraphNode() === true;
      if (node.subgraph) visit(node.subgraph);
      if (isSubgraph || typeof node.type !== "string" || !node.type || node.type.startsWith("workflow>")) continue;
      types.add(node.type);
    }
  }

  visit(graph);
  return [...types].filter((type) => !subgraphIds.has(type)).sort();
}

/**
 * The types this ComfyUI does not know, at most MAX_TYPES.
 * @param {readonly string[]} types
 * @param {(type: string) => boolean} isKnown
 */
export function missingTypes(types, isKnown) {
  return types.filter((type) => !isKnown(type)).slice(0, MAX_TYPES);
}
