// Periodic: the thread behind the folds and the suggestions. Every interval it runs one round
// on a connection of its own (opened again when the server closed it), tells the round whether
// intake committed since the previous one (busy), and backs off up to ten intervals while
// rounds fail, logging the first failure and the recovery ("<name>_failed",
// "<name>_recovered"). Nothing waits for it: readers stay exact while it lags.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <thread>

namespace usynys::store {

// Intake's count of committed batches, for telling whether it is busy; empty: never busy.
using IntakeBatches = std::function<std::uint64_t()>;

class Periodic {
 public:
  // Opens and prepares a connection; throws when it cannot.
  using Open = std::function<std::unique_ptr<pqxx::connection>()>;
  // One round; returns false to end the thread (it saw stopping()).
  using Round = std::function<bool(pqxx::connection&, bool busy)>;

  Periodic(std::string name, std::chrono::milliseconds interval, Open open, Round round,
           IntakeBatches intake_batches);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  // Starts the thread; call once, after everything the round uses is ready.
  void start();
  // Lets the round in progress finish, and joins the thread.
  void stop();
  // True once stop() was called: a round that loops checks it between transactions.
  bool stopping();

 private:
  void run();

  const std::string name_;
  const std::chrono::milliseconds interval_;
  const Open open_;
  const Round round_;
  const IntakeBatches intake_batches_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace usynys::store
