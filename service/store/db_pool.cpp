#include "store/db_pool.hpp"

#include <poll.h>

#include <iostream>

#include "domain/error.hpp"
#include "store/deadlines.hpp"
#include "store/store.hpp"

namespace usynys::store {
namespace {

domain::Error unavailable(const std::string& why) {
  return domain::Error(domain::ErrorKind::unavailable, why);
}

// A job runs again after its connection broke, up to this many runs in all: twice would do for
// one fault, and a second fault while the first retry connects (a pooler terminating every
// backend in turn) costs the caller nothing either.
constexpr int kAttempts = 3;

}  // namespace

DbPool::DbPool(PoolOptions options) : options_(std::move(options)) {
  for (int i = 0; i < options_.size; ++i) threads_.emplace_back([this] { worker(); });
  reaper_ = std::thread([this] { reaper(); });
}

DbPool::~DbPool() {
  stop();
}

std::size_t DbPool::queue_depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void DbPool::stop() {
  std::deque<std::unique_ptr<Job>> left;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    left.swap(queue_);
  }
  ready_.notify_all();
  reap_.notify_all();
  for (auto& job : left) {
    job->answer(std::make_exception_ptr(unavailable("the service is shutting down")));
  }
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  if (reaper_.joinable()) reaper_.join();
}

void DbPool::enqueue(std::unique_ptr<Job> job) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(job));
      ready_.notify_one();
      if (queue_.size() == 1) reap_.notify_one();
      return;
    }
  }
  job->answer(std::make_exception_ptr(unavailable("the service is shutting down")));
}

std::unique_ptr<pqxx::connection> DbPool::connect() {
  auto conn = open_connection(options_.url, options_.statement_timeout_ms);
  if (options_.setup) options_.setup(*conn);
  return conn;
}

void DbPool::serve(Job& job, std::unique_ptr<pqxx::connection>& conn) {
  std::optional<Watchdog::Id> answer_deadline;
  if (options_.answer_timeout.count() > 0) {
    answer_deadline = watchdog_.arm(job.enqueued + options_.answer_timeout, [&job] {
      job.answer(std::make_exception_ptr(unavailable("the database did not answer in time")));
    });
  }
  std::exception_ptr failure;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    // A connection the server closed while it sat idle is replaced before it is used.
    if (conn && (!conn->is_open() || closed_by_server(*conn))) conn.reset();
    if (!conn) {
      try {
        conn = connect();
      } catch (const std::exception&) {
        // Refused or lost while it was being set up (a backend terminated under it): once more.
        conn.reset();
        failure = std::make_exception_ptr(unavailable("the database is unreachable"));
        continue;
      }
    }
    const auto hang = watchdog_.arm(std::chrono::steady_clock::now() +
                                        std::chrono::milliseconds(options_.statement_timeout_ms) +
                                        options_.hang_grace,
                                    Watchdog::shut_down_socket(conn->sock()));
    failure = job.attempt(*conn);
    watchdog_.cancel(hang);
    if (!failure || !connection_lost(failure)) break;
    // The connection broke under the work, which cannot have committed: once more, afresh.
    conn.reset();
    if (attempt == 0 && options_.on_retry) options_.on_retry();
  }
  if (conn && !conn->is_open()) conn.reset();
  if (answer_deadline) watchdog_.cancel(*answer_deadline);
  job.answer(failure ? domain_error(failure) : nullptr);
}

void DbPool::worker() {
  std::unique_ptr<pqxx::connection> conn;
  for (;;) {
    std::unique_ptr<Job> job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_ && queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    serve(*job, conn);
  }
}

void DbPool::reaper() {
  reap_at_deadlines(mutex_, reap_, queue_, stopping_, options_.queue_timeout, [](auto& expired) {
    for (auto& job : expired) {
      job->answer(std::make_exception_ptr(unavailable("the database is busy")));
    }
  });
}

