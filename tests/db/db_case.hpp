// The db tier's fixture: the shipped documents loaded once per run, and empty proposal tables
// before each case.
#pragma once

#include <cstdint>
#include <map>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "store/store.hpp"
#include "support/db.hpp"
#include "support/paths.hpp"

namespace usynys::test {

inline std::vector<domain::Document> shipped_documents() {
  auto cfg = config::load(test::source_file("config/usynys.json"));
  return config::load_documents(cfg.documents);
}

// slug -> documents.id, after loading the shipped documents once for the whole run.
inline const std::map<std::string, int>& document_ids() {
  static const std::map<std::string, int> ids = [] {
    return store::sync_documents(test::database_url(), shipped_documents());
  }();
  return ids;
}

// Inserts a visible citizen proposal on `document` and returns its id.
inline std::int64_t insert_proposal_on(pqxx::transaction_base& tx, int document) {
  return tx
      .exec_params1(
          "INSERT INTO proposals (document_id, submitter_type, text) "
          "VALUES ($1, 'citizen', 'text') RETURNING id",
          document)[0]
      .as<std::int64_t>();
}

// Inserts a reference from `proposal` to `article` of `document`, optionally to a paragraph.
inline void insert_reference(pqxx::transaction_base& tx, std::int64_t proposal, int document,
                             const std::string& article) {
  tx.exec_params(
      "INSERT INTO proposal_articles (proposal_id, document_id, article_id) VALUES ($1, $2, $3)",
      proposal, document, article);
}
inline void insert_reference(pqxx::transaction_base& tx, std::int64_t proposal, int document,
                             const std::string& article, const std::string& paragraph) {
  tx.exec_params(
      "INSERT INTO proposal_articles (proposal_id, document_id, article_id, paragraph) "
      "VALUES ($1, $2, $3, $4)",
      proposal, document, article, paragraph);
}

struct DbCase {
  DbCase() {
    kz = document_ids().at("kz-1995");
    db.truncate_proposals();
  }
  // Inserts a visible citizen proposal on kz-1995 and returns its id.
  std::int64_t insert_proposal(pqxx::transaction_base& tx) { return insert_proposal_on(tx, kz); }
  Db db;
  int kz = 0;
};

}  // namespace usynys::test
