// What the handlers work with: the documents and the stores. Owned by main(), which outlives
// every request; handlers only borrow.
#pragma once

#include <chrono>
#include <functional>

#include "api/stats_cache.hpp"
#include "domain/document.hpp"
#include "ops/metrics.hpp"
#include "store/intake.hpp"
#include "store/staff_store.hpp"
#include "store/store.hpp"
#include "store/suggester.hpp"

namespace usynys::api {

struct Services {
  const domain::Catalog& catalog;
  store::Store& store;
  store::Intake& intake;
  store::StaffStore& staff;
  const store::ArticleIndexes& indexes;  // document id -> what its proposals are ranked against
  ops::Metrics& metrics;
  StatsCache& stats_cache;                // the public statistics every client shares
  std::function<ops::Gauges()> gauges;    // read at each /metrics scrape
  int retry_after_s = 2;                  // Retry-After on 503
  std::uint64_t streamed_body_bytes = 0;  // the limit of a streamed body (limits)
  config::Tagging tagging{};
  std::chrono::milliseconds receipt_answer{100};  // receipts.answer_ms
};

}  // namespace usynys::api
