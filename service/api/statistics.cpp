// The public statistics: coverage, per article, one article's breakdowns, per section and the
// timeline. Each reads its counts from one database snapshot (store::Store) and leaves the
// arithmetic to stats/; this file maps parameters and renders JSON.
#include <set>

#include "api/conventions.hpp"
#include "api/figures_json.hpp"
#include "api/handlers.hpp"
#include "api/problem.hpp"
#include "api/request.hpp"
#include "api/stats_cache.hpp"
#include "domain/proposal.hpp"
#include "stats/articles.hpp"
#include "stats/coverage.hpp"
#include "stats/sections.hpp"
#include "stats/timeline.hpp"

namespace usynys::api::statistics {

namespace asio = boost::asio;
namespace bhttp = http::bhttp;
using domain::FieldError;
using nlohmann::json;

namespace {

// The statistics filters of the query plus the `extra` parameters allowed, and the document
// they name. Throws domain::Error{invalid} (a 422 naming each bad parameter).
struct Filtered {
  stats::Filter filter;
  const domain::Document* document = nullptr;
  std::optional<stats::Via> via;  // ?via=, where the endpoint takes it
};

Filtered read_filter(const Services& s, const Query& q,
                     const std::set<std::string, std::less<>>& extra = {}) {
  std::vector<FieldError> errors = q.errors;
  std::set<std::string, std::less<>> allowed = kFilterParams;
  allowed.insert(extra.begin(), extra.end());
  allowed.insert("include_suggested");
  reject_unknown(q, allowed, errors);
  Filtered out;
  out.filter = parse_filter(q, s.catalog.default_slug, errors);
  out.document = s.catalog.find(out.filter.document);
  if (out.document == nullptr)
    errors.push_back({"?document", "no document " + out.filter.document});
  if (const std::string* via = q.get("via"); via != nullptr && out.document != nullptr) {
    auto mapped = s.catalog.predecessors.find(out.document->slug);
    if (mapped == s.catalog.predecessors.end()) {
      errors.push_back({"?via", "document " + out.document->slug + " has no article map"});
    } else if (*via != mapped->second) {
      errors.push_back(
          {"?via", "document " + out.document->slug + " is mapped from " + mapped->second});
    } else {
      out.via = stats::Via{*via, s.catalog.map_min_score};
    }
  }
  if (const std::string* v = q.get("include_suggested")) {
    if (*v != "true" && *v != "false") {
      errors.push_back({"?include_suggested", "must be true or false"});
    } else if (*v == "true" && out.via) {
      errors.push_back({"?include_suggested", "cannot be combined with ?via"});
    } else {
      out.filter.include_suggested = *v == "true";
    }
  }
  require_valid_query(errors);
  return out;
}

// Marks an answer that counts estimates: "estimated": true, and how many untagged proposals
// were counted through their estimate where the read says.
void add_estimated(json& out, const Filtered& r, const stats::ArticleCounts* counts = nullptr) {
  if (!r.filter.include_suggested) return;
  out["estimated"] = true;
  if (counts != nullptr && counts->estimated) out["estimated_proposals"] = *counts->estimated;
}

// What a statistic read through an article map says of it.
void add_via(json& out, const Filtered& r, const stats::ArticleCounts& counts) {
  if (!r.via || !counts.via) return;
  out["via"] = {{"document", r.via->from},
                {"min_score", r.via->min_score},
                {"pairs_confirmed", counts.via->pairs_confirmed},
                {"pairs_suggested", counts.via->pairs_suggested},
                {"proposals", counts.via->proposals},
                {"untagged", counts.via->untagged}};
}

json optional_json(const std::optional<std::string>& v) {
  return v ? json(*v) : json(nullptr);
}

std::string section_label(const domain::Document& doc, int number) {
  const domain::Section* s = doc.find_section(number);
  return s != nullptr ? s->roman : std::to_string(number);
}

json article_json(const stats::ArticleFigures& f, const domain::Document& doc) {
  const domain::Article& a = *f.article;
  return {{"article", a.id},
          {"section", section_label(doc, a.section)},
          {"repealed", a.repealed},
          {"chars", a.chars},
          {"proposals", f.proposals},
          {"proposals_unique", f.proposals_unique ? json(*f.proposals_unique) : json(nullptr)},
          {"by_submitter_type", f.by_submitter_type},
          {"first_at", optional_json(f.first_at)},
          {"last_at", optional_json(f.last_at)}};
}

// Coverage, per article and per section: one answer for every client, kept by the StatsCache
// while nothing they count changes (estimates and article maps, which other tables feed, are
// computed each time).
asio::awaitable<Rendered> coverage_of(Services& s, Filtered r) {
  const domain::Document& doc = *r.document;
  stats::ArticleCounts counts = co_await s.store.article_counts(r.filter, r.via);
  json out = stats::compute_coverage(doc, stats::touched_articles(counts), counts.proposals,
                                     counts.untagged);
  out["document"] = doc.slug;
  const std::optional<std::int64_t> unique = stats::unique_proposals(counts);
  out["proposals_unique"] = unique ? json(*unique) : json(nullptr);
  add_via(out, r, counts);
  add_estimated(out, r, &counts);
  co_return Rendered{counts.epoch, std::move(out)};
}

asio::awaitable<Rendered> articles_of(Services& s, Filtered r) {
  const domain::Document& doc = *r.document;
  stats::ArticleCounts counts = co_await s.store.article_counts(r.filter, r.via);
  json list = json::array();
  for (const stats::ArticleFigures& a : stats::article_figures(doc, counts)) {
    list.push_back(article_json(a, doc));
  }
  json out = {{"document", doc.slug}, {"articles", std::move(list)}};
  add_via(out, r, counts);
  add_estimated(out, r, &counts);
  co_return Rendered{counts.epoch, std::move(out)};
}

asio::awaitable<Rendered> sections_of(Services& s, Filtered r) {
  const domain::Document& doc = *r.document;
  stats::SectionCounts counts = co_await s.store.section_counts(r.filter, r.via);
  const std::vector<stats::SectionFigures> figures =
      stats::section_figures(doc, stats::touched_articles(counts.articles), counts.sections,
                             counts.articles.excess ? &*counts.articles.excess : nullptr);
  json list = json::array();
  for (const stats::SectionFigures& f : figures) {
    json one = f;
    one["proposals_unique"] = f.proposals_unique ? json(*f.proposals_unique) : json(nullptr);
    list.push_back(std::move(one));
  }
  const std::optional<std::int64_t> unique = stats::unique_proposals(counts.articles);
  json out = {{"document", doc.slug},
              {"proposals", counts.articles.proposals},
              {"proposals_unique", unique ? json(*unique) : json(nullptr)},
              {"untagged", counts.articles.untagged},
              {"sections", std::move(list)}};
  add_via(out, r, counts.articles);
  add_estimated(out, r, &counts.articles);
  co_return Rendered{counts.articles.epoch, std::move(out)};
}

using Of = asio::awaitable<Rendered> (*)(Services&, Filtered);

// The answer of `of` to the request: the StatsCache's (under the request's target) unless it
// counts estimates or reads through a map. A kept answer goes out as it is: gzipped for a client
// that accepts it, with its entity tag (conventions.hpp makes the 304).
Answer shared_answer(Services& s, Call& call, Filtered r, Of of) {
  if (r.filter.include_suggested || r.via) {
    Rendered fresh = co_await of(s, std::move(r));
    co_return json_response(bhttp::status::ok, fresh.body);
  }
  Services* services = &s;
  std::string key(call.request.target());
  StatsCache::Compute compute = [services, r, of] { return of(*services, r); };
  const std::shared_ptr<const SharedAnswer> kept =
      co_await s.stats_cache.get(std::move(key), std::move(compute));
  http::Response res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, "application/json");
  res.set(bhttp::field::etag, kept->etag);
  if (!kept->gzipped.empty() && accepts_gzip(call.request[bhttp::field::accept_encoding])) {
    res.set(bhttp::field::content_encoding, "gzip");
    res.body() = kept->gzipped;
  } else {
    res.body() = kept->body;
  }
  co_return res;
}

}  // namespace

