import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createTranslator, EN, loadMessages, pickLanguage, plural } from "../../web/lib/i18n.js";
import { KINDS, OPTIONAL_SOURCES, SORTS, TAG_PATTERN, USER_CATEGORY, USER_SOURCE } from "../../web/lib/constants.js";

const locale = (lang, file) => JSON.parse(fs.readFileSync(new URL(`../../locales/${lang}/${file}`, import.meta.url), "utf8"));

/** Every dotted key of a nested message object. */
function keys(messages, prefix = "") {
  return Object.entries(messages).flatMap(([k, v]) => (typeof v === "string" ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`))).sort();
}
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(",");

test("the language comes from ComfyUI's setting, then the browser, then English", () => {
  const available = ["en", "zh"];
  assert.equal(pickLanguage(["zh", "en-GB"], available), "zh");
  assert.equal(pickLanguage(["zh-TW"], available), "zh");
  assert.equal(pickLanguage(["", null, "ZH"], available), "zh");
  assert.equal(pickLanguage(["fr", "en-US"], available), "en");
  assert.equal(pickLanguage(["ko", "ja"], available), "en");
  assert.equal(pickLanguage([undefined], []), "en");
});

test("missing strings fall back to English, then to the key", () => {
  const t = createTranslator({ status: { count: "{count} 个资源" } });
  assert.equal(t("status.count", { count: 3 }), "3 个资源");
  assert.equal(t("error.retry"), "Retry");
  assert.equal(t("no.such.key"), "no.such.key");
  assert.equal(t("empty.query", { q: "<b>{q}</b>" }), "No resource matches “<b>{q}</b>”.", "values are not re-expanded");
  assert.equal(t("details.deleteConfirm"), "Delete “{name}” from your own entries?", "unknown placeholders stay");
  assert.equal(plural(t, "status.count", 1), "1 resource");
  assert.equal(plural(createTranslator(undefined), "status.count", 2, { count: "2,000" }), "2,000 resources");
});

test("strings are read from GET /i18n, with English when that fails", async () => {
  const zh = locale("zh", "main.json").awesomeBeyond;
  const fetchOk = async () => new Response(JSON.stringify({ en: { awesomeBeyond: EN }, zh: { awesomeBeyond: zh }, fr: { other: {} } }));
  assert.deepEqual(await loadMessages(fetchOk, ["zh"]), { lang: "zh", messages: zh });
  assert.deepEqual(await loadMessages(fetchOk, ["fr"]), { lang: "en", messages: EN });
  const warn = console.warn;
  console.warn = () => {};
  try {
    assert.deepEqual(await loadMessages(async () => new Response("nope", { status: 500 }), ["zh"]), { lang: "en", messages: EN });
    assert.deepEqual(await loadMessages(async () => { throw new TypeError("offline"); }, ["zh"]), { lang: "en", messages: EN });
    assert.deepEqual(await loadMessages(async () => new Response("{not json"), ["zh"]), { lang: "en", messages: EN });
  } finally {
    console.warn = warn;
  }
});

test("locales/en/main.json is the built-in English; zh has every string with the same placeholders", () => {
  const en = locale("en", "main.json");
  assert.deepEqual(en.awesomeBeyond, EN);
  const zh = locale("zh", "main.json").awesomeBeyond;
  assert.deepEqual(keys(zh), keys(EN));
  const tEn = createTranslator(EN);
  const tZh = createTranslator(zh);
  for (const k of keys(EN)) {
    assert.equal(placeholders(tZh(k)), placeholders(tEn(k)), k);
    assert.doesNotMatch(tEn(k) + tZh(k), /[@|$]/, `${k}: vue-i18n treats @ | $ as syntax`);
  }
  for (const lang of ["en", "zh"]) assert.ok(locale(lang, "main.json").settingsCategories["Awesome ComfyUI Beyond"]);
  const named = [...KINDS.map((kind) => `kinds.${kind}`), ...SORTS.map((sort) => `sort.${sort}`)];
  assert.deepEqual(named.filter((k) => !keys(EN).includes(k)), [], "every kind and sort the server knows has a name");
});

test("settings, commands and node definitions are translated in both languages", () => {
  const entry = fs.readFileSync(new URL("../../web/awesome_beyond.js", import.meta.url), "utf8");
  for (const lang of ["en", "zh"]) {
    const settings = locale(lang, "settings.json");
    assert.deepEqual(Object.keys(settings).sort(), ["awesomecomfyuibeyond_Sidebar_DefaultSort", "awesomecomfyuibeyond_Sidebar_OneLineRows",
      "awesomecomfyuibeyond_Sidebar_ShowDescriptions", "awesomecomfyuibeyond_Sources_Manager", "awesomecomfyuibeyond_Sources_ManagerFolder", "awesomecomfyuibeyond_Sources_Registry"]);
    for (const value of Object.values(settings)) assert.ok(value.name && value.tooltip);
    assert.deepEqual(Object.keys(settings.awesomecomfyuibeyond_Sidebar_DefaultSort.options).sort(), [...SORTS].sort(), "every sort is named");
    assert.deepEqual(Object.keys(locale(lang, "commands.json")), ["awesomecomfyuibeyond_ToggleSidebar"]);
  }
  assert.match(entry, /\$\{NS\}\.Sidebar\.DefaultSort/);
  assert.match(entry, /\$\{NS\}\.Sidebar\.ShowDescriptions/);
  assert.match(entry, /\$\{NS\}\.Sidebar\.OneLineRows/);
  assert.match(entry, /\$\{NS\}\.ToggleSidebar/);
  assert.match(entry, /\$\{NS\}\.Sources\.ManagerFolder/);
  assert.match(entry, /manager: `\$\{NS\}\.Sources\.Manager`, registry: `\$\{NS\}\.Sources\.Registry`/);
  const en = locale("en", "nodeDefs.json");
  const zh = locale("zh", "nodeDefs.json");
  assert.deepEqual(Object.keys(en).sort(), ["AwesomeBeyond_ResourceBrowser", "AwesomeBeyond_ResourcePicker"]);
  for (const [node, def] of Object.entries(en)) {
    assert.deepEqual(Object.keys(zh[node].inputs), Object.keys(def.inputs), node);
    assert.deepEqual(Object.keys(zh[node].outputs), Object.keys(def.outputs), node);
    for (const part of [def, zh[node]]) {
      assert.ok(part.display_name && part.description);
      for (const io of [...Object.values(part.inputs), ...Object.values(part.outputs)]) assert.ok(io.name && io.tooltip);
    }
  }
});

test("categories, kinds, sources and common tags have names in both languages", () => {
  // The English category names are the data's own: a renamed category must be renamed here too.
  const yaml = fs.readFileSync(new URL("../../data/categories.yaml", import.meta.url), "utf8");
  const data = Object.fromEntries([...yaml.matchAll(/^ {2}- id: (\S+)\n {4}name: (.+)$/gm)].map((m) => [m[1], m[2].trim()]));
  assert.ok(Object.keys(data).length >= 10, "categories.yaml read");
  assert.deepEqual(EN.categories, { ...data, [USER_CATEGORY]: "My Resources" });
  const zh = locale("zh", "main.json").awesomeBeyond;
  for (const group of ["categories", "kinds", "tags"]) {
    for (const [key, name] of Object.entries(zh[group])) {
      assert.match(name, /\S/, `${group}.${key}`);
      if (group === "tags") assert.match(key, TAG_PATTERN, `tags.${key} is a tag`);
      assert.ok(!key.includes("."), `${group}.${key}: a dot would split the key`);
    }
  }
  for (const id of Object.keys(data)) assert.match(zh.categories[id], /[\u4e00-\u9fff]/, `categories.${id} is in Chinese`);
  for (const tag of ["video", "animation", "upscale", "face", "segmentation", "inpainting"]) {
    assert.match(zh.tags[tag], /[\u4e00-\u9fff]/, `tags.${tag} is in Chinese`);
  }
  for (const name of [USER_SOURCE, "curated", ...OPTIONAL_SOURCES]) assert.ok(zh.sources.names[name], `sources.names.${name}`);
});
