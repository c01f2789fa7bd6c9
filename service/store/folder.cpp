#include "store/folder.hpp"

#include <algorithm>
#include <memory>
#include <pqxx/pqxx>

#include "store/db_pool.hpp"
#include "usynys/queries.hpp"

namespace usynys::store {

Folder::Folder(const config::Intake& intake, std::string url, IntakeBatches intake_batches,
               OnFold on_fold)
    : options_(intake),
      on_fold_(std::move(on_fold)),
      thread_(
          "fold", std::chrono::milliseconds(intake.fold_interval_ms),
          [url = std::move(url), timeout = intake.fold_statement_timeout_ms] {
            auto conn = open_connection(url, timeout);
            conn->prepare("stats_fold", std::string(sql::stats_fold));
            conn->prepare("stats_backlog", std::string(sql::stats_backlog));
            conn->prepare("search_fold", std::string(sql::search_fold));
            conn->prepare("search_backlog", std::string(sql::search_backlog));
            return conn;
          },
          [this](pqxx::connection& conn, bool busy) {
            return fold(conn, "stats", busy ? options_.stats_backlog : 0) &&
                   fold(conn, "search", busy ? options_.search_backlog : 0);
          },
          std::move(intake_batches)) {
  thread_.start();
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
    if (thread_.stopping()) return false;
  }
}

}  // namespace usynys::store
