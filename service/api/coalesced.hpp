// Coalesced<T>: one run of an awaitable function shared by every caller that asked before it
// started. A caller gets the result of a run that started after it asked, never of one
// already under way: what it reads is at least as new as the moment it asked. Callers arriving
// during a run wait for the next one, which starts when the current one ends and serves them all;
// so however many ask at once, at most one run is in flight and at most one more is waited for.
// Safe to call from several threads; each caller resumes on its own executor.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace usynys::api {

template <class T>
class Coalesced {
 public:
  // Must not be a coroutine lambda: what it captures is gone once it has returned the awaitable.
  using Run = std::function<boost::asio::awaitable<T>()>;

  // Runs start at least `spacing` apart: callers arriving meanwhile wait for the next one, so
  // that something asked continuously while it keeps changing costs at most one run per
  // spacing.
  explicit Coalesced(std::chrono::steady_clock::duration spacing = {})
      : state_(std::make_shared<State>()) {
    state_->spacing = spacing;
  }

  // The result of a run of `run` that started after this call; what the run throws is rethrown
  // to each of its callers. Every caller of one Coalesced gives an equal run: a cycle of runs
  // goes on with the one its first caller gave.
  boost::asio::awaitable<T> get(Run run) {
    auto initiate = [state = state_, run = std::move(run)](auto handler) mutable {
      auto ex = boost::asio::get_associated_executor(handler);
      Run first;  // set when this caller schedules the run
      {
        std::lock_guard lock(state->mutex);
        if (!state->scheduled) {
          state->scheduled = true;
          state->current.push_back({ex, Handler(std::move(handler))});
          first = std::move(run);
        } else if (!state->started) {
          state->current.push_back({ex, Handler(std::move(handler))});  // not started yet
        } else {
          state->next.push_back({ex, Handler(std::move(handler))});
        }
      }
      if (first) boost::asio::co_spawn(ex, cycle(state, std::move(first)), boost::asio::detached);
    };
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                       void(std::exception_ptr, T)>(std::move(initiate),
                                                                    boost::asio::use_awaitable);
  }

 private:
  using Handler = boost::asio::any_completion_handler<void(std::exception_ptr, T)>;
  struct Waiter {
    boost::asio::any_io_executor ex;  // where it resumes
    Handler handler;
  };

  struct State {
    std::mutex mutex;
    std::chrono::steady_clock::duration spacing{};
    std::chrono::steady_clock::time_point last_start{};
    bool scheduled = false;       // a run is due or under way
    bool started = false;         // ... and it has started
    std::vector<Waiter> current;  // waiting for that run
    std::vector<Waiter> next;     // came after it started: waiting for the next one
  };

  // Runs `run` when due, answers its callers, and goes on while callers wait for a next run.
  static boost::asio::awaitable<void> cycle(std::shared_ptr<State> state, Run run) {
    for (;;) {
      std::chrono::steady_clock::time_point due;
      {
        std::lock_guard lock(state->mutex);
        due = state->last_start + state->spacing;
      }
      if (due > std::chrono::steady_clock::now()) {
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, due);
        co_await timer.async_wait(boost::asio::use_awaitable);
      }
      {
        std::lock_guard lock(state->mutex);
        state->started = true;
        state->last_start = std::chrono::steady_clock::now();
      }
      std::exception_ptr error;
      T value{};
      try {
        value = co_await run();
      } catch (...) {
        error = std::current_exception();
      }
      std::vector<Waiter> done;
      bool again = false;
      {
        std::lock_guard lock(state->mutex);
        done = std::move(state->current);
        state->current = std::move(state->next);
        state->next.clear();
        state->started = false;
        again = !state->current.empty();
        state->scheduled = again;
      }
      for (Waiter& w : done) {
        boost::asio::post(w.ex, [h = std::move(w.handler), error, value]() mutable {
          std::move(h)(error, std::move(value));
        });
      }
      if (!again) co_return;
    }
  }

  std::shared_ptr<State> state_;
};

}  // namespace usynys::api
