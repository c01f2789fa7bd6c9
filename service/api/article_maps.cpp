// The article map between two versions of a document: GET (public) lists one pair per article in
// force of the newer document, in document order; PUT (admin) confirms or corrects one pair,
// audited. The suggestions are computed at start-up (store/article_maps, match/).
#include <set>

#include "api/handlers.hpp"
#include "api/json_body.hpp"
#include "api/problem.hpp"
#include "api/request.hpp"
#include "domain/moderation.hpp"
#include "domain/text.hpp"
#include "ops/log.hpp"

namespace usynys::api::article_maps {

namespace bhttp = http::bhttp;
using domain::FieldError;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxPredecessors = 50;

// The newer document of the path and the older one of ?from=, which it must be mapped from.
// Unknown newer document: 404; ?from missing or naming another document: 422.
struct MapDocuments {
  const domain::Document* to = nullptr;
  const domain::Document* from = nullptr;
};

std::variant<MapDocuments, http::Response> map_documents(const Services& s, const Call& call) {
  std::vector<FieldError> errors = call.query.errors;
  reject_unknown(call.query, {"from"}, errors);
  const std::string& slug = call.path_value("slug");
  MapDocuments out;
  out.to = s.catalog.find(slug);
  if (out.to == nullptr) {
    if (!errors.empty()) return bad_query(errors);
    return problem(bhttp::status::not_found, "no document " + slug);
  }
  auto mapped = s.catalog.predecessors.find(slug);
  const std::string* from = call.query.get("from");
  if (mapped == s.catalog.predecessors.end()) {
    errors.push_back({"?from", "document " + slug + " has no article map"});
  } else if (from == nullptr) {
    errors.push_back(
        {"?from", "is required: the document mapped onto " + slug + " (" + mapped->second + ")"});
  } else if (*from != mapped->second) {
    errors.push_back({"?from", "document " + slug + " is mapped from " + mapped->second + " only"});
  } else {
    out.from = s.catalog.find(*from);
  }
  if (!errors.empty()) return bad_query(errors);
  return out;
}

json candidates_json(const std::vector<domain::MapCandidate>& candidates) {
  json out = json::array();
  for (const domain::MapCandidate& c : candidates) {
    out.push_back({{"article", c.article}, {"score", c.score}});
  }
  return out;
}

json pair_json(const domain::MapPair& p, double min_score) {
  const bool confirmed = p.confirmed_in_force();
  json out = {{"article", p.article},
              {"predecessors", p.predecessors()},
              {"status", confirmed ? "confirmed" : "suggested"},
              {"score", confirmed || !p.score ? json(nullptr) : json(*p.score)},
              {"counted", p.counts(min_score)},
              {"candidates", candidates_json(p.candidates)}};
  if (p.confirmed) {
    out["confirmed"] = {{"predecessors", *p.confirmed},
                        {"by", p.confirmed_by},
                        {"at", p.confirmed_at},
                        {"reason", p.reason}};
  }
  if (p.flag) out["flag"] = *p.flag;
  return out;
}

// The body of a PUT: predecessors (article ids of `from` in force, distinct, JSON integers read
// as ids) and a reason. Every error names its field.
struct Confirmation {
  std::vector<std::string> predecessors;
  std::string reason;
};

Confirmation read_confirmation(const json& body, const domain::Document& from) {
  std::vector<FieldError> errors;
  Confirmation out;
  if (!body.is_object()) {
    throw domain::Error(domain::ErrorKind::invalid, "the map pair is invalid",
                        {{"", "must be an object with predecessors and reason"}});
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "predecessors" && key != "reason") {
      errors.push_back({"/" + pointer_token(key), "is not a known field"});
    }
  }
  auto list = body.find("predecessors");
  if (list == body.end() || !list->is_array()) {
    errors.push_back({"/predecessors", "is required: a list of article ids of " + from.slug +
                                           " (empty for a new article)"});
  } else if (list->size() > kMaxPredecessors) {
    errors.push_back({"/predecessors", "holds more than 50 articles"});
  } else {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& v = (*list)[i];
      const std::string field = "/predecessors/" + std::to_string(i);
      std::string id;
      if (v.is_string()) {
        id = v.get<std::string>();
      } else if (v.is_number_unsigned()) {
        id = std::to_string(v.get<std::uint64_t>());
      } else {
        errors.push_back({field, "must be an article id (a string, or a whole number)"});
        continue;
      }
      const domain::Article* a = from.find(id);
      if (a == nullptr) {
        errors.push_back({field, "document " + from.slug + " has no article " + id.substr(0, 64)});
      } else if (a->repealed) {
        errors.push_back({field, "article " + id + " of " + from.slug + " is repealed"});
      } else if (!seen.insert(id).second) {
        errors.push_back({field, "names article " + id + " twice"});
      } else {
        out.predecessors.push_back(id);
      }
    }
  }
  auto reason = body.find("reason");
  if (reason == body.end() || !reason->is_string()) {
    errors.push_back({"/reason", "is required: a string of 1 to 1000 characters"});
  } else {
    out.reason = domain::normalize_reason(reason->get<std::string>(), "/reason", errors);
  }
  if (!errors.empty()) {
    throw domain::Error(domain::ErrorKind::invalid, "the map pair is invalid", std::move(errors));
  }
  return out;
}

}  // namespace

