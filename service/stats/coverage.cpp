#include "stats/coverage.hpp"

#include "stats/share.hpp"

namespace usynys::stats {

Coverage compute_coverage(const domain::Document& doc, const std::set<std::string>& touched,
                          std::int64_t proposals, std::int64_t untagged) {
  Coverage c;
  c.proposals = proposals;
  c.untagged = untagged;
  c.articles_total = doc.articles_in_force();
  c.sections_total = doc.sections_in_force();
  c.content_chars_total = doc.chars_in_force();
  std::set<int> sections;
  std::map<std::string, std::int64_t> touched_by_language;
  for (const domain::Article& a : doc.articles) {
    if (a.repealed) continue;
    if (touched.contains(a.id)) {
      ++c.articles_touched;
      c.content_chars_touched += a.chars;
      for (const auto& [language, chars] : a.chars_by_language) {
        touched_by_language[language] += chars;
      }
      sections.insert(a.section);
    } else {
      c.untouched_articles.push_back(a.id);
    }
  }
  c.sections_touched = static_cast<int>(sections.size());
  c.articles_share = share(c.articles_touched, c.articles_total);
  c.sections_share = share(c.sections_touched, c.sections_total);
  c.content_share = share(c.content_chars_touched, c.content_chars_total);
  for (const std::string& language : doc.languages) {
    c.content_share_by_language[language] =
        share(touched_by_language[language], doc.chars_in_force(language));
  }
  return c;
}

}  // namespace usynys::stats
