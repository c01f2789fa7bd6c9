// Folder: counts committed proposals into the statistics aggregates and computes their
// search vectors, in the background. Inserting a proposal only marks it pending (readers count
// and search pending proposals from the raw tables, so nothing waits for this); a thread with
// its own connection calls stats_fold() and search_fold() every interval, each again at once
// while it took a full batch. Several servers on one database may fold side by side: each fold
// takes marks nobody else holds.
#pragma once

#include <cstdint>
#include <functional>
#include <pqxx/pqxx>
#include <string>

#include "config/config.hpp"
#include "store/periodic.hpp"

namespace usynys::store {

// Called on the folder thread after each fold that took proposals: which fold ("stats_fold",
// "search_fold"), how many proposals, and its time.
using OnFold = std::function<void(const std::string&, std::size_t, double)>;

class Folder {
 public:
  // Folds every intake.fold_interval_ms, intake.fold_batch proposals per transaction at most.
  // While intake is busy (it committed a batch since the previous round), a fold runs only when
  // more proposals than its backlog (intake.stats_backlog, intake.search_backlog) wait for it,
  // and takes only the excess: folding yields the CPU to a burst of submissions and catches up
  // after it. Readers stay exact either way; a larger backlog only makes them count or search
  // more pending proposals. A backlog of 0 folds everything every round.
  Folder(const config::Intake& intake, std::string url, IntakeBatches intake_batches = {},
         OnFold on_fold = {});
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;

  // Finishes the fold in progress, if any, and joins the thread.
  void stop() { thread_.stop(); }

 private:
  // Runs a fold ("stats" or "search") with that backlog until it takes less than it asked
  // for; false when stopping.
  bool fold(pqxx::connection& conn, const std::string& what, int backlog);

  const config::Intake options_;
  const OnFold on_fold_;
  Periodic thread_;
};

}  // namespace usynys::store
