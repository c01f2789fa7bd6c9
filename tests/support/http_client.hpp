// A small synchronous HTTP/1.1 client over one real TCP connection (Boost.Beast), for e2e tests.
// Every operation is bounded by the client's timeout; failures throw std::runtime_error.
// Requests may reuse the connection (keep-alive); raw bytes can be sent for malformed requests.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace usynys::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;
  Headers headers;  // in the order received
  std::string body;
  bool keep_alive = false;  // the server will keep the connection open

  // The first header with this name (case-insensitive), nullopt when absent.
  std::optional<std::string> header(std::string_view name) const;
  // The body parsed as JSON; throws std::runtime_error quoting the body when it is not JSON.
  nlohmann::json json() const;
};

class HttpClient {
 public:
  // Connects to 127.0.0.1:port.
  explicit HttpClient(std::uint16_t port,
                      std::chrono::milliseconds timeout = std::chrono::seconds(15));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request and reads its answer. Adds Host, and Content-Length for a body unless
  // `headers` sets it; nothing else (no Content-Type unless given).
  HttpResponse request(std::string_view method, std::string_view target, std::string body = {},
                       const Headers& headers = {});
  HttpResponse get(std::string_view target, const Headers& headers = {});
  // POST with Content-Type: application/json (unless `headers` names another type).
  HttpResponse post_json(std::string_view target, std::string body, const Headers& headers = {});

  // Writes bytes as they are, for requests Beast would not produce.
  void send_raw(std::string_view bytes);
  // Reads one answer from the connection.
  HttpResponse read_response();
  // True when the server closes the connection (end of stream) within the timeout without
  // sending anything more.
  bool closed_by_server();

  std::uint16_t local_port() const { return local_port_; }

 private:
  template <class Start>
  boost::system::error_code run(Start start);

  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  boost::asio::io_context ioc_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::uint16_t local_port_ = 0;
};

}  // namespace usynys::test
