// Structured logging: one JSON object per line on standard output. Thread-safe. Callers never
// pass proposal texts, names, identifiers or tokens.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace usynys::ops {

// Adds "ts" (RFC 3339 UTC, milliseconds) and "level", then writes the line in one call.
void log(const std::string& level, const nlohmann::json& fields);

// The line of one answered request: {"event":"request","id":..,"level":"info","method":..,
// "ms":..,"path":..,"peer":..,"status":..,"ts":..}, the fields log() would write, formatted
// directly (it runs for every request). Bytes outside printable ASCII are written as \u00XX.
void log_request(std::string_view id, std::string_view peer, std::string_view method,
                 std::string_view path, unsigned status, double ms);

// RFC 3339 UTC with milliseconds, for now.
std::string now_rfc3339();

}  // namespace usynys::ops
