// DbPool: a fixed set of database threads, each owning one pqxx::connection, fed from one
// queue. Callers on an io_context co_await `run(fn)`: fn runs on a database thread with that
// thread's connection, and the caller resumes on its own executor. No query ever runs on an
// io_context thread.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace usynys::store {

// The one translation of database failures into domain errors: a domain::Error stays as it
// is; lost connections, timeouts, shutdown and too many connections become unavailable, a
// unique violation conflict, anything else internal (its SQLSTATE kept for the log).
std::exception_ptr domain_error(std::exception_ptr failure);

struct PoolOptions {
  std::string url;
  int size = 4;
  int statement_timeout_ms = 5000;
  std::chrono::milliseconds queue_timeout{1500};
  // Runs once on every new connection (prepare statements); may throw.
  std::function<void(pqxx::connection&)> setup;
};

class DbPool {
 public:
  // Starts the threads; connections open lazily and reopen after a failure.
  explicit DbPool(PoolOptions options);
  ~DbPool();
  DbPool(const DbPool&) = delete;
  DbPool& operator=(const DbPool&) = delete;

  // Runs fn(connection) on a database thread. Throws domain::Error{unavailable} when no
  // database thread takes the job within the queue timeout (answered at that deadline, not
  // when a thread gets to it), when no connection can be had, or when the connection breaks.
  // What fn throws reaches the awaiting coroutine as a domain::Error (see domain_error): fn
  // may let pqxx exceptions escape.
  template <class T>
  boost::asio::awaitable<T> run(std::function<T(pqxx::connection&)> fn) {
    auto initiate = [this, fn = std::move(fn)](auto handler) mutable {
      auto ex = boost::asio::get_associated_executor(handler);
      enqueue(std::make_unique<TypedJob<T, decltype(handler), decltype(ex)>>(
          std::move(fn), std::move(handler), ex));
    };
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                       void(std::exception_ptr, T)>(std::move(initiate),
                                                                    boost::asio::use_awaitable);
  }

  // Jobs waiting for a database thread.
  std::size_t queue_depth() const;
  // Stops taking jobs, fails the queued ones as unavailable and joins the threads.
  void stop();

 private:
  struct Job {
    std::chrono::steady_clock::time_point enqueued = std::chrono::steady_clock::now();
    virtual ~Job() = default;
    // conn is null when `error` is set.
    virtual void complete(pqxx::connection* conn, std::exception_ptr error) = 0;
  };

  template <class T, class Handler, class Executor>
  struct TypedJob final : Job {
    TypedJob(std::function<T(pqxx::connection&)> f, Handler h, Executor e)
        : fn(std::move(f)), handler(std::move(h)), ex(std::move(e)) {}
    void complete(pqxx::connection* conn, std::exception_ptr error) override {
      std::optional<T> value;
      if (!error) {
        try {
          value.emplace(fn(*conn));
        } catch (...) {
          error = domain_error(std::current_exception());
        }
      }
      boost::asio::post(ex, [h = std::move(handler), error, v = std::move(value)]() mutable {
        if (error) {
          std::move(h)(error, T{});
        } else {
          std::move(h)(nullptr, std::move(*v));
        }
      });
    }
    std::function<T(pqxx::connection&)> fn;
    Handler handler;
    Executor ex;
  };

  void enqueue(std::unique_ptr<Job> job);
  void worker();
  // Answers every job still queued at its deadline (enqueued + queue_timeout) with
  // unavailable, whatever the database threads are doing: a wait never outlasts the timeout.
  void reaper();

  PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable reap_;
  std::deque<std::unique_ptr<Job>> queue_;  // FIFO: the front has the earliest deadline
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  std::thread reaper_;
};

// Runs fn(connection) once on a connection of its own, synchronously: start-up work, before any
// pool runs. Throws std::runtime_error "cannot connect to the database: ..." or "database error
// while <what>: ..."; what fn throws otherwise passes through.
template <class F>
auto run_once(const std::string& url, std::string_view what, F&& fn)
    -> decltype(fn(std::declval<pqxx::connection&>())) {
  try {
    pqxx::connection c(url);
    return fn(c);
  } catch (const pqxx::broken_connection& e) {
    throw std::runtime_error(std::string("cannot connect to the database: ") + e.what());
  } catch (const pqxx::sql_error& e) {
    throw std::runtime_error("database error while " + std::string(what) + ": " + e.what());
  }
}

// Opens a connection for usynys: statements bounded by statement_timeout_ms, times in UTC,
// no JIT compilation.
std::unique_ptr<pqxx::connection> open_connection(const std::string& url, int statement_timeout_ms);

}  // namespace usynys::store
