// The timeline: per bucket, proposals and the articles referenced for the first time, with the
// coverage reached by the end of the bucket. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/document.hpp"
#include "stats/counts.hpp"
#include "stats/coverage.hpp"

namespace usynys::stats {

struct TimelineBucket {
  std::string bucket;  // start of the bucket, YYYY-MM-DD
  std::int64_t proposals = 0;
  std::int64_t untagged = 0;              // of them, those with no reference
  std::vector<std::string> new_articles;  // first referenced in this bucket, document order
  Coverage cumulative;                    // articles touched up to the end of the bucket
};

// Buckets in order, each one that has proposals or a newly referenced article. An article is
// new in the first bucket in which it is referenced.
std::vector<TimelineBucket> timeline(const domain::Document& doc, const TimelineCounts& counts);

}  // namespace usynys::stats
