#include "http/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <random>

#include "ops/log.hpp"

namespace usynys::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;
using boost::system::error_code;

struct Server::Connection {
  explicit Connection(tcp::socket s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  bool busy = false;  // a request is being read, handled or answered; only on the strand
};

namespace {

constexpr auto kAwait = asio::use_awaitable;

// A request id the client sent is kept when it is short and plain; otherwise a new one.
std::string request_id(const Request& req) {
  auto it = req.find("X-Request-Id");
  if (it != req.end()) {
    std::string_view v = it->value();
    bool ok = !v.empty() && v.size() <= 128;
    for (char c : v) {
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' ||
                  c == '.' || c == ':');
    }
    if (ok) return std::string(v);
  }
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  std::uint64_t r = rng();
  for (char& c : id) {
    c = kHex[r & 15];
    r >>= 4;
  }
  return id;
}

std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find('?'));
}

// Outcomes of reading that just end the connection without an answer.
bool is_disconnect(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
         ec == asio::error::operation_aborted || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == bhttp::error::partial_message ||
         ec == asio::error::bad_descriptor || ec == asio::error::broken_pipe;
}

// A request body read piece by piece, on demand, from the connection.
class StreamedBody final : public RequestBody {
 public:
  StreamedBody(beast::tcp_stream& stream, beast::flat_buffer& buffer,
               bhttp::request_parser<bhttp::string_body>&& head, std::uint64_t limit,
               std::chrono::milliseconds read_timeout)
      : stream_(stream), buffer_(buffer), parser_(std::move(head)), read_timeout_(read_timeout) {
    parser_.body_limit(limit);
  }

  asio::awaitable<std::string> next() override {
    if (parser_.is_done()) co_return std::string();
    std::string piece(kPiece, '\0');
    parser_.get().body().data = piece.data();
    parser_.get().body().size = piece.size();
    error_code ec;
    stream_.expires_after(read_timeout_);
    co_await bhttp::async_read(stream_, buffer_, parser_, asio::redirect_error(kAwait, ec));
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec == bhttp::error::body_limit) {
      throw BodyError(bhttp::status::payload_too_large, "the body exceeds its limit");
    }
    if (ec == beast::error::timeout) {
      throw BodyError(bhttp::status::request_timeout, "the body did not arrive in time");
    }
    if (ec) throw BodyError(bhttp::status::bad_request, "the body is malformed: " + ec.message());
    piece.resize(piece.size() - parser_.get().body().size);
    if (piece.empty() && !parser_.is_done()) co_return co_await next();
    co_return piece;
  }

  bool done() const { return parser_.is_done(); }

 private:
  static constexpr std::size_t kPiece = 65536;
  beast::tcp_stream& stream_;
  beast::flat_buffer& buffer_;
  bhttp::request_parser<bhttp::buffer_body> parser_;
  std::chrono::milliseconds read_timeout_;
};

// Writes the head of a streamed answer, then each piece of res.stream as it comes: chunks on
// HTTP/1.1, raw bytes up to the close on HTTP/1.0. True when the whole body went out; false when
// a write failed (ec set) or the stream threw (logged; the body stays incomplete).
asio::awaitable<bool> write_streamed(beast::tcp_stream& stream, Response& res, unsigned version,
                                     std::chrono::milliseconds write_timeout, error_code& ec) {
  const bool chunked = version >= 11;
  bhttp::response<bhttp::empty_body> head{res.base()};
  head.chunked(chunked);
  bhttp::response_serializer<bhttp::empty_body> sr{head};
  stream.expires_after(write_timeout);
  co_await bhttp::async_write_header(stream, sr, asio::redirect_error(kAwait, ec));
  if (ec) co_return false;
  for (;;) {
    std::string piece;
    try {
      piece = co_await res.stream->next();
    } catch (const std::exception& e) {
      ops::log("warn", {{"event", "stream_failed"}, {"error", e.what()}});
      co_return false;
    }
    if (piece.empty()) break;
    stream.expires_after(write_timeout);
    if (chunked) {
      co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(piece)),
                                 asio::redirect_error(kAwait, ec));
    } else {
      co_await asio::async_write(stream, asio::buffer(piece), asio::redirect_error(kAwait, ec));
    }
    if (ec) co_return false;
  }
  if (chunked) {
    stream.expires_after(write_timeout);
    co_await asio::async_write(stream, bhttp::make_chunk_last(), asio::redirect_error(kAwait, ec));
  }
  co_return !ec;
}

}  // namespace

