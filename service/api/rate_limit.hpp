// Per-client-address token buckets. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

#include "config/config.hpp"

namespace usynys::api {

class RateLimiter {
 public:
  explicit RateLimiter(const config::RateLimit& options)
      : options_(options),
        exempt_(options.exempt.begin(), options.exempt.end()),
        trusted_proxies_(options.trusted_proxies.begin(), options.trusted_proxies.end()) {}

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
  const config::RateLimit options_;
  const std::set<std::string> exempt_;
  const std::set<std::string> trusted_proxies_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace usynys::api
