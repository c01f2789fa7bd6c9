// The spreadsheet readers of bulk imports: CSV as spreadsheet programs write it (quoting, row
// numbers, every malformed case), the first worksheet of .xlsx fixtures made by
// tests/data/imports/make_fixtures.py, and Excel serial dates. Reads files of the repository
// only.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <optional>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "imports/csv_reader.hpp"
#include "imports/xlsx_reader.hpp"
#include "support/paths.hpp"

// Cells print as name=value when a comparison fails.
namespace boost::test_tools::tt_detail {
template <>
struct print_log_value<std::pair<std::string, std::string>> {
  void operator()(std::ostream& os, const std::pair<std::string, std::string>& cell) {
    os << cell.first << '=' << cell.second;
  }
};
}  // namespace boost::test_tools::tt_detail

namespace {

using usynys::imports::CsvOptions;
using usynys::imports::CsvReader;
using usynys::imports::excel_serial_to_rfc3339;
using usynys::imports::Record;
using usynys::imports::RecordReader;
using usynys::imports::XlsxReader;

using Cells = std::vector<std::pair<std::string, std::string>>;
using Names = std::vector<std::string>;

std::vector<Record> read_all(RecordReader& reader) {
  std::vector<Record> out;
  Record r;
  while (reader.next(r)) out.push_back(r);
  return out;
}

std::vector<Record> read_csv(const std::string& text, CsvOptions options = {}) {
  std::istringstream in(text);
  CsvReader reader(in, options);
  return read_all(reader);
}

std::filesystem::path fixture(const std::string& name) {
  return usynys::test::source_file("tests/data/imports/" + name);
}

// The message of the std::runtime_error `f` throws; fails the test when it throws nothing.
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  BOOST_FAIL("no std::runtime_error");
  return {};
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(imports)

// --- CSV -----------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(csv_reads_what_spreadsheets_write) {
  const std::string text =
      "\xEF\xBB\xBF title , region ,note\r\n"
      "\"Первая строка\r\nвторая, с запятой\",Алматы,\"He said \"\"hi\"\"\"\r\n"
      "=SUM(A1),Қазақстан Республикасы,\r\n"
      ",,\"\"\"\"\r\n"
      "last,\"\",no newline";
  std::istringstream in(text);
  CsvReader reader(in);
  BOOST_TEST(reader.header() == (Names{"title", "region", "note"}),
             boost::test_tools::per_element());
  const std::vector<Record> records = read_all(reader);
  BOOST_TEST_REQUIRE(records.size() == 4u);

  BOOST_TEST(records[0].line == 2u);
  BOOST_TEST(records[0].error == "");
  BOOST_TEST(records[0].cells == (Cells{{"title", "Первая строка\r\nвторая, с запятой"},
                                        {"region", "Алматы"},
                                        {"note", "He said \"hi\""}}));
  BOOST_TEST(records[0].is_date == std::vector<bool>(3, false));

  BOOST_TEST(records[1].line == 3u);
  BOOST_TEST(records[1].cells ==
             (Cells{{"title", "=SUM(A1)"}, {"region", "Қазақстан Республикасы"}, {"note", ""}}));
  BOOST_TEST(records[2].line == 4u);
  BOOST_TEST(records[2].cells == (Cells{{"title", ""}, {"region", ""}, {"note", "\""}}));
  BOOST_TEST(records[3].line == 5u);
  BOOST_TEST(records[3].cells ==
             (Cells{{"title", "last"}, {"region", ""}, {"note", "no newline"}}));
  BOOST_TEST(reader.bytes_read() == text.size());
}

