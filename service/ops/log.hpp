// Structured logging: one JSON object per line on standard output. Thread-safe. Callers never
// pass proposal texts, names, identifiers or tokens.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace usynys::ops {

// Adds "ts" (RFC 3339 UTC, milliseconds) and "level", then writes the line in one call.
void log(const std::string& level, const nlohmann::json& fields);

// RFC 3339 UTC with milliseconds, for now.
std::string now_rfc3339();

}  // namespace usynys::ops
