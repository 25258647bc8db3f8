// The nodes' Markdown renderer: what the nodes write comes out readable, and nothing in a
// catalogue description can become markup or a link to anything but an http(s) page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseBlocks, parseInline, renderMarkdown } from "../../web/lib/markdown.js";
import { makeDom } from "./helpers/dom.mjs";

/** The rendered HTML of `text`, for comparing (serialised by the DOM, never parsed from it). */
async function html(text) {
  const dom = makeDom();
  try {
    const box = dom.document.createElement("div");
    box.append(renderMarkdown(dom.document, text));
    return box.innerHTML;
  } finally {
    await dom.close();
  }
}

test("the browser node's listing: a heading line, then numbered items with their lines", async () => {
  const text = "2 of 3 resources for “video”\n\n"
    + "1. **Video Helper Suite** (node-pack · Video · ★ 500 · updated 2025-03-01)\n"
    + "   https://github.com/example/video-helper\n   Loads and saves frame sequences.\n\n"
    + "2. **AnimateDiff Evolved** (node-pack · Video)\n   https://github.com/example/animatediff";
  assert.deepEqual(parseBlocks(text).map((b) => b.type), ["p", "ol"]);
  assert.equal(await html(text), "<p>2 of 3 resources for “video”</p><ol>"
    + "<li><strong>Video Helper Suite</strong> (node-pack · Video · ★ 500 · updated 2025-03-01)<br>"
    + '<a href="https://github.com/example/video-helper" target="_blank" rel="noopener noreferrer">https://github.com/example/video-helper</a><br>'
    + "Loads and saves frame sequences.</li>"
    + "<li><strong>AnimateDiff Evolved</strong> (node-pack · Video)<br>"
    + '<a href="https://github.com/example/animatediff" target="_blank" rel="noopener noreferrer">https://github.com/example/animatediff</a></li></ol>');
});

test("inline: bold, italic, code, links, autolinks; a URL's closing punctuation stays outside", async () => {
  assert.equal(await html("**b** *i* _i_ `x < y` snake_case_name 2*3*4"),
    "<p><strong>b</strong> <em>i</em> <em>i</em> <code>x &lt; y</code> snake_case_name 2*3*4</p>");
  assert.equal(await html("See <https://a.org/x>, https://b.org/y. [Wiki (en)](https://c.org/w_(x))!"),
    '<p>See <a href="https://a.org/x" target="_blank" rel="noopener noreferrer">https://a.org/x</a>, '
    + '<a href="https://b.org/y" target="_blank" rel="noopener noreferrer">https://b.org/y</a>. '
    + '<a href="https://c.org/w_(x)" target="_blank" rel="noopener noreferrer">Wiki (en)</a>!</p>');
  assert.equal(await html("[a/WanVideo](https://example.org/wan)"),
    '<p><a href="https://example.org/wan" target="_blank" rel="noopener noreferrer">WanVideo</a></p>', "the Manager's a/ prefix");
  assert.equal(await html("[https://a.org](https://a.org)"),
    '<p><a href="https://a.org/" target="_blank" rel="noopener noreferrer">https://a.org</a></p>', "no link inside a link");
  assert.equal(await html("# Title\n- one\n- two\n\nlast"), "<h4>Title</h4><ul><li>one</li><li>two</li></ul><p>last</p>");
});

test("hostile text stays text: no HTML, no scripts, no other schemes", async () => {
  const hostile = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)", "[x](vbscript:msgbox)", "[x](//evil.example/)", "[x](/relative)",
    "<javascript:alert(1)>", "javascript:alert(1)", "[x](file:///etc/passwd)", "[x](ftp://example.org/)",
    "**<b onmouseover=alert(1)>**", "`<svg onload=alert(1)>`", "[<img src=x>](https://ok.example/)",
  ];
  const dom = makeDom();
  try {
    for (const text of hostile) {
      const box = dom.document.createElement("div");
      box.append(renderMarkdown(dom.document, text));
      const tags = [...box.querySelectorAll("*")].map((el) => el.tagName.toLowerCase());
      assert.ok(tags.every((tag) => ["p", "a", "strong", "em", "code", "br"].includes(tag)), `${text}: ${tags}`);
      for (const a of box.querySelectorAll("a")) {
        assert.match(a.getAttribute("href"), /^https?:\/\//, text);
        assert.equal(a.getAttribute("rel"), "noopener noreferrer");
        assert.deepEqual(a.getAttributeNames().sort(), ["href", "rel", "target"], text);
      }
      for (const el of box.querySelectorAll("*")) {
        assert.ok(el.getAttributeNames().every((n) => ["href", "rel", "target", "start"].includes(n)), `${text}: attributes`);
      }
    }
  } finally {
    await dom.close();
  }
});

test("deep or huge input is bounded and loses no text", () => {
  const deep = `${"**".repeat(200)}x${"**".repeat(200)}`;
  const flat = (parts) => parts.map((p) => p.text ?? flat(p.parts)).join("");
  assert.equal(flat(parseInline(deep)), deep.replace(/\*\*x\*\*/, "x"));
  const long = "word ".repeat(20000);
  const started = Date.now();
  parseBlocks(long);
  parseInline(long);
  parseInline(`[${"[".repeat(5000)}](${"(".repeat(5000)}`);
  assert.ok(Date.now() - started < 1000, "linear enough");
});