BOOST_AUTO_TEST_CASE(csv_row_numbers_are_the_rows_a_spreadsheet_shows) {
  // Empty lines and rows of empty fields are skipped but are rows; a line end inside quotes is
  // not.
  const std::vector<Record> records = read_csv(
      "a,b\n"
      "\n"
      "x,y\n"
      ",\n"
      "\"1\n2\n3\",z\n"
      "\r\n"
      "last,row\n"
      "\n");
  BOOST_TEST_REQUIRE(records.size() == 3u);
  BOOST_TEST(records[0].line == 3u);
  BOOST_TEST(records[0].cells == (Cells{{"a", "x"}, {"b", "y"}}));
  BOOST_TEST(records[1].line == 5u);
  BOOST_TEST(records[1].cells == (Cells{{"a", "1\n2\n3"}, {"b", "z"}}));
  BOOST_TEST(records[2].line == 7u);
  BOOST_TEST(records[2].cells == (Cells{{"a", "last"}, {"b", "row"}}));
}

BOOST_AUTO_TEST_CASE(csv_reports_a_field_count_unlike_the_header_and_goes_on) {
  const std::vector<Record> records = read_csv("a,b,c\r\n1,2\r\n1,2,3,4\r\n1,2,3\r\n");
  BOOST_TEST_REQUIRE(records.size() == 3u);
  BOOST_TEST(records[0].line == 2u);
  BOOST_TEST(records[0].error == "2 fields where the header has 3");
  BOOST_TEST(records[0].cells.empty());
  BOOST_TEST(records[0].is_date.empty());
  BOOST_TEST(records[1].error == "4 fields where the header has 3");
  BOOST_TEST(records[2].line == 4u);
  BOOST_TEST(records[2].error == "");
  BOOST_TEST(records[2].cells == (Cells{{"a", "1"}, {"b", "2"}, {"c", "3"}}));
}

BOOST_AUTO_TEST_CASE(csv_reports_a_quote_inside_an_unquoted_field) {
  const std::vector<Record> records = read_csv("a,b\nok,He said \"hi\"\nnext,row\n");
  BOOST_TEST_REQUIRE(records.size() == 2u);
  BOOST_TEST(records[0].line == 2u);
  BOOST_TEST(records[0].error == "field 2: quote inside an unquoted field");
  BOOST_TEST(records[0].cells.empty());
  BOOST_TEST(records[1].line == 3u);
  BOOST_TEST(records[1].cells == (Cells{{"a", "next"}, {"b", "row"}}));
}

BOOST_AUTO_TEST_CASE(csv_reports_text_after_a_closing_quote) {
  const std::vector<Record> records = read_csv("a,b\n\"quoted\" tail,x\n\"q\",\"r\"\n");
  BOOST_TEST_REQUIRE(records.size() == 2u);
  BOOST_TEST(records[0].error == "field 1: text after a closing quote");
  BOOST_TEST(records[0].cells.empty());
  BOOST_TEST(records[1].line == 3u);
  BOOST_TEST(records[1].cells == (Cells{{"a", "q"}, {"b", "r"}}));
}

BOOST_AUTO_TEST_CASE(csv_reports_a_quote_never_closed_and_ends_there) {
  const std::vector<Record> records = read_csv("a,b\n1,2\n3,\"open\n4,5\n6,7\n");
  BOOST_TEST_REQUIRE(records.size() == 2u);
  BOOST_TEST(records[0].cells == (Cells{{"a", "1"}, {"b", "2"}}));
  BOOST_TEST(records[1].line == 3u);
  BOOST_TEST(records[1].error == "field 2: quote never closed before the end of the input");
  BOOST_TEST(records[1].cells.empty());
}

BOOST_AUTO_TEST_CASE(csv_reports_a_record_over_the_limit_and_goes_on) {
  CsvOptions options;
  options.max_record_bytes = 16;
  const std::vector<Record> records =
      read_csv("a,b\n\"a long field,\nover lines\",and more\nshort,one\n", options);
  BOOST_TEST_REQUIRE(records.size() == 2u);
  BOOST_TEST(records[0].line == 2u);
  BOOST_TEST(records[0].error == "record longer than 16 bytes");
  BOOST_TEST(records[0].cells.empty());
  BOOST_TEST(records[1].line == 3u);
  BOOST_TEST(records[1].cells == (Cells{{"a", "short"}, {"b", "one"}}));
}

