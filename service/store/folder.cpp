#include "store/folder.hpp"

#include <algorithm>
#include <memory>
#include <pqxx/pqxx>

#include "ops/log.hpp"
#include "store/db_pool.hpp"
#include "usynys/queries.hpp"

namespace usynys::store {

Folder::Folder(const config::Intake& intake, std::string url, IntakeBatches intake_batches,
               OnFold on_fold)
    : options_(intake),
      url_(std::move(url)),
      intake_batches_(std::move(intake_batches)),
      on_fold_(std::move(on_fold)) {
  thread_ = std::thread([this] { run(); });
}

Folder::~Folder() {
  stop();
}

void Folder::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Folder::fold(pqxx::connection& conn, const std::string& what, int backlog) {
  for (;;) {
    int take = options_.fold_batch;
    if (backlog > 0) {
      pqxx::read_transaction tx(conn);
      const auto waiting =
          tx.exec_prepared1(what + "_backlog", backlog + options_.fold_batch)[0].as<int>();
      if (waiting <= backlog) return true;
      take = std::min(take, waiting - backlog);
    }
    const auto started = std::chrono::steady_clock::now();
    pqxx::work tx(conn);
    const auto taken = tx.exec_prepared1(what + "_fold", take)[0].as<int>();
    tx.commit();
    if (taken > 0 && on_fold_) {
      on_fold_(what + "_fold", static_cast<std::size_t>(taken),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    if (taken < take) return true;
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
  }
}

void Folder::run() {
  std::unique_ptr<pqxx::connection> conn;
  const auto interval = std::chrono::milliseconds(options_.fold_interval_ms);
  auto wait = interval;
  bool failing = false;
  std::uint64_t last_batches = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, wait, [this] { return stopping_; })) return;
    }
    try {
      if (!conn || !conn->is_open() || closed_by_server(*conn)) {
        conn = open_connection(url_, options_.fold_statement_timeout_ms);
        conn->prepare("stats_fold", std::string(sql::stats_fold));
        conn->prepare("stats_backlog", std::string(sql::stats_backlog));
        conn->prepare("search_fold", std::string(sql::search_fold));
        conn->prepare("search_backlog", std::string(sql::search_backlog));
      }
      const std::uint64_t batches = intake_batches_ ? intake_batches_() : 0;
      const bool busy = batches != last_batches;
      last_batches = batches;
      if (!fold(*conn, "stats", busy ? options_.stats_backlog : 0)) return;
      if (!fold(*conn, "search", busy ? options_.search_backlog : 0)) return;
      if (failing) ops::log("info", {{"event", "fold_recovered"}});
      failing = false;
      wait = interval;
    } catch (const std::exception& e) {
      // Readers stay exact while folding fails (they count and search pending proposals
      // themselves); try again later, backing off up to ten intervals.
      if (!failing) ops::log("warn", {{"event", "fold_failed"}, {"error", e.what()}});
      failing = true;
      if (conn && !conn->is_open()) conn.reset();
      wait = std::min(wait * 2, interval * 10);
    }
  }
}

}  // namespace usynys::store
