// Folder: counts committed proposals into the statistics aggregates and computes their
// search vectors, in the background. Inserting a proposal only marks it pending (readers count
// and search pending proposals from the raw tables, so nothing waits for this); a thread with
// its own connection calls stats_fold() and search_fold() every interval, each again at once
// while it took a full batch. Several servers on one database may fold side by side: each fold
// takes marks nobody else holds.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <thread>

namespace usynys::store {

struct FolderOptions {
  std::string url;
  std::chrono::milliseconds interval{250};
  int batch = 10000;  // proposals per fold transaction at most
  int statement_timeout_ms = 60000;
  // While intake is busy (it committed a batch since the previous round), a fold runs only
  // when more proposals than its backlog wait for it, and takes only the excess: folding
  // yields the CPU to a burst of submissions and catches up after it. Readers stay exact
  // either way; a larger backlog only makes them count or search more pending proposals.
  // 0: fold everything every round.
  int stats_backlog = 0;
  int search_backlog = 0;
  // Intake's count of committed batches, for telling whether it is busy; empty: never busy.
  std::function<std::uint64_t()> intake_batches;
  // Called on the folder thread after each fold that took proposals: which fold
  // ("stats_fold", "search_fold"), how many proposals, and its time.
  std::function<void(const std::string&, std::size_t, double)> on_fold;
};

class Folder {
 public:
  explicit Folder(FolderOptions options);
  ~Folder();
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;

  // Finishes the fold in progress, if any, and joins the thread.
  void stop();

 private:
  void run();
  // Runs a fold ("stats" or "search") with that backlog until it takes less than it asked
  // for; false when stopping.
  bool fold(pqxx::connection& conn, const std::string& what, int backlog);

  FolderOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace usynys::store