Answer coverage(Services& s, Call& call) {
  Filtered r = read_filter(s, call.query, {"via"});
  co_return co_await shared_answer(s, call, std::move(r), &coverage_of);
}

Answer articles(Services& s, Call& call) {
  Filtered r = read_filter(s, call.query, {"via"});
  co_return co_await shared_answer(s, call, std::move(r), &articles_of);
}

Answer article(Services& s, Call& call) {
  const Filtered r = read_filter(s, call.query);
  const domain::Document& doc = *r.document;
  const std::string& id = call.path_value("id");
  const domain::Article* a = doc.find(id);
  if (a == nullptr) {
    co_return problem(bhttp::status::not_found, "document " + doc.slug + " has no article " + id);
  }
  stats::ArticleDetailCounts d = co_await s.store.article_detail(r.filter, a->id);
  stats::ArticleFigures figures{a, d.proposals, d.proposals_unique, {}, std::nullopt, std::nullopt};
  if (!d.first_at.empty()) figures.first_at = d.first_at;
  if (!d.last_at.empty()) figures.last_at = d.last_at;
  json out = article_json(figures, doc);
  out["document"] = doc.slug;
  out["distinct_submitters"] = d.distinct_submitters;
  for (const char* dim : {"submitter_type", "channel", "language", "region", "kind", "day"}) {
    out[std::string("by_") + dim] =
        stats::article_breakdown(d, dim, std::string(domain::kNoRegion));
  }
  add_estimated(out, r);
  co_return json_response(bhttp::status::ok, out);
}

Answer sections(Services& s, Call& call) {
  Filtered r = read_filter(s, call.query, {"via"});
  co_return co_await shared_answer(s, call, std::move(r), &sections_of);
}

Answer timeline(Services& s, Call& call) {
  const Filtered r = read_filter(s, call.query, {"bucket"});
  const domain::Document& doc = *r.document;
  std::string bucket = "day";
  if (const std::string* b = call.query.get("bucket")) {
    if (*b != "day" && *b != "week") co_return bad_query({{"?bucket", "must be day or week"}});
    bucket = *b;
  }
  stats::TimelineCounts counts = co_await s.store.timeline(r.filter, bucket);
  json list = json::array();
  for (const stats::TimelineBucket& b : stats::timeline(doc, counts)) {
    list.push_back({{"bucket", b.bucket},
                    {"proposals", b.proposals},
                    {"untagged", b.untagged},
                    {"articles_new", b.new_articles.size()},
                    {"new_articles", b.new_articles},
                    {"articles_touched", b.cumulative.articles_touched},
                    {"articles_share", b.cumulative.articles_share},
                    {"sections_touched", b.cumulative.sections_touched},
                    {"content_share", b.cumulative.content_share}});
  }
  json out = {{"document", doc.slug}, {"bucket", bucket}, {"timeline", std::move(list)}};
  add_estimated(out, r);
  co_return json_response(bhttp::status::ok, out);
}

}  // namespace usynys::api::statistics
