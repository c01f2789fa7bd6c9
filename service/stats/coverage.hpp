// Coverage arithmetic: which share of a document's articles, sections and content a set of
// touched articles represents. Pure: no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "domain/document.hpp"

namespace usynys::stats {

// Field names are the API's (api/figures_json.hpp renders them as they are).
struct Coverage {
  std::int64_t proposals = 0;
  std::int64_t untagged = 0;  // proposals with no reference: they touch no article
  int articles_total = 0;     // in force
  int articles_touched = 0;
  double articles_share = 0;
  int sections_total = 0;  // holding an article in force
  int sections_touched = 0;
  double sections_share = 0;
  std::int64_t content_chars_total = 0;
  std::int64_t content_chars_touched = 0;
  double content_share = 0;  // by the chars of the document's reference language
  // The same share by the chars of each language of the document.
  std::map<std::string, double> content_share_by_language;
  std::vector<std::string> untouched_articles;  // document order
};

// `touched` holds article ids referenced by at least one counted proposal; ids that are not
// articles in force of `doc` are ignored. Shares are 0 when their total is 0.
Coverage compute_coverage(const domain::Document& doc, const std::set<std::string>& touched,
                          std::int64_t proposals, std::int64_t untagged = 0);

}  // namespace usynys::stats
