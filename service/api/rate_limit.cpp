#include "api/rate_limit.hpp"

#include <cmath>
#include <vector>

namespace usynys::api {
namespace {

std::string_view strip(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string RateLimiter::client_address(const std::string& peer,
                                        std::string_view forwarded_for) const {
  if (!trusted_proxies_.contains(peer) || forwarded_for.empty()) return peer;
  std::vector<std::string_view> hops;
  while (!forwarded_for.empty()) {
    auto comma = forwarded_for.find(',');
    hops.push_back(strip(forwarded_for.substr(0, comma)));
    forwarded_for =
        comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(comma + 1);
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (it->empty() || it->size() > 64) return peer;
    std::string hop(*it);
    if (!trusted_proxies_.contains(hop)) return hop;
  }
  return peer;
}

bool RateLimiter::allow(const std::string& client, int& retry_after_s,
                        std::chrono::steady_clock::time_point now) {
  if (!options_.enabled || exempt_.contains(client)) return true;
  std::lock_guard lock(mutex_);
  if (buckets_.size() >= static_cast<std::size_t>(options_.max_clients)) {
    // Forget clients whose buckets are full again; they lose nothing.
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
      if (it->second.tokens + elapsed * options_.per_second >= options_.burst) {
        it = buckets_.erase(it);
      } else {
        ++it;
      }
    }
    // Still full of active clients: refuse newcomers rather than grow without bound.
    if (buckets_.size() >= static_cast<std::size_t>(options_.max_clients) &&
        !buckets_.contains(client)) {
      retry_after_s = 1;
      return false;
    }
  }
  auto [it, fresh] = buckets_.try_emplace(client, Bucket{options_.burst, now});
  Bucket& b = it->second;
  if (!fresh) {
    double elapsed = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min(options_.burst, b.tokens + elapsed * options_.per_second);
    b.updated = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return true;
  }
  retry_after_s = std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / options_.per_second)));
  return false;
}

}  // namespace usynys::api
