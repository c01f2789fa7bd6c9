// Decisions: for a proposal or a campaign, the commission's decision, its public reason, and
// the articles of the draft that answer it, offered from the article map (the draft's articles
// that follow from the ones the proposal names) or found by number or word.
import { get, put } from "./api.js";
import { documents, excerpt, hitItems, search, withText } from "./documents.js";
import { $, el, paragraphs } from "./dom.js";
import { t } from "./i18n.js";
import { fail, status } from "./session.js";

const target = { kind: "proposal", id: null, document: null, articles: [] };
let answerDoc = null;
let picked = [];

export async function show(params) {
  $("target-form").onsubmit = (event) => {
    event.preventDefault();
    open($("target-kind").value, $("target-id").value.trim()).catch(fail);
  };
  $("decision-form").onsubmit = (event) => {
    event.preventDefault();
    record().catch(fail);
  };
  $("answer-document").onchange = () => chooseAnswerDocument($("answer-document").value).catch(fail);
  $("answer-search").oninput = renderResults;
  const kind = params.get("campaign") ? "campaign" : params.get("proposal") ? "proposal" : null;
  if (kind) await open(kind, params.get(kind));
  else $("decision-form").hidden = !target.id;
}

// The articles a proposal names, its sender's or a coder's (not the suggested estimate).
function confirmedArticles(proposal) {
  return [...new Set(proposal.articles.filter((a) => a.source !== "suggested").map((a) => a.article))];
}

async function open(kind, id) {
  if (!/^[0-9]+$/.test(id)) {
    status(t("id_digits"), true);
    return;
  }
  $("target-kind").value = kind;
  $("target-id").value = id;
  let proposal;
  let text;
  if (kind === "campaign") {
    const c = await get(`/campaigns/${id}?limit=1`);
    proposal = await get(`/proposals/${c.representative.id}`);
    text = c.representative.text;
    $("decision-title").textContent = t("decide_campaign", { id, n: c.size });
  } else {
    proposal = await get(`/proposals/${id}`);
    text = proposal.text + (proposal.proposed_text ? `\n${proposal.proposed_text}` : "");
    $("decision-title").textContent = t("decide_proposal", { id });
  }
  Object.assign(target, { kind, id, document: proposal.document, articles: confirmedArticles(proposal) });
  $("decision-text").replaceChildren(...paragraphs(text));
  $("decision-articles").textContent = target.articles.length
    ? t("articles_list", { list: target.articles.join(", ") }) + ` (${proposal.document})`
    : t("untagged");
  $("decision-reason").value = "";
  $("decision-form").hidden = false;
  const docs = await documents();
  let answer = proposal.document;
  for (const d of docs) {
    if (d.slug !== proposal.document && (await mapOnto(d.slug))) answer = d.slug;
  }
  $("answer-document").replaceChildren(
    ...docs.map((d) => el("option", { value: d.slug, text: `${d.title} (${d.slug})`, selected: d.slug === answer })),
  );
  await chooseAnswerDocument(answer);
  $("decision-title").focus();
}

// The article map from the target's document onto `slug`; null when there is none (422).
async function mapOnto(slug) {
  try {
    return await get(`/documents/${encodeURIComponent(slug)}/map?from=${encodeURIComponent(target.document)}`);
  } catch (e) {
    if (e.status === 422 || e.status === 404) return null;
    throw e;
  }
}

async function chooseAnswerDocument(slug) {
  answerDoc = await withText(slug);
  picked = [];
  $("answer-search").value = "";
  renderResults();
  let offered = [];
  if (slug === target.document) {
    offered = target.articles.map((a) => ({ article: a, from: [] }));
  } else {
    const map = await mapOnto(slug);
    if (map) {
      offered = map.pairs
        .filter((p) => p.predecessors.some((a) => target.articles.includes(a)))
        .map((p) => ({ article: p.article, from: p.predecessors.filter((a) => target.articles.includes(a)) }));
    }
  }
  $("answered-legend").textContent = t("answered_by_in", { document: slug });
  $("answer-mapped").replaceChildren(
    ...(offered.length ? offered.map((o) => check(o.article, o.from, false)) : [el("li", { class: "meta", text: t("map_offers_none") })]),
  );
}

function check(articleId, from, on) {
  const id = `answer-${articleId}`;
  const box = el("input", { type: "checkbox", id, "data-article": articleId });
  box.checked = on;
  const article = answerDoc.byId.get(articleId);
  const note = from.length ? ` ${t("follows_from", { list: from.join(", ") })}` : "";
  return el(
    "li",
    { title: excerpt(article?.text, 300) },
    el("label", { for: id }, box, ` ${t("article_n", { id: articleId })}${note}`),
  );
}

function renderResults() {
  $("answer-results").replaceChildren(...hitItems(search(answerDoc, $("answer-search").value), add));
}

function add(articleId) {
  const existing = $("answer-mapped").querySelector(`input[data-article="${CSS.escape(articleId)}"]`);
  if (existing) existing.checked = true;
  else {
    picked.push(articleId);
    const placeholder = $("answer-mapped").querySelector("li.meta");
    if (placeholder) placeholder.remove();
    $("answer-mapped").append(check(articleId, [], true));
  }
  $("answer-search").value = "";
  renderResults();
}

async function record() {
  const articles = [...$("answer-mapped").querySelectorAll("input[type=checkbox]:checked")].map((b) => b.dataset.article);
  const body = { decision: $("decision").value, reason: $("decision-reason").value.trim() };
  if (articles.length) body.answered_by = { document: answerDoc.slug, articles };
  const result = await put(`/${target.kind}s/${target.id}/disposition`, body);
  status(t("decision_recorded", { decision: t(`decision_${result.decision || body.decision}`) }));
}
