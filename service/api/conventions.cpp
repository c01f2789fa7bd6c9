#include "api/conventions.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>

#include "api/router.hpp"
#include "store/hash.hpp"

namespace usynys::api {

namespace asio = boost::asio;
namespace bhttp = http::bhttp;

namespace {

constexpr std::string_view kExposed = "ETag, Retry-After, X-Request-Id";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls `each` with every element of a comma-separated header value, trimmed, empty ones left
// out; stops early when `each` returns true.
template <typename F>
bool any_element(std::string_view value, F each) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    const std::string_view element = trim(value.substr(0, comma));
    if (!element.empty() && each(element)) return true;
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
  }
  return false;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

// The q-value of one Accept-Encoding element ("gzip;q=0.5"): 1 when none is given, 0 when it
// is malformed.
double q_value(std::string_view params) {
  while (!params.empty()) {
    const auto semi = params.find(';');
    std::string_view p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (p.size() < 2 || (p[0] | 0x20) != 'q' || p[1] != '=') continue;
    p.remove_prefix(2);
    if (p.empty() || (p[0] != '0' && p[0] != '1')) return 0;
    // "0", "0.", "0.5", "1", "1.000": above 0 when any digit is not 0.
    return p.find_first_not_of("0.") == std::string_view::npos ? 0 : 1;
  }
  return 1;
}

bool compressible(std::string_view type) {
  static constexpr std::array<std::string_view, 6> kTypes{
      "application/json", "application/problem+json", "application/x-ndjson", "text/",
      "image/svg+xml",    "application/javascript"};
  return std::any_of(kTypes.begin(), kTypes.end(),
                     [type](std::string_view t) { return type.starts_with(t); });
}

void add_vary(http::Response& res, std::string_view name) {
  const std::string_view vary = res[bhttp::field::vary];
  if (any_element(vary, [name](std::string_view v) { return iequals(v, name); })) return;
  res.set(bhttp::field::vary,
          vary.empty() ? std::string(name) : std::string(vary) + ", " + std::string(name));
}

// A deflate stream writing one gzip member: a piece in, what zlib gives out.
class Deflater {
 public:
  explicit Deflater(int level) {
    // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
    if (deflateInit2(&z_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::runtime_error("gzip: deflateInit2 failed");
    }
  }
  ~Deflater() { deflateEnd(&z_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  // Compresses `in`; `finish` ends the member. Returns the bytes produced (maybe none).
  std::string put(std::string_view in, bool finish) {
    std::string out;
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    std::array<char, 16384> buffer{};
    int rc = Z_OK;
    do {
      z_.next_out = reinterpret_cast<Bytef*>(buffer.data());
      z_.avail_out = static_cast<uInt>(buffer.size());
      rc = deflate(&z_, finish ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR) throw std::runtime_error("gzip: deflate failed");
      out.append(buffer.data(), buffer.size() - z_.avail_out);
    } while (z_.avail_out == 0 || (finish && rc != Z_STREAM_END));
    return out;
  }

 private:
  z_stream z_{};
};

// A streamed body, compressed as it goes: memory stays bounded by one piece and zlib's window.
class GzipBody final : public http::BodyStream {
 public:
  explicit GzipBody(std::shared_ptr<http::BodyStream> inner)
      : inner_(std::move(inner)), deflater_(Z_BEST_SPEED) {}

  asio::awaitable<std::string> next() override {
    while (inner_ != nullptr) {
      std::string piece = co_await inner_->next();
      const bool last = piece.empty();
      if (last) inner_.reset();  // release what the producer holds as soon as it ends
      std::string out = deflater_.put(piece, last);
      if (!out.empty()) co_return out;
    }
    co_return std::string();
  }

 private:
  std::shared_ptr<http::BodyStream> inner_;
  Deflater deflater_;
};

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  bool gzip_named = false;
  bool gzip_ok = false;
  bool any_ok = false;
  any_element(accept_encoding, [&](std::string_view element) {
    const auto semi = element.find(';');
    const std::string_view coding = trim(element.substr(0, semi));
    const double q = q_value(semi == std::string_view::npos ? "" : element.substr(semi + 1));
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
      gzip_named = true;
      gzip_ok = gzip_ok || q > 0;
    } else if (coding == "*") {
      any_ok = q > 0;
    }
    return false;
  });
  return gzip_named ? gzip_ok : any_ok;
}

bool none_match(std::string_view if_none_match, std::string_view tag) {
  const auto opaque = [](std::string_view t) { return t.starts_with("W/") ? t.substr(2) : t; };
  return any_element(if_none_match, [&](std::string_view element) {
    return element == "*" || opaque(element) == opaque(tag);
  });
}

std::string entity_tag(std::string_view body) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string digest = store::sha256(body);
  std::string tag = "W/\"";
  for (std::size_t i = 0; i < 12; ++i) {
    const auto b = static_cast<unsigned char>(digest[i]);
    tag += kHex[b >> 4];
    tag += kHex[b & 0xf];
  }
  return tag + "\"";
}

std::string gzip(std::string_view data) {
  return Deflater(Z_DEFAULT_COMPRESSION).put(data, true);
}

Conventions::Conventions(config::Http cfg) : cfg_(std::move(cfg)) {}

bool Conventions::allowed(std::string_view origin) const {
  return std::find(cfg_.cors_origins.begin(), cfg_.cors_origins.end(), origin) !=
         cfg_.cors_origins.end();
}

void Conventions::apply(const http::Request& req, const Route* route, http::Response& res) const {
  if (route != nullptr && route->method == bhttp::verb::get && !route->role &&
      !cfg_.cors_origins.empty()) {
    add_vary(res, "Origin");
    const std::string_view origin = req[bhttp::field::origin];
    if (allowed(origin)) {
      res.set(bhttp::field::access_control_allow_origin, origin);
      res.set(bhttp::field::access_control_expose_headers, kExposed);
    }
  }
  if (route != nullptr && route->cache != Cache::none) revalidate(req, route->cache, res);
  compress(req, res);
}

void Conventions::revalidate(const http::Request& req, Cache cache, http::Response& res) const {
  if (res.result() != bhttp::status::ok || res.stream != nullptr) return;
  // A handler that keeps its answers gives their tag (of the identity body) with them.
  if (res.find(bhttp::field::etag) == res.end())
    res.set(bhttp::field::etag, entity_tag(res.body()));
  const std::string tag(res[bhttp::field::etag]);
  // Stored, but asked again each time: a new release, a changed map or a new proposal shows at
  // once. Shared answers are the same for every client, so that a CDN may keep them too.
  res.set(bhttp::field::cache_control, cache == Cache::shared ? "public, no-cache" : "no-cache");
  if (none_match(req[bhttp::field::if_none_match], tag)) {
    res.result(bhttp::status::not_modified);
    res.body().clear();
    res.erase(bhttp::field::content_encoding);
  }
}

void Conventions::compress(const http::Request& req, http::Response& res) const {
  if (!compressible(res[bhttp::field::content_type])) return;
  add_vary(res, "Accept-Encoding");
  if (res.find(bhttp::field::content_encoding) != res.end()) return;  // gzipped by its handler
  if (!accepts_gzip(req[bhttp::field::accept_encoding])) return;
  if (res.stream != nullptr) {
    res.stream = std::make_shared<GzipBody>(std::move(res.stream));
  } else if (res.body().size() >= cfg_.gzip_min_bytes && !res.body().empty()) {
    res.body() = gzip(res.body());
  } else {
    return;
  }
  res.set(bhttp::field::content_encoding, "gzip");
}

http::Response Conventions::preflight(const http::Request& req) const {
  http::Response res{bhttp::status::no_content, 11};
  res.set(bhttp::field::allow, "GET, OPTIONS");
  const std::string_view origin = req[bhttp::field::origin];
  if (!cfg_.cors_origins.empty()) res.set(bhttp::field::vary, "Origin");
  if (allowed(origin) && iequals(req[bhttp::field::access_control_request_method], "GET")) {
    res.set(bhttp::field::access_control_allow_origin, origin);
    res.set(bhttp::field::access_control_allow_methods, "GET");
    res.set(bhttp::field::access_control_allow_headers, "If-None-Match, X-Request-Id");
    res.set(bhttp::field::access_control_max_age, "600");
  }
  return res;
}

}  // namespace usynys::api
