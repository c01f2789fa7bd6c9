// Coalesced: a caller gets the result of a run that started after it asked, never of one already
// under way; callers that asked together share one run; a failure reaches every caller of its
// run. Driven step by step on one io_context: each run waits for the test to open its gate.
#include "api/coalesced.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/test/unit_test.hpp>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

namespace {

namespace asio = boost::asio;
using usynys::api::Coalesced;

struct Runs {
  asio::io_context ioc;
  std::vector<std::shared_ptr<asio::steady_timer>> gates;  // one per run started
  bool fail_next = false;

  // The run: waits until its gate opens, then answers its number (1 for the first).
  static asio::awaitable<int> run(Runs* self) {
    auto gate =
        std::make_shared<asio::steady_timer>(self->ioc, asio::steady_timer::time_point::max());
    self->gates.push_back(gate);
    const int number = static_cast<int>(self->gates.size());
    boost::system::error_code ec;
    co_await gate->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (self->fail_next) {
      self->fail_next = false;
      throw std::runtime_error("run failed");
    }
    co_return number;
  }

  Coalesced<int>::Run runner() {
    return [this] { return run(this); };
  }

  static asio::awaitable<void> asker(Coalesced<int>* coalesced, Coalesced<int>::Run work,
                                     std::optional<int>* answer) {
    try {
      *answer = co_await coalesced->get(std::move(work));
    } catch (const std::runtime_error&) {
      *answer = -1;
    }
  }

  // Asks `c` and stores the answer (or -1 for a failure) in `out`.
  void ask(Coalesced<int>& c, std::optional<int>& out) {
    asio::co_spawn(ioc, asker(&c, runner(), &out), asio::detached);
    drain();
  }

  // Runs what is ready; an io_context that ran out of work stops and must be restarted.
  void drain() {
    ioc.restart();
    ioc.poll();
  }

  void open(std::size_t run_number) {
    gates.at(run_number - 1)->cancel();
    drain();
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(coalesced)

BOOST_AUTO_TEST_CASE(callers_during_a_run_wait_for_the_next_one_and_share_it) {
  Runs runs;
  Coalesced<int> c;
  std::optional<int> a, b, d;
  runs.ask(c, a);
  BOOST_TEST(runs.gates.size() == 1u);  // a's run started at once
  runs.ask(c, b);
  runs.ask(c, d);
  BOOST_TEST(runs.gates.size() == 1u);  // b and d wait: run 1 started before they asked
  runs.open(1);
  BOOST_TEST(a.value_or(0) == 1);
  BOOST_TEST(!b.has_value());
  BOOST_TEST(runs.gates.size() == 2u);  // one run for both
  runs.open(2);
  BOOST_TEST(b.value_or(0) == 2);
  BOOST_TEST(d.value_or(0) == 2);

  // Nobody waits any more: the next caller starts a run of its own.
  std::optional<int> e;
  runs.ask(c, e);
  BOOST_TEST(runs.gates.size() == 3u);
  runs.open(3);
  BOOST_TEST(e.value_or(0) == 3);
}

BOOST_AUTO_TEST_CASE(a_failure_reaches_every_caller_of_its_run_only) {
  Runs runs;
  Coalesced<int> c;
  std::optional<int> a, b, d;
  runs.ask(c, a);
  runs.ask(c, b);
  runs.ask(c, d);
  runs.open(1);
  BOOST_TEST(a.value_or(0) == 1);
  runs.fail_next = true;
  runs.open(2);
  BOOST_TEST(b.value_or(0) == -1);
  BOOST_TEST(d.value_or(0) == -1);
  std::optional<int> e;
  runs.ask(c, e);
  runs.open(3);
  BOOST_TEST(e.value_or(0) == 3);
}

BOOST_AUTO_TEST_SUITE_END()
