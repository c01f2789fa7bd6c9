// HTTP conventions on the real server: gzip for clients that accept it, weak ETags and 304 for
// documents and the description, Vary, CORS for the public GET endpoints, and the gauges an
// alert needs.
#include <boost/test/unit_test.hpp>
#include <string>

#include "e2e_fixture.hpp"
#include "support/gzip.hpp"

namespace {

using usynys::test::E2eCase;
using usynys::test::gunzip;
using usynys::test::kCorsOrigin;

const usynys::test::Headers kGzip = {{"Accept-Encoding", "gzip, deflate, br"}};

// The value of the sample named exactly `series` (with its labels) in a metrics text; -1 when
// absent.
double sample(const std::string& text, const std::string& series) {
  const std::string line_start = "\n" + series + " ";
  const auto at = text.find(line_start);
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + line_start.size()));
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(conventions, E2eCase)

BOOST_AUTO_TEST_CASE(documents_are_gzipped_only_for_clients_that_accept_it) {
  auto c = client();
  const auto plain = c.get("/api/v1/documents/kz-1995?text=1");
  BOOST_TEST_REQUIRE(plain.status == 200);
  BOOST_TEST(!plain.header("Content-Encoding"));
  BOOST_TEST(plain.header("Vary").value_or("").find("Accept-Encoding") != std::string::npos);

  const auto packed = c.get("/api/v1/documents/kz-1995?text=1", kGzip);
  BOOST_TEST_REQUIRE(packed.status == 200);
  BOOST_TEST(packed.header("Content-Encoding").value_or("") == "gzip");
  BOOST_TEST(packed.header("Vary").value_or("").find("Accept-Encoding") != std::string::npos);
  BOOST_TEST(packed.body.size() * 3 < plain.body.size(),
             "gzip made " << packed.body.size() << " of " << plain.body.size());
  BOOST_TEST(gunzip(packed.body) == plain.body);
  BOOST_TEST_MESSAGE("kz-1995 with its texts: " << plain.body.size() << " bytes, gzip "
                                                << packed.body.size());
  // The same representation in either coding: one weak tag.
  BOOST_TEST(packed.header("ETag").value_or("") == plain.header("ETag").value_or("-"));

  // Refused by a zero q-value, or by naming only other codings.
  BOOST_TEST(!c.get("/api/v1/openapi.json", {{"Accept-Encoding", "gzip;q=0, *;q=0.5"}})
                  .header("Content-Encoding"));
  BOOST_TEST(
      !c.get("/api/v1/openapi.json", {{"Accept-Encoding", "br"}}).header("Content-Encoding"));
  BOOST_TEST(c.get("/api/v1/openapi.json", {{"Accept-Encoding", "*"}})
                 .header("Content-Encoding")
                 .value_or("") == "gzip");
}

BOOST_AUTO_TEST_CASE(small_answers_and_problems_are_not_compressed) {
  auto c = client();
  const auto health = c.get("/healthz", kGzip);
  BOOST_TEST(health.status == 200);
  BOOST_TEST(!health.header("Content-Encoding"));
  BOOST_TEST(health.json()["status"] == "ok");
  const auto missing = c.get("/api/v1/documents/nope", kGzip);
  usynys::test::check_problem(missing, 404);
  BOOST_TEST(!missing.header("Content-Encoding"));
}

BOOST_AUTO_TEST_CASE(large_statistics_are_gzipped_and_revalidated_publicly) {
  auto c = client();
  const auto plain = c.get("/api/v1/stats/articles");
  const auto packed = c.get("/api/v1/stats/articles", kGzip);
  BOOST_TEST_REQUIRE(plain.status == 200);
  BOOST_TEST_REQUIRE(plain.body.size() >= 1024u);
  BOOST_TEST(packed.header("Content-Encoding").value_or("") == "gzip");
  BOOST_TEST(gunzip(packed.body) == plain.body);
  BOOST_TEST(packed.header("Cache-Control").value_or("") == "public, no-cache");
  BOOST_TEST(packed.header("ETag").value_or("") == plain.header("ETag").value_or("-"));
  // Statistics that are not kept (estimates counted) are tagged from their body.
  const auto estimated = c.get("/api/v1/stats/articles?include_suggested=true", kGzip);
  BOOST_TEST(estimated.header("Content-Encoding").value_or("") == "gzip");
  BOOST_TEST(estimated.header("ETag").value_or("").starts_with("W/\""));
}

