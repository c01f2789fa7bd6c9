// StatsCache: public statistics answers kept and served again for as long as nothing they count
// has changed, on this instance and every other one sharing the database. Each request asks the
// database for the statistics version (Store::stats_epoch) in a probe that starts after the
// request arrived, so that a proposal whose 201 the client has seen, from any instance, is
// counted in what it reads; the probes of requests arriving together are one query
// (Coalesced). A kept answer of that version is served as it is, with its gzip form and entity
// tag computed once; otherwise one computation per answer serves every request waiting for it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "api/coalesced.hpp"
#include "ops/metrics.hpp"
#include "store/store.hpp"

namespace usynys::api {

// An answer of a statistic, ready to send.
struct SharedAnswer {
  std::int64_t epoch = 0;  // the statistics version it was computed at
  std::string body;        // JSON
  std::string gzipped;     // the body as gzip; empty when the body is under gzip_min_bytes
  std::string etag;        // weak, of the body
};

// What a statistic computed: its JSON and the version of the snapshot it was read in.
struct Rendered {
  std::int64_t epoch = 0;
  nlohmann::json body;
};

class StatsCache {
 public:
  // Keeps up to `capacity` answers (the least recently asked go first) and computes each at
  // most once per `spacing`; counts each answer in `metrics` as kept or computed.
  StatsCache(store::Store& store, ops::Metrics& metrics, std::size_t capacity,
             std::chrono::milliseconds spacing, std::size_t gzip_min_bytes);

  // Must not be a coroutine lambda (see Coalesced::Run).
  using Compute = std::function<boost::asio::awaitable<Rendered>()>;

  // The answer kept under `key` when the statistics have not changed since it was computed,
  // else the one a computation started after this call gives. Throws what the probe or the
  // computation throw (domain::Error).
  boost::asio::awaitable<std::shared_ptr<const SharedAnswer>> get(std::string key, Compute compute);

 private:
  struct Slot {
    explicit Slot(std::chrono::milliseconds spacing) : compute(spacing) {}
    std::shared_ptr<const SharedAnswer> answer;
    Coalesced<std::shared_ptr<const SharedAnswer>> compute;
    std::uint64_t used = 0;
  };

  boost::asio::awaitable<std::shared_ptr<const SharedAnswer>> fill(std::shared_ptr<Slot> slot,
                                                                   Compute compute);

  store::Store& store_;
  ops::Metrics& metrics_;
  const std::size_t capacity_;
  const std::chrono::milliseconds spacing_;
  const std::size_t gzip_min_bytes_;
  Coalesced<std::int64_t> probe_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Slot>, std::less<>> slots_;
  std::uint64_t tick_ = 0;
};

}  // namespace usynys::api
