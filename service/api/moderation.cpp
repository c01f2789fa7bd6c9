// POST /api/v1/proposals/{id}/moderation (moderator+): hides or shows a proposal, with a reason,
// in one transaction with its audit entry; POST /api/v1/campaigns/{id}/moderation does the same
// for every member of a campaign at once, one audit entry per member changed. The rules are
// domain::validate(ModerationInput).
#include "domain/moderation.hpp"
#include "api/handlers.hpp"
#include "api/json_body.hpp"
#include "api/problem.hpp"
#include "api/request.hpp"
#include "ops/log.hpp"

namespace usynys::api::moderation {

namespace bhttp = http::bhttp;
using domain::FieldError;
using nlohmann::json;

namespace {

std::optional<std::string> string_member(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// The body of a moderation request, checked: the status and reason, or the answer to send.
std::variant<domain::ValidModeration, http::Response> read_moderation(const http::Request& req) {
  auto read = read_json_body(req);
  if (auto* refused = std::get_if<http::Response>(&read)) return std::move(*refused);
  const json& body = std::get<json>(read);
  std::vector<FieldError> errors;
  domain::ValidModeration valid;
  if (!body.is_object()) {
    errors.push_back({"", "must be an object with status and reason"});
  } else {
    for (const auto& [key, value] : body.items()) {
      if (key != "status" && key != "reason") {
        errors.push_back({"/" + pointer_token(key), "is not a known field"});
      }
    }
    const domain::ModerationInput in{string_member(body, "status"), string_member(body, "reason")};
    for (FieldError& e : domain::validate(in, valid)) errors.push_back(std::move(e));
  }
  if (!errors.empty()) {
    return problem(bhttp::status::unprocessable_entity, "the moderation request is invalid",
                   errors);
  }
  return valid;
}

}  // namespace

Answer moderate(Services& s, Call& call) {
  const std::string& id = call.path_value("id");
  std::optional<std::int64_t> n = parse_id(id);
  if (!n) co_return problem(bhttp::status::not_found, "no proposal " + id.substr(0, 64));
  auto read = read_moderation(call.request);
  if (auto* refused = std::get_if<http::Response>(&read)) co_return std::move(*refused);
  const domain::ValidModeration valid = std::get<domain::ValidModeration>(read);
  const std::string actor = call.who().name;
  store::ModerationResult m = co_await s.staff.moderate(*n, valid.status, valid.reason, actor);
  if (m.changed) {
    ops::log("info", {{"event", "moderation"},
                      {"actor", actor},
                      {"proposal", *n},
                      {"from", m.from},
                      {"to", m.to},
                      {"audit_id", *m.audit_id}});
  }
  json out = {{"id", std::to_string(*n)},
              {"status", m.to},
              {"previous_status", m.from},
              {"changed", m.changed},
              {"audit_id", m.audit_id ? json(std::to_string(*m.audit_id)) : json(nullptr)},
              {"at", m.at ? json(*m.at) : json(nullptr)}};
  co_return json_response(bhttp::status::ok, out);
}

Answer moderate_campaign(Services& s, Call& call) {
  const std::string& id = call.path_value("id");
  std::optional<std::int64_t> n = parse_id(id);
  if (!n) co_return problem(bhttp::status::not_found, "no campaign " + id.substr(0, 64));
  auto read = read_moderation(call.request);
  if (auto* refused = std::get_if<http::Response>(&read)) co_return std::move(*refused);
  const domain::ValidModeration valid = std::get<domain::ValidModeration>(read);
  const std::string actor = call.who().name;
  const std::int64_t campaign = *n;
  store::CampaignModeration m =
      co_await s.staff.moderate_campaign(campaign, valid.status, valid.reason, actor);
  const auto audit_id = [](const std::optional<std::int64_t>& v) {
    return v ? json(std::to_string(*v)) : json(nullptr);
  };
  if (m.changed > 0) {
    ops::log("info", {{"event", "campaign_moderation"},
                      {"actor", actor},
                      {"campaign", campaign},
                      {"to", valid.status},
                      {"changed", m.changed}});
  }
  json out = {{"id", std::to_string(campaign)},
              {"status", valid.status},
              {"changed", m.changed},
              {"first_audit_id", audit_id(m.first_audit_id)},
              {"last_audit_id", audit_id(m.last_audit_id)}};
  co_return json_response(bhttp::status::ok, out);
}

}  // namespace usynys::api::moderation
