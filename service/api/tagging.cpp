// Tagging: a proposal's article suggestions (analyst+), the replacement of its confirmed
// references by a coder (coder+, audited), and the queue of untagged proposals (coder+).
#include "api/handlers.hpp"
#include "api/json_body.hpp"
#include "api/problem.hpp"
#include "api/proposal_dto.hpp"
#include "api/request.hpp"
#include "domain/text.hpp"
#include "ops/log.hpp"

namespace usynys::api::tagging {

namespace bhttp = http::bhttp;
using domain::FieldError;
using nlohmann::json;

namespace {

constexpr std::size_t kQueueSuggestions = 5;
constexpr std::size_t kMaxReasonChars = 1000;

json suggestions_json(const std::vector<match::Suggestion>& list, std::size_t limit) {
  json out = json::array();
  for (std::size_t i = 0; i < list.size() && i < limit; ++i) {
    out.push_back({{"article", list[i].article}, {"score", list[i].score}});
  }
  return out;
}

const domain::Document* document_of(const Services& s, int document_id) {
  for (const auto& [slug, id] : s.staff.document_ids()) {
    if (id == document_id) return s.catalog.find(slug);
  }
  return nullptr;
}

std::optional<std::int64_t> proposal_id(Call& call) {
  return parse_id(call.path_value("id"));
}

}  // namespace

Answer suggestions(Services& s, Call& call) {
  std::vector<FieldError> errors = call.query.errors;
  reject_unknown(call.query, {}, errors);
  if (!errors.empty()) co_return bad_query(errors);
  const std::optional<std::int64_t> id = proposal_id(call);
  if (!id) {
    co_return problem(bhttp::status::not_found,
                      "no proposal " + call.path_value("id").substr(0, 64));
  }
  store::SuggestionSource src = co_await s.staff.suggestion_source(*id);
  const domain::Document* doc = document_of(s, src.document_id);
  auto index = s.indexes.find(src.document_id);
  if (doc == nullptr || index == s.indexes.end()) {
    co_return problem(bhttp::status::not_found, "proposal " + std::to_string(*id) +
                                                    " names a document this server does not load");
  }
  const auto kept = static_cast<std::size_t>(s.tagging.suggestions_kept);
  json out = {{"proposal", std::to_string(*id)}, {"document", doc->slug}};
  if (src.model && *src.model == match::kSuggestModel) {
    out["language"] = src.matched_language;
    out["suggestions"] = suggestions_json(src.stored, kept);
    out["computed"] = "stored";
  } else {
    // Not computed yet (it is, within seconds of the commit), or by an older model: ranked now
    // with the same index, so the answer equals what will be stored.
    store::RankedText ranked =
        store::rank_text(index->second, src.text, src.proposed_text, src.language, kept);
    out["language"] = ranked.language;
    out["suggestions"] = suggestions_json(ranked.suggestions, kept);
    out["computed"] = "now";
  }
  out["model"] = match::kSuggestModel;
  out["estimate_threshold"] = s.tagging.estimate_threshold;
  co_return json_response(bhttp::status::ok, out);
}

Answer set_articles(Services& s, Call& call) {
  const std::optional<std::int64_t> id = proposal_id(call);
  if (!id) {
    co_return problem(bhttp::status::not_found,
                      "no proposal " + call.path_value("id").substr(0, 64));
  }
  auto read = read_json_body(call.request);
  if (auto* refused = std::get_if<http::Response>(&read)) co_return std::move(*refused);
  const json& body = std::get<json>(read);
  std::vector<FieldError> errors;
  std::vector<domain::ArticleRef> refs;
  std::string reason;
  if (!body.is_object()) {
    errors.push_back({"", "must be an object with articles and reason"});
  } else {
    for (const auto& [key, value] : body.items()) {
      if (key != "articles" && key != "reason") {
        errors.push_back({"/" + pointer_token(key), "is not a known field"});
      }
    }
    auto arts = body.find("articles");
    if (arts == body.end() || arts->is_null()) {
      errors.push_back({"/articles", "is required: the confirmed references, [] for none"});
    } else {
      refs = map_article_refs(*arts, "/articles", errors);
    }
    auto r = body.find("reason");
    if (r == body.end() || !r->is_string()) {
      errors.push_back({"/reason", "is required: a string of 1 to 1000 characters"});
    } else {
      reason = domain::normalize_text(r->get<std::string>());
      if (reason.empty() || domain::code_points(reason) > kMaxReasonChars) {
        errors.push_back({"/reason", "must be 1 to 1000 characters"});
      }
    }
  }
  if (!errors.empty()) {
    co_return problem(bhttp::status::unprocessable_entity, "the references are invalid", errors);
  }
  const std::string actor = call.who().name;
  store::ReferenceChange change;
  change.id = *id;
  change.reason = reason;
  change.actor = actor;
  change.resolve = [&s, refs](int document_id) {
    const domain::Document* doc = document_of(s, document_id);
    if (doc == nullptr) {
      throw domain::Error(domain::ErrorKind::conflict,
                          "the proposal names a document this server does not load");
    }
    std::vector<FieldError> bad;
    std::vector<domain::ArticleRef> valid = domain::check_references(*doc, refs, "/articles", bad);
    if (!bad.empty())
      throw domain::Error(domain::ErrorKind::invalid, "the references are invalid", bad);
    return valid;
  };
  store::ReferencesChanged c = co_await s.staff.set_references(std::move(change));
  if (c.changed) {
    ops::log("info", {{"event", "references_set"},
                      {"actor", actor},
                      {"proposal", *id},
                      {"articles", refs.size()},
                      {"audit_id", *c.audit_id}});
  }
  co_return json_response(bhttp::status::ok,
                          {{"id", std::to_string(*id)},
                           {"articles", json::parse(c.after)},
                           {"previous_articles", json::parse(c.before)},
                           {"changed", c.changed},
                           {"audit_id", c.audit_id ? json(std::to_string(*c.audit_id)) : json()},
                           {"at", c.at ? json(*c.at) : json()}});
}

Answer queue(Services& s, Call& call) {
  std::vector<FieldError> errors = call.query.errors;
  reject_unknown(call.query, {"document", "language", "channel", "limit", "cursor"}, errors);
  store::QueueQuery q;
  const std::string* slug = call.query.get("document");
  const std::string document = slug != nullptr ? *slug : s.catalog.default_slug;
  auto id = s.staff.document_ids().find(document);
  if (id == s.staff.document_ids().end()) {
    errors.push_back({"?document", "no document " + document.substr(0, 64)});
  } else {
    q.document_id = id->second;
  }
  if (const std::string* v = call.query.get("language")) {
    if (!domain::one_of(domain::kLanguages, *v)) {
      errors.push_back({"?language", "must be kk, ru or en"});
    } else {
      q.language = *v;
    }
  }
  if (const std::string* v = call.query.get("channel")) {
    if (!domain::one_of(domain::kChannels, *v)) {
      errors.push_back({"?channel", "must be one of web, e-otinish, egov, email, mail, hearing"});
    } else {
      q.channel = *v;
    }
  }
  const std::int64_t limit = read_limit(call.query, errors);
  if (const std::string* v = call.query.get("cursor")) {
    q.after = decode_pair_cursor('t', *v);
    if (!q.after) errors.push_back({"?cursor", "is not a cursor this list gave out"});
  }
  if (!errors.empty()) co_return bad_query(errors);
  q.limit = limit + 1;
  std::vector<store::QueueItem> rows = co_await s.staff.tagging_queue(std::move(q));
  json items = json::array();
  for (std::size_t i = 0; i < rows.size() && i < static_cast<std::size_t>(limit); ++i) {
    const store::QueueItem& r = rows[i];
    items.push_back({{"id", std::to_string(r.id)},
                     {"received_at", r.received_at},
                     {"channel", r.channel},
                     {"language", r.language},
                     {"kind", r.kind},
                     {"submitter_type", r.submitter_type},
                     {"text", r.text},
                     {"suggestions", suggestions_json(r.suggestions, kQueueSuggestions)}});
  }
  json next = nullptr;
  if (rows.size() > static_cast<std::size_t>(limit)) {
    const store::QueueItem& last = rows[static_cast<std::size_t>(limit) - 1];
    next = encode_cursor('t', last.received_us, last.id);
  }
  co_return json_response(bhttp::status::ok, {{"document", document},
                                              {"items", std::move(items)},
                                              {"next_cursor", next},
                                              {"limit", limit},
                                              {"model", match::kSuggestModel}});
}

}  // namespace usynys::api::tagging
