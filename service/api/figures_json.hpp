// The figures of stats/ as JSON, under their own field names: what the API calls a figure is
// what stats/ calls it.
#pragma once

#include <nlohmann/json.hpp>

#include "stats/coverage.hpp"
#include "stats/sections.hpp"

namespace usynys::stats {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Coverage, proposals, untagged, articles_total, articles_touched,
                                   articles_share, sections_total, sections_touched, sections_share,
                                   content_chars_total, content_chars_touched, content_share,
                                   content_share_by_language, untouched_articles)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SectionFigures, section, number, title, articles_total,
                                   articles_touched, proposals, content_chars_total,
                                   content_chars_touched, content_share)

}  // namespace usynys::stats
