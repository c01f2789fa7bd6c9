// CsvReader: RFC 4180 CSV as spreadsheet programs write it, read one record at a time.
//
// Input: UTF-8 text (bytes are passed through unchecked), an optional UTF-8 byte order mark at
// the start (dropped), records ended by CRLF or LF (the last one may have no end), fields
// separated by commas. A field that starts with `"` is quoted: it may hold commas, line ends
// (kept as they are, CRLF included) and `""` for one quote. Values are not trimmed; a value
// that looks like a formula (`=SUM(A1)`) is text like any other.
//
// The first record is the header: column names, trimmed of spaces, tabs and line ends. A record in
// which every field is empty (an empty line, or `,,,` as spreadsheets write an empty row) is
// skipped, but still counts as a row. `Record::line` is the row a spreadsheet shows: one more than
// the number of record ends before the record, so a line end inside quotes starts no row.
//
// Errors, reported on the record (`error` set, `cells` empty) while reading goes on with the
// next record: a field count different from the header's, a quote inside an unquoted field,
// text after a closing quote, a record longer than `max_record_bytes`. A quote never closed
// takes the rest of the input: that record is reported and it is the last. The constructor
// throws std::runtime_error when the header record has such an error; `next` throws it when
// the stream fails (badbit).
//
// Memory: one record, at most `max_record_bytes` of it, plus a fixed read buffer, whatever the
// size of the input. Not thread-safe: one reader per stream; the stream must outlive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "imports/record.hpp"

namespace usynys::imports {

struct CsvOptions {
  // A longer record (its bytes as read, quotes and separators included) is an error.
  std::size_t max_record_bytes = std::size_t{1024} * 1024;
};

class CsvReader final : public RecordReader {
 public:
  // Reads up to and including the header record.
  explicit CsvReader(std::istream& in, CsvOptions options = {});

  bool next(Record& out) override;
  const std::vector<std::string>& header() const override { return header_; }
  std::uint64_t bytes_read() const override { return bytes_read_; }

 private:
  // One record as split, before it is matched with the header.
  struct Raw {
    std::size_t line = 0;
    std::vector<std::string> fields;
    std::string error;
  };

  // The next record that is not entirely empty into `raw`; false at the end of the input.
  bool read_nonempty(Raw& raw);
  // The next record, empty or not; false at the end of the input.
  bool read_record(Raw& raw);
  int get();
  int peek();
  bool fill();

  std::istream& in_;
  CsvOptions options_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::uint64_t bytes_read_ = 0;
  std::size_t next_line_ = 1;
  std::vector<std::string> header_;
};

}  // namespace usynys::imports
