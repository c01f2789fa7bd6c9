#include "match/suggest.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "match/terms.hpp"

namespace usynys::match {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
// How much each kind of evidence weighs in the sum that makes the score.
constexpr double kBodyWeight = 0.5;        // BM25 of the article's text
constexpr double kParagraphWeight = 0.6;   // BM25 of its best paragraph
constexpr double kTitleWeight = 0.4;       // BM25 of its section's title
constexpr double kVocabularyWeight = 0.8;  // BM25 of its vocabulary's words
constexpr double kPhraseWeight = 2.0;      // a whole vocabulary term, per unit of its words' idf
constexpr double kCitedWeight = 10.0;      // the text names the article ("Article 41", "41-бап")
// A sum of this size maps to a score of about 0.63.
constexpr double kScoreScale = 15.0;

// Words that say nothing about an article's subject; dropped before stems are paired.
constexpr std::string_view kStopwords[][2] = {
    {"en",
     "the of and to in a an be is are was were shall should must may can will would could for "
     "on by with or as at that this these those it its from which who whom their they them his "
     "her he she we our us my me you your not no any all such other than into also there so if "
     "has have had been being do does only each every but about what when where how more most "
     "very please propose proposal proposals suggest we i need want think believe article "
     "articles paragraph"},
    {"ru",
     "и в во на с со по о об не ни что чтобы к ко из для а от до за как или его ее их он она "
     "оно они мы я вы это этот эта эти так же ли бы был была были быть есть также при под над "
     "без через который которая которые которого все всех свой своих только но уже может "
     "должен должна должны нужно надо очень чем то там тот те у между предлагаю предлагаем "
     "предложение прошу просим считаю считаем хочу хотим необходимо статья статьи статью пункт"},
    {"kk",
     "және мен бен пен үшін да де та те бұл осы ол олар сол әр әрбір біз сіз оның олардың "
     "емес деп ал бірақ немесе не қана ғана тиіс керек болып болады сондай ақ мұндай арқылы "
     "туралы жөнінде бойынша бір ұсынамын ұсынамыз ұсыныс сұраймыз сұраймын ойлаймын қажет "
     "бап бабы бабын тармақ"},
};

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

namespace {

// Precomputed BM25 weights of one field: per term id, the units (articles or paragraphs) that
// hold it with the term's weight there.
struct Posting {
  std::uint32_t unit = 0;
  float weight = 0;
};
using Field = std::vector<std::vector<Posting>>;

Field bm25(const std::vector<std::vector<std::uint32_t>>& units, std::size_t terms) {
  Field field(terms);
  double total = 0;
  for (const auto& u : units) total += static_cast<double>(u.size());
  const double average =
      units.empty() ? 1 : std::max(total / static_cast<double>(units.size()), 1.0);
  std::vector<std::pair<std::uint32_t, int>> counts;
  for (std::size_t i = 0; i < units.size(); ++i) {
    std::vector<std::uint32_t> sorted = units[i];
    std::sort(sorted.begin(), sorted.end());
    counts.clear();
    for (std::uint32_t t : sorted) {
      if (counts.empty() || counts.back().first != t) {
        counts.emplace_back(t, 1);
      } else {
        ++counts.back().second;
      }
    }
    const double norm = kK1 * (1 - kB + kB * static_cast<double>(units[i].size()) / average);
    for (const auto& [t, n] : counts) {
      const double f = n;
      field[t].push_back(
          {static_cast<std::uint32_t>(i), static_cast<float>(f * (kK1 + 1) / (f + norm))});
    }
  }
  const auto n = static_cast<double>(units.size());
  for (auto& postings : field) {
    const auto d = static_cast<double>(postings.size());
    const double idf = std::log(1 + (n - d + 0.5) / (d + 0.5));
    for (Posting& p : postings) p.weight = static_cast<float>(p.weight * idf);
  }
  return field;
}

// The paragraphs of an article's text: its lines that hold a letter or digit.
std::vector<std::string_view> paragraphs(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) out.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

// The text's words, lowercased: runs of letters, and numbers as articles are numbered ("83-1").
std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  bool number = false;
  auto flush = [&] {
    if (!word.empty()) out.push_back(std::move(word));
    word.clear();
  };
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    const bool digit = c >= '0' && c <= '9';
    const bool letter = c >= 0 && !digit && u_isalpha(c);
    if (c == '-' && number && i < length && bytes[i] >= '0' && bytes[i] <= '9' &&
        word.find('-') == std::string::npos) {
      word += '-';
      continue;
    }
    if ((digit && !number) || (letter && number) || !(digit || letter)) flush();
    if (!(digit || letter)) continue;
    number = digit;
    char buf[U8_MAX_LENGTH];
    int32_t n = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, U8_MAX_LENGTH, u_tolower(c), error);
    if (!error) word.append(buf, static_cast<std::size_t>(n));
  }
  flush();
  return out;
}

