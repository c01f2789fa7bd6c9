// Tagging: suggestions computed after commit and served, references replaced by coders (checked,
// audited, counted at once, serialised under concurrent edits, never overwritten by later
// suggestions), the queue of untagged proposals, and the estimate a staff read shows.
#include <boost/test/unit_test.hpp>
#include <set>
#include <thread>

#include "staff_fixture.hpp"

namespace {

using nlohmann::json;
using namespace usynys::test;
using namespace usynys::test::staff;

json get_ok(HttpClient& c, const std::string& target, const Headers& h = {}) {
  HttpResponse res = c.get(target, h);
  BOOST_TEST_REQUIRE(res.status == 200, target << ": " << res.body);
  return res.json();
}

HttpResponse put_articles(HttpClient& c, const std::string& id, const json& body,
                          const Token& who) {
  Headers h = bearer(who.secret);
  h.emplace_back("Content-Type", "application/json");
  return c.request("PUT", "/api/v1/proposals/" + id + "/articles", body.dump(), h);
}

std::set<std::string> error_fields(const HttpResponse& res) {
  std::set<std::string> out;
  for (const json& e : res.json().value("errors", json::array())) out.insert(e.value("field", ""));
  return out;
}

// Waits (bounded) until every proposal has stored suggestions.
void wait_for_suggestions(Db& db) {
  BOOST_TEST_REQUIRE(db.count_when("SELECT (SELECT count(*) FROM proposals) - (SELECT count(*) "
                                   "FROM proposal_suggestions WHERE model <> 'stale')",
                                   0) == 0);
}

json untagged(const std::string& text, const std::string& language,
              const std::string& channel = "web") {
  json p = proposal(text, json::array());
  p["language"] = language;
  p["channel"] = channel;
  return p;
}

std::int64_t touched(HttpClient& c, const std::string& article, bool include_suggested = false) {
  const json a = get_ok(c, "/api/v1/stats/articles/" + article +
                               (include_suggested ? "?include_suggested=true" : ""));
  return a.at("proposals").get<std::int64_t>();
}

// The audit entries of one proposal written after entry `since`, newest first (ids restart
// with every case; the log does not).
json audit_since(HttpClient& c, const std::string& id, std::int64_t since) {
  json out = json::array();
  const json items =
      get_ok(c, "/api/v1/audit?limit=500&proposal=" + id, bearer(tokens().admin.secret))["items"];
  for (const json& e : items) {
    if (std::stoll(e["id"].get<std::string>()) > since) out.push_back(e);
  }
  return out;
}

std::int64_t newest_audit_id(HttpClient& c) {
  const json items = get_ok(c, "/api/v1/audit?limit=1", bearer(tokens().admin.secret))["items"];
  return items.empty() ? 0 : std::stoll(items[0]["id"].get<std::string>());
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(staff_tagging, StaffCase)

BOOST_AUTO_TEST_CASE(suggestions_are_stored_within_seconds_and_served) {
  auto c = client();
  const std::string id = post_proposal(
      c, untagged("Предлагаю сократить срок полномочий Президента Республики и ограничить его "
                  "одним сроком.",
                  "ru"));
  const Headers analyst = bearer(tokens().analyst.secret);
  wait_for_suggestions(db);
  const json s = get_ok(c, "/api/v1/proposals/" + id + "/suggestions", analyst);
  BOOST_TEST(s["proposal"] == id);
  BOOST_TEST(s["document"] == "kz-1995");
  BOOST_TEST(s["computed"] == "stored");
  BOOST_TEST(s["language"] == "ru");
  BOOST_TEST(!s["model"].get<std::string>().empty());
  BOOST_TEST_REQUIRE(s["suggestions"].size() >= 5U);
  double previous = 1;
  for (const json& x : s["suggestions"]) {
    const double score = x["score"].get<double>();
    BOOST_TEST((score >= 0 && score <= previous), x.dump());
    previous = score;
  }
  BOOST_TEST(db.count("SELECT count(*) FROM suggest_pending") == 0);

  // While the suggester cannot take a proposal (its mark is locked), the answer is ranked on the
  // spot, and equals what is stored afterwards.
  std::string second;
  json now;
  {
    Db holder;
    pqxx::work hold(holder.connection());
    json kazakh = untagged("Жер және оның қойнауы халыққа тиесілі болуы керек.", "kk");
    kazakh.erase("language");
    second = post_proposal(c, kazakh);
    BOOST_TEST_REQUIRE(
        hold.exec("SELECT 1 FROM suggest_pending WHERE proposal_id = " + second + " FOR UPDATE")
            .size() == 1U);
    now = get_ok(c, "/api/v1/proposals/" + second + "/suggestions", analyst);
    BOOST_TEST(now["computed"] == "now");
    BOOST_TEST(now["language"] == "kk");  // detected: the proposal gave none
  }
  wait_for_suggestions(db);
  const json stored = get_ok(c, "/api/v1/proposals/" + second + "/suggestions", analyst);
  BOOST_TEST(stored["computed"] == "stored");
  // The same ranking; scores are stored as real (single precision).
  BOOST_TEST_REQUIRE(stored["suggestions"].size() == now["suggestions"].size());
  for (std::size_t i = 0; i < now["suggestions"].size(); ++i) {
    BOOST_TEST(stored["suggestions"][i]["article"] == now["suggestions"][i]["article"]);
    BOOST_TEST(stored["suggestions"][i]["score"].get<double>() ==
                   now["suggestions"][i]["score"].get<double>(),
               boost::test_tools::tolerance(1e-5));
  }

  BOOST_TEST(c.get("/api/v1/proposals/999999/suggestions", analyst).status == 404);
  BOOST_TEST(c.get("/api/v1/proposals/" + id + "/suggestions?x=1", analyst).status == 422);
}

BOOST_AUTO_TEST_CASE(a_coder_replaces_references_statistics_follow_and_the_audit_keeps_the_old) {
  auto c = client();
  const std::int64_t since = newest_audit_id(c);
  const std::string id = post_proposal(c, proposal("On the first article.", {"1"}));
  const Headers analyst = bearer(tokens().analyst.secret);
  json read = get_ok(c, "/api/v1/proposals/" + id, analyst);
  BOOST_TEST(read["articles"] == json::parse(R"([{"article":"1","paragraph":null,
                                                  "source":"submitter"}])"));
  const json before_cov = get_ok(c, "/api/v1/stats/coverage");
  BOOST_TEST(touched(c, "1") == 1);

  // Refused bodies change nothing.
  const json bad_bodies[] = {
      json::parse(R"({"articles":["9999"],"reason":"x"})"),
      json::parse(R"({"articles":[{"article":"1","paragraph":"99"}],"reason":"x"})"),
      json::parse(R"({"articles":["2","2"],"reason":"x"})"),
      json::parse(R"({"articles":[true],"reason":"x"})"),
      json::parse(R"({"articles":"2","reason":"x"})"),
      json::parse(R"({"reason":"x"})"),
      json::parse(R"({"articles":["2"]})"),
      json::parse(R"({"articles":["2"],"reason":""})"),
      json::parse(R"({"articles":["2"],"reason":"x","source":"staff"})"),
      json::parse(R"([])")};
  for (const json& body : bad_bodies) {
    HttpResponse res = put_articles(c, id, body, tokens().coder);
    BOOST_TEST(res.status == 422, body.dump() << ": " << res.body);
    BOOST_TEST(res.header("Content-Type").value_or("").starts_with("application/problem+json"));
    BOOST_TEST(!error_fields(res).empty(), body.dump());
  }
  BOOST_TEST(error_fields(put_articles(c, id, json::parse(R"({"articles":["2","9999"],"reason":
                                                             "x"})"),
                                       tokens().coder)) == std::set<std::string>{"/articles/1"});
  BOOST_TEST(
      put_articles(c, "999999", json::parse(R"({"articles":[],"reason":"x"})"), tokens().coder)
          .status == 404);
  BOOST_TEST(get_ok(c, "/api/v1/stats/coverage") == before_cov);

