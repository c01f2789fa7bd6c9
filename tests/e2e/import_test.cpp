// scripts/import against the test database: the same letters as a spreadsheet's CSV, JSON Lines
// and an XLSX workbook store the same proposals; a re-import stores nothing; a changed row is a
// conflict; bad rows are refused with their line and field while good rows land; an import
// killed in the middle completes when it runs again; exit statuses.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "e2e_fixture.hpp"
#include "support/paths.hpp"

namespace {

using nlohmann::json;
using usynys::test::CleanDatabase;
using usynys::test::shell_quote;
using usynys::test::TempDir;

struct Run {
  int status = -1;
  std::string out;  // standard output
  std::string err;  // standard error
  std::string last_line() const {
    std::string s = out;
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s.substr(s.find_last_of('\n') == std::string::npos ? 0 : s.find_last_of('\n') + 1);
  }
};

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// scripts/import ARGS (with the binary under test), its exit status and output.
Run run_import(const TempDir& dir, const std::string& args, const std::string& stdin_file = "") {
  const auto err = dir.path() / "stderr";
  std::string cmd = "USYNYS_BINARY=" + shell_quote(usynys::test::server_binary().string()) + " " +
                    shell_quote(usynys::test::source_file("scripts/import").string()) + " " + args +
                    " 2>" + shell_quote(err.string());
  if (!stdin_file.empty()) cmd += " <" + shell_quote(stdin_file);
  Run r;
  FILE* p = ::popen(cmd.c_str(), "r");
  BOOST_TEST_REQUIRE(p != nullptr);
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = read_file(err);
  return r;
}

std::string fixture(const std::string& name) {
  return shell_quote(usynys::test::source_file("tests/data/imports/" + name).string());
}

// The rows of a receipts file after its header, as "line|external_ref|id|receipt".
std::vector<std::string> receipts(const std::filesystem::path& file) {
  std::istringstream in(read_file(file));
  std::string line;
  std::getline(in, line);
  BOOST_TEST(line == "line,external_ref,id,receipt\r");
  std::vector<std::string> out;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::replace(line.begin(), line.end(), ',', '|');
    out.push_back(line);
  }
  return out;
}

// The rows of an errors file after its header, as "line|external_ref|field".
std::vector<std::string> rejected(const std::filesystem::path& errors) {
  std::istringstream in(read_file(errors));
  std::string line;
  std::getline(in, line);
  BOOST_TEST(line == "line,external_ref,field,message\r");
  std::vector<std::string> out;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.push_back(cell);
        cell.clear();
      } else if (c != '\r') {
        cell += c;
      }
    }
    cells.push_back(cell);
    out.push_back(cells.at(0) + "|" + cells.at(1) + "|" + cells.at(2));
  }
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
  return s;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(bulk_import, CleanDatabase)

