// A database outage, on a server of its own: answered 503 with Retry-After within 2 s, and the
// service recovers when the database is back. Its own ctest entry (e2e.outage), run after the
// others: it stops and starts the test cluster, which breaks every open connection to it.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <string>

#include "e2e_fixture.hpp"
#include "support/paths.hpp"

namespace {

using nlohmann::json;
using usynys::test::check_problem;
using usynys::test::CleanDatabase;
using usynys::test::proposal;
using usynys::test::TempDir;

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Runs scripts/pg.sh CMD on the runner's cluster (USYNYS_TEST_PGDIR).
void pg(const std::string& cmd) {
  const char* dir = std::getenv("USYNYS_TEST_PGDIR");
  if (dir == nullptr || *dir == '\0') {
    throw std::runtime_error(
        "USYNYS_TEST_PGDIR is not set: this test stops and restarts the test cluster with "
        "scripts/pg.sh (scripts/test sets it; for a manual run export the DIR given to "
        "`scripts/pg.sh start DIR`)");
  }
  std::string line = shell_quote(usynys::test::source_file("scripts/pg.sh").string()) + " " + cmd +
                     " " + shell_quote(dir) + " >/dev/null";
  if (std::system(line.c_str()) != 0) throw std::runtime_error("failed: scripts/pg.sh " + cmd);
}

// Stops the cluster for a scope; starts it again however the scope ends.
struct ClusterDown {
  ClusterDown() { pg("stop"); }
  ~ClusterDown() {
    try {
      pg("start");
    } catch (const std::exception& e) {
      BOOST_ERROR(e.what());
    }
  }
};

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(outage, CleanDatabase)

BOOST_AUTO_TEST_CASE(database_outage_is_503_within_2_seconds_and_recovers) {
  TempDir dir("usynys-e2e-outage");
  auto server = usynys::test::launch_server(dir);
  usynys::test::HttpClient c(server->port());
  BOOST_TEST_REQUIRE(c.post_json("/api/v1/proposals", proposal().dump()).status == 201);
  {
    ClusterDown down;
    auto t = std::chrono::steady_clock::now();
    auto res = c.post_json("/api/v1/proposals", proposal({"2"}).dump());
    BOOST_TEST(seconds_since(t) < 2.0, "POST answered after " << seconds_since(t) << " s");
    check_problem(res, 503);
    BOOST_TEST(res.header("Retry-After").has_value(), "503 carries Retry-After");

    t = std::chrono::steady_clock::now();
    res = c.get("/api/v1/stats/coverage");
    BOOST_TEST(seconds_since(t) < 2.0, "GET answered after " << seconds_since(t) << " s");
    check_problem(res, 503);
    BOOST_TEST(res.header("Retry-After").has_value());

    res = c.get("/readyz");
    BOOST_TEST(res.status == 503, res.body);
    res = c.get("/healthz");
    BOOST_TEST(res.status == 200, "the process still serves");
  }
  // Back: a client retrying as Retry-After says gets its proposal stored. Connections that
  // the restart broke fail once each (503) before they are opened again, so retry a few times.
  int status = 0;
  for (int attempt = 0; attempt < 8 && status != 201; ++attempt) {
    status = c.post_json("/api/v1/proposals", proposal({"3"}).dump()).status;
    BOOST_TEST_MESSAGE("POST attempt " << attempt << ": " << status);
  }
  BOOST_TEST(status == 201);
  status = 0;
  for (int attempt = 0; attempt < 8 && status != 200; ++attempt) {
    status = c.get("/readyz").status;
    BOOST_TEST_MESSAGE("readyz attempt " << attempt << ": " << status);
  }
  BOOST_TEST(status == 200);
  usynys::test::Db fresh;  // the fixture's connection did not survive the restart
  BOOST_TEST(fresh.count("SELECT count(*) FROM proposals") == 2);

  // Under LeakSanitizer the exit status is 23 here: libpqxx 6.4 leaks the PGresult of a
  // statement that finds its connection broken (make_result asks the dead connection for its
  // encoding before taking ownership). A library defect, so a warning, not a failure.
  const int code = server->terminate(std::chrono::seconds(15));
  BOOST_WARN_MESSAGE(code == 0, "usynys exited with status " << code << " after the outage");
}

BOOST_AUTO_TEST_SUITE_END()
