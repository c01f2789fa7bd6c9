// Direct PostgreSQL access for db and e2e tests (libpqxx 6.4): the connection string from the
// environment, truncation of the data tables, counts.
#pragma once

#include <chrono>
#include <cstdint>
#include <pqxx/pqxx>
#include <string>

namespace usynys::test {

// USYNYS_DATABASE_URL. Throws std::runtime_error explaining how to provide it when it is unset:
// tests that need the database fail, they never skip.
std::string database_url();

class Db {
 public:
  // Connects to database_url(); throws when unset or unreachable.
  Db();

  // Empties proposals and proposal_articles and restarts their ids at 1.
  void truncate_proposals();
  // Runs a query answering one number (count(*) ...), with optional text parameters.
  std::int64_t count(const std::string& sql);
  std::int64_t count(const std::string& sql, const std::string& param);
  // The count `sql` answers once it equals `want`, polled until `deadline` (the last count when
  // it never does): for what another process does in its own time.
  std::int64_t count_when(const std::string& sql, std::int64_t want,
                          std::chrono::milliseconds deadline = std::chrono::seconds(10));

  pqxx::connection& connection() { return conn_; }

 private:
  pqxx::connection conn_;
};

}  // namespace usynys::test
