#include "match/suggest.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "match/terms.hpp"

namespace usynys::match {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
// A BM25 sum of this size maps to a score of about 0.63.
constexpr double kScoreScale = 12.0;

bool kazakh_letter(UChar32 c) {
  switch (u_tolower(c)) {
    case 0x4D9:  // ә
    case 0x493:  // ғ
    case 0x49B:  // қ
    case 0x4A3:  // ң
    case 0x4E9:  // ө
    case 0x4B1:  // ұ
    case 0x4AF:  // ү
    case 0x4BB:  // һ
    case 0x456:  // і
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string detect_language(std::string_view text) {
  std::size_t cyrillic = 0;
  std::size_t latin = 0;
  std::size_t kazakh = 0;
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0 || !u_isalpha(c)) continue;
    const UScriptCode script = static_cast<UScriptCode>(u_getIntPropertyValue(c, UCHAR_SCRIPT));
    if (script == USCRIPT_CYRILLIC) {
      ++cyrillic;
      if (kazakh_letter(c)) ++kazakh;
    } else if (script == USCRIPT_LATIN) {
      ++latin;
    }
  }
  if (cyrillic == 0 && latin == 0) return {};
  if (cyrillic >= latin) return kazakh * 100 >= cyrillic ? "kk" : "ru";
  return "en";
}

ArticleIndex::ArticleIndex(const domain::Document& doc) : reference_(doc.language) {
  for (const domain::Article& a : doc.articles) {
    if (!a.repealed) ids_.push_back(a.id);
  }
  std::map<int, const domain::Section*> sections;
  for (const domain::Section& s : doc.sections) sections[s.number] = &s;
  for (const std::string& language : doc.languages) {
    Language& l = languages_[language];
    std::map<std::string, int, std::less<>> df;
    double total = 0;
    for (const std::string& id : ids_) {
      const domain::Article& a = *doc.find(id);
      auto text = a.texts.find(language);
      const std::string& body = text == a.texts.end() ? a.text : text->second;
      std::map<std::string, int, std::less<>> counts;
      for (std::string& s : stems(body, language)) ++counts[std::move(s)];
      for (const auto& [term, n] : counts) ++df[term];
      double len = 0;
      for (const auto& [term, n] : counts) len += n;
      total += len;
      l.counts.push_back(std::move(counts));
      l.lengths.push_back(len);
    }
    const auto n = static_cast<double>(ids_.size());
    l.average_length = ids_.empty() ? 0 : total / n;
    for (const auto& [term, d] : df) {
      l.idf[term] = std::log(1 + (n - d + 0.5) / (d + 0.5));
    }
  }
}

std::vector<Suggestion> ArticleIndex::rank(std::string_view text, std::string language,
                                           std::size_t limit) const {
  if (language.empty()) language = detect_language(text);
  auto it = languages_.find(language);
  if (it == languages_.end()) {
    language = reference_;
    it = languages_.find(language);
  }
  std::vector<Suggestion> out;
  if (it == languages_.end()) return out;
  const Language& l = it->second;
  std::set<std::string> query;
  for (std::string& s : stems(text, language)) query.insert(std::move(s));
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    double sum = 0;
    for (const std::string& term : query) {
      auto tf = l.counts[i].find(term);
      if (tf == l.counts[i].end()) continue;
      const double f = tf->second;
      const double norm = kK1 * (1 - kB + kB * l.lengths[i] / std::max(l.average_length, 1.0));
      sum += l.idf.find(term)->second * f * (kK1 + 1) / (f + norm);
    }
    out.push_back({ids_[i], 1 - std::exp(-sum / kScoreScale)});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Suggestion& a, const Suggestion& b) { return a.score > b.score; });
  out.resize(std::min(out.size(), limit));
  return out;
}

}  // namespace usynys::match
