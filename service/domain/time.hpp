// RFC 3339 times as usynys reads and writes them: any UTC offset RFC 3339 allows (up to
// +-23:59), any number of fractional digits up to 18, leap seconds read as the next minute's
// first instant, all kept as microseconds in UTC (what PostgreSQL stores). Pure.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace usynys::domain {

using Instant = std::chrono::sys_time<std::chrono::microseconds>;

// The instant of an RFC 3339 time ("2026-01-31T12:00:00+05:00") or, when `dates` is true, of a
// date ("2026-01-31", its first instant). A fraction finer than microseconds is rounded up (for
// times stored with microseconds, "t >= x" and "t < x" mean the same for x and its ceiling).
// nullopt when malformed or outside the years 1970 to 9999 in UTC.
std::optional<Instant> parse_rfc3339(std::string_view v, bool dates);

// "2026-01-31T12:00:00Z", with six fractional digits when there is a fraction.
std::string format_utc(Instant t);

}  // namespace usynys::domain