  HttpResponse res = put_articles(
      c, id,
      json::parse(R"({"articles":["2",{"article":"3","paragraph":"1"}],"reason":"reads as 2"})"),
      tokens().coder);
  BOOST_TEST_REQUIRE(res.status == 200, res.body);
  const json set = res.json();
  BOOST_TEST(set["changed"] == true);
  BOOST_TEST(set["previous_articles"] ==
             json::parse(R"([{"article":"1","paragraph":null,"source":"submitter"}])"));
  BOOST_TEST(set["articles"] == json::parse(R"([{"article":"2","paragraph":null,"source":"staff"},
                                               {"article":"3","paragraph":"1","source":"staff"}])"));
  // Every statistic follows at once, from the aggregates as from the raw rows.
  for (const std::string q : {"", "?region=Nowhere", "?channel=web"}) {
    const json a = get_ok(c, "/api/v1/stats/articles" + q);
    for (const json& row : a["articles"]) {
      const std::string art = row["article"];
      const std::int64_t want = q == "?region=Nowhere" ? 0 : (art == "2" || art == "3") ? 1 : 0;
      BOOST_TEST(row["proposals"].get<std::int64_t>() == want, q << " article " << art);
    }
  }
  read = get_ok(c, "/api/v1/proposals/" + id, analyst);
  BOOST_TEST(read["articles"][0]["source"] == "staff");
  // The same again changes nothing and writes no audit entry.
  HttpResponse again = put_articles(
      c, id, json::parse(R"({"articles":[{"article":"3","paragraph":"1"},"2"],"reason":"again"})"),
      tokens().coder);
  BOOST_TEST(again.json()["changed"] == false, again.body);

