#include "ops/log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace usynys::ops {

namespace {

void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b == '"' || b == '\\') {
      out += '\\';
      out += c;
    } else if (b < 0x20 || b >= 0x7f) {
      out += "\\u00";
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
}

void write_line(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

std::string now_rfc3339() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

void log(const std::string& level, const nlohmann::json& fields) {
  nlohmann::json line = {{"ts", now_rfc3339()}, {"level", level}};
  line.update(fields);
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text += '\n';
  write_line(text);
}

void log_request(std::string_view id, std::string_view peer, std::string_view method,
                 std::string_view path, unsigned status, double ms) {
  std::string line;
  line.reserve(160 + path.size());
  line += R"({"event":"request","id":)";
  append_string(line, id);
  line += R"(,"level":"info","method":)";
  append_string(line, method);
  char number[32];
  std::snprintf(number, sizeof number, "%.3f", ms);
  line += R"(,"ms":)";
  line += number;
  line += R"(,"path":)";
  append_string(line, path);
  line += R"(,"peer":)";
  append_string(line, peer);
  line += R"(,"status":)";
  line += std::to_string(status);
  line += R"(,"ts":")";
  line += now_rfc3339();
  line += "\"}\n";
  write_line(line);
}

}  // namespace usynys::ops