// Whether a word names an article: "article", "art", "статья", "ст", "бап", "бабы".
bool article_word(std::string_view w) {
  return w.starts_with("art") || w.starts_with("стат") || w == "ст" || w.starts_with("бап") ||
         w.starts_with("баб");
}

}  // namespace

struct ArticleIndex::Language {
  std::string code;
  std::unordered_set<std::string> stop;  // stems of kStopwords
  std::unordered_map<std::string, std::uint32_t> words;
  std::unordered_map<std::uint64_t, std::uint32_t> pairs;  // two word ids -> the pair's id
  std::uint32_t terms = 0;
  Field body;
  Field paragraphs;
  std::vector<std::uint32_t> paragraph_article;
  Field titles;
  Field vocabulary;
  struct Phrase {
    std::uint32_t article = 0;
    std::vector<std::uint32_t> terms;  // the word of a one-word term, else its pairs
    float weight = 0;
  };
  std::vector<Phrase> phrases;
  std::vector<std::vector<std::uint32_t>> phrases_by_first;  // term id -> phrases it starts

  // The stems of `text` that carry meaning.
  std::vector<std::string> content(std::string_view text) const {
    std::vector<std::string> out = stems(text, code);
    std::erase_if(out, [&](const std::string& s) { return stop.contains(s); });
    return out;
  }

  // The ids of `text`'s stems and of its pairs of neighbouring stems, new ones added.
  std::vector<std::uint32_t> intern(std::string_view text) {
    const std::vector<std::string> c = content(text);
    std::vector<std::uint32_t> out;
    out.reserve(2 * c.size());
    for (const std::string& s : c) {
      auto [it, added] = words.try_emplace(s, terms);
      if (added) ++terms;
      out.push_back(it->second);
    }
    const std::size_t n = out.size();
    for (std::size_t i = 1; i < n; ++i) {
      const std::uint64_t key = (std::uint64_t{out[i - 1]} << 32U) | out[i];
      auto [it, added] = pairs.try_emplace(key, terms);
      if (added) ++terms;
      out.push_back(it->second);
    }
    return out;
  }

