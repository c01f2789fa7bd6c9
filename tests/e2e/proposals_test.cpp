// Submitting proposals: the 201 contract, what reaches PostgreSQL, every refusal with its
// problem+json body, idempotency and the draft document.
#include <boost/test/unit_test.hpp>
#include <regex>
#include <set>
#include <string>

#include "e2e_fixture.hpp"

namespace {

using nlohmann::json;
using usynys::test::check_problem;
using usynys::test::E2eCase;
using usynys::test::problem_fields;
using usynys::test::proposal;

const char* kProposals = "/api/v1/proposals";

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// The fields of a problem, sorted, for comparisons that do not depend on report order.
std::string sorted_fields(const usynys::test::HttpResponse& res) {
  std::multiset<std::string> set;
  for (const auto& e : res.json().value("errors", json::array())) set.insert(e.value("field", ""));
  std::string s;
  for (const auto& f : set) s += (s.empty() ? "" : " ") + f;
  return s;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(proposals, E2eCase)

BOOST_AUTO_TEST_CASE(created_proposal_answers_201_and_is_stored_byte_exact_in_nfc) {
  const std::string kazakh = "Қазақстан ә ғ қ ң ө ұ ү һ і";
  json body = {{"document", "kz-1995"},
               {"submitter",
                {{"type", "citizen"},
                 {"name", "Айгерім С."},
                 {"region", "Алматы"},
                 {"identifier", "880101300123"}}},
               {"channel", "web"},
               {"language", "kk"},
               {"kind", "amend"},
               {"articles", json::array({"33", 41, {{"article", "83-1"}, {"paragraph", "2"}}})},
               // Leading ideographic space and trailing newline are trimmed; и + combining
               // breve is composed into й (NFC).
               {"text", "\u3000 " + kazakh + " 😀🇰🇿 и\u0306\n"},
               {"proposed_text", "Жаңа мәтін"}};
  auto c = client();
  auto res = c.post_json(kProposals, body.dump());
  BOOST_TEST_REQUIRE(res.status == 201, res.body);
  BOOST_TEST(res.header("Content-Type").value_or("").starts_with("application/json"));
  json j = res.json();
  BOOST_TEST_REQUIRE(j["id"].is_string(), "id is a string: " << res.body);
  const std::string id = j["id"].get<std::string>();
  BOOST_TEST(std::regex_match(id, std::regex("[0-9]+")), id);
  BOOST_TEST(res.header("Location").value_or("") == "/api/v1/proposals/" + id);
  BOOST_TEST(j["document"] == "kz-1995");
  BOOST_TEST(j["articles"] == json::parse(R"(["33", "41", "83-1"])"), res.body);
  BOOST_TEST(j["status"] == "received");
  BOOST_TEST(std::regex_match(j.value("received_at", ""),
                              std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)")),
             res.body);

  // Committed before the answer: the row is there now, text in NFC, byte for byte.
  const std::string expected_text = kazakh + " 😀🇰🇿 й";
  pqxx::read_transaction tx(db.connection());
  pqxx::result r = tx.exec_params(
      "SELECT text, encode(convert_to(text, 'UTF8'), 'hex'), proposed_text, submitter_type, "
      "submitter_name, submitter_region, channel, language, kind, octet_length(identifier_hash), "
      "row_to_json(p)::text FROM proposals p WHERE id = $1::bigint",
      id);
  BOOST_TEST_REQUIRE(r.size() == 1u);
  BOOST_TEST(r[0][0].as<std::string>() == expected_text);
  BOOST_TEST(r[0][1].as<std::string>() == hex(expected_text), "stored UTF-8 bytes");
  BOOST_TEST(r[0][2].as<std::string>() == "Жаңа мәтін");
  BOOST_TEST(r[0][3].as<std::string>() == "citizen");
  BOOST_TEST(r[0][4].as<std::string>() == "Айгерім С.");
  BOOST_TEST(r[0][5].as<std::string>() == "Алматы");
  BOOST_TEST(r[0][6].as<std::string>() == "web");
  BOOST_TEST(r[0][7].as<std::string>() == "kk");
  BOOST_TEST(r[0][8].as<std::string>() == "amend");
  BOOST_TEST(r[0][9].as<int>() == 32, "the identifier is kept as a 32-byte keyed hash");
  BOOST_TEST(r[0][10].as<std::string>().find("880101300123") == std::string::npos,
             "the identifier is not stored in clear");

  pqxx::result refs = tx.exec_params(
      "SELECT article_id, coalesce(paragraph, '-') FROM proposal_articles "
      "WHERE proposal_id = $1::bigint ORDER BY article_id",
      id);
  BOOST_TEST_REQUIRE(refs.size() == 3u);
  BOOST_TEST(refs[0][0].as<std::string>() == "33");
  BOOST_TEST(refs[1][0].as<std::string>() == "41");
  BOOST_TEST(refs[1][1].as<std::string>() == "-");
  BOOST_TEST(refs[2][0].as<std::string>() == "83-1");
  BOOST_TEST(refs[2][1].as<std::string>() == "2");
}

BOOST_AUTO_TEST_CASE(defaults_apply_for_channel_kind_and_document) {
  auto c = client();
  auto res = c.post_json(kProposals, proposal().dump());
  BOOST_TEST_REQUIRE(res.status == 201, res.body);
  BOOST_TEST(res.json()["document"] == "kz-1995");
  pqxx::read_transaction tx(db.connection());
  pqxx::row r = tx.exec1("SELECT channel, kind, language IS NULL FROM proposals");
  BOOST_TEST(r[0].as<std::string>() == "web");
  BOOST_TEST(r[1].as<std::string>() == "comment");
  BOOST_TEST(r[2].as<bool>());
}

BOOST_AUTO_TEST_CASE(repealed_article_84_is_refused_with_422) {
  auto c = client();
  auto res = c.post_json(kProposals, proposal({"84"}).dump());
  check_problem(res, 422);
  BOOST_TEST(problem_fields(res) == "/articles/0");
  res = c.post_json(kProposals, proposal({"1", {{"article", "84"}, {"paragraph", "1"}}}).dump());
  check_problem(res, 422);
  BOOST_TEST(problem_fields(res) == "/articles/1");
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 0);
}

BOOST_AUTO_TEST_CASE(malformed_json_is_400) {
  auto c = client();
  for (const char* body : {"{\"text\": ", "{'a': 1}", "", "{} {}"}) {
    auto res = c.post_json(kProposals, body);
    check_problem(res, 400);
  }
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 0);
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_400) {
  auto c = client();
  json body = proposal();
  std::string text = body.dump();
  // Replace the text's value with bytes that are not UTF-8 (an overlong "/", a surrogate).
  for (const std::string bad : {"\xC0\xAF", "\xED\xA0\x80", "\xFF"}) {
    std::string raw = text;
    raw.replace(raw.find("A proposal."), 11, "bad " + bad);
    auto res = c.post_json(kProposals, raw);
    check_problem(res, 400);
  }
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 0);
}

