// The tagging queue: one untagged letter at a time, oldest first, with its suggested articles.
// Keys: 1-5 choose suggestions (the first is chosen until another key says otherwise), Enter
// confirms the choice, n skips the letter, / searches any article; the next letter is already
// loaded when one is confirmed.
import { get, put, query } from "./api.js";
import { defaultDocument, excerpt, fillSelect, hitItems, search, withText } from "./documents.js";
import { $, el, paragraphs } from "./dom.js";
import { date, number, t } from "./i18n.js";
import { fail, status } from "./session.js";

const PAGE = 20;
const state = {
  slug: null,
  doc: null,
  items: [],
  cursor: null,
  skipped: new Set(),
  current: null,
  chosen: [], // article ids, in the order chosen
  defaulted: false, // the choice is still the first suggestion, by default
  confirmed: 0,
  started: null,
  busy: false,
};
let listening = false;

export async function show() {
  // Busy until the queue is read again: no key acts on a letter that is about to be replaced.
  $("view-tagging").setAttribute("aria-busy", "true");
  state.current = null;
  const select = $("tagging-document");
  if (!state.slug) state.slug = await defaultDocument();
  await fillSelect(select, state.slug);
  select.onchange = () => {
    state.slug = select.value;
    reload().catch(fail);
  };
  $("confirm").onclick = () => confirm().catch(fail);
  $("skip").onclick = () => skip();
  $("article-search").oninput = () => renderResults();
  $("article-search").onkeydown = onSearchKey;
  if (!listening) document.addEventListener("keydown", onKey);
  listening = true;
  await reload();
}

export function hide() {
  document.removeEventListener("keydown", onKey);
  listening = false;
}

async function reload() {
  const view = $("view-tagging");
  view.setAttribute("aria-busy", "true");
  state.current = null;
  $("tagging-letter").hidden = true;
  try {
    state.doc = await withText(state.slug);
    state.items = [];
    state.cursor = null;
    await fetchMore(true);
    next();
  } finally {
    view.setAttribute("aria-busy", "false");
  }
}

async function fetchMore(fromStart) {
  const page = await get(
    `/tagging/queue${query({ document: state.slug, limit: PAGE, cursor: fromStart ? null : state.cursor })}`,
  );
  state.cursor = page.next_cursor;
  const have = new Set(state.items.map((i) => i.id));
  for (const item of page.items) {
    if (!state.skipped.has(item.id) && !have.has(item.id) && item.id !== state.current?.id) {
      state.items.push(item);
    }
  }
}

function next() {
  state.current = state.items.shift() || null;
  state.chosen = state.current?.suggestions?.length ? [state.current.suggestions[0].article] : [];
  state.defaulted = true;
  $("article-search").value = "";
  renderResults();
  render();
  if (state.current) {
    if (!state.started) state.started = Date.now();
    $("letter-title").focus();
  }
  // Keeps a few letters ahead, so that the next one shows at once.
  if (state.items.length < 5 && state.cursor) fetchMore(false).catch(fail);
}

function render() {
  const item = state.current;
  $("tagging-empty").hidden = Boolean(item);
  $("tagging-letter").hidden = !item;
  renderPace();
  if (!item) return;
  $("letter-title").textContent = t("letter_n", { id: item.id });
  $("letter-meta").textContent = [
    date(item.received_at),
    t(`channel_${item.channel}`),
    t(`type_${item.submitter_type}`),
    item.language || "",
    t(`kind_${item.kind}`),
  ]
    .filter(Boolean)
    .join(" · ");
  $("letter-text").replaceChildren(...paragraphs(item.text));
  $("suggestions").replaceChildren(...item.suggestions.slice(0, 5).map(suggestionItem));
  renderChosen();
}

