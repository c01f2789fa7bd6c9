#include "ops/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace usynys::ops {

namespace {

const prometheus::Histogram::BucketBoundaries kLatency = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                          0.05,   0.1,   0.25,   0.5,   1,    2.5};
const prometheus::Histogram::BucketBoundaries kBatch = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

prometheus::Family<prometheus::Counter>& stats_answers(prometheus::Registry& r) {
  return prometheus::BuildCounter()
      .Name("usynys_stats_answers_total")
      .Help(
          "Public statistics answers, by source: kept (nothing counted changed since it was "
          "computed) or computed")
      .Register(r);
}

prometheus::Gauge& gauge(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r).Add({});
}

}  // namespace

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("usynys_http_requests_total")
                    .Help("HTTP requests answered, by route, method and status")
                    .Register(*registry_)),
      latency_(prometheus::BuildHistogram()
                   .Name("usynys_http_request_duration_seconds")
                   .Help("Time from a request read to its answer, by route")
                   .Register(*registry_)),
      db_errors_(prometheus::BuildCounter()
                     .Name("usynys_database_errors_total")
                     .Help("Requests that failed in the database, by kind")
                     .Register(*registry_)),
      proposals_(prometheus::BuildCounter()
                     .Name("usynys_proposals_total")
                     .Help("Submissions by outcome: stored, replayed, conflict")
                     .Register(*registry_)),
      retries_(prometheus::BuildCounter()
                   .Name("usynys_database_retries_total")
                   .Help("Work run again on a fresh connection after its own broke, by pool")
                   .Register(*registry_)),
      stats_answers_(stats_answers(*registry_)),
      stats_kept_(stats_answers_.Add({{"source", "kept"}})),
      stats_computed_(stats_answers_.Add({{"source", "computed"}})),
      batch_size_(prometheus::BuildHistogram()
                      .Name("usynys_intake_batch_size")
                      .Help("Proposals per group-commit transaction")
                      .Register(*registry_)
                      .Add({}, kBatch)),
      commit_seconds_(prometheus::BuildHistogram()
                          .Name("usynys_intake_commit_seconds")
                          .Help("Time to insert and commit one batch")
                          .Register(*registry_)
                          .Add({}, kLatency)),
      folded_(prometheus::BuildCounter()
                  .Name("usynys_folded_proposals_total")
                  .Help("Committed proposals folded, by fold: stats_fold (statistics "
                        "aggregates), search_fold (search vectors)")
                  .Register(*registry_)),
      fold_seconds_(prometheus::BuildHistogram()
                        .Name("usynys_fold_seconds")
                        .Help("Time of one fold transaction, by fold")
                        .Register(*registry_)),
      open_connections_(gauge(*registry_, "usynys_open_connections", "Open client connections")),
      in_flight_(gauge(*registry_, "usynys_requests_in_flight", "Requests being handled")),
      intake_queue_(gauge(*registry_, "usynys_intake_queue_depth",
                          "Proposals waiting for a group-commit writer")),
      intake_capacity_(gauge(*registry_, "usynys_intake_queue_capacity",
                             "Proposals the intake queue holds before it answers 503")),
      read_queue_(gauge(*registry_, "usynys_read_queue_depth",
                        "Statistics and readiness queries waiting for a connection")),
      database_up_(gauge(*registry_, "usynys_database_up",
                         "1 when the database answered this scrape's query, else 0")),
      backlog_(prometheus::BuildGauge()
                   .Name("usynys_fold_backlog")
                   .Help("Committed proposals waiting for a fold, by fold: stats_fold, "
                         "search_fold (absent while the database does not answer)")
                   .Register(*registry_)) {}

Metrics::~Metrics() = default;

void Metrics::request(const std::string& route, const std::string& method, int status,
                      double seconds) {
  RequestSeries series{};
  {
    std::lock_guard lock(request_series_mutex_);
    auto it = request_series_.find(std::tie(route, method, status));
    if (it == request_series_.end()) {
      it = request_series_
               .emplace(std::make_tuple(route, method, status),
                        RequestSeries{&requests_.Add({{"route", route},
                                                      {"method", method},
                                                      {"status", std::to_string(status)}}),
                                      &latency_.Add({{"route", route}}, kLatency)})
               .first;
    }
    series = it->second;
  }
  series.requests->Increment();
  series.latency->Observe(seconds);
}

void Metrics::retry(const std::string& pool) {
  retries_.Add({{"pool", pool}}).Increment();
}

void Metrics::stats_answer(bool kept) {
  (kept ? stats_kept_ : stats_computed_).Increment();
}

void Metrics::batch(std::size_t size, double seconds) {
  batch_size_.Observe(static_cast<double>(size));
  commit_seconds_.Observe(seconds);
}

void Metrics::fold(const std::string& fold, std::size_t n, double seconds) {
  folded_.Add({{"fold", fold}}).Increment(static_cast<double>(n));
  fold_seconds_.Add({{"fold", fold}}, kLatency).Observe(seconds);
}

void Metrics::database_error(const std::string& kind) {
  db_errors_.Add({{"kind", kind}}).Increment();
}

void Metrics::proposals(const std::string& outcome, std::size_t n) {
  proposals_.Add({{"outcome", outcome}}).Increment(static_cast<double>(n));
}

std::string Metrics::render(const Gauges& g) {
  open_connections_.Set(static_cast<double>(g.open_connections));
  in_flight_.Set(static_cast<double>(g.requests_in_flight));
  intake_queue_.Set(static_cast<double>(g.intake_queue));
  intake_capacity_.Set(static_cast<double>(g.intake_queue_capacity));
  read_queue_.Set(static_cast<double>(g.read_queue));
  database_up_.Set(g.database_up ? 1 : 0);
  const auto backlog = [this](const char* fold, const std::optional<std::int64_t>& n) {
    const prometheus::Labels labels{{"fold", fold}};
    if (n) {
      backlog_.Add(labels).Set(static_cast<double>(*n));
    } else if (backlog_.Has(labels)) {
      backlog_.Remove(&backlog_.Add(labels));
    }
  };
  backlog("stats_fold", g.stats_backlog);
  backlog("search_fold", g.search_backlog);
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace usynys::ops
