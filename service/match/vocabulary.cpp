#include "match/vocabulary.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "domain/text.hpp"

namespace usynys::match {
namespace {

using nlohmann::json;

constexpr std::string_view kLanguages[] = {"kk", "ru", "en"};

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
  throw std::runtime_error(file.string() + ": " + what);
}

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

Vocabulary load_vocabulary(const std::filesystem::path& file, const domain::Document& doc) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file, "cannot be read");
  std::ostringstream raw;
  raw << in.rdbuf();
  const json j = json::parse(raw.str(), nullptr, false);
  if (j.is_discarded()) fail(file, "is not valid JSON");
  if (!j.is_object()) fail(file, "must hold a JSON object");
  for (const auto& [key, value] : j.items()) {
    if (key != "document" && key != "articles") fail(file, "unknown key " + key);
  }
  if (!j.contains("document") || !j["document"].is_string()) {
    fail(file, "document must be a string, the slug of the document");
  }
  if (j["document"].get<std::string>() != doc.slug) {
    fail(file, "is the vocabulary of document '" + j["document"].get<std::string>() + "', not '" +
                   doc.slug + "'");
  }
  if (!j.contains("articles") || !j["articles"].is_object()) {
    fail(file, "articles must be an object: article id -> language -> terms");
  }
  Vocabulary out;
  for (const auto& [id, languages] : j["articles"].items()) {
    const std::string where = "article \"" + id + "\"";
    const domain::Article* article = doc.find(id);
    if (article == nullptr) fail(file, where + " is not an article of " + doc.slug);
    if (article->repealed) fail(file, where + " is repealed");
    if (!languages.is_object()) fail(file, where + " must be an object: language -> terms");
    auto& slot = out.articles[id];
    for (const auto& [language, terms] : languages.items()) {
      std::string lwhere = where;
      lwhere.append(", language \"").append(language).append("\"");
      if (std::find(std::begin(kLanguages), std::end(kLanguages), language) ==
          std::end(kLanguages)) {
        fail(file, lwhere + " is not one of kk, ru, en");
      }
      if (!terms.is_array()) fail(file, lwhere + " must be an array of terms");
      if (terms.size() > kMaxTermsPerLanguage) {
        fail(file, lwhere + " has " + std::to_string(terms.size()) + " terms, more than " +
                       std::to_string(kMaxTermsPerLanguage));
      }
      std::vector<std::string>& list = slot[language];
      std::set<std::string, std::less<>> seen;
      for (std::size_t i = 0; i < terms.size(); ++i) {
        const std::string twhere = lwhere + ", term " + std::to_string(i + 1);
        if (!terms[i].is_string()) fail(file, twhere + " is not a string");
        std::string term = terms[i].get<std::string>();
        if (blank(term)) fail(file, twhere + " is empty");
        if (term.size() > kMaxTermBytes) {
          fail(file, twhere + " is longer than " + std::to_string(kMaxTermBytes) + " bytes");
        }
        if (!domain::valid_utf8(term)) fail(file, twhere + " is not valid UTF-8");
        if (!seen.insert(term).second) {
          fail(file, std::string(twhere).append(" \"").append(term).append("\" appears twice"));
        }
        list.push_back(std::move(term));
      }
    }
  }
  return out;
}

}  // namespace usynys::match