BOOST_AUTO_TEST_CASE(duplicate_key_is_400) {
  auto c = client();
  auto res = c.post_json(kProposals,
                         R"({"submitter": {"type": "citizen"}, "articles": ["1"],
                             "text": "first", "text": "second"})");
  check_problem(res, 400);
  BOOST_TEST(res.json().value("detail", "").find("duplicate") != std::string::npos, res.body);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 0);
}

BOOST_AUTO_TEST_CASE(body_of_exactly_64_kib_is_accepted) {
  std::string body = proposal().dump();
  body.append(65536 - body.size(), ' ');  // JSON white space after the value
  auto c = client();
  auto res = c.post_json(kProposals, body);
  BOOST_TEST(res.status == 201, res.body);
}

BOOST_AUTO_TEST_CASE(content_length_over_64_kib_is_413_before_the_body) {
  auto c = client();
  // Only the head: the answer must come from Content-Length alone.
  c.send_raw(
      "POST /api/v1/proposals HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
      "Content-Length: 65537\r\n\r\n");
  auto res = c.read_response();
  BOOST_TEST(res.status == 413,
             "SERVICE BUG (http/server.cpp, header read in Server::serve): a Content-Length "
             "over limits.body_bytes makes async_read_header fail with http::error::body_limit, "
             "which falls into the generic branch and is answered "
                 << res.status << " (" << res.body << ") instead of 413");
  BOOST_TEST(res.header("Content-Type").value_or("").starts_with("application/problem+json"));
  BOOST_TEST(c.closed_by_server(), "the connection is closed after a 413");
}

