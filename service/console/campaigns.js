// Campaigns: the largest first; for one, its representative text, its size, its members and
// what each copy added; a moderator hides or shows every member at once, or decides for all.
import { get, query } from "./api.js";
import { defaultDocument, fillSelect } from "./documents.js";
import { $, el, paragraphs } from "./dom.js";
import { date, number, t } from "./i18n.js";
import { moderationControl } from "./moderate.js";
import { can } from "./session.js";

let slug = null;
let openId = null;
let cursor = null;

export async function show(params) {
  slug = params.get("document") || slug || (await defaultDocument());
  const select = $("campaigns-document");
  await fillSelect(select, slug);
  select.onchange = () => {
    slug = select.value;
    $("campaign").hidden = true;
    list();
  };
  $("campaign-more").onclick = () => members(true);
  await list();
  if (params.get("id")) await open(params.get("id"));
}

async function list() {
  const page = await get(`/stats/campaigns${query({ document: slug, min_size: 2 })}`);
  $("campaign-list").replaceChildren(
    ...(page.campaigns.length
      ? page.campaigns.map((c) =>
          el(
            "li",
            { class: "item" },
            el("button", {
              type: "button",
              class: "link",
              "data-campaign": c.id,
              text: t("campaign_size", { id: c.id, n: number(c.size) }),
              onclick: () => open(c.id),
            }),
            el("p", { class: "meta", text: c.articles.length ? t("articles_list", { list: c.articles.join(", ") }) : t("untagged") }),
          ),
        )
      : [el("li", { text: t("no_campaigns") })]),
  );
}

async function open(id) {
  openId = id;
  const c = await get(`/campaigns/${encodeURIComponent(id)}${query({ limit: 50 })}`);
  cursor = c.next_cursor;
  $("campaign").hidden = false;
  $("campaign-title").textContent = t("campaign_n", { id: c.id });
  $("campaign-meta").textContent = t("campaign_meta", {
    size: number(c.size),
    total: number(c.members_total),
    since: date(c.created_at),
  });
  $("campaign-text").replaceChildren(...paragraphs(c.representative.text));
  const actions = [];
  const refresh = () => open(id).then(list);
  if (c.size > 0) actions.push(moderationControl(`/campaigns/${c.id}/moderation`, "visible", refresh));
  if (c.size < c.members_total) actions.push(moderationControl(`/campaigns/${c.id}/moderation`, "hidden", refresh));
  if (can("moderator")) actions.push(el("a", { href: `#dispositions?campaign=${c.id}`, text: t("decide") }));
  $("campaign-actions").replaceChildren(...actions.filter(Boolean));
  $("campaign-members").replaceChildren(...c.members.map(memberRow));
  $("campaign-more").hidden = !cursor;
  $("campaign-title").focus();
}

async function members() {
  const c = await get(`/campaigns/${encodeURIComponent(openId)}${query({ limit: 50, cursor })}`);
  cursor = c.next_cursor;
  $("campaign-members").append(...c.members.map(memberRow));
  $("campaign-more").hidden = !cursor;
}

function memberRow(m) {
  return el(
    "tr",
    { class: m.status },
    el("td", { text: `#${m.id}${m.representative ? ` (${t("representative_short")})` : ""}` }),
    el("td", { text: date(m.received_at) }),
    el("td", { text: t(`status_${m.status}`) }),
    el("td", { class: "added", text: m.added_text || "—" }),
  );
}
