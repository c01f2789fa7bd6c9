// Database faults cost nobody an answer, each on servers of their own: a restart, backends
// terminated under load, a network that goes silent, a failover to a synchronous standby, and
// two servers on one database with one of them killed. Its own ctest entry (e2e.faults), after
// the others: it restarts the test cluster and starts clusters of its own.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "e2e_fixture.hpp"
#include "support/paths.hpp"
#include "support/tcp_proxy.hpp"
#include "support/test_config.hpp"

namespace {

using nlohmann::json;
using usynys::test::CleanDatabase;
using usynys::test::HttpClient;
using usynys::test::HttpResponse;
using usynys::test::proposal;
using usynys::test::ServerProcess;
using usynys::test::shell_quote;
using usynys::test::TempDir;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// The output of `scripts/pg.sh CMD DIR`; fails the case when it exits non-zero.
std::string pg(const std::string& cmd, const std::string& dir) {
  const std::string line = shell_quote(usynys::test::source_file("scripts/pg.sh").string()) + " " +
                           cmd + " " + shell_quote(dir) + " 2>&1";
  FILE* p = ::popen(line.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("cannot run scripts/pg.sh");
  std::string out;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (::pclose(p) != 0) throw std::runtime_error("scripts/pg.sh " + cmd + " failed: " + out);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string runner_cluster() {
  const char* dir = std::getenv("USYNYS_TEST_PGDIR");
  if (dir == nullptr || *dir == '\0') {
    throw std::runtime_error(
        "USYNYS_TEST_PGDIR is not set: these cases restart the test cluster with scripts/pg.sh "
        "(scripts/test sets it)");
  }
  return dir;
}

// A server of the case's own, on `url` (the test database when empty), with `patch` applied.
std::unique_ptr<ServerProcess> launch(const TempDir& dir, const std::string& url = "",
                                      const json& patch = json::object()) {
  json merged = {{"limits", {{"drain_timeout_ms", 2000}}}};
  merged.merge_patch(patch);
  auto env = usynys::test::server_environment();
  for (auto& [name, value] : env) {
    if (name == "USYNYS_DATABASE_URL" && !url.empty()) value = url;
  }
  return std::make_unique<ServerProcess>(usynys::test::server_binary(),
                                         usynys::test::write_test_config(dir.path(), merged), env,
                                         std::chrono::seconds(60));
}

// A staff token of `role` on the database at `url`, made with scripts/token.
std::string make_token(const std::string& url, const std::string& role) {
  static int counter = 0;
  const std::string name =
      "faults-" + role + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
  const std::string line = shell_quote(usynys::test::source_file("scripts/token").string()) +
                           " --database-url " + shell_quote(url) + " create " + name + " " + role;
  FILE* p = ::popen(line.c_str(), "r");
  std::string out;
  char buf[512];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out.substr(out.find_last_of('\n') + 1);
}

usynys::test::Headers bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

// One request of every pooled path: public reads (read pool), staff reads (staff pool), an export
// (export pool) and a submission (intake). Returns the statuses, in that order.
std::vector<int> every_path(HttpClient& c, const std::string& token, const std::string& key) {
  std::vector<int> statuses;
  statuses.push_back(c.get("/api/v1/stats/coverage").status);
  statuses.push_back(c.get("/readyz").status);
  statuses.push_back(c.get("/api/v1/proposals?limit=5", bearer(token)).status);
  statuses.push_back(c.get("/api/v1/export/proposals.csv?channel=mail", bearer(token)).status);
  statuses.push_back(
      c.post_json("/api/v1/proposals", proposal().dump(), {{"Idempotency-Key", key}}).status);
  return statuses;
}

bool all_good(const std::vector<int>& statuses) {
  for (int s : statuses) {
    if (s != 200 && s != 201) return false;
  }
  return true;
}

std::string joined(const std::vector<int>& statuses) {
  std::string out;
  for (int s : statuses) out += (out.empty() ? "" : " ") + std::to_string(s);
  return out;
}

// A stream of submissions, each sent with its own key and retried with that key (on any of
// `ports`, in turn) until it is acknowledged: what a careful client does.
class Submitters {
 public:
  Submitters(std::vector<std::uint16_t> ports, int threads, const std::string& prefix)
      : ports_(std::move(ports)) {
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, t, prefix] { run(prefix + std::to_string(t) + "-", t); });
    }
  }
  ~Submitters() { stop(); }