  // Empty: untagged again.
  const std::int64_t untagged_before = get_ok(c, "/api/v1/stats/coverage")["untagged"];
  res = put_articles(c, id, json::parse(R"({"articles":[],"reason":"names no article"})"),
                     tokens().moderator);
  BOOST_TEST_REQUIRE(res.status == 200, res.body);
  BOOST_TEST(get_ok(c, "/api/v1/stats/coverage")["untagged"] == untagged_before + 1);
  BOOST_TEST(touched(c, "2") == 0);

  // The audit log holds both changes, the old references in each.
  const json audit = audit_since(c, id, since);
  BOOST_TEST_REQUIRE(audit.size() == 2U, audit.dump());
  BOOST_TEST(audit[0]["action"] == "articles");
  BOOST_TEST(json::parse(audit[0]["from"].get<std::string>()).size() == 2U);
  BOOST_TEST(json::parse(audit[0]["to"].get<std::string>()) == json::array());
  BOOST_TEST(audit[0]["actor"] == tokens().moderator.name);
  BOOST_TEST(json::parse(audit[1]["from"].get<std::string>())[0]["source"] == "submitter");
  BOOST_TEST(audit[1]["reason"] == "reads as 2");
  BOOST_TEST(audit[1]["actor"] == tokens().coder.name);
}

BOOST_AUTO_TEST_CASE(concurrent_edits_serialise_and_each_is_audited) {
  auto c = client();
  const std::int64_t since = newest_audit_id(c);
  const std::string id = post_proposal(c, proposal("Contested.", {"1"}));
  constexpr int kRounds = 12;
  auto edit = [&](const std::string& article) {
    HttpClient mine(port());
    for (int i = 0; i < kRounds; ++i) {
      const json body = {{"articles", {article}}, {"reason", "round " + std::to_string(i)}};
      HttpResponse res = put_articles(mine, id, body, tokens().coder);
      BOOST_TEST(res.status == 200, res.body);
    }
  };
  std::thread a(edit, "5");
  std::thread b(edit, "6");
  a.join();
  b.join();
  // The entries chain: each one's "from" is the previous one's "to".
  const json audit = audit_since(c, id, since);
  BOOST_TEST_REQUIRE(audit.size() >= 2U);
  BOOST_TEST(json::parse(audit.back()["from"].get<std::string>())[0]["article"] == "1");
  for (std::size_t i = 0; i + 1 < audit.size(); ++i) {
    BOOST_TEST(json::parse(audit[i]["from"].get<std::string>()) ==
                   json::parse(audit[i + 1]["to"].get<std::string>()),
               "entry " << audit[i]["id"]);
  }
  const json last = json::parse(audit[0]["to"].get<std::string>());
  BOOST_TEST_REQUIRE(last.size() == 1U);
  const std::string kept = last[0]["article"];
  BOOST_TEST(touched(c, kept) == 1);
  BOOST_TEST(touched(c, kept == "5" ? "6" : "5") == 0);
  BOOST_TEST(touched(c, "1") == 0);
  BOOST_TEST(db.count("SELECT count(*) FROM proposal_articles WHERE proposal_id = " + id) == 1);
}

