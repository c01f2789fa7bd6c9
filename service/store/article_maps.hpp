// The stored article maps: computed at start-up from the loaded documents (match/), read by the
// statistics and the map endpoints. <pqxx/...> stays inside store/.
#pragma once

#include <pqxx/pqxx>
#include <string>

#include "domain/article_map.hpp"
#include "domain/document.hpp"

namespace usynys::store {

struct MapSync {
  std::string from;
  std::string to;
  bool computed = false;  // false: the stored suggestions were of these very files already
  int pairs = 0;
  int flagged = 0;  // confirmed pairs set aside because an article they name is gone
};

// Synchronous, for start-up, after sync_documents: for each map of the catalog whose stored
// suggestions were computed from other files or another method, computes them again and
// stores them, keeping every confirmation, and flags confirmations that name an article no
// longer in force (clearing the flag of those whose articles are back). One transaction per
// map, serialised between instances by an advisory lock. Throws std::runtime_error.
std::vector<MapSync> sync_article_maps(const std::string& url, const domain::Catalog& catalog,
                                       const std::map<std::string, int>& document_ids);

// The stored map from -> to (by ids), its pairs by article id; nullopt when none is stored.
std::optional<domain::ArticleMap> read_article_map(pqxx::transaction_base& tx, int from_id,
                                                   int to_id);

}  // namespace usynys::store
