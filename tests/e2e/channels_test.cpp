// Proposals from every channel through the API: untagged proposals (no article) counted in
// proposals and untagged and touching nothing, folded or pending, hidden or shown; external
// references unique per channel, a replay answering the first proposal, other content a 409.
#include <boost/test/unit_test.hpp>
#include <string>

#include "e2e_fixture.hpp"

namespace {

using nlohmann::json;
using usynys::test::check_problem;
using usynys::test::E2eCase;
using usynys::test::problem_fields;
using usynys::test::proposal;

const char* kProposals = "/api/v1/proposals";

json get_ok(usynys::test::HttpClient& c, const std::string& target) {
  auto res = c.get(target);
  BOOST_TEST_REQUIRE(res.status == 200, target << ": " << res.body);
  return res.json();
}

json untagged(const std::string& text) {
  return {{"submitter", {{"type", "citizen"}}}, {"text", text}};
}

// The untagged counts of coverage, sections and the timeline's only bucket, and coverage's
// proposals and articles touched.
struct Figures {
  std::int64_t proposals = 0;
  std::int64_t untagged = 0;
  std::int64_t touched = 0;
  std::int64_t sections_untagged = 0;
  std::int64_t timeline_untagged = 0;
  bool operator==(const Figures&) const = default;
};

Figures figures(usynys::test::HttpClient& c, const std::string& query = "") {
  const json cov = get_ok(c, "/api/v1/stats/coverage" + query);
  const json sections = get_ok(c, "/api/v1/stats/sections" + query);
  const json timeline = get_ok(c, "/api/v1/stats/timeline" + query);
  std::int64_t timeline_untagged = 0;
  for (const json& b : timeline.at("timeline")) timeline_untagged += b.at("untagged").get<int>();
  return {cov.at("proposals").get<std::int64_t>(), cov.at("untagged").get<std::int64_t>(),
          cov.at("articles_touched").get<std::int64_t>(),
          sections.at("untagged").get<std::int64_t>(), timeline_untagged};
}

std::ostream& operator<<(std::ostream& os, const Figures& f) {
  return os << "{proposals " << f.proposals << ", untagged " << f.untagged << ", touched "
            << f.touched << ", sections " << f.sections_untagged << ", timeline "
            << f.timeline_untagged << "}";
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(channels, E2eCase)

BOOST_AUTO_TEST_CASE(untagged_proposals_are_counted_and_touch_no_article) {
  auto c = client();
  auto res = c.post_json(kProposals, untagged("A letter naming no article").dump());
  BOOST_TEST_REQUIRE(res.status == 201, res.body);
  BOOST_TEST(res.json().at("articles") == json::array());
  json empty = untagged("An empty list of articles");
  empty["articles"] = json::array();
  BOOST_TEST_REQUIRE(c.post_json(kProposals, empty.dump()).status == 201);
  BOOST_TEST_REQUIRE(c.post_json(kProposals, proposal({"1"}).dump()).status == 201);
  BOOST_TEST(db.count("SELECT count(*) FROM proposal_articles") == 1);
  const Figures pending = figures(c);
  BOOST_TEST((pending == Figures{3, 2, 1, 2, 2}), pending);
  // The same once folded into the aggregates, and under a filter that reads the raw rows.
  {
    pqxx::work tx(db.connection());
    tx.exec("SELECT stats_fold(1000)");
    tx.commit();
  }
  BOOST_TEST((figures(c) == pending), figures(c));
  BOOST_TEST((figures(c, "?region=Nowhere") == Figures{0, 0, 0, 0, 0}));
  BOOST_TEST((figures(c, "?from=2000-01-01T00:00:00.5Z") == pending));
  // Hidden, an untagged proposal leaves both counts; shown again, it is back.
  {
    pqxx::work tx(db.connection());
    tx.exec("UPDATE proposals SET status = 'hidden' WHERE id = 1");
    tx.commit();
  }
  BOOST_TEST((figures(c) == Figures{2, 1, 1, 1, 1}), figures(c));
  {
    pqxx::work tx(db.connection());
    tx.exec("UPDATE proposals SET status = 'visible' WHERE id = 1");
    tx.commit();
  }
  BOOST_TEST((figures(c) == pending), figures(c));
  // The draft counts none of them.
  BOOST_TEST((figures(c, "?document=kz-2026-draft") == Figures{0, 0, 0, 0, 0}));
}

BOOST_AUTO_TEST_CASE(an_external_reference_is_unique_per_channel) {
  auto c = client();
  json body = proposal({"41"});
  body["channel"] = "e-otinish";
  body["external_ref"] = "ЖТ-2026-000123";
  auto first = c.post_json(kProposals, body.dump());
  BOOST_TEST_REQUIRE(first.status == 201, first.body);
  // The same channel, reference and content: the first proposal again, nothing stored.
  auto again = c.post_json(kProposals, body.dump());
  BOOST_TEST(again.status == 201, again.body);
  BOOST_TEST(again.json().at("id") == first.json().at("id"));
  BOOST_TEST(again.header("Idempotent-Replayed").value_or("") == "true");
  // Other content under the same reference: a conflict.
  json changed = body;
  changed["text"] = "Another letter";
  auto conflict = c.post_json(kProposals, changed.dump());
  check_problem(conflict, 409);
  // The same reference in another channel is another proposal.
  json other = body;
  other["channel"] = "egov";
  auto elsewhere = c.post_json(kProposals, other.dump());
  BOOST_TEST(elsewhere.status == 201, elsewhere.body);
  BOOST_TEST(elsewhere.json().at("id") != first.json().at("id"));
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 2);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE external_ref = $1", "ЖТ-2026-000123") ==
             2);
  // The database refuses a second one by itself.
  pqxx::work tx(db.connection());
  BOOST_CHECK_THROW(tx.exec("INSERT INTO proposals (document_id, submitter_type, channel, text, "
                            "external_ref) SELECT document_id, 'citizen', 'e-otinish', 'x', "
                            "external_ref FROM proposals WHERE id = 1"),
                    pqxx::unique_violation);
}

BOOST_AUTO_TEST_CASE(bad_external_references_and_received_at_are_422) {
  auto c = client();
  for (const json& ref :
       {json(""), json("   "), json(std::string(201, 'x')), json("a\u0007b"), json(42)}) {
    json body = proposal();
    body["external_ref"] = ref;
    auto res = c.post_json(kProposals, body.dump());
    check_problem(res, 422);
    BOOST_TEST(problem_fields(res) == "/external_ref", ref.dump());
  }
  json body = proposal();
  body["received_at"] = "2026-01-01T00:00:00Z";
  auto res = c.post_json(kProposals, body.dump());
  check_problem(res, 422);
  BOOST_TEST(problem_fields(res) == "/received_at");
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