function suggestionItem(s, i) {
  const article = state.doc.byId.get(s.article);
  const id = `suggestion-${i + 1}`;
  const box = el("input", {
    type: "checkbox",
    id,
    "data-article": s.article,
    onchange: () => choose(s.article, box.checked),
  });
  box.checked = state.chosen.includes(s.article);
  return el(
    "li",
    { title: excerpt(article?.text, 300) },
    el(
      "label",
      { for: id },
      box,
      el("kbd", { text: String(i + 1) }),
      ` ${t("article_n", { id: s.article })} `,
      el("span", { class: "score", text: number(Math.round(s.score * 100) / 100) }),
    ),
    el(
      "details",
      {},
      el("summary", { text: t("article_text") }),
      el("p", { class: "article-text", text: article?.text || "" }),
    ),
  );
}

function choose(articleId, on) {
  if (state.defaulted) {
    state.chosen = [];
    state.defaulted = false;
  }
  state.chosen = state.chosen.filter((a) => a !== articleId);
  if (on) state.chosen.push(articleId);
  for (const box of $("suggestions").querySelectorAll("input[type=checkbox]")) {
    box.checked = state.chosen.includes(box.dataset.article);
  }
  renderChosen();
}

function renderChosen() {
  $("chosen").textContent = state.chosen.length
    ? state.chosen.map((a) => t("article_n", { id: a })).join(", ")
    : t("nothing_chosen");
}

function renderPace() {
  const seconds = state.confirmed > 0 ? (Date.now() - state.started) / 1000 / state.confirmed : 0;
  $("tagging-pace").textContent =
    state.confirmed > 0
      ? t("pace", { n: number(state.confirmed), s: number(Math.round(seconds * 10) / 10) })
      : "";
}

function renderResults() {
  $("article-results").replaceChildren(...hitItems(search(state.doc, $("article-search").value), addFromSearch));
}

function addFromSearch(articleId) {
  if (state.defaulted) {
    state.chosen = [];
    state.defaulted = false;
  }
  if (!state.chosen.includes(articleId)) state.chosen.push(articleId);
  for (const box of $("suggestions").querySelectorAll("input[type=checkbox]")) {
    box.checked = state.chosen.includes(box.dataset.article);
  }
  renderChosen();
  $("article-search").value = "";
  renderResults();
  $("letter-title").focus();
}

function onSearchKey(event) {
  if (event.key === "Escape") {
    event.target.value = "";
    renderResults();
    $("letter-title").focus();
  } else if (event.key === "Enter") {
    event.preventDefault();
    const first = search(state.doc, event.target.value)[0];
    if (first) addFromSearch(first.id);
  }
}

function onKey(event) {
  if ($("view-tagging").hidden || !state.current) return;
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  const tag = event.target.tagName;
  if (tag === "INPUT" && event.target.type !== "checkbox") return;
  if (tag === "TEXTAREA" || tag === "SELECT" || tag === "SUMMARY") return;
  if (tag === "BUTTON" && event.key === "Enter") return; // the button's own action
  if (/^[1-5]$/.test(event.key)) {
    const s = state.current.suggestions[Number(event.key) - 1];
    if (!s) return;
    event.preventDefault();
    choose(s.article, state.defaulted || !state.chosen.includes(s.article));
  } else if (event.key === "Enter") {
    event.preventDefault();
    confirm().catch(fail);
  } else if (event.key === "n" || event.key === "N") {
    event.preventDefault();
    skip();
  } else if (event.key === "/") {
    event.preventDefault();
    $("article-search").focus();
  }
}

async function confirm() {
  const item = state.current;
  if (!item || state.busy) return;
  if (state.chosen.length === 0) {
    status(t("choose_first"), true);
    return;
  }
  state.busy = true;
  try {
    await put(`/proposals/${encodeURIComponent(item.id)}/articles`, {
      articles: state.chosen,
      reason: "confirmed in the staff console",
    });
  } finally {
    state.busy = false;
  }
  state.confirmed += 1;
  status(t("tagged", { id: item.id, articles: state.chosen.join(", ") }));
  if (state.items.length === 0) await fetchMore(true);
  next();
}

function skip() {
  if (!state.current) return;
  state.skipped.add(state.current.id);
  status(t("skipped", { id: state.current.id }));
  if (state.items.length === 0 && !state.cursor) {
    fetchMore(true)
      .then(next)
      .catch(fail);
  } else {
    next();
  }
}
