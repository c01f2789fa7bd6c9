// Bearer tokens: every role on every staff endpoint (allowed, 401, 403), tokens kept only as
// SHA-256, new and revoked tokens honoured within 5 seconds without a restart, no token in the
// server's log.
#include <boost/test/unit_test.hpp>
#include <thread>

#include "staff_fixture.hpp"

namespace {

using nlohmann::json;
using namespace usynys::test;
using namespace usynys::test::staff;

constexpr auto kHonourWithin = std::chrono::seconds(5);

// An unknown token of the right shape.
const std::string kWrongToken(64, 'a');

struct Endpoint {
  std::string method;
  std::string target;
  std::string body;
  int needed;  // 1 analyst, 2 coder, 3 moderator, 4 admin
};

std::vector<Endpoint> endpoints(const std::string& id) {
  return {{"GET", "/api/v1/session", "", 1},
          {"GET", "/api/v1/proposals", "", 1},
          {"GET", "/api/v1/proposals/" + id, "", 1},
          {"GET", "/api/v1/export/proposals.csv", "", 1},
          {"GET", "/api/v1/export/proposals.jsonl", "", 1},
          {"GET", "/api/v1/proposals/" + id + "/suggestions", "", 1},
          {"PUT", "/api/v1/proposals/" + id + "/articles",
           R"({"articles":["1"],"reason":"role check"})", 2},
          {"GET", "/api/v1/tagging/queue", "", 2},
          {"POST", "/api/v1/proposals/" + id + "/moderation",
           R"({"status":"visible","reason":"role check"})", 3},
          {"PUT", "/api/v1/proposals/" + id + "/disposition",
           R"({"decision":"under_review","reason":"role check"})", 3},
          {"GET", "/api/v1/audit", "", 4}};
}

HttpResponse call(HttpClient& c, const Endpoint& e, Headers headers) {
  if (!e.body.empty()) headers.emplace_back("Content-Type", "application/json");
  return c.request(e.method, e.target, e.body, headers);
}

void check_unauthorized(const HttpResponse& res, const std::string& what) {
  BOOST_TEST(res.status == 401, what << ": " << res.status << " " << res.body);
  BOOST_TEST(res.header("WWW-Authenticate").value_or("").starts_with("Bearer"),
             what << ": WWW-Authenticate " << res.header("WWW-Authenticate").value_or("<none>"));
  BOOST_TEST(res.header("Content-Type").value_or("").starts_with("application/problem+json"));
}

// Polls `probe` until it answers `want` or `limit` passes; returns the time it took.
std::optional<std::chrono::milliseconds> time_until(HttpClient& c, const std::string& secret,
                                                    int want, std::chrono::milliseconds limit) {
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    HttpResponse res = c.get("/api/v1/proposals?limit=1", bearer(secret));
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    if (res.status == want) return took;
    if (took > limit) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(staff_auth, StaffCase)

BOOST_AUTO_TEST_CASE(every_role_on_every_staff_endpoint) {
  auto c = client();
  const std::string id = post_proposal(c, proposal("A proposal for the role checks."));
  const Tokens& t = tokens();
  const std::pair<const Token*, int> roles[] = {
      {&t.analyst, 1}, {&t.coder, 2}, {&t.moderator, 3}, {&t.admin, 4}};
  for (const Endpoint& e : endpoints(id)) {
    const std::string what = e.method + " " + e.target;
    check_unauthorized(call(c, e, {}), what + " without a token");
    check_unauthorized(call(c, e, bearer(kWrongToken)), what + " with an unknown token");
    check_unauthorized(call(c, e, {{"Authorization", "Basic dXNlcjpwYXNz"}}),
                       what + " with Basic credentials");
    check_unauthorized(call(c, e, {{"Authorization", "Bearer"}}), what + " with an empty token");
    for (const auto& [token, level] : roles) {
      HttpResponse res = call(c, e, bearer(token->secret));
      const int expected = level >= e.needed ? 200 : 403;
      BOOST_TEST(res.status == expected,
                 what << " as " << token->name << ": " << res.status << " " << res.body);
      if (expected == 403) {
        BOOST_TEST(res.header("Content-Type").value_or("").starts_with("application/problem+json"));
      }
    }
  }
  // The scheme name is case-insensitive.
  HttpResponse res = c.get("/api/v1/proposals", {{"Authorization", "bearer " + t.analyst.secret}});
  BOOST_TEST(res.status == 200, res.body);
}

BOOST_AUTO_TEST_CASE(tokens_are_stored_only_as_sha256) {
  const Tokens& t = tokens();
  for (const Token* token : {&t.analyst, &t.moderator, &t.admin}) {
    pqxx::read_transaction tx(db.connection());
    pqxx::row r = tx.exec_params1(
        "SELECT count(*) FILTER (WHERE token_sha256 = sha256(convert_to($2, 'UTF8'))), "
        "       count(*) FILTER (WHERE strpos(row_to_json(t)::text, $2) > 0), "
        "       count(*) FILTER (WHERE strpos(row_to_json(t)::text, "
        "                                     encode(convert_to($2, 'UTF8'), 'hex')) > 0) "
        "  FROM api_tokens t WHERE name = $1",
        token->name, token->secret);
    BOOST_TEST(r[0].as<int>() == 1, token->name << " is stored as the SHA-256 of the token");
    BOOST_TEST(r[1].as<int>() == 0, token->name << ": the token is not stored in clear");
    BOOST_TEST(r[2].as<int>() == 0, token->name << ": nor its bytes in hex");
  }
  ScriptResult list = run_script("scripts/token", {"list"});
  BOOST_TEST(list.exit_code == 0, list.output);
  BOOST_TEST(list.output.find(t.analyst.name) != std::string::npos, list.output);
  for (const Token* token : {&t.analyst, &t.moderator, &t.admin}) {
    BOOST_TEST(list.output.find(token->secret) == std::string::npos,
               "scripts/token list shows no token");
  }
}

BOOST_AUTO_TEST_CASE(new_and_revoked_tokens_take_effect_within_5_seconds) {
  auto c = client();
  const std::string name = unique_name("test-rotation");
  ScriptResult created = run_script("scripts/token", {"create", name, "analyst"});
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.output);
  const std::string secret = created.last_line;
  BOOST_TEST_REQUIRE(secret.size() == 64u, created.output);
  auto accepted = time_until(c, secret, 200, kHonourWithin);
  BOOST_TEST_REQUIRE(accepted.has_value(), "a new token is accepted within 5 s without a restart");
  BOOST_TEST_MESSAGE("new token accepted after " << accepted->count() << " ms");

  // A name is never reused, revoked or not.
  ScriptResult again = run_script("scripts/token", {"create", name, "admin"});
  BOOST_TEST(again.exit_code != 0, again.output);

  ScriptResult revoked = run_script("scripts/token", {"revoke", name});
  BOOST_TEST_REQUIRE(revoked.exit_code == 0, revoked.output);
  auto refused = time_until(c, secret, 401, kHonourWithin);
  BOOST_TEST_REQUIRE(refused.has_value(), "a revoked token is refused within 5 s");
  BOOST_TEST_MESSAGE("revoked token refused after " << refused->count() << " ms");
  HttpResponse res = c.get("/api/v1/proposals", bearer(secret));
  check_unauthorized(res, "a revoked token");

  ScriptResult twice = run_script("scripts/token", {"revoke", name});
  BOOST_TEST(twice.exit_code != 0, "revoking twice fails: " << twice.output);
  ScriptResult bad_role = run_script("scripts/token", {"create", unique_name("test-x"), "root"});
  BOOST_TEST(bad_role.exit_code == 2, bad_role.output);
}

BOOST_AUTO_TEST_CASE(no_token_appears_in_the_server_log) {
  auto c = client();
  const Tokens& t = tokens();
  // Every kind of token goes through the server once more, and a failing request too.
  for (const std::string& secret :
       {t.analyst.secret, t.moderator.secret, t.admin.secret, kWrongToken}) {
    c.get("/api/v1/proposals?limit=1", bearer(secret));
    c.get("/api/v1/audit?limit=oops", bearer(secret));
  }
  const std::string log = server().output();
  BOOST_TEST_REQUIRE(!log.empty());
  for (const std::string& secret :
       {t.analyst.secret, t.moderator.secret, t.admin.secret, kWrongToken}) {
    BOOST_TEST(log.find(secret) == std::string::npos, "a token appears in the server log");
  }
}

BOOST_AUTO_TEST_SUITE_END()