  void stop() {
    stop_ = true;
    for (auto& th : threads_) {
      if (th.joinable()) th.join();
    }
  }
  int acknowledged() const { return acknowledged_; }
  int refused() const { return refused_; }
  // key -> id of its first 201.
  std::map<std::string, std::string> acks() const {
    std::lock_guard lock(mutex_);
    return acks_;
  }
  std::vector<std::string> odd_answers() const {
    std::lock_guard lock(mutex_);
    return odd_;
  }
  // Waits (bounded) until `done` holds.
  static bool wait_until(const std::function<bool()>& done,
                         std::chrono::seconds limit = std::chrono::seconds(60)) {
    const auto deadline = Clock::now() + limit;
    while (!done() && Clock::now() < deadline) std::this_thread::yield();
    return done();
  }

 private:
  void run(const std::string& prefix, int t) {
    std::unique_ptr<HttpClient> c;
    std::size_t target = static_cast<std::size_t>(t) % ports_.size();
    for (int i = 0; !stop_ && i < 100000; ++i) {
      const std::string key = prefix + std::to_string(i);
      const std::string body = proposal({std::to_string(1 + i % 80)}).dump();
      // Retried until acknowledged, or the case ends (then it may stay unacknowledged).
      while (!stop_) {
        try {
          if (!c) c = std::make_unique<HttpClient>(ports_[target], std::chrono::seconds(10));
          HttpResponse res = c->post_json("/api/v1/proposals", body, {{"Idempotency-Key", key}});
          if (res.status == 201) {
            std::lock_guard lock(mutex_);
            acks_.emplace(key, res.json().at("id").get<std::string>());
            ++acknowledged_;
            break;
          }
          ++refused_;
          if (res.status != 503 || !res.header("Retry-After")) {
            std::lock_guard lock(mutex_);
            odd_.push_back(key + ": " + std::to_string(res.status) + " " + res.body);
          }
        } catch (const std::exception&) {
          // No answer: the server is gone (killed) or the connection broke; try the next one.
          c.reset();
          target = (target + 1) % ports_.size();
        }
      }
    }
  }

  std::vector<std::uint16_t> ports_;
  std::atomic<bool> stop_{false};
  std::atomic<int> acknowledged_{0};
  std::atomic<int> refused_{0};
  mutable std::mutex mutex_;
  std::map<std::string, std::string> acks_;
  std::vector<std::string> odd_;
  std::vector<std::thread> threads_;
};

