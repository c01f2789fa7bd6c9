// Per-article figures: counted proposals by submitter type, first and last times, and the
// breakdowns of one article. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/document.hpp"
#include "stats/counts.hpp"

namespace usynys::stats {

struct ArticleFigures {
  const domain::Article* article = nullptr;  // of the document the figures were computed for
  std::int64_t proposals = 0;
  std::optional<std::int64_t> proposals_unique;           // each campaign once; unset: not known
  std::map<std::string, std::int64_t> by_submitter_type;  // every type, zeros included
  std::optional<std::string> first_at;
  std::optional<std::string> last_at;
};

// One entry per article of `doc` (repealed ones and zeros included), in document order; rows
// for articles the document lacks are ignored.
std::vector<ArticleFigures> article_figures(const domain::Document& doc,
                                            const ArticleCounts& counts);

// The proposals of `counts` with each campaign counted once; unset when not known (read through
// an article map).
std::optional<std::int64_t> unique_proposals(const ArticleCounts& counts);

// A breakdown of one article's proposals: every key of `counts.by[dimension]`, the proposals
// without a value under `none_key`. For submitter types every type appears, zeros included.
std::map<std::string, std::int64_t> article_breakdown(const ArticleDetailCounts& counts,
                                                      const std::string& dimension,
                                                      const std::string& none_key);

}  // namespace usynys::stats
