// The database side of a bulk import: a batch of validated proposals, each with its channel's
// external reference, written in one transaction with COPY (proposals, then their article
// references), the statement triggers of the tables counting and checking them once per batch.
// A row whose channel and reference are stored already is a duplicate when what it says is the
// same (its keyed content fingerprint), a conflict otherwise, and is never written again: so an
// import interrupted at any point (Ctrl-C, kill -9) completes, with nothing stored twice, when
// it runs again. Runs on the caller's thread with the caller's connection.
#pragma once

#include <cstdint>
#include <map>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "domain/proposal.hpp"

namespace usynys::store {

// One row to import: where it was read (for the errors file) and what it says, validated, with
// an external reference.
struct ImportRow {
  std::size_t line = 0;
  domain::ValidProposal proposal;
};

struct ImportOutcome {
  enum class Kind { imported, duplicate, conflict };
  Kind kind = Kind::imported;
  std::int64_t id = 0;  // the stored proposal (imported, duplicate); 0 for a conflict
  std::string message;  // why, for a conflict
  std::string receipt;  // the stored proposal's receipt (domain/receipt.hpp); empty on a dry run
};

class ImportWriter {
 public:
  // document_ids: slug -> documents.id; identifier_key: the server's (identifier hashes and
  // fingerprints must match those of proposals sent through the API).
  ImportWriter(std::map<std::string, int> document_ids, std::string identifier_key);

  // Writes `rows` in one transaction on `c`, all or nothing; one outcome per row, in order.
  // dry_run: decides duplicates and conflicts the same way and writes nothing. A row naming the
  // same channel and reference as an earlier row of the batch is that row's duplicate or
  // conflict. Throws pqxx exceptions (a reference taken meanwhile by another writer is a
  // unique violation: write the batch again).
  std::vector<ImportOutcome> write(pqxx::connection& c, const std::vector<ImportRow>& rows,
                                   bool dry_run) const;

  // Prepares what write() runs; once per connection.
  static void prepare(pqxx::connection& c);

 private:
  // The receipt of every outcome with a stored proposal that has none yet.
  void add_receipts(std::vector<ImportOutcome>& out) const;

  std::map<std::string, int> document_ids_;
  std::string identifier_key_;
};

}  // namespace usynys::store
