// GET /api/v1/session (any staff role): who holds the bearer token and with which role, so that
// a client (the staff console) offers only what the role may do. The API checks the role of
// every action all the same.
#include "api/handlers.hpp"
#include "api/problem.hpp"
#include "api/query.hpp"
#include "api/request.hpp"

namespace usynys::api::session {

namespace bhttp = http::bhttp;

Answer get(Services& /*s*/, Call& call) {
  std::vector<domain::FieldError> errors = call.query.errors;
  reject_unknown(call.query, {}, errors);
  if (!errors.empty()) co_return bad_query(errors);
  http::Response res = json_response(
      bhttp::status::ok, {{"name", call.who().name}, {"role", role_name(call.who().role)}});
  res.set(bhttp::field::cache_control, "no-store");
  co_return res;
}

}  // namespace usynys::api::session
