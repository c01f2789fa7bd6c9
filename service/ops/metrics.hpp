// Prometheus metrics of the service (prometheus-cpp core), rendered in the text format.
// Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <tuple>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace prometheus {
class Registry;
template <typename T>
class Family;
class Counter;
class Histogram;
class Gauge;
}  // namespace prometheus

namespace usynys::ops {

// Values read at scrape time.
struct Gauges {
  std::size_t open_connections = 0;
  std::size_t requests_in_flight = 0;
  std::size_t intake_queue = 0;
  std::size_t intake_queue_capacity = 0;
  std::size_t read_queue = 0;
  bool database_up = false;  // the database answered the scrape's query
  // Committed proposals not yet folded (counted up to kBacklogCap); unknown while the database
  // does not answer.
  std::optional<std::int64_t> stats_backlog;
  std::optional<std::int64_t> search_backlog;
};

// Fold backlogs are counted up to this many proposals.
constexpr int kBacklogCap = 10000000;

class Metrics {
 public:
  Metrics();
  ~Metrics();

  // route: the route pattern ("/api/v1/documents/{slug}"), or "unmatched".
  void request(const std::string& route, const std::string& method, int status, double seconds);
  // One group-commit transaction of `size` proposals that took `seconds` to commit.
  void batch(std::size_t size, double seconds);
  // One fold ("stats_fold" or "search_fold") of `n` committed proposals, taking `seconds`.
  void fold(const std::string& fold, std::size_t n, double seconds);
  // kind: "unavailable" or "internal".
  void database_error(const std::string& kind);
  void proposals(const std::string& outcome, std::size_t n);  // stored, replayed, conflict
  // Work that ran again on a fresh connection after its own broke; pool: "read", "staff",
  // "intake".
  void retry(const std::string& pool);
  // One statistics answer served from a kept one (true) or computed for it (false).
  void stats_answer(bool kept);

  std::string render(const Gauges& gauges);

 private:
  // The series of one route, method and status, found once: the families' Add builds and
  // hashes a label map at each call.
  struct RequestSeries {
    prometheus::Counter* requests;
    prometheus::Histogram* latency;
  };
  std::mutex request_series_mutex_;
  std::map<std::tuple<std::string, std::string, int>, RequestSeries, std::less<>> request_series_;

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Family<prometheus::Counter>& db_errors_;
  prometheus::Family<prometheus::Counter>& proposals_;
  prometheus::Family<prometheus::Counter>& retries_;
  prometheus::Family<prometheus::Counter>& stats_answers_;
  prometheus::Counter& stats_kept_;
  prometheus::Counter& stats_computed_;
  prometheus::Histogram& batch_size_;
  prometheus::Histogram& commit_seconds_;
  prometheus::Family<prometheus::Counter>& folded_;
  prometheus::Family<prometheus::Histogram>& fold_seconds_;
  prometheus::Gauge& open_connections_;
  prometheus::Gauge& in_flight_;
  prometheus::Gauge& intake_queue_;
  prometheus::Gauge& intake_capacity_;
  prometheus::Gauge& read_queue_;
  prometheus::Gauge& database_up_;
  prometheus::Family<prometheus::Gauge>& backlog_;
};

}  // namespace usynys::ops
