#include "api/query.hpp"

#include <chrono>
#include <cstdio>

#include "domain/proposal.hpp"
#include "domain/text.hpp"

namespace usynys::api {
namespace {

// Digits after the seconds' point that a bound may have (RFC 3339 sets no limit; beyond
// microseconds they only round the bound up).
constexpr std::size_t kMaxFractionDigits = 18;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

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

// RFC 3339 in UTC: "2026-01-31T12:00:00Z", with six fractional digits when there is a fraction.
std::string format_utc(std::chrono::sys_time<std::chrono::microseconds> t) {
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

template <std::size_t N>
void enum_param(const Query& q, const char* name, const std::array<std::string_view, N>& values,
                std::optional<std::string>& out, std::vector<domain::FieldError>& errors) {
  const std::string* v = q.get(name);
  if (v == nullptr) return;
  if (!domain::one_of(values, *v)) {
    std::string msg = "must be one of:";
    for (std::string_view x : values) msg += std::string(" ") + std::string(x);
    errors.push_back({std::string("?") + name, msg});
    return;
  }
  out = *v;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+' && plus_is_space) {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  if (!domain::valid_utf8(out)) return std::nullopt;
  return out;
}

const std::string* Query::get(std::string_view name) const {
  auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

Query parse_query(std::string_view target) {
  Query q;
  auto qm = target.find('?');
  if (qm == std::string_view::npos) return q;
  std::string_view rest = target.substr(qm + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view part = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    auto name = percent_decode(part.substr(0, eq), true);
    auto value = percent_decode(
        eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1), true);
    if (!name || !value) {
      q.errors.push_back({"?" + std::string(part.substr(0, std::min<std::size_t>(eq, 64))),
                          "is not a well-formed, UTF-8, percent-encoded parameter"});
      continue;
    }
    if (domain::has_any_control_char(*name) || domain::has_any_control_char(*value)) {
      // A NUL would cut the value short on its way to libpq; no filter holds control characters.
      q.errors.push_back({"?" + std::string(part.substr(0, std::min<std::size_t>(eq, 64))),
                          "must not contain control characters"});
      continue;
    }
    if (!q.params.emplace(*name, *value).second) {
      q.errors.push_back({"?" + *name, "is given more than once"});
    }
  }
  return q;
}

void reject_unknown(const Query& q, const std::set<std::string, std::less<>>& allowed,
                    std::vector<domain::FieldError>& errors) {
  for (const auto& [name, value] : q.params) {
    if (!allowed.contains(name)) errors.push_back({"?" + name, "is not a known parameter"});
  }
}

std::optional<std::string> parse_time_bound(std::string_view v, bool upper) {
  using namespace std::chrono;
  if (!digits(v, 0, 4) || v.size() < 10 || v[4] != '-' || !digits(v, 5, 2) || v[7] != '-' ||
      !digits(v, 8, 2)) {
    return std::nullopt;
  }
  year_month_day d{year(number(v, 0, 4)), month(static_cast<unsigned>(number(v, 5, 2))),
                   day(static_cast<unsigned>(number(v, 8, 2)))};
  if (!d.ok() || d.year() < year(1970)) return std::nullopt;
  if (v.size() == 10) {
    return format_utc(sys_days(upper ? year_month_day(sys_days(d) + days(1)) : d));
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
  return format_utc(utc);
}

stats::Filter parse_filter(const Query& q, const std::string& default_document,
                           std::vector<domain::FieldError>& errors) {
  stats::Filter f;
  const std::string* doc = q.get("document");
  f.document = doc != nullptr ? *doc : default_document;
  enum_param(q, "submitter_type", domain::kSubmitterTypes, f.submitter_type, errors);
  enum_param(q, "channel", domain::kChannels, f.channel, errors);
  enum_param(q, "language", domain::kLanguages, f.language, errors);
  if (const std::string* region = q.get("region")) {
    std::string r = domain::normalize_text(*region);
    if (r.empty() || domain::code_points(r) > domain::kMaxRegionChars) {
      errors.push_back({"?region", "must be 1 to 100 characters"});
    } else {
      f.region = r;
    }
  }
  for (const char* name : {"from", "to"}) {
    const std::string* v = q.get(name);
    if (v == nullptr) continue;
    auto bound = parse_time_bound(*v, std::string_view(name) == "to");
    if (!bound) {
      errors.push_back({std::string("?") + name,
                        "must be a date (YYYY-MM-DD) or an RFC 3339 time (2026-01-31T12:00:00Z)"});
    } else {
      (std::string_view(name) == "to" ? f.to : f.from) = bound;
      if (v->size() != 10) f.whole_days = false;
    }
  }
  return f;
}

}  // namespace usynys::api
