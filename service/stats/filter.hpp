// The filters every statistics endpoint accepts. Pure data.
#pragma once

#include <optional>
#include <string>

namespace usynys::stats {

struct Filter {
  std::string document;  // slug
  std::optional<std::string> submitter_type;
  std::optional<std::string> channel;
  std::optional<std::string> language;
  std::optional<std::string> region;
  std::optional<std::string> from;  // inclusive lower bound, RFC 3339 UTC
  std::optional<std::string> to;    // exclusive upper bound, RFC 3339 UTC
  // Both bounds (when given) are UTC midnights, so whole-day aggregates can answer.
  bool whole_days = true;
  // Also count the estimate (best suggestion above the threshold) of each untagged proposal.
  bool include_suggested = false;

  bool unfiltered() const {
    return !submitter_type && !channel && !language && !region && !from && !to;
  }
};

// Statistics of a newer document read through its article map from an older one: proposals sent
// against the older document count for the articles that took over the ones they reference.
struct Via {
  std::string from;      // slug of the older document
  double min_score = 0;  // suggested pairs count from this score up; confirmed ones always
};

}  // namespace usynys::stats
