// Article suggestions for a proposal: the document's articles ranked by how well the proposal's
// text matches each article's text in the proposal's language (BM25 over stems). Pure.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domain/document.hpp"

namespace usynys::match {

// Names the suggestion method and its version.
inline constexpr std::string_view kSuggestModel = "bm25-stems/1";

struct Suggestion {
  std::string article;
  double score = 0;  // in [0, 1]
};

// The language of a text: "kk" when it has letters only Kazakh uses, else "ru" for mostly
// Cyrillic, "en" for mostly Latin letters; empty when it has no letters.
std::string detect_language(std::string_view text);

// The articles in force of one document, indexed per language for BM25. Build once per
// document (a few milliseconds), then rank any number of texts; ranking is thread-safe.
class ArticleIndex {
 public:
  explicit ArticleIndex(const domain::Document& doc);

  // The `limit` best articles for `text` in `language` (detected when empty; a language the
  // document lacks falls back to its reference language), best first.
  std::vector<Suggestion> rank(std::string_view text, std::string language,
                               std::size_t limit = 5) const;

 private:
  struct Language {
    std::map<std::string, double, std::less<>> idf;
    // Per article (same order as ids_): term -> occurrences, and its length in terms.
    std::vector<std::map<std::string, int, std::less<>>> counts;
    std::vector<double> lengths;
    double average_length = 0;
  };
  std::vector<std::string> ids_;
  std::map<std::string, Language, std::less<>> languages_;
  std::string reference_;
};

}  // namespace usynys::match
