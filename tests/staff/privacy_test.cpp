// Personal data: identifiers never in clear (database dump, server log), names only in the
// database, IIN/BIN check digits, and the purge of old names and identifiers that leaves every
// statistic as it was.
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <filesystem>

#include "staff_fixture.hpp"
#include "support/db.hpp"
#include "support/paths.hpp"
#include "support/temp_dir.hpp"
#include "support/test_config.hpp"

namespace {

using nlohmann::json;
using namespace usynys::test;
using namespace usynys::test::staff;

std::string pg_dump() {
  const std::string bin = std::filesystem::exists("/usr/lib/postgresql/15/bin/pg_dump")
                              ? "/usr/lib/postgresql/15/bin/pg_dump"
                              : "pg_dump";
  std::string url = database_url();
  std::string quoted = "'";
  for (char c : url) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  quoted += "'";
  FILE* p = ::popen((bin + " --no-owner -d " + quoted + " 2>&1").c_str(), "r");
  BOOST_TEST_REQUIRE(p != nullptr);
  std::string out;
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  BOOST_TEST_REQUIRE(status == 0, "pg_dump failed: " << out.substr(0, 2000));
  return out;
}

json get_public(HttpClient& c, const std::string& target) {
  HttpResponse res = c.get(target);
  BOOST_TEST_REQUIRE(res.status == 200, target << ": " << res.body);
  return res.json();
}

// Every public statistic under several filters (each answering source: totals, daily
// aggregates, raw rows), and the detail of each article used.
json statistics(HttpClient& c) {
  json out = json::object();
  for (const std::string q :
       {"", "?channel=web", "?submitter_type=party", "?region=Almaty",
        "?from=2025-01-01&to=2025-12-31", "?language=kk", "?from=2025-06-01T00:00:00Z"}) {
    out["coverage" + q] = get_public(c, "/api/v1/stats/coverage" + q);
    out["sections" + q] = get_public(c, "/api/v1/stats/sections" + q);
    out["articles" + q] = get_public(c, "/api/v1/stats/articles" + q);
    out["timeline" + q] = get_public(c, "/api/v1/stats/timeline" + q);
    out["timeline week" + q] =
        get_public(c, "/api/v1/stats/timeline" + q + (q.empty() ? "?" : "&") + "bucket=week");
    for (const std::string a : {"1", "33", "50"}) {
      json detail = get_public(c, "/api/v1/stats/articles/" + a + q);
      // distinct_submitters counts identifier hashes still held; a purge removes them.
      detail.erase("distinct_submitters");
      out["article " + a + q] = std::move(detail);
    }
  }
  return out;
}

// The plain SHA-256 of a body's canonical JSON (what older versions stored), as bytea hex.
std::string plain_digest(Db& db, const json& body) {
  pqxx::read_transaction tx(db.connection());
  return tx.exec_params1("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')", body.dump())[0]
      .as<std::string>();
}

// Every bytea column of the proposal, hex encoded, "" when null.
std::vector<std::string> bytea_columns(Db& db, const std::string& id) {
  pqxx::read_transaction tx(db.connection());
  pqxx::result cols = tx.exec(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
      "AND table_name = 'proposals' AND data_type = 'bytea' ORDER BY column_name");
  std::vector<std::string> out;
  for (const pqxx::row& col : cols) {
    const std::string name = col[0].as<std::string>();
    pqxx::row r = tx.exec_params1("SELECT coalesce(encode(" + tx.quote_name(name) +
                                      ", 'hex'), '') FROM proposals WHERE id = $1",
                                  id);
    out.push_back(r[0].as<std::string>());
  }
  return out;
}

const char* kFingerprintKey = "privacy-fingerprint-1";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(staff_privacy, StaffCase)

BOOST_AUTO_TEST_CASE(a_request_is_remembered_only_by_a_keyed_fingerprint) {
  auto c = client();
  std::mt19937_64 rng(11);
  json body = proposal("Keyed fingerprint", {"1"});
  body["submitter"] = {{"type", "citizen"}, {"name", "Aigerim S."}, {"identifier", valid_iin(rng)}};
  HttpResponse first =
      c.post_json("/api/v1/proposals", body.dump(), {{"Idempotency-Key", kFingerprintKey}});
  BOOST_TEST_REQUIRE(first.status == 201, first.body);
  const std::string id = first.json().at("id").get<std::string>();
  // Whoever reads the table and guesses the identifier (and name) right rebuilds exactly this
  // body: its plain digest must be nowhere in the row.
  const std::string guessed = plain_digest(db, json::parse(body.dump()));
  for (const std::string& column : bytea_columns(db, id)) BOOST_TEST(column != guessed);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE request_fingerprint IS NOT NULL "
                      "AND request_sha256 IS NULL AND id = " +
                      id) == 1);
  // The keyed fingerprint still tells a replay from another request.
  HttpResponse replay =
      c.post_json("/api/v1/proposals", body.dump(), {{"Idempotency-Key", kFingerprintKey}});
  BOOST_TEST(replay.status == 201);
  BOOST_TEST(replay.header("Idempotent-Replayed").value_or("") == "true");
  body["submitter"]["identifier"] = valid_iin(rng);
  HttpResponse other =
      c.post_json("/api/v1/proposals", body.dump(), {{"Idempotency-Key", kFingerprintKey}});
  BOOST_TEST(other.status == 409, other.body);
}

