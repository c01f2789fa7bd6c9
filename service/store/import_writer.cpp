#include "store/import_writer.hpp"

#include <iterator>
#include <optional>
#include <pqxx/tablewriter>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "domain/error.hpp"
#include "domain/receipt.hpp"
#include "store/hash.hpp"
#include "store/sql_array.hpp"
#include "usynys/queries.hpp"

namespace usynys::store {
namespace {

constexpr const char* kProposalColumns[] = {"id",
                                            "document_id",
                                            "submitter_type",
                                            "submitter_name",
                                            "submitter_region",
                                            "identifier_hash",
                                            "channel",
                                            "language",
                                            "kind",
                                            "text",
                                            "proposed_text",
                                            "received_at",
                                            "external_ref",
                                            "external_fingerprint",
                                            "receipt_hash"};
constexpr const char* kReferenceColumns[] = {"proposal_id", "document_id", "article_id",
                                             "paragraph"};

// What the writer computes of a row before it reaches the database.
struct Prepared {
  int document_id = 0;
  std::optional<std::string> identifier_hash;  // bytea hex
  std::string fingerprint;                     // raw
  std::string fingerprint_hex;                 // bytea hex
};

// COPY's text format, appended to `out`: a field with its backslashes, tabs and line breaks
// escaped, or \N for NULL, then a tab.
void copy_field(std::string& out, std::string_view v) {
  std::size_t from = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c != '\\' && c != '\t' && c != '\n' && c != '\r') continue;
    out.append(v, from, i - from);
    out += '\\';
    out += c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
    from = i + 1;
  }
  out.append(v, from, v.size() - from);
  out += '\t';
}

void copy_field(std::string& out, const std::string& v) {
  copy_field(out, std::string_view(v));
}

void copy_field(std::string& out, const std::optional<std::string>& v) {
  if (v) {
    copy_field(out, std::string_view(*v));
  } else {
    out += "\\N\t";
  }
}

// A COPY into one table, its rows sent in chunks of about a megabyte. pqxx 6 streams a row at
// a time through an escaper of its own, which cost a fifth of the importer's time; tablewriter
// is the libpqxx 6 interface that sends text as given (stream_to keeps that private), and COPY
// takes its data in chunks that need not be one row each. tablewriter ends each chunk with the
// line feed of its last row.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
class CopyIn {
 public:
  template <std::size_t N>
  CopyIn(pqxx::work& tx, const char* table, const char* const (&columns)[N])
      : writer_(tx, table, std::begin(columns), std::end(columns)) {}

  // The row being written: fields are appended with copy_field, then end_row().
  std::string& row() { return rows_; }
  void end_row() {
    rows_.back() = '\n';  // the tab after the last field
    if (rows_.size() >= kChunk) flush();
  }
  void complete() {
    flush();
    writer_.complete();
  }

 private:
  static constexpr std::size_t kChunk = 1 << 20;
  void flush() {
    if (rows_.empty()) return;
    rows_.pop_back();
    writer_.write_raw_line(rows_);
    rows_.clear();
  }
  pqxx::tablewriter writer_;
  std::string rows_;
};
#pragma GCC diagnostic pop

}  // namespace

ImportWriter::ImportWriter(std::map<std::string, int> document_ids, std::string identifier_key)
    : document_ids_(std::move(document_ids)), identifier_key_(std::move(identifier_key)) {}

void ImportWriter::prepare(pqxx::connection& c) {
  c.prepare("next_proposal_ids", std::string(sql::next_proposal_ids));
  c.prepare("find_by_external_refs", std::string(sql::find_by_external_refs));
}

void ImportWriter::add_receipts(std::vector<ImportOutcome>& out) const {
  for (ImportOutcome& o : out) {
    if (o.receipt.empty() && o.id != 0) {
      o.receipt = domain::format_receipt(receipt_for(identifier_key_, o.id));
    }
  }
}

