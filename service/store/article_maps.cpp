#include "store/article_maps.hpp"

#include <nlohmann/json.hpp>

#include "match/article_map.hpp"
#include "store/db_pool.hpp"

namespace usynys::store {
namespace {

using nlohmann::json;

bool in_force(const domain::Document& doc, const std::string& id) {
  const domain::Article* a = doc.find(id);
  return a != nullptr && !a->repealed;
}

// Why a confirmed pair no longer applies, or nullopt when every article it names is in force.
std::optional<std::string> flag_of(const domain::Document& from, const domain::Document& to,
                                   const std::string& article,
                                   const std::vector<std::string>& confirmed) {
  if (!in_force(to, article)) {
    return "article " + article + " is no longer in force in " + to.slug;
  }
  for (const std::string& p : confirmed) {
    if (!in_force(from, p)) return "article " + p + " is no longer in force in " + from.slug;
  }
  return std::nullopt;
}

std::vector<std::string> string_list(const std::string& json_text) {
  return json::parse(json_text).get<std::vector<std::string>>();
}

MapSync sync_one(pqxx::connection& c, const domain::Document& from, const domain::Document& to,
                 int from_id, int to_id) {
  MapSync out{from.slug, to.slug};
  pqxx::work tx(c);
  tx.exec("SELECT pg_advisory_xact_lock(hashtext('usynys.article_maps'))");
  const pqxx::result stored = tx.exec_params(
      "SELECT 1 FROM article_maps WHERE from_document_id = $1 AND to_document_id = $2 "
      "AND from_sha256 = $3 AND to_sha256 = $4 AND method = $5",
      from_id, to_id, from.sha256, to.sha256, std::string(match::kMapMethod));
  if (!stored.empty()) {
    tx.commit();
    return out;
  }
  json pairs = json::array();
  for (const match::PairSuggestion& s : match::suggest_map(from, to, to.language)) {
    json candidates = json::array();
    for (const match::Candidate& k : s.candidates) {
      candidates.push_back({{"article", k.article}, {"score", k.score}});
    }
    pairs.push_back({{"article", s.article},
                     {"predecessors", s.predecessors},
                     {"score", s.score},
                     {"candidates", std::move(candidates)}});
  }
  out.computed = true;
  out.pairs = static_cast<int>(pairs.size());
  tx.exec_params(
      "INSERT INTO article_maps (from_document_id, to_document_id, from_sha256, to_sha256, "
      "method) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (from_document_id, to_document_id) DO UPDATE SET "
      "from_sha256 = EXCLUDED.from_sha256, to_sha256 = EXCLUDED.to_sha256, "
      "method = EXCLUDED.method, computed_at = now()",
      from_id, to_id, from.sha256, to.sha256, std::string(match::kMapMethod));
  // Articles no longer in force: their suggestions go; a confirmed pair stays (and is flagged
  // below), an unconfirmed one with it.
  tx.exec_params(
      "DELETE FROM article_map_pairs m WHERE m.from_document_id = $1 AND m.to_document_id = $2 "
      "AND m.confirmed IS NULL AND m.article_id NOT IN "
      "(SELECT r.article FROM jsonb_to_recordset($3::jsonb) AS r (article text))",
      from_id, to_id, pairs.dump());
  tx.exec_params(
      "UPDATE article_map_pairs m SET suggested = NULL, score = NULL, candidates = NULL "
      "WHERE m.from_document_id = $1 AND m.to_document_id = $2 AND m.article_id NOT IN "
      "(SELECT r.article FROM jsonb_to_recordset($3::jsonb) AS r (article text))",
      from_id, to_id, pairs.dump());
  tx.exec_params(
      "INSERT INTO article_map_pairs (from_document_id, to_document_id, article_id, suggested, "
      "score, candidates) "
      "SELECT $1, $2, r.article, ARRAY(SELECT jsonb_array_elements_text(r.predecessors)), "
      "r.score, r.candidates "
      "FROM jsonb_to_recordset($3::jsonb) AS r (article text, predecessors jsonb, "
      "score double precision, candidates jsonb) "
      "ON CONFLICT (from_document_id, to_document_id, article_id) DO UPDATE SET "
      "suggested = EXCLUDED.suggested, score = EXCLUDED.score, candidates = EXCLUDED.candidates",
      from_id, to_id, pairs.dump());
  const pqxx::result confirmed = tx.exec_params(
      "SELECT article_id, to_json(confirmed)::text, flag FROM article_map_pairs "
      "WHERE from_document_id = $1 AND to_document_id = $2 AND confirmed IS NOT NULL",
      from_id, to_id);
  for (const pqxx::row& row : confirmed) {
    const std::string article = row[0].as<std::string>();
    const std::optional<std::string> flag =
        flag_of(from, to, article, string_list(row[1].as<std::string>()));
    if (flag) ++out.flagged;
    const std::optional<std::string> old =
        row[2].is_null() ? std::nullopt : std::optional<std::string>(row[2].as<std::string>());
    if (flag != old) {
      tx.exec_params(
          "UPDATE article_map_pairs SET flag = $4 WHERE from_document_id = $1 "
          "AND to_document_id = $2 AND article_id = $3",
          from_id, to_id, article, flag);
    }
  }
  tx.commit();
  return out;
}

}  // namespace

std::vector<MapSync> sync_article_maps(const std::string& url, const domain::Catalog& catalog,
                                       const std::map<std::string, int>& document_ids) {
  return run_once(url, "computing article maps", [&](pqxx::connection& c) {
    std::vector<MapSync> out;
    for (const auto& [to, from] : catalog.predecessors) {
      out.push_back(sync_one(c, *catalog.find(from), *catalog.find(to), document_ids.at(from),
                             document_ids.at(to)));
    }
    return out;
  });
}

std::optional<domain::ArticleMap> read_article_map(pqxx::transaction_base& tx, int from_id,
                                                   int to_id) {
  const pqxx::result head = tx.exec_prepared("article_map", from_id, to_id);
  if (head.empty()) return std::nullopt;
  domain::ArticleMap map;
  map.method = head[0][0].as<std::string>();
  map.computed_at = head[0][1].as<std::string>();
  for (const pqxx::row& row : tx.exec_prepared("article_map_pairs", from_id, to_id)) {
    domain::MapPair p;
    p.article = row[0].as<std::string>();
    if (!row[1].is_null()) {
      p.suggested = string_list(row[1].as<std::string>());
      p.score = row[2].as<double>();
      for (const json& k : json::parse(row[3].as<std::string>())) {
        p.candidates.push_back({k.at("article").get<std::string>(), k.at("score").get<double>()});
      }
    }
    if (!row[4].is_null()) {
      p.confirmed = string_list(row[4].as<std::string>());
      p.confirmed_by = row[5].as<std::string>();
      p.confirmed_at = row[6].as<std::string>();
      p.reason = row[7].as<std::string>();
    }
    if (!row[8].is_null()) p.flag = row[8].as<std::string>();
    map.pairs.push_back(std::move(p));
  }
  return map;
}

}  // namespace usynys::store
