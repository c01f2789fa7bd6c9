// What the statistics queries count, as the arithmetic in stats/ takes it. Plain data: the store
// fills it from one database snapshot, the stats functions turn it into figures.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace usynys::stats {

// Per article and submitter type: counted proposals and their first and last time.
struct ArticleTypeCount {
  std::string article;
  std::string submitter_type;
  std::int64_t proposals = 0;
  std::string first_at;  // RFC 3339 UTC
  std::string last_at;
};

// What a statistic read through an article map took from the older document.
struct ViaCounts {
  std::int64_t proposals = 0;        // its counted proposals (included in ArticleCounts::proposals)
  std::int64_t untagged = 0;         // of them, those with no reference (included in untagged)
  std::int64_t pairs_confirmed = 0;  // pairs with predecessors that counted: confirmed ...
  std::int64_t pairs_suggested = 0;  // ... and suggested at or above the minimum score
};

// How many proposals too many counts hold because of campaigns: a campaign with m counted
// members counts m - 1 too many (for the document, an article, a section), so that
// proposals_unique = proposals - excess.
struct CampaignExcess {
  std::int64_t proposals = 0;
  std::map<std::string, std::int64_t> articles;  // article id -> excess
  std::map<int, std::int64_t> sections;          // Section::number -> excess
};

struct ArticleCounts {
  std::int64_t proposals = 0;  // counted proposals (each once, whatever it references)
  std::int64_t untagged = 0;   // of them, those with no reference
  std::vector<ArticleTypeCount> rows;
  std::optional<ViaCounts> via;  // set when read through an article map
  // Set when asked to include suggestions: the untagged proposals counted through their
  // estimate (each for one article; included in rows, still counted in untagged).
  std::optional<std::int64_t> estimated;
  // Set unless read through an article map (campaigns never cross documents).
  std::optional<CampaignExcess> excess;
  // The statistics version of the snapshot they were read in (Store::stats_epoch).
  std::int64_t epoch = 0;
};

struct SectionCount {
  int section = 0;  // Section::number
  std::int64_t proposals = 0;
};

// What the sections statistic needs, read in one snapshot so that the two agree.
struct SectionCounts {
  ArticleCounts articles;
  std::vector<SectionCount> sections;
};

// One article's counted proposals by dimension ("submitter_type", "channel", "language",
// "region", "kind", "day"; key empty when the proposal has no value), plus the totals.
struct ArticleDetailCounts {
  std::int64_t proposals = 0;
  std::int64_t proposals_unique = 0;     // each campaign once
  std::int64_t distinct_submitters = 0;  // distinct identifier hashes, where one was given
  std::string first_at;                  // empty when there is none
  std::string last_at;
  std::map<std::string, std::map<std::string, std::int64_t>> by;
};

// The public figures of one campaign: no text.
struct CampaignFigures {
  std::int64_t id = 0;
  std::int64_t size = 0;              // visible members
  std::vector<std::string> articles;  // referenced by a visible member, document order
  std::string first_at;               // empty when no member is visible
  std::string last_at;
  std::map<std::string, std::int64_t> by_channel;
  std::map<std::string, std::int64_t> by_submitter_type;
};

struct CampaignList {
  std::int64_t campaigns = 0;  // campaigns of at least the minimum size (all, not just listed)
  std::int64_t members = 0;    // their visible members
  std::vector<CampaignFigures> largest;
};

struct TimelineCounts {
  std::map<std::string, std::int64_t> proposals;  // bucket start (YYYY-MM-DD) -> proposals
  std::map<std::string, std::int64_t> untagged;   // bucket start -> untagged proposals
  // (bucket, article) pairs with counted references, in bucket order; each article's first
  // bucket is among them (without filters, only that one).
  std::vector<std::pair<std::string, std::string>> article_buckets;
};

// The proposals a disposition statistic counts and the decided among them. Dimensions: "all"
// (key ""), "submitter_type", "channel", "article"; a proposal without a decision is
// `proposals - sum(decided)`. answered: per article of the document, the proposals (of any
// document) whose decision names it as answering them.
struct DispositionCounts {
  std::map<std::string, std::map<std::string, std::int64_t>> proposals;
  std::map<std::string, std::map<std::string, std::map<std::string, std::int64_t>>> decided;
  std::map<std::string, std::int64_t> answered;
};

}  // namespace usynys::stats