Answer get(Services& s, Call& call) {
  auto docs = map_documents(s, call);
  if (auto* refused = std::get_if<http::Response>(&docs)) co_return std::move(*refused);
  const auto [to, from] = std::get<MapDocuments>(docs);
  std::optional<domain::ArticleMap> map = co_await s.store.article_map(from->slug, to->slug);
  if (!map) {
    throw domain::Error(domain::ErrorKind::unavailable,
                        "the map " + from->slug + " -> " + to->slug + " is not computed yet");
  }
  std::map<std::string, const domain::MapPair*, std::less<>> by_article;
  for (const domain::MapPair& p : map->pairs) by_article.emplace(p.article, &p);
  json pairs = json::array();
  for (const domain::Article& a : to->articles) {
    if (a.repealed) continue;
    auto it = by_article.find(a.id);
    if (it == by_article.end()) continue;
    pairs.push_back(pair_json(*it->second, s.catalog.map_min_score));
    by_article.erase(it);
  }
  // Confirmed pairs of articles no longer in force: kept, flagged, counted nowhere.
  json flagged = json::array();
  for (const auto& [id, p] : by_article) flagged.push_back(pair_json(*p, s.catalog.map_min_score));
  co_return json_response(bhttp::status::ok, {{"from", from->slug},
                                              {"to", to->slug},
                                              {"method", map->method},
                                              {"computed_at", map->computed_at},
                                              {"min_score", s.catalog.map_min_score},
                                              {"pairs", std::move(pairs)},
                                              {"flagged", std::move(flagged)}});
}

Answer confirm(Services& s, Call& call) {
  auto docs = map_documents(s, call);
  if (auto* refused = std::get_if<http::Response>(&docs)) co_return std::move(*refused);
  const auto [to, from] = std::get<MapDocuments>(docs);
  const std::string& id = call.path_value("article");
  const domain::Article* article = to->find(id);
  if (article == nullptr || article->repealed) {
    co_return problem(bhttp::status::not_found,
                      "document " + to->slug + " has no article " + id.substr(0, 64) + " in force");
  }
  auto read = read_json_body(call.request);
  if (auto* refused = std::get_if<http::Response>(&read)) co_return std::move(*refused);
  const Confirmation c = read_confirmation(std::get<json>(read), *from);
  const std::string actor = call.who().name;
  // A named argument: GCC 12 frees a braced temporary passed to a coroutine twice.
  store::MapConfirmation request{from->slug,     to->slug, article->id,
                                 c.predecessors, c.reason, actor};
  store::MapConfirmed done = co_await s.staff.confirm_map_pair(std::move(request));
  ops::log("info", {{"event", "article_map_confirmed"},
                    {"actor", actor},
                    {"from", from->slug},
                    {"to", to->slug},
                    {"article", article->id},
                    {"before", done.before},
                    {"after", c.predecessors},
                    {"audit_id", done.audit_id}});
  co_return json_response(bhttp::status::ok,
                          {{"from", from->slug},
                           {"to", to->slug},
                           {"article", article->id},
                           {"predecessors", c.predecessors},
                           {"status", "confirmed"},
                           {"score", nullptr},
                           {"previous",
                            {{"predecessors", done.before},
                             {"status", done.was_confirmed ? "confirmed" : "suggested"}}},
                           {"reason", c.reason},
                           {"at", done.at},
                           {"audit_id", std::to_string(done.audit_id)}});
}

}  // namespace usynys::api::article_maps
