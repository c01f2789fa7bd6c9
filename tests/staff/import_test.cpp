// POST /api/v1/imports: admin only, JSON Lines read as they arrive (a body far over the usual
// 64 KiB limit passes in bounded memory), the counts and rejected rows in the answer, the same
// duplicates and conflicts as scripts/import.
#include <boost/test/unit_test.hpp>
#include <memory>
#include <string>

#include "staff_fixture.hpp"
#include "support/paths.hpp"
#include "support/temp_dir.hpp"
#include "support/test_config.hpp"

namespace {

using nlohmann::json;
using namespace usynys::test;
using namespace usynys::test::staff;

const char* kImports = "/api/v1/imports";

Headers ndjson(const std::string& token) {
  Headers h = bearer(token);
  h.emplace_back("Content-Type", "application/x-ndjson");
  return h;
}

std::string row(const std::string& ref, const std::string& text, json articles = {"1"}) {
  return json({{"external_ref", ref},
               {"channel", "egov"},
               {"submitter", {{"type", "citizen"}}},
               {"articles", std::move(articles)},
               {"text", text}})
             .dump() +
         "\n";
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(staff_import, StaffCase)

BOOST_AUTO_TEST_CASE(only_an_admin_imports) {
  const std::string body = row("R-1", "One");
  // A refused request's body is never read: each answer closes its connection.
  auto answer = [&](const Headers& headers) {
    HttpClient c(port());
    HttpResponse res = c.request("POST", kImports, body, headers);
    BOOST_TEST(!res.keep_alive);
    return res.status;
  };
  BOOST_TEST(answer({{"Content-Type", "application/x-ndjson"}}) == 401);
  BOOST_TEST(answer(ndjson(tokens().analyst.secret)) == 403);
  BOOST_TEST(answer(ndjson(tokens().moderator.secret)) == 403);
  BOOST_TEST(answer({{"Authorization", "Bearer " + tokens().admin.secret},
                     {"Content-Type", "application/json"}}) == 415);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 0);
  auto c = client();
  HttpResponse ok = c.request("POST", kImports, body, ndjson(tokens().admin.secret));
  BOOST_TEST(ok.status == 200, ok.body);
  BOOST_TEST(ok.keep_alive, "a body read to its end keeps the connection");
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 1);
}

BOOST_AUTO_TEST_CASE(rows_are_counted_and_the_rejected_ones_named_with_line_and_field) {
  auto c = client();
  const std::string body = row("R-1", "First") + row("R-2", "Second", json::array()) + "\n" +
                           row("R-3", "", {"1"}) + "{not json\n" + row("R-4", "Fourth", {"999"}) +
                           row("R-1", "First") + row("R-2", "Changed") + row("R-5", "Last");
  HttpResponse res = c.request("POST", kImports, body, ndjson(tokens().admin.secret));
  BOOST_TEST_REQUIRE(res.status == 200, res.body);
  const json out = res.json();
  BOOST_TEST(out.at("imported") == 3);
  BOOST_TEST(out.at("duplicates") == 1);
  BOOST_TEST(out.at("rejected") == 4);
  std::string seen;
  for (const json& e : out.at("errors")) {
    seen += (seen.empty() ? "" : " ") + std::to_string(e.at("line").get<int>()) + "|" +
            e.at("external_ref").get<std::string>() + "|" + e.at("field").get<std::string>();
  }
  BOOST_TEST(seen == "4|R-3|/text 5|| 6|R-4|/articles/0 8|R-2|/external_ref");
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 3);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE external_ref = 'R-2' AND text = "
                      "'Second'") == 1);
  // The same body again stores nothing; a dry run writes nothing either.
  res = c.request("POST", std::string(kImports) + "?dry_run=1",
                  row("R-9", "New") + row("R-1", "First"), ndjson(tokens().admin.secret));
  BOOST_TEST(res.json().at("imported") == 1);
  BOOST_TEST(res.json().at("duplicates") == 1);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 3);
  res = c.request("POST", std::string(kImports) + "?channel=fax", row("R-9", "New"),
                  ndjson(tokens().admin.secret));
  BOOST_TEST(res.status == 422);
}

BOOST_AUTO_TEST_CASE(a_body_far_over_the_usual_limit_is_streamed_in_bounded_memory) {
  constexpr int kRows = 70000;
  std::string body;
  body.reserve(static_cast<std::size_t>(kRows) * 700);
  for (int i = 0; i < kRows; ++i) {
    body += row("S-" + std::to_string(i),
                "Streamed letter " + std::to_string(i) + std::string(600, '.'));
  }
  BOOST_TEST_REQUIRE(body.size() > 40u * 1024 * 1024);
  HttpClient c(port(), std::chrono::seconds(300));
  // Warm up: connections, threads and the allocator's caches exist before the measurement.
  for (int round = 0; round < 2; ++round) {
    std::string warm;
    for (int i = 0; i < 5000; ++i) {
      warm += row("W-" + std::to_string(round) + "-" + std::to_string(i), std::string(600, '.'));
    }
    BOOST_TEST_REQUIRE(c.request("POST", kImports, warm, ndjson(tokens().admin.secret)).status ==
                       200);
  }
  const std::int64_t before = vm_rss_kib(server().pid());
  HttpResponse res = c.request("POST", kImports, body, ndjson(tokens().admin.secret));
  BOOST_TEST_REQUIRE(res.status == 200, res.body.substr(0, 500));
  BOOST_TEST(res.json().at("imported") == kRows);
  const std::int64_t after = vm_rss_kib(server().pid());
  BOOST_TEST_MESSAGE("server VmRSS " << before << " KiB before, " << after << " KiB after a "
                                     << body.size() / 1024 << " KiB body");
  BOOST_TEST(after - before < 16 * 1024, "VmRSS grew by " << after - before << " KiB");
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == kRows + 10000);
}

BOOST_AUTO_TEST_CASE(a_body_over_the_streamed_limit_is_413) {
  TempDir dir("usynys-import-limit");
  const auto config = write_test_config(dir.path(), {{"limits", {{"streamed_body_bytes", 4096}}},
                                                     {"intake", {{"fold_interval_ms", 3600000}}}});
  ServerProcess own(server_binary(), config,
                    {{"USYNYS_PORT", "0"},
                     {"USYNYS_DATABASE_URL", database_url()},
                     {"USYNYS_IDENTIFIER_KEY", "staff-identifier-key-0123456789abcdef"}},
                    std::chrono::seconds(60));
  HttpClient c(own.port());
  std::string body;
  for (int i = 0; i < 40; ++i) body += row("L-" + std::to_string(i), "Over the limit");
  HttpResponse res = c.request("POST", kImports, body, ndjson(tokens().admin.secret));
  BOOST_TEST(res.status == 413, res.body);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 0);
  // Within it, the same server imports.
  HttpClient c2(own.port());
  res = c2.request("POST", kImports, row("L-0", "Within the limit"), ndjson(tokens().admin.secret));
  BOOST_TEST(res.status == 200, res.body);
  BOOST_TEST(own.terminate(std::chrono::seconds(20)) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