Server::Server(asio::io_context& ioc, Handler& handler, std::string address, std::uint16_t port,
               const config::Limits& limits)
    : ioc_(ioc),
      handler_(handler),
      address_(std::move(address)),
      requested_port_(port),
      limits_(limits),
      acceptor_(asio::make_strand(ioc)) {}

Server::~Server() = default;

void Server::start() {
  tcp::endpoint ep(asio::ip::make_address(address_), requested_port_);
  acceptor_.open(ep.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(ep);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached);
}

void Server::drain() {
  draining_ = true;
  asio::post(acceptor_.get_executor(), [this] {
    error_code ignored;
    acceptor_.close(ignored);
  });
  std::lock_guard lock(mutex_);
  for (const auto& conn : connections_) {
    asio::post(conn->stream.get_executor(), [conn] {
      if (!conn->busy) {
        error_code ignored;
        conn->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        conn->stream.socket().close(ignored);
      }
    });
  }
}

asio::awaitable<void> Server::accept_loop() {
  asio::steady_timer backoff(acceptor_.get_executor());
  while (acceptor_.is_open()) {
    error_code ec;
    tcp::socket socket =
        co_await acceptor_.async_accept(asio::make_strand(ioc_), asio::redirect_error(kAwait, ec));
    if (ec) {
      if (!acceptor_.is_open() || ec == asio::error::operation_aborted) co_return;
      // Out of descriptors or similar: wait a little instead of spinning.
      ops::log("warn", {{"event", "accept_failed"}, {"error", ec.message()}});
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(asio::redirect_error(kAwait, ec));
      continue;
    }
    if (draining_ || open_.load() >= static_cast<std::size_t>(limits_.max_connections)) {
      socket.close(ec);
      continue;
    }
    auto conn = std::make_shared<Connection>(std::move(socket));
    {
      std::lock_guard lock(mutex_);
      connections_.insert(conn);
    }
    ++open_;
    asio::co_spawn(conn->stream.get_executor(), serve(conn),
                   [this, conn](const std::exception_ptr& e) {
                     if (e) {
                       try {
                         std::rethrow_exception(e);
                       } catch (const std::exception& ex) {
                         ops::log("error", {{"event", "connection_failed"}, {"error", ex.what()}});
                       }
                     }
                     std::lock_guard lock(mutex_);
                     connections_.erase(conn);
                     --open_;
                   });
  }
}

