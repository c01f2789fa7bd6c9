// Dispositions: a moderator records what the commission decided about a proposal or a whole
// campaign (the latest stands, each one audited with the one it replaced); the receipt shows it;
// a campaign's decision reaches its members, present and future, unless a member has its own;
// the public statistic equals a recount over the raw tables.
#include <boost/test/unit_test.hpp>
#include <set>

#include "staff_fixture.hpp"

namespace {

using nlohmann::json;
using namespace usynys::test;
using namespace usynys::test::staff;

// A form letter on article 7, five sentences: copies of it form a campaign.
const std::string kLetter =
    "Уважаемая комиссия, просим закрепить в статье седьмой обязанность государственных органов "
    "отвечать гражданину на языке его обращения. Сейчас многие ответы приходят только на одном "
    "языке, и люди не могут понять решения по своим делам. Такая обязанность не требует больших "
    "расходов, потому что переводчики уже есть в каждом ведомстве. Она укрепит доверие граждан к "
    "государству и уважение к обоим языкам. Просим учесть это предложение при подготовке новой "
    "редакции.";

const std::string kWords[40] = {
    "земля",  "вода",    "лес",      "небо",     "город", "село",     "школа",  "больница",
    "дорога", "мост",    "завод",    "поле",     "река",  "озеро",    "гора",   "степь",
    "книга",  "театр",   "музей",    "парк",     "рынок", "банк",     "почта",  "вокзал",
    "суд",    "армия",   "флаг",     "герб",     "гимн",  "налог",    "пенсия", "зарплата",
    "семья",  "детство", "старость", "здоровье", "наука", "культура", "спорт",  "туризм"};

json get_ok(HttpClient& c, const std::string& target, const Headers& h = {}) {
  HttpResponse res = c.get(target, h);
  BOOST_TEST_REQUIRE(res.status == 200, target << ": " << res.body);
  return res.json();
}

HttpResponse put_json(HttpClient& c, const std::string& target, const json& body,
                      const Token& who) {
  Headers h = bearer(who.secret);
  h.emplace_back("Content-Type", "application/json");
  return c.request("PUT", target, body.dump(), h);
}

// Posts `body`; its id and receipt.
std::pair<std::string, std::string> post_with_receipt(HttpClient& c, const json& body) {
  HttpResponse res = c.post_json("/api/v1/proposals", body.dump());
  BOOST_TEST_REQUIRE(res.status == 201, res.body);
  return {res.json().at("id").get<std::string>(), res.json().at("receipt").get<std::string>()};
}

json receipt(HttpClient& c, const std::string& code) {
  return get_ok(c, "/api/v1/receipts/" + code).at("disposition");
}

void wait_for_campaigns(Db& db) {
  BOOST_TEST_REQUIRE(db.count_when("SELECT count(*) FROM campaign_pending", 0) == 0);
}

// The fields a 422 names, in order.
std::string fields(const HttpResponse& res) {
  std::string out;
  for (const json& e : res.json().value("errors", json::array())) {
    out += (out.empty() ? "" : " ") + e.value("field", "");
  }
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(staff_dispositions, StaffCase)

BOOST_AUTO_TEST_CASE(the_latest_decision_stands_is_audited_and_shows_on_the_receipt) {
  auto c = client();
  const auto [id, code] = post_with_receipt(c, proposal("Сохранить двуязычие.", {"7"}));
  BOOST_TEST(receipt(c, code).is_null());
  const std::string target = "/api/v1/proposals/" + id + "/disposition";
  HttpResponse first =
      put_json(c, target, {{"decision", "under_review"}, {"reason", "Рабочая группа изучает."}},
               tokens().moderator);
  BOOST_TEST_REQUIRE(first.status == 200, first.body);
  BOOST_TEST(first.json()["previous"].is_null());
  BOOST_TEST(first.json()["answered_by"].is_null());
  HttpResponse second =
      put_json(c, target,
               {{"decision", "partly_accepted"},
                {"reason", "  Проект сохраняет оба языка.\n"},
                {"answered_by", {{"document", "kz-2026-draft"}, {"articles", {"9", 7}}}}},
               tokens().admin);
  BOOST_TEST_REQUIRE(second.status == 200, second.body);
  const json s = second.json();
  BOOST_TEST(s["previous"] == json({{"decision", "under_review"}, {"answered_by", nullptr}}));
  BOOST_TEST(s["reason"] == "Проект сохраняет оба языка.");
  BOOST_TEST(s["answered_by"] == json({{"document", "kz-2026-draft"}, {"articles", {"7", "9"}}}));

  const json shown = receipt(c, code);
  BOOST_TEST(shown["decision"] == "partly_accepted");
  BOOST_TEST(shown["reason"] == "Проект сохраняет оба языка.");
  BOOST_TEST(shown["answered_by"] == s["answered_by"]);
  BOOST_TEST(shown["applies_to"] == "proposal");
  BOOST_TEST(shown["decided_at"] == s["decided_at"]);

  // Both decisions are in the audit log, each with the one it replaced (the log outlives
  // proposals: entries of earlier cases for a proposal of the same id come before).
  const std::string since = first.json()["audit_id"];
  json audit = json::array();
  const json listed = get_ok(c, "/api/v1/audit?proposal=" + id, bearer(tokens().admin.secret));
  for (const json& e : listed["items"]) {
    if (std::stoll(e["id"].get<std::string>()) >= std::stoll(since)) audit.push_back(e);
  }
  BOOST_TEST_REQUIRE(audit.size() == 2u);
  BOOST_TEST(audit[0]["action"] == "disposition");
  BOOST_TEST(audit[0]["actor"] == tokens().admin.name);
  BOOST_TEST(json::parse(audit[0]["from"].get<std::string>()) == s["previous"]);
  BOOST_TEST(json::parse(audit[0]["to"].get<std::string>())["decision"] == "partly_accepted");
  BOOST_TEST(audit[1]["actor"] == tokens().moderator.name);
  BOOST_TEST(audit[1]["from"] == "null");
  BOOST_TEST(audit[0]["reason"] == "Проект сохраняет оба языка.");

  // Refusals name each field and change nothing.
  const std::pair<json, std::string> bad[] = {
      {{{"decision", "maybe"}, {"reason", "x"}}, "/decision"},
      {{{"decision", "accepted"}, {"reason", "   "}}, "/reason"},
      {{{"decision", "accepted"}}, "/reason"},
      {{{"decision", "accepted"}, {"reason", "x"}, {"by", "me"}}, "/by"},
      {{{"decision", "accepted"},
        {"reason", "x"},
        {"answered_by", {{"document", "kz-2030"}, {"articles", {"1"}}}}},
       "/answered_by/document"},
      {{{"decision", "accepted"},
        {"reason", "x"},
        {"answered_by", {{"document", "kz-1995"}, {"articles", {"1", "999", "84", "1"}}}}},
       "/answered_by/articles/1 /answered_by/articles/2 /answered_by/articles/3"},
      {{{"decision", "accepted"},
        {"reason", "x"},
        {"answered_by", {{"document", "kz-2026-draft"}, {"articles", json::array()}}}},
       "/answered_by/articles"},
  };
  for (const auto& [body, named] : bad) {
    HttpResponse res = put_json(c, target, body, tokens().moderator);
    BOOST_TEST(res.status == 422, body.dump() << ": " << res.body);
    BOOST_TEST(fields(res) == named, body.dump());
  }
  BOOST_TEST(receipt(c, code)["decision"] == "partly_accepted");
  BOOST_TEST(db.count("SELECT count(*) FROM audit_log WHERE action = 'disposition' AND id >= " +
                      since) == 2);
  BOOST_TEST(put_json(c, "/api/v1/proposals/999999999/disposition",
                      {{"decision", "accepted"}, {"reason", "x"}}, tokens().moderator)
                 .status == 404);
}

BOOST_AUTO_TEST_CASE(a_campaign_decision_reaches_members_present_and_future_and_own_ones_win) {
  auto c = client();
  std::vector<std::pair<std::string, std::string>> members;
  members.push_back(post_with_receipt(c, proposal(kLetter, {"7"})));
  members.push_back(post_with_receipt(c, proposal(kLetter + " С уважением, Айгуль.", {"7"})));
  members.push_back(post_with_receipt(c, proposal("Добрый день! " + kLetter, {"7"})));
  wait_for_campaigns(db);
  const json campaign = get_ok(c, "/api/v1/proposals/" + members[0].first,
                               bearer(tokens().analyst.secret))["campaign"];
  BOOST_TEST_REQUIRE(campaign.is_string());
  const std::string target = "/api/v1/campaigns/" + campaign.get<std::string>() + "/disposition";
  const json decision = {{"decision", "rejected"}, {"reason", "Норма уже действует."}};
  BOOST_TEST(put_json(c, target, decision, tokens().analyst).status == 403);
  BOOST_TEST(put_json(c, target, decision, tokens().coder).status == 403);
  BOOST_TEST(
      put_json(c, "/api/v1/campaigns/999999999/disposition", decision, tokens().moderator).status ==
      404);
  HttpResponse res = put_json(c, target, decision, tokens().moderator);
  BOOST_TEST_REQUIRE(res.status == 200, res.body);
  BOOST_TEST(res.json()["members"] == 3);
  for (const auto& [id, code] : members) {
    const json shown = receipt(c, code);
    BOOST_TEST(shown["decision"] == "rejected", id);
    BOOST_TEST(shown["applies_to"] == "campaign", id);
  }
  BOOST_TEST(db.count("SELECT count(*) FROM audit_log WHERE action = 'disposition' AND subject = "
                      "'campaign " +
                      campaign.get<std::string>() +
                      "' AND id >= " + res.json()["audit_id"].get<std::string>()) == 1);

  // A member's own decision wins, whenever it was made.
  BOOST_TEST(put_json(c, "/api/v1/proposals/" + members[1].first + "/disposition",
                      {{"decision", "accepted"}, {"reason", "Учтено отдельно."}},
                      tokens().moderator)
                 .status == 200);
  BOOST_TEST(put_json(c, target, {{"decision", "out_of_scope"}, {"reason", "Не о конституции."}},
                      tokens().moderator)
                 .json()["members"] == 2);
  BOOST_TEST(receipt(c, members[1].second)["decision"] == "accepted");
  BOOST_TEST(receipt(c, members[1].second)["applies_to"] == "proposal");
  BOOST_TEST(receipt(c, members[0].second)["decision"] == "out_of_scope");

  // A copy that arrives later joins the campaign and its decision.
  const auto late = post_with_receipt(c, proposal(kLetter + " Спасибо.", {"7"}));
  BOOST_TEST(receipt(c, late.second).is_null(), "undecided until compared");
  wait_for_campaigns(db);
  BOOST_TEST(receipt(c, late.second)["decision"] == "out_of_scope");
  BOOST_TEST(receipt(c, late.second)["applies_to"] == "campaign");
  const json counts = get_ok(c, "/api/v1/stats/dispositions?article=7");
  BOOST_TEST(counts["by_decision"]["out_of_scope"] == 3);
  BOOST_TEST(counts["by_decision"]["accepted"] == 1);
  BOOST_TEST(counts["by_decision"]["undecided"] == 0);
}

BOOST_AUTO_TEST_CASE(a_merge_of_two_decided_campaigns_keeps_the_later_decision) {
  auto c = client();
  const std::string other =
      "Предлагаем записать в конституции право каждого жителя села на чистую питьевую воду. Во "
      "многих аулах воду до сих пор привозят в бочках, и люди платят за неё втридорога. "
      "Государство должно отвечать за водопровод так же, как за дороги и школы. Пусть местные "
      "власти каждый год отчитываются, сколько сёл получили воду. Это предложение поддерживают "
      "жители нашего района.";
  const auto a1 = post_with_receipt(c, proposal(kLetter, {"7"}));
  const auto a2 = post_with_receipt(c, proposal(kLetter + " Спасибо.", {"7"}));
  const auto b1 = post_with_receipt(c, proposal(other, {"24"}));
  const auto b2 = post_with_receipt(c, proposal(other + " С уважением.", {"24"}));
  wait_for_campaigns(db);
  const auto campaign = [&](const std::string& id) {
    return get_ok(c, "/api/v1/proposals/" + id, bearer(tokens().analyst.secret))["campaign"]
        .get<std::string>();
  };
  const std::string a = campaign(a1.first);
  const std::string b = campaign(b1.first);
  BOOST_TEST_REQUIRE(a != b);
  BOOST_TEST(put_json(c, "/api/v1/campaigns/" + a + "/disposition",
                      {{"decision", "rejected"}, {"reason", "Первое решение."}}, tokens().moderator)
                 .status == 200);
  BOOST_TEST(put_json(c, "/api/v1/campaigns/" + b + "/disposition",
                      {{"decision", "accepted"}, {"reason", "Второе решение."}}, tokens().moderator)
                 .status == 200);
  {
    // The merge as the detector runs it when a text bridges the two.
    pqxx::work tx(db.connection());
    tx.exec("SELECT pg_advisory_xact_lock(campaign_lock_key())");
    tx.exec("SELECT campaign_merge(" + a + ", " + b + ")");
    tx.commit();
  }
  for (const auto& member : {a1, a2, b1, b2}) {
    const json shown = receipt(c, member.second);
    BOOST_TEST(shown["decision"] == "accepted", member.first);
    BOOST_TEST(shown["reason"] == "Второе решение.", member.first);
  }
  BOOST_TEST(db.count("SELECT count(*) FROM dispositions WHERE kind = 'campaign' AND target_id = " +
                      b) == 0);
}

BOOST_AUTO_TEST_CASE(disposition_statistics_equal_a_recount_over_the_raw_tables) {
  auto c = client();
  const char* types[] = {"citizen", "party", "organization", "expert", "state_body"};
  const char* channels[] = {"web", "egov", "e-otinish"};
  const char* decisions[] = {"under_review", "accepted", "partly_accepted", "rejected",
                             "out_of_scope"};
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) {
    // Texts of their own: no two share more than one word triple.
    const auto w = [&](int k) { return kWords[static_cast<std::size_t>(k % 40)]; };
    json body = proposal("Прошу рассмотреть вопрос: " + w(i) + " " + w(i * 7 + 3) + " " +
                             w(i * 11 + 5) + " " + w(i * 13 + 1) + ".",
                         i % 7 == 0 ? json::array() : json::array({std::to_string(1 + i % 5)}));
    body["submitter"] = {{"type", types[i % 5]}};
    if (i % 5 != 0) body["submitter"]["name"] = "Организация " + std::to_string(i);
    body["channel"] = channels[i % 3];
    ids.push_back(post_with_receipt(c, body).first);
  }
  // Two copies of a letter form a campaign decided as a whole.
  post_with_receipt(c, proposal(kLetter, {"7"}));
  post_with_receipt(c, proposal(kLetter + " Благодарю.", {"7"}));
  wait_for_campaigns(db);
  const std::string campaign =
      std::to_string(db.count("SELECT max(campaign_id) FROM campaign_members"));
  BOOST_TEST_REQUIRE(put_json(c, "/api/v1/campaigns/" + campaign + "/disposition",
                              {{"decision", "rejected"}, {"reason", "Форма."}}, tokens().moderator)
                         .status == 200);
  for (std::size_t i = 0; i < ids.size(); i += 2) {
    json body = {{"decision", decisions[i % 5]}, {"reason", "Решение " + std::to_string(i)}};
    if (i % 4 == 0) {
      body["answered_by"] = {{"document", "kz-2026-draft"},
                             {"articles", {std::to_string(1 + i % 3), "10"}}};
    }
    BOOST_TEST_REQUIRE(
        put_json(c, "/api/v1/proposals/" + ids[i] + "/disposition", body, tokens().moderator)
            .status == 200);
  }
  {
    pqxx::work tx(db.connection());
    tx.exec("UPDATE proposals SET status = 'hidden' WHERE id IN (" + ids[0] + ", " + ids[3] + ")");
    tx.commit();
  }

  // The standing decision of each visible proposal, recounted here without the service's view.
  const std::string standing =
      "(SELECT p.id, p.submitter_type, p.channel, p.document_id, "
      "coalesce(o.decision, cd.decision, 'undecided') AS decision "
      "FROM proposals p LEFT JOIN dispositions o ON o.kind = 'proposal' AND o.target_id = p.id "
      "LEFT JOIN campaign_members cm ON cm.proposal_id = p.id "
      "LEFT JOIN dispositions cd ON cd.kind = 'campaign' AND cd.target_id = cm.campaign_id "
      "WHERE p.status = 'visible' AND p.document_id = (SELECT id FROM documents WHERE slug = "
      "'kz-1995')) s";
  const auto recount = [&](const std::string& where) {
    std::map<std::string, std::int64_t> out;
    pqxx::read_transaction tx(db.connection());
    for (const pqxx::row& r : tx.exec("SELECT decision, count(*) FROM " + standing + " WHERE " +
                                      where + " GROUP BY decision")) {
      out[r[0].as<std::string>()] = r[1].as<std::int64_t>();
    }
    return out;
  };
  const auto shown = [](const json& by) {
    std::map<std::string, std::int64_t> out;
    for (const auto& [k, v] : by.items()) {
      if (v.get<std::int64_t>() != 0) out[k] = v.get<std::int64_t>();
    }
    return out;
  };
  for (const std::string q : {"", "submitter_type=party", "article=2"}) {
    BOOST_TEST_CONTEXT("?" << q) {
      const std::string extra = q == "submitter_type=party" ? " AND s.submitter_type = 'party'"
                                : q == "article=2"
                                    ? " AND EXISTS (SELECT 1 FROM proposal_articles pa WHERE "
                                      "pa.proposal_id = s.id AND pa.article_id = '2')"
                                    : "";
      const json got = get_ok(c, "/api/v1/stats/dispositions?" + q);
      BOOST_TEST(shown(got["by_decision"]) == recount("true" + extra));
      for (const char* t : types) {
        BOOST_TEST(shown(got["by_submitter_type"][t]) ==
                       recount("s.submitter_type = '" + std::string(t) + "'" + extra),
                   t);
      }
      for (const char* ch : channels) {
        BOOST_TEST(shown(got["by_channel"][ch]) ==
                       recount("s.channel = '" + std::string(ch) + "'" + extra),
                   ch);
      }
      for (const json& a : got["articles"]) {
        const std::string art = a["article"];
        BOOST_TEST(shown(a["by_decision"]) ==
                       recount("EXISTS (SELECT 1 FROM proposal_articles pa WHERE pa.proposal_id "
                               "= s.id AND pa.article_id = '" +
                               art + "')" + extra),
                   art);
      }
    }
  }
  // Per article of the draft: the visible proposals whose decision names it.
  const json draft = get_ok(c, "/api/v1/stats/dispositions?document=kz-2026-draft");
  std::int64_t answered_total = 0;
  for (const json& a : draft["articles"]) {
    const std::string art = a["article"];
    const std::int64_t n = db.count(
        "SELECT count(*) FROM dispositions d JOIN proposals p ON d.kind = 'proposal' AND p.id = "
        "d.target_id "
        "WHERE p.status = 'visible' AND '" +
        art +
        "' = ANY (d.answered_articles) AND d.answered_document_id = (SELECT id FROM documents "
        "WHERE slug = 'kz-2026-draft')");
    BOOST_TEST(a["answered"] == n, art);
    answered_total += n;
  }
  BOOST_TEST(answered_total > 0);
  BOOST_TEST(c.get("/api/v1/stats/dispositions?article=999").status == 422);
  BOOST_TEST(c.get("/api/v1/stats/dispositions?submitter_type=alien").status == 422);
}

BOOST_AUTO_TEST_SUITE_END()
