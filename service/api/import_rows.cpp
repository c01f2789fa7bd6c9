#include "api/import_rows.hpp"

#include <set>
#include <stdexcept>

#include "api/json_body.hpp"
#include "api/proposal_dto.hpp"
#include "domain/text.hpp"
#include "imports/xlsx_reader.hpp"

namespace usynys::api {

using nlohmann::json;

namespace {

// The column of a field named by its JSON Pointer, for the errors of CSV and XLSX rows.
std::string column_of(const std::string& pointer) {
  if (pointer.starts_with("/submitter/")) {
    const std::string leaf = pointer.substr(11, pointer.find('/', 11) - 11);
    return leaf == "type" ? "submitter_type" : "submitter_" + leaf;
  }
  if (pointer == "/submitter") return "submitter_type";
  if (pointer.starts_with("/articles")) return "articles";
  return pointer.empty() ? std::string() : pointer.substr(1, pointer.find('/', 1) - 1);
}

// "33; 83-1/2" -> ["33", {"article": "83-1", "paragraph": "2"}].
json article_list(std::string_view cell) {
  json list = json::array();
  while (!cell.empty()) {
    const std::size_t semi = cell.find(';');
    const std::string one = domain::trim(cell.substr(0, semi));
    cell = semi == std::string_view::npos ? std::string_view() : cell.substr(semi + 1);
    if (one.empty()) continue;
    const std::size_t slash = one.find('/');
    if (slash == std::string::npos) {
      list.push_back(one);
    } else {
      list.push_back({{"article", domain::trim(std::string_view(one).substr(0, slash))},
                      {"paragraph", domain::trim(std::string_view(one).substr(slash + 1))}});
    }
  }
  return list;
}

}  // namespace

const std::vector<std::string>& import_columns() {
  static const std::vector<std::string> columns = {"external_ref",
                                                   "received_at",
                                                   "document",
                                                   "submitter_type",
                                                   "submitter_name",
                                                   "submitter_region",
                                                   "submitter_identifier",
                                                   "channel",
                                                   "language",
                                                   "kind",
                                                   "articles",
                                                   "text",
                                                   "proposed_text"};
  return columns;
}

ImportRows::ImportRows(const domain::Catalog& catalog, std::optional<std::string> channel,
                       std::optional<std::string> document)
    : catalog_(catalog), channel_(std::move(channel)), document_(std::move(document)) {}

void ImportRows::check_header(const std::vector<std::string>& header) {
  const std::vector<std::string>& known = import_columns();
  std::set<std::string> seen;
  for (const std::string& column : header) {
    if (std::find(known.begin(), known.end(), column) == known.end()) {
      std::string what = "unknown column '";
      what.append(column)
          .append("' (the columns are: ")
          .append(domain::join(known, ", "))
          .append(")");
      throw std::runtime_error(what);
    }
    if (!seen.insert(column).second) {
      throw std::runtime_error("column '" + column + "' is given twice");
    }
  }
  for (const char* required : {"external_ref", "text"}) {
    if (!seen.contains(required)) {
      throw std::runtime_error(std::string("the header has no ") + required + " column");
    }
  }
}

bool ImportRows::from_json(std::size_t line, std::string_view text, store::ImportRow& row,
                           std::vector<Rejection>& rejections) const {
  ParsedJson parsed = parse_strict_json(text);
  if (!parsed.ok) {
    rejections.push_back({line, {}, "", parsed.error});
    return false;
  }
  return check(line, std::move(parsed.value), false, row, rejections);
}

bool ImportRows::from_record(const ::usynys::imports::Record& record, store::ImportRow& row,
                             std::vector<Rejection>& rejections) const {
  if (!record.error.empty()) {
    rejections.push_back({record.line, {}, "", record.error});
    return false;
  }
  json body = json::object();
  json submitter = json::object();
  for (std::size_t i = 0; i < record.cells.size(); ++i) {
    const auto& [column, raw] = record.cells[i];
    if (domain::trim(raw).empty()) continue;  // an empty cell: the field is absent
    std::string value = raw;
    if (column == "received_at" && i < record.is_date.size() && record.is_date[i]) {
      // A spreadsheet's date cell holds a serial number of days.
      try {
        if (auto t = ::usynys::imports::excel_serial_to_rfc3339(std::stod(raw))) value = *t;
      } catch (const std::exception&) {
        // Left as it is: validation names it.
      }
    }
    if (column == "articles") {
      body["articles"] = article_list(value);
    } else if (column.starts_with("submitter_")) {
      const std::string key = column.substr(10);
      submitter[key == "type" ? "type" : key] = value;
    } else if (column == "channel" || column == "language" || column == "kind" ||
               column == "document") {
      body[column] = domain::trim(value);
    } else {
      body[column] = value;
    }
  }
  if (!submitter.empty()) body["submitter"] = std::move(submitter);
  return check(record.line, std::move(body), true, row, rejections);
}

bool ImportRows::check(std::size_t line, json body, bool tabular, store::ImportRow& row,
                       std::vector<Rejection>& rejections) const {
  std::string ref;
  if (body.is_object()) {
    if (auto r = body.find("external_ref"); r != body.end() && r->is_string()) {
      ref = r->get<std::string>();
    }
    if (channel_ && !body.contains("channel")) body["channel"] = *channel_;
    if (document_ && !body.contains("document")) body["document"] = *document_;
  }
  domain::ValidProposal valid;
  domain::Origin origin;
  origin.import = true;
  std::vector<domain::FieldError> errors = check_proposal(body, catalog_, origin, valid);
  if (body.is_object() && !body.contains("external_ref")) {
    errors.push_back({"/external_ref", "is required on every row of an import"});
  }
  if (!errors.empty()) {
    for (const domain::FieldError& e : errors) {
      rejections.push_back({line, ref, tabular ? column_of(e.field) : e.field, e.message});
    }
    return false;
  }
  row.line = line;
  row.proposal = std::move(valid);
  return true;
}

}  // namespace usynys::api
