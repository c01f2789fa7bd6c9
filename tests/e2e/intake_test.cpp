// Intake under stress, each case on a server of its own: a kill -9 in the middle of a
// concurrent load with retrying clients, SIGTERM while requests are in flight, concurrent
// requests with one Idempotency-Key, slow clients, the connection cap and the rate limit.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "e2e_fixture.hpp"
#include "support/paths.hpp"
#include "support/test_config.hpp"

namespace {

using nlohmann::json;
using usynys::test::CleanDatabase;
using usynys::test::HttpClient;
using usynys::test::proposal;
using usynys::test::ServerProcess;
using usynys::test::TempDir;

std::unique_ptr<ServerProcess> launch(const TempDir& dir, const json& patch) {
  auto config = usynys::test::write_test_config(dir.path(), patch);
  return std::make_unique<ServerProcess>(usynys::test::server_binary(), config,
                                         usynys::test::server_environment(),
                                         std::chrono::seconds(60));
}

// A submission that is retried with its key until it is acknowledged.
struct Submission {
  std::string key;
  std::string body;
  std::string acknowledged_id;  // from the first 201 seen
};

// Sends every submission of `subs` in [begin, end) once (or until `stop`), recording 201s.
// Connection failures and 503s leave the submission unacknowledged.
void submit_range(std::uint16_t port, std::vector<Submission>& subs, std::size_t begin,
                  std::size_t end, const std::atomic<bool>& stop, std::atomic<int>& acked,
                  std::mutex& mutex, std::vector<std::string>& protocol_errors) {
  std::unique_ptr<HttpClient> c;
  for (std::size_t i = begin; i < end && !stop; ++i) {
    try {
      if (!c) c = std::make_unique<HttpClient>(port, std::chrono::seconds(10));
      auto res =
          c->post_json("/api/v1/proposals", subs[i].body, {{"Idempotency-Key", subs[i].key}});
      if (res.status == 201) {
        std::lock_guard lock(mutex);
        const std::string id = res.json()["id"];
        if (subs[i].acknowledged_id.empty()) {
          subs[i].acknowledged_id = id;
        } else if (subs[i].acknowledged_id != id) {
          protocol_errors.push_back("key " + subs[i].key + " answered ids " +
                                    subs[i].acknowledged_id + " and " + id);
        }
        ++acked;
      } else if (res.status != 503) {
        std::lock_guard lock(mutex);
        protocol_errors.push_back("status " + std::to_string(res.status) + ": " + res.body);
      }
      if (!res.keep_alive) c.reset();
    } catch (const std::exception&) {
      c.reset();  // the server went away: try the next one on a new connection
    }
  }
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(intake, CleanDatabase)

BOOST_AUTO_TEST_CASE(kill_9_under_load_loses_no_acknowledged_proposal_and_stores_none_twice) {
  TempDir dir("usynys-e2e-kill");
  constexpr std::size_t kTotal = 2000;
  constexpr int kThreads = 8;
  std::vector<Submission> subs(kTotal);
  for (std::size_t i = 0; i < kTotal; ++i) {
    subs[i].key = "kill-test-" + std::to_string(i);
    json body = proposal({std::to_string(1 + i % 83)});  // 84 is repealed
    body["text"] = "Proposal number " + std::to_string(i) + " — ұсыныс";
    subs[i].body = body.dump();
  }
  std::mutex mutex;
  std::vector<std::string> errors;
  std::atomic<int> acked{0};
  std::atomic<bool> stop{false};
  {
    auto server = launch(dir, json::object());
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        submit_range(server->port(), subs, kTotal * t / kThreads, kTotal * (t + 1) / kThreads, stop,
                     acked, mutex, errors);
      });
    }
    // Kill once a good part of the load is acknowledged (bounded wait).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (acked < static_cast<int>(kTotal / 3) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    server->signal(SIGKILL);
    BOOST_TEST(server->wait(std::chrono::seconds(10)).value_or(0) == 128 + SIGKILL);
    stop = true;
    for (auto& th : threads) th.join();
  }
  const int acked_before_kill = acked;
  BOOST_TEST(acked_before_kill >= static_cast<int>(kTotal / 3));
  BOOST_TEST(acked_before_kill < static_cast<int>(kTotal), "the kill came after the whole load");

  // A new server; every client retries everything with its key, acknowledged or not.
  auto server = launch(dir, json::object());
  std::atomic<bool> never{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      submit_range(server->port(), subs, kTotal * t / kThreads, kTotal * (t + 1) / kThreads, never,
                   acked, mutex, errors);
    });
  }
  for (auto& th : threads) th.join();
  BOOST_TEST(errors.empty(), (errors.empty() ? std::string() : errors.front()));

  std::size_t unacknowledged = 0;
  for (const auto& s : subs) unacknowledged += s.acknowledged_id.empty() ? 1 : 0;
  BOOST_TEST(unacknowledged == 0u);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == static_cast<std::int64_t>(kTotal));
  BOOST_TEST(db.count("SELECT count(DISTINCT idempotency_key) FROM proposals") ==
             static_cast<std::int64_t>(kTotal));
  // Every acknowledged id is the stored proposal of its key.
  std::map<std::string, std::string> stored;
  {
    pqxx::read_transaction tx(db.connection());
    for (const auto& r : tx.exec("SELECT idempotency_key, id::text FROM proposals")) {
      stored[r[0].as<std::string>()] = r[1].as<std::string>();
    }
  }
  std::size_t mismatched = 0;
  for (const auto& s : subs) mismatched += stored[s.key] == s.acknowledged_id ? 0 : 1;
  BOOST_TEST(mismatched == 0u);
  BOOST_TEST(server->terminate(std::chrono::seconds(15)) == 0);
}