BOOST_AUTO_TEST_CASE(the_queue_lists_untagged_proposals_oldest_first_with_filters_and_pages) {
  auto c = client();
  std::vector<std::string> ids;
  ids.push_back(post_proposal(c, untagged("Мемлекеттік тіл қазақ тілі болуы тиіс.", "kk")));
  ids.push_back(post_proposal(c, untagged("Русский язык должен остаться официальным.", "ru")));
  post_proposal(c, proposal("Tagged by its sender.", {"7"}));
  ids.push_back(
      post_proposal(c, untagged("The right to a fair trial must be guaranteed.", "en", "email")));
  ids.push_back(post_proposal(c, untagged("Право на забастовку.", "ru", "e-otinish")));
  ids.push_back(post_proposal(c, untagged("Сот төрелігін тек сот жүзеге асырады.", "kk")));
  wait_for_suggestions(db);
  const Headers coder = bearer(tokens().coder.secret);
  // Pages of two, oldest first, every untagged proposal once.
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    const json q = get_ok(
        c, "/api/v1/tagging/queue?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor), coder);
    for (const json& item : q["items"]) {
      seen.push_back(item["id"]);
      BOOST_TEST(item["suggestions"].size() == 5U);
      BOOST_TEST(!item["text"].get<std::string>().empty());
    }
    if (q["next_cursor"].is_null()) break;
    cursor = q["next_cursor"];
  }
  BOOST_TEST(seen == ids, json(seen).dump());
  const json kk = get_ok(c, "/api/v1/tagging/queue?language=kk", coder);
  BOOST_TEST_REQUIRE(kk["items"].size() == 2U);
  BOOST_TEST(kk["items"][0]["id"] == ids[0]);
  BOOST_TEST(kk["items"][1]["id"] == ids[4]);
  const json email = get_ok(c, "/api/v1/tagging/queue?channel=email", coder);
  BOOST_TEST_REQUIRE(email["items"].size() == 1U);
  BOOST_TEST(email["items"][0]["id"] == ids[2]);
  // Tagged, it leaves the queue; hidden, too.
  BOOST_TEST(put_articles(c, ids[0], json::parse(R"({"articles":["7"],"reason":"language"})"),
                          tokens().coder)
                 .status == 200);
  HttpResponse hide =
      c.post_json("/api/v1/proposals/" + ids[1] + "/moderation",
                  R"({"status":"hidden","reason":"spam"})", bearer(tokens().moderator.secret));
  BOOST_TEST(hide.status == 200, hide.body);
  const json after = get_ok(c, "/api/v1/tagging/queue", coder);
  BOOST_TEST_REQUIRE(after["items"].size() == 3U);
  BOOST_TEST(after["items"][0]["id"] == ids[2]);
  // Bad parameters.
  for (const std::string q :
       {"?cursor=xyz", "?language=de", "?channel=fax", "?document=none", "?limit=0", "?x=1"}) {
    BOOST_TEST(c.get("/api/v1/tagging/queue" + q, coder).status == 422, q);
  }
}

BOOST_AUTO_TEST_CASE(a_coders_references_survive_new_suggestions) {
  auto c = client();
  const std::string id =
      post_proposal(c, untagged("Смертная казнь должна быть отменена навсегда.", "ru"));
  wait_for_suggestions(db);
  BOOST_TEST(put_articles(c, id, json::parse(R"({"articles":["15"],"reason":"right to life"})"),
                          tokens().coder)
                 .status == 200);
  // Every proposal's suggestions computed again, as after a change of model.
  {
    pqxx::work tx(db.connection());
    tx.exec("UPDATE proposal_suggestions SET model = 'stale'");
    tx.exec("INSERT INTO suggest_pending SELECT id FROM proposals");
    tx.commit();
  }
  wait_for_suggestions(db);
  const json read = get_ok(c, "/api/v1/proposals/" + id, bearer(tokens().analyst.secret));
  BOOST_TEST(read["articles"] == json::parse(R"([{"article":"15","paragraph":null,
                                                  "source":"staff"}])"));
  BOOST_TEST(db.count("SELECT count(*) FROM proposal_suggestions WHERE proposal_id = " + id +
                      " AND NOT untagged AND estimated IS NULL") == 1);
}

BOOST_AUTO_TEST_CASE(an_untagged_proposal_shows_and_counts_its_estimate) {
  auto c = client();
  // An article's own text matches it best, far above the threshold.
  std::string text;
  {
    pqxx::work tx(db.connection());
    text = tx.exec1(
                 "SELECT a.text FROM articles a JOIN documents d ON d.id = a.document_id "
                 "WHERE d.slug = 'kz-1995' AND a.article_id = '26'")[0]
               .as<std::string>();
  }
  const std::string id = post_proposal(c, untagged(text, "ru"));
  wait_for_suggestions(db);
  const json read = get_ok(c, "/api/v1/proposals/" + id, bearer(tokens().analyst.secret));
  BOOST_TEST_REQUIRE(read["articles"].size() == 1U, read.dump());
  BOOST_TEST(read["articles"][0]["source"] == "suggested");
  BOOST_TEST(read["articles"][0]["article"] == "26");
  BOOST_TEST(touched(c, "26") == 0);
  BOOST_TEST(touched(c, "26", true) == 1);
  const json cov = get_ok(c, "/api/v1/stats/coverage?include_suggested=true");
  BOOST_TEST(cov["estimated"] == true);
  BOOST_TEST(cov["estimated_proposals"] == 1);
  BOOST_TEST(cov["untagged"] == 1);
  BOOST_TEST(c.get("/api/v1/stats/coverage?include_suggested=maybe").status == 422);
  // Hidden, its estimate counts no more.
  HttpResponse hide =
      c.post_json("/api/v1/proposals/" + id + "/moderation",
                  R"({"status":"hidden","reason":"test"})", bearer(tokens().moderator.secret));
  BOOST_TEST(hide.status == 200, hide.body);
  BOOST_TEST(touched(c, "26", true) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