bool closed_by_server(pqxx::connection& conn) {
  const int fd = conn.sock();
  if (fd < 0) return true;
  pollfd p{fd, POLLIN, 0};
  // Readable while idle: an end of file, or a message nobody asked for (a FATAL termination).
  return ::poll(&p, 1, 0) != 0;
}

bool connection_lost(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const pqxx::in_doubt_error&) {
    return false;
  } catch (const pqxx::broken_connection&) {
    return true;
  } catch (const pqxx::sql_error& e) {
    // Terminated by an administrator or a pooler, crash or shutdown of the server, lost link.
    const std::string& state = e.sqlstate();
    return state.rfind("57P0", 0) == 0 || state.rfind("08", 0) == 0;
  } catch (...) {
    return false;
  }
}

std::string connection_string(const config::Database& database) {
  std::string url = database.url;
  const bool uri = url.starts_with("postgresql://") || url.starts_with("postgres://");
  std::vector<std::pair<std::string, std::string>> extra = {
      {"application_name", "usynys"},
      {"keepalives", "1"},
      {"keepalives_idle", std::to_string(database.keepalives_idle_s)},
      {"keepalives_interval", std::to_string(database.keepalives_interval_s)},
      {"keepalives_count", std::to_string(database.keepalives_count)},
      {"tcp_user_timeout", std::to_string(database.tcp_user_timeout_ms)}};
  for (const auto& [key, value] : extra) {
    if (url.find(key + "=") != std::string::npos) continue;  // the url says otherwise
    if (uri) {
      url += url.find('?') == std::string::npos ? '?' : '&';
    } else if (!url.empty()) {
      url += ' ';
    }
    url.append(key).append("=").append(value);
  }
  return url;
}

std::unique_ptr<pqxx::connection> open_connection(const std::string& url,
                                                  int statement_timeout_ms) {
  auto conn = std::make_unique<pqxx::connection>(url);
  pqxx::nontransaction tx(*conn);
  tx.exec("SET statement_timeout = " + std::to_string(statement_timeout_ms));
  tx.exec("SET TIME ZONE 'UTC'");
  // Every statement of usynys runs in milliseconds; compiling one costs hundreds of them, and
  // cost estimates over pending proposals (whose count the planner only guesses) can be high
  // enough to trigger it.
  tx.exec("SET jit = off");
  tx.commit();
  return conn;
}

std::exception_ptr domain_error(std::exception_ptr failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const domain::Error&) {
    return failure;
  } catch (const pqxx::broken_connection&) {
    return std::make_exception_ptr(unavailable("the database connection was lost"));
  } catch (const pqxx::in_doubt_error&) {
    return std::make_exception_ptr(
        unavailable("the database connection was lost while committing"));
  } catch (const pqxx::statement_completion_unknown&) {
    return std::make_exception_ptr(
        unavailable("the database connection was lost while committing"));
  } catch (const pqxx::unique_violation&) {
    return std::make_exception_ptr(
        domain::Error(domain::ErrorKind::conflict, "conflicts with stored data"));
  } catch (const pqxx::sql_error& e) {
    // Connection-class SQLSTATEs (08xxx), shutdown (57P01..57P03), too many connections.
    const std::string& state = e.sqlstate();
    if (state == "57014") {
      return std::make_exception_ptr(unavailable("the database did not answer in time"));
    }
    if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || state == "53300") {
      return std::make_exception_ptr(unavailable("the database is unavailable"));
    }
    return std::make_exception_ptr(
        domain::Error(domain::ErrorKind::internal, std::string("database error ") + state));
  } catch (const std::exception& e) {
    return std::make_exception_ptr(domain::Error(domain::ErrorKind::internal, e.what()));
  } catch (...) {
    return std::make_exception_ptr(
        domain::Error(domain::ErrorKind::internal, "an unknown failure in the database layer"));
  }
}

}  // namespace usynys::store
