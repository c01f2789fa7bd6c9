// The served description against the real answers: every route is called on the real server
// (success and its usual errors), and each answer's status, content type and body must be the
// ones the description documents for that operation; every operation is called at least once.
#include <boost/test/unit_test.hpp>
#include <map>
#include <set>

#include "staff_fixture.hpp"
#include "support/json_schema.hpp"

namespace {

using nlohmann::json;
using namespace usynys::test;
using namespace usynys::test::staff;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Each answer checked against the description of its operation (method and path pattern).
class Conformance {
 public:
  explicit Conformance(json description) : checker_(std::move(description)) {}

  void check(const std::string& method, const std::string& pattern, const HttpResponse& res) {
    BOOST_TEST_CONTEXT(method << " " << pattern << " -> " << res.status << " "
                              << res.body.substr(0, 300)) {
      const json& paths = checker_.document().at("paths");
      BOOST_TEST_REQUIRE(paths.contains(pattern));
      const json& op = paths.at(pattern).at(lower(method));
      called_.insert({lower(method), pattern});
      if (res.status < 400) succeeded_.insert({lower(method), pattern});
      const json& responses = op.at("responses");
      const std::string status = std::to_string(res.status);
      BOOST_TEST_REQUIRE(responses.contains(status), "status " << status << " is not documented");
      json answer = responses.at(status);
      if (answer.contains("$ref")) {
        answer = checker_.document().at(
            json::json_pointer(answer.at("$ref").get<std::string>().substr(1)));
      }
      if (!answer.contains("content")) {
        BOOST_TEST(res.body.empty(), "a documented answer without content has a body");
        return;
      }
      std::string type = res.header("Content-Type").value_or("");
      type = type.substr(0, type.find(';'));
      const json& content = answer.at("content");
      BOOST_TEST_REQUIRE(content.contains(type), "content type '" << type << "' not documented");
      if (type != "application/json" && type != "application/problem+json") {
        BOOST_TEST(!res.body.empty());
        return;
      }
      BOOST_TEST_REQUIRE(content.at(type).contains("schema"));
      for (const std::string& p : checker_.problems(content.at(type).at("schema"), res.json())) {
        BOOST_ERROR(p);
      }
    }
  }

  // The operations of the description no answer (`all`) or no successful answer was checked
  // against.
  std::set<std::string> missing(bool successful) const {
    std::set<std::string> out;
    const auto& seen = successful ? succeeded_ : called_;
    for (const auto& [pattern, item] : checker_.document().at("paths").items()) {
      for (const auto& [method, op] : item.items()) {
        if (!seen.contains({method, pattern})) out.insert(method + " " + pattern);
      }
    }
    return out;
  }

