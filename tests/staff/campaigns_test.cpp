// Campaigns: near-duplicate proposals grouped after commit (each kind of edit a form letter gets
// joins its campaign; a different letter on the same article stays apart; a proposal that
// bridges two campaigns merges them), counted once in proposals_unique, listed in the public
// campaign statistic, shown to staff with what each copy added, and moderated as a whole.
#include <boost/test/unit_test.hpp>
#include <set>

#include "staff_fixture.hpp"

namespace {

using nlohmann::json;
using namespace usynys::test;
using namespace usynys::test::staff;

// A form letter on article 7 (languages), eight sentences.
const std::vector<std::string> kLetter = {
    "Уважаемая комиссия, прошу сохранить в статье седьмой нынешний порядок употребления языков.",
    "Государственным языком должен оставаться казахский язык, и это положение нельзя ослаблять.",
    "Русский язык должен и дальше официально употребляться наравне с казахским в "
    "государственных организациях.",
    "Государство обязано заботиться о создании условий для изучения и развития языков народа "
    "Казахстана.",
    "Многие семьи в нашем городе говорят на двух языках и ценят это равновесие.",
    "Любое изменение этой нормы вызовет тревогу у миллионов граждан разных национальностей.",
    "Мы просим не вносить поправок, которые сузят сферу применения русского языка.",
    "Такая редакция статьи много лет обеспечивает согласие в обществе, и её стоит сохранить."};

std::string join(const std::vector<std::string>& sentences) {
  std::string out;
  for (const std::string& s : sentences) out += (out.empty() ? "" : " ") + s;
  return out;
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  BOOST_TEST_REQUIRE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

json get_ok(HttpClient& c, const std::string& target, const Headers& h = {}) {
  HttpResponse res = c.get(target, h);
  BOOST_TEST_REQUIRE(res.status == 200, target << ": " << res.body);
  return res.json();
}

HttpResponse post_json(HttpClient& c, const std::string& target, const json& body,
                       const Token& who) {
  Headers h = bearer(who.secret);
  h.emplace_back("Content-Type", "application/json");
  return c.request("POST", target, body.dump(), h);
}

// Waits (bounded) until every proposal was compared.
void wait_for_campaigns(Db& db) {
  BOOST_TEST_REQUIRE(db.count_when("SELECT count(*) FROM campaign_pending", 0) == 0);
}

json campaign_of(HttpClient& c, const std::string& id) {
  return get_ok(c, "/api/v1/proposals/" + id, bearer(tokens().analyst.secret))["campaign"];
}

std::int64_t unique_proposals(HttpClient& c) {
  return get_ok(c, "/api/v1/stats/coverage")["proposals_unique"].get<std::int64_t>();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(staff_campaigns, StaffCase)

BOOST_AUTO_TEST_CASE(every_kind_of_edit_joins_its_campaign_and_another_letter_stays_apart) {
  auto c = client();
  const std::string base = post_proposal(c, proposal(join(kLetter), {"7"}));
  std::vector<std::string> s = kLetter;
  std::map<std::string, std::string> copies;
  copies["greeting"] = "Здравствуйте! Добрый день. " + join(kLetter);
  copies["signature"] = join(kLetter) + " С уважением, Ерлан Тулегенов, город Петропавловск.";
  const std::string added = "В нашей школе дети учат оба языка с первого класса.";
  std::vector<std::string> more = kLetter;
  more.insert(more.begin() + 4, added);
  copies["sentence added"] = join(more);
  std::vector<std::string> fewer = kLetter;
  fewer.erase(fewer.begin() + 5);
  copies["sentence dropped"] = join(fewer);
  copies["synonyms"] =
      replace(replace(join(kLetter), "тревогу", "беспокойство"), "ценят", "берегут");
  std::vector<std::string> reordered = kLetter;
  std::swap(reordered[1], reordered[2]);
  std::swap(reordered[5], reordered[6]);
  copies["reordered"] = join(reordered);
  copies["typos"] = replace(replace(join(kLetter), "государственных", "госудраственных"),
                            "равновесие", "равновесиие");
  copies["bot copy"] = join(kLetter);
  std::map<std::string, std::string> ids;
  for (const auto& [kind, text] : copies) ids[kind] = post_proposal(c, proposal(text, {"7"}));
  // Another letter on the same article, in the same words of the subject.
  const std::string other = post_proposal(
      c, proposal("Предлагаю изменить статью седьмую: государственным языком оставить казахский, "
                  "а русский язык перевести в статус языка межнационального общения. Переход "
                  "нужно растянуть на десять лет, чтобы государственные служащие успели выучить "
                  "казахский. Для этого необходимы бесплатные курсы в каждом районе и "
                  "современные учебники. Язык объединяет народ, когда его изучение поощряется, "
                  "а не навязывается.",
                  {"7"}));
  wait_for_campaigns(db);
  const json campaign = campaign_of(c, base);
  BOOST_TEST_REQUIRE(campaign.is_string());
  for (const auto& [kind, id] : ids) {
    BOOST_TEST(campaign_of(c, id) == campaign, kind);
  }
  BOOST_TEST(campaign_of(c, other).is_null());

  // Counted once: ten proposals, two unique positions, on the document and on article 7.
  const json cov = get_ok(c, "/api/v1/stats/coverage");
  BOOST_TEST(cov["proposals"] == 10);
  BOOST_TEST(cov["proposals_unique"] == 2);
  const json a7 = get_ok(c, "/api/v1/stats/articles/7");
  BOOST_TEST(a7["proposals"] == 10);
  BOOST_TEST(a7["proposals_unique"] == 2);
  const json sections = get_ok(c, "/api/v1/stats/sections");
  BOOST_TEST(sections["proposals_unique"] == 2);
  for (const json& sec : sections["sections"]) {
    BOOST_TEST(sec["proposals_unique"].get<std::int64_t>() ==
               (sec["proposals"].get<std::int64_t>() > 0 ? 2 : 0));
  }

  // The public statistic: one campaign of nine, on article 7, no text.
  const json list = get_ok(c, "/api/v1/stats/campaigns");
  BOOST_TEST(list["campaigns_total"] == 1);
  BOOST_TEST(list["proposals_in_campaigns"] == 9);
  BOOST_TEST_REQUIRE(list["campaigns"].size() == 1u);
  const json& one = list["campaigns"][0];
  BOOST_TEST(one["id"] == campaign);
  BOOST_TEST(one["size"] == 9);
  BOOST_TEST(one["articles"] == json::array({"7"}));
  BOOST_TEST(one["by_channel"]["web"] == 9);
  BOOST_TEST(one["by_submitter_type"]["citizen"] == 9);
  BOOST_TEST(one["first_at"].is_string());
  BOOST_TEST(one.dump().find("комиссия") == std::string::npos);
  BOOST_TEST(get_ok(c, "/api/v1/stats/campaigns?min_size=10")["campaigns"].empty());

  // Staff see the representative and what each copy added.
  const std::string path = "/api/v1/campaigns/" + campaign.get<std::string>();
  const json full = get_ok(c, path, bearer(tokens().analyst.secret));
  BOOST_TEST(full["representative"]["id"] == base);
  BOOST_TEST(full["representative"]["text"] == join(kLetter));
  BOOST_TEST(full["size"] == 9);
  BOOST_TEST(full["members"].size() == 9u);
  BOOST_TEST(full["next_cursor"].is_null());
  std::map<std::string, std::string> added_by_id;
  for (const json& m : full["members"]) {
    added_by_id[m["id"].get<std::string>()] = m["added_text"].get<std::string>();
  }
  BOOST_TEST(added_by_id[ids["sentence added"]] == added);
  BOOST_TEST(added_by_id[ids["signature"]] == "С уважением, Ерлан Тулегенов, город Петропавловск.");
  BOOST_TEST(added_by_id[ids["typos"]] == "");
  BOOST_TEST(added_by_id[ids["synonyms"]] == "");
  BOOST_TEST(added_by_id[ids["reordered"]] == "");
  BOOST_TEST(added_by_id[base] == "");

  // Pages of members follow the cursor, in id order, each member once.
  std::vector<std::string> paged;
  std::string target = path + "?limit=4";
  for (int page = 0; page < 5; ++page) {
    const json p = get_ok(c, target, bearer(tokens().analyst.secret));
    for (const json& m : p["members"]) paged.push_back(m["id"]);
    if (p["next_cursor"].is_null()) break;
    target = path + "?limit=4&cursor=" + p["next_cursor"].get<std::string>();
  }
  BOOST_TEST(paged.size() == 9u);
  BOOST_TEST(std::is_sorted(paged.begin(), paged.end(), [](const auto& a, const auto& b) {
    return std::stoll(a) < std::stoll(b);
  }));

  // Refusals.
  BOOST_TEST(c.get(path).status == 401);
  BOOST_TEST(c.get("/api/v1/campaigns/999999", bearer(tokens().analyst.secret)).status == 404);
  BOOST_TEST(c.get("/api/v1/campaigns/x1", bearer(tokens().analyst.secret)).status == 404);
  BOOST_TEST(c.get(path + "?cursor=zz", bearer(tokens().analyst.secret)).status == 422);
  BOOST_TEST(c.get("/api/v1/stats/campaigns?min_size=1").status == 422);
  BOOST_TEST(c.get("/api/v1/stats/campaigns?document=nope").status == 422);
  BOOST_TEST(c.get("/api/v1/stats/campaigns?colour=red").status == 422);
}

BOOST_AUTO_TEST_CASE(a_proposal_bridging_two_campaigns_merges_them_and_every_statistic_follows) {
  auto c = client();
  // Twelve sentences; A holds 1-8, B 5-12 (Jaccard about 1/3), C 3-10 (about 0.6 with each).
  std::vector<std::string> s = kLetter;
  s.insert(
      s.end(),
      {"Кроме того, нужно закрепить право родителей выбирать язык обучения своих детей.",
       "Местные органы власти должны отвечать гражданину на том языке, на котором он "
       "обратился.",
       "Надписи на вывесках и указателях следует оставить двуязычными по всей стране.",
       "Спорные вопросы о языке стоит решать только после широкого общественного обсуждения."});
  const auto part = [&](std::size_t from, std::size_t to) {
    return join(std::vector<std::string>(s.begin() + static_cast<std::ptrdiff_t>(from),
                                         s.begin() + static_cast<std::ptrdiff_t>(to)));
  };
  const std::string a1 = post_proposal(c, proposal(part(0, 8), {"7"}));
  const std::string a2 = post_proposal(c, proposal(part(0, 8) + " Спасибо.", {"7"}));
  const std::string b1 = post_proposal(c, proposal(part(4, 12), {"7", "19"}));
  const std::string b2 = post_proposal(c, proposal(part(4, 12), {"7", "19"}));
  wait_for_campaigns(db);
  const json ca = campaign_of(c, a1);
  const json cb = campaign_of(c, b1);
  BOOST_TEST_REQUIRE(ca.is_string());
  BOOST_TEST_REQUIRE(cb.is_string());
  BOOST_TEST(ca != cb);
  BOOST_TEST(campaign_of(c, a2) == ca);
  BOOST_TEST(campaign_of(c, b2) == cb);
  BOOST_TEST(unique_proposals(c) == 2);
  BOOST_TEST(get_ok(c, "/api/v1/stats/articles/19")["proposals_unique"] == 1);
  BOOST_TEST(get_ok(c, "/api/v1/stats/campaigns")["campaigns_total"] == 2);

  const std::string bridge = post_proposal(c, proposal(part(2, 10), {"7"}));
  wait_for_campaigns(db);
  const json merged = campaign_of(c, bridge);
  BOOST_TEST_REQUIRE(merged.is_string());
  for (const std::string& id : {a1, a2, b1, b2}) BOOST_TEST(campaign_of(c, id) == merged, id);
  BOOST_TEST((merged == ca || merged == cb));
  const json gone = merged == ca ? cb : ca;
  BOOST_TEST(c.get("/api/v1/campaigns/" + gone.get<std::string>(), bearer(tokens().analyst.secret))
                 .status == 404);
  BOOST_TEST(get_ok(c, "/api/v1/stats/coverage")["proposals"] == 5);
  BOOST_TEST(unique_proposals(c) == 1);
  const json a7 = get_ok(c, "/api/v1/stats/articles/7");
  BOOST_TEST(a7["proposals"] == 5);
  BOOST_TEST(a7["proposals_unique"] == 1);
  BOOST_TEST(get_ok(c, "/api/v1/stats/articles/19")["proposals_unique"] == 1);
  json listed;
  const json all_articles = get_ok(c, "/api/v1/stats/articles");
  for (const json& a : all_articles["articles"]) {
    if (a["article"] == "19") listed = a;
  }
  BOOST_TEST(listed["proposals"] == 2);
  BOOST_TEST(listed["proposals_unique"] == 1);
  const json list = get_ok(c, "/api/v1/stats/campaigns");
  BOOST_TEST(list["campaigns_total"] == 1);
  BOOST_TEST_REQUIRE(list["campaigns"].size() == 1u);
  BOOST_TEST(list["campaigns"][0]["size"] == 5);
  BOOST_TEST(list["campaigns"][0]["articles"] == json::array({"7", "19"}));
  // Whole-day filters count from the daily rows, a filter by the second from the raw rows: the
  // same figures.
  for (const std::string q : {"submitter_type=citizen", "submitter_type=citizen&from=2000-01-01",
                              "from=2000-01-01T00:00:01Z"}) {
    BOOST_TEST_CONTEXT(q) {
      const json filtered = get_ok(c, "/api/v1/stats/coverage?" + q);
      BOOST_TEST(filtered["proposals_unique"] == 1);
      BOOST_TEST(get_ok(c, "/api/v1/stats/articles/19?" + q)["proposals_unique"] == 1);
      const json sections = get_ok(c, "/api/v1/stats/sections?" + q);
      for (const json& sec : sections["sections"]) {
        if (sec["proposals"].get<int>() > 0) BOOST_TEST(sec["proposals_unique"] == 1);
      }
    }
  }
  BOOST_TEST(
      get_ok(c, "/api/v1/stats/coverage?from=2000-01-01&to=2000-12-31")["proposals_unique"] == 0);
}

BOOST_AUTO_TEST_CASE(a_moderator_hides_a_whole_campaign_at_once_audited) {
  auto c = client();
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(
        post_proposal(c, proposal(join(kLetter) + (i % 2 == 0 ? "" : " Спасибо."), {"7"})));
  }
  const std::string lone = post_proposal(
      c, proposal("Прошу добавить в Конституцию право на чистую воду и воздух для каждого "
                  "жителя, а также обязанность государства следить за промышленными выбросами.",
                  {"31"}));
  wait_for_campaigns(db);
  const json campaign = campaign_of(c, ids[0]);
  BOOST_TEST_REQUIRE(campaign.is_string());
  const std::string path = "/api/v1/campaigns/" + campaign.get<std::string>() + "/moderation";
  const json hide = {{"status", "hidden"}, {"reason", "one bot sent the same letter"}};

  BOOST_TEST(post_json(c, path, hide, tokens().analyst).status == 403);
  BOOST_TEST(post_json(c, path, {{"status", "gone"}, {"reason", "x"}}, tokens().moderator).status ==
             422);
  BOOST_TEST(post_json(c, "/api/v1/campaigns/999999/moderation", hide, tokens().moderator).status ==
             404);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE status = 'hidden'") == 0);

  // The audit log is never emptied and ids restart with every case: entries after this one.
  const json newest = get_ok(c, "/api/v1/audit?limit=1", bearer(tokens().admin.secret))["items"];
  const std::int64_t since = newest.empty() ? 0 : std::stoll(newest[0]["id"].get<std::string>());
  HttpResponse res = post_json(c, path, hide, tokens().moderator);
  BOOST_TEST_REQUIRE(res.status == 200, res.body);
  BOOST_TEST(res.json()["changed"] == 4);
  const json cov = get_ok(c, "/api/v1/stats/coverage");
  BOOST_TEST(cov["proposals"] == 1);
  BOOST_TEST(cov["proposals_unique"] == 1);
  BOOST_TEST(get_ok(c, "/api/v1/stats/articles/7")["proposals"] == 0);
  BOOST_TEST(get_ok(c, "/api/v1/stats/campaigns")["campaigns"].empty());
  const json full = get_ok(c, "/api/v1/campaigns/" + campaign.get<std::string>(),
                           bearer(tokens().analyst.secret));
  BOOST_TEST(full["size"] == 0);
  BOOST_TEST(full["members_total"] == 4);
  for (const json& m : full["members"]) BOOST_TEST(m["status"] == "hidden");
  // One audit entry per member, with the reason.
  for (const std::string& id : ids) {
    json items = json::array();
    const json all =
        get_ok(c, "/api/v1/audit?proposal=" + id, bearer(tokens().admin.secret))["items"];
    for (const json& e : all) {
      if (std::stoll(e["id"].get<std::string>()) > since) items.push_back(e);
    }
    BOOST_TEST_REQUIRE(items.size() == 1u, id);
    BOOST_TEST(items[0]["reason"] == "one bot sent the same letter");
    BOOST_TEST(items[0]["actor"] == tokens().moderator.name);
  }
  // Again: nothing changes; then shown again, everything is back.
  BOOST_TEST(post_json(c, path, hide, tokens().moderator).json()["changed"] == 0);
  res = post_json(c, path, {{"status", "visible"}, {"reason", "checked by hand"}},
                  tokens().moderator);
  BOOST_TEST(res.json()["changed"] == 4);
  BOOST_TEST(get_ok(c, "/api/v1/stats/coverage")["proposals_unique"] == 2);
  const json list = get_ok(c, "/api/v1/stats/campaigns");
  BOOST_TEST_REQUIRE(list["campaigns"].size() == 1u);
  BOOST_TEST(list["campaigns"][0]["size"] == 4);
  BOOST_TEST(campaign_of(c, lone).is_null());
}

BOOST_AUTO_TEST_SUITE_END()
