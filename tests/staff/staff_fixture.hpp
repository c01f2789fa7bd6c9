// Shared state of the staff tier: one usynys process for the run (started on first use, on port
// 0, after four staff tokens were made with scripts/token so that the server knows them from
// its first read), a per-case fixture that empties the proposal tables and prints the server's
// output when the case fails, and helpers: seeding by SQL, IIN numbers, scripts, streamed GETs,
// the server's resident memory.
#pragma once

#include <sys/types.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>

#include "support/db.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace usynys::test::staff {

struct Token {
  std::string name;
  std::string secret;
};

struct Tokens {
  Token analyst;
  Token coder;
  Token moderator;
  Token admin;
};

// The server of this run, started on first call; throws when it cannot start.
ServerProcess& server();
// The role tokens made before the server started.
const Tokens& tokens();
// Stops the server (SIGTERM), at the end of the run.
void stop_server();

// Runs a repository script (path relative to the repository, e.g. "scripts/token") with the
// test database's URL as --database-url, capturing stdout and stderr together.
struct ScriptResult {
  int exit_code = -1;
  std::string output;
  std::string last_line;
};
ScriptResult run_script(const std::string& script, const std::vector<std::string>& args);

// A name unique to this run and call, for tokens (names are never reused).
std::string unique_name(const std::string& prefix);

// "Authorization: Bearer <secret>".
Headers bearer(const std::string& secret);

// A valid Kazakhstan IIN (12 digits, check digit per the official algorithm).
std::string valid_iin(std::mt19937_64& rng);
// The same digits with a wrong check digit.
std::string invalid_iin(const std::string& valid);

// Posts a proposal and returns its id; fails the case on anything but 201.
std::string post_proposal(HttpClient& c, const nlohmann::json& body);

// Inserts `n` visible proposals on kz-1995 by SQL (fast; statistics follow through the
// triggers), each referencing article 1, received 1 second apart going back from now. Returns
// the largest id.
std::int64_t seed_proposals(Db& db, int n);

// The server's resident set size (VmRSS of /proc/PID/status), in KiB.
std::int64_t vm_rss_kib(pid_t pid);

// GET over a fresh connection, handing body bytes to `on_data` as they arrive (nothing is kept).
// `on_data` may return false to stop reading and close the connection early.
struct StreamedAnswer {
  int status = 0;
  Headers headers;
  bool complete = false;  // the whole body arrived (last chunk)
  std::uint64_t bytes = 0;
  std::optional<std::string> header(std::string_view name) const;
};
StreamedAnswer stream_get(std::uint16_t port, const std::string& target, const Headers& headers,
                          const std::function<bool(std::string_view)>& on_data,
                          std::chrono::milliseconds timeout);

// Per case: empty proposal tables, a database connection, the server's output on failure.
struct StaffCase {
  StaffCase();
  ~StaffCase();

  std::uint16_t port() const { return server().port(); }
  HttpClient client() const { return HttpClient(port(), std::chrono::seconds(60)); }

  Db db;
  std::size_t output_at_start = 0;
};

// A minimal valid proposal body for kz-1995.
nlohmann::json proposal(const std::string& text, nlohmann::json articles = {"1"});

}  // namespace usynys::test::staff
