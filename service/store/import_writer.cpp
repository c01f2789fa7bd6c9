#include "store/import_writer.hpp"

#include <array>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <utility>

#include "domain/error.hpp"
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
                                            "external_fingerprint"};
constexpr const char* kReferenceColumns[] = {"proposal_id", "document_id", "article_id",
                                             "paragraph"};

// A COPY field: a string, or NULL.
struct Field {
  const std::string* text = nullptr;
};

Field or_null(const std::optional<std::string>& v) {
  return {v ? &*v : nullptr};
}

// What the writer computes of a row before it reaches the database.
struct Prepared {
  int document_id = 0;
  std::optional<std::string> identifier_hash;  // bytea hex
  std::string fingerprint;                     // raw
  std::string fingerprint_hex;                 // bytea hex
};

}  // namespace
}  // namespace usynys::store

// COPY writes a Field as its text, or \N for NULL.
template <>
struct pqxx::string_traits<usynys::store::Field> {
  static constexpr const char* name() noexcept { return "usynys::store::Field"; }
  static constexpr bool has_null() noexcept { return true; }
  static bool is_null(const usynys::store::Field& f) { return f.text == nullptr; }
  static usynys::store::Field null() { return {}; }
  static void from_string(const char[], usynys::store::Field&) {
    throw std::logic_error("a COPY field is written, never read");
  }
  static std::string to_string(const usynys::store::Field& f) { return *f.text; }
};

namespace usynys::store {

ImportWriter::ImportWriter(std::map<std::string, int> document_ids, std::string identifier_key)
    : document_ids_(std::move(document_ids)), identifier_key_(std::move(identifier_key)) {}

void ImportWriter::prepare(pqxx::connection& c) {
  c.prepare("next_proposal_ids", std::string(sql::next_proposal_ids));
  c.prepare("find_by_external_refs", std::string(sql::find_by_external_refs));
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
      out[i] = {ImportOutcome::Kind::duplicate, seen_id, {}};
    } else {
      out[i] = {ImportOutcome::Kind::conflict, 0,
                seen_fingerprint ? "this channel and external_ref are stored with other content"
                                 : "this channel and external_ref are stored, with their personal "
                                   "data purged: the row cannot be compared"};
    }
  }
  if (dry_run || fresh.empty()) {
    // Rows decided as duplicates of new rows of the batch point at no stored id on a dry run.
    return out;
  }

  const pqxx::result ids = tx.exec_prepared("next_proposal_ids", static_cast<int>(fresh.size()));
  // Rows without a time of their own were received now, as the API's are.
  const std::string now = tx.exec1(
                                "SELECT to_char(now() AT TIME ZONE 'UTC', "
                                "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")[0]
                              .as<std::string>();
  std::vector<std::string> id_text(fresh.size());
  std::vector<std::string> doc_text(fresh.size());
  {
    pqxx::stream_to proposals(
        tx, "proposals",
        std::vector<std::string>(std::begin(kProposalColumns), std::end(kProposalColumns)));
    for (std::size_t n = 0; n < fresh.size(); ++n) {
      const std::size_t i = fresh[n];
      const domain::ValidProposal& p = rows[i].proposal;
      const Prepared& w = prepared[i];
      out[i] = {ImportOutcome::Kind::imported,
                ids[static_cast<pqxx::result::size_type>(n)][0].as<std::int64_t>(),
                {}};
      id_text[n] = std::to_string(out[i].id);
      doc_text[n] = std::to_string(w.document_id);
      const std::array<Field, std::size(kProposalColumns)> fields = {
          Field{&id_text[n]},
          Field{&doc_text[n]},
          Field{&p.submitter_type},
          or_null(p.submitter_name),
          or_null(p.submitter_region),
          or_null(w.identifier_hash),
          Field{&p.channel},
          or_null(p.language),
          Field{&p.kind},
          Field{&p.text},
          or_null(p.proposed_text),
          Field{p.received_at ? &*p.received_at : &now},
          Field{&*p.external_ref},
          Field{&w.fingerprint_hex}};
      proposals << fields;
    }
    proposals.complete();
  }
  {
    pqxx::stream_to references(
        tx, "proposal_articles",
        std::vector<std::string>(std::begin(kReferenceColumns), std::end(kReferenceColumns)));
    for (std::size_t n = 0; n < fresh.size(); ++n) {
      const domain::ValidProposal& p = rows[fresh[n]].proposal;
      for (const domain::ArticleRef& a : p.articles) {
        const std::array<Field, std::size(kReferenceColumns)> fields = {
            Field{&id_text[n]}, Field{&doc_text[n]}, Field{&a.article}, or_null(a.paragraph)};
        references << fields;
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
  return out;
}

}  // namespace usynys::store
