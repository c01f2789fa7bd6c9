// Moderation: the statuses a proposal can have and the rules of a status change. Pure.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"

namespace usynys::domain {

inline constexpr std::array<std::string_view, 2> kStatuses = {"visible", "hidden"};
inline constexpr std::size_t kMaxReasonChars = 1000;

// A status change as requested: absent fields are nullopt.
struct ModerationInput {
  std::optional<std::string> status;
  std::optional<std::string> reason;
};

struct ValidModeration {
  std::string status;
  std::string reason;  // NFC, trimmed
};

// Checks the status (one of kStatuses) and the reason (1 to 1000 characters after trimming, no
// control characters but line breaks and tabs); every error, or none and `out` filled.
std::vector<FieldError> validate(const ModerationInput& in, ValidModeration& out);

// A reason for a staff action, normalised (NFC, trimmed), appended to `errors` as `field` when
// it breaks the rules above. Shared by every audited action.
std::string normalize_reason(const std::string& raw, const std::string& field,
                             std::vector<FieldError>& errors);

}  // namespace usynys::domain