BOOST_AUTO_TEST_CASE(purging_personal_data_removes_the_request_fingerprint) {
  auto c = client();
  std::mt19937_64 rng(12);
  json body = proposal("Purged fingerprint", {"1"});
  body["submitter"] = {{"type", "party"}, {"name", "Party"}, {"identifier", valid_iin(rng)}};
  HttpResponse first =
      c.post_json("/api/v1/proposals", body.dump(), {{"Idempotency-Key", kFingerprintKey}});
  BOOST_TEST_REQUIRE(first.status == 201, first.body);
  std::string tomorrow;
  {
    pqxx::read_transaction tx(db.connection());
    tomorrow = tx.exec1("SELECT to_char((now() AT TIME ZONE 'UTC')::date + 1, 'YYYY-MM-DD')")[0]
                   .as<std::string>();
  }
  ScriptResult purge = run_script("scripts/purge-personal-data", {"--before", tomorrow});
  BOOST_TEST_REQUIRE(purge.exit_code == 0, purge.output);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE request_fingerprint IS NULL "
                      "AND request_sha256 IS NULL AND submitter_name IS NULL "
                      "AND identifier_hash IS NULL") == 1);
  // A retry can no longer be compared with what was purged: refused, nothing stored twice.
  HttpResponse replay =
      c.post_json("/api/v1/proposals", body.dump(), {{"Idempotency-Key", kFingerprintKey}});
  BOOST_TEST(replay.status == 409, replay.body);
  BOOST_TEST(replay.body.find("purged") != std::string::npos, replay.body);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 1);
}

BOOST_AUTO_TEST_CASE(plain_digests_of_older_versions_are_rekeyed_at_start) {
  // A row as an older version stored it: the plain digest of the body's canonical JSON.
  json body = proposal("Stored by an older version", {"1"});
  body["submitter"] = {{"type", "citizen"}, {"identifier", "880101300123"}};
  const std::string digest = plain_digest(db, json::parse(body.dump()));
  {
    pqxx::work tx(db.connection());
    tx.exec_params(
        "INSERT INTO proposals (document_id, submitter_type, identifier_hash, text, "
        "idempotency_key, request_sha256) "
        "SELECT id, 'citizen', sha256('x'::bytea), $1, $2, decode($3, 'hex') "
        "  FROM documents WHERE slug = 'kz-1995'",
        "Stored by an older version", "legacy-key", digest);
    tx.exec(
        "INSERT INTO proposal_articles (proposal_id, document_id, article_id) "
        "SELECT id, document_id, '1' FROM proposals");
    tx.commit();
  }
  TempDir dir("usynys-rekey");
  const auto config = write_test_config(dir.path(), {{"intake", {{"fold_interval_ms", 3600000}}}});
  ServerProcess own(server_binary(), config,
                    {{"USYNYS_PORT", "0"},
                     {"USYNYS_DATABASE_URL", database_url()},
                     {"USYNYS_IDENTIFIER_KEY", "staff-identifier-key-0123456789abcdef"}},
                    std::chrono::seconds(60));
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE request_sha256 IS NULL "
                      "AND request_fingerprint IS NOT NULL") == 1,
             own.output());
  BOOST_TEST(own.output().find("request_fingerprints_rekeyed") != std::string::npos);
  // The rekeyed fingerprint answers a retry of the same request on either server.
  for (std::uint16_t port : {own.port(), server().port()}) {
    HttpClient c(port);
    HttpResponse replay =
        c.post_json("/api/v1/proposals", body.dump(), {{"Idempotency-Key", "legacy-key"}});
    BOOST_TEST(replay.status == 201, replay.body);
    BOOST_TEST(replay.header("Idempotent-Replayed").value_or("") == "true");
    json changed = body;
    changed["text"] = "Another text";
    BOOST_TEST(c.post_json("/api/v1/proposals", changed.dump(), {{"Idempotency-Key", "legacy-key"}})
                   .status == 409);
  }
  BOOST_TEST(own.terminate(std::chrono::seconds(20)) == 0);
}

