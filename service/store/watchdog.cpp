#include "store/watchdog.hpp"

#include <sys/socket.h>

namespace usynys::store {

Watchdog::Watchdog() {
  thread_ = std::thread([this] { run(); });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Watchdog::Id Watchdog::arm(Clock::time_point deadline, std::function<void()> action) {
  std::lock_guard lock(mutex_);
  const Id id = next_++;
  const bool earliest = actions_.empty() || deadline < actions_.begin()->first;
  actions_.emplace(deadline, std::make_pair(id, std::move(action)));
  deadlines_.emplace(id, deadline);
  if (earliest) changed_.notify_one();
  return id;
}

void Watchdog::cancel(Id id) {
  std::lock_guard lock(mutex_);
  auto d = deadlines_.find(id);
  if (d == deadlines_.end()) return;
  auto [first, last] = actions_.equal_range(d->second);
  for (auto it = first; it != last; ++it) {
    if (it->second.first == id) {
      actions_.erase(it);
      break;
    }
  }
  deadlines_.erase(d);
}

std::function<void()> Watchdog::shut_down_socket(int fd) {
  return [fd] { ::shutdown(fd, SHUT_RDWR); };
}

void Watchdog::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (stopping_) return;
    if (actions_.empty()) {
      changed_.wait(lock, [this] { return stopping_ || !actions_.empty(); });
      continue;
    }
    const auto deadline = actions_.begin()->first;
    if (Clock::now() < deadline) {
      // Until the earliest deadline, or until an earlier one is armed.
      changed_.wait_until(lock, deadline, [this, deadline] {
        return stopping_ || actions_.empty() || actions_.begin()->first < deadline;
      });
      continue;
    }
    auto it = actions_.begin();
    std::function<void()> action = std::move(it->second.second);
    deadlines_.erase(it->second.first);
    actions_.erase(it);
    // Under the lock: cancel() returning means the action is done or gone.
    action();
  }
}

}  // namespace usynys::store
