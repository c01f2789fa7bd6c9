// Where the tests find the repository and the server binary. Both come from compile definitions
// set in tests/CMakeLists.txt, so no machine path is written in a source file.
#pragma once

#include <filesystem>
#include <string>

namespace usynys::test {

// The repository root (CMAKE_SOURCE_DIR).
inline std::filesystem::path source_dir() {
  return USYNYS_SOURCE_DIR;
}

// A file of the repository, e.g. source_file("config/documents/kz-constitution.json").
inline std::filesystem::path source_file(const std::filesystem::path& relative) {
  return source_dir() / relative;
}

#ifdef USYNYS_BINARY
// The usynys server binary built with the tests.
inline std::filesystem::path server_binary() {
  return USYNYS_BINARY;
}
#endif

// `s` as one word for /bin/sh, in single quotes.
inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace usynys::test