BOOST_AUTO_TEST_CASE(identifier_never_in_clear_and_name_only_in_the_database) {
  auto c = client();
  std::mt19937_64 rng(std::random_device{}());
  const std::string iin = valid_iin(rng);
  const std::string name = "Жанар Тестова " + std::to_string(rng() % 1000000000);
  json body = proposal("A proposal with personal data.");
  body["submitter"] = {
      {"type", "expert"}, {"name", name}, {"region", "Almaty"}, {"identifier", iin}};
  const std::string id = post_proposal(c, body);
  // A refused identifier is not echoed either.
  json refused = body;
  refused["submitter"]["identifier"] = invalid_iin(iin);
  HttpResponse bad = c.post_json("/api/v1/proposals", refused.dump());
  BOOST_TEST(bad.status == 422, bad.body);
  BOOST_TEST(bad.body.find(invalid_iin(iin)) == std::string::npos);
  // Staff read it back (so it went through every path that could log it).
  HttpResponse staff = c.get("/api/v1/proposals/" + id, bearer(tokens().analyst.secret));
  BOOST_TEST_REQUIRE(staff.status == 200);
  BOOST_TEST(staff.json().at("submitter").at("name") == name);
  HttpResponse exported = c.get("/api/v1/export/proposals.csv", bearer(tokens().analyst.secret));
  BOOST_TEST_REQUIRE(exported.status == 200);
  BOOST_TEST(exported.body.find(iin) == std::string::npos);
  // Public answers never carry the name.
  for (const char* target : {"/api/v1/stats/articles/1", "/api/v1/stats/coverage",
                             "/api/v1/stats/articles", "/api/v1/stats/timeline"}) {
    BOOST_TEST(c.get(target).body.find(name) == std::string::npos, target);
  }

  const std::string dump = pg_dump();
  BOOST_TEST_REQUIRE(dump.find("A proposal with personal data.") != std::string::npos,
                     "the dump holds the proposal (the search works)");
  BOOST_TEST(dump.find(name) != std::string::npos, "the name is in the database, as it should");
  BOOST_TEST(dump.find(iin) == std::string::npos, "the identifier is not in the database dump");
  BOOST_TEST(dump.find(invalid_iin(iin)) == std::string::npos);
  const Tokens& t = tokens();
  for (const Token* token : {&t.analyst, &t.moderator, &t.admin}) {
    BOOST_TEST(dump.find(token->secret) == std::string::npos, "no token in the database dump");
  }

  const std::string log = server().output();
  BOOST_TEST_REQUIRE(log.find("\"event\":\"request\"") != std::string::npos);
  BOOST_TEST(log.find(iin) == std::string::npos, "the identifier is not in the server log");
  BOOST_TEST(log.find(invalid_iin(iin)) == std::string::npos);
  BOOST_TEST(log.find(name) == std::string::npos, "the name is not in the server log");
}

