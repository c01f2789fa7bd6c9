// The documents: the list, and one document's structure (with its texts on ?text=1).
#include <algorithm>

#include "api/handlers.hpp"
#include "api/problem.hpp"
#include "api/request.hpp"
#include "domain/text.hpp"

namespace usynys::api::documents {

namespace bhttp = http::bhttp;
using domain::FieldError;
using nlohmann::json;

namespace {

// The fields the list and the structure share.
json summary(const domain::Document& d, const std::string& default_slug) {
  return {{"slug", d.slug},
          {"title", d.title},
          {"version", d.version},
          {"language", d.language},
          {"languages", d.languages},
          {"reference_language", d.language},
          {"articles_total", d.articles_in_force()},
          {"sections_total", d.sections_in_force()},
          {"content_chars_total", d.chars_in_force()},
          {"default", d.slug == default_slug}};
}

}  // namespace

Answer list(Services& s, Call& call) {
  std::vector<FieldError> errors = call.query.errors;
  reject_unknown(call.query, {}, errors);
  if (!errors.empty()) co_return bad_query(errors);
  json list = json::array();
  for (const auto& [slug, d] : s.catalog.documents) {
    list.push_back(summary(d, s.catalog.default_slug));
  }
  co_return json_response(bhttp::status::ok, {{"documents", std::move(list)}});
}

Answer get(Services& s, Call& call) {
  std::vector<FieldError> errors = call.query.errors;
  reject_unknown(call.query, {"text", "lang"}, errors);
  const std::string* text = call.query.get("text");
  if (text != nullptr && *text != "0" && *text != "1") {
    errors.push_back({"?text", "must be 0 or 1"});
  }
  const std::string& slug = call.path_value("slug");
  const domain::Document* d = s.catalog.find(slug);
  if (d == nullptr) {
    if (!errors.empty()) co_return bad_query(errors);
    co_return problem(bhttp::status::not_found, "no document " + slug);
  }
  std::string language = d->language;
  if (const std::string* lang = call.query.get("lang")) {
    if (std::find(d->languages.begin(), d->languages.end(), *lang) == d->languages.end()) {
      errors.push_back(
          {"?lang", "must be a language of the document: " + domain::join(d->languages, ", ")});
    }
    language = *lang;
  }
  if (!errors.empty()) co_return bad_query(errors);
  const bool with_text = text != nullptr && *text == "1";
  json sections = json::array();
  for (const domain::Section& sec : d->sections) {
    json articles = json::array();
    for (const domain::Article& a : d->articles) {
      if (a.section != sec.number) continue;
      json j = {{"id", a.id},
                {"section", sec.roman},
                {"paragraph_labels", a.paragraph_labels},
                {"chars", a.chars},
                {"chars_by_language", a.chars_by_language},
                {"repealed", a.repealed}};
      if (with_text) {
        auto t = a.texts.find(language);
        j["text"] = t == a.texts.end() ? a.text : t->second;
      }
      articles.push_back(std::move(j));
    }
    sections.push_back({{"section", sec.roman},
                        {"number", sec.number},
                        {"title", sec.title},
                        {"articles", std::move(articles)}});
  }
  json out = summary(*d, s.catalog.default_slug);
  if (with_text) out["text_language"] = language;
  out["sections"] = std::move(sections);
  co_return json_response(bhttp::status::ok, out);
}

}  // namespace usynys::api::documents
