// The node types of the open workflow, and the unknown ones, from graph-like objects.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_TYPES, graphNodeTypes, missingTypes } from "../../web/lib/workflow_types.js";

test("a live graph: nodes (LGraph keeps them in _nodes), subgraph nodes and the root's subgraph map", () => {
  const inner = { id: "3f1c-subgraph", _nodes: [{ type: "VHS_LoadVideo" }, { type: "KSampler" }] };
  const unused = { id: "9a9a-unused", nodes: [{ type: "ImpactDetailer" }] };
  const graph = {
    id: "root-graph",
    _nodes: [
      { type: "KSampler" }, { type: "CheckpointLoaderSimple" }, null, { type: "" }, { title: "no type" },
      { type: "3f1c-subgraph", subgraph: inner, isSubgraphNode: () => true },
      { type: "workflow>My group" }, // an old group node: its type is not a node class
    ],
    subgraphs: new Map([["3f1c-subgraph", inner], ["9a9a-unused", unused]]),
  };
  assert.deepEqual(graphNodeTypes(graph), ["CheckpointLoaderSimple", "ImpactDetailer", "KSampler", "VHS_LoadVideo"]);
});

test("a serialized workflow: nodes and definitions.subgraphs, the subgraph's id never counted as a type", () => {
  const workflow = {
    nodes: [{ id: 1, type: "LoadImage" }, { id: 2, type: "b7e0-sub" }],
    definitions: { subgraphs: [{ id: "b7e0-sub", nodes: [{ id: 1, type: "SAMLoader" }, { id: 2, type: "b7e0-sub" }] }] },
  };
  assert.deepEqual(graphNodeTypes(workflow), ["LoadImage", "SAMLoader"]);
  assert.deepEqual(graphNodeTypes(null), []);
  assert.deepEqual(graphNodeTypes({}), []);
  const loop = { _nodes: [] };
  loop._nodes.push({ type: "A", subgraph: loop });
  assert.deepEqual(graphNodeTypes(loop), ["A"], "a graph seen twice is read once");
});

test("missing types: those not registered, at most what one lookup takes", () => {
  const registered = { KSampler: {}, LoadImage: {} };
  assert.deepEqual(missingTypes(["KSampler", "VHS_LoadVideo", "LoadImage", "toString"], (t) => Object.hasOwn(registered, t)),
    ["VHS_LoadVideo", "toString"], "an inherited property is not a registered type");
  const many = Array.from({ length: MAX_TYPES + 20 }, (_, i) => `T${i}`);
  assert.equal(missingTypes(many, () => false).length, MAX_TYPES);
});