asio::awaitable<void> Server::serve(std::shared_ptr<Connection> conn) {
  beast::flat_buffer buffer;
  error_code ec;
  std::string peer = conn->stream.socket().remote_endpoint(ec).address().to_string();
  bool first = true;
  while (!draining_) {
    bhttp::request_parser<bhttp::string_body> parser;
    // Which limit the body has depends on its route (Handler::streamed_body_limit): known once
    // the head is read.
    parser.body_limit(boost::none);
    parser.header_limit(static_cast<std::uint32_t>(limits_.header_bytes));
    conn->stream.expires_after(first ? std::chrono::milliseconds(limits_.read_timeout_ms)
                                     : std::chrono::milliseconds(limits_.idle_timeout_ms));
    first = false;
    co_await bhttp::async_read_header(conn->stream, buffer, parser,
                                      asio::redirect_error(kAwait, ec));
    if (ec && is_disconnect(ec)) break;
    // drain() closes idle connections on this strand. A request whose header arrived just
    // before that close is not served: its client never saw an answer, and must not have its
    // proposal stored without one.
    if (!conn->stream.socket().is_open()) break;

    conn->busy = true;
    ++in_flight_;
    const auto started = std::chrono::steady_clock::now();
    Response res;
    bool close = false;
    std::string method = "-";
    std::string path = "-";
    std::string id;
    unsigned version = 11;
    if (ec == bhttp::error::header_limit) {
      res = handler_.reject(
          bhttp::status::request_header_fields_too_large,
          "the request headers exceed " + std::to_string(limits_.header_bytes) + " bytes");
      close = true;
    } else if (ec == bhttp::error::body_limit) {
      // The announced Content-Length is over the limit: refused before the body is read.
      res = handler_.reject(bhttp::status::payload_too_large,
                            "the body exceeds " + std::to_string(limits_.body_bytes) + " bytes");
      close = true;
    } else if (ec) {
      res = handler_.reject(bhttp::status::bad_request, "malformed HTTP request: " + ec.message());
      close = true;
    } else {
      const Request& head = parser.get();
      method = std::string(head.method_string());
      path = std::string(path_of(head.target()));
      id = request_id(head);
      version = head.version();
      const std::uint64_t streamed = handler_.streamed_body_limit(head);
      const std::uint64_t limit = streamed > 0 ? streamed : limits_.body_bytes;
      if (parser.content_length() && *parser.content_length() > limit) {
        res = handler_.reject(bhttp::status::payload_too_large,
                              "the body exceeds " + std::to_string(limit) + " bytes");
        close = true;
      } else if (streamed > 0) {
        if (beast::iequals(head[bhttp::field::expect], "100-continue")) {
          bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, head.version()};
          conn->stream.expires_after(std::chrono::milliseconds(limits_.write_timeout_ms));
          co_await bhttp::async_write(conn->stream, cont, asio::redirect_error(kAwait, ec));
        }
        Request req{head.base()};
        close = !req.keep_alive();
        auto body =
            std::make_shared<StreamedBody>(conn->stream, buffer, std::move(parser), streamed,
                                           std::chrono::milliseconds(limits_.read_timeout_ms));
        Context ctx{peer, id, body};
        res = co_await handler_.handle(std::move(req), std::move(ctx));
        // A body the handler left unread is not skipped: the connection ends with the answer.
        close = close || !body->done();
      } else {
        parser.body_limit(limits_.body_bytes);
        if (beast::iequals(head[bhttp::field::expect], "100-continue")) {
          bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, head.version()};
          conn->stream.expires_after(std::chrono::milliseconds(limits_.write_timeout_ms));
          co_await bhttp::async_write(conn->stream, cont, asio::redirect_error(kAwait, ec));
        }
        conn->stream.expires_after(std::chrono::milliseconds(limits_.read_timeout_ms));
        if (!ec) {
          co_await bhttp::async_read(conn->stream, buffer, parser,
                                     asio::redirect_error(kAwait, ec));
        }
        if (ec == bhttp::error::body_limit) {
          res =
              handler_.reject(bhttp::status::payload_too_large,
                              "the body exceeds " + std::to_string(limits_.body_bytes) + " bytes");
          close = true;
        } else if (ec && is_disconnect(ec)) {
          ops::log("info", {{"event", "request_abandoned"},
                            {"id", id},
                            {"peer", peer},
                            {"method", method},
                            {"path", path},
                            {"reason", ec.message()}});
          --in_flight_;
          break;
        } else if (ec) {
          res = handler_.reject(bhttp::status::bad_request,
                                "malformed HTTP request: " + ec.message());
          close = true;
        } else {
          Request req = parser.release();
          close = !req.keep_alive();
          // Named arguments: GCC 12 mishandles temporaries passed to coroutines.
          Context ctx{peer, id, nullptr};
          res = co_await handler_.handle(std::move(req), std::move(ctx));
        }
      }
    }
    if (id.empty()) id = request_id(Request{});
    res.set("X-Request-Id", id);
    close = close || draining_;
    if (res.stream) {
      // A streamed body: HTTP/1.0 has no chunks, so its end is the connection's close.
      close = close || version < 11;
      res.keep_alive(!close);
      const bool whole = co_await write_streamed(
          conn->stream, res, version, std::chrono::milliseconds(limits_.write_timeout_ms), ec);
      res.stream.reset();
      close = close || !whole;
    } else {
      res.keep_alive(!close);
      res.prepare_payload();
      conn->stream.expires_after(std::chrono::milliseconds(limits_.write_timeout_ms));
      co_await bhttp::async_write(conn->stream, res, asio::redirect_error(kAwait, ec));
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    ops::log_request(id, peer, method, path, res.result_int(), ms);
    conn->busy = false;
    --in_flight_;
    if (ec || close) break;
  }
  conn->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  conn->stream.close();
}

}  // namespace usynys::http
