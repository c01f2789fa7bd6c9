// Intake: group commit of submitted proposals. Requests that arrive together share one
// transaction: a writer thread takes every proposal waiting (up to a batch limit), inserts them
// with a few statements, commits once, and only then answers each. A full queue answers
// unavailable at once instead of growing.
#pragma once

#include <atomic>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "domain/proposal.hpp"
#include "store/watchdog.hpp"

namespace usynys::store {

// Called on a writer thread after each committed batch: its size and commit time.
using OnBatch = std::function<void(std::size_t, double)>;

// Counters for /metrics; all monotonic except the queue depth.
struct IntakeStats {
  std::uint64_t batches = 0;
  std::uint64_t proposals = 0;  // stored
  std::uint64_t replays = 0;
  std::uint64_t conflicts = 0;
  std::uint64_t rejected_full = 0;  // refused because the queue was full
  std::uint64_t failed = 0;         // answered unavailable or internal
  double commit_seconds_sum = 0;
  std::vector<std::uint64_t> batch_size_buckets;  // counts for sizes <= 1,2,4,...,batch_max
};

class Intake {
 public:
  // Starts the writers of `intake`, each with its own connection to `url`.
  // A batch whose statements or commit outlive intake.statement_timeout_ms by hang_grace_ms is
  // presumed cut off by the network: its socket is shut down. on_retry: called each time a batch
  // runs again after its connection broke before its commit.
  Intake(const config::Intake& intake, std::string url, std::map<std::string, int> document_ids,
         std::string identifier_key, OnBatch on_batch = {}, int hang_grace_ms = 500,
         std::function<void()> on_retry = {});
  ~Intake();
  Intake(const Intake&) = delete;
  Intake& operator=(const Intake&) = delete;

  // Stores a proposal; resumes after its transaction committed. With an idempotency key: a
  // proposal stored with the same key and fingerprint is answered again (replayed); the same key
  // with another fingerprint throws domain::Error{conflict}. Throws domain::Error{unavailable}
  // when the queue is full, the wait exceeds the queue timeout or the database fails.
  boost::asio::awaitable<domain::StoredProposal> submit(domain::ValidProposal p,
                                                        std::optional<std::string> idempotency_key,
                                                        std::string request_fingerprint) {
    // The initiation runs when the awaitable is awaited, after this function returned: it owns
    // the arguments.
    auto initiate = [this, p = std::move(p), key = std::move(idempotency_key),
                     fp = std::move(request_fingerprint)](auto handler) mutable {
      auto ex = boost::asio::get_associated_executor(handler);
      auto shared = std::make_shared<decltype(handler)>(std::move(handler));
      Done done = [ex, shared](std::exception_ptr e, domain::StoredProposal r) {
        boost::asio::post(
            ex, [shared, e, r = std::move(r)]() mutable { std::move (*shared)(e, std::move(r)); });
      };
      accept(std::move(p), std::move(key), fp, std::move(done));
    };
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                       void(std::exception_ptr, domain::StoredProposal)>(
        std::move(initiate), boost::asio::use_awaitable);
  }

  std::size_t queue_depth() const;
  IntakeStats stats() const;
  // Answers everything queued, then stops the writers.
  void stop();

  // One queued proposal with its completion; defined in intake.cpp.
  struct Item;

 private:
  using Done = std::function<void(std::exception_ptr, domain::StoredProposal)>;
  // Hashes what must not reach SQL in clear and queues the proposal (or answers at once).
  void accept(domain::ValidProposal p, std::optional<std::string> key,
              const std::string& fingerprint, Done done);
  void writer();
  struct Connection;  // a writer's connection (intake.cpp)
  // Opens c afresh; false (and the database marked down) when it cannot.
  bool connect(Connection& c);
  // Answers, unavailable, what was queued before a connection attempt that failed at `attempted`.
  void answer_unreachable(std::unique_lock<std::mutex>& lock,
                          std::chrono::steady_clock::time_point attempted);
  // Stores `batch` on `conn` (opened or replaced when needed), once more on a fresh connection
  // when it broke before the commit; fills each item's result or error. Returns the failure of
  // the batch as a whole (a domain error), nullptr when it committed.
  std::exception_ptr write(std::vector<std::unique_ptr<Item>>& batch, Connection& conn,
                           std::unique_lock<std::mutex>& statements);
  // Answers every proposal still queued at its deadline (enqueued + queue_timeout) with
  // unavailable and drops it, whatever the writers are doing.
  void reaper();
  void record(std::size_t batch_size, double commit_seconds);
  std::chrono::milliseconds queue_timeout() const {
    return std::chrono::milliseconds(options_.queue_timeout_ms);
  }

  const config::Intake options_;
  const std::string url_;
  const OnBatch on_batch_;
  const int hang_grace_ms_;
  const std::function<void()> on_retry_;
  std::map<std::string, int> document_ids_;
  std::string identifier_key_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable reap_;
  std::condition_variable reconnect_;       // a writer waiting to connect again; woken by stop()
                                            // and by a proposal that finds no writer connected
  std::atomic<int> live_writers_{0};        // writers holding a connection
  std::atomic<bool> database_down_{false};  // the last connection attempt failed
  bool connect_now_ = false;  // a proposal arrived while no writer was connected; under mutex_
  // Held by the writer taking a batch and running its statements, released before its commit:
  // while one writer waits for its commit to be flushed, the next takes everything that
  // arrived meanwhile. Batches grow with the load, and flushes overlap with statements.
  std::mutex statements_;
  std::deque<std::unique_ptr<Item>> queue_;
  bool stopping_ = false;
  IntakeStats stats_;
  Watchdog watchdog_;
  std::vector<std::thread> threads_;
  std::thread reaper_;
};

}  // namespace usynys::store
