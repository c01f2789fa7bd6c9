// Per-section figures: articles in force and touched, content, proposals. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/document.hpp"
#include "stats/counts.hpp"

namespace usynys::stats {

// Field names are the API's (api/figures_json.hpp renders them as they are).
struct SectionFigures {
  std::string section;  // the section's numeral as the document writes it (Section::roman)
  int number = 0;
  std::string title;
  int articles_total = 0;  // in force
  int articles_touched = 0;
  std::int64_t proposals = 0;  // counted proposals referencing the section, each once
  std::int64_t content_chars_total = 0;
  std::int64_t content_chars_touched = 0;
  double content_share = 0;  // 0 when the section has no content in force
  // Each campaign once; unset: not known (read through an article map). Rendered apart.
  std::optional<std::int64_t> proposals_unique;
};

// One entry per section of `doc`, in document order. `touched` holds the article ids referenced
// by a counted proposal (others are ignored); `proposals` the counts per section number;
// `excess` (may be null) what campaigns count too many.
std::vector<SectionFigures> section_figures(const domain::Document& doc,
                                            const std::set<std::string>& touched,
                                            const std::vector<SectionCount>& proposals,
                                            const CampaignExcess* excess = nullptr);

// The ids of the articles counted as referenced in `counts`.
std::set<std::string> touched_articles(const ArticleCounts& counts);

}  // namespace usynys::stats
