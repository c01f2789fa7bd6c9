// Store: everything that reads or writes PostgreSQL. Public calls are awaitables that run on
// the DbPool's threads and throw domain::Error; <pqxx/...> stays inside store/.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/document.hpp"
#include "domain/proposal.hpp"
#include "stats/filter.hpp"

namespace usynys::store {

class DbPool;

struct StoreOptions {
  std::string url;
  int pool_size = 4;
  int statement_timeout_ms = 5000;
  int connect_timeout_s = 1;
  int queue_timeout_ms = 1500;
};

// Per article and submitter type: counted proposals and their first and last time.
struct ArticleTypeCount {
  std::string article;
  std::string submitter_type;
  std::int64_t proposals = 0;
  std::string first_at;
  std::string last_at;
};

struct ArticleCounts {
  std::int64_t proposals = 0;  // counted proposals (each once, whatever it references)
  std::vector<ArticleTypeCount> rows;
};

struct SectionCount {
  int section = 0;  // Section::number
  std::int64_t proposals = 0;
};

// What the sections statistic needs, read in one snapshot so that the two agree.
struct SectionStats {
  ArticleCounts articles;
  std::vector<SectionCount> sections;
};

// One article's counted proposals by dimension ("submitter_type", "channel", "language",
// "region", "kind", "day"; key empty when the proposal has no value), plus the totals.
struct ArticleDetail {
  std::int64_t proposals = 0;
  std::int64_t distinct_submitters = 0;  // distinct identifier hashes, where one was given
  std::string first_at;                  // empty when there is none
  std::string last_at;
  std::map<std::string, std::map<std::string, std::int64_t>> by;
};

struct TimelineCounts {
  std::map<std::string, std::int64_t> proposals;  // bucket start (YYYY-MM-DD) -> proposals
  // (bucket, article) pairs with counted references, in bucket order; each article's first
  // bucket is among them (without filters, only that one).
  std::vector<std::pair<std::string, std::string>> article_buckets;
};

// Synchronous, for start-up: checks that the migrations are applied, then writes each document
// whose file changed since it was last loaded (same file: nothing is written). Returns slug ->
// database id. Throws std::runtime_error naming the document and the problem.
std::map<std::string, int> sync_documents(const StoreOptions& options,
                                          const std::vector<domain::Document>& docs);

// Synchronous, for start-up: replaces the plain request digests that older versions stored by
// their keyed form (store/hash.hpp), in batches, each in its own transaction. Returns how many
// were rekeyed. Throws std::runtime_error when the database cannot be written.
std::int64_t rekey_request_fingerprints(const StoreOptions& options, const std::string& key);

class Store {
 public:
  // Reads: statistics and readiness, on their own connections. document_ids: slug -> id from
  // sync_documents.
  Store(const StoreOptions& options, std::map<std::string, int> document_ids);
  ~Store();

  // Statistics under a filter. Unfiltered and whole-day filters without region read the
  // aggregates; other filters count the raw tables. Both give the same numbers. Each call reads
  // one snapshot (one statement, or one repeatable read transaction).
  boost::asio::awaitable<ArticleCounts> article_counts(stats::Filter filter);
  // The article counts and the per-section proposal counts, from one snapshot.
  boost::asio::awaitable<SectionStats> section_stats(stats::Filter filter);
  boost::asio::awaitable<ArticleDetail> article_detail(stats::Filter filter, std::string article);
  // bucket: "day" or "week" (ISO weeks, starting Monday).
  boost::asio::awaitable<TimelineCounts> timeline(stats::Filter filter, std::string bucket);

  // True when the database answers a trivial query.
  boost::asio::awaitable<bool> ping();

  std::size_t queue_depth() const;
  void stop();

 private:
  int document_id(const std::string& slug) const;

  std::unique_ptr<DbPool> pool_;
  std::map<std::string, int> document_ids_;
};

}  // namespace usynys::store
