// Launches the real usynys binary for end-to-end tests and owns the child process.
//
// The child's stdout and stderr go into one pipe that a reader thread drains into memory for the
// whole life of the process, so the server never blocks on a full pipe. Start-up waits for the
// line "usynys: listening on ADDRESS:PORT" (no sleeps): a bounded wait that throws with the
// output so far when the line does not come or the process exits first.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace usynys::test {

using EnvOverrides = std::vector<std::pair<std::string, std::string>>;

class ServerProcess {
 public:
  // Starts `binary --config config` with the current environment plus `env` (which wins).
  // Throws std::runtime_error (message holds the server's output) when the process cannot be
  // started, exits before listening, or does not listen within `start_timeout`; the child is
  // killed and reaped before the throw.
  ServerProcess(const std::filesystem::path& binary, const std::filesystem::path& config,
                const EnvOverrides& env, std::chrono::milliseconds start_timeout);
  // Kills (SIGKILL) a child that is still running, reaps it and joins the reader.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }

  // Sends a signal to the child (no-op once it has been reaped).
  void signal(int sig);
  // Waits up to `timeout` for the child to exit. Returns its exit code, or 128 + signal number
  // when a signal ended it; nullopt when it is still running after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  // SIGTERM, then wait; on timeout SIGKILL and throw std::runtime_error. Returns the exit code.
  int terminate(std::chrono::milliseconds timeout);
  bool exited() const { return exit_code_.has_value(); }

  // Everything the child wrote so far (stdout and stderr interleaved).
  std::string output() const;
  // Waits up to `timeout` until the output holds `text`; false on timeout or end of output.
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout);

 private:
  void read_loop();
  void kill_and_reap();

  pid_t pid_ = -1;
  int read_fd_ = -1;
  std::uint16_t port_ = 0;
  std::optional<int> exit_code_;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool eof_ = false;
};

}  // namespace usynys::test
