// HTTP/1.1 server: accepts connections, reads requests within limits and timeouts, hands each
// to a Handler, writes the answer, keeps connections alive. Knows no routes.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

#include "config/config.hpp"

namespace usynys::http {

namespace bhttp = boost::beast::http;
using Request = bhttp::request<bhttp::string_body>;

// A body produced piece by piece while it is written (exports of any size in bounded memory).
// The server pulls the next piece only after the previous one was written, so a slow client
// slows the producer down instead of filling memory.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // The next piece, awaited on the connection's strand; an empty string ends the body. A throw
  // ends the connection without the last chunk: the client sees an incomplete answer. The
  // stream is destroyed (releasing what it holds) as soon as the body ends or the write fails.
  virtual boost::asio::awaitable<std::string> next() = 0;
};

// An answer: a complete string body, or, when `stream` is set, a head whose body comes from the
// stream, written with chunked transfer coding (HTTP/1.1) or up to the connection's close
// (HTTP/1.0); body() is then ignored.
struct Response : bhttp::response<bhttp::string_body> {
  using Message = bhttp::response<bhttp::string_body>;
  using Message::Message;
  Response() = default;
  Response(Message m) : Message(std::move(m)) {}  // NOLINT(google-explicit-constructor)
  std::shared_ptr<BodyStream> stream;
};

// The body of a request whose handler reads it itself, piece by piece (see
// Handler::streamed_body_limit): the server reads none of it before the handler asks, so a body
// of any size passes in bounded memory.
class RequestBody {
 public:
  virtual ~RequestBody() = default;
  // The next piece of the body, awaited on the connection's strand; empty at its end. Throws
  // BodyError when the body is over its limit or malformed, or its client too slow.
  virtual boost::asio::awaitable<std::string> next() = 0;
};

// A body that could not be read to its end: the status to answer (413, 400 or 408).
class BodyError : public std::runtime_error {
 public:
  BodyError(bhttp::status status, const std::string& what)
      : std::runtime_error(what), status_(status) {}
  bhttp::status status() const { return status_; }

 private:
  bhttp::status status_;
};

struct Context {
  std::string peer;        // the TCP peer's address
  std::string request_id;  // X-Request-Id as received (when well-formed) or generated
  // Set for a request whose body the handler streams (its body() is then empty); what the
  // handler leaves unread closes the connection after the answer.
  std::shared_ptr<RequestBody> body;
};

// What the server calls for every request it could read. Runs on the connection's strand.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual boost::asio::awaitable<Response> handle(Request req, Context ctx) = 0;
  // For the head of a request (its body not read yet): 0 to have the server read the body,
  // within limits.body_bytes, before handle(); else the body is streamed to handle() through
  // Context::body, up to that many bytes.
  virtual std::uint64_t streamed_body_limit(const Request& /*head*/) const { return 0; }
  // The answer to a request that could not be read (400, 413, 431) or was refused (503).
  virtual Response reject(bhttp::status status, const std::string& detail) = 0;
};

class Server {
 public:
  // Listens on address:port (0: any free port) with the body, header, time and connection limits
  // of `limits`.
  Server(boost::asio::io_context& ioc, Handler& handler, std::string address, std::uint16_t port,
         const config::Limits& limits);
  ~Server();

  // Binds and starts accepting. Throws boost::system::system_error when it cannot bind.
  void start();
  std::uint16_t port() const { return port_; }

  // Stops accepting and closes idle connections; requests in flight finish and their
  // connections close after the answer. Thread-safe.
  void drain();
  // Connections open now.
  std::size_t open_connections() const { return open_.load(); }
  // Requests being handled now.
  std::size_t requests_in_flight() const { return in_flight_.load(); }

 private:
  struct Connection;
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(std::shared_ptr<Connection> conn);

  boost::asio::io_context& ioc_;
  Handler& handler_;
  const std::string address_;
  const std::uint16_t requested_port_;
  const config::Limits limits_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<bool> draining_{false};
  std::atomic<std::size_t> open_{0};
  std::atomic<std::size_t> in_flight_{0};
  std::mutex mutex_;
  std::set<std::shared_ptr<Connection>> connections_;
};

}  // namespace usynys::http
