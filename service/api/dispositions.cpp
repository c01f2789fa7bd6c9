// Dispositions: PUT /api/v1/proposals/{id}/disposition and PUT /api/v1/campaigns/{id}/disposition
// (moderator+) record what the commission decided, why, and which articles of a draft answer it,
// audited; GET /api/v1/stats/dispositions (public) counts the decisions standing, undecided
// proposals included, overall, per submitter type, per channel and per article, with the
// proposals each article answers.
#include <set>

#include "api/handlers.hpp"
#include "api/problem.hpp"
#include "api/proposal_dto.hpp"
#include "api/request.hpp"
#include "domain/disposition.hpp"
#include "domain/moderation.hpp"
#include "ops/log.hpp"

namespace usynys::api::dispositions {

namespace bhttp = http::bhttp;
using domain::FieldError;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxAnswering = 50;

// answered_by: {"document", "articles":[ids]} naming articles in force of a document served,
// each once; stored in document order.
void read_answered_by(const json& v, const domain::Catalog& catalog, domain::Disposition& out,
                      std::vector<FieldError>& errors) {
  if (v.is_null()) return;
  if (!v.is_object()) {
    errors.push_back({"/answered_by", "must be an object with document and articles, or null"});
    return;
  }
  check_known(v, {"document", "articles"}, "/answered_by", errors);
  const domain::Document* doc = nullptr;
  auto d = v.find("document");
  if (d == v.end() || !d->is_string()) {
    errors.push_back({"/answered_by/document", "is required: the slug of a document"});
  } else if ((doc = catalog.find(d->get<std::string>())) == nullptr) {
    errors.push_back(
        {"/answered_by/document", "no document " + d->get<std::string>().substr(0, 64)});
  }
  auto a = v.find("articles");
  if (a == v.end() || !a->is_array() || a->empty() || a->size() > kMaxAnswering) {
    errors.push_back({"/answered_by/articles", "must be 1 to 50 article ids"});
    return;
  }
  if (doc == nullptr) return;
  std::set<int> positions;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const std::string field = "/answered_by/articles/" + std::to_string(i);
    const std::optional<std::string> id = article_id((*a)[i]);
    const domain::Article* art = id ? doc->find(*id) : nullptr;
    if (!id) {
      errors.push_back({field, "must be an article id"});
    } else if (art == nullptr) {
      errors.push_back({field, "no article " + id->substr(0, 64) + " in " + doc->slug});
    } else if (art->repealed) {
      errors.push_back({field, "article " + *id + " is not in force in " + doc->slug});
    } else if (!positions.insert(art->position).second) {
      errors.push_back({field, "article " + *id + " is named twice"});
    }
  }
  out.answered_document = doc->slug;
  for (int p : positions) out.answered_articles.push_back(doc->articles[p - 1].id);
}

// The body of a PUT: the disposition, or the answer to send instead.
std::variant<domain::Disposition, http::Response> read_disposition(const http::Request& req,
                                                                   const domain::Catalog& catalog) {
  auto read = read_json_body(req);
  if (auto* refused = std::get_if<http::Response>(&read)) return std::move(*refused);
  const json& body = std::get<json>(read);
  std::vector<FieldError> errors;
  domain::Disposition out;
  if (!body.is_object()) {
    errors.push_back({"", "must be an object with decision, reason and answered_by"});
  } else {
    check_known(body, {"decision", "reason", "answered_by"}, "", errors);
    auto decision = body.find("decision");
    if (decision == body.end() || !decision->is_string() ||
        !domain::one_of(domain::kDecisions, decision->get<std::string>())) {
      errors.push_back({"/decision",
                        "must be one of under_review, accepted, partly_accepted, rejected, "
                        "out_of_scope"});
    } else {
      out.decision = decision->get<std::string>();
    }
    auto reason = body.find("reason");
    if (reason == body.end() || !reason->is_string()) {
      errors.push_back({"/reason", "is required: a string of 1 to 1000 characters"});
    } else {
      out.reason = domain::normalize_reason(reason->get<std::string>(), "/reason", errors);
    }
    if (auto answered = body.find("answered_by"); answered != body.end()) {
      read_answered_by(*answered, catalog, out, errors);
    }
  }
  if (!errors.empty()) {
    return problem(bhttp::status::unprocessable_entity, "the disposition is invalid", errors);
  }
  return out;
}

