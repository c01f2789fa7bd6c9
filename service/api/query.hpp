// Query strings and the statistics filters read from them. Pure.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "stats/filter.hpp"

namespace usynys::api {

// Decoded query parameters. A malformed escape, invalid UTF-8, or a parameter given twice is
// reported in `errors` (field "?name").
struct Query {
  std::map<std::string, std::string, std::less<>> params;
  std::vector<domain::FieldError> errors;
  const std::string* get(std::string_view name) const;
};

Query parse_query(std::string_view target);

// Decodes %XX escapes (and '+' as a space when plus_is_space, as in a query string); nullopt for
// a malformed escape or a result that is not valid UTF-8.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);

// Fails every parameter not in `allowed`.
void reject_unknown(const Query& q, const std::set<std::string, std::less<>>& allowed,
                    std::vector<domain::FieldError>& errors);

// A `from`/`to` value: a date YYYY-MM-DD or an RFC 3339 time (any UTC offset up to +-23:59, any
// number of fractional digits up to 18). `from` is inclusive; `to` is inclusive for a date (the
// whole day) and exclusive for a time. Returns the bound as an RFC 3339 time in UTC
// ("...T12:00:00Z", or with six fractional digits), a fraction finer than microseconds rounded
// up (stored times have microseconds: "t >= x" and "t < x" mean the same for x and its
// ceiling); nullopt when malformed or outside the years 1970 to 9999 in UTC.
std::optional<std::string> parse_time_bound(std::string_view v, bool upper);

// The filters shared by every statistics endpoint: document, submitter_type, channel, language,
// region, from, to. Unknown values are reported in `errors`; `document` falls back to
// `default_document`.
stats::Filter parse_filter(const Query& q, const std::string& default_document,
                           std::vector<domain::FieldError>& errors);

inline const std::set<std::string, std::less<>> kFilterParams = {
    "document", "submitter_type", "channel", "language", "region", "from", "to"};

}  // namespace usynys::api
