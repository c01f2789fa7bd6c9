#include "support/http_client.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>
#include <stdexcept>

namespace usynys::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using boost::system::error_code;

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (beast::iequals(k, name)) return v;
  }
  return std::nullopt;
}

nlohmann::json HttpResponse::json() const {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("the answer (status " + std::to_string(status) +
                             ") is not JSON: " + e.what() + "; body: " + body.substr(0, 2000));
  }
}

HttpClient::HttpClient(std::uint16_t port, std::chrono::milliseconds timeout)
    : port_(port), timeout_(timeout), stream_(ioc_) {
  asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port_);
  error_code ec =
      run([&](auto done) { stream_.async_connect(ep, [done](error_code e) { done(e); }); });
  if (ec) {
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port_) + ": " +
                             ec.message());
  }
  local_port_ = stream_.socket().local_endpoint().port();
}

HttpClient::~HttpClient() {
  error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
}

// Starts one asynchronous operation through `start(done)` and runs the io_context until it
// completes; the stream's timer bounds it (timeout -> beast::error::timeout).
template <class Start>
error_code HttpClient::run(Start start) {
  error_code result = asio::error::would_block;
  stream_.expires_after(timeout_);
  start([&result](error_code ec) { result = ec; });
  ioc_.restart();
  ioc_.run();
  stream_.expires_never();
  return result;
}

HttpResponse HttpClient::request(std::string_view method, std::string_view target, std::string body,
                                 const Headers& headers) {
  bhttp::request<bhttp::string_body> req;
  bhttp::verb verb = bhttp::string_to_verb(method);
  if (verb == bhttp::verb::unknown) {
    req.method_string(method);
  } else {
    req.method(verb);
  }
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port_));
  bool has_length = false;
  for (const auto& [k, v] : headers) {
    req.insert(k, v);
    has_length =
        has_length || beast::iequals(k, "Content-Length") || beast::iequals(k, "Transfer-Encoding");
  }
  req.body() = std::move(body);
  if (!has_length && (!req.body().empty() || verb == bhttp::verb::post)) {
    req.content_length(req.body().size());
  }
  error_code ec = run([&](auto done) {
    bhttp::async_write(stream_, req, [done](error_code e, std::size_t) { done(e); });
  });
  if (ec)
    throw std::runtime_error("cannot send " + std::string(method) + " " + std::string(target) +
                             ": " + ec.message());
  return read_response();
}

HttpResponse HttpClient::get(std::string_view target, const Headers& headers) {
  return request("GET", target, {}, headers);
}

HttpResponse HttpClient::post_json(std::string_view target, std::string body,
                                   const Headers& headers) {
  Headers h = headers;
  bool has_type = false;
  for (const auto& [k, v] : headers) has_type = has_type || beast::iequals(k, "Content-Type");
  if (!has_type) h.emplace_back("Content-Type", "application/json");
  return request("POST", target, std::move(body), h);
}

void HttpClient::send_raw(std::string_view bytes) {
  error_code ec = run([&](auto done) {
    asio::async_write(stream_, asio::buffer(bytes.data(), bytes.size()),
                      [done](error_code e, std::size_t) { done(e); });
  });
  if (ec) throw std::runtime_error("cannot send raw bytes: " + ec.message());
}

HttpResponse HttpClient::read_response() {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  error_code ec = run([&](auto done) {
    bhttp::async_read(stream_, buffer_, parser, [done](error_code e, std::size_t) { done(e); });
  });
  if (ec) throw std::runtime_error("cannot read an HTTP answer: " + ec.message());
  const auto& res = parser.get();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = res.body();
  out.keep_alive = res.keep_alive();
  return out;
}

bool HttpClient::closed_by_server() {
  if (buffer_.size() > 0) return false;
  char byte = 0;
  std::size_t got = 0;
  error_code ec = run([&](auto done) {
    stream_.async_read_some(asio::buffer(&byte, 1), [&got, done](error_code e, std::size_t n) {
      got = n;
      done(e);
    });
  });
  if (got > 0) return false;
  return ec == asio::error::eof || ec == asio::error::connection_reset;
}

}  // namespace usynys::test
