// Which articles of an older document a newer one takes over, suggested from their texts in one
// language: TF-IDF vectors of stemmed words and word pairs, compared by cosine, weighed by where
// the articles stand (the order of confident matches, and the sections they fall in). Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/document.hpp"

namespace usynys::match {

// Names the method and its version; stored with every computed map.
inline constexpr std::string_view kMapMethod = "tfidf-stems-bigrams+order+sections/1";

struct Candidate {
  std::string article;  // of the older document
  double score = 0;     // in [0, 1]
};

struct PairSuggestion {
  std::string article;                    // of the newer document
  std::vector<std::string> predecessors;  // of the older one, best first; empty: a new article
  // Confidence in [0, 1]: for predecessors, the best candidate's score; for a new article, how
  // far the best candidate stays below the bar of a match.
  double score = 0;
  std::vector<Candidate> candidates;  // the best few, best first, predecessors or not
};

struct MapParameters {
  double match_min = 0.25;      // a best candidate below this: a new article
  double merge_ratio = 0.5;     // further predecessors score at least this share of the best
  double merge_min = 0.16;      // ... and at least this
  double order_weight = 0.35;   // share of the score that depends on document order
  double order_spread = 6.0;    // articles away from the expected place where order halves
  double section_weight = 0.2;  // share of the score that depends on the sections' affinity
  double anchor_min = 0.45;     // cosine of a mutual best match that anchors the order
  std::size_t candidates = 5;
};

// One suggestion per article in force of `to`, in document order. Candidates are the articles
// in force of `from`. Both documents must have their text in `language`.
std::vector<PairSuggestion> suggest_map(const domain::Document& from, const domain::Document& to,
                                        std::string_view language,
                                        const MapParameters& parameters = {});

}  // namespace usynys::match
