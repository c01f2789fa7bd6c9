#include "api/query.hpp"

#include <chrono>
#include <cstdio>

#include "domain/proposal.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"

namespace usynys::api {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
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
  std::optional<domain::Instant> t = domain::parse_rfc3339(v, true);
  if (!t) return std::nullopt;
  // A date as `to` includes its whole day.
  if (v.size() == 10 && upper) *t += std::chrono::days(1);
  return domain::format_utc(*t);
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