BOOST_AUTO_TEST_CASE(csv_header_with_bad_quoting_is_refused) {
  std::istringstream in("a,b\"c\n1,2\n");
  BOOST_TEST(error_of([&] { CsvReader reader(in); }) ==
             "CSV header (row 1): field 2: quote inside an unquoted field");
}

BOOST_AUTO_TEST_CASE(csv_without_rows_has_no_header) {
  for (const std::string text : {"", "\xEF\xBB\xBF", "\r\n\n,,\n"}) {
    std::istringstream in(text);
    CsvReader reader(in);
    BOOST_TEST(reader.header().empty());
    Record r;
    BOOST_TEST(!reader.next(r));
    BOOST_TEST(reader.bytes_read() == text.size());
  }
}

BOOST_AUTO_TEST_CASE(csv_reads_across_buffer_boundaries) {
  // Long enough that read buffers end inside CRLFs, doubled quotes and multibyte characters.
  std::string text = "text,n\r\n";
  const std::size_t rows = 7001;
  for (std::size_t i = 0; i < rows; ++i) {
    text += "\"Ә \"\"q\"\"\r\nжол\"," + std::to_string(i) + "\r\n";
  }
  std::istringstream in(text);
  CsvReader reader(in);
  Record r;
  std::size_t n = 0;
  bool all_equal = true;
  while (reader.next(r)) {
    all_equal = all_equal && r.error.empty() && r.line == n + 2 &&
                r.cells == Cells{{"text", "Ә \"q\"\r\nжол"}, {"n", std::to_string(n)}};
    ++n;
  }
  BOOST_TEST(n == rows);
  BOOST_TEST(all_equal);
  BOOST_TEST(reader.bytes_read() == text.size());
}

// --- XLSX ----------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(xlsx_reads_the_first_worksheet_only) {
  XlsxReader reader(fixture("proposals.xlsx"));
  BOOST_TEST(reader.sheet_name() == "Ұсыныстар");
  BOOST_TEST(reader.header() ==
                 (Names{"title", "region", "submitted", "votes", "share", "active", "note"}),
             boost::test_tools::per_element());
  const std::vector<Record> records = read_all(reader);
  BOOST_TEST_REQUIRE(records.size() == 6u);

  // Rich text runs joined without the phonetic run, a missing cell, typed cells.
  BOOST_TEST(records[0].line == 2u);
  BOOST_TEST(records[0].error == "");
  BOOST_TEST(records[0].cells == (Cells{{"title", "Қазақстан Республикасы"},
                                        {"region", ""},
                                        {"submitted", "45658.5"},
                                        {"votes", "42"},
                                        {"share", "0.5"},
                                        {"active", "TRUE"},
                                        {"note", "инлайн мәтін"}}));
  BOOST_TEST(records[0].is_date ==
             (std::vector<bool>{false, false, true, false, false, false, false}));

  // Rows 3 (absent) and 4 (a formatted empty cell) are blank. _x000D_ is CR; a formula's
  // cached result; numbers as their shortest text; text that looks like a formula.
  BOOST_TEST(records[1].line == 5u);
  BOOST_TEST(records[1].cells == (Cells{{"title", "Первая строка\r\nвторая строка"},
                                        {"region", "X"},
                                        {"submitted", "45658.75"},
                                        {"votes", "1.5e+20"},
                                        {"share", "0.1"},
                                        {"active", "FALSE"},
                                        {"note", "=SUM(A1)"}}));
  BOOST_TEST(records[1].is_date ==
             (std::vector<bool>{false, false, true, false, false, false, false}));

  // Cells without references follow one another; formats with a d in quotes or brackets are
  // not dates; an error value as written.
  BOOST_TEST(records[2].line == 6u);
  BOOST_TEST(records[2].cells == (Cells{{"title", "Алматы"},
                                        {"region", "rich inline"},
                                        {"submitted", ""},
                                        {"votes", "1500"},
                                        {"share", "-2.25"},
                                        {"active", "#N/A"},
                                        {"note", ""}}));
  BOOST_TEST(records[2].is_date == std::vector<bool>(7, false));

  BOOST_TEST(records[3].line == 7u);
  BOOST_TEST(records[3].error == "value in column H, which has no header");
  BOOST_TEST(records[3].cells.empty());
  BOOST_TEST(records[3].is_date.empty());
  BOOST_TEST(records[4].line == 8u);
  BOOST_TEST(records[4].error == "cell A8: no shared string 999");
  BOOST_TEST(records[4].cells.empty());
  // A formatted empty cell right of the header is no error.
  BOOST_TEST(records[5].line == 9u);
  BOOST_TEST(records[5].error == "");
  BOOST_TEST(records[5].cells.front() == (std::pair<std::string, std::string>{"title", "region"}));

  BOOST_TEST(reader.bytes_read() == reader.sheet_bytes());
  BOOST_TEST(reader.sheet_bytes() > 0u);
}