// Every acknowledged key is stored exactly once, under the id it was acknowledged with.
void check_stored_once(pqxx::connection& c, const std::map<std::string, std::string>& acks) {
  pqxx::read_transaction tx(c);
  std::map<std::string, std::string> stored;
  for (const auto& r : tx.exec("SELECT idempotency_key, id::text FROM proposals "
                               "WHERE idempotency_key IS NOT NULL")) {
    BOOST_TEST(stored.emplace(r[0].as<std::string>(), r[1].as<std::string>()).second,
               "key stored twice: " << r[0].as<std::string>());
  }
  std::size_t lost = 0;
  for (const auto& [key, id] : acks) {
    auto it = stored.find(key);
    if (it == stored.end() || it->second != id) ++lost;
  }
  BOOST_TEST(lost == 0u, lost << " of " << acks.size() << " acknowledged proposals not stored");
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(faults, CleanDatabase)

BOOST_AUTO_TEST_CASE(after_a_restart_every_pooled_path_answers_at_once) {
  const std::string token = make_token(usynys::test::database_url(), "analyst");
  TempDir dir("usynys-e2e-restart");
  auto server = launch(dir);
  HttpClient c(server->port());
  // Every pooled connection opened.
  for (int i = 0; i < 4; ++i) {
    BOOST_TEST_REQUIRE(all_good(every_path(c, token, "warm-" + std::to_string(i))));
  }
  const std::string cluster = runner_cluster();
  pg("stop", cluster);
  pg("start", cluster);
  const auto back = Clock::now();
  int failures = 0;
  double first_good = -1;
  for (int i = 0; i < 50; ++i) {
    const std::vector<int> statuses = every_path(c, token, "after-" + std::to_string(i));
    if (first_good < 0 && all_good(statuses)) first_good = seconds_since(back);
    if (!all_good(statuses)) {
      ++failures;
      BOOST_TEST_MESSAGE("round " << i << ": " << joined(statuses));
    }
  }
  BOOST_TEST_MESSAGE("restart: first good answer on every path "
                     << first_good << " s after the database was back");
  BOOST_TEST(failures == 0, failures << " of 50 rounds had an answer other than 200/201");
  usynys::test::Db fresh;
  BOOST_TEST(fresh.count("SELECT count(*) FROM proposals WHERE idempotency_key LIKE 'after-%'") ==
             50);
}

BOOST_AUTO_TEST_CASE(terminated_backends_cost_reads_nothing_and_submissions_no_201) {
  const std::string token = make_token(usynys::test::database_url(), "analyst");
  TempDir dir("usynys-e2e-terminate");
  auto server = launch(dir);
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::mutex mutex;
  std::vector<std::string> bad_reads;
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&, t] {
      HttpClient c(server->port());
      while (!stop) {
        HttpResponse res = t == 0 ? c.get("/api/v1/stats/sections")
                                  : c.get("/api/v1/proposals?limit=3", bearer(token));
        ++reads;
        if (res.status != 200) {
          std::lock_guard lock(mutex);
          bad_reads.push_back(std::to_string(res.status) + " " + res.body);
        }
      }
    });
  }
  Submitters submitters({server->port()}, 3, "terminate-");
  BOOST_TEST_REQUIRE(Submitters::wait_until([&] { return submitters.acknowledged() >= 50; }));
  // Every backend of the server, ten times over, as an operator or a pooler would: each sweep
  // while reads and submissions are in flight, the next once 50 more have been answered.
  usynys::test::Db admin;
  int killed = 0;
  for (int sweep = 0; sweep < 10; ++sweep) {
    pqxx::nontransaction tx(admin.connection());
    killed +=
        static_cast<int>(tx.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE application_name = 'usynys' AND pid <> pg_backend_pid()")
                             .size());
    const int before = submitters.acknowledged() + reads;
    Submitters::wait_until([&] { return submitters.acknowledged() + reads > before + 50; },
                           std::chrono::seconds(10));
  }
  const int acked_during = submitters.acknowledged();
  BOOST_TEST(Submitters::wait_until([&] { return submitters.acknowledged() >= acked_during + 50; }),
             "submissions go on after the terminations");
  stop = true;
  submitters.stop();
  for (auto& th : readers) th.join();
  BOOST_TEST_MESSAGE("terminated " << killed << " backends; " << reads << " reads, "
                                   << submitters.acknowledged() << " proposals acknowledged, "
                                   << submitters.refused() << " answered 503 first");
  BOOST_TEST(killed >= 40, "each sweep found the server's backends");
  BOOST_TEST(bad_reads.empty(), bad_reads.size() << " reads failed, first: "
                                                 << (bad_reads.empty() ? "" : bad_reads.front()));
  BOOST_TEST(submitters.odd_answers().empty(),
             "answers other than 201 or 503: " << submitters.odd_answers().size());
  usynys::test::Db fresh;
  check_stored_once(fresh.connection(), submitters.acks());
}

