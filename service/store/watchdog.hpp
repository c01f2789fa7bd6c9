// Watchdog: actions that run at a deadline unless their work ended first. Database work waiting
// on a peer that went silent (no RST, no FIN: a stalled proxy, a cut network) would keep its
// thread forever, and its caller past what it was promised; the watchdog answers the caller at
// its deadline and shuts the connection's socket down at its own, which makes the blocked libpq
// call fail so that the thread reconnects. One thread of its own.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace usynys::store {

class Watchdog {
 public:
  using Clock = std::chrono::steady_clock;
  using Id = std::uint64_t;

  Watchdog();
  // Stops the thread; pending actions never run.
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Runs `action` at `deadline` unless cancel(id) came first. Actions run on the watchdog's
  // thread with its lock held: they must be quick and must not call the watchdog.
  Id arm(Clock::time_point deadline, std::function<void()> action);
  // After cancel returns, the action of `id` is done or will never run. Unknown ids (already
  // run) are fine.
  void cancel(Id id);

  // An action for arm(): shuts socket `fd` down in both directions, so that whoever blocks on
  // it gets an error at once (the descriptor stays open: its owner closes it).
  static std::function<void()> shut_down_socket(int fd);

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::multimap<Clock::time_point, std::pair<Id, std::function<void()>>> actions_;
  std::map<Id, Clock::time_point> deadlines_;
  Id next_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace usynys::store
