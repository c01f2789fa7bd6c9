#include "domain/document.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace usynys::domain {

bool Article::has_paragraph(std::string_view label) const {
  return std::find(paragraph_labels.begin(), paragraph_labels.end(), label) !=
         paragraph_labels.end();
}

void Document::index() {
  by_id_.clear();
  articles_in_force_ = 0;
  chars_in_force_ = 0;
  chars_in_force_by_language_.clear();
  std::set<int> live_sections;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    const Article& a = articles[i];
    by_id_.emplace(a.id, i);
    if (!a.repealed) {
      ++articles_in_force_;
      chars_in_force_ += a.chars;
      for (const auto& [lang, chars] : a.chars_by_language) {
        chars_in_force_by_language_[lang] += chars;
      }
      live_sections.insert(a.section);
    }
  }
  sections_in_force_ = static_cast<int>(live_sections.size());
}

std::int64_t Document::chars_in_force(std::string_view lang) const {
  auto it = chars_in_force_by_language_.find(lang);
  return it == chars_in_force_by_language_.end() ? 0 : it->second;
}

const Article* Document::find(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &articles[it->second];
}

const Section* Document::find_section(int number) const {
  for (const Section& s : sections) {
    if (s.number == number) return &s;
  }
  return nullptr;
}

const Document* Catalog::find(std::string_view slug) const {
  auto it = documents.find(slug);
  return it == documents.end() ? nullptr : &it->second;
}

std::string to_roman(int n) {
  static constexpr std::pair<int, const char*> kNumerals[] = {
      {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
      {40, "XL"},  {10, "X"},   {9, "IX"},  {5, "V"},    {4, "IV"},  {1, "I"}};
  std::string out;
  for (const auto& [value, text] : kNumerals) {
    while (n >= value) {
      out += text;
      n -= value;
    }
  }
  return out;
}

namespace {

int roman_digit(char c) {
  switch (c) {
    case 'I':
      return 1;
    case 'V':
      return 5;
    case 'X':
      return 10;
    case 'L':
      return 50;
    case 'C':
      return 100;
    case 'D':
      return 500;
    case 'M':
      return 1000;
    default:
      return 0;
  }
}

}  // namespace

std::optional<int> parse_section_number(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  if (s.find_first_not_of("0123456789") == std::string_view::npos) {
    if (s.size() > 3) return std::nullopt;
    int n = 0;
    for (char c : s) n = n * 10 + (c - '0');
    return n > 0 ? std::optional<int>(n) : std::nullopt;
  }
  std::string upper;
  for (char c : s) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  int n = 0;
  for (std::size_t i = 0; i < upper.size(); ++i) {
    const int v = roman_digit(upper[i]);
    if (v == 0) return std::nullopt;
    const int next = i + 1 < upper.size() ? roman_digit(upper[i + 1]) : 0;
    n += v < next ? -v : v;
  }
  if (n <= 0 || n > 3999 || to_roman(n) != upper) return std::nullopt;
  return n;
}

}  // namespace usynys::domain
