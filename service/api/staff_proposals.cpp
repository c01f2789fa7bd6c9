// Proposals for staff (any role): the filtered, keyset-paged list, and one proposal with its
// personal fields.
#include "api/handlers.hpp"
#include "api/problem.hpp"
#include "api/records.hpp"
#include "api/request.hpp"
#include "api/staff_query.hpp"

namespace usynys::api::staff_proposals {

namespace bhttp = http::bhttp;
using domain::FieldError;
using nlohmann::json;

Answer list(Services& s, Call& call) {
  store::ProposalQuery pq;
  std::vector<FieldError> errors;
  read_proposal_query(s, call.query, {"cursor", "limit"}, pq, errors);
  const std::int64_t limit = read_limit(call.query, errors);
  read_cursor(call.query, 'p', pq.before_id, errors);
  if (!errors.empty()) co_return bad_query(errors);
  // One more row than asked tells whether there is a next page.
  pq.limit = limit + 1;
  std::vector<store::ProposalRecord> rows = co_await s.staff.proposals(std::move(pq));
  json items = json::array();
  json next = nullptr;
  for (std::size_t i = 0; i < rows.size() && i < static_cast<std::size_t>(limit); ++i) {
    items.push_back(proposal_record_json(rows[i]));
  }
  if (rows.size() > static_cast<std::size_t>(limit)) next = encode_cursor('p', rows[limit - 1].id);
  co_return json_response(bhttp::status::ok,
                          {{"items", std::move(items)}, {"next_cursor", next}, {"limit", limit}});
}

Answer get(Services& s, Call& call) {
  std::vector<FieldError> errors = call.query.errors;
  reject_unknown(call.query, {}, errors);
  if (!errors.empty()) co_return bad_query(errors);
  const std::string& id = call.path_value("id");
  std::optional<std::int64_t> n = parse_id(id);
  if (!n) co_return problem(bhttp::status::not_found, "no proposal " + id.substr(0, 64));
  store::ProposalQuery pq;
  pq.id = n;
  pq.limit = 1;
  std::vector<store::ProposalRecord> rows = co_await s.staff.proposals(std::move(pq));
  if (rows.empty()) co_return problem(bhttp::status::not_found, "no proposal " + id);
  co_return json_response(bhttp::status::ok, proposal_record_json(rows.front()));
}

}  // namespace usynys::api::staff_proposals