 private:
  SchemaChecker checker_;
  std::set<std::pair<std::string, std::string>> called_;
  std::set<std::pair<std::string, std::string>> succeeded_;
};

Headers with_json(const Token& who) {
  Headers h = bearer(who.secret);
  h.emplace_back("Content-Type", "application/json");
  return h;
}

const std::string kLetter =
    "Прошу оставить в статье седьмой равное употребление казахского и русского языков в "
    "государственных организациях и органах местного самоуправления. Это положение много лет "
    "обеспечивает согласие в обществе, и менять его нет причин. Семьи нашего города говорят на "
    "двух языках и ценят это равновесие.";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(staff_openapi, StaffCase)

BOOST_AUTO_TEST_CASE(every_route_answers_as_the_served_description_says) {
  auto c = client();
  const HttpResponse described = c.get("/api/v1/openapi.json");
  BOOST_TEST_REQUIRE(described.status == 200);
  Conformance api(described.json());
  api.check("GET", "/api/v1/openapi.json", described);
  api.check("GET", "/api/v1/openapi.json",
            c.get("/api/v1/openapi.json", {{"If-None-Match", *described.header("ETag")}}));
  const Tokens& t = tokens();
  const auto as = [](const Token& who) { return bearer(who.secret); };
  // A JSON body sent with a token, and its answer checked.
  const auto send = [&](const std::string& method, const std::string& pattern,
                        const std::string& target, const json& body, const Token& who) {
    api.check(method, pattern, c.request(method, target, body.dump(), with_json(who)));
  };

  // Intake and receipts.
  HttpResponse res = c.post_json("/api/v1/proposals", proposal(kLetter, {"7"}).dump());
  api.check("POST", "/api/v1/proposals", res);
  const std::string id = res.json().at("id");
  const std::string receipt = res.json().at("receipt");
  api.check("POST", "/api/v1/proposals", c.post_json("/api/v1/proposals", R"({"text": 1})"));
  api.check("POST", "/api/v1/proposals", c.post_json("/api/v1/proposals", "{"));
  for (int i = 0; i < 3; ++i) post_proposal(c, proposal(kLetter, {"7"}));
  api.check("GET", "/api/v1/receipts/{receipt}", c.get("/api/v1/receipts/" + receipt));
  api.check("GET", "/api/v1/receipts/{receipt}",
            c.get("/api/v1/receipts/0000-0000-0000-0000-0000-0000-0000-0000"));

  // Staff reads and the token checks.
  api.check("GET", "/api/v1/session", c.get("/api/v1/session", as(t.coder)));
  api.check("GET", "/api/v1/session", c.get("/api/v1/session"));
  api.check("GET", "/api/v1/proposals", c.get("/api/v1/proposals?limit=2", as(t.analyst)));
  api.check("GET", "/api/v1/proposals", c.get("/api/v1/proposals?limit=x", as(t.analyst)));
  api.check("GET", "/api/v1/proposals", c.get("/api/v1/proposals", bearer("wrong")));
  api.check("GET", "/api/v1/proposals/{id}", c.get("/api/v1/proposals/" + id, as(t.analyst)));
  api.check("GET", "/api/v1/proposals/{id}", c.get("/api/v1/proposals/999999", as(t.analyst)));
  api.check("GET", "/api/v1/proposals/{id}/suggestions",
            c.get("/api/v1/proposals/" + id + "/suggestions", as(t.analyst)));
  api.check("GET", "/api/v1/tagging/queue", c.get("/api/v1/tagging/queue", as(t.coder)));
  api.check("GET", "/api/v1/tagging/queue", c.get("/api/v1/tagging/queue", as(t.analyst)));
  send("PUT", "/api/v1/proposals/{id}/articles", "/api/v1/proposals/" + id + "/articles",
       {{"articles", {"7", "19"}}, {"reason", "both named"}}, t.coder);
  send("PUT", "/api/v1/proposals/{id}/articles", "/api/v1/proposals/" + id + "/articles",
       {{"articles", {"9999"}}, {"reason", "x"}}, t.coder);

  // Campaigns, moderation and decisions.
  BOOST_TEST_REQUIRE(db.count_when("SELECT count(*) FROM campaign_pending", 0) == 0);
  const json campaign = c.get("/api/v1/proposals/" + id, as(t.analyst)).json().at("campaign");
  BOOST_TEST_REQUIRE(campaign.is_string());
  const std::string cid = campaign.get<std::string>();
  api.check("GET", "/api/v1/campaigns/{id}", c.get("/api/v1/campaigns/" + cid, as(t.analyst)));
  api.check("GET", "/api/v1/stats/campaigns", c.get("/api/v1/stats/campaigns"));
  const json hide = {{"status", "hidden"}, {"reason", "one sender"}};
  const json show = {{"status", "visible"}, {"reason", "checked"}};
  const std::string campaign_moderation = "/api/v1/campaigns/" + cid + "/moderation";
  send("POST", "/api/v1/campaigns/{id}/moderation", campaign_moderation, hide, t.moderator);
  send("POST", "/api/v1/campaigns/{id}/moderation", campaign_moderation, show, t.analyst);
  const std::string moderation = "/api/v1/proposals/" + id + "/moderation";
  send("POST", "/api/v1/proposals/{id}/moderation", moderation, hide, t.moderator);
  send("POST", "/api/v1/proposals/{id}/moderation", moderation, show, t.moderator);
  send("POST", "/api/v1/proposals/{id}/moderation", moderation, {{"status", "gone"}}, t.moderator);
  const json decision = {{"decision", "under_review"}, {"reason", "The working group reads it."}};
  send("PUT", "/api/v1/proposals/{id}/disposition", "/api/v1/proposals/" + id + "/disposition",
       decision, t.moderator);
  send("PUT", "/api/v1/campaigns/{id}/disposition", "/api/v1/campaigns/" + cid + "/disposition",
       decision, t.moderator);
  send("PUT", "/api/v1/campaigns/{id}/disposition", "/api/v1/campaigns/999999/disposition",
       decision, t.moderator);
  api.check("GET", "/api/v1/receipts/{receipt}", c.get("/api/v1/receipts/" + receipt));
  api.check("GET", "/api/v1/stats/dispositions", c.get("/api/v1/stats/dispositions"));

  // Exports, the audit log, imports.
  api.check("GET", "/api/v1/export/proposals.csv",
            c.get("/api/v1/export/proposals.csv", as(t.analyst)));
  api.check("GET", "/api/v1/export/proposals.jsonl",
            c.get("/api/v1/export/proposals.jsonl?article=7", as(t.analyst)));
  api.check("GET", "/api/v1/export/proposals.jsonl",
            c.get("/api/v1/export/proposals.jsonl?article=x", as(t.analyst)));
  api.check("GET", "/api/v1/audit", c.get("/api/v1/audit?limit=5", as(t.admin)));
  api.check("GET", "/api/v1/audit", c.get("/api/v1/audit", as(t.moderator)));
  Headers ndjson = bearer(t.admin.secret);
  ndjson.emplace_back("Content-Type", "application/x-ndjson");
  const std::string row = json({{"external_ref", "OPENAPI-1"},
                                {"channel", "egov"},
                                {"submitter", {{"type", "citizen"}}},
                                {"text", "A letter that names no article."}})
                              .dump() +
                          "\n{}\n";
  api.check("POST", "/api/v1/imports",
            HttpClient(port()).request("POST", "/api/v1/imports", row, ndjson));

  // Public statistics and documents.
  api.check("GET", "/api/v1/stats/coverage", c.get("/api/v1/stats/coverage"));
  api.check("GET", "/api/v1/stats/coverage", c.get("/api/v1/stats/coverage?from=yesterday"));
  api.check("GET", "/api/v1/stats/articles", c.get("/api/v1/stats/articles?language=ru"));
  api.check("GET", "/api/v1/stats/articles/{id}", c.get("/api/v1/stats/articles/7"));
  api.check("GET", "/api/v1/stats/articles/{id}", c.get("/api/v1/stats/articles/9999"));
  api.check("GET", "/api/v1/stats/sections", c.get("/api/v1/stats/sections"));
  api.check("GET", "/api/v1/stats/timeline", c.get("/api/v1/stats/timeline?bucket=day"));
  api.check("GET", "/api/v1/documents", c.get("/api/v1/documents"));
  api.check("GET", "/api/v1/documents/{slug}", c.get("/api/v1/documents/kz-1995?text=1"));
  api.check("GET", "/api/v1/documents/{slug}", c.get("/api/v1/documents/nowhere"));
  api.check("GET", "/api/v1/documents/{slug}/map",
            c.get("/api/v1/documents/kz-2026-draft/map?from=kz-1995"));
  api.check("GET", "/api/v1/documents/{slug}/map", c.get("/api/v1/documents/kz-2026-draft/map"));
  // Confirming a pair would change the shared map for later cases: its refusals only.
  send("PUT", "/api/v1/documents/{slug}/map/{article}",
       "/api/v1/documents/kz-2026-draft/map/999?from=kz-1995",
       {{"predecessors", json::array()}, {"reason", "x"}}, t.admin);
  send("PUT", "/api/v1/documents/{slug}/map/{article}",
       "/api/v1/documents/kz-2026-draft/map/1?from=kz-1995", json::array(), t.admin);

  // The console, operations.
  api.check("GET", "/console", c.get("/console"));
  api.check("GET", "/console/", c.get("/console/"));
  api.check("GET", "/console/{file}", c.get("/console/app.js"));
  api.check("GET", "/console/{file}", c.get("/console/nothing.js"));
  api.check("GET", "/healthz", c.get("/healthz"));
  api.check("GET", "/readyz", c.get("/readyz"));
  api.check("GET", "/metrics", c.get("/metrics"));

  BOOST_TEST(api.missing(false).empty(), "never called: " << json(api.missing(false)).dump());
  // Each success checked too, but for the map confirmation (refusals only, above).
  const std::set<std::string> refused_only = {"put /api/v1/documents/{slug}/map/{article}"};
  BOOST_TEST((api.missing(true) == refused_only), "no success: " << json(api.missing(true)).dump());
}

BOOST_AUTO_TEST_SUITE_END()
