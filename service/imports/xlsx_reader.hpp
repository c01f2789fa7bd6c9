// XlsxReader: the first worksheet of an Office Open XML workbook (.xlsx), one row at a time.
//
// The workbook is found through `_rels/.rels` (falling back to `xl/workbook.xml`), its first
// worksheet in tab order through `<sheets>` and the workbook's relationships (chart and dialog
// sheets are passed over, hidden worksheets are not); every other sheet is ignored. Cell values:
// shared strings (rich text runs joined, phonetic runs left out) and inline strings, `_xHHHH_`
// escapes decoded; cached formula results (`str`, `n`, `b`, `e`; the formula itself is not
// read); numbers as the shortest text that reads back as the same double (`42`, not `42.0`;
// `0.1`; `1e+20`); booleans as TRUE and FALSE; ISO 8601 `d` cells as written. A numeric cell
// whose style's number format is a date or time (built-in formats 14-22, 27-36, 45-47, 50-58,
// or a custom format with d, m, y, h or s outside quotes and brackets) has `is_date` set and
// its value is the serial in the 1900 date system, whatever the workbook's (a 1904 workbook's
// serials are shifted by 1462 days): give it to excel_serial_to_rfc3339.
//
// Rows: the first row with a non-empty value is the header (values trimmed of spaces, tabs and line
// ends; its width is that of its last non-empty cell); rows without any value (absent, or holding
// only formatted empty cells) are skipped. `Record::line` is the row's `r` attribute (or the
// previous row's plus one) and a cell's column comes from its `r` (A, B, ..., Z, AA, ..., up to
// XFD) or follows the previous cell. Reported on the record (`error` set) while reading goes
// on: a value in a column right of the header's last, a shared string index out of range, a
// cell reference that cannot be read, values longer than `max_row_bytes` in all.
//
// Throws std::runtime_error from the constructor for a file that cannot be opened, is not a
// zip archive (an OLE compound file: a password-protected workbook, or an .xls), is
// encrypted, holds no workbook or no worksheet, has a part that is not well-formed XML or
// declares a DTD, or shared strings beyond `max_shared_strings_bytes`; and from `next` for a
// damaged worksheet (bad compressed data, XML that is not well-formed): nothing further can
// be read then.
//
// Memory: the shared strings table and the style table are held; the worksheet is streamed
// from the zip entry through expat in fixed-size chunks, the parser pausing after each row, so
// what is held of it is one chunk and one row, whatever its size. `bytes_read` counts the
// worksheet's uncompressed XML handed to the parser so far, out of `sheet_bytes`.
//
// Not thread-safe: one reader per file. A moved-from reader may only be destroyed or assigned.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "imports/record.hpp"

namespace usynys::imports {

struct XlsxOptions {
  // The sum of the lengths of the shared strings; a larger table is refused.
  std::size_t max_shared_strings_bytes = std::size_t{256} * 1024 * 1024;
  // A row whose values add up to more is an error on that row.
  std::size_t max_row_bytes = std::size_t{1024} * 1024;
};

class XlsxReader final : public RecordReader {
 public:
  // Opens the file, reads the workbook, its relationships, styles and shared strings, and the
  // worksheet up to and including the header row.
  explicit XlsxReader(const std::filesystem::path& file, XlsxOptions options = {});
  ~XlsxReader() override;
  XlsxReader(XlsxReader&&) noexcept;
  XlsxReader& operator=(XlsxReader&&) noexcept;

  bool next(Record& out) override;
  const std::vector<std::string>& header() const override;
  std::uint64_t bytes_read() const override;

  // The name of the worksheet read, as its tab shows it.
  const std::string& sheet_name() const;
  // The uncompressed size of the worksheet's XML, as the zip directory gives it.
  std::uint64_t sheet_bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The UTC instant of an Excel serial date in the 1900 date system, as RFC 3339 with six
// fractional digits when there is a fraction ("2025-01-01T12:00:00Z"). Serial 1 is 1900-01-01;
// Excel counts a 1900-02-29 that never was (serial 60): serials from 61 on are one day less
// than their count, and 60 itself is nullopt. A serial below 1 is a time of day on
// 1899-12-31. Times are rounded to the microsecond, and to the millisecond when within the
// error of a serial written with 15 significant digits (spreadsheets keep no finer times).
// nullopt for a negative, non-finite serial or one after 9999-12-31.
std::optional<std::string> excel_serial_to_rfc3339(double serial);

}  // namespace usynys::imports
