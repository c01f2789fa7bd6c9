#include "store/suggester.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "domain/text.hpp"
#include "store/db_pool.hpp"
#include "usynys/queries.hpp"

namespace usynys::store {

RankedText rank_text(const DocumentIndex& doc, const std::string& text,
                     const std::string& proposed_text, std::string language, std::size_t limit) {
  const std::string all = domain::with_proposed_text(text, proposed_text);
  if (language.empty()) language = match::detect_language(all);
  if (language.empty()) language = doc.reference_language;
  RankedText out;
  out.suggestions = doc.index->rank(all, language, limit);
  out.language = std::move(language);
  return out;
}

bool configure_tagging(const std::string& url, double threshold) {
  return run_once(url, "recording the suggestion model", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    const bool changed = tx.exec_params1(std::string(sql::tagging_configure),
                                         std::string(match::kSuggestModel), threshold)[0]
                             .as<bool>();
    tx.commit();
    return changed;
  });
}

Suggester::Suggester(const config::Tagging& tagging, std::string url, int statement_timeout_ms,
                     ArticleIndexes indexes, IntakeBatches intake_batches, OnFold on_batch)
    : options_(tagging),
      indexes_(std::move(indexes)),
      on_batch_(std::move(on_batch)),
      thread_(
          "suggest", std::chrono::milliseconds(tagging.suggest_interval_ms),
          [url = std::move(url), statement_timeout_ms] {
            auto conn = open_connection(url, statement_timeout_ms);
            conn->prepare("suggest_take", std::string(sql::suggest_take));
            conn->prepare("proposals_lock_shared", std::string(sql::proposals_lock_shared));
            conn->prepare("suggest_backlog", std::string(sql::suggest_backlog));
            conn->prepare("suggestions_store", std::string(sql::suggestions_store));
            return conn;
          },
          [this](pqxx::connection& conn, bool busy) {
            return drain(conn, busy ? options_.suggest_backlog : 0);
          },
          std::move(intake_batches)) {
  thread_.start();
}

bool Suggester::drain(pqxx::connection& conn, int backlog) {
  const auto limit = static_cast<std::size_t>(options_.suggestions_kept);
  for (;;) {
    int take = options_.suggest_batch;
    if (backlog > 0) {
      pqxx::read_transaction tx(conn);
      const auto waiting =
          tx.exec_prepared1("suggest_backlog", backlog + options_.suggest_batch)[0].as<int>();
      if (waiting <= backlog) return true;
      take = std::min(take, waiting - backlog);
    }
    const auto started = std::chrono::steady_clock::now();
    pqxx::work tx(conn);
    tx.exec_prepared("proposals_lock_shared");
    const pqxx::result r = tx.exec_prepared("suggest_take", take);
    nlohmann::json rows = nlohmann::json::array();
    for (const pqxx::row& row : r) {
      // A document the configuration no longer names has no index: no suggestions ("und",
      // undetermined language), so that its proposals leave the queue of marks all the same.
      auto doc = indexes_.find(row[1].as<int>());
      RankedText ranked{"und", {}};
      if (doc != indexes_.end()) {
        ranked = rank_text(doc->second, row[3].as<std::string>(), row[4].as<std::string>(),
                           row[2].as<std::string>(), limit);
      }
      nlohmann::json articles = nlohmann::json::array();
      nlohmann::json scores = nlohmann::json::array();
      for (const match::Suggestion& s : ranked.suggestions) {
        articles.push_back(s.article);
        scores.push_back(s.score);
      }
      rows.push_back({{"id", row[0].as<std::int64_t>()},
                      {"language", std::move(ranked.language)},
                      {"articles", std::move(articles)},
                      {"scores", std::move(scores)}});
    }
    const auto stored =
        tx.exec_prepared1("suggestions_store", rows.dump(), std::string(match::kSuggestModel))[0]
            .as<int>();
    tx.commit();
    if (stored > 0 && on_batch_) {
      on_batch_("suggest", static_cast<std::size_t>(stored),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    if (static_cast<int>(r.size()) < take) return true;
    if (thread_.stopping()) return false;
  }
}

}  // namespace usynys::store
