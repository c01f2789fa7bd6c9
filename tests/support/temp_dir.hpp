// Scratch directories and the environment, restored when the test is done.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace usynys::test {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
// Throws std::runtime_error when it cannot be created.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "usynys-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `text` to path()/name and returns the file's path.
  std::filesystem::path write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

// Sets or unsets environment variables for a scope; the destructor restores what was there.
// Not thread-safe (neither is the environment).
class EnvGuard {
 public:
  EnvGuard() = default;
  ~EnvGuard();
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;

  void set(const std::string& name, const std::string& value);
  void unset(const std::string& name);

 private:
  void remember(const std::string& name);
  std::map<std::string, std::optional<std::string>> saved_;
};

}  // namespace usynys::test
