#include "store/folder.hpp"

#include <algorithm>
#include <memory>
#include <pqxx/pqxx>

#include "ops/log.hpp"
#include "store/db_pool.hpp"
#include "usynys/queries.hpp"

namespace usynys::store {

Folder::Folder(FolderOptions options) : options_(std::move(options)) {
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

bool Folder::fold_all(pqxx::connection& conn, const char* statement) {
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    pqxx::work tx(conn);
    const auto taken = tx.exec_prepared1(statement, options_.batch)[0].as<std::int64_t>();
    tx.commit();
    if (taken > 0 && options_.on_fold) {
      options_.on_fold(
          statement, static_cast<std::size_t>(taken),
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    if (taken < options_.batch) return true;
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
  }
}

void Folder::run() {
  std::unique_ptr<pqxx::connection> conn;
  auto wait = options_.interval;
  bool failing = false;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, wait, [this] { return stopping_; })) return;
    }
    try {
      if (!conn || !conn->is_open()) {
        conn = open_connection(options_.url, options_.statement_timeout_ms);
        conn->prepare("stats_fold", std::string(sql::stats_fold));
        conn->prepare("search_fold", std::string(sql::search_fold));
      }
      for (const char* what : {"stats_fold", "search_fold"}) {
        if (!fold_all(*conn, what)) return;
      }
      if (failing) ops::log("info", {{"event", "fold_recovered"}});
      failing = false;
      wait = options_.interval;
    } catch (const std::exception& e) {
      // Readers stay exact while folding fails (they count and search pending proposals
      // themselves); try again later, backing off up to ten intervals.
      if (!failing) ops::log("warn", {{"event", "fold_failed"}, {"error", e.what()}});
      failing = true;
      if (conn && !conn->is_open()) conn.reset();
      wait = std::min(wait * 2, options_.interval * 10);
    }
  }
}

}  // namespace usynys::store
