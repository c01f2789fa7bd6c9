#include "stats/articles.hpp"

#include "domain/proposal.hpp"

namespace usynys::stats {
namespace {

std::map<std::string, std::int64_t> every_submitter_type() {
  std::map<std::string, std::int64_t> by;
  for (std::string_view t : domain::kSubmitterTypes) by[std::string(t)] = 0;
  return by;
}

}  // namespace

std::vector<ArticleFigures> article_figures(const domain::Document& doc,
                                            const ArticleCounts& counts) {
  std::vector<ArticleFigures> out;
  std::map<std::string, std::size_t, std::less<>> index;
  for (const domain::Article& a : doc.articles) {
    index.emplace(a.id, out.size());
    out.push_back({&a, 0, std::nullopt, every_submitter_type(), std::nullopt, std::nullopt});
  }
  for (const ArticleTypeCount& row : counts.rows) {
    auto it = index.find(row.article);
    if (it == index.end()) continue;
    ArticleFigures& f = out[it->second];
    f.proposals += row.proposals;
    f.by_submitter_type[row.submitter_type] = row.proposals;
    if (!f.first_at || row.first_at < *f.first_at) f.first_at = row.first_at;
    if (!f.last_at || row.last_at > *f.last_at) f.last_at = row.last_at;
  }
  if (counts.excess) {
    for (ArticleFigures& f : out) {
      auto it = counts.excess->articles.find(f.article->id);
      f.proposals_unique = f.proposals - (it != counts.excess->articles.end() ? it->second : 0);
    }
  }
  return out;
}

std::optional<std::int64_t> unique_proposals(const ArticleCounts& counts) {
  if (!counts.excess) return std::nullopt;
  return counts.proposals - counts.excess->proposals;
}

std::map<std::string, std::int64_t> article_breakdown(const ArticleDetailCounts& counts,
                                                      const std::string& dimension,
                                                      const std::string& none_key) {
  std::map<std::string, std::int64_t> by;
  if (dimension == "submitter_type") by = every_submitter_type();
  if (auto it = counts.by.find(dimension); it != counts.by.end()) {
    for (const auto& [key, n] : it->second) by[key.empty() ? none_key : key] += n;
  }
  return by;
}

}  // namespace usynys::stats
