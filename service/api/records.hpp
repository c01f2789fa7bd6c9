// A stored proposal as staff see it: as JSON (the list, one proposal, the .jsonl export) and as a
// CSV record (the .csv export). Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "store/staff_store.hpp"

namespace usynys::api {

nlohmann::json proposal_record_json(const store::ProposalRecord& p);

// The CSV export's header row and one record (RFC 4180, CRLF).
std::string csv_header();
void append_csv_record(const store::ProposalRecord& p, std::string& out);
// One line of the JSON Lines export.
void append_jsonl_record(const store::ProposalRecord& p, std::string& out);

// RFC 4180 field: quoted (quotes doubled) when it holds a comma, quote, CR or LF; an apostrophe
// before a field starting with =, +, -, @, tab or CR, which spreadsheets read as a formula.
void append_csv_field(std::string& out, std::string_view field);

}  // namespace usynys::api