BOOST_AUTO_TEST_CASE(xlsx_date_cells_convert_to_utc_times) {
  XlsxReader reader(fixture("proposals.xlsx"));
  Record r;
  BOOST_TEST_REQUIRE(reader.next(r));
  BOOST_TEST_REQUIRE(r.is_date[2]);
  BOOST_TEST(excel_serial_to_rfc3339(std::stod(r.cells[2].second)).value_or("none") ==
             "2025-01-01T12:00:00Z");
  BOOST_TEST_REQUIRE(reader.next(r));
  BOOST_TEST(excel_serial_to_rfc3339(std::stod(r.cells[2].second)).value_or("none") ==
             "2025-01-01T18:00:00Z");
}

BOOST_AUTO_TEST_CASE(xlsx_follows_relationships_prefixes_and_the_1904_date_system) {
  // A chart sheet first, absolute targets, prefixed elements, a header below blank rows, rows
  // and cells without references, no shared strings.
  XlsxReader reader(fixture("prefixed.xlsx"));
  BOOST_TEST(reader.sheet_name() == "Data");
  BOOST_TEST(reader.header() == (Names{"name", "when"}), boost::test_tools::per_element());
  const std::vector<Record> records = read_all(reader);
  BOOST_TEST_REQUIRE(records.size() == 1u);
  BOOST_TEST(records[0].line == 4u);
  BOOST_TEST(records[0].cells == (Cells{{"name", "Айгүл"}, {"when", "45658.5"}}));
  BOOST_TEST(records[0].is_date == (std::vector<bool>{false, true}));
  BOOST_TEST(excel_serial_to_rfc3339(45658.5).value_or("none") == "2025-01-01T12:00:00Z");
}

BOOST_AUTO_TEST_CASE(xlsx_limits_hold_rows_and_shared_strings) {
  usynys::imports::XlsxOptions options;
  options.max_row_bytes = 48;
  XlsxReader reader(fixture("proposals.xlsx"), options);
  Record r;
  BOOST_TEST_REQUIRE(reader.next(r));
  BOOST_TEST(r.line == 2u);
  BOOST_TEST(r.error == "row longer than 48 bytes");
  BOOST_TEST(r.cells.empty());
  BOOST_TEST_REQUIRE(reader.next(r));
  BOOST_TEST(r.line == 5u);
  BOOST_TEST(r.error == "row longer than 48 bytes");
  BOOST_TEST_REQUIRE(reader.next(r));
  BOOST_TEST(r.line == 6u);
  BOOST_TEST(r.error == "");

  options = {};
  options.max_shared_strings_bytes = 200;
  BOOST_TEST(error_of([&] { XlsxReader too_many(fixture("proposals.xlsx"), options); }) ==
             "xlsx: the shared strings are larger than 200 bytes");
}

