#include "stats/timeline.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace usynys::stats {

std::vector<TimelineBucket> timeline(const domain::Document& doc, const TimelineCounts& counts) {
  std::map<std::string, std::vector<std::string>> fresh;
  std::set<std::string> seen;
  for (const auto& [when, article] : counts.article_buckets) {
    if (seen.insert(article).second) fresh[when].push_back(article);
  }
  std::set<std::string> buckets;
  for (const auto& [when, n] : counts.proposals) buckets.insert(when);
  for (const auto& [when, ids] : fresh) buckets.insert(when);
  std::set<std::string> touched;
  std::vector<TimelineBucket> out;
  for (const std::string& when : buckets) {
    TimelineBucket b;
    b.bucket = when;
    if (auto it = counts.proposals.find(when); it != counts.proposals.end())
      b.proposals = it->second;
    if (auto it = counts.untagged.find(when); it != counts.untagged.end()) b.untagged = it->second;
    const std::vector<std::string>& ids = fresh[when];
    touched.insert(ids.begin(), ids.end());
    for (const domain::Article& a : doc.articles) {
      if (std::find(ids.begin(), ids.end(), a.id) != ids.end()) b.new_articles.push_back(a.id);
    }
    b.cumulative = compute_coverage(doc, touched, 0);
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace usynys::stats
