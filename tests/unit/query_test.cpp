// api::parse_query, parse_time_bound and parse_filter: statistics query strings.
#include <boost/test/unit_test.hpp>
#include <cstring>
#include <memory>
#include <string>

#include "api/query.hpp"

namespace {

using usynys::api::parse_query;
using usynys::api::parse_time_bound;

std::string fields(const std::vector<usynys::domain::FieldError>& errors) {
  std::string s;
  for (const auto& e : errors) s += (s.empty() ? "" : " ") + e.field;
  return s;
}

std::string bound(std::string_view v, bool upper) {
  return parse_time_bound(v, upper).value_or("<none>");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(query)

BOOST_AUTO_TEST_CASE(parameters_are_percent_decoded) {
  auto q = parse_query(
      "/api/v1/stats/coverage?region=%D0%90%D0%BB%D0%BC%D0%B0%D1%82%D1%8B"
      "&channel=e-otinish&q=a+b&empty=&flag");
  BOOST_TEST(fields(q.errors) == "");
  BOOST_TEST(*q.get("region") == "Алматы");
  BOOST_TEST(*q.get("channel") == "e-otinish");
  BOOST_TEST(*q.get("q") == "a b");
  BOOST_TEST(*q.get("empty") == "");
  BOOST_TEST(*q.get("flag") == "");
  BOOST_TEST(q.get("missing") == nullptr);
}

BOOST_AUTO_TEST_CASE(target_without_query_has_no_parameters) {
  auto q = parse_query("/api/v1/stats/coverage");
  BOOST_TEST(q.params.empty());
  BOOST_TEST(q.errors.empty());
  q = parse_query("/x?&&");
  BOOST_TEST(q.params.empty());
  BOOST_TEST(q.errors.empty());
}

BOOST_AUTO_TEST_CASE(repeated_parameter_is_an_error) {
  auto q = parse_query("/x?channel=web&channel=mail");
  BOOST_TEST(fields(q.errors) == "?channel");
}

BOOST_AUTO_TEST_CASE(malformed_escapes_and_invalid_utf8_are_errors) {
  for (const char* target : {"/x?region=%zz", "/x?region=%4", "/x?region=%", "/x?region=%FF",
                             "/x?region=%C0%AF", "/x?region=%ED%A0%80"}) {
    auto q = parse_query(target);
    BOOST_TEST(fields(q.errors) == "?region", target);
  }
}

BOOST_AUTO_TEST_CASE(unknown_parameters_are_rejected_by_name) {
  auto q = parse_query("/x?document=kz-1995&bucket=day&limit=3");
  std::vector<usynys::domain::FieldError> errors;
  usynys::api::reject_unknown(q, usynys::api::kFilterParams, errors);
  BOOST_TEST(fields(errors) == "?bucket ?limit");
}

BOOST_AUTO_TEST_CASE(date_bounds_cover_whole_days) {
  BOOST_TEST(bound("2026-01-31", false) == "2026-01-31T00:00:00Z");
  BOOST_TEST(bound("2026-01-31", true) == "2026-02-01T00:00:00Z");
  BOOST_TEST(bound("2026-12-31", true) == "2027-01-01T00:00:00Z");
  BOOST_TEST(bound("2024-02-28", true) == "2024-02-29T00:00:00Z");
  BOOST_TEST(bound("2024-02-29", false) == "2024-02-29T00:00:00Z");
  BOOST_TEST(bound("1970-01-01", false) == "1970-01-01T00:00:00Z");
}

BOOST_AUTO_TEST_CASE(rfc3339_times_are_normalised_to_utc) {
  const std::pair<const char*, const char*> cases[] = {
      {"2026-01-31T12:00:00Z", "2026-01-31T12:00:00Z"},
      {"2026-01-31t12:00:00z", "2026-01-31T12:00:00Z"},
      {"2026-01-31T12:00:00+05:00", "2026-01-31T07:00:00Z"},
      {"2026-01-31T12:00:00-03:30", "2026-01-31T15:30:00Z"},
      {"2026-01-31T12:00:00.123456Z", "2026-01-31T12:00:00.123456Z"},
      {"2026-01-31T12:00:00.1Z", "2026-01-31T12:00:00.100000Z"},
      {"2026-01-31T12:00:00.000Z", "2026-01-31T12:00:00Z"},
      // A leap second is the first instant of the next minute, as PostgreSQL reads it.
      {"2026-01-31T23:59:60Z", "2026-02-01T00:00:00Z"},
      // Offsets PostgreSQL itself refuses (past 15:59).
      {"2026-12-01T20:00:00+16:00", "2026-12-01T04:00:00Z"},
      {"2026-12-01T20:00:00+23:59", "2026-11-30T20:01:00Z"},
      {"2026-12-01T20:00:00-23:59", "2026-12-02T19:59:00Z"},
      // Finer than microseconds: rounded up, so that t < x and t >= x keep their meaning.
      {"2026-12-01T08:00:00.9355314Z", "2026-12-01T08:00:00.935532Z"},
      {"2026-12-01T08:00:00.9355310000Z", "2026-12-01T08:00:00.935531Z"},
      {"2026-12-01T08:00:00.9999999Z", "2026-12-01T08:00:01Z"},
      {"2026-12-31T23:59:59.9999999Z", "2027-01-01T00:00:00Z"}};
  for (const auto& [given, utc] : cases) {
    BOOST_TEST(bound(given, false) == utc, given);
    BOOST_TEST(bound(given, true) == utc, given);
  }
}

BOOST_AUTO_TEST_CASE(bounds_outside_the_years_1970_to_9999_in_utc_are_refused) {
  BOOST_TEST(bound("1970-01-01T00:30:00+01:00", false) == "<none>");
  BOOST_TEST(bound("1970-01-01T00:30:00-01:00", false) == "1970-01-01T01:30:00Z");
  BOOST_TEST(bound("9999-12-31T23:00:00-02:00", false) == "<none>");
}

BOOST_AUTO_TEST_CASE(control_characters_in_parameters_are_errors) {
  auto q = parse_query("/x?region=Almaty%00anything&document=kz%0a1995&ok=1&%09name=v");
  BOOST_TEST(q.params.size() == 1);
  BOOST_TEST(q.get("region") == nullptr);
  BOOST_TEST(fields(q.errors) == "?region ?document ?%09name");
}

BOOST_AUTO_TEST_CASE(malformed_bounds_are_refused) {
  for (const char* bad : {"",
                          "2026",
                          "2026-1-31",
                          "2026-01-32",
                          "2026-02-29",
                          "2026-13-01",
                          "1969-12-31",
                          "31.01.2026",
                          "2026-01-31T",
                          "2026-01-31T12",
                          "2026-01-31T12:00",
                          "2026-01-31T12:00:00",
                          "2026-01-31T25:00:00Z",
                          "2026-01-31T12:60:00Z",
                          "2026-01-31T12:00:00+5:00",
                          "2026-01-31T12:00:00+24:00",
                          "2026-01-31T12:00:00.Z",
                          "2026-01-31T12:00:00.1234567890123456789Z",
                          "2026-01-31 12:00:00Z",
                          "2026-01-31T12:00:00Zjunk"}) {
    BOOST_TEST(bound(bad, false) == "<none>", "'" << bad << "'");
  }
}

BOOST_AUTO_TEST_CASE(filter_defaults_to_the_default_document) {
  std::vector<usynys::domain::FieldError> errors;
  auto f = usynys::api::parse_filter(parse_query("/x"), "kz-1995", errors);
  BOOST_TEST(errors.empty());
  BOOST_TEST(f.document == "kz-1995");
  BOOST_TEST(!f.submitter_type.has_value());
  BOOST_TEST(!f.from.has_value());
}

BOOST_AUTO_TEST_CASE(filter_reads_every_parameter) {
  std::vector<usynys::domain::FieldError> errors;
  auto f = usynys::api::parse_filter(
      parse_query("/x?document=kz-2026-draft&submitter_type=expert&channel=hearing&language=ru"
                  "&region=%20Astana%20&from=2026-01-01&to=2026-01-31"),
      "kz-1995", errors);
  BOOST_TEST(fields(errors) == "");
  BOOST_TEST(f.document == "kz-2026-draft");
  BOOST_TEST(f.submitter_type.value_or("") == "expert");
  BOOST_TEST(f.channel.value_or("") == "hearing");
  BOOST_TEST(f.language.value_or("") == "ru");
  BOOST_TEST(f.region.value_or("") == "Astana");
  BOOST_TEST(f.from.value_or("") == "2026-01-01T00:00:00Z");
  BOOST_TEST(f.to.value_or("") == "2026-02-01T00:00:00Z");
}

BOOST_AUTO_TEST_CASE(filter_names_each_bad_parameter) {
  std::vector<usynys::domain::FieldError> errors;
  usynys::api::parse_filter(parse_query("/x?submitter_type=alien&channel=fax&language=de"
                                        "&region=%20&from=yesterday&to=2026-02-30"),
                            "kz-1995", errors);
  BOOST_TEST(fields(errors) == "?submitter_type ?channel ?language ?region ?from ?to");
}

BOOST_AUTO_TEST_SUITE_END()

// Run alone (ctest entry unit.bounds): a sanitizer build turns the defect into an abort.
BOOST_AUTO_TEST_SUITE(bounds)

BOOST_AUTO_TEST_CASE(time_bound_reads_nothing_past_a_truncated_value) {
  // parse_time_bound checks digits(v, 11, 2) and then reads v[13] (and digits(v, 14, 2) then
  // v[16]) without checking the size: a value of exactly 13 or 16 characters is read one byte
  // past its end. Each value here sits in a heap block of its exact size, so AddressSanitizer
  // reports the read; without a sanitizer the answer is still right and this case passes.
  for (const char* text : {"2026-01-31T12", "2026-01-31T12:00"}) {
    const std::size_t n = std::strlen(text);
    auto exact = std::make_unique<char[]>(n);
    std::memcpy(exact.get(), text, n);
    BOOST_TEST(!parse_time_bound(std::string_view(exact.get(), n), false).has_value(), text);
  }
}

BOOST_AUTO_TEST_SUITE_END()
