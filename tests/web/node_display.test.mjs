import { test } from "node:test";
import assert from "node:assert/strict";
import { attachToNodeType, ensureResultWidget, messageText, WIDGET_NAME } from "../../web/lib/node_display.js";
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

test("onExecuted and onNodeCreated are chained, and the Markdown is rendered as safe DOM", async () => {
  const dom = makeDom();
  try {
    const calls = [];
    const Node = fakeNodeType(calls);
    attachToNodeType(Node, dom.document, () => "Run the workflow");
    const node = new Node();
    node.onNodeCreated();
    assert.deepEqual(calls, ["created"], "the original onNodeCreated still runs");
    const widget = node.widgets.find((w) => w.name === WIDGET_NAME);
    const box = widget.element;
    assert.equal(box.tagName, "DIV");
    assert.equal(box.dataset.placeholder, "Run the workflow");
    assert.equal(box.getAttribute("aria-label"), "Run the workflow");
    assert.equal(box.tabIndex, 0, "the keyboard can scroll it");
    assert.equal(widget.serialize, false, "not saved into widgets_values");
    assert.ok(dom.document.getElementById("awesome-beyond-node-style"), "its style, once");
    const markdown = "2 of 9 resources\n\n1. **<img src=x onerror=alert(1)>** (node-pack)\n   https://example.org\n"
      + "   See [a/docs](https://example.org/docs) and [bad](javascript:alert(1)).";
    const message = { text: [markdown] };
    node.onExecuted(message);
    assert.deepEqual(calls.slice(1), [["executed", message], "dirty"], "the original onExecuted runs first");
    assert.equal(widget.value, markdown, "the value is the Markdown itself");
    assert.equal(box.querySelector("p").textContent, "2 of 9 resources");
    assert.equal(box.querySelector("ol li strong").textContent, "<img src=x onerror=alert(1)>", "HTML stays text");
    assert.equal(box.querySelectorAll("img, script").length, 0);
    const links = [...box.querySelectorAll("a")].map((a) => [a.textContent, a.getAttribute("href"), a.getAttribute("rel"), a.target]);
    assert.deepEqual(links, [
      ["https://example.org", "https://example.org/", "noopener noreferrer", "_blank"],
      ["docs", "https://example.org/docs", "noopener noreferrer", "_blank"],
    ], "http(s) only; the other link is its text");
    assert.match(box.textContent, / and bad\.$/);
    node.onExecuted({ text: ["second run"] });
    assert.equal(node.widgets.filter((w) => w.name === WIDGET_NAME).length, 1, "one widget, reused");
    assert.equal(widget.value, "second run");
    assert.equal(box.textContent, "second run");
    attachToNodeType(Node, dom.document, () => "again");
    new Node().onNodeCreated();
    assert.equal(dom.document.querySelectorAll("#awesome-beyond-node-style").length, 1);
  } finally {
    await dom.close();
  }
});

test("a node made before the translations arrived says its placeholder again in the user's language", async () => {
  const dom = makeDom();
  try {
    let text = "Run the workflow";
    let arrive;
    const ready = new Promise((resolve) => { arrive = resolve; });
    const Node = fakeNodeType([]);
    attachToNodeType(Node, dom.document, () => text, ready);
    const node = new Node();
    node.onNodeCreated();
    const box = node.widgets.find((w) => w.name === WIDGET_NAME).element;
    assert.equal(box.dataset.placeholder, "Run the workflow");
    text = "运行工作流后，匹配的资源会列在这里。";
    arrive();
    await ready;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(box.dataset.placeholder, text);
    assert.equal(box.getAttribute("aria-label"), text);
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
    assert.equal(ensureResultWidget(bare, dom.document, ""), null);
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