std::vector<ImportOutcome> ImportWriter::write(pqxx::connection& c,
                                               const std::vector<ImportRow>& rows,
                                               bool dry_run) const {
  std::vector<ImportOutcome> out(rows.size());
  std::vector<Prepared> prepared(rows.size());
  std::vector<std::optional<std::string>> channels;
  std::vector<std::optional<std::string>> refs;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const domain::ValidProposal& p = rows[i].proposal;
    auto doc = document_ids_.find(p.document);
    if (doc == document_ids_.end() || !p.external_ref) {
      throw domain::Error(domain::ErrorKind::internal, "an import row without document or ref");
    }
    Prepared& w = prepared[i];
    w.document_id = doc->second;
    if (p.identifier) w.identifier_hash = bytea_hex(hmac_sha256(identifier_key_, *p.identifier));
    w.fingerprint = content_fingerprint(identifier_key_, domain::content_signature(p));
    w.fingerprint_hex = bytea_hex(w.fingerprint);
    channels.push_back(p.channel);
    refs.push_back(p.external_ref);
  }

  pqxx::work tx(c);
  // Stored before: by an earlier run of this import, or under the same reference elsewhere.
  std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, std::optional<std::string>>>
      known;
  for (const pqxx::row& r :
       tx.exec_prepared("find_by_external_refs", text_array(channels), text_array(refs))) {
    std::optional<std::string> fp;
    if (!r[3].is_null()) fp = pqxx::binarystring(r[3]).str();
    known[{r[0].as<std::string>(), r[1].as<std::string>()}] = {r[2].as<std::int64_t>(), fp};
  }
  // Decide each row; a reference met earlier in the batch answers like a stored one.
  std::map<std::pair<std::string, std::string>, std::size_t> first_in_batch;
  std::vector<std::size_t> fresh;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const domain::ValidProposal& p = rows[i].proposal;
    const std::pair<std::string, std::string> key{p.channel, *p.external_ref};
    std::optional<std::string> seen_fingerprint;
    std::int64_t seen_id = 0;
    bool seen = false;
    if (auto k = known.find(key); k != known.end()) {
      seen = true;
      seen_id = k->second.first;
      seen_fingerprint = k->second.second;
    } else if (auto b = first_in_batch.find(key); b != first_in_batch.end()) {
      seen = true;
      seen_id = out[b->second].id;
      seen_fingerprint = prepared[b->second].fingerprint;
    }
    if (!seen) {
      first_in_batch.emplace(key, i);
      fresh.push_back(i);
      continue;
    }
    if (seen_fingerprint && *seen_fingerprint == prepared[i].fingerprint) {
      out[i] = {ImportOutcome::Kind::duplicate, seen_id, {}, {}};
    } else {
      out[i] = {ImportOutcome::Kind::conflict,
                0,
                seen_fingerprint ? "this channel and external_ref are stored with other content"
                                 : "this channel and external_ref are stored, with their personal "
                                   "data purged: the row cannot be compared",
                {}};
    }
  }
  if (dry_run || fresh.empty()) {
    // Rows decided as duplicates of new rows of the batch point at no stored id on a dry run.
    if (!dry_run) add_receipts(out);
    return out;
  }

  const pqxx::result ids = tx.exec_prepared("next_proposal_ids", static_cast<int>(fresh.size()));
  // Rows without a time of their own were received now, as the API's are.
  const std::string now = tx.exec1(
                                "SELECT to_char(now() AT TIME ZONE 'UTC', "
                                "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")[0]
                              .as<std::string>();
  {
    CopyIn proposals(tx, "proposals", kProposalColumns);
    std::string& r = proposals.row();
    for (std::size_t n = 0; n < fresh.size(); ++n) {
      const std::size_t i = fresh[n];
      const domain::ValidProposal& p = rows[i].proposal;
      const Prepared& w = prepared[i];
      out[i] = {ImportOutcome::Kind::imported,
                ids[static_cast<pqxx::result::size_type>(n)][0].as<std::int64_t>(),
                {},
                {}};
      copy_field(r, std::to_string(out[i].id));
      copy_field(r, std::to_string(w.document_id));
      copy_field(r, p.submitter_type);
      copy_field(r, p.submitter_name);
      copy_field(r, p.submitter_region);
      copy_field(r, w.identifier_hash);
      copy_field(r, p.channel);
      copy_field(r, p.language);
      copy_field(r, p.kind);
      copy_field(r, p.text);
      copy_field(r, p.proposed_text);
      copy_field(r, p.received_at ? *p.received_at : now);
      copy_field(r, *p.external_ref);
      copy_field(r, w.fingerprint_hex);
      const std::string receipt = receipt_for(identifier_key_, out[i].id);
      copy_field(r, bytea_hex(receipt_hash(receipt)));
      out[i].receipt = domain::format_receipt(receipt);
      proposals.end_row();
    }
    proposals.complete();
  }
  {
    CopyIn references(tx, "proposal_articles", kReferenceColumns);
    std::string& r = references.row();
    for (const std::size_t i : fresh) {
      const std::string id = std::to_string(out[i].id);
      const std::string doc = std::to_string(prepared[i].document_id);
      for (const domain::ArticleRef& a : rows[i].proposal.articles) {
        copy_field(r, id);
        copy_field(r, doc);
        copy_field(r, a.article);
        copy_field(r, a.paragraph);
        references.end_row();
      }
    }
    references.complete();
  }
  tx.commit();
  // A duplicate of a row that this batch stored points at that row's id.
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (out[i].kind != ImportOutcome::Kind::duplicate || out[i].id != 0) continue;
    const domain::ValidProposal& p = rows[i].proposal;
    out[i].id = out[first_in_batch.at({p.channel, *p.external_ref})].id;
  }
  add_receipts(out);
  return out;
}

}  // namespace usynys::store
