// The service manager's protocol (sd_notify): READY once the server listens and the database
// has answered, STOPPING when it drains, and the watchdog's keep-alive from the io_context, so
// that a server whose event loop hangs is restarted. Without systemd (no NOTIFY_SOCKET) every
// call does nothing.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>

namespace usynys::ops {

void notify_ready();
void notify_stopping();

// Sends WATCHDOG=1 every half of the interval systemd asks for (WatchdogSec=), from a timer on
// `ioc`: the pings stop when its threads stop turning. Inactive when no watchdog is asked for.
class Watchdog {
 public:
  explicit Watchdog(boost::asio::io_context& ioc);
  void cancel();

 private:
  void arm();

  boost::asio::steady_timer timer_;
  std::chrono::microseconds every_{0};
};

}  // namespace usynys::ops
