// A document's vocabulary: per article and language, the words people use for what the article
// is about ("head of state", "нижняя палата", "өлім жазасы") when they do not quote it. Read
// from a reviewed JSON file (config/documents/*.vocabulary.json); ArticleIndex matches them as
// phrases. Pure apart from reading the file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "domain/document.hpp"

namespace usynys::match {

// The file's limits: a term is a short phrase, an article has a handful per language.
inline constexpr std::size_t kMaxTermBytes = 200;
inline constexpr std::size_t kMaxTermsPerLanguage = 40;

struct Vocabulary {
  // article id -> language ("kk", "ru", "en") -> terms, as the file spells them.
  std::map<std::string, std::map<std::string, std::vector<std::string>>, std::less<>> articles;

  bool empty() const { return articles.empty(); }
};

// Reads `file`, shaped {"document": slug, "articles": {"41": {"en": ["..."], "ru": [...],
// "kk": [...]}}}, for `doc`. Throws std::runtime_error naming the file and the problem: not
// readable, not JSON, another document's slug, an unknown key, an id that is not an article
// of `doc` in force, a language other than kk, ru, en, a term that is not a string, empty,
// invalid UTF-8 or over kMaxTermBytes, a term twice, or more than kMaxTermsPerLanguage terms.
Vocabulary load_vocabulary(const std::filesystem::path& file, const domain::Document& doc);

}  // namespace usynys::match
