#include "support/tcp_proxy.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <exception>
#include <future>
#include <utility>

namespace usynys::test {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// The most one direction reads from its source (64 KiB) before writing it on.
constexpr std::size_t kChunkBytes = 65536;

}  // namespace

// One accepted connection and its connection to the target. Lives on the proxy's thread; every
// pending operation holds a shared_ptr to it, the proxy's open_ set holds another until drop().
//
// A direction does not keep a read pending: it waits for its source to become readable and
// reads only then, if the proxy is not paused. So pausing needs no cancellation, and while
// paused nothing at all leaves the kernel's buffers.
class TcpProxy::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(TcpProxy& proxy, Socket client)
      : proxy_(proxy), client_(std::move(client)), upstream_(proxy.ioc_) {}

  // Connects to the target, then starts both directions (parked when the proxy is paused).
  void connect() {
    connecting_ = true;
    asio::async_connect(
        upstream_, proxy_.target_,
        [self = shared_from_this()](error_code ec, const Endpoint&) { self->on_connected(ec); });
  }

  // Starts what pause() held: the connection to the target, or the parked directions.
  void resume() {
    if (closed_) return;
    if (!connected_) {
      if (!connecting_) connect();
      return;
    }
    for (Direction* d : {&to_target_, &to_client_}) {
      if (d->parked) {
        d->parked = false;
        wait_readable(*d);
      }
    }
  }

  void close(bool reset) {
    if (closed_) return;
    closed_ = true;
    for (Socket* s : {&client_, &upstream_}) {
      error_code ignored;
      // With a zero linger time, close() on a TCP socket sends RST instead of FIN.
      if (reset) s->set_option(asio::socket_base::linger(true, 0), ignored);
      s->close(ignored);
    }
  }

 private:
  struct Direction {
    Socket& from;
    Socket& to;
    std::vector<char> buffer = std::vector<char>(kChunkBytes);
    bool parked = false;  // stopped by pause(), waiting for resume()
    bool done = false;    // `from` reached end of file, passed on to `to`
  };

  void on_connected(error_code ec) {
    connecting_ = false;
    if (closed_) return;
    if (ec) {
      proxy_.drop(shared_from_this(), true);
      return;
    }
    connected_ = true;
    for (Socket* s : {&client_, &upstream_}) {
      error_code ignored;
      // Reads happen only after readiness; a non-blocking socket answers would_block rather
      // than stall the proxy's thread when readiness was spurious.
      s->non_blocking(true, ignored);
      // Small protocol messages go out at once, as their senders meant (fails harmlessly on
      // a unix socket).
      s->set_option(asio::ip::tcp::no_delay(true), ignored);
    }
    for (Direction* d : {&to_target_, &to_client_}) {
      if (proxy_.paused_) {
        d->parked = true;
      } else {
        wait_readable(*d);
      }
    }
  }

  void wait_readable(Direction& d) {
    d.from.async_wait(asio::socket_base::wait_read,
                      [self = shared_from_this(), &d](error_code ec) { self->on_readable(d, ec); });
  }

  void on_readable(Direction& d, error_code ec) {
    if (closed_) return;
    if (ec) {
      proxy_.drop(shared_from_this(), true);
      return;
    }
    if (proxy_.paused_) {
      d.parked = true;
      return;
    }
    std::size_t n = d.from.read_some(asio::buffer(d.buffer), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again ||
        ec == asio::error::interrupted) {
      wait_readable(d);
      return;
    }
    if (ec == asio::error::eof) {
      d.done = true;
      error_code ignored;
      d.to.shutdown(asio::socket_base::shutdown_send, ignored);
      if (to_target_.done && to_client_.done) proxy_.drop(shared_from_this(), false);
      return;
    }
    if (ec) {
      proxy_.drop(shared_from_this(), true);
      return;
    }
    asio::async_write(d.to, asio::buffer(d.buffer.data(), n),
                      [self = shared_from_this(), &d](error_code write_ec, std::size_t) {
                        self->on_written(d, write_ec);
                      });
  }

  void on_written(Direction& d, error_code ec) {
    if (closed_) return;
    if (ec) {
      proxy_.drop(shared_from_this(), true);
      return;
    }
    if (proxy_.paused_) {
      d.parked = true;
      return;
    }
    wait_readable(d);
  }

  TcpProxy& proxy_;
  Socket client_;
  Socket upstream_;
  Direction to_target_{client_, upstream_};
  Direction to_client_{upstream_, client_};
  bool connecting_ = false;
  bool connected_ = false;
  bool closed_ = false;
};