BOOST_AUTO_TEST_CASE(a_silent_network_is_answered_503_within_2_s_and_recovers) {
  usynys::test::TcpProxy proxy(std::filesystem::path(runner_cluster()) / ".s.PGSQL.5432");
  const std::string url =
      "host=127.0.0.1 port=" + std::to_string(proxy.port()) + " user=usynys dbname=usynys";
  TempDir dir("usynys-e2e-silent");
  auto server = launch(dir, url);
  HttpClient c(server->port());
  BOOST_TEST_REQUIRE(c.post_json("/api/v1/proposals", proposal().dump()).status == 201);
  BOOST_TEST_REQUIRE(c.get("/api/v1/stats/coverage").status == 200);
  proxy.pause();
  // Public reads and submissions are answered 503 within 2 s (API.md), with Retry-After.
  const std::vector<std::pair<std::string, std::function<HttpResponse()>>> calls = {
      {"coverage", [&] { return c.get("/api/v1/stats/coverage"); }},
      {"readyz", [&] { return c.get("/readyz"); }},
      {"submission", [&] { return c.post_json("/api/v1/proposals", proposal({"2"}).dump()); }},
      {"articles", [&] { return c.get("/api/v1/stats/articles"); }},
  };
  for (const auto& [name, call] : calls) {
    const auto t = Clock::now();
    HttpResponse res = call();
    const double s = seconds_since(t);
    BOOST_TEST_MESSAGE("silent network: " << name << " answered " << res.status << " after " << s
                                          << " s");
    BOOST_TEST(res.status == 503, name << ": " << res.body);
    BOOST_TEST(res.header("Retry-After").has_value(), name);
    BOOST_TEST(s < 2.0, name << " answered after " << s << " s");
  }
  BOOST_TEST(c.get("/healthz").status == 200);
  proxy.resume();
  const auto resumed = Clock::now();
  double first_good = -1;
  for (int i = 0; i < 200 && first_good < 0; ++i) {
    if (c.get("/api/v1/stats/coverage").status == 200 &&
        c.post_json("/api/v1/proposals", proposal({"3"}).dump()).status == 201) {
      first_good = seconds_since(resumed);
    }
  }
  BOOST_TEST_MESSAGE("silent network: first good read and submission " << first_good
                                                                       << " s after it resumed");
  BOOST_TEST(first_good >= 0);
  int failures = 0;
  for (int i = 0; i < 20; ++i) {
    failures += c.get("/api/v1/stats/coverage").status == 200 ? 0 : 1;
    failures += c.post_json("/api/v1/proposals", proposal({"4"}).dump()).status == 201 ? 0 : 1;
  }
  BOOST_TEST(failures == 0);
}

BOOST_AUTO_TEST_CASE(a_failover_to_the_synchronous_standby_loses_no_201) {
  TempDir pair("usynys-e2e-failover");
  pg("start-replicated", pair.path().string());
  struct StopPair {
    std::string dir;
    ~StopPair() {
      try {
        pg("stop-replicated", dir);
      } catch (const std::exception& e) {
        BOOST_TEST_MESSAGE(e.what());
      }
    }
  } stop_pair{pair.path().string()};
  const std::string url = pg("url-replicated", pair.path().string());
  TempDir dir("usynys-e2e-failover-server");
  auto server = launch(dir, url);
  Submitters submitters({server->port()}, 4, "failover-");
  BOOST_TEST_REQUIRE(Submitters::wait_until([&] { return submitters.acknowledged() >= 100; }));
  pg("kill-primary", pair.path().string());
  const auto killed = Clock::now();
  const int acked_at_kill = submitters.acknowledged();
  pg("promote", pair.path().string());
  const double promoted_after = seconds_since(killed);
  BOOST_TEST(Submitters::wait_until([&] { return submitters.acknowledged() > acked_at_kill; }),
             "the server writes to the new primary without a restart");
  const double first_ack = seconds_since(killed);
  BOOST_TEST(
      Submitters::wait_until([&] { return submitters.acknowledged() >= acked_at_kill + 100; }));
  submitters.stop();
  BOOST_TEST_MESSAGE("failover: promoted " << promoted_after << " s after the kill; first 201 "
                                           << first_ack << " s after it; "
                                           << submitters.acknowledged() << " acknowledged, "
                                           << submitters.refused() << " answered 503 first");
  BOOST_TEST(submitters.odd_answers().empty());
  pqxx::connection on_new_primary(url);
  check_stored_once(on_new_primary, submitters.acks());
  HttpClient c(server->port());
  BOOST_TEST(c.get("/api/v1/stats/coverage").status == 200);
  BOOST_TEST(c.get("/readyz").status == 200);
}

