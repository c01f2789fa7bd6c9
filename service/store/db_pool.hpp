// DbPool: a fixed set of database threads, each owning one pqxx::connection, fed from one
// queue. Callers on an io_context co_await `run(fn)`: fn runs on a database thread with that
// thread's connection, and the caller resumes on its own executor. No query ever runs on an
// io_context thread.
//
// Faults are the pool's problem, not the caller's: a connection the server closed while it was
// idle (a restart, pg_terminate_backend) is noticed before it is used and replaced; a job whose
// connection broke under it runs again on a fresh one, up to three runs in all (jobs must be safe
// to repeat: reads, and writes whose transaction cannot have committed, which pqxx tells apart
// as in_doubt_error); a job still running at its answer deadline is answered unavailable at that
// deadline; and a connection whose statement outlived statement_timeout by hang_grace is presumed
// cut off (a silent network) and its socket shut down, so that its thread gets free.
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

#include "config/config.hpp"
#include "store/watchdog.hpp"

namespace usynys::store {

// The one translation of database failures into domain errors: a domain::Error stays as it
// is; lost connections, timeouts, shutdown and too many connections become unavailable, a
// unique violation conflict, anything else internal (its SQLSTATE kept for the log).
std::exception_ptr domain_error(std::exception_ptr failure);

// True when `failure` says the connection was lost before anything of the work could have
// committed (broken connection, backend terminated or shut down), so that the work may run
// again on a fresh connection; false for an in-doubt commit and for everything else.
bool connection_lost(const std::exception_ptr& failure);

// True when the server has closed the connection or sent something unasked (a termination
// notice) while it sat idle: it must not be used. A zero-timeout poll, no round trip.
bool closed_by_server(pqxx::connection& conn);

struct PoolOptions {
  std::string url;
  int size = 4;
  int statement_timeout_ms = 5000;
  std::chrono::milliseconds queue_timeout{1500};
  // A job not finished this long after it was queued is answered unavailable (0: never); its
  // late result is dropped.
  std::chrono::milliseconds answer_timeout{0};
  // A statement running statement_timeout plus this long is presumed cut off.
  std::chrono::milliseconds hang_grace{500};
  // Runs once on every new connection (prepare statements); may throw.
  std::function<void(pqxx::connection&)> setup;
  // Called on a database thread each time a job runs again after its connection broke.
  std::function<void()> on_retry;
};

class DbPool {
 public:
  // Starts the threads; connections open lazily and reopen after a failure.
  explicit DbPool(PoolOptions options);
  ~DbPool();
  DbPool(const DbPool&) = delete;
  DbPool& operator=(const DbPool&) = delete;

  // Runs fn(connection) on a database thread. Throws domain::Error{unavailable} when no
  // database thread takes the job within the queue timeout, or it is not done by the answer
  // deadline (both answered at their deadline, whatever the threads are doing), when no
  // connection can be had, or when the connection breaks twice. What fn throws reaches the
  // awaiting coroutine as a domain::Error (see domain_error): fn may let pqxx exceptions escape.
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
    // Runs the work; its failure, untranslated (nullptr on success, the value kept).
    virtual std::exception_ptr attempt(pqxx::connection& conn) = 0;
    // Answers the caller, once: with the value kept when `error` is null. Later calls (a
    // deadline that beat the work, or the work that came after its deadline) do nothing.
    virtual void answer(std::exception_ptr error) = 0;
  };

  template <class T, class Handler, class Executor>
  struct TypedJob final : Job {
    TypedJob(std::function<T(pqxx::connection&)> f, Handler h, Executor e)
        : fn(std::move(f)), handler(std::move(h)), ex(std::move(e)) {}
    std::exception_ptr attempt(pqxx::connection& conn) override {
      try {
        value.emplace(fn(conn));
        return nullptr;
      } catch (...) {
        return std::current_exception();
      }
    }
    void answer(std::exception_ptr error) override {
      if (answered.exchange(true)) return;
      std::optional<T> v;
      if (!error) v = std::move(value);
      boost::asio::post(ex, [h = std::move(handler), error, v = std::move(v)]() mutable {
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
    std::optional<T> value;
    std::atomic<bool> answered{false};
  };

  void enqueue(std::unique_ptr<Job> job);
  void worker();
  // Answers every job still queued at its deadline (enqueued + queue_timeout) with
  // unavailable, whatever the database threads are doing: a wait never outlasts the timeout.
  void reaper();
  // Runs `job` on `conn` (opening it when null), once more on a fresh connection when the
  // first broke, and answers it.
  void serve(Job& job, std::unique_ptr<pqxx::connection>& conn);
  std::unique_ptr<pqxx::connection> connect();

  PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable reap_;
  std::deque<std::unique_ptr<Job>> queue_;  // FIFO: the front has the earliest deadline
  bool stopping_ = false;
  Watchdog watchdog_;
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