BOOST_AUTO_TEST_CASE(a_spreadsheet_csv_json_lines_and_xlsx_store_the_same_letters) {
  TempDir dir("usynys-import-same");
  // Nothing is written beside the inputs, which are in the source tree.
  const std::string errors = "--errors " + shell_quote((dir.path() / "errors.csv").string()) +
                             " --receipts " + shell_quote((dir.path() / "receipts.csv").string());
  Run csv = run_import(dir, errors + " " + fixture("letters.csv"));
  BOOST_TEST(csv.status == 0, csv.err);
  BOOST_TEST(csv.last_line().starts_with("imported=6 duplicates=0 rejected=0 seconds="), csv.out);
  BOOST_TEST(csv.err.find("import: 6 rows") != std::string::npos, csv.err);
  // What each says is the same, to the letter: the other two are duplicates of it.
  for (const char* other : {"letters.jsonl", "letters.xlsx"}) {
    Run r = run_import(dir, errors + " " + fixture(other));
    BOOST_TEST(r.status == 0, other << ": " << r.err);
    BOOST_TEST(r.last_line().starts_with("imported=0 duplicates=6 rejected=0"), other << r.out);
  }
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 6);
  // As the portal exported them: a quoted newline, a formula-looking cell kept as text,
  // paragraphs, untagged letters, the reception time, the identifier only hashed.
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE external_ref = 'ЖТ-2026-000101' "
                      "AND text LIKE '%керек.' || chr(10) || 'Бір рет%' "
                      "AND received_at = '2026-02-02 04:30:00+00' AND identifier_hash IS NOT NULL "
                      "AND channel = 'e-otinish' AND language = 'kk' AND kind = 'amend'") == 1);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE text LIKE '=SUM(A1)%'") == 1);
  BOOST_TEST(db.count("SELECT count(*) FROM proposal_articles WHERE article_id = '83-1' "
                      "AND paragraph = '2'") == 1);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals p WHERE NOT EXISTS "
                      "(SELECT 1 FROM proposal_articles pa WHERE pa.proposal_id = p.id)") == 2);
  BOOST_TEST(db.count("SELECT count(*) FROM proposal_articles") == 6);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE submitter_name = "
                      "'Партия \"Жаңа жол\"'") == 1);
  // Counted at once, untagged letters as untagged.
  BOOST_TEST(db.count("SELECT count(*) FROM stats_pending") == 6);
  usynys::test::HttpClient http(usynys::test::shared_server().port());
  const json cov = http.get("/api/v1/stats/coverage").json();
  BOOST_TEST(cov.at("proposals") == 6);
  BOOST_TEST(cov.at("untagged") == 2);
  BOOST_TEST(cov.at("articles_touched") == 6);
}

BOOST_AUTO_TEST_CASE(a_reimport_stores_nothing_and_a_changed_row_is_a_conflict) {
  TempDir dir("usynys-import-again");
  const auto file = dir.path() / "letters.jsonl";
  std::filesystem::copy_file(usynys::test::source_file("tests/data/imports/letters.jsonl"), file);
  BOOST_TEST(run_import(dir, shell_quote(file.string())).status == 0);
  const std::vector<std::string> given = receipts(file.string() + ".receipts.csv");
  BOOST_TEST(given.size() == 6u);
  Run again = run_import(dir, shell_quote(file.string()));
  BOOST_TEST(again.status == 0);
  BOOST_TEST(again.last_line().starts_with("imported=0 duplicates=6 rejected=0"), again.out);
  // The rows already stored get their receipts again, for a channel that lost the first file.
  BOOST_TEST(receipts(file.string() + ".receipts.csv") == given);
  // The third letter rewritten under its reference.
  std::string text = read_file(file);
  const std::string from = "please keep it";
  text.replace(text.find(from), from.size(), "please drop it");
  std::ofstream(file, std::ios::trunc) << text;
  Run changed = run_import(dir, shell_quote(file.string()));
  BOOST_TEST(changed.status == 1, changed.err);
  BOOST_TEST(changed.last_line().starts_with("imported=0 duplicates=5 rejected=1"), changed.out);
  BOOST_TEST(joined(rejected(file.string() + ".errors.csv")) == "3|E-44|external_ref");
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE text LIKE '%please keep it%'") == 1);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 6);
}

