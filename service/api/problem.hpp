// application/problem+json answers (RFC 9457) and JSON answers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "domain/error.hpp"
#include "http/server.hpp"

namespace usynys::api {

http::Response problem(http::bhttp::status status, const std::string& detail,
                       const std::vector<domain::FieldError>& errors = {});
http::Response json_response(http::bhttp::status status, const nlohmann::json& body);
// The text json_response sends: compact, invalid UTF-8 replaced.
std::string json_text(const nlohmann::json& body);

}  // namespace usynys::api