  // The ids of `text`'s known stems and pairs, sorted, each once.
  std::vector<std::uint32_t> lookup(std::string_view text) const {
    const std::vector<std::string> c = content(text);
    std::vector<std::uint32_t> ids;
    ids.reserve(2 * c.size());
    std::vector<std::int64_t> seq;
    seq.reserve(c.size());
    for (const std::string& s : c) {
      auto it = words.find(s);
      seq.push_back(it == words.end() ? -1 : it->second);
      if (it != words.end()) ids.push_back(it->second);
    }
    for (std::size_t i = 1; i < seq.size(); ++i) {
      if (seq[i - 1] < 0 || seq[i] < 0) continue;
      const std::uint64_t key =
          (static_cast<std::uint64_t>(seq[i - 1]) << 32U) | static_cast<std::uint64_t>(seq[i]);
      if (auto it = pairs.find(key); it != pairs.end()) ids.push_back(it->second);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
  }
};

ArticleIndex::ArticleIndex(const domain::Document& doc, const Vocabulary& vocabulary)
    : reference_(doc.language) {
  for (const domain::Article& a : doc.articles) {
    if (a.repealed) continue;
    positions_[a.id] = ids_.size();
    ids_.push_back(a.id);
  }
  const std::size_t n = ids_.size();
  for (const std::string& language : doc.languages) {
    auto l = std::make_shared<Language>();
    l->code = language;
    for (const auto& row : kStopwords) {
      if (row[0] != language) continue;
      for (std::string& s : stems(row[1], language)) l->stop.insert(std::move(s));
    }
    const auto titles = doc.section_titles.find(language);
    std::vector<std::vector<std::uint32_t>> body(n);
    std::vector<std::vector<std::uint32_t>> paras;
    std::vector<std::vector<std::uint32_t>> title(n);
    std::vector<std::vector<std::uint32_t>> vocab(n);
    // Per phrase: article, its words' ids, its terms' ids.
    struct Raw {
      std::uint32_t article;
      std::vector<std::uint32_t> words;
      std::vector<std::uint32_t> terms;
    };
    std::vector<Raw> raw;
    for (std::size_t i = 0; i < n; ++i) {
      const domain::Article& a = *doc.find(ids_[i]);
      auto text = a.texts.find(language);
      const std::string& whole = text == a.texts.end() ? a.text : text->second;
      for (std::string_view p : paragraphs(whole)) {
        std::vector<std::uint32_t> ids = l->intern(p);
        body[i].insert(body[i].end(), ids.begin(), ids.end());
        paras.push_back(std::move(ids));
        l->paragraph_article.push_back(static_cast<std::uint32_t>(i));
      }
      std::string section_title;
      if (titles != doc.section_titles.end()) {
        if (auto t = titles->second.find(a.section); t != titles->second.end())
          section_title = t->second;
      } else if (language == doc.language) {
        if (const domain::Section* s = doc.find_section(a.section)) section_title = s->title;
      }
      title[i] = l->intern(section_title);
      auto v = vocabulary.articles.find(ids_[i]);
      if (v == vocabulary.articles.end()) continue;
      auto terms = v->second.find(language);
      if (terms == v->second.end()) continue;
      for (const std::string& term : terms->second) {
        std::vector<std::uint32_t> ids = l->intern(term);
        if (ids.empty()) continue;
        vocab[i].insert(vocab[i].end(), ids.begin(), ids.end());
        const std::size_t count = (ids.size() + 1) / 2;  // k words make k - 1 pairs
        Raw r{static_cast<std::uint32_t>(i),
              {ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(count)},
              {}};
        if (count == 1) {
          r.terms = {ids.front()};
        } else {
          r.terms.assign(ids.begin() + static_cast<std::ptrdiff_t>(count), ids.end());
        }
        raw.push_back(std::move(r));
      }
    }
    l->body = bm25(body, l->terms);
    l->paragraphs = bm25(paras, l->terms);
    l->titles = bm25(title, l->terms);
    l->vocabulary = bm25(vocab, l->terms);
    // A phrase weighs by how few articles' vocabularies hold its words.
    std::vector<int> df(l->terms, 0);
    for (const auto& ids : vocab) {
      std::vector<std::uint32_t> once = ids;
      std::sort(once.begin(), once.end());
      once.erase(std::unique(once.begin(), once.end()), once.end());
      for (std::uint32_t t : once) ++df[t];
    }
    l->phrases_by_first.resize(l->terms);
    for (Raw& r : raw) {
      double weight = 0;
      for (std::uint32_t w : r.words) {
        const double d = df[w];
        weight += std::log(1 + (static_cast<double>(n) - d + 0.5) / (d + 0.5));
      }
      l->phrases_by_first[r.terms.front()].push_back(static_cast<std::uint32_t>(l->phrases.size()));
      l->phrases.push_back({r.article, std::move(r.terms), static_cast<float>(weight)});
    }
    languages_[language] = std::move(l);
  }
}

std::vector<Suggestion> ArticleIndex::rank(std::string_view text, std::string language,
                                           std::size_t limit) const {
  if (language.empty()) language = detect_language(text);
  auto it = languages_.find(language);
  if (it == languages_.end()) it = languages_.find(reference_);
  std::vector<Suggestion> out;
  if (it == languages_.end()) return out;
  const Language& l = *it->second;
  const std::size_t n = ids_.size();
  const std::vector<std::uint32_t> query = l.lookup(text);
  std::vector<double> sum(n, 0);
  std::vector<double> paragraph(l.paragraph_article.size(), 0);
  auto add = [&](const Field& field, std::vector<double>& into, double weight) {
    for (std::uint32_t t : query) {
      for (const Posting& p : field[t]) into[p.unit] += weight * p.weight;
    }
  };
  add(l.body, sum, kBodyWeight);
  add(l.titles, sum, kTitleWeight);
  add(l.vocabulary, sum, kVocabularyWeight);
  add(l.paragraphs, paragraph, kParagraphWeight);
  std::vector<double> best(n, 0);
  for (std::size_t p = 0; p < paragraph.size(); ++p) {
    double& b = best[l.paragraph_article[p]];
    b = std::max(b, paragraph[p]);
  }
  for (std::size_t i = 0; i < n; ++i) sum[i] += best[i];
  for (std::uint32_t t : query) {
    for (std::uint32_t index : l.phrases_by_first[t]) {
      const Language::Phrase& phrase = l.phrases[index];
      if (std::all_of(phrase.terms.begin() + 1, phrase.terms.end(), [&](std::uint32_t u) {
            return std::binary_search(query.begin(), query.end(), u);
          })) {
        sum[phrase.article] += kPhraseWeight * phrase.weight;
      }
    }
  }
  const std::vector<std::string> w = words(text);
  for (std::size_t i = 0; i < w.size(); ++i) {
    auto cited = positions_.find(w[i]);
    if (cited == positions_.end()) continue;
    const bool before = i > 0 && article_word(w[i - 1]);
    const bool after = (i + 1 < w.size() && article_word(w[i + 1])) ||
                       (i + 2 < w.size() && w[i + 1].size() <= 2 && article_word(w[i + 2]));
    if (before || after) sum[cited->second] += kCitedWeight;
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  const std::size_t k = std::min(limit, n);
  std::partial_sort(
      order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
      [&](std::size_t a, std::size_t b) { return sum[a] > sum[b] || (sum[a] == sum[b] && a < b); });
  out.reserve(k);
  for (std::size_t i = 0; i < k; ++i) {
    out.push_back({ids_[order[i]], 1 - std::exp(-sum[order[i]] / kScoreScale)});
  }
  return out;
}

}  // namespace usynys::match
