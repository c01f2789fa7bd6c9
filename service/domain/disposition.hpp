// Dispositions: what the commission decided about a proposal or a campaign, why, and which
// articles of a draft answer it.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace usynys::domain {

inline constexpr std::array<std::string_view, 5> kDecisions = {
    "under_review", "accepted", "partly_accepted", "rejected", "out_of_scope"};
// What statistics count a proposal without a decision as.
inline constexpr std::string_view kUndecided = "undecided";

struct Disposition {
  std::string decision;                          // one of kDecisions
  std::string reason;                            // NFC, trimmed, as the commission wrote it
  std::optional<std::string> answered_document;  // slug; nullopt when no article answers it
  std::vector<std::string> answered_articles;    // of that document, in document order
};

// A disposition as it stands for one proposal.
struct StandingDisposition {
  Disposition disposition;
  std::string applies_to;  // "proposal" (its own) or "campaign" (its campaign's)
  std::string decided_at;  // RFC 3339, UTC
};

}  // namespace usynys::domain
