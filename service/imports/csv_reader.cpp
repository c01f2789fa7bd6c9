#include "imports/csv_reader.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace usynys::imports {
namespace {

constexpr std::size_t kBufferBytes = std::size_t{64} * 1024;
constexpr int kEnd = -1;

std::string trim_blanks(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

CsvReader::CsvReader(std::istream& in, CsvOptions options)
    : in_(in), options_(options), buffer_(kBufferBytes) {
  // istream::read fills the whole buffer unless the input ends first, so three bytes are there
  // whenever the input has them.
  fill();
  if (end_ >= 3 && buffer_[0] == '\xEF' && buffer_[1] == '\xBB' && buffer_[2] == '\xBF') {
    pos_ = 3;
    bytes_read_ = 3;
  }
  Raw raw;
  if (!read_nonempty(raw)) return;
  if (!raw.error.empty()) {
    throw std::runtime_error("CSV header (row " + std::to_string(raw.line) + "): " + raw.error);
  }
  header_.reserve(raw.fields.size());
  for (const std::string& name : raw.fields) header_.push_back(trim_blanks(name));
}

bool CsvReader::next(Record& out) {
  Raw raw;
  if (!read_nonempty(raw)) return false;
  out.line = raw.line;
  out.cells.clear();
  out.is_date.clear();
  out.error = std::move(raw.error);
  if (out.error.empty() && raw.fields.size() != header_.size()) {
    out.error = std::to_string(raw.fields.size()) + " fields where the header has " +
                std::to_string(header_.size());
  }
  if (!out.error.empty()) return true;
  out.cells.reserve(header_.size());
  for (std::size_t i = 0; i < header_.size(); ++i) {
    out.cells.emplace_back(header_[i], std::move(raw.fields[i]));
  }
  out.is_date.assign(header_.size(), false);
  return true;
}

bool CsvReader::read_nonempty(Raw& raw) {
  while (read_record(raw)) {
    const bool blank = std::all_of(raw.fields.begin(), raw.fields.end(),
                                   [](const std::string& f) { return f.empty(); });
    if (!blank || !raw.error.empty()) return true;
  }
  return false;
}

bool CsvReader::read_record(Raw& raw) {
  raw.line = next_line_;
  raw.fields.clear();
  raw.error.clear();
  int c = get();
  if (c == kEnd) return false;

  enum class State { field_start, unquoted, quoted, after_quote };
  State state = State::field_start;
  std::string field;
  std::size_t record_bytes = 0;
  bool too_long = false;
  const auto fail = [&](const char* what) {
    if (raw.error.empty()) {
      raw.error = "field " + std::to_string(raw.fields.size() + 1) + ": " + what;
    }
  };
  const auto append = [&](int ch) {
    if (!too_long) field.push_back(static_cast<char>(ch));
  };
  const auto end_field = [&] {
    if (!too_long) raw.fields.push_back(std::move(field));
    field.clear();
  };
  // A record end outside quotes: LF, CRLF, or the end of the input. A CR before anything else
  // is data.
  const auto at_record_end = [&](int ch) {
    if (ch == kEnd || ch == '\n') return true;
    if (ch != '\r') return false;
    const int after = peek();
    if (after == '\n') {
      get();
      return true;
    }
    return after == kEnd;
  };
  // After a field: a separator starts the next (false), a record end ends the record (true).
  const auto end_field_at = [&](int ch) {
    end_field();
    if (ch == ',') {
      state = State::field_start;
      return false;
    }
    ++next_line_;
    return true;
  };

  for (;; c = get()) {
    if (c != kEnd && !too_long && ++record_bytes > options_.max_record_bytes) {
      // Keep splitting, so that the record ends where it would have, but hold nothing more.
      too_long = true;
      raw.error = "record longer than " + std::to_string(options_.max_record_bytes) + " bytes";
      raw.fields.clear();
      field.clear();
    }
    switch (state) {
      case State::field_start:
      case State::unquoted:
        if (state == State::field_start && c == '"') {
          state = State::quoted;
        } else if (c == ',' || at_record_end(c)) {
          if (end_field_at(c)) return true;
        } else {
          if (c == '"') fail("quote inside an unquoted field");
          append(c);
          state = State::unquoted;
        }
        break;
      case State::quoted:
        if (c == kEnd) {
          fail("quote never closed before the end of the input");
          end_field();
          return true;
        }
        if (c == '"') {
          if (peek() == '"') {
            get();
            ++record_bytes;
            append('"');
          } else {
            state = State::after_quote;
          }
        } else {
          append(c);
        }
        break;
      case State::after_quote:
        if (c == ',' || at_record_end(c)) {
          if (end_field_at(c)) return true;
        } else {
          // Kept as data up to the next separator, so the fields after it still line up.
          fail("text after a closing quote");
          append(c);
          state = State::unquoted;
        }
        break;
    }
  }
}

bool CsvReader::fill() {
  pos_ = 0;
  end_ = 0;
  if (eof_) return false;
  in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  if (in_.bad()) throw std::runtime_error("CSV: read error");
  end_ = static_cast<std::size_t>(in_.gcount());
  if (end_ < buffer_.size()) eof_ = true;
  return end_ > 0;
}

int CsvReader::peek() {
  if (pos_ == end_ && !fill()) return kEnd;
  return static_cast<unsigned char>(buffer_[pos_]);
}

int CsvReader::get() {
  const int c = peek();
  if (c != kEnd) {
    ++pos_;
    ++bytes_read_;
  }
  return c;
}

}  // namespace usynys::imports
