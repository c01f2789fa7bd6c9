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
    store::StoreOptions options;
    options.url = test::database_url();
    return store::sync_documents(options, shipped_documents());
  }();
  return ids;
}

struct DbCase {
  DbCase() {
    kz = document_ids().at("kz-1995");
    db.truncate_proposals();
  }
  // Inserts a visible citizen proposal on kz-1995 and returns its id.
  std::int64_t insert_proposal(pqxx::work& tx) {
    return tx
        .exec_params1(
            "INSERT INTO proposals (document_id, submitter_type, text) "
            "VALUES ($1, 'citizen', 'text') RETURNING id",
            kz)[0]
        .as<std::int64_t>();
  }
  Db db;
  int kz = 0;
};

}  // namespace usynys::test
