// Store: the statistics reads and readiness, on the read pool, plus the start-up work done
// before any pool exists (documents, fingerprint rekeying). Public calls are awaitables that run
// on the DbPool's threads and throw domain::Error; <pqxx/...> stays inside store/.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "domain/article_map.hpp"
#include "domain/document.hpp"
#include "domain/proposal.hpp"
#include "stats/counts.hpp"
#include "stats/filter.hpp"

namespace usynys::store {

class DbPool;

// The connection string of `database`: its url plus application_name=usynys (so that operators
// see which backends are the service's), TCP keepalives and tcp_user_timeout, each unless the url
// sets it, so that a connection over a network that stopped answering fails within bounds
// instead of waiting for the kernel's default two hours.
std::string connection_string(const config::Database& database);

// Synchronous, for start-up: checks that the migrations are applied, then writes each document
// whose file changed since it was last loaded (same file: nothing is written). Returns slug ->
// database id. Throws std::runtime_error naming the document and the problem.
std::map<std::string, int> sync_documents(const std::string& url,
                                          const std::vector<domain::Document>& docs);

// Synchronous, for start-up: replaces the plain request digests that older versions stored by
// their keyed form (store/hash.hpp), in batches, each in its own transaction. Returns how many
// were rekeyed. Throws std::runtime_error when the database cannot be written.
std::int64_t rekey_request_fingerprints(const std::string& url, const std::string& key);

// Synchronous, for start-up: merges the statistics version rows of database backends that are
// gone (stats_epoch_compact), keeping the version. Returns how many were merged.
int compact_stats_epoch(const std::string& url);

class Store {
 public:
  // The read pool of `database`. document_ids: slug -> id from sync_documents. on_retry: called
  // each time a read runs again after its connection broke.
  Store(const config::Database& database, std::map<std::string, int> document_ids,
        std::function<void()> on_retry = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Statistics under a filter. Unfiltered and whole-day filters without region read the
  // aggregates; other filters count the raw tables. Both give the same numbers. Each call reads
  // one snapshot (one statement, or one repeatable read transaction).
  // With `via`, the proposals of the older document count too (ArticleCounts::via says how).
  boost::asio::awaitable<stats::ArticleCounts> article_counts(stats::Filter filter,
                                                              std::optional<stats::Via> via = {});
  // The article counts and the per-section proposal counts, from one snapshot.
  boost::asio::awaitable<stats::SectionCounts> section_counts(stats::Filter filter,
                                                              std::optional<stats::Via> via = {});
  // The campaigns of a document with at least min_size visible members, the `limit` largest.
  boost::asio::awaitable<stats::CampaignList> campaigns(std::string document, int min_size,
                                                        int limit);
  boost::asio::awaitable<stats::ArticleDetailCounts> article_detail(stats::Filter filter,
                                                                    std::string article);
  // bucket: "day" or "week" (ISO weeks, starting Monday).
  boost::asio::awaitable<stats::TimelineCounts> timeline(stats::Filter filter, std::string bucket);

  // The proposals of `document` (of one submitter type, referencing one article, when given) and
  // their standing decisions.
  boost::asio::awaitable<stats::DispositionCounts> dispositions(
      std::string document, std::optional<std::string> submitter_type,
      std::optional<std::string> article);

  // The proposal whose receipt has SHA-256 `digest` (raw bytes); nullopt when none has.
  boost::asio::awaitable<std::optional<domain::ProposalReceipt>> receipt(std::string digest);

  // The stored article map from -> to; nullopt when none is stored.
  boost::asio::awaitable<std::optional<domain::ArticleMap>> article_map(std::string from,
                                                                        std::string to);

  // True when the database answers a trivial query.
  boost::asio::awaitable<bool> ping();

  // The statistics version now: equal to a snapshot's ArticleCounts::epoch when nothing the
  // statistics count has been committed since that snapshot, greater otherwise.
  boost::asio::awaitable<std::int64_t> stats_epoch();

  // Committed proposals waiting for the statistics and the search folds, each counted up to
  // `cap`; nullopt when the database does not answer.
  struct FoldBacklog {
    std::int64_t stats = 0;
    std::int64_t search = 0;
  };
  boost::asio::awaitable<std::optional<FoldBacklog>> fold_backlog(int cap);

  std::size_t queue_depth() const;
  void stop();

 private:
  int document_id(const std::string& slug) const;

  std::unique_ptr<DbPool> pool_;
  std::map<std::string, int> document_ids_;
};

}  // namespace usynys::store