BOOST_AUTO_TEST_CASE(sigterm_lets_requests_in_flight_finish_and_every_201_is_stored) {
  TempDir dir("usynys-e2e-drain");
  auto server = launch(dir, {{"limits", {{"drain_timeout_ms", 10000}}}});
  constexpr int kThreads = 6;
  std::atomic<int> created{0};
  std::atomic<int> started{0};
  std::mutex mutex;
  std::vector<std::string> ids;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        HttpClient c(server->port());
        for (int i = 0; i < 1000; ++i) {
          ++started;
          auto res = c.post_json("/api/v1/proposals", proposal({std::to_string(1 + t)}).dump());
          if (res.status != 201) break;
          std::lock_guard lock(mutex);
          ids.push_back(res.json()["id"]);
          ++created;
          if (!res.keep_alive) break;
        }
      } catch (const std::exception&) {
        // The server closed the connection after its last answer: expected.
      }
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (created < 50 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  server->signal(SIGTERM);
  const auto code = server->wait(std::chrono::seconds(20));
  for (auto& th : threads) th.join();
  BOOST_TEST(code.has_value());
  BOOST_TEST(code.value_or(-1) == 0, server->output().substr(0, 2000));
  BOOST_TEST(created >= 50);
  // Each 201 is a stored proposal, and nothing was stored without its 201 being sent.
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == created.load());
  std::set<std::string> unique(ids.begin(), ids.end());
  BOOST_TEST(unique.size() == ids.size());
}

BOOST_AUTO_TEST_CASE(concurrent_requests_with_one_key_store_one_proposal) {
  // One writer sees the duplicates in one batch; several race on the unique key.
  for (int writers : {1, 4}) {
    BOOST_TEST_CONTEXT("writers " << writers) {
      db.truncate_proposals();
      TempDir dir("usynys-e2e-samekey");
      auto server = launch(dir, {{"intake", {{"writers", writers}}}});
      const std::string body = proposal({"5", "6"}).dump();
      std::mutex mutex;
      std::set<std::string> ids;
      std::vector<int> statuses;
      std::vector<std::thread> threads;
      for (int t = 0; t < 16; ++t) {
        threads.emplace_back([&] {
          HttpClient c(server->port());
          auto res =
              c.post_json("/api/v1/proposals", body, {{"Idempotency-Key", "one-key-for-all"}});
          std::lock_guard lock(mutex);
          statuses.push_back(res.status);
          if (res.status == 201) ids.insert(res.json()["id"].get<std::string>());
        });
      }
      for (auto& th : threads) th.join();
      for (int s : statuses) BOOST_TEST(s == 201);
      BOOST_TEST(ids.size() == 1u);
      BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 1);
      BOOST_TEST(db.count("SELECT count(*) FROM proposal_articles") == 2);
    }
  }
}

