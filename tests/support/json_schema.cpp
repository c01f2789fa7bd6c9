#include "support/json_schema.hpp"

#include <algorithm>
#include <array>
#include <regex>
#include <set>
#include <stdexcept>
#include <string_view>

namespace usynys::test {

using nlohmann::json;

namespace {

// Annotations: they describe and constrain nothing ("format" is an annotation by default in
// 2020-12).
constexpr std::array<std::string_view, 9> kAnnotations{"description", "examples",   "default",
                                                       "title",       "deprecated", "readOnly",
                                                       "writeOnly",   "format",     "$comment"};

bool is_type(const json& v, std::string_view type) {
  if (type == "null") return v.is_null();
  if (type == "boolean") return v.is_boolean();
  if (type == "string") return v.is_string();
  if (type == "array") return v.is_array();
  if (type == "object") return v.is_object();
  if (type == "number") return v.is_number();
  if (type == "integer") {
    return v.is_number_integer() ||
           (v.is_number_float() && v.get<double>() == static_cast<double>(v.get<long long>()));
  }
  throw std::runtime_error("unknown schema type " + std::string(type));
}

std::size_t code_points(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// The JSON Pointer of `token` under `at` (nlohmann escapes "~" and "/").
std::string below(const std::string& at, const std::string& token) {
  return (json::json_pointer(at) / token).to_string();
}

}  // namespace

SchemaChecker::SchemaChecker(json document) : document_(std::move(document)) {}

const json& SchemaChecker::resolve(const std::string& ref) const {
  if (!ref.starts_with("#/")) throw std::runtime_error("only local references: " + ref);
  return document_.at(json::json_pointer(ref.substr(1)));
}

std::vector<std::string> SchemaChecker::problems(const json& schema, const json& value) const {
  std::vector<std::string> out;
  check(schema, value, "", out);
  return out;
}

void SchemaChecker::check(const json& schema, const json& value, const std::string& at,
                          std::vector<std::string>& out) const {
  if (schema.is_boolean()) {
    if (!schema.get<bool>()) out.push_back(at + ": not allowed here");
    return;
  }
  const std::string where = at.empty() ? "(the body)" : at;
  const auto fail = [&](const std::string& what) { out.push_back(where + ": " + what); };
  for (const auto& [key, rule] : schema.items()) {
    if (std::find(kAnnotations.begin(), kAnnotations.end(), key) != kAnnotations.end()) continue;
    if (key == "$ref") {
      check(resolve(rule.get<std::string>()), value, at, out);
    } else if (key == "type") {
      const bool ok = rule.is_string() ? is_type(value, rule.get<std::string>())
                                       : std::any_of(rule.begin(), rule.end(), [&](const json& t) {
                                           return is_type(value, t.get<std::string>());
                                         });
      if (!ok) fail("is " + std::string(value.type_name()) + ", not " + rule.dump());
    } else if (key == "enum") {
      if (std::find(rule.begin(), rule.end(), value) == rule.end()) {
        fail(value.dump() + " is not one of " + rule.dump());
      }
    } else if (key == "const") {
      if (value != rule) fail(value.dump() + " is not " + rule.dump());
    } else if (key == "properties") {
      if (!value.is_object()) continue;
      for (const auto& [name, sub] : rule.items()) {
        if (value.contains(name)) check(sub, value.at(name), below(at, name), out);
      }
    } else if (key == "required") {
      if (!value.is_object()) continue;
      for (const json& name : rule) {
        if (!value.contains(name.get<std::string>())) fail("lacks " + name.get<std::string>());
      }
    } else if (key == "additionalProperties") {
      if (!value.is_object()) continue;
      const json none = json::object();
      const json& known = schema.contains("properties") ? schema.at("properties") : none;
      for (const auto& [name, sub] : value.items()) {
        if (!known.contains(name)) check(rule, sub, below(at, name), out);
      }
    } else if (key == "propertyNames") {
      if (!value.is_object()) continue;
      for (const auto& [name, sub] : value.items()) check(rule, json(name), below(at, name), out);
    } else if (key == "items") {
      if (!value.is_array()) continue;
      for (std::size_t i = 0; i < value.size(); ++i) {
        check(rule, value[i], below(at, std::to_string(i)), out);
      }
    } else if (key == "minItems" || key == "maxItems") {
      if (!value.is_array()) continue;
      const auto n = rule.get<std::size_t>();
      if (key == "minItems" ? value.size() < n : value.size() > n) {
        fail(std::to_string(value.size()) + " items, " + key + " " + std::to_string(n));
      }
    } else if (key == "uniqueItems") {
      if (!value.is_array() || !rule.get<bool>()) continue;
      std::set<std::string> seen;
      for (const json& v : value) {
        if (!seen.insert(v.dump()).second) fail("repeats " + v.dump());
      }
    } else if (key == "minLength" || key == "maxLength") {
      if (!value.is_string()) continue;
      const std::size_t n = code_points(value.get<std::string>());
      const auto limit = rule.get<std::size_t>();
      if (key == "minLength" ? n < limit : n > limit) {
        fail(std::to_string(n) + " characters, " + key + " " + std::to_string(limit));
      }
    } else if (key == "pattern") {
      if (!value.is_string()) continue;
      if (!std::regex_search(value.get<std::string>(), std::regex(rule.get<std::string>()))) {
        fail(value.dump() + " does not match " + rule.get<std::string>());
      }
    } else if (key == "minimum" || key == "maximum") {
      if (!value.is_number()) continue;
      const double x = value.get<double>();
      const double limit = rule.get<double>();
      if (key == "minimum" ? x < limit : x > limit) fail(value.dump() + " beyond " + key);
    } else if (key == "allOf") {
      for (const json& sub : rule) check(sub, value, at, out);
    } else if (key == "anyOf" || key == "oneOf") {
      std::size_t matching = 0;
      std::vector<std::string> first;
      for (const json& sub : rule) {
        std::vector<std::string> mine;
        check(sub, value, at, mine);
        if (mine.empty()) {
          ++matching;
        } else if (first.empty()) {
          first = mine;
        }
      }
      if (matching == 0) {
        fail("matches none of " + key + (first.empty() ? "" : " (first: " + first.front() + ")"));
      } else if (key == "oneOf" && matching > 1) {
        fail("matches " + std::to_string(matching) + " schemas of oneOf");
      }
    } else if (key == "if") {
      std::vector<std::string> cond;
      check(rule, value, at, cond);
      const char* branch = cond.empty() ? "then" : "else";
      if (schema.contains(branch)) check(schema.at(branch), value, at, out);
    } else if (key == "then" || key == "else") {
      continue;  // with "if"
    } else {
      throw std::runtime_error("the schema checker does not know the keyword " + key);
    }
  }
}

}  // namespace usynys::test
