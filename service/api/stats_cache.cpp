#include "api/stats_cache.hpp"

#include <algorithm>

#include "api/conventions.hpp"
#include "api/problem.hpp"

namespace usynys::api {

namespace asio = boost::asio;

StatsCache::StatsCache(store::Store& store, ops::Metrics& metrics, std::size_t capacity,
                       std::chrono::milliseconds spacing, std::size_t gzip_min_bytes)
    : store_(store),
      metrics_(metrics),
      capacity_(std::max<std::size_t>(capacity, 1)),
      spacing_(spacing),
      gzip_min_bytes_(gzip_min_bytes) {}

asio::awaitable<std::shared_ptr<const SharedAnswer>> StatsCache::get(std::string key,
                                                                     Compute compute) {
  // Temporaries of a co_await expression are named first: GCC 12 destroys some of them twice.
  Coalesced<std::int64_t>::Run probe = [this] { return store_.stats_epoch(); };
  const std::int64_t epoch = co_await probe_.get(std::move(probe));
  std::shared_ptr<Slot> slot;
  std::shared_ptr<const SharedAnswer> kept;
  {
    std::lock_guard lock(mutex_);
    auto it = slots_.find(key);
    if (it == slots_.end()) {
      if (slots_.size() >= capacity_) {
        slots_.erase(std::min_element(
            slots_.begin(), slots_.end(),
            [](const auto& a, const auto& b) { return a.second->used < b.second->used; }));
      }
      it = slots_.emplace(std::move(key), std::make_shared<Slot>(spacing_)).first;
    }
    slot = it->second;
    slot->used = ++tick_;
    if (slot->answer != nullptr && slot->answer->epoch == epoch) kept = slot->answer;
  }
  metrics_.stats_answer(kept != nullptr);
  if (kept != nullptr) co_return kept;
  Coalesced<std::shared_ptr<const SharedAnswer>>::Run run =
      [this, slot, compute = std::move(compute)] { return fill(slot, compute); };
  co_return co_await slot->compute.get(std::move(run));
}

asio::awaitable<std::shared_ptr<const SharedAnswer>> StatsCache::fill(std::shared_ptr<Slot> slot,
                                                                      Compute compute) {
  Rendered rendered = co_await compute();
  auto answer = std::make_shared<SharedAnswer>();
  answer->epoch = rendered.epoch;
  answer->body = json_text(rendered.body);
  if (answer->body.size() >= gzip_min_bytes_) answer->gzipped = gzip(answer->body);
  answer->etag = entity_tag(answer->body);
  {
    std::lock_guard lock(mutex_);
    if (slot->answer == nullptr || slot->answer->epoch <= answer->epoch) slot->answer = answer;
  }
  co_return answer;
}

}  // namespace usynys::api
