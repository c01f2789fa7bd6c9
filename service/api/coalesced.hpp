// Coalesced<T>: one run of an awaitable function shared by every caller that asked while no run
// had started yet. A caller gets the result of a run that started after it asked, never of one
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
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
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

  Coalesced() : state_(std::make_shared<State>()) {}

  // The result of a run of `run` (or of an equal one another caller gave) that started after
  // this call; what the run throws is rethrown to each of its callers.
  boost::asio::awaitable<T> get(Run run) {
    auto initiate = [state = state_, run = std::move(run)](auto handler) mutable {
      auto ex = boost::asio::get_associated_executor(handler);
      bool start = false;
      {
        std::lock_guard lock(state->mutex);
        if (state->running) {
          state->next.push_back({ex, Handler(std::move(handler))});
          if (!state->next_run) state->next_run = std::move(run);
        } else {
          state->running = true;
          state->current.push_back({ex, Handler(std::move(handler))});
          start = true;
        }
      }
      if (start) launch(state, ex, std::move(run));
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
    bool running = false;
    std::vector<Waiter> current;  // waiting for the run in flight
    std::vector<Waiter> next;     // came during it: waiting for the next run
    Run next_run;
  };

  static void launch(std::shared_ptr<State> state, boost::asio::any_io_executor ex, Run run) {
    boost::asio::co_spawn(ex, run(), [state, ex](std::exception_ptr error, T value) {
      std::vector<Waiter> done;
      Run again;
      {
        std::lock_guard lock(state->mutex);
        done = std::move(state->current);
        state->current = std::move(state->next);
        state->next.clear();
        again = std::move(state->next_run);
        state->next_run = nullptr;
        state->running = !state->current.empty();
      }
      for (Waiter& w : done) {
        boost::asio::post(w.ex, [h = std::move(w.handler), error, value]() mutable {
          std::move(h)(error, std::move(value));
        });
      }
      if (again) launch(state, ex, std::move(again));
    });
  }

  std::shared_ptr<State> state_;
};

}  // namespace usynys::api
