import { test } from "node:test";
import assert from "node:assert/strict";
import { gitCloneCommand, highlightInto, safeHttpUrl, searchTerms, splitHighlight } from "../../web/lib/text.js";
import { makeDom } from "./helpers/dom.mjs";

test("splitHighlight marks every match, ignoring case, and loses nothing", () => {
  const parts = splitHighlight("Video tools for VIDEO and vid", ["video"]);
  assert.deepEqual(parts, [
    { text: "Video", match: true }, { text: " tools for ", match: false },
    { text: "VIDEO", match: true }, { text: " and vid", match: false },
  ]);
  const text = "a.b*c (x) [y] video videos";
  for (const terms of [[], ["."], ["*c ("], ["video", "videos"], ["x", "y"], [""]]) {
    assert.equal(splitHighlight(text, terms).map((p) => p.text).join(""), text, JSON.stringify(terms));
  }
  assert.deepEqual(splitHighlight("videos", searchTerms("video videos")), [{ text: "videos", match: true }]);
  assert.deepEqual(splitHighlight("", ["x"]), []);
  assert.deepEqual(splitHighlight("İstanbul video", ["video"]).at(-1), { text: "video", match: true });
});

test("searchTerms: unique words, longest first, at most eight", () => {
  assert.deepEqual(searchTerms("  Video  video upscaler "), ["upscaler", "video"]);
  assert.equal(searchTerms("a b c d e f g h i j").length, 8);
  assert.deepEqual(searchTerms(""), []);
});

test("highlighting builds text nodes and <mark> only", async () => {
  const dom = makeDom();
  try {
    const el = dom.document.createElement("span");
    highlightInto(el, "<img src=x onerror=alert(1)> video", ["video", "img"]);
    assert.equal(el.querySelector("img"), null);
    assert.equal(el.textContent, "<img src=x onerror=alert(1)> video");
    assert.deepEqual([...el.querySelectorAll("mark")].map((m) => m.textContent), ["img", "video"]);
  } finally {
    await dom.close();
  }
});

test("only absolute http(s) URLs become links", () => {
  assert.equal(safeHttpUrl("https://github.com/a/b"), "https://github.com/a/b");
  assert.equal(safeHttpUrl("HTTP://Example.org/x?y=1#z"), "http://example.org/x?y=1#z");
  for (const bad of ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "\tjavascript:alert(1)",
    "java\nscript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox", "file:///etc/passwd",
    "ftp://example.org", "/relative/path", "relative", "//evil.example/x", "#top", "", "   ", null, undefined, 42, {}]) {
    assert.equal(safeHttpUrl(bad), null, JSON.stringify(bad));
  }
});

test("the git clone command is safe to paste", () => {
  assert.equal(gitCloneCommand({ url: "https://github.com/a/ComfyUI-X" }), "git clone https://github.com/a/ComfyUI-X");
  assert.equal(gitCloneCommand({ install_url: "https://github.com/a/b.git", url: "https://github.com/a/b" }),
    "git clone https://github.com/a/b.git");
  assert.equal(gitCloneCommand({ url: "https://x.org/a;rm -rf ~" }), "git clone 'https://x.org/a;rm%20-rf%20~'");
  assert.equal(gitCloneCommand({ url: "https://x.org/it's" }), "git clone 'https://x.org/it'\\''s'");
  assert.equal(gitCloneCommand({ url: "javascript:alert(1)" }), "");
});
