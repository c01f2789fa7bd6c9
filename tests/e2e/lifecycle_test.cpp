// Process lifecycle, each case with servers of its own: SIGTERM drains and exits 0, a restart
// keeps the data, a server that cannot start is reported with its output.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <string>

#include "e2e_fixture.hpp"
#include "support/paths.hpp"
#include "support/test_config.hpp"

namespace {

using nlohmann::json;
using usynys::test::CleanDatabase;
using usynys::test::proposal;
using usynys::test::TempDir;

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(lifecycle, CleanDatabase)

BOOST_AUTO_TEST_CASE(restart_keeps_the_data_and_sigterm_exits_0) {
  TempDir dir("usynys-e2e-restart");
  std::string id;
  {
    auto server = usynys::test::launch_server(dir);
    usynys::test::HttpClient c(server->port());
    auto res = c.post_json("/api/v1/proposals", proposal({"1", "83-1"}).dump());
    BOOST_TEST_REQUIRE(res.status == 201, res.body);
    id = res.json()["id"].get<std::string>();
    // An idle keep-alive connection must not hold up the shutdown.
    BOOST_TEST(c.get("/healthz").status == 200);
    const int code = server->terminate(std::chrono::seconds(15));
    BOOST_TEST(code == 0, "exit status after SIGTERM; output:\n" << server->output());
    BOOST_TEST(c.closed_by_server());
  }
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 1);
  {
    auto server = usynys::test::launch_server(dir);
    usynys::test::HttpClient c(server->port());
    auto res = c.get("/api/v1/stats/coverage");
    BOOST_TEST_REQUIRE(res.status == 200, res.body);
    BOOST_TEST(res.json()["proposals"] == 1);
    BOOST_TEST(res.json()["articles_touched"] == 2);
    // Ids continue after the stored ones.
    res = c.post_json("/api/v1/proposals", proposal({"2"}).dump());
    BOOST_TEST_REQUIRE(res.status == 201, res.body);
    BOOST_TEST(std::stoll(res.json()["id"].get<std::string>()) > std::stoll(id));
    BOOST_TEST(server->terminate(std::chrono::seconds(15)) == 0, server->output());
  }
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 2);
}

BOOST_AUTO_TEST_CASE(startup_failure_is_reported_with_the_server_output) {
  TempDir dir("usynys-e2e-bad-config");
  auto config = usynys::test::write_test_config(dir.path(), {{"no_such_key", 1}});
  const auto started = std::chrono::steady_clock::now();
  try {
    usynys::test::ServerProcess server(usynys::test::server_binary(), config,
                                       usynys::test::server_environment(),
                                       std::chrono::seconds(60));
    BOOST_ERROR("usynys started with an unknown configuration key");
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("before listening") != std::string::npos, what);
    BOOST_TEST(what.find("no_such_key") != std::string::npos, what);
  }
  BOOST_TEST(seconds_since(started) < 30.0, "the launcher does not wait out its timeout");
}

BOOST_AUTO_TEST_SUITE_END()
