// POST /api/v1/proposals: a submission, checked field by field (422 naming each), stored by the
// group-commit intake and answered 201 only once committed.
#include "api/handlers.hpp"
#include "api/problem.hpp"
#include "api/proposal_dto.hpp"
#include "api/request.hpp"

namespace usynys::api::proposals {

namespace bhttp = http::bhttp;
using domain::FieldError;
using nlohmann::json;

namespace {

// 1 to 200 printable ASCII characters.
bool valid_idempotency_key(std::string_view k) {
  if (k.empty() || k.size() > 200) return false;
  for (char c : k) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

Answer submit(Services& s, Call& call) {
  const http::Request& req = call.request;
  auto body = read_json_body(req);
  if (auto* refused = std::get_if<http::Response>(&body)) co_return std::move(*refused);
  const json& value = std::get<json>(body);
  std::optional<std::string> key;
  if (auto k = req.find("Idempotency-Key"); k != req.end()) {
    if (!valid_idempotency_key(k->value())) {
      co_return problem(bhttp::status::bad_request,
                        "Idempotency-Key must be 1 to 200 printable ASCII characters");
    }
    key = std::string(k->value());
  }

  domain::ValidProposal valid;
  const std::vector<FieldError> errors = check_proposal(value, s.catalog, {}, valid);
  if (!errors.empty()) {
    co_return problem(bhttp::status::unprocessable_entity,
                      "the proposal breaks " + std::to_string(errors.size()) +
                          (errors.size() == 1 ? " rule" : " rules"),
                      errors);
  }
  // The fingerprint of a request is its canonical JSON: same content, same fingerprint. Only
  // an idempotency key needs one.
  std::string fingerprint = key ? value.dump() : std::string();
  domain::StoredProposal stored =
      co_await s.intake.submit(std::move(valid), std::move(key), std::move(fingerprint));
  http::Response res = json_response(bhttp::status::created, stored_proposal_json(stored));
  res.set(bhttp::field::location, "/api/v1/proposals/" + std::to_string(stored.id));
  if (stored.replayed) res.set("Idempotent-Replayed", "true");
  s.metrics.proposals(stored.replayed ? "replayed" : "stored", 1);
  co_return res;
}

}  // namespace usynys::api::proposals
