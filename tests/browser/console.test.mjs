// The staff console in headless Chromium against the real server and database: a coder tags
// ten letters with the keyboard alone and the statistics follow; a moderator hides a campaign
// and records a decision answered by the draft; an analyst sees no moderation controls and the
// API refuses the action anyway; every language renders; no token reaches the server's log.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { REPO, Server, emptyTables, launchChromium, makeToken, newPage, screenshotDir, until } from "./harness.mjs";

const catalogue = JSON.parse(readFileSync(join(REPO, "service/console/messages.json"), "utf8"));

// Letters that name no article, each on another subject, in Russian and Kazakh.
const LETTERS = [
  ["ru", "Предлагаю сократить срок полномочий Президента до пяти лет и запретить переизбрание."],
  ["ru", "Нужно гарантировать бесплатное среднее образование и равный доступ к высшему образованию."],
  ["ru", "Никто не может быть лишен своего имущества иначе как по решению суда, это надо усилить."],
  ["kk", "Мемлекеттік тіл қазақ тілі екенін және оны дамыту мемлекеттің міндеті екенін бекіту керек."],
  ["ru", "Депутаты Мажилиса должны избираться по одномандатным округам, а не только по спискам партий."],
  ["ru", "Земля и ее недра должны принадлежать народу, а не государству, прошу изменить формулировку."],
  ["kk", "Әркімнің денсаулығын сақтауға және тегін медициналық көмек алуға құқығы болуы тиіс."],
  ["ru", "Смертная казнь должна быть запрещена окончательно, без исключений для особо тяжких преступлений."],
  ["ru", "Судьи Верховного суда должны избираться Сенатом по представлению независимого совета."],
  ["ru", "Каждый имеет право на свободу мирных собраний без предварительного разрешения акимата."],
  ["kk", "Неке мен отбасы, ана мен әке және бала мемлекеттің қорғауында болуы керек."],
  ["ru", "Местное самоуправление должно получить собственный бюджет и выборных акимов районов."],
];

// A form letter, sent six times with small edits, about article 33.
const FORM = "Требуем закрепить право граждан участвовать в управлении делами государства через общенациональный референдум по инициативе ста тысяч граждан";

let server;
let browser;
let coder;
let moderator;
let analyst;
let admin;
const letters = []; // ids of the untagged letters, oldest first
let campaignId;

