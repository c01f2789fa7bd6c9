#include "api/proposal_dto.hpp"

#include <set>

#include "api/json_body.hpp"

namespace usynys::api {
namespace {

using domain::FieldError;
using nlohmann::json;

// A string member; null and absence both leave `out` empty.
void optional_string(const json& obj, const char* key, const std::string& field,
                     std::optional<std::string>& out, std::vector<FieldError>& errors) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return;
  if (!it->is_string()) {
    errors.push_back({field, "must be a string"});
    return;
  }
  out = it->get<std::string>();
}

}  // namespace

void check_known(const json& obj, const std::set<std::string>& known, const std::string& prefix,
                 std::vector<FieldError>& errors) {
  for (const auto& [key, value] : obj.items()) {
    if (!known.contains(key))
      errors.push_back({prefix + "/" + pointer_token(key), "is not a known field"});
  }
}

std::optional<std::string> article_id(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_unsigned()) return std::to_string(v.get<std::uint64_t>());
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  return std::nullopt;
}

std::vector<domain::ArticleRef> map_article_refs(const json& arts, const std::string& pointer,
                                                 std::vector<FieldError>& errors) {
  std::vector<domain::ArticleRef> out;
  if (arts.is_null()) {
    // Untagged: the proposal names no article.
  } else if (!arts.is_array()) {
    errors.push_back({pointer, "must be an array"});
  } else if (arts.size() > domain::kMaxArticles) {
    errors.push_back({pointer, "must reference at most 50 articles"});
  } else {
    for (std::size_t i = 0; i < arts.size(); ++i) {
      const json& a = arts[i];
      const std::string field = pointer + "/" + std::to_string(i);
      if (a.is_object()) {
        check_known(a, {"article", "paragraph"}, field, errors);
        auto art = a.find("article");
        std::optional<std::string> id = art == a.end() ? std::nullopt : article_id(*art);
        if (!id) {
          errors.push_back({field + "/article", "is required: an article id such as \"41\""});
          continue;
        }
        domain::ArticleRef ref{*id, std::nullopt, i};
        auto par = a.find("paragraph");
        if (par != a.end() && !par->is_null()) {
          ref.paragraph = article_id(*par);
          if (!ref.paragraph) {
            errors.push_back({field + "/paragraph", "must be a paragraph label such as \"3-1\""});
            continue;
          }
        }
        out.push_back(std::move(ref));
      } else if (auto id = article_id(a)) {
        out.push_back({*id, std::nullopt, i});
      } else {
        errors.push_back({field,
                          "must be an article id (string or integer) or an object with "
                          "\"article\" and optional \"paragraph\""});
      }
    }
  }
  return out;
}

domain::ProposalInput map_proposal(const json& body, std::vector<FieldError>& errors) {
  domain::ProposalInput in;
  if (!body.is_object()) {
    errors.push_back({"", "the body must be a JSON object"});
    return in;
  }
  check_known(body,
              {"document", "submitter", "channel", "language", "kind", "articles", "text",
               "proposed_text", "external_ref", "received_at"},
              "", errors);
  optional_string(body, "document", "/document", in.document, errors);

  auto sub = body.find("submitter");
  if (sub == body.end() || sub->is_null()) {
    errors.push_back({"/submitter", "is required"});
  } else if (!sub->is_object()) {
    errors.push_back({"/submitter", "must be an object"});
  } else {
    check_known(*sub, {"type", "name", "region", "identifier"}, "/submitter", errors);
    std::optional<std::string> type;
    optional_string(*sub, "type", "/submitter/type", type, errors);
    if (!type && (!sub->contains("type") || (*sub)["type"].is_null())) {
      errors.push_back({"/submitter/type", "is required"});
    }
    in.submitter_type = type.value_or("");
    optional_string(*sub, "name", "/submitter/name", in.submitter_name, errors);
    optional_string(*sub, "region", "/submitter/region", in.submitter_region, errors);
    optional_string(*sub, "identifier", "/submitter/identifier", in.identifier, errors);
    // A submitter type that failed to map must not also be reported as unknown.
    if (!type) in.submitter_type = "citizen";
  }

  std::optional<std::string> s;
  optional_string(body, "channel", "/channel", s, errors);
  if (s) in.channel = *s;
  optional_string(body, "language", "/language", in.language, errors);
  s.reset();
  optional_string(body, "kind", "/kind", s, errors);
  if (s) in.kind = *s;

  auto arts = body.find("articles");
  if (arts != body.end()) in.articles = map_article_refs(*arts, "/articles", errors);

  auto text = body.find("text");
  if (text == body.end() || text->is_null()) {
    errors.push_back({"/text", "is required"});
  } else if (!text->is_string()) {
    errors.push_back({"/text", "must be a string"});
  } else {
    in.text = text->get<std::string>();
  }
  optional_string(body, "proposed_text", "/proposed_text", in.proposed_text, errors);
  optional_string(body, "external_ref", "/external_ref", in.external_ref, errors);
  optional_string(body, "received_at", "/received_at", in.received_at, errors);
  return in;
}

std::vector<FieldError> check_proposal(const json& body, const domain::Catalog& catalog,
                                       const domain::Origin& origin, domain::ValidProposal& out) {
  std::vector<FieldError> errors;
  domain::ProposalInput in = map_proposal(body, errors);
  const std::string slug = in.document.value_or(catalog.default_slug);
  const domain::Document* doc = catalog.find(slug);
  if (doc == nullptr) {
    errors.push_back({"/document", "no document " + slug});
  } else if (body.is_object()) {
    for (FieldError& e : domain::validate(in, *doc, out, origin)) {
      bool known = false;
      for (const FieldError& m : errors) {
        known = known || e.field == m.field || e.field.starts_with(m.field + "/") ||
                m.field.starts_with(e.field + "/");
      }
      if (!known) errors.push_back(std::move(e));
    }
  }
  return errors;
}

nlohmann::json stored_proposal_json(const domain::StoredProposal& p) {
  return {{"id", std::to_string(p.id)},   {"document", p.document}, {"articles", p.articles},
          {"received_at", p.received_at}, {"status", "received"},   {"receipt", p.receipt}};
}

nlohmann::json answered_by_json(const domain::Disposition& d) {
  if (!d.answered_document) return nullptr;
  return {{"document", *d.answered_document}, {"articles", d.answered_articles}};
}

nlohmann::json standing_disposition_json(const domain::StandingDisposition& d) {
  return {{"decision", d.disposition.decision},
          {"reason", d.disposition.reason},
          {"answered_by", answered_by_json(d.disposition)},
          {"decided_at", d.decided_at},
          {"applies_to", d.applies_to}};
}

}  // namespace usynys::api
