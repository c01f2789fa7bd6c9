// The rows of a bulk import as proposals: a JSON Lines row (the body of POST /api/v1/proposals
// plus external_ref and an optional received_at), or a CSV/XLSX record of the import's columns,
// checked by the same rules as a submission (check_proposal), with external_ref required. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/document.hpp"
#include "imports/record.hpp"
#include "store/import_writer.hpp"

namespace usynys::api {

// A row refused: where, which field (a column name for CSV and XLSX, a JSON Pointer for JSON
// Lines) and why.
struct Rejection {
  std::size_t line = 0;
  std::string external_ref;  // as the row gave it, when it did
  std::string field;
  std::string message;
};

// The columns of a CSV or XLSX import, in the order an export of usynys writes them.
const std::vector<std::string>& import_columns();

class ImportRows {
 public:
  // channel: for rows that name none (else the API's default); document: likewise (else the
  // catalog's default).
  ImportRows(const domain::Catalog& catalog, std::optional<std::string> channel,
             std::optional<std::string> document);

  // Throws std::runtime_error naming the first column that is not an import column, or a
  // column given twice; a header without external_ref or text is refused too.
  static void check_header(const std::vector<std::string>& header);

  // The row of JSON Lines line `line`; false, with the reasons appended, when it is refused.
  bool from_json(std::size_t line, std::string_view text, store::ImportRow& row,
                 std::vector<Rejection>& rejections) const;
  // The row of a CSV or XLSX record (its header checked before).
  bool from_record(const ::usynys::imports::Record& record, store::ImportRow& row,
                   std::vector<Rejection>& rejections) const;

 private:
  bool check(std::size_t line, nlohmann::json body, bool tabular, store::ImportRow& row,
             std::vector<Rejection>& rejections) const;

  const domain::Catalog& catalog_;
  std::optional<std::string> channel_;
  std::optional<std::string> document_;
};

}  // namespace usynys::api
