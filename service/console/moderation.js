// Proposals: search by words or article, read each one, hide or show it (moderators), and
// go on to its campaign or its decision.
import { get, query } from "./api.js";
import { $, el, paragraphs } from "./dom.js";
import { date, t } from "./i18n.js";
import { moderationControl } from "./moderate.js";
import { can } from "./session.js";

let cursor = null;

export async function show(params) {
  $("proposal-search").onsubmit = (event) => {
    event.preventDefault();
    load(false);
  };
  $("proposal-more").onclick = () => load(true);
  if (params.get("q")) $("proposal-q").value = params.get("q");
  await load(false);
}

async function load(more) {
  const page = await get(
    `/proposals${query({
      q: $("proposal-q").value.trim(),
      article: $("proposal-article").value.trim(),
      limit: 20,
      cursor: more ? cursor : null,
    })}`,
  );
  cursor = page.next_cursor;
  const items = page.items.map(proposalItem);
  if (more) $("proposal-list").append(...items);
  else $("proposal-list").replaceChildren(...(items.length ? items : [el("li", { text: t("none_found") })]));
  $("proposal-more").hidden = !cursor;
}

export function proposalItem(p) {
  const li = el("li", { class: `item ${p.status}`, "data-proposal": p.id });
  const render = (p) => {
    const articles = p.articles
      .filter((a) => a.source !== "suggested")
      .map((a) => a.article + (a.paragraph ? `/${a.paragraph}` : ""))
      .join(", ");
    const links = [];
    if (p.campaign) {
      links.push(el("a", { href: `#campaigns?document=${encodeURIComponent(p.document)}&id=${p.campaign}`, text: t("campaign_n", { id: p.campaign }) }));
    }
    if (can("moderator")) {
      links.push(el("a", { href: `#dispositions?proposal=${p.id}`, text: t("decide") }));
    }
    li.className = `item ${p.status}`;
    li.replaceChildren(
      el("h2", { text: t("letter_n", { id: p.id }) }),
      el("p", {
        class: "meta",
        text: [date(p.received_at), p.document, t(`type_${p.submitter.type}`), t(`status_${p.status}`), articles ? t("articles_list", { list: articles }) : t("untagged")]
          .filter(Boolean)
          .join(" · "),
      }),
      el("div", { class: "text" }, ...paragraphs(p.text)),
      p.proposed_text ? el("blockquote", { text: p.proposed_text }) : null,
      el("p", { class: "links" }, ...links.flatMap((l) => [l, " "])),
      moderationControl(`/proposals/${p.id}/moderation`, p.status, () => {
        get(`/proposals/${p.id}`).then(render);
      }),
    );
  };
  render(p);
  return li;
}