Answer decide(Services& s, Call& call, bool campaign) {
  const char* what = campaign ? "campaign" : "proposal";
  const std::string& id = call.path_value("id");
  std::optional<std::int64_t> n = parse_id(id);
  if (!n)
    co_return problem(bhttp::status::not_found, std::string("no ") + what + " " + id.substr(0, 64));
  auto read = read_disposition(call.request, s.catalog);
  if (auto* refused = std::get_if<http::Response>(&read)) co_return std::move(*refused);
  domain::Disposition d = std::get<domain::Disposition>(std::move(read));
  const std::string actor = call.who().name;
  const store::DispositionRecorded r = co_await s.staff.decide(campaign, *n, d, actor);
  ops::log("info", {{"event", "disposition"},
                    {"actor", actor},
                    {what, *n},
                    {"decision", d.decision},
                    {"audit_id", r.audit_id}});
  json out = {{"id", std::to_string(*n)},
              {"decision", d.decision},
              {"reason", d.reason},
              {"answered_by", answered_by_json(d)},
              {"decided_at", r.at},
              {"previous", json::parse(r.before)},
              {"audit_id", std::to_string(r.audit_id)}};
  if (campaign) out["members"] = r.applies_to_members;
  co_return json_response(bhttp::status::ok, out);
}

// {"undecided": n, "under_review": n, ...}: every decision, zeros included.
json by_decision(std::int64_t proposals, const std::map<std::string, std::int64_t>* decided) {
  json out = json::object();
  std::int64_t counted = 0;
  for (std::string_view d : domain::kDecisions) {
    std::int64_t n = 0;
    if (decided != nullptr) {
      auto it = decided->find(std::string(d));
      if (it != decided->end()) n = it->second;
    }
    out[std::string(d)] = n;
    counted += n;
  }
  out[std::string(domain::kUndecided)] = proposals - counted;
  return out;
}

template <class Map, class Key>
const typename Map::mapped_type* find_in(const Map& m, const Key& k) {
  auto it = m.find(k);
  return it == m.end() ? nullptr : &it->second;
}

}  // namespace

Answer decide_proposal(Services& s, Call& call) {
  return decide(s, call, false);
}

Answer decide_campaign(Services& s, Call& call) {
  return decide(s, call, true);
}

Answer stats(Services& s, Call& call) {
  std::vector<FieldError> errors = call.query.errors;
  reject_unknown(call.query, {"document", "article", "submitter_type"}, errors);
  const std::string* slug = call.query.get("document");
  const std::string document = slug != nullptr ? *slug : s.catalog.default_slug;
  const domain::Document* doc = s.catalog.find(document);
  if (doc == nullptr) errors.push_back({"?document", "no document " + document.substr(0, 64)});
  std::optional<std::string> type;
  if (const std::string* t = call.query.get("submitter_type")) {
    if (!domain::one_of(domain::kSubmitterTypes, *t)) {
      errors.push_back(
          {"?submitter_type", "must be one of citizen, party, organization, expert, state_body"});
    } else {
      type = *t;
    }
  }
  std::optional<std::string> article;
  if (const std::string* a = call.query.get("article")) {
    if (doc != nullptr && doc->find(*a) == nullptr) {
      errors.push_back({"?article", "no article " + a->substr(0, 64) + " in " + document});
    } else {
      article = *a;
    }
  }
  if (!errors.empty()) co_return bad_query(errors);
  const stats::DispositionCounts c = co_await s.store.dispositions(document, type, article);
  const auto total = [&](const std::string& dim, const std::string& key) -> std::int64_t {
    const auto* keys = find_in(c.proposals, dim);
    const std::int64_t* n = keys != nullptr ? find_in(*keys, key) : nullptr;
    return n != nullptr ? *n : 0;
  };
  const auto decided = [&](const std::string& dim, const std::string& key) {
    const auto* keys = find_in(c.decided, dim);
    return keys != nullptr ? find_in(*keys, key) : nullptr;
  };
  const auto breakdown = [&](const std::string& dim, const auto& values) {
    json out = json::object();
    for (std::string_view v : values) {
      const std::string key(v);
      out[key] = by_decision(total(dim, key), decided(dim, key));
    }
    return out;
  };
  json articles = json::array();
  for (const domain::Article& a : doc->articles) {
    if (a.repealed || (article && a.id != *article)) continue;
    const std::int64_t* answered = find_in(c.answered, a.id);
    articles.push_back(
        {{"article", a.id},
         {"section", a.section},
         {"proposals", total("article", a.id)},
         {"by_decision", by_decision(total("article", a.id), decided("article", a.id))},
         {"answered", answered != nullptr ? *answered : 0}});
  }
  co_return json_response(
      bhttp::status::ok,
      {{"document", document},
       {"proposals", total("all", "")},
       {"by_decision", by_decision(total("all", ""), decided("all", ""))},
       {"by_submitter_type", breakdown("submitter_type", domain::kSubmitterTypes)},
       {"by_channel", breakdown("channel", domain::kChannels)},
       {"articles", std::move(articles)}});
}

}  // namespace usynys::api::dispositions
