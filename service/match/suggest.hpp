// Article suggestions for a proposal: the document's articles ranked by how well the proposal's
// text matches each article in the proposal's language: BM25 over stems and stem pairs of the
// article's whole text, of its best paragraph and of its section's title, the article's
// vocabulary (everyday terms, matched as phrases) and the articles the text cites by number.
// Pure.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/document.hpp"
#include "match/vocabulary.hpp"

namespace usynys::match {

// Names the suggestion method and its version.
inline constexpr std::string_view kSuggestModel = "bm25-stems+vocabulary+paragraphs/2";

struct Suggestion {
  std::string article;
  double score = 0;  // in [0, 1]
};

// The language of a text: "kk" when it has letters only Kazakh uses, else "ru" for mostly
// Cyrillic, "en" for mostly Latin letters; empty when it has no letters.
std::string detect_language(std::string_view text);

// The articles in force of one document, indexed per language. Build once per document (some
// tens of milliseconds), then rank any number of texts; ranking is const and thread-safe. The
// vocabulary's terms for articles not in force, or in languages the document lacks, are unused.
class ArticleIndex {
 public:
  explicit ArticleIndex(const domain::Document& doc, const Vocabulary& vocabulary = {});

  // The `limit` best articles for `text` in `language` (detected when empty; a language the
  // document lacks falls back to its reference language), best first. The score grows with the
  // evidence and stays in [0, 1]; a text that matches nothing scores 0 everywhere.
  std::vector<Suggestion> rank(std::string_view text, std::string language,
                               std::size_t limit = 5) const;

  struct Language;  // the index of one language (suggest.cpp)

 private:
  std::vector<std::string> ids_;
  std::map<std::string, std::size_t, std::less<>> positions_;  // id -> index in ids_
  std::map<std::string, std::shared_ptr<const Language>, std::less<>> languages_;
  std::string reference_;
};

}  // namespace usynys::match
