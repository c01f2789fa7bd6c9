// What the spreadsheet readers of a bulk import give: one record per data row, named by the
// header row, with the row number a spreadsheet program shows for it. Pure (std only).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace usynys::imports {

// One data row. Either `error` is empty and `cells` holds one (column name, value) pair per
// header column, in header order (a missing value is an empty string), with `is_date` the same
// length; or `error` is a short English message and `cells` and `is_date` are empty.
struct Record {
  // The row number as a spreadsheet shows it: the header is row 1 when it is the first row.
  std::size_t line = 0;
  std::vector<std::pair<std::string, std::string>> cells;
  // True where the value is an Excel serial date in the 1900 date system (a number formatted
  // as a date or time); see excel_serial_to_rfc3339. Always false for CSV.
  std::vector<bool> is_date;
  std::string error;
};

// A source of records, read front to back once. Implementations are not thread-safe: one
// reader per file, used by one thread at a time.
class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // The next data record into `out` (overwritten whole); false, leaving `out` untouched, at the
  // end of the data. A record that cannot be read is given with `error` set, and reading goes
  // on with the next one. Throws std::runtime_error when the input itself fails (I/O error, a
  // damaged file) and nothing further can be read.
  virtual bool next(Record& out) = 0;
  // The column names of the header row, trimmed; empty when the input holds no row at all.
  virtual const std::vector<std::string>& header() const = 0;
  // Bytes of input consumed so far, for progress.
  virtual std::uint64_t bytes_read() const = 0;
};

}  // namespace usynys::imports
