// Per-client-address token buckets. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

namespace usynys::api {

struct RateLimitOptions {
  bool enabled = true;
  double per_second = 10;  // sustained requests per second and address
  double burst = 40;       // bucket size
  std::set<std::string> exempt{"127.0.0.1", "::1"};
  std::set<std::string> trusted_proxies;  // peers whose X-Forwarded-For is believed
  std::size_t max_clients = 100000;       // addresses remembered at most
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimitOptions options) : options_(std::move(options)) {}

  // The client address: the TCP peer, or, when the peer is a trusted proxy, the right-most
  // X-Forwarded-For address that is not itself a trusted proxy.
  std::string client_address(const std::string& peer, std::string_view forwarded_for) const;

  // True when the client may proceed; otherwise retry_after_s says when it may.
  bool allow(const std::string& client, int& retry_after_s,
             std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };
  RateLimitOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace usynys::api
