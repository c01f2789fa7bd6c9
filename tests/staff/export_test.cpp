// Exports: RFC 4180 CSV and JSON Lines equal to the list, filters, 200,000 rows streamed while
// the server's resident memory stays flat, abandoned exports releasing their connections.
#include <boost/test/unit_test.hpp>

#include "staff_fixture.hpp"
#include "support/gzip.hpp"

namespace {

using nlohmann::json;
using namespace usynys::test;
using namespace usynys::test::staff;

using Record = std::vector<std::string>;

// RFC 4180: records end with CRLF; a field is quoted when it holds a comma, quote, CR or LF,
// with quotes doubled. Throws on anything else (a bare LF ending a record, stray quotes).
std::vector<Record> parse_csv(const std::string& text) {
  std::vector<Record> out;
  Record record;
  std::string field;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '"') {
      ++i;
      for (;;) {
        if (i >= text.size()) throw std::runtime_error("unterminated quoted field");
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
        if (text[i] == '"') throw std::runtime_error("a quote inside an unquoted field");
        field += text[i++];
      }
    }
    record.push_back(std::move(field));
    field.clear();
    if (i < text.size() && text[i] == ',') {
      ++i;
      continue;
    }
    if (text.compare(i, 2, "\r\n") != 0) {
      throw std::runtime_error("a record does not end with CRLF at byte " + std::to_string(i));
    }
    i += 2;
    out.push_back(std::move(record));
    record.clear();
  }
  return out;
}

const Record kColumns = {"id",
                         "document",
                         "submitter_type",
                         "submitter_name",
                         "submitter_region",
                         "has_identifier",
                         "identifier_hash",
                         "channel",
                         "language",
                         "kind",
                         "articles",
                         "text",
                         "proposed_text",
                         "received_at",
                         "status",
                         "personal_data_purged_at",
                         "external_ref",
                         "campaign"};

std::string text_or_empty(const json& v) {
  return v.is_null() ? std::string() : v.get<std::string>();
}

// A text as the CSV holds it: behind an apostrophe when a spreadsheet would take it for a
// formula.
std::string as_cell(std::string v) {
  if (!v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r')) {
    v.insert(0, "'");
  }
  return v;
}

// The CSV record a list item should export as.
Record expected_record(const json& p) {
  std::string articles;
  for (const json& a : p.at("articles")) {
    if (!articles.empty()) articles += ';';
    articles += a.at("article").get<std::string>();
    if (!a.at("paragraph").is_null()) articles += ":" + a.at("paragraph").get<std::string>();
  }
  const json& s = p.at("submitter");
  return {p.at("id").get<std::string>(),
          p.at("document").get<std::string>(),
          s.at("type").get<std::string>(),
          as_cell(text_or_empty(s.at("name"))),
          as_cell(text_or_empty(s.at("region"))),
          s.at("has_identifier").get<bool>() ? "true" : "false",
          text_or_empty(s.at("identifier_hash")),
          p.at("channel").get<std::string>(),
          text_or_empty(p.at("language")),
          p.at("kind").get<std::string>(),
          articles,
          as_cell(p.at("text").get<std::string>()),
          as_cell(text_or_empty(p.at("proposed_text"))),
          p.at("received_at").get<std::string>(),
          p.at("status").get<std::string>(),
          text_or_empty(p.at("personal_data_purged_at")),
          as_cell(text_or_empty(p.at("external_ref"))),
          text_or_empty(p.at("campaign"))};
}

json list_all(HttpClient& c, const std::string& query = "") {
  HttpResponse res = c.get("/api/v1/proposals?limit=500" + query, bearer(tokens().analyst.secret));
  BOOST_TEST_REQUIRE(res.status == 200, res.body);
  return res.json().at("items");
}

