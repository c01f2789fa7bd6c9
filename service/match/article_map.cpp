#include "match/article_map.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "match/terms.hpp"

namespace usynys::match {
namespace {

// A sparse vector: (term index, weight), by term index, of unit length.
using Vector = std::vector<std::pair<std::size_t, double>>;

double dot(const Vector& a, const Vector& b) {
  double sum = 0;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first < b[j].first) {
      ++i;
    } else if (b[j].first < a[i].first) {
      ++j;
    } else {
      sum += a[i++].second * b[j++].second;
    }
  }
  return sum;
}

struct Entry {
  const domain::Article* article;
  std::map<std::size_t, int> counts;  // term -> occurrences
  Vector vector;
};

class Vocabulary {
 public:
  std::size_t index(const std::string& term) {
    auto [it, added] = terms_.try_emplace(term, terms_.size());
    return it->second;
  }
  std::size_t size() const { return terms_.size(); }

 private:
  std::unordered_map<std::string, std::size_t> terms_;
};

std::vector<Entry> entries(const domain::Document& doc, std::string_view language,
                           Vocabulary& vocabulary) {
  std::vector<Entry> out;
  for (const domain::Article& a : doc.articles) {
    if (a.repealed) continue;
    auto text = a.texts.find(language);
    if (text == a.texts.end()) {
      throw std::invalid_argument("document " + doc.slug + " has no text in " +
                                  std::string(language));
    }
    Entry e{&a, {}, {}};
    const std::vector<std::string> words = stems(text->second, language);
    for (std::size_t i = 0; i < words.size(); ++i) {
      ++e.counts[vocabulary.index(words[i])];
      if (i + 1 < words.size()) ++e.counts[vocabulary.index(words[i] + ' ' + words[i + 1])];
    }
    out.push_back(std::move(e));
  }
  return out;
}

// TF-IDF weights (logarithmic term frequency, smoothed inverse document frequency over both
// documents' articles), normalised to unit length.
void weigh(std::vector<Entry>& from, std::vector<Entry>& to, std::size_t terms) {
  std::vector<int> df(terms, 0);
  for (auto* list : {&from, &to}) {
    for (const Entry& e : *list) {
      for (const auto& [term, n] : e.counts) ++df[term];
    }
  }
  const double n = static_cast<double>(from.size() + to.size());
  for (auto* list : {&from, &to}) {
    for (Entry& e : *list) {
      double norm = 0;
      for (const auto& [term, count] : e.counts) {
        const double w = (1 + std::log(count)) * (std::log((n + 1) / (df[term] + 1)) + 1);
        e.vector.emplace_back(term, w);
        norm += w * w;
      }
      norm = std::sqrt(norm);
      if (norm > 0) {
        for (auto& [term, w] : e.vector) w /= norm;
      }
    }
  }
}

using Anchor = std::pair<std::size_t, std::size_t>;  // (index in to, index in from)

// Confident mutual best matches that keep document order: the longest chain of them increasing
// in both documents.
std::vector<Anchor> anchors_of(const std::vector<std::vector<double>>& sims, double anchor_min) {
  const std::size_t to_size = sims.size();
  std::vector<std::size_t> best_from(to_size, 0);
  for (std::size_t t = 0; t < to_size; ++t) {
    best_from[t] = static_cast<std::size_t>(std::max_element(sims[t].begin(), sims[t].end()) -
                                            sims[t].begin());
  }
  std::vector<std::pair<std::size_t, std::size_t>> candidates;  // (to, from)
  for (std::size_t t = 0; t < to_size; ++t) {
    const std::size_t f = best_from[t];
    if (sims[t][f] < anchor_min) continue;
    bool mutual = true;
    for (std::size_t u = 0; u < to_size; ++u) {
      if (sims[u][f] > sims[t][f]) mutual = false;
    }
    if (mutual) candidates.emplace_back(t, f);
  }
  // The longest chain of candidates increasing in both documents (quadratic: a few hundred).
  std::vector<std::size_t> length(candidates.size(), 1);
  std::vector<std::size_t> previous(candidates.size(), SIZE_MAX);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (candidates[j].second < candidates[i].second && length[j] + 1 > length[i]) {
        length[i] = length[j] + 1;
        previous[i] = j;
      }
    }
  }
  std::vector<Anchor> anchors;
  if (!candidates.empty()) {
    std::size_t i =
        static_cast<std::size_t>(std::max_element(length.begin(), length.end()) - length.begin());
    for (; i != SIZE_MAX; i = previous[i]) anchors.push_back(candidates[i]);
    std::reverse(anchors.begin(), anchors.end());
  }
  return anchors;
}