TcpProxy::TcpProxy(ProxyTarget target) : acceptor_(ioc_) {
  if (const auto* address = std::get_if<TcpAddress>(&target)) {
    asio::ip::tcp::resolver resolver(ioc_);
    for (const auto& entry : resolver.resolve(address->host, std::to_string(address->port))) {
      target_.emplace_back(entry.endpoint());
    }
  } else {
    target_.emplace_back(
        asio::local::stream_protocol::endpoint(std::get<std::filesystem::path>(target).string()));
  }

  const asio::ip::tcp::endpoint listen_on(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(listen_on.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(listen_on);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();

  // The pending accept keeps run() going until the destructor closes the listener.
  do_accept();
  thread_ = std::thread([this] { ioc_.run(); });
}

TcpProxy::~TcpProxy() {
  run_on_proxy_thread([this] {
    stopping_ = true;
    error_code ignored;
    acceptor_.close(ignored);
    for (const auto& c : open_) c->close(false);
    open_.clear();
    publish_count();
  });
  // run() returns once the operations aborted above have completed.
  thread_.join();
}

template <class F>
void TcpProxy::run_on_proxy_thread(F f) {
  // The handler shares the promise: the caller may return, and its future go, while
  // set_value() is still finishing on the proxy's thread.
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> finished = done->get_future();
  asio::post(ioc_, [&f, done] {
    try {
      f();
      done->set_value();
    } catch (...) {
      done->set_exception(std::current_exception());
    }
  });
  finished.get();
}

void TcpProxy::pause() {
  run_on_proxy_thread([this] { paused_ = true; });
}

void TcpProxy::resume() {
  run_on_proxy_thread([this] {
    paused_ = false;
    // Connection::resume() only starts operations, whose handlers run later: open_ does not
    // change under the loop.
    for (const auto& c : open_) c->resume();
  });
}

void TcpProxy::cut() {
  run_on_proxy_thread([this] {
    for (const auto& c : open_) c->close(true);
    open_.clear();
    publish_count();
  });
}

std::size_t TcpProxy::connections() const {
  std::lock_guard lock(count_mutex_);
  return count_;
}

bool TcpProxy::wait_for_connections(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(count_mutex_);
  return count_changed_.wait_for(lock, timeout, [&] { return count_ == count; });
}

void TcpProxy::do_accept() {
  acceptor_.async_accept(
      [this](error_code ec, asio::ip::tcp::socket socket) { on_accept(ec, std::move(socket)); });
}

void TcpProxy::on_accept(error_code ec, asio::ip::tcp::socket socket) {
  if (stopping_) return;
  if (!ec) {
    error_code ignored;
    socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    auto connection = std::make_shared<Connection>(*this, Socket(std::move(socket)));
    open_.insert(connection);
    publish_count();
    if (!paused_) connection->connect();
  }
  // A failed accept (a client that gave up before it was taken, say) concerns that one
  // connection only.
  do_accept();
}

void TcpProxy::drop(const std::shared_ptr<Connection>& connection, bool reset) {
  connection->close(reset);
  if (open_.erase(connection) > 0) publish_count();
}

void TcpProxy::publish_count() {
  {
    std::lock_guard lock(count_mutex_);
    count_ = open_.size();
  }
  count_changed_.notify_all();
}

}  // namespace usynys::test
