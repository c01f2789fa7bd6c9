// The statistics' time bounds against PostgreSQL's own reading of times: every bound the parser
// accepts is a time PostgreSQL accepts, for the same instant as the value given (to the
// microsecond stored times have), whatever its UTC offset or fractional digits.
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <random>
#include <string>

#include "api/query.hpp"
#include "support/db.hpp"

namespace {

using usynys::api::parse_time_bound;

// A candidate time: mostly well formed, with offsets and fractions of every length, leap
// seconds, month ends and out-of-range fields mixed in.
std::string candidate(std::mt19937_64& rng) {
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  char buf[96];
  const int year = pick(0, 9) == 0 ? pick(1960, 9999) : pick(1969, 2040);
  const int month = pick(0, 19) == 0 ? pick(0, 13) : pick(1, 12);
  const int day = pick(0, 9) == 0 ? pick(28, 32) : pick(1, 28);
  if (pick(0, 9) == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
  }
  const int hour = pick(0, 19) == 0 ? pick(23, 25) : pick(0, 23);
  const int minute = pick(0, 59);
  const int second = pick(0, 9) == 0 ? pick(58, 61) : pick(0, 59);
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute,
                second);
  std::string s = buf;
  if (pick(0, 2) == 0) {
    s += '.';
    const int digits = pick(0, 4) == 0 ? pick(7, 20) : pick(1, 6);
    for (int i = 0; i < digits; ++i) s += static_cast<char>('0' + pick(0, 9));
  }
  switch (pick(0, 3)) {
    case 0:
      s += 'Z';
      break;
    case 1:
      s += 'z';
      break;
    default: {
      std::snprintf(buf, sizeof buf, "%c%02d:%02d", pick(0, 1) == 0 ? '+' : '-',
                    pick(0, 4) == 0 ? pick(14, 24) : pick(0, 14), pick(0, 4) == 0 ? 59 : 0);
      s += buf;
    }
  }
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(time_bounds)

BOOST_AUTO_TEST_CASE(every_accepted_bound_is_the_instant_postgresql_reads) {
  usynys::test::Db db;
  pqxx::connection& c = db.connection();
  std::mt19937_64 rng(20261201);
  int accepted = 0;
  int compared = 0;
  int beyond_postgresql = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::string given = candidate(rng);
    const bool upper = (i % 2) == 1;
    const std::optional<std::string> bound = parse_time_bound(given, upper);
    if (!bound) continue;
    ++accepted;
    // What we pass on must always be read by PostgreSQL, as exactly that UTC instant.
    pqxx::work tx(c);
    tx.exec("SET LOCAL TIME ZONE 'UTC'");
    const pqxx::row ours = tx.exec_params1(
        "SELECT to_char($1::timestamptz, 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
        "extract(epoch FROM $1::timestamptz)::numeric",
        *bound);
    BOOST_TEST(!ours[0].is_null(), given);
    if (given.size() == 10) continue;  // a date: whole days, checked by the unit tests
    // Where PostgreSQL reads the value given itself, it is the same instant to the microsecond
    // (PostgreSQL rounds a finer fraction to the nearest microsecond, the parser up).
    tx.exec("SAVEPOINT given");
    try {
      const pqxx::row theirs = tx.exec_params1(
          "SELECT abs(extract(epoch FROM $1::timestamptz)::numeric - $2::numeric) <= 0.000001",
          given, ours[1].as<std::string>());
      BOOST_TEST(theirs[0].as<bool>(), given << " -> " << *bound);
      ++compared;
    } catch (const pqxx::data_exception&) {
      // PostgreSQL refuses offsets past 15:59; RFC 3339 allows them, and so does the parser.
      tx.exec("ROLLBACK TO SAVEPOINT given");
      ++beyond_postgresql;
      const bool big_offset = given.size() >= 6 &&
                              (given[given.size() - 6] == '+' || given[given.size() - 6] == '-') &&
                              std::stoi(given.substr(given.size() - 5, 2)) >= 16;
      BOOST_TEST(big_offset, "PostgreSQL refuses " << given << ", which the parser accepts");
    }
  }
  BOOST_TEST_MESSAGE("accepted " << accepted << ", compared " << compared << ", beyond "
                                 << beyond_postgresql);
  BOOST_TEST(compared > 500);
  BOOST_TEST(beyond_postgresql > 10);
}

BOOST_AUTO_TEST_SUITE_END()
