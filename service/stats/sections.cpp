#include "stats/sections.hpp"

#include "stats/share.hpp"

namespace usynys::stats {

std::vector<SectionFigures> section_figures(const domain::Document& doc,
                                            const std::set<std::string>& touched,
                                            const std::vector<SectionCount>& proposals,
                                            const CampaignExcess* excess) {
  std::vector<SectionFigures> out;
  for (const domain::Section& s : doc.sections) {
    SectionFigures f;
    f.section = s.roman;
    f.number = s.number;
    f.title = s.title;
    for (const domain::Article& a : doc.articles) {
      if (a.section != s.number || a.repealed) continue;
      ++f.articles_total;
      f.content_chars_total += a.chars;
      if (touched.contains(a.id)) {
        ++f.articles_touched;
        f.content_chars_touched += a.chars;
      }
    }
    for (const SectionCount& sc : proposals) {
      if (sc.section == s.number) f.proposals = sc.proposals;
    }
    if (excess != nullptr) {
      auto it = excess->sections.find(s.number);
      f.proposals_unique = f.proposals - (it != excess->sections.end() ? it->second : 0);
    }
    f.content_share = share(f.content_chars_touched, f.content_chars_total);
    out.push_back(f);
  }
  return out;
}

std::set<std::string> touched_articles(const ArticleCounts& counts) {
  std::set<std::string> touched;
  for (const ArticleTypeCount& row : counts.rows) touched.insert(row.article);
  return touched;
}

}  // namespace usynys::stats