BOOST_AUTO_TEST_CASE(xlsx_sheet_without_values_has_no_header) {
  XlsxReader reader(fixture("empty-sheet.xlsx"));
  BOOST_TEST(reader.header().empty());
  Record r;
  BOOST_TEST(!reader.next(r));
}

BOOST_AUTO_TEST_CASE(xlsx_refuses_files_that_are_not_readable_workbooks) {
  BOOST_TEST(error_of([] { XlsxReader r(fixture("not-a-zip.xlsx")); }) ==
             "xlsx: not an .xlsx file (not a zip archive)");
  BOOST_TEST(contains(error_of([] { XlsxReader r(fixture("encrypted.xlsx")); }),
                      "xlsx: the workbook is encrypted"));
  BOOST_TEST(contains(error_of([] { XlsxReader r(fixture("zip-encrypted.xlsx")); }),
                      "xlsx: the workbook is encrypted"));
  BOOST_TEST(error_of([] { XlsxReader r(fixture("no-worksheet.xlsx")); }) ==
             "xlsx: the workbook has no worksheet");
  BOOST_TEST(contains(error_of([] { XlsxReader r(fixture("no-such-file.xlsx")); }),
                      "xlsx: cannot open the file"));
}

BOOST_AUTO_TEST_CASE(xlsx_damaged_worksheet_throws_where_the_damage_is) {
  XlsxReader reader(fixture("broken-sheet.xlsx"));
  BOOST_TEST(reader.header() == (Names{"title"}), boost::test_tools::per_element());
  Record r;
  BOOST_TEST_REQUIRE(reader.next(r));
  BOOST_TEST(r.cells == (Cells{{"title", "x"}}));
  BOOST_TEST(contains(error_of([&] { reader.next(r); }),
                      "xlsx: xl/worksheets/sheet1.xml: not well-formed XML at line 2"));
}

// --- Excel serial dates --------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(excel_serials_follow_the_1900_date_system) {
  const auto at = [](double serial) { return excel_serial_to_rfc3339(serial).value_or("none"); };
  BOOST_TEST(at(45658.5) == "2025-01-01T12:00:00Z");
  BOOST_TEST(at(45658) == "2025-01-01T00:00:00Z");
  BOOST_TEST(at(1) == "1900-01-01T00:00:00Z");
  BOOST_TEST(at(59) == "1900-02-28T00:00:00Z");
  BOOST_TEST(at(60) == "none");  // 1900-02-29, which Excel counts and the calendar has not
  BOOST_TEST(at(60.5) == "none");
  BOOST_TEST(at(61) == "1900-03-01T00:00:00Z");
  BOOST_TEST(at(0.5) == "1899-12-31T12:00:00Z");  // a time of day alone
  BOOST_TEST(at(2958465.5) == "9999-12-31T12:00:00Z");
  BOOST_TEST(at(2958466) == "none");
  BOOST_TEST(at(-1) == "none");
  BOOST_TEST(at(std::numeric_limits<double>::quiet_NaN()) == "none");
  BOOST_TEST(at(std::numeric_limits<double>::infinity()) == "none");
}

BOOST_AUTO_TEST_CASE(excel_serial_times_keep_milliseconds_and_microseconds) {
  const auto at = [](double serial) { return excel_serial_to_rfc3339(serial).value_or("none"); };
  // 10:15:30 written with 15 significant digits is 3 microseconds off: the second is meant.
  BOOST_TEST(at(45658.4274305556) == "2025-01-01T10:15:30Z");
  BOOST_TEST(at(45658.5 + 0.25 / 86400) == "2025-01-01T12:00:00.250000Z");
  BOOST_TEST(at(1.5 + 0.000123 / 86400) == "1900-01-01T12:00:00.000123Z");
  // Rounding up to midnight moves to the next day.
  BOOST_TEST(at(45658.99999999999) == "2025-01-02T00:00:00Z");
}

BOOST_AUTO_TEST_SUITE_END()
