// Campaigns: GET /api/v1/stats/campaigns (public: sizes, articles, times and breakdowns, no
// text) and GET /api/v1/campaigns/{id} (analyst+: the representative's text and the members,
// each with the sentences it added to the representative).
#include "api/handlers.hpp"
#include "api/problem.hpp"
#include "api/request.hpp"
#include "match/near_duplicates.hpp"

namespace usynys::api::campaigns {

namespace bhttp = http::bhttp;
using domain::FieldError;
using nlohmann::json;

namespace {

constexpr std::int64_t kMaxListed = 1000;

}  // namespace

Answer stats(Services& s, Call& call) {
  std::vector<FieldError> errors = call.query.errors;
  reject_unknown(call.query, {"document", "min_size", "limit"}, errors);
  const std::string* slug = call.query.get("document");
  const std::string document = slug != nullptr ? *slug : s.catalog.default_slug;
  if (s.catalog.find(document) == nullptr) {
    errors.push_back({"?document", "no document " + document.substr(0, 64)});
  }
  const std::int64_t min_size = read_number(call.query, "min_size", 2, 2, 1000000000, errors);
  const std::int64_t limit = read_number(call.query, "limit", 100, 1, kMaxListed, errors);
  if (!errors.empty()) co_return bad_query(errors);
  const stats::CampaignList list =
      co_await s.store.campaigns(document, static_cast<int>(min_size), static_cast<int>(limit));
  json items = json::array();
  for (const stats::CampaignFigures& c : list.largest) {
    items.push_back({{"id", std::to_string(c.id)},
                     {"size", c.size},
                     {"articles", c.articles},
                     {"first_at", c.first_at.empty() ? json(nullptr) : json(c.first_at)},
                     {"last_at", c.last_at.empty() ? json(nullptr) : json(c.last_at)},
                     {"by_channel", c.by_channel},
                     {"by_submitter_type", c.by_submitter_type}});
  }
  json out = {{"document", document},
              {"min_size", min_size},
              {"campaigns_total", list.campaigns},
              {"proposals_in_campaigns", list.members},
              {"campaigns", std::move(items)}};
  co_return json_response(bhttp::status::ok, out);
}

Answer get(Services& s, Call& call) {
  const std::string& id = call.path_value("id");
  const std::optional<std::int64_t> n = parse_id(id);
  if (!n) co_return problem(bhttp::status::not_found, "no campaign " + id.substr(0, 64));
  std::vector<FieldError> errors = call.query.errors;
  reject_unknown(call.query, {"limit", "cursor"}, errors);
  const std::int64_t limit = read_limit(call.query, errors);
  std::optional<std::int64_t> after;
  if (const std::string* v = call.query.get("cursor")) {
    after = decode_cursor('c', *v);
    if (!after) errors.push_back({"?cursor", "is not a cursor this list gave out"});
  }
  if (!errors.empty()) co_return bad_query(errors);
  const store::CampaignRecord c = co_await s.staff.campaign(*n, after, limit + 1);
  json members = json::array();
  for (std::size_t i = 0; i < c.members.size() && i < static_cast<std::size_t>(limit); ++i) {
    const store::CampaignMember& m = c.members[i];
    std::string added;
    if (m.id != c.representative_id) {
      for (const std::string& sentence : match::added_sentences(m.text, c.representative_text)) {
        if (!added.empty()) added += ' ';
        added += sentence;
      }
    }
    members.push_back({{"id", std::to_string(m.id)},
                       {"received_at", m.received_at},
                       {"status", m.status},
                       {"representative", m.id == c.representative_id},
                       {"added_text", added}});
  }
  json next = nullptr;
  if (c.members.size() > static_cast<std::size_t>(limit)) {
    next = encode_cursor('c', c.members[static_cast<std::size_t>(limit) - 1].id);
  }
  json out = {{"id", std::to_string(c.id)},
              {"document", c.document},
              {"size", c.size},
              {"members_total", c.members_total},
              {"created_at", c.created_at},
              {"representative",
               {{"id", std::to_string(c.representative_id)}, {"text", c.representative_text}}},
              {"members", std::move(members)},
              {"next_cursor", std::move(next)}};
  co_return json_response(bhttp::status::ok, out);
}

}  // namespace usynys::api::campaigns
