// Domain errors: what store/ and domain/ throw, and api/ renders as problem+json.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace usynys::domain {

// One offending field of a request body, named by JSON Pointer (RFC 6901).
struct FieldError {
  std::string field;
  std::string message;
  bool operator==(const FieldError&) const = default;
};

enum class ErrorKind { invalid, not_found, conflict, unavailable, internal };

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& detail, std::vector<FieldError> fields = {})
      : std::runtime_error(detail), kind_(kind), fields_(std::move(fields)) {}
  ErrorKind kind() const { return kind_; }
  const std::vector<FieldError>& fields() const { return fields_; }

 private:
  ErrorKind kind_;
  std::vector<FieldError> fields_;
};

}  // namespace usynys::domain
