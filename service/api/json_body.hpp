// Strict JSON for request bodies: valid UTF-8, no duplicate keys, bounded nesting, finite
// numbers. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace usynys::api {

inline constexpr int kMaxJsonDepth = 16;

struct ParsedJson {
  bool ok = false;
  nlohmann::json value;
  std::string error;  // why it is not acceptable, for a 400 detail
};

ParsedJson parse_strict_json(std::string_view body, int max_depth = kMaxJsonDepth);

// A JSON Pointer token for an object key (RFC 6901: "~" -> "~0", "/" -> "~1").
std::string pointer_token(std::string_view key);

}  // namespace usynys::api