BOOST_AUTO_TEST_CASE(slow_and_idle_clients_are_cut_off_by_the_timeouts) {
  TempDir dir("usynys-e2e-slow");
  auto server = launch(dir, {{"limits", {{"read_timeout_ms", 300}, {"idle_timeout_ms", 300}}}});
  // Headers that never finish.
  {
    HttpClient c(server->port(), std::chrono::seconds(5));
    const auto started = std::chrono::steady_clock::now();
    c.send_raw("POST /api/v1/proposals HTTP/1.1\r\nHost: x\r\nContent-Ty");
    BOOST_TEST(c.closed_by_server());
    const double waited =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    BOOST_TEST(waited < 3.0);
  }
  // A body that never finishes.
  {
    HttpClient c(server->port(), std::chrono::seconds(5));
    c.send_raw(
        "POST /api/v1/proposals HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 100\r\n\r\n{\"submitter\":");
    BOOST_TEST(c.closed_by_server());
  }
  // An idle keep-alive connection.
  {
    HttpClient c(server->port(), std::chrono::seconds(5));
    BOOST_TEST(c.get("/healthz").status == 200);
    BOOST_TEST(c.closed_by_server());
  }
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 0);
}

BOOST_AUTO_TEST_CASE(connections_beyond_the_cap_are_closed) {
  TempDir dir("usynys-e2e-cap");
  auto server = launch(dir, {{"limits", {{"max_connections", 2}}}});
  HttpClient a(server->port());
  HttpClient b(server->port());
  BOOST_TEST(a.get("/healthz").status == 200);
  BOOST_TEST(b.get("/healthz").status == 200);
  HttpClient c(server->port(), std::chrono::seconds(5));
  BOOST_TEST(c.closed_by_server());
  // The first two keep working.
  BOOST_TEST(a.get("/healthz").status == 200);
}

BOOST_AUTO_TEST_CASE(rate_limit_answers_429_with_retry_after_per_client_address) {
  TempDir dir("usynys-e2e-rate");
  auto server = launch(dir, {{"rate_limit",
                              {{"enabled", true},
                               {"per_second", 0.5},
                               {"burst", 3},
                               {"exempt", json::array()},
                               {"trusted_proxies", json::array({"127.0.0.1"})}}}});
  HttpClient c(server->port());
  const usynys::test::Headers alice = {{"X-Forwarded-For", "203.0.113.7"}};
  const usynys::test::Headers bob = {{"X-Forwarded-For", "198.51.100.2, 203.0.113.9"}};
  for (int i = 0; i < 3; ++i) BOOST_TEST(c.get("/api/v1/documents", alice).status == 200);
  auto limited = c.get("/api/v1/documents", alice);
  usynys::test::check_problem(limited, 429);
  BOOST_TEST(std::stoi(limited.header("Retry-After").value_or("0")) >= 1);
  // Another client behind the same trusted proxy has its own bucket.
  BOOST_TEST(c.get("/api/v1/documents", bob).status == 200);
  // Operations endpoints are never limited; receipt lookups are, like intake.
  BOOST_TEST(c.get("/healthz", alice).status == 200);
  usynys::test::check_problem(
      c.get("/api/v1/receipts/0000-0000-0000-0000-0000-0000-0000-0000", alice), 429);
  // A rejected submission stores nothing.
  auto post = c.post_json("/api/v1/proposals", proposal().dump(), alice);
  BOOST_TEST(post.status == 429);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 0);
}

BOOST_AUTO_TEST_CASE(x_forwarded_for_from_an_untrusted_peer_is_ignored) {
  TempDir dir("usynys-e2e-untrusted");
  auto server = launch(dir, {{"rate_limit",
                              {{"enabled", true},
                               {"per_second", 0.5},
                               {"burst", 2},
                               {"exempt", json::array()},
                               {"trusted_proxies", json::array()}}}});
  HttpClient c(server->port());
  // Each request claims another address, but the peer is what counts.
  for (int i = 0; i < 2; ++i) {
    BOOST_TEST(
        c.get("/api/v1/documents", {{"X-Forwarded-For", "192.0.2." + std::to_string(i)}}).status ==
        200);
  }
  BOOST_TEST(c.get("/api/v1/documents", {{"X-Forwarded-For", "192.0.2.99"}}).status == 429);
}

BOOST_AUTO_TEST_SUITE_END()
