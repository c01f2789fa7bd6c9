// Public statistics kept and served again while nothing they count changes: the answer a client
// gets after a 201 counts that proposal, on this instance and on another one sharing the
// database, while many clients read at once; unchanged answers are served without computing
// them again, with one entity tag, a 304 and a Cache-Control a CDN may follow.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "e2e_fixture.hpp"
#include "support/gzip.hpp"

namespace {

using nlohmann::json;
using usynys::test::E2eCase;
using usynys::test::HttpClient;
using usynys::test::proposal;

constexpr const char* kCoverage = "/api/v1/stats/coverage";

int proposals_in(HttpClient& c, const std::string& target) {
  const auto res = c.get(target);
  BOOST_TEST_REQUIRE(res.status == 200, res.body);
  return res.json().at("proposals").get<int>();
}

// The value of usynys_stats_answers_total{source="..."} on a server.
double answers(HttpClient& c, const std::string& source) {
  const std::string text = c.get("/metrics").body;
  const std::string series = "\nusynys_stats_answers_total{source=\"" + source + "\"} ";
  const auto at = text.find(series);
  BOOST_TEST_REQUIRE(at != std::string::npos, "no " << series << " in /metrics");
  return std::stod(text.substr(at + series.size()));
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(stats_cache, E2eCase)

BOOST_AUTO_TEST_CASE(unchanged_answers_are_kept_and_revalidate_with_304) {
  auto c = client();
  BOOST_TEST_REQUIRE(c.post_json("/api/v1/proposals", proposal().dump()).status == 201);
  for (const std::string target :
       {"/api/v1/stats/coverage", "/api/v1/stats/articles", "/api/v1/stats/sections",
        "/api/v1/stats/coverage?submitter_type=citizen"}) {
    BOOST_TEST_CONTEXT(target) {
      const auto first = c.get(target);
      BOOST_TEST_REQUIRE(first.status == 200);
      const std::string tag = first.header("ETag").value_or("");
      BOOST_TEST(tag.starts_with("W/\""));
      BOOST_TEST(first.header("Cache-Control").value_or("") == "public, no-cache");

      const double kept = answers(c, "kept");
      const double computed = answers(c, "computed");
      const auto again = c.get(target);
      BOOST_TEST(again.body == first.body);
      BOOST_TEST(again.header("ETag").value_or("") == tag);
      BOOST_TEST(answers(c, "kept") == kept + 1);
      BOOST_TEST(answers(c, "computed") == computed);

      const auto not_modified = c.get(target, {{"If-None-Match", tag}});
      BOOST_TEST(not_modified.status == 304);
      BOOST_TEST(not_modified.body.empty());
      BOOST_TEST(!not_modified.header("Content-Encoding"));
      BOOST_TEST(not_modified.header("Cache-Control").value_or("") == "public, no-cache");

      // The kept gzip form is the kept body; the tag names both.
      const auto packed = c.get(target, {{"Accept-Encoding", "gzip"}});
      if (first.body.size() >= 1024) {
        BOOST_TEST(packed.header("Content-Encoding").value_or("") == "gzip");
        BOOST_TEST(usynys::test::gunzip(packed.body) == first.body);
      } else {
        BOOST_TEST(packed.body == first.body);
      }
      BOOST_TEST(packed.header("ETag").value_or("") == tag);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_new_proposal_or_a_hidden_one_changes_the_next_answer) {
  auto c = client();
  const auto before = c.get(kCoverage);
  BOOST_TEST_REQUIRE(before.json().at("proposals") == 0);
  const auto created = c.post_json("/api/v1/proposals", proposal({"1", "40"}).dump());
  BOOST_TEST_REQUIRE(created.status == 201);
  const auto after = c.get(kCoverage, {{"If-None-Match", before.header("ETag").value_or("")}});
  BOOST_TEST_REQUIRE(after.status == 200);
  BOOST_TEST(after.json().at("proposals") == 1);
  BOOST_TEST(after.json().at("articles_touched") == 2);
  BOOST_TEST(after.header("ETag").value_or("") != before.header("ETag").value_or(""));

  // A moderator hiding it (here straight in the database) counts as a change too.
  {
    pqxx::work tx(db.connection());
    tx.exec("UPDATE proposals SET status = 'hidden'");
    tx.commit();
  }
  BOOST_TEST(proposals_in(c, kCoverage) == 0);
}

BOOST_AUTO_TEST_CASE(another_instance_counts_a_proposal_in_its_next_answer) {
  usynys::test::TempDir dir;
  auto other = usynys::test::launch_server(dir);
  HttpClient writer = client();
  HttpClient reader(other->port());
  // Keep the other instance's answers warm, then post here: each read there counts each 201.
  for (int i = 1; i <= 20; ++i) {
    BOOST_TEST_REQUIRE(proposals_in(reader, kCoverage) == i - 1);
    BOOST_TEST_REQUIRE(proposals_in(reader, "/api/v1/stats/sections") >= 0);
    BOOST_TEST_REQUIRE(writer.post_json("/api/v1/proposals", proposal().dump()).status == 201);
    BOOST_TEST_REQUIRE(proposals_in(reader, kCoverage) == i);
  }
}

BOOST_AUTO_TEST_CASE(readers_at_once_never_miss_a_201_they_have_seen) {
  usynys::test::TempDir dir;
  auto other = usynys::test::launch_server(dir);
  const std::uint16_t ports[] = {port(), other->port()};
  std::atomic<int> acknowledged{0};
  std::atomic<int> stale{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      HttpClient writer(ports[t % 2]);
      HttpClient reader(ports[(t + 1) % 2]);
      for (int i = 0; i < 25; ++i) {
        if (writer.post_json("/api/v1/proposals", proposal().dump()).status != 201) {
          ++failed;
          return;
        }
        const int seen = ++acknowledged;
        const auto res = reader.get(kCoverage);
        if (res.status != 200) {
          ++failed;
          return;
        }
        if (res.json().at("proposals").get<int>() < seen) ++stale;
      }
    });
  }
  for (auto& th : threads) th.join();
  BOOST_TEST(failed == 0);
  BOOST_TEST(stale == 0);
  BOOST_TEST(acknowledged == 100);
  HttpClient c = client();
  BOOST_TEST(proposals_in(c, kCoverage) == 100);
}

BOOST_AUTO_TEST_SUITE_END()
