#include "support/server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace usynys::test {
namespace {

constexpr std::string_view kListening = "usynys: listening on ";

// Decodes a waitpid status the way a shell does.
int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// NAME=VALUE strings of the current environment with `overrides` replacing or adding entries.
std::vector<std::string> child_environment(const EnvOverrides& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    std::string_view name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const auto& [k, v] : overrides) replaced = replaced || k == name;
    if (!replaced) env.emplace_back(entry);
  }
  for (const auto& [k, v] : overrides) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

ServerProcess::ServerProcess(const std::filesystem::path& binary,
                             const std::filesystem::path& config, const EnvOverrides& env,
                             std::chrono::milliseconds start_timeout) {
  std::vector<std::string> args = {binary.string(), "--config", config.string()};
  std::vector<std::string> envs = child_environment(env);
  std::vector<char*> argv = pointers(args);
  std::vector<char*> envp = pointers(envs);

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
  }
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) {
    int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::string("fork: ") + std::strerror(err));
  }
  if (pid_ == 0) {
    // Child: only async-signal-safe calls until exec. Die with the test process.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    ::execve(argv[0], argv.data(), envp.data());
    static const char msg[] = "usynys test launcher: execve failed\n";
    [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    ::_exit(127);
  }
  ::close(fds[1]);
  read_fd_ = fds[0];
  reader_ = std::thread([this] { read_loop(); });

  // Wait for the complete "listening on" line, the end of output, or the deadline.
  const auto deadline = std::chrono::steady_clock::now() + start_timeout;
  std::string line;
  {
    std::unique_lock lock(mutex_);
    auto has_line = [&] {
      auto at = output_.find(kListening);
      if (at == std::string::npos) return false;
      auto end = output_.find('\n', at);
      if (end == std::string::npos) return false;
      line = output_.substr(at, end - at);
      return true;
    };
    changed_.wait_until(lock, deadline, [&] { return has_line() || eof_; });
  }
  std::string problem;
  if (!line.empty()) {
    auto colon = line.rfind(':');
    try {
      int p = std::stoi(line.substr(colon + 1));
      if (p <= 0 || p > 65535) throw std::out_of_range("port");
      port_ = static_cast<std::uint16_t>(p);
    } catch (const std::exception&) {
      problem = "cannot read the port from \"" + line + "\"";
    }
  } else if (wait(std::chrono::milliseconds(2000))) {
    problem = "usynys exited with status " + std::to_string(*exit_code_) + " before listening";
  } else {
    problem = "usynys did not print \"" + std::string(kListening) + "...\" within " +
              std::to_string(start_timeout.count()) + " ms";
  }
  if (!problem.empty()) {
    kill_and_reap();
    throw std::runtime_error(problem + "; its output:\n" + output());
  }
}

ServerProcess::~ServerProcess() {
  kill_and_reap();
}

void ServerProcess::kill_and_reap() {
  if (pid_ > 0 && !exit_code_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    exit_code_ = decode_status(status);
  }
  // The pipe reaches end of file once the child (its only writer) is gone.
  if (reader_.joinable()) reader_.join();
  if (read_fd_ >= 0) {
    ::close(read_fd_);
    read_fd_ = -1;
  }
}

void ServerProcess::read_loop() {
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(read_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    std::lock_guard lock(mutex_);
    if (n <= 0) {
      eof_ = true;
      changed_.notify_all();
      return;
    }
    output_.append(buf, static_cast<std::size_t>(n));
    changed_.notify_all();
  }
}

void ServerProcess::signal(int sig) {
  if (pid_ > 0 && !exit_code_) ::kill(pid_, sig);
}

std::optional<int> ServerProcess::wait(std::chrono::milliseconds timeout) {
  if (exit_code_) return exit_code_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = decode_status(status);
      return exit_code_;
    }
    if (r < 0 && errno != EINTR)
      throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    // Woken early when the child closes its output (it is exiting); otherwise look again soon.
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::milliseconds(eof_ ? 2 : 20));
  }
}

int ServerProcess::terminate(std::chrono::milliseconds timeout) {
  signal(SIGTERM);
  if (auto code = wait(timeout)) return *code;
  kill_and_reap();
  throw std::runtime_error("usynys did not exit within " + std::to_string(timeout.count()) +
                           " ms of SIGTERM; killed. Its output:\n" + output());
}

std::string ServerProcess::output() const {
  std::lock_guard lock(mutex_);
  return output_;
}

bool ServerProcess::wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return output_.find(text) != std::string::npos || eof_;
  }) && output_.find(text) != std::string::npos;
}

}  // namespace usynys::test
