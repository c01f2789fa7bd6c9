// Unicode text helpers for submitted strings. Input must be valid UTF-8 (the JSON parser
// guarantees it for body strings; `valid_utf8` checks anything else).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace usynys::domain {

// Strict UTF-8 (RFC 3629): no overlongs, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s);

// Unicode Normalization Form C (ICU). Throws std::runtime_error if ICU fails.
std::string to_nfc(std::string_view s);

// Removes leading and trailing Unicode white space (White_Space property).
std::string trim(std::string_view s);

// Number of Unicode code points.
std::size_t code_points(std::string_view s);

// True when s holds a C0/C1 control character other than tab, line feed and carriage return (a
// NUL, which PostgreSQL text cannot hold, included), or is not valid UTF-8: the rule for free
// text of several lines, kept as sent (CRLF line ends included).
bool has_control_chars(std::string_view s);

// True when s holds any C0/C1 control character, tab and line feed included: for values that
// are one line (query parameters, path segments, names).
bool has_any_control_char(std::string_view s);

// NFC, then trimmed: the form in which submitted free text is checked and stored.
inline std::string normalize_text(std::string_view s) {
  return trim(to_nfc(s));
}

// A proposal's whole text as it is compared, ranked and shown: its text, then its proposed
// wording on a line of its own when it has one.
inline std::string with_proposed_text(std::string_view text, std::string_view proposed_text) {
  std::string out(text);
  if (!proposed_text.empty()) {
    out += '\n';
    out += proposed_text;
  }
  return out;
}

// The strings of `items` in order, `separator` between each two.
template <class Strings>
std::string join(const Strings& items, std::string_view separator) {
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += separator;
    out += item;
    first = false;
  }
  return out;
}

}  // namespace usynys::domain
