// A request waiting for a database connection gets its 503 at the queue timeout, whatever the
// connections ahead of it are doing: here each pool's connections are held by statements that
// wait for a lock the test holds, far longer than the timeout.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <future>
#include <memory>

#include "staff_fixture.hpp"
#include "support/paths.hpp"
#include "support/temp_dir.hpp"
#include "support/test_config.hpp"

namespace {

using nlohmann::json;
using namespace usynys::test;
using namespace usynys::test::staff;

constexpr int kQueueTimeoutMs = 800;

// A server whose every pool has one connection and an 800 ms queue timeout, and whose
// statements may wait far longer than that.
struct OneConnectionServer {
  OneConnectionServer() : dir("usynys-deadline") {
    const auto config =
        write_test_config(dir.path(), {{"database",
                                        {{"pool_size", 1},
                                         {"queue_timeout_ms", kQueueTimeoutMs},
                                         {"statement_timeout_ms", 30000}}},
                                       {"intake",
                                        {{"writers", 1},
                                         {"queue_timeout_ms", kQueueTimeoutMs},
                                         {"statement_timeout_ms", 30000},
                                         {"fold_interval_ms", 3600000}}},
                                       {"staff", {{"export_connections", 1}, {"pool_size", 1}}},
                                       {"limits", {{"drain_timeout_ms", 2000}}}});
    server = std::make_unique<ServerProcess>(
        server_binary(), config,
        EnvOverrides{{"USYNYS_PORT", "0"},
                     {"USYNYS_DATABASE_URL", database_url()},
                     {"USYNYS_IDENTIFIER_KEY", "staff-identifier-key-0123456789abcdef"}},
        std::chrono::seconds(60));
  }
  TempDir dir;
  std::unique_ptr<ServerProcess> server;
};

// Holds `lock` (a LOCK TABLE statement) in an open transaction for the scope.
class HeldLock {
 public:
  explicit HeldLock(const std::string& lock) : tx_(db_.connection()) { tx_.exec(lock); }
  void release() { tx_.abort(); }

 private:
  Db db_;
  pqxx::work tx_;
};

// Backends of the server waiting for a lock, running statements that start with `prefix`.
std::int64_t waiting(Db& db, const std::string& prefix, std::int64_t want) {
  return db.count_when(
      "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '" +
          prefix + "%'",
      want);
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The answer to `send`, and how long it took.
std::pair<HttpResponse, double> timed(const std::function<HttpResponse()>& send) {
  const auto started = std::chrono::steady_clock::now();
  HttpResponse res = send();
  return {res, seconds_since(started)};
}

void check_deadline(const std::pair<HttpResponse, double>& answer, const std::string& what) {
  const auto& [res, seconds] = answer;
  BOOST_TEST_MESSAGE(what << ": " << res.status << " after " << seconds << " s");
  BOOST_TEST(res.status == 503, what << ": " << res.status << " " << res.body);
  BOOST_TEST(res.header("Retry-After").has_value(), what);
  BOOST_TEST(seconds >= kQueueTimeoutMs / 1000.0 * 0.9, what << " answered after " << seconds);
  BOOST_TEST(seconds < 2.0, what << " answered after " << seconds << " s (promised within 2 s)");
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(staff_deadlines, StaffCase)

BOOST_AUTO_TEST_CASE(an_export_waiting_for_a_busy_connection_gets_503_at_the_queue_timeout) {
  {
    auto c = client();
    post_proposal(c, proposal("Export deadline"));
  }
  OneConnectionServer s;
  const std::uint16_t p = s.server->port();
  const Headers auth = bearer(tokens().analyst.secret);
  HeldLock lock("LOCK TABLE proposals IN ACCESS EXCLUSIVE MODE");
  // The first export holds the only export connection, waiting for the lock.
  auto first = std::async(std::launch::async, [&] {
    HttpClient c(p, std::chrono::seconds(60));
    return c.get("/api/v1/export/proposals.csv", auth);
  });
  BOOST_TEST_REQUIRE(waiting(db, "DECLARE", 1) == 1);
  check_deadline(timed([&] {
                   HttpClient c(p);
                   return c.get("/api/v1/export/proposals.jsonl", auth);
                 }),
                 "the second export");
  lock.release();
  BOOST_TEST(first.get().status == 200);
}

BOOST_AUTO_TEST_CASE(a_statistic_waiting_for_a_busy_connection_gets_503_at_the_queue_timeout) {
  OneConnectionServer s;
  const std::uint16_t p = s.server->port();
  HeldLock lock("LOCK TABLE stats_article_totals IN ACCESS EXCLUSIVE MODE");
  auto first = std::async(std::launch::async, [&] {
    HttpClient c(p, std::chrono::seconds(60));
    return c.get("/api/v1/stats/coverage");
  });
  BOOST_TEST_REQUIRE(waiting(db, "", 1) == 1);
  check_deadline(timed([&] {
                   HttpClient c(p);
                   return c.get("/api/v1/stats/articles");
                 }),
                 "the second statistic");
  lock.release();
  BOOST_TEST(first.get().status == 200);
}

BOOST_AUTO_TEST_CASE(a_submission_waiting_for_a_busy_writer_gets_503_and_is_never_stored) {
  OneConnectionServer s;
  const std::uint16_t p = s.server->port();
  HeldLock lock("LOCK TABLE proposals IN ACCESS EXCLUSIVE MODE");
  auto first = std::async(std::launch::async, [&] {
    HttpClient c(p, std::chrono::seconds(60));
    return c.post_json("/api/v1/proposals", proposal("Held by the lock").dump());
  });
  BOOST_TEST_REQUIRE(waiting(db, "", 1) >= 1);
  check_deadline(timed([&] {
                   HttpClient c(p);
                   return c.post_json("/api/v1/proposals", proposal("Too late").dump());
                 }),
                 "the second submission");
  lock.release();
  BOOST_TEST(first.get().status == 201);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE text = 'Too late'") == 0);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE text = 'Held by the lock'") == 1);
}

BOOST_AUTO_TEST_SUITE_END()
