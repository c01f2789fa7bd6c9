#include "api/request.hpp"

#include <boost/beast/core/string.hpp>
#include <cstring>

#include "api/json_body.hpp"
#include "api/problem.hpp"

namespace usynys::api {

namespace bhttp = http::bhttp;

bool is_json_content_type(std::string_view v) {
  auto semi = v.find(';');
  std::string_view type = v.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (!boost::beast::iequals(type, "application/json")) return false;
  if (semi == std::string_view::npos) return true;
  std::string lower;
  for (char c : v.substr(semi + 1)) {
    if (c != ' ' && c != '"')
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower.empty() || lower == "charset=utf-8";
}

std::variant<nlohmann::json, http::Response> read_json_body(const http::Request& req) {
  auto ct = req.find(bhttp::field::content_type);
  if (ct == req.end() || !is_json_content_type(ct->value())) {
    return problem(bhttp::status::unsupported_media_type,
                   "the body must be application/json (UTF-8)");
  }
  ParsedJson parsed = parse_strict_json(req.body());
  if (!parsed.ok) return problem(bhttp::status::bad_request, parsed.error);
  return std::move(parsed.value);
}

std::optional<std::int64_t> parse_id(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v <= 0) return std::nullopt;
  return v;
}

std::int64_t read_number(const Query& q, std::string_view name, std::int64_t fallback,
                         std::int64_t low, std::int64_t high,
                         std::vector<domain::FieldError>& errors) {
  const std::string* v = q.get(name);
  if (v == nullptr) return fallback;
  const std::optional<std::int64_t> n = *v == "0" ? std::optional<std::int64_t>(0) : parse_id(*v);
  if (!n || *n < low || *n > high) {
    errors.push_back(
        {"?" + std::string(name),
         "must be a whole number from " + std::to_string(low) + " to " + std::to_string(high)});
    return fallback;
  }
  return *n;
}

std::int64_t read_limit(const Query& q, std::vector<domain::FieldError>& errors) {
  return read_number(q, "limit", kDefaultLimit, 1, kMaxLimit, errors);
}

namespace {

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

namespace {

std::string base64url(std::string_view raw) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : raw) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kBase64Url[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += kBase64Url[(acc << (6 - bits)) & 63];
  return out;
}

// The payload of a cursor of `kind` ("<kind>:<payload>"), nullopt when it is not one.
std::optional<std::string> cursor_payload(char kind, std::string_view s) {
  if (s.empty() || s.size() > 64) return std::nullopt;
  std::string raw;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    const char* p = std::strchr(kBase64Url, c);
    if (c == '\0' || p == nullptr) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(p - kBase64Url);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      raw += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  if (raw.size() < 3 || raw[0] != kind || raw[1] != ':') return std::nullopt;
  return raw.substr(2);
}

}  // namespace

std::string encode_cursor(char kind, std::int64_t id) {
  return base64url(std::string(1, kind) + ":" + std::to_string(id));
}

std::optional<std::int64_t> decode_cursor(char kind, std::string_view s) {
  const std::optional<std::string> payload = cursor_payload(kind, s);
  if (!payload) return std::nullopt;
  return parse_id(*payload);
}

std::string encode_cursor(char kind, std::int64_t first, std::int64_t second) {
  return base64url(std::string(1, kind) + ":" + std::to_string(first) + ":" +
                   std::to_string(second));
}

std::optional<std::pair<std::int64_t, std::int64_t>> decode_pair_cursor(char kind,
                                                                        std::string_view s) {
  const std::optional<std::string> payload = cursor_payload(kind, s);
  if (!payload) return std::nullopt;
  const auto colon = payload->find(':');
  if (colon == std::string::npos) return std::nullopt;
  const std::optional<std::int64_t> first = parse_id(std::string_view(*payload).substr(0, colon));
  const std::optional<std::int64_t> second = parse_id(std::string_view(*payload).substr(colon + 1));
  if (!first || !second) return std::nullopt;
  return std::make_pair(*first, *second);
}

void read_cursor(const Query& q, char kind, std::optional<std::int64_t>& before,
                 std::vector<domain::FieldError>& errors) {
  if (const std::string* v = q.get("cursor")) {
    before = decode_cursor(kind, *v);
    if (!before) errors.push_back({"?cursor", "is not a cursor this list gave out"});
  }
}

http::Response bad_query(const std::vector<domain::FieldError>& errors) {
  return problem(bhttp::status::unprocessable_entity, "bad query parameters", errors);
}

void require_valid_query(const std::vector<domain::FieldError>& errors) {
  if (!errors.empty()) {
    throw domain::Error(domain::ErrorKind::invalid, "bad query parameters", errors);
  }
}

}  // namespace usynys::api
