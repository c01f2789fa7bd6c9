// PostgreSQL array literals for parameters (libpqxx 6 has no array parameters).
#pragma once

#include <optional>
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

}  // namespace usynys::store
