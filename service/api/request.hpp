// What several handlers read from a request the same way: a JSON body, ids, page limits and
// cursors. Pure apart from the Response values they build.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/query.hpp"
#include "domain/error.hpp"
#include "http/server.hpp"

namespace usynys::api {

inline constexpr std::int64_t kDefaultLimit = 50;
inline constexpr std::int64_t kMaxLimit = 500;

// Content-Type application/json, optionally with charset=utf-8 (any case, quotes, spaces).
bool is_json_content_type(std::string_view value);

// The body of a request that must be JSON: the parsed value, or the answer to send instead
// (415 for another Content-Type, 400 for a body that is not strict JSON, see json_body.hpp).
std::variant<nlohmann::json, http::Response> read_json_body(const http::Request& req);

// A positive decimal id of at most 18 digits (fits an int64); nullopt for anything else.
std::optional<std::int64_t> parse_id(std::string_view s);

// ?name: a whole number from low to high, `fallback` when absent (an error in `errors`, and
// `fallback`, for anything else).
std::int64_t read_number(const Query& q, std::string_view name, std::int64_t fallback,
                         std::int64_t low, std::int64_t high,
                         std::vector<domain::FieldError>& errors);

// ?limit: 1 to kMaxLimit, kDefaultLimit when absent.
std::int64_t read_limit(const Query& q, std::vector<domain::FieldError>& errors);

// Keyset cursors are opaque to clients: base64url (no padding) of "<kind>:<last id>". `kind`
// keeps the cursor of one list from being used on another.
std::string encode_cursor(char kind, std::int64_t id);
std::optional<std::int64_t> decode_cursor(char kind, std::string_view s);
// The same for a key of two positive numbers ("<kind>:<first>:<second>").
std::string encode_cursor(char kind, std::int64_t first, std::int64_t second);
std::optional<std::pair<std::int64_t, std::int64_t>> decode_pair_cursor(char kind,
                                                                        std::string_view s);
// ?cursor of the list of `kind`, into `before` (ids below it); an error when it is not one.
void read_cursor(const Query& q, char kind, std::optional<std::int64_t>& before,
                 std::vector<domain::FieldError>& errors);

// 422 "bad query parameters" with the errors.
http::Response bad_query(const std::vector<domain::FieldError>& errors);
// Throws domain::Error{invalid} "bad query parameters" (rendered as that 422) when there are
// errors.
void require_valid_query(const std::vector<domain::FieldError>& errors);

}  // namespace usynys::api
