// `usynys import`: proposals from other channels (portal exports, letters, hearings) into the
// database, by the rules of POST /api/v1/proposals, at COPY speed (scripts/import runs it):
//
//   usynys import [--channel CHANNEL] [--document SLUG] [--dry-run] [--errors FILE]
//                 [--database-url URL] [--config FILE] FILE...
//
// FILE: .jsonl (or .ndjson; `-` reads JSON Lines from standard input), .csv or .xlsx (the first
// sheet). Rows go to the database in batches of one transaction each; a row whose channel and
// external reference are stored already counts as a duplicate (same content) or is rejected as
// a conflict. Rejected rows go to the errors file (CSV: line,external_ref,field,message; one
// FILE.errors.csv per input unless --errors names one for all). Progress (rows, rows/s, share
// done, time left) goes to standard error every second; the last line on standard output is
// `imported=N duplicates=N rejected=N seconds=S`. Exit status: 0 every row stored or already
// present, 1 some rows rejected, 2 bad arguments or an unreadable file, 3 database unreachable.
#pragma once

#include <string>
#include <vector>

namespace usynys::cli {

// Runs the command with the arguments after `import`; returns the exit status.
int import_command(const std::vector<std::string>& args);

}  // namespace usynys::cli
