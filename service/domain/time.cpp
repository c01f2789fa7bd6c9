#include "domain/time.hpp"

#include <cstdio>

namespace usynys::domain {
namespace {

// Digits after the seconds' point that a time may have (RFC 3339 sets no limit; beyond
// microseconds they only round the time up).
constexpr std::size_t kMaxFractionDigits = 18;

bool digits(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return false;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

int number(std::string_view s, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

}  // namespace

std::string format_utc(Instant t) {
  using namespace std::chrono;
  const sys_days day_start = floor<days>(t);
  const year_month_day d(day_start);
  const hh_mm_ss<microseconds> time(t - day_start);
  char buf[48];
  const auto frac = time.subseconds().count();
  if (frac == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ",
                  static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()), static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()), static_cast<long long>(frac));
  }
  return buf;
}

std::optional<Instant> parse_rfc3339(std::string_view v, bool dates) {
  using namespace std::chrono;
  if (!digits(v, 0, 4) || v.size() < 10 || v[4] != '-' || !digits(v, 5, 2) || v[7] != '-' ||
      !digits(v, 8, 2)) {
    return std::nullopt;
  }
  year_month_day d{year(number(v, 0, 4)), month(static_cast<unsigned>(number(v, 5, 2))),
                   day(static_cast<unsigned>(number(v, 8, 2)))};
  if (!d.ok() || d.year() < year(1970)) return std::nullopt;
  if (v.size() == 10) {
    if (!dates) return std::nullopt;
    return Instant(sys_days(d));
  }
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  if (v.size() < 20 || (v[10] != 'T' && v[10] != 't') || !digits(v, 11, 2) || v[13] != ':' ||
      !digits(v, 14, 2) || v[16] != ':' || !digits(v, 17, 2)) {
    return std::nullopt;
  }
  const int hh = number(v, 11, 2);
  const int mm = number(v, 14, 2);
  const int ss = number(v, 17, 2);
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  std::size_t i = 19;
  // Stored times have microseconds. A finer bound is rounded up to the next microsecond: for
  // times of microsecond resolution, t >= x and t < x mean the same for x and its ceiling.
  std::int64_t micros = 0;
  bool finer = false;
  if (i < v.size() && v[i] == '.') {
    std::size_t start = ++i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
      const std::size_t n = i - start;
      if (n < 6) {
        micros = micros * 10 + (v[i] - '0');
      } else if (v[i] != '0') {
        finer = true;
      }
      ++i;
    }
    if (i == start || i - start > kMaxFractionDigits) return std::nullopt;
    for (std::size_t n = i - start; n < 6; ++n) micros *= 10;
  }
  std::string_view zone = v.substr(i);
  int offset_minutes = 0;
  if (zone != "Z" && zone != "z") {
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !digits(zone, 1, 2) ||
        zone[3] != ':' || !digits(zone, 4, 2) || number(zone, 1, 2) > 23 ||
        number(zone, 4, 2) > 59) {
      return std::nullopt;
    }
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (number(zone, 1, 2) * 60 + number(zone, 4, 2));
  }
  // A leap second (SS = 60) is the first instant of the next minute, as PostgreSQL reads it.
  const sys_time<microseconds> utc = sys_days(d) + hours(hh) + minutes(mm) + seconds(ss) +
                                     microseconds(micros + (finer ? 1 : 0)) -
                                     minutes(offset_minutes);
  const year y = year_month_day(floor<days>(utc)).year();
  if (y < year(1970) || y > year(9999)) return std::nullopt;
  return utc;
}

}  // namespace usynys::domain
