// PostgreSQL array literals for parameters (libpqxx 6 has no array parameters), and arrays read
// back from results.
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace usynys::store {

// '{"a","b",NULL}': each value quoted with '"' and '\' escaped; nullopt becomes NULL.
inline std::string text_array(const std::vector<std::optional<std::string>>& values) {
  std::string s = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) s += ',';
    if (!values[i]) {
      s += "NULL";
      continue;
    }
    s += '"';
    for (char c : *values[i]) {
      if (c == '"' || c == '\\') s += '\\';
      s += c;
    }
    s += '"';
  }
  s += '}';
  return s;
}

// '{1,2,3}': integers need no quoting.
template <class Integer>
std::string number_array(const std::vector<Integer>& values) {
  std::string s = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) s += ',';
    s += std::to_string(values[i]);
  }
  s += '}';
  return s;
}

// The strings of a one-dimensional array field, NULLs left out.
inline std::vector<std::string> array_strings(const pqxx::field& f) {
  std::vector<std::string> out;
  pqxx::array_parser a = f.as_array();
  for (;;) {
    auto [what, value] = a.get_next();
    if (what == pqxx::array_parser::done) break;
    if (what == pqxx::array_parser::string_value) out.push_back(std::move(value));
  }
  return out;
}

}  // namespace usynys::store
