// GET /api/v1/audit (admin): the audit log (moderation and article map confirmations), newest
// first, keyset-paged, by proposal or actor.
#include "api/handlers.hpp"
#include "api/problem.hpp"
#include "api/request.hpp"

namespace usynys::api::audit {

namespace bhttp = http::bhttp;
using domain::FieldError;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxActorChars = 64;

}  // namespace

Answer list(Services& s, Call& call) {
  const Query& q = call.query;
  std::vector<FieldError> errors = q.errors;
  reject_unknown(q, {"cursor", "limit", "proposal", "actor"}, errors);
  store::AuditQuery aq;
  const std::int64_t limit = read_limit(q, errors);
  read_cursor(q, 'a', aq.before_id, errors);
  if (const std::string* p = q.get("proposal")) {
    aq.proposal_id = parse_id(*p);
    if (!aq.proposal_id) errors.push_back({"?proposal", "must be a proposal id"});
  }
  if (const std::string* a = q.get("actor")) {
    if (a->empty() || a->size() > kMaxActorChars) {
      errors.push_back({"?actor", "must be a token name (1 to 64 characters)"});
    } else {
      aq.actor = *a;
    }
  }
  if (!errors.empty()) co_return bad_query(errors);
  aq.limit = limit + 1;
  std::vector<store::AuditEntry> rows = co_await s.staff.audit(std::move(aq));
  json items = json::array();
  for (std::size_t i = 0; i < rows.size() && i < static_cast<std::size_t>(limit); ++i) {
    const store::AuditEntry& e = rows[i];
    items.push_back(
        {{"id", std::to_string(e.id)},
         {"at", e.at},
         {"actor", e.actor},
         {"action", e.action},
         {"proposal_id", e.proposal_id ? json(std::to_string(*e.proposal_id)) : json(nullptr)},
         {"subject", e.subject ? json(*e.subject) : json(nullptr)},
         {"from", e.from},
         {"to", e.to},
         {"reason", e.reason}});
  }
  json next = nullptr;
  if (rows.size() > static_cast<std::size_t>(limit)) next = encode_cursor('a', rows[limit - 1].id);
  co_return json_response(bhttp::status::ok,
                          {{"items", std::move(items)}, {"next_cursor", next}, {"limit", limit}});
}

}  // namespace usynys::api::audit
