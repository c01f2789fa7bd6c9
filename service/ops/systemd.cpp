#include "ops/systemd.hpp"

#include <systemd/sd-daemon.h>

#include "ops/log.hpp"

namespace usynys::ops {

void notify_ready() {
  if (sd_notify(0, "READY=1") > 0) log("info", {{"event", "notified_ready"}});
}

void notify_stopping() {
  sd_notify(0, "STOPPING=1");
}

Watchdog::Watchdog(boost::asio::io_context& ioc) : timer_(ioc) {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    every_ = std::chrono::microseconds(usec / 2);
    log("info", {{"event", "watchdog"}, {"interval_ms", usec / 1000}});
    arm();
  }
}

void Watchdog::cancel() {
  timer_.cancel();
}

void Watchdog::arm() {
  sd_notify(0, "WATCHDOG=1");
  timer_.expires_after(every_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) arm();
  });
}

}  // namespace usynys::ops
