import { test } from "node:test";
import assert from "node:assert/strict";
import { attachToNodeType, ensureTextWidget, messageText, WIDGET_NAME } from "../../web/lib/node_display.js";
import { makeDom } from "./helpers/dom.mjs";

/** A node type shaped like LiteGraph's, with addDOMWidget as the frontend provides it. */
function fakeNodeType(calls) {
  function Node() { this.widgets = [{ name: "query", value: "video" }]; }
  Node.prototype.addDOMWidget = function addDOMWidget(name, type, element, options) {
    const widget = { name, type, element, options, serialize: true };
    Object.defineProperty(widget, "value", { get: () => options.getValue(), set: (v) => options.setValue(v) });
    this.widgets.push(widget);
    return widget;
  };
  Node.prototype.onNodeCreated = function onNodeCreated() { calls.push("created"); };
  Node.prototype.onExecuted = function onExecuted(message) { calls.push(["executed", message]); };
  Node.prototype.setDirtyCanvas = function setDirtyCanvas() { calls.push("dirty"); };
  return Node;
}

test("onExecuted and onNodeCreated are chained, and the text lands in a read-only textarea", async () => {
  const dom = makeDom();
  try {
    const calls = [];
    const Node = fakeNodeType(calls);
    attachToNodeType(Node, dom.document, () => "Run the workflow");
    const node = new Node();
    node.onNodeCreated();
    assert.deepEqual(calls, ["created"], "the original onNodeCreated still runs");
    const widget = node.widgets.find((w) => w.name === WIDGET_NAME);
    assert.equal(widget.element.tagName, "TEXTAREA");
    assert.equal(widget.element.readOnly, true);
    assert.equal(widget.element.placeholder, "Run the workflow");
    assert.equal(widget.serialize, false, "not saved into widgets_values");
    const markdown = "1. **<img src=x onerror=alert(1)>** (node-pack)\n   https://example.org";
    const message = { text: [markdown] };
    node.onExecuted(message);
    assert.deepEqual(calls.slice(1), [["executed", message], "dirty"], "the original onExecuted runs first");
    assert.equal(widget.element.value, markdown);
    assert.equal(widget.element.children.length, 0, "text, not markup");
    node.onExecuted({ text: ["second run"] });
    assert.equal(node.widgets.filter((w) => w.name === WIDGET_NAME).length, 1, "one widget, reused");
    assert.equal(widget.value, "second run");
  } finally {
    await dom.close();
  }
});

test("a node type without handlers of its own, and a frontend without addDOMWidget", async () => {
  const dom = makeDom();
  try {
    function Bare() { this.widgets = []; }
    attachToNodeType(Bare, dom.document, () => "");
    const bare = new Bare();
    assert.doesNotThrow(() => bare.onNodeCreated());
    assert.doesNotThrow(() => bare.onExecuted({ text: ["x"] }));
    assert.equal(ensureTextWidget(bare, dom.document, ""), null);
  } finally {
    await dom.close();
  }
});

test("messageText joins parts and tolerates odd messages", () => {
  assert.equal(messageText({ text: ["a", "b"] }), "a\n\nb");
  assert.equal(messageText({ text: "plain" }), "plain");
  assert.equal(messageText({ text: [null, "x"] }), "x");
  assert.equal(messageText(undefined), "");
  assert.equal(messageText({}), "");
});