BOOST_AUTO_TEST_CASE(chunked_body_over_64_kib_is_413) {
  auto c = client();
  std::string big(70000, 'x');
  std::string raw =
      "POST /api/v1/proposals HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", big.size());
  raw += std::string(size) + "\r\n" + big + "\r\n0\r\n\r\n";
  try {
    c.send_raw(raw);
  } catch (const std::exception& e) {
    BOOST_TEST_MESSAGE("the server stopped reading early: " << e.what());
  }
  auto res = c.read_response();
  check_problem(res, 413);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 0);
}

BOOST_AUTO_TEST_CASE(non_json_content_type_is_415) {
  auto c = client();
  auto res = c.post_json(kProposals, proposal().dump(), {{"Content-Type", "text/plain"}});
  check_problem(res, 415);
  res = c.request("POST", kProposals, proposal().dump());  // no Content-Type at all
  check_problem(res, 415);
  res = c.post_json(kProposals, proposal().dump(),
                    {{"Content-Type", "application/json; charset=utf-8"}});
  BOOST_TEST(res.status == 201, res.body);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 1);
}

BOOST_AUTO_TEST_CASE(every_broken_rule_is_named_in_one_422) {
  json body = {{"submitter", {{"type", "alien"}}},
               {"channel", "fax"},
               {"language", "de"},
               {"kind", "delete"},
               {"articles", json::array({"84", "999", {{"article", "41"}, {"paragraph", "7"}}})},
               {"text", "  \u3000 "},
               {"colour", "red"}};
  auto c = client();
  auto res = c.post_json(kProposals, body.dump());
  check_problem(res, 422);
  BOOST_TEST(sorted_fields(res) ==
             "/articles/0 /articles/1 /articles/2/paragraph /channel /colour /kind /language "
             "/submitter/type /text");
  const json problem = res.json();
  for (const auto& e : problem["errors"]) {
    BOOST_TEST(!e.value("message", "").empty(), e.dump());
  }

  res = c.post_json(kProposals, json({{"submitter", {{"type", "party"}}},
                                      {"articles", json::array()},
                                      {"text", std::string(20001, 'x')}})
                                    .dump());
  check_problem(res, 422);
  BOOST_TEST(sorted_fields(res) == "/submitter/name /text", "no article is allowed: untagged");
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 0);
}

BOOST_AUTO_TEST_CASE(rule_errors_after_a_mistyped_article_are_still_reported) {
  // Index 1 has the wrong type (mapping error "/articles/1"); index 10 names no article.
  json articles = json::array({"1", true});
  for (int n = 2; n <= 9; ++n) articles.push_back(std::to_string(n));
  articles.push_back("999");
  auto c = client();
  auto res = c.post_json(kProposals, proposal(articles).dump());
  check_problem(res, 422);
  const std::string fields = sorted_fields(res);
  BOOST_TEST(fields.find("/articles/1") != std::string::npos, fields);
  BOOST_TEST(fields.find("/articles/10") != std::string::npos,
             "SERVICE BUG (api/api.cpp, Api::post_proposal): a rule error is dropped when its "
             "pointer merely starts with the text of an earlier mapping error's pointer "
             "(\"/articles/10\" starts with \"/articles/1\"); errors: "
                 << fields);
}

BOOST_AUTO_TEST_CASE(unknown_document_is_422_naming_document) {
  auto c = client();
  json body = proposal();
  body["document"] = "kz-1937";
  auto res = c.post_json(kProposals, body.dump());
  check_problem(res, 422);
  BOOST_TEST(problem_fields(res) == "/document");
}

BOOST_AUTO_TEST_CASE(repeated_idempotency_key_with_same_body_returns_the_first_answer) {
  auto c = client();
  // Articles out of document order: the replay must echo them as the first answer did.
  const std::string body = proposal({"40", "1"}).dump();
  auto first = c.post_json(kProposals, body, {{"Idempotency-Key", "retry-1"}});
  BOOST_TEST_REQUIRE(first.status == 201, first.body);
  auto second = c.post_json(kProposals, body, {{"Idempotency-Key", "retry-1"}});
  BOOST_TEST_REQUIRE(second.status == 201, second.body);
  BOOST_TEST(second.json()["id"] == first.json()["id"]);
  BOOST_TEST(second.header("Location").value_or("") == first.header("Location").value_or("-"));
  BOOST_TEST(second.json() == first.json(), "first " << first.body << ", replay " << second.body);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 1);
  BOOST_TEST(db.count("SELECT count(*) FROM proposal_articles") == 2);

  // From another connection too.
  auto other = client();
  auto third = other.post_json(kProposals, body, {{"Idempotency-Key", "retry-1"}});
  BOOST_TEST(third.status == 201);
  BOOST_TEST(third.json()["id"] == first.json()["id"]);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 1);
}

