// Receipts: every 201 and its replays carry one, PostgreSQL holds only its SHA-256, and
// GET /api/v1/receipts/{receipt} shows the proposal's state and nothing personal, answering a
// known and an unknown code after the same time.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace {

using nlohmann::json;
using usynys::test::check_problem;
using usynys::test::E2eCase;
using usynys::test::HttpClient;
using usynys::test::TempDir;

const std::regex kReceipt("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}");

// The bytes of a receipt as hex, decoded here from Crockford's base32 without the service.
std::string receipt_hex(const std::string& receipt) {
  static const std::string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string bits;
  for (char c : receipt) {
    if (c == '-') continue;
    const std::size_t v = alphabet.find(c);
    BOOST_TEST_REQUIRE(v != std::string::npos);
    for (int b = 4; b >= 0; --b) bits += ((v >> b) & 1) != 0 ? '1' : '0';
  }
  std::string hex;
  for (std::size_t i = 0; i + 4 <= bits.size(); i += 4) {
    hex += "0123456789abcdef"[std::stoi(bits.substr(i, 4), nullptr, 2)];
  }
  return hex;
}

std::string post_for_receipt(HttpClient& c, const json& body,
                             const usynys::test::Headers& headers = {}) {
  const auto res = c.post_json("/api/v1/proposals", body.dump(), headers);
  BOOST_TEST_REQUIRE(res.status == 201, res.body);
  const std::string receipt = res.json().value("receipt", "");
  BOOST_TEST_REQUIRE(std::regex_match(receipt, kReceipt), res.body);
  return receipt;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(receipts, E2eCase)

BOOST_AUTO_TEST_CASE(a_201_and_its_replays_carry_one_receipt_kept_only_as_its_hash) {
  auto c = client();
  const json body = usynys::test::proposal();
  const std::string first = post_for_receipt(c, body, {{"Idempotency-Key", "receipt-1"}});
  const std::string replay = post_for_receipt(c, body, {{"Idempotency-Key", "receipt-1"}});
  BOOST_TEST(replay == first);
  const std::string other = post_for_receipt(c, body);
  BOOST_TEST(other != first);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 2);
  // Stored: the SHA-256 of the receipt's 160 bits, and the code itself nowhere.
  BOOST_TEST(receipt_hex(first).size() == 40u);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE receipt_hash = sha256(decode('" +
                      receipt_hex(first) + "', 'hex'))") == 1);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE octet_length(receipt_hash) = 32") == 2);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals p WHERE strpos(p::text, '" + first +
                      "') > 0 OR strpos(p::text, '" + receipt_hex(first) + "') > 0") == 0);
}

BOOST_AUTO_TEST_CASE(a_receipt_shows_what_became_of_the_proposal_and_nothing_personal) {
  auto c = client();
  const json body = {{"submitter",
                      {{"type", "citizen"},
                       {"name", "Айгерім Сапарова"},
                       {"region", "Алматы"},
                       {"identifier", "880101300123"}}},
                     {"articles", json::array({"41", "1"})},
                     {"text", "Тіл туралы ұсыныс: мемлекеттік тіл."},
                     {"proposed_text", "Жаңа мәтін"}};
  const auto posted = c.post_json("/api/v1/proposals", body.dump());
  BOOST_TEST_REQUIRE(posted.status == 201, posted.body);
  const std::string id = posted.json()["id"];
  const std::string receipt = posted.json()["receipt"];

  const auto res = c.get("/api/v1/receipts/" + receipt);
  BOOST_TEST_REQUIRE(res.status == 200, res.body);
  BOOST_TEST(res.header("Cache-Control").value_or("") == "no-store");
  const json j = res.json();
  std::set<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.insert(k);
  BOOST_TEST((keys == std::set<std::string>{"id", "document", "received_at", "articles", "status",
                                            "disposition"}),
             res.body);
  BOOST_TEST(j["id"] == id);
  BOOST_TEST(j["document"] == "kz-1995");
  BOOST_TEST(j["received_at"] == posted.json()["received_at"]);
  BOOST_TEST(j["articles"] == json::array({"1", "41"}), "in document order: " << res.body);
  BOOST_TEST(j["status"] == "received");
  BOOST_TEST(j["disposition"].is_null());
  for (const std::string secret :
       {"Айгерім", "Сапарова", "Алматы", "880101300123", "Тіл туралы", "Жаңа мәтін", "citizen"}) {
    BOOST_TEST(res.body.find(secret) == std::string::npos, secret);
  }
  // As a person may type it: lower case, without hyphens, O for 0 and I or L for 1.
  std::string typed;
  for (char ch : receipt) {
    if (ch == '-') continue;
    typed += ch == '0' ? 'o' : ch == '1' ? 'l' : static_cast<char>(std::tolower(ch));
  }
  BOOST_TEST(c.get("/api/v1/receipts/" + typed).json()["id"] == id);

  // Moderation shows.
  {
    pqxx::work tx(db.connection());
    tx.exec("UPDATE proposals SET status = 'hidden' WHERE id = " + id);
    tx.commit();
  }
  BOOST_TEST(c.get("/api/v1/receipts/" + receipt).json()["status"] == "hidden");

  // Unknown, malformed and too long codes: 404, saying nothing more.
  std::string unknown = receipt;
  unknown[0] = unknown[0] == 'A' ? 'B' : 'A';
  for (const std::string& code : {unknown, std::string("not-a-receipt"), std::string(500, 'A')}) {
    const auto missing = c.get("/api/v1/receipts/" + code);
    check_problem(missing, 404);
    BOOST_TEST(missing.body.find(id) == std::string::npos, missing.body);
  }
  check_problem(c.get("/api/v1/receipts/" + receipt + "?verbose=1"), 422);
}

BOOST_AUTO_TEST_CASE(a_known_and_an_unknown_receipt_are_answered_after_the_same_time) {
  TempDir dir("usynys-e2e-receipt-time");
  auto server = usynys::test::launch_server(dir, {{"receipts", {{"answer_ms", 40}}}});
  HttpClient c(server->port());
  const std::string known = post_for_receipt(c, usynys::test::proposal());
  std::string unknown = known;
  unknown[5] = unknown[5] == 'A' ? 'B' : 'A';
  std::vector<double> known_ms;
  std::vector<double> unknown_ms;
  for (int i = 0; i < 60; ++i) {
    for (const bool is_known : {i % 2 == 0, i % 2 != 0}) {
      const auto started = std::chrono::steady_clock::now();
      const auto res = c.get("/api/v1/receipts/" + (is_known ? known : unknown));
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
              .count();
      BOOST_TEST_REQUIRE(res.status == (is_known ? 200 : 404));
      (is_known ? known_ms : unknown_ms).push_back(ms);
    }
  }
  const double k = median(known_ms);
  const double u = median(unknown_ms);
  BOOST_TEST_MESSAGE("receipt lookup medians: known " << k << " ms, unknown " << u << " ms");
  BOOST_TEST(k >= 40.0);
  BOOST_TEST(u >= 40.0);
  BOOST_TEST(std::abs(k - u) < 3.0, "known " << k << " ms, unknown " << u << " ms");
}

BOOST_AUTO_TEST_SUITE_END()
