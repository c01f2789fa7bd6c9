// Statistics at a glance: each document's coverage and untagged backlog, and the largest
// campaigns, from the same public statistics the API answers anyone.
import { get, query } from "./api.js";
import { documents } from "./documents.js";
import { $, el } from "./dom.js";
import { number, percent, t } from "./i18n.js";

export async function show() {
  const docs = await documents();
  const cards = [];
  const rows = [];
  for (const d of docs) {
    const c = await get(`/stats/coverage${query({ document: d.slug })}`);
    cards.push(card(d, c));
    const list = await get(`/stats/campaigns${query({ document: d.slug, min_size: 2 })}`);
    for (const campaign of list.campaigns.slice(0, 5)) rows.push({ doc: d, campaign });
  }
  $("overview-documents").replaceChildren(...cards);
  rows.sort((a, b) => b.campaign.size - a.campaign.size);
  $("overview-campaigns").replaceChildren(
    ...(rows.length
      ? rows.slice(0, 10).map(({ doc, campaign }) =>
          el(
            "tr",
            {},
            el("td", {}, el("a", { href: `#campaigns?document=${encodeURIComponent(doc.slug)}&id=${campaign.id}`, text: `#${campaign.id}` })),
            el("td", { text: doc.slug }),
            el("td", { class: "num", text: number(campaign.size) }),
            el("td", { text: campaign.articles.join(", ") }),
          ),
        )
      : [el("tr", {}, el("td", { colspan: "4", text: t("no_campaigns") }))]),
  );
}

function card(d, c) {
  const figure = (key, value) => el("div", { class: "figure" }, el("dt", { text: t(key) }), el("dd", { text: value, "data-figure": key }));
  return el(
    "section",
    { class: "card", "data-document": d.slug, "aria-label": d.title },
    el("h2", { text: d.title }),
    el("p", { class: "meta", text: d.slug }),
    el(
      "dl",
      {},
      figure("proposals", number(c.proposals)),
      figure("proposals_unique", c.proposals_unique === null ? "—" : number(c.proposals_unique)),
      figure("untagged", number(c.untagged)),
      figure("articles_touched", `${number(c.articles_touched)} / ${number(c.articles_total)} (${percent(c.articles_share)})`),
      figure("sections_touched", `${number(c.sections_touched)} / ${number(c.sections_total)} (${percent(c.sections_share)})`),
      figure("content_share", percent(c.content_share)),
    ),
  );
}