async function submit(body) {
  const res = await server.api("POST", "/api/v1/proposals", { body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

// The id in "Letter 12".
function shown(title) {
  return title.match(/\d+/)[0];
}

// A staff read's articles that a sender or a coder gave (not the suggested estimate).
function confirmed(proposal) {
  return proposal.articles.filter((a) => a.source !== "suggested").map((a) => a.article);
}

// Opens the tagging queue and waits until it has read the queue again.
async function openQueue(page) {
  await page.goto(server.url("/console/#tagging"));
  await page.locator('#view-tagging[aria-busy="false"]').waitFor();
}

async function coverage() {
  return (await server.api("GET", "/api/v1/stats/coverage?document=kz-1995")).body;
}

async function signIn(page, token) {
  await page.goto(server.url("/console/"));
  // Keyboard only: the page puts the focus in the token field.
  await until("the token field's focus", async () => (await page.evaluate(() => document.activeElement?.id === "token")) || undefined);
  await page.keyboard.type(token.secret);
  await page.keyboard.press("Enter");
  await page.locator("#nav").waitFor();
  await until("the overview", async () => (await page.locator("#view-overview").isVisible()) || undefined);
}

before(async () => {
  emptyTables();
  coder = makeToken("coder");
  moderator = makeToken("moderator");
  analyst = makeToken("analyst");
  admin = makeToken("admin");
  server = await Server.start();
  for (const [language, text] of LETTERS) {
    letters.push(await submit({ submitter: { type: "citizen" }, language, channel: "e-otinish", text }));
  }
  const edits = ["", " срочно", " и местных референдумов", ". Просим поддержать", " без ограничений", ". Это важно"];
  for (const edit of edits) {
    await submit({ submitter: { type: "citizen" }, language: "ru", articles: ["33"], text: FORM + edit + "." });
  }
  // Suggestions and campaigns are computed after the commit, within seconds.
  await until("suggestions for every letter", async () => {
    const q = await server.api("GET", "/api/v1/tagging/queue?document=kz-1995&limit=50", { token: coder.secret });
    return q.body.items?.length === LETTERS.length && q.body.items.every((i) => i.suggestions.length >= 5) ? true : undefined;
  });
  campaignId = await until("the campaign of the form letter", async () => {
    const c = await server.api("GET", "/api/v1/stats/campaigns?document=kz-1995");
    return c.body.campaigns.find((x) => x.size === edits.length)?.id;
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the page is served with a strict policy and no framing", async () => {
  const res = await server.api("GET", "/console/");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-security-policy"), /default-src 'none'.*frame-ancestors 'none'/);
  assert.equal(res.headers.get("x-frame-options"), "DENY");
});

test("a coder confirms ten suggestions with the keyboard alone and the statistics follow", async () => {
  const page = await newPage(browser);
  await signIn(page, coder);
  assert.equal((await coverage()).untagged, LETTERS.length);
  await page.keyboard.press("Tab"); // the keyboard reaches the sections from the top of the page
  await openQueue(page);
  const chosen = new Map();
  // Enter alone confirms the first suggestion; 2 then Enter the second alone; 1, 3, Enter the
  // first and third.
  const plans = [[], ["2"], ["1", "3"], [], [], ["2"], [], ["1", "3"], [], []];
  const started = Date.now();
  for (const keys of plans) {
    const title = page.locator("#letter-title");
    await title.waitFor();
    await until("the letter's focus", async () => (await page.evaluate(() => document.activeElement?.id === "letter-title")) || undefined);
    const id = shown(await title.textContent());
    const offered = await page.locator("#suggestions input[type=checkbox]").evaluateAll((boxes) => boxes.map((b) => b.dataset.article));
    assert.ok(offered.length >= 5, `letter ${id} offers ${offered.length} suggestions`);
    for (const k of keys) await page.keyboard.press(k);
    const want = keys.length ? keys.map((k) => offered[Number(k) - 1]) : [offered[0]];
    const checked = await page.locator("#suggestions input:checked").evaluateAll((boxes) => boxes.map((b) => b.dataset.article));
    assert.deepEqual(checked, want);
    await page.keyboard.press("Enter");
    await until(`letter ${id} to be confirmed`, async () => (shown(await title.textContent()) === id ? undefined : true));
    chosen.set(id, want);
  }
  const seconds = (Date.now() - started) / 1000 / plans.length;
  console.log(`console: ${plans.length} letters confirmed by keyboard, ${seconds.toFixed(2)} s a letter in the browser`);
  assert.equal(chosen.size, 10);
  for (const [id, want] of chosen) {
    assert.ok(letters.includes(id));
    const p = await server.api("GET", `/api/v1/proposals/${id}`, { token: coder.secret });
    assert.deepEqual(p.body.articles.map((a) => a.article).sort(), [...want].sort(), `letter ${id}`);
    assert.ok(p.body.articles.every((a) => a.source === "staff"));
  }
  const after = await coverage();
  assert.equal(after.untagged, LETTERS.length - 10);
  // The console's own figures follow too.
  await page.goto(server.url("/console/#overview"));
  const untagged = page.locator('[data-document="kz-1995"] [data-figure="untagged"]');
  await until("the overview's backlog", async () => ((await untagged.textContent()) === String(LETTERS.length - 10) ? true : undefined));
  // Skipping with n leaves the letter untagged; search by number adds any article.
  await openQueue(page);
  const title = page.locator("#letter-title");
  await title.waitFor();
  const skipped = shown(await title.textContent());
  await until("the letter's focus", async () => (await page.evaluate(() => document.activeElement?.id === "letter-title")) || undefined);
  await page.keyboard.press("n");
  await until("the next letter", async () => (shown(await title.textContent()) === skipped ? undefined : true));
  const last = shown(await title.textContent());
  await page.keyboard.press("/");
  await page.keyboard.type("91");
  await page.keyboard.press("Enter");
  assert.match(await page.locator("#chosen").textContent(), /\b91\b/);
  await page.keyboard.press("Enter");
  await until("the searched article to be confirmed", async () => {
    const p = await server.api("GET", `/api/v1/proposals/${last}`, { token: coder.secret });
    return confirmed(p.body).length ? confirmed(p.body) : undefined;
  }).then((articles) => assert.deepEqual(articles, ["91"]));
  const s = await server.api("GET", `/api/v1/proposals/${skipped}`, { token: coder.secret });
  assert.deepEqual(confirmed(s.body), []);
  assert.deepEqual(page.problems, []);
  if (screenshotDir()) {
    await page.reload(); // the skipped letter is offered again
    await page.locator('#view-tagging[aria-busy="false"]').waitFor();
    await page.locator("#letter-title").waitFor();
    await page.locator("#suggestions details").first().evaluate((d) => (d.open = true));
    await page.screenshot({ path: join(screenshotDir(), "console-tagging-en.png") });
  }
  await page.context().close();
});

test("an analyst sees no moderation controls and the API refuses the action anyway", async () => {
  const page = await newPage(browser);
  await signIn(page, analyst);
  assert.equal(await page.locator('#nav a[data-view="tagging"]').isVisible(), false);
  assert.equal(await page.locator('#nav a[data-view="dispositions"]').isVisible(), false);
  await page.goto(server.url(`/console/#campaigns?document=kz-1995&id=${campaignId}`));
  await page.locator("#campaign-members tr").first().waitFor();
  assert.equal(await page.locator("#campaign [data-action]").count(), 0);
  assert.equal(await page.locator('#campaign a[href^="#dispositions"]').count(), 0);
  await page.goto(server.url("/console/#moderation"));
  await page.locator("#proposal-list li").first().waitFor();
  assert.equal(await page.locator("#proposal-list [data-action]").count(), 0);
  // The same call the moderator's button makes, with the analyst's token from the tab.
  const status = await page.evaluate(async (id) => {
    const res = await fetch(`/api/v1/campaigns/${id}/moderation`, {
      method: "POST",
      headers: { Authorization: `Bearer ${sessionStorage.getItem("usynys.token")}`, "Content-Type": "application/json" },
      body: JSON.stringify({ status: "hidden", reason: "not allowed" }),
    });
    return res.status;
  }, campaignId);
  assert.equal(status, 403);
  // A section the role may not use shows the overview instead.
  await page.goto(server.url("/console/#tagging"));
  await until("the overview", async () => (await page.locator("#view-overview").isVisible()) || undefined);
  assert.equal(await page.locator("#view-tagging").isVisible(), false);
  assert.equal((await server.api("GET", "/api/v1/stats/campaigns?document=kz-1995")).body.campaigns[0].size, 6);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("a moderator hides a campaign and every statistic stops counting it", async () => {
  const page = await newPage(browser);
  await signIn(page, moderator);
  const before = await coverage();
  await page.goto(server.url("/console/#campaigns?document=kz-1995"));
  await page.locator(`[data-campaign="${campaignId}"]`).click();
  await page.locator("#campaign-members tr").first().waitFor();
  assert.equal(await page.locator("#campaign-members tr").count(), 6);
  if (screenshotDir()) await page.screenshot({ path: join(screenshotDir(), "console-campaign-en.png") });
  await page.locator('#campaign [data-action="hide"]').click();
  await page.locator("#campaign form.moderate input").fill("one form letter, counted by its campaign");
  await page.locator("#campaign form.moderate input").press("Enter");
  await until("the campaign hidden", async () => {
    const c = await server.api("GET", "/api/v1/stats/campaigns?document=kz-1995");
    return c.body.campaigns.length === 0 ? true : undefined;
  });
  const after = await coverage();
  assert.equal(after.proposals, before.proposals - 6);
  await until("the campaign shown as hidden", async () => ((await page.locator("#campaign-members tr.hidden").count()) === 6 ? true : undefined));
  const audit = await server.api("GET", "/api/v1/audit?limit=50", { token: admin.secret });
  assert.equal(audit.status, 200);
  assert.equal(audit.body.items.filter((e) => e.actor === moderator.name && e.to === "hidden").length, 6);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("a moderator records a decision answered by articles of the draft, from the map", async () => {
  const page = await newPage(browser);
  await signIn(page, moderator);
  // A tagged letter whose articles the map leads onto the draft, and the draft's articles it
  // leads to.
  const map = (await server.api("GET", "/api/v1/documents/kz-2026-draft/map?from=kz-1995")).body;
  assert.equal(map.from, "kz-1995");
  let target = null;
  for (const id of letters.slice(0, 10)) {
    const p = (await server.api("GET", `/api/v1/proposals/${id}`, { token: moderator.secret })).body;
    const own = confirmed(p);
    const offered = map.pairs.filter((x) => x.predecessors.some((a) => own.includes(a))).map((x) => x.article);
    if (offered.length) {
      target = { id, offered };
      break;
    }
  }
  assert.ok(target, "no tagged letter leads onto the draft");
  await page.goto(server.url(`/console/#dispositions?proposal=${target.id}`));
  await page.locator("#decision-form").waitFor();
  const boxes = page.locator("#answer-mapped input");
  await until("the draft's articles from the map", async () => ((await boxes.count()) === target.offered.length ? true : undefined));
  assert.deepEqual(await boxes.evaluateAll((b) => b.map((x) => x.dataset.article)), target.offered);
  assert.equal(await page.locator("#answer-document").inputValue(), "kz-2026-draft");
  const answering = target.offered[0];
  await boxes.first().check();
  await page.locator("#decision").selectOption("accepted");
  await page.locator("#decision-reason").fill("The draft takes this up.");
  if (screenshotDir()) await page.screenshot({ path: join(screenshotDir(), "console-decision-en.png") });
  await page.locator('#decision-form button[type="submit"]').click();
  await until("the decision recorded", async () => {
    const s = await server.api("GET", "/api/v1/stats/dispositions?document=kz-1995");
    return s.body.by_decision?.accepted === 1 ? s.body : undefined;
  });
  const draft = await server.api("GET", "/api/v1/stats/dispositions?document=kz-2026-draft");
  assert.equal(draft.status, 200);
  assert.equal(draft.body.articles.find((a) => a.article === answering)?.answered, 1);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("each language renders from the catalogue", async () => {
  const page = await newPage(browser, { width: 1024, height: 768 }); // a tablet's screen
  await signIn(page, moderator);
  for (const lang of ["en", "ru", "kk"]) {
    await page.locator("#lang").selectOption(lang);
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    assert.equal(await page.locator('#nav a[data-view="overview"]').textContent(), catalogue[lang].nav_overview);
    assert.equal(await page.locator("#overview-title").textContent(), catalogue[lang].overview_title);
    await page.goto(server.url("/console/#campaigns"));
    assert.equal(await page.locator("#campaigns-title").textContent(), catalogue[lang].campaigns_title);
    // No element shows a key instead of a text.
    const raw = await page.locator("[data-i18n]").evaluateAll((els) => els.filter((e) => e.textContent === e.dataset.i18n).map((e) => e.dataset.i18n));
    assert.deepEqual(raw, []);
    await page.goto(server.url("/console/#overview"));
    await page.locator('[data-figure="untagged"]').first().waitFor();
    if (screenshotDir()) {
      await page.screenshot({ path: join(screenshotDir(), `console-overview-${lang}.png`) });
      await openQueue(page);
      await page.locator("#letter-title").waitFor();
      await page.screenshot({ path: join(screenshotDir(), `console-tagging-${lang}.png`) });
      await page.goto(server.url("/console/#overview"));
    }
  }
  // The choice is remembered for the next visit.
  await page.reload();
  await page.locator("#nav").waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "kk");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("tokens never reach the server's log or a URL", () => {
  for (const t of [coder, moderator, analyst]) assert.ok(!server.output.includes(t.secret), `${t.role}'s token in the log`);
  assert.ok(server.output.includes("/console/"), "the server logs its requests");
});
