#include "store/periodic.hpp"

#include <algorithm>

#include "ops/log.hpp"
#include "store/db_pool.hpp"

namespace usynys::store {

Periodic::Periodic(std::string name, std::chrono::milliseconds interval, Open open, Round round,
                   IntakeBatches intake_batches)
    : name_(std::move(name)),
      interval_(interval),
      open_(std::move(open)),
      round_(std::move(round)),
      intake_batches_(std::move(intake_batches)) {}

Periodic::~Periodic() {
  stop();
}

void Periodic::start() {
  thread_ = std::thread([this] { run(); });
}

void Periodic::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Periodic::stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void Periodic::run() {
  std::unique_ptr<pqxx::connection> conn;
  auto wait = interval_;
  bool failing = false;
  std::uint64_t last_batches = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, wait, [this] { return stopping_; })) return;
    }
    try {
      if (!conn || !conn->is_open() || closed_by_server(*conn)) conn = open_();
      const std::uint64_t batches = intake_batches_ ? intake_batches_() : 0;
      const bool busy = batches != last_batches;
      last_batches = batches;
      if (!round_(*conn, busy)) return;
      if (failing) ops::log("info", {{"event", name_ + "_recovered"}});
      failing = false;
      wait = interval_;
    } catch (const std::exception& e) {
      if (!failing) ops::log("warn", {{"event", name_ + "_failed"}, {"error", e.what()}});
      failing = true;
      if (conn && !conn->is_open()) conn.reset();
      wait = std::min(wait * 2, interval_ * 10);
    }
  }
}

}  // namespace usynys::store