void post_tricky_proposals(HttpClient& c) {
  std::mt19937_64 rng(11);
  json a = proposal("A comma, and \"quotes\" inside");
  a["submitter"] = {{"type", "party"},
                    {"name", "Party, \"Ltd\""},
                    {"region", "Астана"},
                    {"identifier", valid_iin(rng)}};
  a["language"] = "ru";
  a["articles"] = json::array({"33", {{"article", "83-1"}, {"paragraph", "2"}}});
  json b = proposal("Line one\nline two\r\nline three");
  b["proposed_text"] = "Replacement, with \"everything\"\n";
  b["language"] = "en";
  json k = proposal("Қазақ тілі 😀 ǅ");
  k["language"] = "kk";
  post_proposal(c, a);
  post_proposal(c, b);
  post_proposal(c, k);
  post_proposal(c, proposal("plain"));
  json f = proposal("=HYPERLINK(\"http://example.org\",\"open\")");
  f["submitter"] = {{"type", "party"}, {"name", "@SUM(1+1)"}, {"region", "+7 701"}};
  f["proposed_text"] = "-1";
  post_proposal(c, f);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(staff_export, StaffCase)

BOOST_AUTO_TEST_CASE(csv_export_is_rfc_4180_and_equals_the_list) {
  auto c = client();
  post_tricky_proposals(c);
  HttpResponse res = c.get("/api/v1/export/proposals.csv", bearer(tokens().analyst.secret));
  BOOST_TEST_REQUIRE(res.status == 200, res.body);
  BOOST_TEST(res.header("Content-Type").value_or("").starts_with("text/csv"));
  BOOST_TEST(res.header("Transfer-Encoding").value_or("") == "chunked", "the export is streamed");
  BOOST_TEST(!res.header("Content-Length").has_value());
  std::vector<Record> rows = parse_csv(res.body);
  BOOST_TEST_REQUIRE(rows.size() == 6u, res.body);
  BOOST_TEST(rows[0] == kColumns);
  json items = list_all(c);
  BOOST_TEST_REQUIRE(items.size() == 5u);
  for (std::size_t i = 0; i < items.size(); ++i) {
    BOOST_TEST(rows[i + 1] == expected_record(items[i]), "record " << i + 1);
  }
  // Quoting exactly where RFC 4180 needs it.
  BOOST_TEST(res.body.find("\"A comma, and \"\"quotes\"\" inside\"") != std::string::npos);
  BOOST_TEST(res.body.find(",plain,") != std::string::npos);
  BOOST_TEST(res.body.find("\"Line one\nline two\r\nline three\"") != std::string::npos);
  // No cell starts a spreadsheet formula.
  BOOST_TEST(res.body.find("\"'=HYPERLINK(\"\"http://example.org\"\",\"\"open\"\")\"") !=
             std::string::npos);
  BOOST_TEST(res.body.find(",'@SUM(1+1),'+7 701,") != std::string::npos);
  BOOST_TEST(res.body.find(",'-1,") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(jsonl_export_equals_the_list) {
  auto c = client();
  post_tricky_proposals(c);
  HttpResponse res = c.get("/api/v1/export/proposals.jsonl", bearer(tokens().analyst.secret));
  BOOST_TEST_REQUIRE(res.status == 200, res.body);
  BOOST_TEST(res.header("Content-Type").value_or("").starts_with("application/x-ndjson"));
  BOOST_TEST(res.header("Transfer-Encoding").value_or("") == "chunked");
  json items = list_all(c);
  std::vector<json> lines;
  std::size_t start = 0;
  while (start < res.body.size()) {
    const std::size_t end = res.body.find('\n', start);
    BOOST_TEST_REQUIRE(end != std::string::npos, "every line ends with LF");
    lines.push_back(json::parse(res.body.substr(start, end - start)));
    start = end + 1;
  }
  BOOST_TEST_REQUIRE(lines.size() == items.size());
  for (std::size_t i = 0; i < lines.size(); ++i) BOOST_TEST(lines[i] == items[i], "line " << i + 1);
}

BOOST_AUTO_TEST_CASE(exports_apply_the_filters_and_reject_bad_ones) {
  auto c = client();
  post_tricky_proposals(c);
  HttpResponse ru =
      c.get("/api/v1/export/proposals.csv?language=ru&article=33", bearer(tokens().analyst.secret));
  BOOST_TEST_REQUIRE(ru.status == 200, ru.body);
  std::vector<Record> rows = parse_csv(ru.body);
  BOOST_TEST_REQUIRE(rows.size() == 2u, ru.body);
  BOOST_TEST(rows[1][8] == "ru");
  BOOST_TEST(rows[1][10] == "33;83-1:2");
  HttpResponse none =
      c.get("/api/v1/export/proposals.jsonl?status=hidden", bearer(tokens().analyst.secret));
  BOOST_TEST(none.status == 200);
  BOOST_TEST(none.body.empty(), none.body);
  HttpResponse empty_csv =
      c.get("/api/v1/export/proposals.csv?status=hidden", bearer(tokens().analyst.secret));
  BOOST_TEST(empty_csv.status == 200);
  BOOST_TEST(parse_csv(empty_csv.body).size() == 1u, "only the header row");
  for (const char* q : {"?cursor=cDox", "?limit=10", "?status=gone", "?section=L"}) {
    HttpResponse bad =
        c.get(std::string("/api/v1/export/proposals.csv") + q, bearer(tokens().analyst.secret));
    BOOST_TEST(bad.status == 422, q << ": " << bad.body);
  }
}

BOOST_AUTO_TEST_CASE(exports_are_gzipped_as_they_stream_for_clients_that_accept_it) {
  seed_proposals(db, 20000);  // many pieces, so that the coder is fed more than once
  // Campaign detection fills in the campaign column: both exports read after it.
  BOOST_TEST_REQUIRE(
      db.count_when("SELECT count(*) FROM campaign_pending", 0, std::chrono::seconds(120)) == 0);
  auto c = client();
  Headers auth = bearer(tokens().analyst.secret);
  for (const std::string target :
       {"/api/v1/export/proposals.csv", "/api/v1/export/proposals.jsonl?article=1"}) {
    BOOST_TEST_CONTEXT(target) {
      const HttpResponse plain = c.get(target, auth);
      BOOST_TEST_REQUIRE(plain.status == 200);
      BOOST_TEST(!plain.header("Content-Encoding"));
      Headers gzip = auth;
      gzip.emplace_back("Accept-Encoding", "gzip");
      const HttpResponse packed = c.get(target, gzip);
      BOOST_TEST_REQUIRE(packed.status == 200);
      BOOST_TEST(packed.header("Content-Encoding").value_or("") == "gzip");
      BOOST_TEST(packed.header("Transfer-Encoding").value_or("") == "chunked");
      BOOST_TEST(packed.header("Vary").value_or("").find("Accept-Encoding") != std::string::npos);
      BOOST_TEST(packed.body.size() * 2 < plain.body.size());
      const std::string unpacked = gunzip(packed.body);
      BOOST_TEST(unpacked.size() == plain.body.size());
      BOOST_TEST((unpacked == plain.body));
    }
  }
}

BOOST_AUTO_TEST_CASE(export_of_200000_rows_streams_in_bounded_memory) {
  constexpr int kRows = 200000;
  constexpr std::int64_t kMaxGrowthKib = 30 * 1024;
  seed_proposals(db, kRows);
  const pid_t pid = server().pid();
  const Headers auth = bearer(tokens().analyst.secret);
  // Warm up: the export connections and threads exist before the measurement.
  for (int i = 0; i < 2; ++i) {
    StreamedAnswer warm = stream_get(
        port(), "/api/v1/export/proposals.csv?article=2", auth,
        [](std::string_view) { return true; }, std::chrono::seconds(60));
    BOOST_TEST_REQUIRE(warm.status == 200);
  }
  const std::int64_t before = vm_rss_kib(pid);
  std::int64_t peak = before;
  std::uint64_t lines = 0;
  std::uint64_t since_sample = 0;
  std::string first_line;
  std::string tail;
  StreamedAnswer res = stream_get(
      port(), "/api/v1/export/proposals.csv", auth,
      [&](std::string_view data) {
        for (char ch : data) lines += ch == '\n' ? 1 : 0;
        if (first_line.size() < 400) first_line.append(data.substr(0, 400));
        tail.append(data);
        if (tail.size() > 4096) tail.erase(0, tail.size() - 4096);
        since_sample += data.size();
        if (since_sample > 512 * 1024) {
          since_sample = 0;
          peak = std::max(peak, vm_rss_kib(pid));
        }
        return true;
      },
      std::chrono::seconds(120));
  const std::int64_t after = vm_rss_kib(pid);
  peak = std::max(peak, after);
  BOOST_TEST_REQUIRE(res.status == 200);
  BOOST_TEST(res.complete, "the whole body arrived, with its last chunk");
  BOOST_TEST(res.header("Transfer-Encoding").value_or("") == "chunked");
  BOOST_TEST(lines == static_cast<std::uint64_t>(kRows) + 1, "header and every row");
  BOOST_TEST(first_line.starts_with("id,document,submitter_type,"));
  BOOST_TEST(tail.ends_with("\r\n"));
  BOOST_TEST_MESSAGE("export of " << kRows << " rows: " << res.bytes << " bytes; server VmRSS "
                                  << before << " KiB before, " << peak << " KiB peak, " << after
                                  << " KiB after");
  BOOST_TEST(peak - before < kMaxGrowthKib, "VmRSS grew by " << peak - before << " KiB");
  BOOST_TEST(after - before < kMaxGrowthKib, "VmRSS grew by " << after - before << " KiB");
  db.truncate_proposals();
}

BOOST_AUTO_TEST_CASE(abandoned_exports_release_their_connections) {
  seed_proposals(db, 20000);
  const Headers auth = bearer(tokens().analyst.secret);
  // More abandoned exports than export connections (2): each must give its connection back.
  for (int i = 0; i < 5; ++i) {
    StreamedAnswer cut = stream_get(
        port(), "/api/v1/export/proposals.jsonl", auth, [](std::string_view) { return false; },
        std::chrono::seconds(30));
    BOOST_TEST_REQUIRE(cut.status == 200);
    BOOST_TEST(!cut.complete);
  }
  std::uint64_t lines = 0;
  StreamedAnswer full = stream_get(
      port(), "/api/v1/export/proposals.jsonl", auth,
      [&](std::string_view data) {
        for (char ch : data) lines += ch == '\n' ? 1 : 0;
        return true;
      },
      std::chrono::seconds(60));
  BOOST_TEST(full.status == 200, "an export after abandoned ones is served");
  BOOST_TEST(full.complete);
  BOOST_TEST(lines == 20000u);
  auto c = client();
  BOOST_TEST(c.get("/readyz").status == 200);
}

BOOST_AUTO_TEST_SUITE_END()