BOOST_AUTO_TEST_CASE(two_servers_agree_and_killing_one_loses_nothing) {
  TempDir dir_a("usynys-e2e-two-a");
  TempDir dir_b("usynys-e2e-two-b");
  auto a = launch(dir_a);
  auto b = launch(dir_b);
  {
    Submitters both({a->port(), b->port()}, 4, "both-");
    BOOST_TEST_REQUIRE(Submitters::wait_until([&] { return both.acknowledged() >= 300; }));
    both.stop();
  }
  // Whatever each folded, both answer every statistic alike.
  HttpClient ca(a->port());
  HttpClient cb(b->port());
  for (const char* target :
       {"/api/v1/stats/coverage", "/api/v1/stats/articles", "/api/v1/stats/sections",
        "/api/v1/stats/timeline", "/api/v1/stats/articles/5?channel=web"}) {
    BOOST_TEST(ca.get(target).json() == cb.get(target).json(), target);
  }
  usynys::test::Db db2;
  BOOST_TEST(db2.count_when("SELECT count(*) FROM stats_pending", 0) == 0, "both fold");
  BOOST_TEST(ca.get("/api/v1/stats/coverage").json().at("proposals") ==
             db2.count("SELECT count(*) FROM proposals"));

  Submitters during({a->port(), b->port()}, 4, "kill-");
  BOOST_TEST_REQUIRE(Submitters::wait_until([&] { return during.acknowledged() >= 200; }));
  a->signal(SIGKILL);
  const int at_kill = during.acknowledged();
  BOOST_TEST(Submitters::wait_until([&] { return during.acknowledged() >= at_kill + 200; }),
             "the other server takes the load");
  during.stop();
  BOOST_TEST(during.odd_answers().empty());
  check_stored_once(db2.connection(), during.acks());
  BOOST_TEST(db2.count_when("SELECT count(*) FROM stats_pending", 0) == 0,
             "the survivor folds what the killed one left");
  BOOST_TEST(cb.get("/api/v1/stats/coverage").json().at("proposals") ==
             db2.count("SELECT count(*) FROM proposals"));
}

BOOST_AUTO_TEST_CASE(each_server_limits_the_clients_it_sees) {
  const json limited = {
      {"rate_limit", {{"exempt", json::array()}, {"per_second", 0.001}, {"burst", 3}}}};
  TempDir dir_a("usynys-e2e-limit-a");
  TempDir dir_b("usynys-e2e-limit-b");
  auto a = launch(dir_a, "", limited);
  auto b = launch(dir_b, "", limited);
  HttpClient ca(a->port());
  HttpClient cb(b->port());
  for (int i = 0; i < 3; ++i) BOOST_TEST(ca.get("/api/v1/stats/coverage").status == 200);
  BOOST_TEST(ca.get("/api/v1/stats/coverage").status == 429, "the fourth on one server");
  // The other server keeps its own buckets: behind a proxy, N servers allow N times the burst
  // (the README says how to keep one limit for all).
  for (int i = 0; i < 3; ++i) BOOST_TEST(cb.get("/api/v1/stats/coverage").status == 200);
  BOOST_TEST(cb.get("/api/v1/stats/coverage").status == 429);
}

BOOST_AUTO_TEST_SUITE_END()