BOOST_AUTO_TEST_CASE(documents_map_and_description_revalidate_with_304) {
  auto c = client();
  for (const std::string target :
       {"/api/v1/documents", "/api/v1/documents/kz-1995",
        "/api/v1/documents/kz-2026-draft/map?from=kz-1995", "/api/v1/openapi.json"}) {
    BOOST_TEST_CONTEXT(target) {
      const auto first = c.get(target);
      BOOST_TEST_REQUIRE(first.status == 200);
      const std::string tag = first.header("ETag").value_or("");
      BOOST_TEST(tag.starts_with("W/\""));
      BOOST_TEST(first.header("Cache-Control").value_or("") == "no-cache");

      const auto again = c.get(target, {{"If-None-Match", tag}});
      BOOST_TEST(again.status == 304);
      BOOST_TEST(again.body.empty());
      BOOST_TEST(again.header("ETag").value_or("") == tag);
      // A list of tags, the strong spelling of the same tag, and "*" match too.
      BOOST_TEST(c.get(target, {{"If-None-Match", "\"x\", " + tag.substr(2)}}).status == 304);
      BOOST_TEST(c.get(target, {{"If-None-Match", "*"}}).status == 304);
      BOOST_TEST(c.get(target, {{"If-None-Match", "W/\"other\""}}).status == 200);
    }
  }
  // Other query values are another representation with another tag.
  BOOST_TEST(c.get("/api/v1/documents/kz-1995?text=1").header("ETag").value_or("") !=
             c.get("/api/v1/documents/kz-1995").header("ETag").value_or(""));
  // Timelines are computed for each request: no tag, never stored.
  const auto timeline = c.get("/api/v1/stats/timeline", {{"If-None-Match", "*"}});
  BOOST_TEST(timeline.status == 200);
  BOOST_TEST(!timeline.header("ETag"));
  BOOST_TEST(timeline.header("Cache-Control").value_or("") == "no-store");
}

BOOST_AUTO_TEST_CASE(public_gets_answer_allowed_origins_only) {
  auto c = client();
  const auto allowed = c.get("/api/v1/stats/coverage", {{"Origin", kCorsOrigin}});
  BOOST_TEST(allowed.status == 200);
  BOOST_TEST(allowed.header("Access-Control-Allow-Origin").value_or("") == kCorsOrigin);
  BOOST_TEST(allowed.header("Access-Control-Expose-Headers").value_or("").find("ETag") !=
             std::string::npos);
  BOOST_TEST(allowed.header("Vary").value_or("").find("Origin") != std::string::npos);

  const auto other = c.get("/api/v1/stats/coverage", {{"Origin", "https://elsewhere.example"}});
  BOOST_TEST(other.status == 200);
  BOOST_TEST(!other.header("Access-Control-Allow-Origin"));
  BOOST_TEST(other.header("Vary").value_or("").find("Origin") != std::string::npos);

  // Staff endpoints and writes are never shared with other origins.
  const auto staff = c.get("/api/v1/proposals", {{"Origin", kCorsOrigin}});
  BOOST_TEST(staff.status == 401);
  BOOST_TEST(!staff.header("Access-Control-Allow-Origin"));
  const auto submit = c.post_json("/api/v1/proposals", "{}", {{"Origin", kCorsOrigin}});
  BOOST_TEST(submit.status == 422);
  BOOST_TEST(!submit.header("Access-Control-Allow-Origin"));
}

BOOST_AUTO_TEST_CASE(preflight_of_a_public_get) {
  auto c = client();
  const auto ok = c.request("OPTIONS", "/api/v1/documents/kz-1995", {},
                            {{"Origin", kCorsOrigin},
                             {"Access-Control-Request-Method", "GET"},
                             {"Access-Control-Request-Headers", "if-none-match"}});
  BOOST_TEST(ok.status == 204);
  BOOST_TEST(ok.header("Access-Control-Allow-Origin").value_or("") == kCorsOrigin);
  BOOST_TEST(ok.header("Access-Control-Allow-Methods").value_or("") == "GET");
  BOOST_TEST(ok.header("Access-Control-Allow-Headers").value_or("").find("If-None-Match") !=
             std::string::npos);
  BOOST_TEST(ok.body.empty());

  const auto other = c.request(
      "OPTIONS", "/api/v1/documents/kz-1995", {},
      {{"Origin", "https://elsewhere.example"}, {"Access-Control-Request-Method", "GET"}});
  BOOST_TEST(other.status == 204);
  BOOST_TEST(!other.header("Access-Control-Allow-Origin"));

  // A path with no public GET keeps its 405.
  const auto staff =
      c.request("OPTIONS", "/api/v1/proposals/1/moderation", {},
                {{"Origin", kCorsOrigin}, {"Access-Control-Request-Method", "POST"}});
  BOOST_TEST(staff.status == 405);
  BOOST_TEST(!staff.header("Access-Control-Allow-Origin"));
}

BOOST_AUTO_TEST_CASE(metrics_show_capacity_database_and_fold_backlog) {
  auto c = client();
  for (int i = 0; i < 3; ++i) {
    BOOST_TEST_REQUIRE(c.post_json("/api/v1/proposals", usynys::test::proposal().dump()).status ==
                       201);
  }
  const std::string text = c.get("/metrics").body;
  BOOST_TEST(sample(text, "usynys_database_up") == 1);
  BOOST_TEST(sample(text, "usynys_intake_queue_capacity") > 0);
  // The shared server never folds by itself: the three wait for both folds.
  BOOST_TEST(sample(text, "usynys_fold_backlog{fold=\"stats_fold\"}") == 3);
  BOOST_TEST(sample(text, "usynys_fold_backlog{fold=\"search_fold\"}") == 3);
  {
    pqxx::work tx(db.connection());
    tx.exec("SELECT stats_fold(1000)");
    tx.commit();
  }
  const std::string after = c.get("/metrics").body;
  BOOST_TEST(sample(after, "usynys_fold_backlog{fold=\"stats_fold\"}") == 0);
  BOOST_TEST(sample(after, "usynys_fold_backlog{fold=\"search_fold\"}") == 3);
}

BOOST_AUTO_TEST_SUITE_END()
