#include "support/db.hpp"

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace usynys::test {

std::string database_url() {
  const char* url = std::getenv("USYNYS_DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "USYNYS_DATABASE_URL is not set: this test needs PostgreSQL. Run scripts/test, or start "
        "a cluster with `scripts/pg.sh start DIR` and export USYNYS_DATABASE_URL=\"$(scripts/pg.sh "
        "url DIR)\"");
  }
  return url;
}

Db::Db() : conn_(database_url()) {}

void Db::truncate_proposals() {
  pqxx::work tx(conn_);
  tx.exec("TRUNCATE proposals, proposal_articles RESTART IDENTITY CASCADE");
  tx.commit();
}

std::int64_t Db::count(const std::string& sql) {
  pqxx::read_transaction tx(conn_);
  return tx.exec1(sql)[0].as<std::int64_t>();
}

std::int64_t Db::count(const std::string& sql, const std::string& param) {
  pqxx::read_transaction tx(conn_);
  pqxx::result r = tx.exec_params(sql, param);
  if (r.size() != 1) throw std::runtime_error("expected one row from: " + sql);
  return r[0][0].as<std::int64_t>();
}

std::int64_t Db::count_when(const std::string& sql, std::int64_t want,
                            std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  std::int64_t have = count(sql);
  while (have != want && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    have = count(sql);
  }
  return have;
}

}  // namespace usynys::test