BOOST_AUTO_TEST_CASE(bad_rows_are_rejected_with_their_line_and_field_and_good_rows_land) {
  TempDir dir("usynys-import-bad");
  const auto file = dir.path() / "rows.csv";
  // Row numbers as a spreadsheet shows them: row 3 holds a quoted newline.
  std::ofstream(file, std::ios::binary)
      << "external_ref,submitter_type,text,articles,received_at,submitter_identifier\r\n"
         "ok-1,citizen,Fine,41,2026-01-01T00:00:00Z,\r\n"
         "ok-2,citizen,\"Two\r\nlines\",,,\r\n"
         ",citizen,No reference,1,,\r\n"
         "bad-type,alien,Who,1,,\r\n"
         "bad-text,citizen,,1,,\r\n"
         "bad-article,citizen,Text,999,,\r\n"
         "repealed,citizen,Text,84,,\r\n"
         "bad-paragraph,citizen,Text,41/99,,\r\n"
         "future,citizen,Text,1,2999-01-01T00:00:00Z,\r\n"
         "no-time,citizen,Text,1,yesterday,\r\n"
         "bad-iin,citizen,Text,1,,880101300124\r\n"
         "short,citizen\r\n"
         "bad-quote,citizen,Te\"xt,1,,\r\n"
         "ok-3,party-less,Text,1,,\r\n"
         "ok-4,expert,No name,,,\r\n"
         "ok-5,citizen,Last,\"1; 2 ;3\",,\r\n";
  Run r = run_import(dir, shell_quote(file.string()));
  BOOST_TEST(r.status == 1, r.err);
  BOOST_TEST(r.last_line().starts_with("imported=3 duplicates=0 rejected=13"), r.out);
  BOOST_TEST(joined(rejected(file.string() + ".errors.csv")) ==
             "4||external_ref 5|bad-type|submitter_type 6|bad-text|text "
             "7|bad-article|articles 8|repealed|articles 9|bad-paragraph|articles "
             "10|future|received_at 11|no-time|received_at 12|bad-iin|submitter_identifier "
             "13|| 14|| 15|ok-3|submitter_type 16|ok-4|submitter_name");
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 3);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE external_ref IN "
                      "('ok-1', 'ok-2', 'ok-5')") == 3);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals WHERE text = 'Two' || chr(13) || "
                      "chr(10) || 'lines'") == 1);
  BOOST_TEST(db.count("SELECT count(*) FROM proposal_articles pa JOIN proposals p ON "
                      "p.id = pa.proposal_id WHERE p.external_ref = 'ok-5'") == 3);
  // Each stored row has its receipt, which shows its proposal.
  const std::vector<std::string> given = receipts(file.string() + ".receipts.csv");
  BOOST_TEST_REQUIRE(given.size() == 3u);
  usynys::test::HttpClient http(usynys::test::shared_server().port());
  const std::vector<std::string> lines = {"2|ok-1|", "3|ok-2|", "17|ok-5|"};
  for (std::size_t i = 0; i < given.size(); ++i) {
    BOOST_TEST(given[i].starts_with(lines[i]), given[i]);
    const std::string id = given[i].substr(lines[i].size(), given[i].rfind('|') - lines[i].size());
    const json shown =
        http.get("/api/v1/receipts/" + given[i].substr(given[i].rfind('|') + 1)).json();
    BOOST_TEST(shown.value("id", "") == id, given[i]);
  }
  std::filesystem::remove(file.string() + ".receipts.csv");
  // --dry-run checks the same, counts what an import would do, and stores nothing: the three
  // good rows are duplicates now, and new rows under another channel.
  Run dry = run_import(dir, "--dry-run " + shell_quote(file.string()));
  BOOST_TEST(dry.status == 1);
  BOOST_TEST(dry.last_line().starts_with("imported=0 duplicates=3 rejected=13"), dry.out);
  dry = run_import(dir, "--dry-run --channel mail " + shell_quote(file.string()));
  BOOST_TEST(dry.last_line().starts_with("imported=3 duplicates=0 rejected=13"), dry.out);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 3);
  BOOST_TEST(!std::filesystem::exists(file.string() + ".receipts.csv"), "a dry run gives none");
}