BOOST_AUTO_TEST_CASE(repeated_idempotency_key_with_another_body_is_409) {
  auto c = client();
  auto first = c.post_json(kProposals, proposal({"1"}).dump(), {{"Idempotency-Key", "k-409"}});
  BOOST_TEST_REQUIRE(first.status == 201, first.body);
  auto res = c.post_json(kProposals, proposal({"2"}).dump(), {{"Idempotency-Key", "k-409"}});
  check_problem(res, 409);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 1);
  // Another key stores a new proposal.
  res = c.post_json(kProposals, proposal({"2"}).dump(), {{"Idempotency-Key", "k-other"}});
  BOOST_TEST(res.status == 201, res.body);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 2);
}

BOOST_AUTO_TEST_CASE(draft_proposals_are_checked_against_the_draft) {
  auto c = client();
  json body = proposal({"97"});
  body["document"] = "kz-2026-draft";
  auto res = c.post_json(kProposals, body.dump());
  check_problem(res, 422);
  BOOST_TEST(problem_fields(res) == "/articles/0", "the draft has 96 articles");

  body["articles"] = json::array({"96"});
  res = c.post_json(kProposals, body.dump());
  BOOST_TEST_REQUIRE(res.status == 201, res.body);
  BOOST_TEST(res.json()["document"] == "kz-2026-draft");
  BOOST_TEST(res.json()["articles"] == json::parse(R"(["96"])"));
  BOOST_TEST(db.count("SELECT count(*) FROM proposals p JOIN documents d ON d.id = p.document_id "
                      "WHERE d.slug = $1",
                      "kz-2026-draft") == 1);
}

BOOST_AUTO_TEST_CASE(an_article_of_the_wrong_type_is_reported_once) {
  auto c = client();
  auto res = c.post_json(kProposals, proposal(json::parse("[41.0]")).dump());
  check_problem(res, 422);
  BOOST_TEST(problem_fields(res) == "/articles/0");
}

BOOST_AUTO_TEST_CASE(line_breaks_are_kept_as_sent_and_other_control_characters_refused) {
  auto c = client();
  json body = proposal();
  body["text"] = "First line\r\nsecond line\rthird line\n\tindented";
  auto res = c.post_json(kProposals, body.dump());
  BOOST_TEST_REQUIRE(res.status == 201, res.body);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE text = $1",
                      "First line\r\nsecond line\rthird line\n\tindented") == 1);
  for (const char* bad : {"A\u000bB", "A\u001bB", "A\u0085B", "A\u007fB"}) {
    body["text"] = bad;
    res = c.post_json(kProposals, body.dump());
    check_problem(res, 422);
    BOOST_TEST(problem_fields(res) == "/text");
  }
  // One-line fields take no line break at all.
  body = proposal();
  body["submitter"]["region"] = "Alma\rty";
  res = c.post_json(kProposals, body.dump());
  check_problem(res, 422);
  BOOST_TEST(problem_fields(res) == "/submitter/region");
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 1);
}

BOOST_AUTO_TEST_CASE(the_key_of_proposals_without_a_region_is_refused_as_a_region) {
  auto c = client();
  for (const char* region : {"unspecified", "Unspecified", " UNSPECIFIED "}) {
    json body = proposal();
    body["submitter"]["region"] = region;
    auto res = c.post_json(kProposals, body.dump());
    check_problem(res, 422);
    BOOST_TEST(problem_fields(res) == "/submitter/region", region);
  }
  json body = proposal();
  body["submitter"]["region"] = "Almaty";
  BOOST_TEST(c.post_json(kProposals, body.dump()).status == 201);
  BOOST_TEST(c.post_json(kProposals, proposal().dump()).status == 201);
  auto detail = c.get("/api/v1/stats/articles/1");
  BOOST_TEST_REQUIRE(detail.status == 200, detail.body);
  BOOST_TEST(detail.json().at("by_region") == json::parse(R"({"Almaty":1,"unspecified":1})"));
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 2);
}

BOOST_AUTO_TEST_SUITE_END()
