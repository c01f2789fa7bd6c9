// Campaign decisions for a batch of new texts: which earlier proposals and campaigns each new
// text joins. Candidates come from shared band keys and equal exact hashes (never from comparing
// all pairs); each is verified by the estimated Jaccard similarity of the two MinHash
// signatures, so the work per new text is bounded by the number of bands whatever the corpus
// size. Pure: the store reads the candidates and writes the decisions.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "match/near_duplicates.hpp"

namespace usynys::match {

// A MinHash as stored: the low 16 bits of each value (two unequal values collide with
// probability 1/65536, which the estimate ignores).
using StoredMinHash = std::array<std::uint16_t, kMinHashes>;

StoredMinHash stored_minhash(const TextSignature& sig);
// Big-endian hex (4 digits a value) and back; nullopt for anything but 512 hex digits.
std::string minhash_hex(const StoredMinHash& m);
std::optional<StoredMinHash> minhash_from_hex(const std::string& hex);
// The share of equal positions.
double estimated_jaccard(const StoredMinHash& a, const StoredMinHash& b);

// A band key of a document: equal keys mean the same band with the same rows, in one document.
std::int64_t document_band_key(int document, std::uint64_t band);

// A proposal already compared: its signature and campaign.
struct KnownProposal {
  std::int64_t id = 0;
  int document = 0;
  std::uint64_t exact = 0;
  StoredMinHash minhash{};
  std::optional<std::int64_t> campaign;
  std::int64_t campaign_members = 0;
};

// A new text of the batch.
struct NewText {
  std::int64_t id = 0;
  int document = 0;
  TextSignature signature;
};

// What the store writes for the batch.
struct CampaignGroup {
  std::optional<std::int64_t> kept;  // the campaign that stays (the largest); none: a new one
  std::int64_t representative = 0;   // of a new campaign: its earliest proposal
  std::vector<std::int64_t> merge;   // campaigns merged into kept
  std::vector<std::int64_t> join;    // proposals in no campaign yet that join it
};

struct CampaignDecisions {
  std::vector<CampaignGroup> groups;
  std::vector<std::pair<std::int64_t, std::int64_t>> new_bands;  // key -> first proposal
  std::size_t verified = 0;                                      // candidate pairs compared
};

struct CampaignCandidates {
  std::map<std::int64_t, KnownProposal> known;                          // by id
  std::map<std::int64_t, std::int64_t> band_holders;                    // key -> proposal id
  std::map<std::pair<int, std::uint64_t>, std::int64_t> exact_holders;  // (document, exact)
};

// Decides the batch: `texts` in id order; a text is a near-duplicate of a candidate (an earlier
// proposal holding one of its band keys or its exact hash, or an earlier text of the batch)
// when their estimated similarity reaches `similarity`; exact duplicates always are. At most
// `max_candidates` candidates are verified per text, those sharing the most bands first.
// Near-duplicates end in one campaign (two campaigns a text bridges are merged into the larger).
CampaignDecisions decide_campaigns(const std::vector<NewText>& texts,
                                   const CampaignCandidates& candidates, double similarity,
                                   std::size_t max_candidates);

}  // namespace usynys::match
