#include "store/db_pool.hpp"

#include <iostream>

#include "domain/error.hpp"
#include "store/deadlines.hpp"

namespace usynys::store {
namespace {

domain::Error unavailable(const std::string& why) {
  return domain::Error(domain::ErrorKind::unavailable, why);
}

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
    job->complete(nullptr, std::make_exception_ptr(unavailable("the service is shutting down")));
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
  job->complete(nullptr, std::make_exception_ptr(unavailable("the service is shutting down")));
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
    if (conn && !conn->is_open()) conn.reset();
    if (!conn) {
      try {
        conn = open_connection(options_.url, options_.statement_timeout_ms);
        if (options_.setup) options_.setup(*conn);
      } catch (const std::exception&) {
        conn.reset();
        job->complete(nullptr, std::make_exception_ptr(unavailable("the database is unreachable")));
        continue;
      }
    }
    // The job's own exceptions travel to the awaiting coroutine; a broken connection also
    // means this thread reconnects before the next job.
    job->complete(conn.get(), nullptr);
    if (!conn->is_open()) conn.reset();
  }
}

void DbPool::reaper() {
  reap_at_deadlines(mutex_, reap_, queue_, stopping_, options_.queue_timeout, [](auto& expired) {
    for (auto& job : expired) {
      job->complete(nullptr, std::make_exception_ptr(unavailable("the database is busy")));
    }
  });
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
