#include "domain/document.hpp"

#include <algorithm>
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
  std::set<int> live_sections;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    const Article& a = articles[i];
    by_id_.emplace(a.id, i);
    if (!a.repealed) {
      ++articles_in_force_;
      chars_in_force_ += a.chars;
      live_sections.insert(a.section);
    }
  }
  sections_in_force_ = static_cast<int>(live_sections.size());
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

}  // namespace usynys::domain