BOOST_AUTO_TEST_CASE(twelve_digit_identifiers_must_have_a_valid_iin_bin_check_digit) {
  auto c = client();
  std::mt19937_64 rng(3);
  for (int i = 0; i < 20; ++i) {
    const std::string iin = valid_iin(rng);
    json good = proposal("valid " + iin.substr(0, 2));
    good["submitter"]["identifier"] = " " + iin + " ";
    post_proposal(c, good);
    json bad = proposal("invalid");
    bad["submitter"]["identifier"] = invalid_iin(iin);
    HttpResponse res = c.post_json("/api/v1/proposals", bad.dump());
    BOOST_TEST(res.status == 422, res.body);
    BOOST_TEST(res.body.find("/submitter/identifier") != std::string::npos, res.body);
  }
  // Digits whose check is 10 under both weightings are no IIN/BIN, whatever the last digit.
  std::string hopeless;
  for (std::uint64_t n = 0; hopeless.empty(); ++n) {
    std::string d = std::to_string(10000000000ULL + n);
    int s1 = 0;
    int s2 = 0;
    static constexpr int kSecond[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
    for (int i = 0; i < 11; ++i) {
      s1 += (d[static_cast<std::size_t>(i)] - '0') * (i + 1);
      s2 += (d[static_cast<std::size_t>(i)] - '0') * kSecond[i];
    }
    if (s1 % 11 == 10 && s2 % 11 == 10) hopeless = d;
  }
  for (char last = '0'; last <= '9'; ++last) {
    json bad = proposal("no valid check digit");
    bad["submitter"]["identifier"] = hopeless + last;
    BOOST_TEST(c.post_json("/api/v1/proposals", bad.dump()).status == 422, hopeless + last);
  }
  // Other identifiers (passports, 11 or 13 digits) are not IIN/BIN and are accepted.
  for (const char* other : {"N12345678", "12345678901", "1234567890123", "ID 880101300124"}) {
    json ok = proposal("other id");
    ok["submitter"]["identifier"] = other;
    post_proposal(c, ok);
  }
}

BOOST_AUTO_TEST_CASE(purge_removes_old_names_and_identifiers_and_keeps_every_statistic) {
  auto c = client();
  std::mt19937_64 rng(5);
  // Old proposals (2025) by SQL, as the intake would have stored them: names, regions,
  // identifier hashes; non-citizens among them.
  {
    pqxx::work tx(db.connection());
    tx.exec(
        "INSERT INTO proposals (document_id, submitter_type, submitter_name, submitter_region, "
        "identifier_hash, channel, language, kind, text, received_at) "
        "SELECT d.id, (ARRAY['citizen','party','organization','expert','state_body'])[1 + g % 5], "
        "       'Old submitter ' || g, (ARRAY['Almaty','Astana'])[1 + g % 2], "
        "       sha256(('old-' || (g % 7))::bytea), (ARRAY['web','mail'])[1 + g % 2], "
        "       (ARRAY['kk','ru','en'])[1 + g % 3], 'comment', 'Old proposal ' || g, "
        "       timestamptz '2025-06-01 10:00:00+00' + make_interval(days => g % 40, hours => g) "
        "  FROM documents d, generate_series(1, 60) g WHERE d.slug = 'kz-1995'");
    tx.exec(
        "INSERT INTO proposal_articles (proposal_id, document_id, article_id) "
        "SELECT p.id, p.document_id, (ARRAY['1','33','50'])[1 + p.id % 3] FROM proposals p");
    tx.commit();
  }
  // Recent ones through the API.
  std::vector<std::string> recent;
  for (int i = 0; i < 6; ++i) {
    json body = proposal("Recent proposal " + std::to_string(i), {"1", "33"});
    body["submitter"] = {{"type", i % 2 == 0 ? "party" : "citizen"},
                         {"name", "Recent submitter " + std::to_string(i)},
                         {"region", "Almaty"},
                         {"identifier", valid_iin(rng)}};
    recent.push_back(post_proposal(c, body));
  }
  // One old proposal hidden by moderation: hidden ones stay out of the counts after the purge.
  HttpResponse hide =
      c.post_json("/api/v1/proposals/2/moderation", R"({"status":"hidden","reason":"purge test"})",
                  bearer(tokens().moderator.secret));
  BOOST_TEST_REQUIRE(hide.status == 200, hide.body);
  // The texts repeat: every proposal compared for campaigns first, so that proposals_unique
  // stands still.
  BOOST_TEST_REQUIRE(db.count_when("SELECT count(*) FROM campaign_pending", 0) == 0);

  const json before = statistics(c);
  std::string today;
  {
    pqxx::read_transaction tx(db.connection());
    today = tx.exec1("SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD')")[0]
                .as<std::string>();
  }
  ScriptResult dry = run_script("scripts/purge-personal-data", {"--before", today, "--dry-run"});
  BOOST_TEST_REQUIRE(dry.exit_code == 0, dry.output);
  BOOST_TEST(dry.output.find(" 60 proposals") != std::string::npos, dry.output);
  ScriptResult purge = run_script("scripts/purge-personal-data", {"--before", today});
  BOOST_TEST_REQUIRE(purge.exit_code == 0, purge.output);
  BOOST_TEST(purge.output.find(" 60 proposals") != std::string::npos, purge.output);

  const json after = statistics(c);
  for (const auto& [name, value] : before.items()) {
    BOOST_TEST(after.at(name) == value, name << " is unchanged by the purge");
  }
  {
    pqxx::read_transaction tx(db.connection());
    pqxx::row r = tx.exec1(
        "SELECT count(*) FILTER (WHERE received_at < timestamptz '2026-01-01'), "
        "       count(*) FILTER (WHERE received_at < timestamptz '2026-01-01' "
        "                        AND submitter_name IS NULL AND identifier_hash IS NULL "
        "                        AND personal_data_purged_at IS NOT NULL "
        "                        AND submitter_region IS NOT NULL), "
        "       count(*) FILTER (WHERE received_at >= timestamptz '2026-01-01' "
        "                        AND submitter_name IS NOT NULL AND identifier_hash IS NOT NULL "
        "                        AND personal_data_purged_at IS NULL), "
        "       count(*) FILTER (WHERE received_at < timestamptz '2026-01-01' "
        "                        AND submitter_type <> 'citizen') "
        "  FROM proposals");
    BOOST_TEST(r[0].as<int>() == 60);
    BOOST_TEST(r[1].as<int>() == 60, "every old proposal lost its name and identifier");
    BOOST_TEST(r[2].as<int>() == 6, "recent proposals keep theirs");
    BOOST_TEST(r[3].as<int>() > 0, "non-citizens may lose their name once purged");
  }
  HttpResponse old = c.get("/api/v1/proposals/1", bearer(tokens().analyst.secret));
  BOOST_TEST_REQUIRE(old.status == 200);
  json s = old.json().at("submitter");
  BOOST_TEST(s.at("name").is_null());
  BOOST_TEST(s.at("has_identifier") == false);
  BOOST_TEST(s.at("identifier_hash").is_null());
  BOOST_TEST(s.at("region").is_string());
  BOOST_TEST(old.json().at("personal_data_purged_at").is_string());
  HttpResponse fresh = c.get("/api/v1/proposals/" + recent[0], bearer(tokens().analyst.secret));
  BOOST_TEST(fresh.json().at("submitter").at("name") == "Recent submitter 0");

  ScriptResult again = run_script("scripts/purge-personal-data", {"--before", today});
  BOOST_TEST(again.exit_code == 0, again.output);
  BOOST_TEST(again.output.find(" 0 proposals") != std::string::npos, again.output);
  BOOST_TEST(run_script("scripts/purge-personal-data", {"--before", "2026-02-30"}).exit_code == 2);
  BOOST_TEST(run_script("scripts/purge-personal-data", {"--before", "yesterday"}).exit_code == 2);
  BOOST_TEST(run_script("scripts/purge-personal-data", {}).exit_code == 2);
  // A purged row cannot get a name back without its mark going.
  pqxx::work tx(db.connection());
  BOOST_CHECK_THROW(tx.exec("UPDATE proposals SET submitter_name = 'x' WHERE id = 1"),
                    pqxx::check_violation);
}

BOOST_AUTO_TEST_SUITE_END()
