// A TCP proxy that tests put between two processes to break the network between them on purpose:
// it listens on 127.0.0.1 (an ephemeral port) and forwards every connection it accepts to one
// target, a TCP address or a unix socket (a scripts/pg.sh cluster's DIR/.s.PGSQL.5432, so a
// client that only speaks TCP reaches a socket-only cluster), in both directions.
//
// Threads and ownership: the proxy owns one thread running its own io_context (Boost.Asio); the
// listener, every connection's two sockets and buffers, and the paused flag live on that thread
// alone. The public methods may be called from any other thread, concurrently with each other
// but not with the destructor: each hands its work to the proxy's thread and returns once it is
// done there, so its effect holds for everything that happens after it returns.
//
// Each accepted connection gets its own connection to the target. Half-closes are passed on
// (end of file from one side becomes a shutdown of sending towards the other); when a side resets
// or a write fails, both sides are reset. When the target cannot be connected, the accepted
// connection is reset.
#pragma once

#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <variant>
#include <vector>

namespace usynys::test {

// A target reached over TCP; `host` is a name or an address.
struct TcpAddress {
  std::string host;
  std::uint16_t port = 0;
};

// Where the proxy forwards to: a TCP address, or the path of a unix stream socket.
using ProxyTarget = std::variant<TcpAddress, std::filesystem::path>;

class TcpProxy {
 public:
  // Listens on 127.0.0.1, port 0, and starts the proxy's thread. A TCP target's host is resolved
  // here, once; the target itself is connected only for each accepted connection. Throws
  // boost::system::system_error when the host does not resolve, the unix socket path is too long
  // or the listener cannot be opened.
  explicit TcpProxy(ProxyTarget target);
  // Closes the listener and every connection (an ordinary close), then joins the thread.
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  // The port the proxy listens on, on 127.0.0.1.
  std::uint16_t port() const { return port_; }

  // Stops forwarding in both directions without closing anything: from its return until
  // resume(), the proxy reads nothing more from any connection, so what the peers send stays in
  // the kernel's socket buffers, and neither peer sees data, end of file or a reset: a silent
  // network. Bytes read before the call and still being written out are delivered. Connections
  // accepted meanwhile stay open and counted, but their target is not connected until resume().
  // Calling it while paused changes nothing.
  void pause();
  // Forwards again: everything that waited in the kernel's buffers goes on, in order, nothing
  // lost; connections accepted while paused connect to the target now. Calling it while not
  // paused changes nothing.
  void resume();
  // Resets every open connection on both sides (SO_LINGER 0, so a TCP peer gets RST; a unix
  // socket peer sees end of file) and forgets it: connections() is 0 when it returns. The
  // listener stays open and pause() or resume() still apply to the connections that follow.
  void cut();

  // Connections accepted and not yet closed, by either side or by cut(); those held by pause()
  // count too.
  std::size_t connections() const;
  // Waits up to `timeout` until connections() equals `count`; false when it does not.
  bool wait_for_connections(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  class Connection;
  using Socket = boost::asio::generic::stream_protocol::socket;
  using Endpoint = boost::asio::generic::stream_protocol::endpoint;

  // Runs `f` on the proxy's thread and waits until it has.
  template <class F>
  void run_on_proxy_thread(F f);
  void do_accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
  // Closes `connection` (resetting both sides when `reset`) and stops counting it.
  void drop(const std::shared_ptr<Connection>& connection, bool reset);
  void publish_count();

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<Endpoint> target_;
  std::uint16_t port_ = 0;

  // Proxy thread only.
  bool paused_ = false;
  bool stopping_ = false;
  std::set<std::shared_ptr<Connection>> open_;

  // The size of open_, for other threads.
  mutable std::mutex count_mutex_;
  mutable std::condition_variable count_changed_;
  std::size_t count_ = 0;

  std::thread thread_;
};

}  // namespace usynys::test
