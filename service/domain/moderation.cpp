#include "domain/moderation.hpp"

#include "domain/proposal.hpp"
#include "domain/text.hpp"

namespace usynys::domain {

std::string normalize_reason(const std::string& raw, const std::string& field,
                             std::vector<FieldError>& errors) {
  std::string reason = normalize_text(raw);
  if (reason.empty() || code_points(reason) > kMaxReasonChars) {
    errors.push_back({field, "must be 1 to 1000 characters after trimming"});
  } else if (has_control_chars(reason)) {
    errors.push_back({field, "must not contain control characters"});
  }
  return reason;
}

std::vector<FieldError> validate(const ModerationInput& in, ValidModeration& out) {
  std::vector<FieldError> errors;
  if (!in.status || !one_of(kStatuses, *in.status)) {
    errors.push_back({"/status", "must be \"visible\" or \"hidden\""});
  } else {
    out.status = *in.status;
  }
  if (!in.reason) {
    errors.push_back({"/reason", "is required: a string of 1 to 1000 characters"});
  } else {
    out.reason = normalize_reason(*in.reason, "/reason", errors);
  }
  return errors;
}

}  // namespace usynys::domain