BOOST_AUTO_TEST_CASE(exit_statuses_say_what_went_wrong) {
  TempDir dir("usynys-import-exits");
  const auto unknown = dir.path() / "unknown.csv";
  std::ofstream(unknown) << "external_ref,text,colour\nx,y,red\n";
  Run r = run_import(dir, shell_quote(unknown.string()));
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err.find("unknown column 'colour'") != std::string::npos, r.err);
  BOOST_TEST(run_import(dir, shell_quote((dir.path() / "missing.jsonl").string())).status == 2);
  BOOST_TEST(run_import(dir, shell_quote((dir.path() / "file.txt").string())).status == 2);
  BOOST_TEST(run_import(dir, "--channel fax " + fixture("letters.jsonl")).status == 2);
  BOOST_TEST(run_import(dir, "--no-such-option " + fixture("letters.jsonl")).status == 2);
  BOOST_TEST(run_import(dir, "").status == 2);
  Run unreachable =
      run_import(dir, "--database-url " +
                          shell_quote("host=" + (dir.path() / "nowhere").string() + " dbname=x") +
                          " " + fixture("letters.jsonl"));
  BOOST_TEST(unreachable.status == 3, unreachable.err);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == 0);
  // JSON Lines on standard input.
  Run stdin_run =
      run_import(dir,
                 "--errors " + shell_quote((dir.path() / "e.csv").string()) + " --receipts " +
                     shell_quote((dir.path() / "r.csv").string()) + " -",
                 usynys::test::source_file("tests/data/imports/letters.jsonl").string());
  BOOST_TEST(stdin_run.status == 0, stdin_run.err);
  BOOST_TEST(stdin_run.last_line().starts_with("imported=6 "), stdin_run.out);
}

BOOST_AUTO_TEST_CASE(an_import_killed_in_the_middle_completes_when_run_again) {
  TempDir dir("usynys-import-kill");
  const auto file = dir.path() / "many.jsonl";
  constexpr int kRows = 60000;
  {
    std::ofstream out(file);
    for (int i = 0; i < kRows; ++i) {
      out << json({{"external_ref", "K-" + std::to_string(i)},
                   {"channel", "e-otinish"},
                   {"submitter", {{"type", "citizen"}}},
                   {"articles", {std::to_string(1 + i % 99 == 84 ? 85 : 1 + i % 99)}},
                   {"text", "Letter number " + std::to_string(i) + std::string(400, '.')}})
                 .dump()
          << "\n";
    }
  }
  const auto err = dir.path() / "first.stderr";
  const pid_t pid = ::fork();
  BOOST_TEST_REQUIRE(pid >= 0);
  if (pid == 0) {
    // The binary itself, so that the kill reaches the importer, not a wrapper.
    std::freopen(err.c_str(), "w", stderr);
    std::freopen("/dev/null", "w", stdout);
    const std::string binary = usynys::test::server_binary().string();
    const std::string config = usynys::test::source_file("config/usynys.json").string();
    const std::string url = usynys::test::database_url();
    ::execl(binary.c_str(), binary.c_str(), "import", "--config", config.c_str(), "--database-url",
            url.c_str(), file.c_str(), static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  // Killed once its first batch is in (slow under the sanitizers, hence the long deadline).
  const std::int64_t stored =
      db.count_when("SELECT least(count(*), 5000) FROM proposals", 5000, std::chrono::minutes(2));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  BOOST_TEST_REQUIRE(stored == 5000);
  const std::int64_t before = db.count("SELECT count(*) FROM proposals");
  BOOST_TEST_MESSAGE("killed after " << before << " of " << kRows << " rows were stored");
  BOOST_TEST(before < kRows, "killed before the end");
  Run again = run_import(dir, shell_quote(file.string()));
  BOOST_TEST(again.status == 0, again.err);
  BOOST_TEST(again.last_line().starts_with("imported=" + std::to_string(kRows - before) +
                                           " duplicates=" + std::to_string(before) + " "),
             again.out);
  BOOST_TEST(db.count("SELECT count(*) FROM proposals") == kRows);
  BOOST_TEST(db.count("SELECT count(DISTINCT external_ref) FROM proposals") == kRows);
}

BOOST_AUTO_TEST_SUITE_END()
