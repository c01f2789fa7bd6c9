// Checks JSON values against the JSON Schema (2020-12) of an OpenAPI 3.1 description: the
// keywords the served description uses. A keyword the checker does not know fails the check, so
// that a schema never passes only because part of it was skipped.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace usynys::test {

class SchemaChecker {
 public:
  // `document`: the description whose "#/components/..." references schemas resolve against.
  explicit SchemaChecker(nlohmann::json document);

  // What is wrong with `value` under `schema`, each naming a JSON Pointer into the value; empty
  // when it conforms.
  std::vector<std::string> problems(const nlohmann::json& schema,
                                    const nlohmann::json& value) const;

  const nlohmann::json& document() const { return document_; }

 private:
  void check(const nlohmann::json& schema, const nlohmann::json& value, const std::string& at,
             std::vector<std::string>& out) const;
  const nlohmann::json& resolve(const std::string& ref) const;

  nlohmann::json document_;
};

}  // namespace usynys::test
