// Moderation: hiding counts a proposal out of the statistics and showing counts it back in
// exactly; every change is in the append-only audit log; malformed requests are refused.
#include <boost/test/unit_test.hpp>
#include <regex>

#include "staff_fixture.hpp"

namespace {

using nlohmann::json;
using namespace usynys::test;
using namespace usynys::test::staff;

json get_public(HttpClient& c, const std::string& target) {
  HttpResponse res = c.get(target);
  BOOST_TEST_REQUIRE(res.status == 200, target << ": " << res.body);
  return res.json();
}

HttpResponse moderate(HttpClient& c, const std::string& id, const std::string& status,
                      const std::string& reason, const Token& who) {
  json body = {{"status", status}, {"reason", reason}};
  return c.post_json("/api/v1/proposals/" + id + "/moderation", body.dump(), bearer(who.secret));
}

// Statistics under a few filters, answered by every source (aggregates and raw rows).
json statistics(HttpClient& c) {
  json out = json::object();
  for (const std::string q : {"", "?channel=web", "?region=Astana", "?language=kk"}) {
    out["coverage" + q] = get_public(c, "/api/v1/stats/coverage" + q);
    out["sections" + q] = get_public(c, "/api/v1/stats/sections" + q);
    out["articles" + q] = get_public(c, "/api/v1/stats/articles" + q);
    out["timeline" + q] = get_public(c, "/api/v1/stats/timeline" + q);
  }
  for (const std::string a : {"1", "2", "50"}) {
    out["article " + a] = get_public(c, "/api/v1/stats/articles/" + a);
  }
  return out;
}

std::int64_t newest_audit_id(HttpClient& c) {
  HttpResponse res = c.get("/api/v1/audit?limit=1", bearer(tokens().admin.secret));
  BOOST_TEST_REQUIRE(res.status == 200, res.body);
  json items = res.json().at("items");
  return items.empty() ? 0 : std::stoll(items[0].at("id").get<std::string>());
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(staff_moderation, StaffCase)

BOOST_AUTO_TEST_CASE(hiding_counts_a_proposal_out_and_showing_counts_it_back) {
  auto c = client();
  json a = proposal("On articles 1 and 2.", {"1", "2"});
  a["submitter"]["region"] = "Astana";
  a["language"] = "kk";
  post_proposal(c, a);
  post_proposal(c, proposal("On article 2.", {"2"}));
  json h = proposal("On article 50 only.", {"50"});
  h["submitter"]["region"] = "Astana";
  h["language"] = "kk";
  const std::string hidden = post_proposal(c, h);

  const json before = statistics(c);
  const json& coverage = before.at("coverage");
  BOOST_TEST(coverage.at("proposals") == 3);
  BOOST_TEST(coverage.at("articles_touched") == 3);

  HttpResponse res = moderate(c, hidden, "hidden", "off-topic", tokens().moderator);
  BOOST_TEST_REQUIRE(res.status == 200, res.body);
  json m = res.json();
  BOOST_TEST(m.at("changed") == true);
  BOOST_TEST(m.at("previous_status") == "visible");
  BOOST_TEST(m.at("status") == "hidden");

  json during = get_public(c, "/api/v1/stats/coverage");
  BOOST_TEST(during.at("proposals") == 2);
  BOOST_TEST(during.at("articles_touched") == 2);
  const json untouched = during.at("untouched_articles");
  BOOST_TEST((std::find(untouched.begin(), untouched.end(), "50") != untouched.end()));
  BOOST_TEST(get_public(c, "/api/v1/stats/articles/50").at("proposals") == 0);
  BOOST_TEST(get_public(c, "/api/v1/stats/coverage?region=Astana").at("proposals") == 1);
  BOOST_TEST(get_public(c, "/api/v1/stats/coverage?language=kk").at("proposals") == 1);

  res = moderate(c, hidden, "visible", "reviewed again", tokens().admin);
  BOOST_TEST_REQUIRE(res.status == 200, res.body);
  const json after = statistics(c);
  for (const auto& [name, value] : before.items()) {
    BOOST_TEST(after.at(name) == value, name << " is back to what it was");
  }
}

BOOST_AUTO_TEST_CASE(every_change_is_in_the_audit_log) {
  auto c = client();
  const std::string id = post_proposal(c, proposal("To be moderated."));
  const std::int64_t baseline = newest_audit_id(c);

  HttpResponse hide = moderate(c, id, "hidden", "  spam, «реклама»  ", tokens().moderator);
  BOOST_TEST_REQUIRE(hide.status == 200, hide.body);
  HttpResponse again = moderate(c, id, "hidden", "still spam", tokens().moderator);
  BOOST_TEST_REQUIRE(again.status == 200, again.body);
  BOOST_TEST(again.json().at("changed") == false, "no change, nothing logged");
  BOOST_TEST(again.json().at("audit_id").is_null());
  HttpResponse show = moderate(c, id, "visible", "not spam after all", tokens().admin);
  BOOST_TEST_REQUIRE(show.status == 200, show.body);

  HttpResponse res = c.get("/api/v1/audit?proposal=" + id, bearer(tokens().admin.secret));
  BOOST_TEST_REQUIRE(res.status == 200, res.body);
  std::vector<json> entries;
  const json listed = res.json();
  for (const json& e : listed.at("items")) {
    if (std::stoll(e.at("id").get<std::string>()) > baseline) entries.push_back(e);
  }
  BOOST_TEST_REQUIRE(entries.size() == 2u, res.body);
  const json& last = entries[0];
  const json& first = entries[1];
  BOOST_TEST(first.at("actor") == tokens().moderator.name);
  BOOST_TEST(first.at("action") == "moderation");
  BOOST_TEST(first.at("proposal_id") == id);
  BOOST_TEST(first.at("from") == "visible");
  BOOST_TEST(first.at("to") == "hidden");
  BOOST_TEST(first.at("reason") == "spam, «реклама»", "the reason is kept, trimmed");
  BOOST_TEST(first.at("id") == hide.json().at("audit_id"));
  BOOST_TEST(first.at("at") == hide.json().at("at"));
  BOOST_TEST(std::regex_match(first.at("at").get<std::string>(),
                              std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")));
  BOOST_TEST(last.at("actor") == tokens().admin.name);
  BOOST_TEST(last.at("from") == "hidden");
  BOOST_TEST(last.at("to") == "visible");
  BOOST_TEST(last.at("reason") == "not spam after all");

  // Keyset pages, one entry each, newest first, down to the baseline.
  std::vector<std::string> walked;
  std::string cursor;
  for (int i = 0; i < 10; ++i) {
    HttpResponse page = c.get("/api/v1/audit?limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor),
                              bearer(tokens().admin.secret));
    BOOST_TEST_REQUIRE(page.status == 200, page.body);
    json j = page.json();
    BOOST_TEST_REQUIRE(j.at("items").size() == 1u);
    const std::string eid = j.at("items")[0].at("id").get<std::string>();
    if (std::stoll(eid) <= baseline) break;
    walked.push_back(eid);
    if (j.at("next_cursor").is_null()) break;
    cursor = j.at("next_cursor").get<std::string>();
  }
  BOOST_TEST((walked == std::vector<std::string>{last.at("id").get<std::string>(),
                                                 first.at("id").get<std::string>()}));
  HttpResponse by_actor =
      c.get("/api/v1/audit?actor=" + tokens().admin.name, bearer(tokens().admin.secret));
  BOOST_TEST_REQUIRE(by_actor.status == 200);
  const json by_actor_items = by_actor.json().at("items");
  for (const json& e : by_actor_items) BOOST_TEST(e.at("actor") == tokens().admin.name);
  for (const char* q : {"?limit=0", "?cursor=cDox", "?proposal=x", "?who=me"}) {
    HttpResponse bad = c.get(std::string("/api/v1/audit") + q, bearer(tokens().admin.secret));
    BOOST_TEST(bad.status == 422, q << ": " << bad.body);
  }
}

BOOST_AUTO_TEST_CASE(the_audit_log_is_append_only) {
  auto c = client();
  const std::string id = post_proposal(c, proposal("Logged."));
  BOOST_TEST_REQUIRE(moderate(c, id, "hidden", "for the log", tokens().moderator).status == 200);
  for (const char* sql : {"UPDATE audit_log SET reason = 'rewritten'", "DELETE FROM audit_log",
                          "TRUNCATE audit_log"}) {
    pqxx::work tx(db.connection());
    BOOST_CHECK_THROW(tx.exec(sql), pqxx::sql_error);
  }
  pqxx::read_transaction tx(db.connection());
  BOOST_TEST(tx.exec1("SELECT count(*) FROM audit_log WHERE reason = 'for the log'")[0].as<int>() >=
             1);
}

BOOST_AUTO_TEST_CASE(malformed_moderation_requests_are_refused) {
  auto c = client();
  const std::string id = post_proposal(c, proposal("Target."));
  const std::string path = "/api/v1/proposals/" + id + "/moderation";
  const Headers who = bearer(tokens().moderator.secret);
  auto fields = [](const HttpResponse& res) {
    std::string s;
    for (const json& e : res.json().value("errors", json::array())) {
      s += (s.empty() ? "" : " ") + e.value("field", std::string("?"));
    }
    return s;
  };
  Headers text = who;
  text.emplace_back("Content-Type", "text/plain");
  BOOST_TEST(c.request("POST", path, R"({"status":"hidden","reason":"x"})", text).status == 415);
  BOOST_TEST(c.post_json(path, "{\"status\":", who).status == 400);
  HttpResponse empty = c.post_json(path, "{}", who);
  BOOST_TEST(empty.status == 422);
  BOOST_TEST(fields(empty) == "/status /reason", empty.body);
  HttpResponse wrong = c.post_json(path, R"({"status":"deleted","reason":"   ","extra":1})", who);
  BOOST_TEST(wrong.status == 422);
  BOOST_TEST(fields(wrong) == "/extra /status /reason", wrong.body);
  HttpResponse long_reason =
      c.post_json(path, json{{"status", "hidden"}, {"reason", std::string(1001, 'x')}}.dump(), who);
  BOOST_TEST(fields(long_reason) == "/reason", long_reason.body);
  HttpResponse not_object = c.post_json(path, "[]", who);
  BOOST_TEST(not_object.status == 422);
  BOOST_TEST(
      c.post_json("/api/v1/proposals/999999/moderation", R"({"status":"hidden","reason":"x"})", who)
          .status == 404);
  BOOST_TEST(
      c.post_json("/api/v1/proposals/x1/moderation", R"({"status":"hidden","reason":"x"})", who)
          .status == 404);
  HttpResponse get = c.get(path, who);
  BOOST_TEST(get.status == 405);
  BOOST_TEST(get.header("Allow").value_or("") == "POST");
  // Nothing above changed the proposal.
  HttpResponse p = c.get("/api/v1/proposals/" + id, who);
  BOOST_TEST(p.json().at("status") == "visible");
}

BOOST_AUTO_TEST_SUITE_END()
