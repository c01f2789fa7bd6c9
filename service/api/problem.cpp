#include "api/problem.hpp"

namespace usynys::api {

namespace bhttp = http::bhttp;

http::Response problem(bhttp::status status, const std::string& detail,
                       const std::vector<domain::FieldError>& errors) {
  const std::string title(bhttp::obsolete_reason(status));
  nlohmann::json body = {{"type", "about:blank"},
                         {"title", title},
                         {"status", static_cast<int>(status)},
                         {"detail", detail}};
  if (!errors.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : errors) list.push_back({{"field", e.field}, {"message", e.message}});
    body["errors"] = std::move(list);
  }
  http::Response res{status, 11};
  res.set(bhttp::field::content_type, "application/problem+json");
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = json_text(body);
  return res;
}

std::string json_text(const nlohmann::json& body) {
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

http::Response json_response(bhttp::status status, const nlohmann::json& body) {
  http::Response res{status, 11};
  res.set(bhttp::field::content_type, "application/json");
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = json_text(body);
  return res;
}

}  // namespace usynys::api
