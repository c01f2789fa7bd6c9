// The documents the server holds, their articles and texts: read once per document and
// language, then searched here, so that finding an article costs no request.
import { get } from "./api.js";
import { el } from "./dom.js";
import { language, t } from "./i18n.js";

let list = null;
const texts = new Map(); // "slug/lang" -> document with texts

export async function documents() {
  if (!list) list = (await get("/documents")).documents;
  return list;
}

export async function defaultDocument() {
  const docs = await documents();
  return (docs.find((d) => d.default) || docs[0]).slug;
}

// The document with every article's text, in the console's language when the document has
// it, else in its reference language.
export async function withText(slug) {
  const docs = await documents();
  const summary = docs.find((d) => d.slug === slug);
  const lang = summary?.languages?.includes(language()) ? language() : summary?.language;
  const key = `${slug}/${lang}`;
  if (!texts.has(key)) {
    const doc = await get(`/documents/${encodeURIComponent(slug)}?text=1&lang=${lang}`);
    doc.byId = new Map();
    for (const section of doc.sections) {
      for (const a of section.articles) doc.byId.set(a.id, { ...a, sectionTitle: section.title });
    }
    texts.set(key, doc);
  }
  return texts.get(key);
}

// Articles in force matching `words`: by number first (an id starting with it), then by text
// (every word found in it, case and ё/е aside). At most `limit`.
export function search(doc, words, limit = 8) {
  const q = fold(words.trim());
  if (!q) return [];
  const byNumber = [];
  const byText = [];
  const terms = q.split(/\s+/);
  for (const a of doc.byId.values()) {
    if (a.repealed) continue;
    if (a.id.toLowerCase() === q || a.id.toLowerCase().startsWith(`${q}-`)) byNumber.unshift(a);
    else if (a.id.toLowerCase().startsWith(q)) byNumber.push(a);
    else if (terms.every((w) => fold(a.text || "").includes(w))) byText.push(a);
  }
  return [...byNumber, ...byText].slice(0, limit);
}

function fold(s) {
  return s.toLowerCase().replaceAll("ё", "е");
}

// The first `n` characters of an article's text, cut at a word.
export function excerpt(text, n = 160) {
  if (!text || text.length <= n) return text || "";
  const cut = text.lastIndexOf(" ", n);
  return `${text.slice(0, cut > 40 ? cut : n)}…`;
}

// Fills a <select> with the documents, `selected` chosen.
export async function fillSelect(select, selected) {
  const docs = await documents();
  select.replaceChildren(
    ...docs.map((d) => {
      const o = document.createElement("option");
      o.value = d.slug;
      o.textContent = `${d.title} (${d.slug})`;
      o.selected = d.slug === selected;
      return o;
    }),
  );
}

// The list items of search hits: a button per article, its number and opening words, that
// calls `pick` with its id.
export function hitItems(found, pick) {
  return found.map((a) =>
    el(
      "li",
      {},
      el("button", {
        type: "button",
        text: `${t("article_n", { id: a.id })}: ${excerpt(a.text, 90)}`,
        title: excerpt(a.text, 300),
        onclick: () => pick(a.id),
      }),
    ),
  );
}
