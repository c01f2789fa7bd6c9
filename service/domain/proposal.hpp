// A proposal as submitted, its validation against a document, and what is stored.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/disposition.hpp"
#include "domain/document.hpp"
#include "domain/error.hpp"

namespace usynys::domain {

inline constexpr std::array<std::string_view, 5> kSubmitterTypes = {
    "citizen", "party", "organization", "expert", "state_body"};
inline constexpr std::array<std::string_view, 6> kChannels = {"web",   "e-otinish", "egov",
                                                              "email", "mail",      "hearing"};
inline constexpr std::array<std::string_view, 3> kLanguages = {"kk", "ru", "en"};
inline constexpr std::array<std::string_view, 4> kKinds = {"amend", "repeal", "add", "comment"};

inline constexpr std::size_t kMaxArticles = 50;
inline constexpr std::size_t kMaxTextChars = 20000;
inline constexpr std::size_t kMaxNameChars = 200;
inline constexpr std::size_t kMaxRegionChars = 100;
inline constexpr std::size_t kMaxIdentifierChars = 64;
inline constexpr std::size_t kMaxExternalRefChars = 200;

// The key under which breakdowns by region count proposals that name no region; intake refuses
// it as a region (in any letter case), so that it never collides with one.
inline constexpr std::string_view kNoRegion = "unspecified";
bool is_reserved_region(std::string_view region);

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& values, std::string_view v) {
  for (std::string_view x : values) {
    if (x == v) return true;
  }
  return false;
}

struct ArticleRef {
  std::string article;
  std::optional<std::string> paragraph;
  // Index in the submitted array, for error pointers when earlier entries failed to map.
  std::size_t index = 0;
  bool operator==(const ArticleRef&) const = default;
};

// The body of a submission after JSON mapping; strings are as received (UTF-8).
struct ProposalInput {
  std::optional<std::string> document;  // slug; the default document when absent
  std::string submitter_type;
  std::optional<std::string> submitter_name;
  std::optional<std::string> submitter_region;
  std::optional<std::string> identifier;
  std::string channel = "web";
  std::optional<std::string> language;
  std::string kind = "comment";
  std::vector<ArticleRef> articles;  // empty: untagged
  std::string text;
  std::optional<std::string> proposed_text;
  std::optional<std::string> external_ref;  // its reference in its channel
  std::optional<std::string> received_at;   // RFC 3339; an import's only
};

// Where a proposal comes from, for the rules that differ: only an import may say when it was
// received (not later than `now`).
struct Origin {
  bool import = false;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

// A proposal that passed validation: free text NFC-normalised and trimmed.
struct ValidProposal {
  std::string document;  // slug
  std::string submitter_type;
  std::optional<std::string> submitter_name;
  std::optional<std::string> submitter_region;
  std::optional<std::string> identifier;  // clear; hashed before it reaches the store
  std::string channel;
  std::optional<std::string> language;
  std::string kind;
  std::vector<ArticleRef> articles;  // empty: untagged
  std::string text;
  std::optional<std::string> proposed_text;
  std::optional<std::string> external_ref;  // NFC, trimmed
  std::optional<std::string> received_at;   // UTC, microseconds (format_utc); import only
};

// The references that exist in `doc` and are in force, each article once, paragraphs among
// its labels; every other is reported at `pointer`/<its index>.
std::vector<ArticleRef> check_references(const Document& doc, const std::vector<ArticleRef>& refs,
                                         const std::string& pointer,
                                         std::vector<FieldError>& errors);

// Checks every rule against `doc` and returns all field errors (empty when valid). `out`
// receives the normalised proposal when there are none. Pure: no I/O.
std::vector<FieldError> validate(const ProposalInput& in, const Document& doc, ValidProposal& out,
                                 const Origin& origin = {});

// What a proposal says, as one string that two proposals share exactly when they say the same:
// every field that validation keeps (the identifier in clear: hash it before storing anything
// derived from it), received_at only when the proposal carried one. For telling a proposal sent
// again under the same external reference from another one.
std::string content_signature(const ValidProposal& p);

// What the store answers for a stored (or replayed) proposal.
struct StoredProposal {
  std::int64_t id = 0;
  std::string document;
  std::vector<std::string> articles;
  std::string received_at;  // RFC 3339, UTC
  bool replayed = false;    // an earlier answer returned again for the same Idempotency-Key
  std::string receipt;      // domain/receipt.hpp: given to the submitter, stored only as a hash
};

// What the holder of a receipt sees of its proposal (GET /api/v1/receipts/{receipt}).
struct ProposalReceipt {
  std::int64_t id = 0;
  std::string document;
  std::string received_at;                         // RFC 3339, UTC
  std::vector<std::string> articles;               // confirmed references, in document order
  bool hidden = false;                             // hidden by moderation
  std::optional<StandingDisposition> disposition;  // nullopt until decided
};

}  // namespace usynys::domain
