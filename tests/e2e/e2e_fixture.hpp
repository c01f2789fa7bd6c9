// Shared state of the e2e tier: one usynys process for the whole run (started by the first case
// that needs it, on port 0 with a test configuration, stopped by the global fixture in
// main.cpp), and per-case fixtures that empty the proposal tables first.
#pragma once

#include <boost/test/unit_test.hpp>
#include <memory>
#include <string>

#include "support/db.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

namespace usynys::test {

// Environment every launched server gets: any free port and a fixed identifier key.
EnvOverrides server_environment();

// The one origin the shared server allows to read its public GET endpoints (http.cors_origins).
inline constexpr const char* kCorsOrigin = "https://portal.example";

// Starts usynys with a config written into `dir` (the repository's, see test_config.hpp, with
// `patch` applied).
std::unique_ptr<ServerProcess> launch_server(
    const TempDir& dir, const nlohmann::json& patch = nlohmann::json::object());

// The server of this run; fails the case when the global fixture could not start it.
ServerProcess& shared_server();

// Per case: no proposals in the database (and so no statistics), and a connection to it.
struct CleanDatabase {
  CleanDatabase();
  Db db;
};

// Per case on the shared server: a clean database, and the server's output when the case fails.
struct E2eCase : CleanDatabase {
  E2eCase();
  ~E2eCase();

  std::uint16_t port() const { return shared_server().port(); }
  HttpClient client() const { return HttpClient(port()); }

  std::size_t output_at_start = 0;
};

// Checks an application/problem+json answer with this status.
void check_problem(const HttpResponse& res, int status);

// "field1 field2 ..." of a problem's errors[], in order.
std::string problem_fields(const HttpResponse& res);

// A minimal valid proposal body for kz-1995 (a citizen commenting on article 1).
nlohmann::json proposal(nlohmann::json articles = nlohmann::json::array({"1"}));

}  // namespace usynys::test