// For each article of `to` (by index), the place in `from` where order puts its predecessor:
// an anchor's own, interpolated between anchors, and beyond the first and last one article
// per article.
std::vector<double> expected_places(const std::vector<Anchor>& anchor_list, std::size_t to_size,
                                    std::size_t from_size) {
  std::vector<std::pair<double, double>> anchors;
  anchors.reserve(anchor_list.size());
  for (const auto& [t, f] : anchor_list) {
    anchors.emplace_back(static_cast<double>(t), static_cast<double>(f));
  }
  std::vector<double> out(to_size);
  for (std::size_t t = 0; t < to_size; ++t) {
    const auto x = static_cast<double>(t);
    if (anchors.empty()) {
      out[t] = x * static_cast<double>(from_size) / static_cast<double>(to_size);
      continue;
    }
    auto next = std::lower_bound(anchors.begin(), anchors.end(), std::make_pair(x, -1.0));
    if (next == anchors.begin()) {
      out[t] = next->second - (next->first - x);
    } else if (next == anchors.end()) {
      out[t] = anchors.back().second + (x - anchors.back().first);
    } else {
      const auto& [x0, y0] = *(next - 1);
      const auto& [x1, y1] = *next;
      out[t] = y0 + (x - x0) * (y1 - y0) / (x1 - x0);
    }
  }
  return out;
}

// How much a section of `to` draws on a section of `from`: the share of its anchors that fall
// there, smoothed so that a pair without anchors is not ruled out (a new section has none).
class SectionAffinity {
 public:
  SectionAffinity(const std::vector<Anchor>& anchors, const std::vector<Entry>& to,
                  const std::vector<Entry>& from) {
    for (const auto& [t, f] : anchors) {
      ++pairs_[{to[t].article->section, from[f].article->section}];
      ++anchored_[to[t].article->section];
    }
  }
  // In [0, 1]; 1 for the section most of the anchors fall in.
  double operator()(int to_section, int from_section) const {
    auto total = anchored_.find(to_section);
    if (total == anchored_.end()) return 1;
    auto n = pairs_.find({to_section, from_section});
    const double share = n == pairs_.end() ? 0 : static_cast<double>(n->second) / total->second;
    return (share * total->second + 1) / (total->second + 1);
  }

 private:
  std::map<std::pair<int, int>, int> pairs_;
  std::map<int, int> anchored_;
};

}  // namespace

std::vector<PairSuggestion> suggest_map(const domain::Document& from, const domain::Document& to,
                                        std::string_view language, const MapParameters& p) {
  Vocabulary vocabulary;
  std::vector<Entry> old_articles = entries(from, language, vocabulary);
  std::vector<Entry> new_articles = entries(to, language, vocabulary);
  weigh(old_articles, new_articles, vocabulary.size());

  std::vector<std::vector<double>> sims(new_articles.size(),
                                        std::vector<double>(old_articles.size(), 0));
  for (std::size_t t = 0; t < new_articles.size(); ++t) {
    for (std::size_t f = 0; f < old_articles.size(); ++f) {
      sims[t][f] = dot(new_articles[t].vector, old_articles[f].vector);
    }
  }
  const std::vector<Anchor> anchors =
      old_articles.empty() ? std::vector<Anchor>{} : anchors_of(sims, p.anchor_min);
  const std::vector<double> places =
      expected_places(anchors, new_articles.size(), old_articles.size());
  const SectionAffinity affinity(anchors, new_articles, old_articles);

  std::vector<PairSuggestion> out;
  for (std::size_t t = 0; t < new_articles.size(); ++t) {
    std::vector<Candidate> ranked;
    for (std::size_t f = 0; f < old_articles.size(); ++f) {
      const double distance = (static_cast<double>(f) - places[t]) / p.order_spread;
      const double order = 1 / (1 + distance * distance);
      const double section =
          affinity(new_articles[t].article->section, old_articles[f].article->section);
      const double score = sims[t][f] * ((1 - p.order_weight) + p.order_weight * order) *
                           ((1 - p.section_weight) + p.section_weight * section);
      ranked.push_back({old_articles[f].article->id, std::clamp(score, 0.0, 1.0)});
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    PairSuggestion s;
    s.article = new_articles[t].article->id;
    const double best = ranked.empty() ? 0 : ranked.front().score;
    if (best >= p.match_min) {
      s.score = best;
      for (const Candidate& c : ranked) {
        if (c.score < std::max(p.merge_min, p.merge_ratio * best)) break;
        s.predecessors.push_back(c.article);
      }
    } else {
      s.score = 1 - best / p.match_min;
    }
    ranked.resize(std::min(ranked.size(), p.candidates));
    s.candidates = std::move(ranked);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace usynys::match
