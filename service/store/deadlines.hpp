// The reaper of a queue whose jobs each wait at most a timeout: whatever the threads serving the
// queue are doing, a job still queued at its deadline is taken out and answered.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

namespace usynys::store {

// Runs on a thread of its own until `stopping` (read under `mutex`) is set and `wake` notified.
// `queue` is FIFO and every job's deadline is its `enqueued` time plus `timeout`, so the front
// is always the next to expire. Jobs past their deadline are removed under `mutex` and handed
// to `expire` with the mutex released. Notify `wake` when a job enters an empty queue.
template <class JobPtr, class Expire>
void reap_at_deadlines(std::mutex& mutex, std::condition_variable& wake, std::deque<JobPtr>& queue,
                       const bool& stopping, std::chrono::milliseconds timeout, Expire expire) {
  std::unique_lock lock(mutex);
  for (;;) {
    wake.wait(lock, [&] { return stopping || !queue.empty(); });
    if (stopping) return;
    // Until the front job's deadline, unless the queue empties or the service stops first (a job
    // that enters a non-empty queue expires after the front one).
    const auto deadline = queue.front()->enqueued + timeout;
    if (wake.wait_until(lock, deadline, [&] { return stopping || queue.empty(); })) continue;
    std::vector<JobPtr> expired;
    const auto now = std::chrono::steady_clock::now();
    while (!queue.empty() && queue.front()->enqueued + timeout <= now) {
      expired.push_back(std::move(queue.front()));
      queue.pop_front();
    }
    lock.unlock();
    expire(expired);
    lock.lock();
  }
}

}  // namespace usynys::store
