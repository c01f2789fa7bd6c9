#include "store/campaigner.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <vector>

#include "domain/text.hpp"
#include "match/campaign_groups.hpp"
#include "store/db_pool.hpp"
#include "store/sql_array.hpp"
#include "usynys/queries.hpp"

namespace usynys::store {
namespace {

// The proposals the candidate statement found, keyed the way decide_campaigns looks them up.
match::CampaignCandidates read_candidates(pqxx::work& tx,
                                          const std::vector<match::NewText>& texts) {
  std::vector<std::int64_t> keys;
  std::vector<std::int64_t> exacts;
  std::vector<int> documents;
  for (const match::NewText& t : texts) {
    if (!t.signature.comparable()) continue;
    for (std::uint64_t band : t.signature.bands) {
      keys.push_back(match::document_band_key(t.document, band));
    }
    exacts.push_back(static_cast<std::int64_t>(t.signature.exact));
    documents.push_back(t.document);
  }
  match::CampaignCandidates out;
  if (keys.empty()) return out;
  for (const pqxx::row& row : tx.exec_prepared("campaign_candidates", number_array(keys),
                                               number_array(exacts), number_array(documents))) {
    match::KnownProposal k;
    k.id = row[1].as<std::int64_t>();
    auto minhash = match::minhash_from_hex(row[2].as<std::string>());
    if (!minhash) continue;  // not written by this method: compared with nothing
    k.minhash = *minhash;
    if (!row[3].is_null()) {
      k.campaign = row[3].as<std::int64_t>();
      k.campaign_members = row[4].as<std::int64_t>();
    }
    k.document = row[5].as<int>();
    k.exact = static_cast<std::uint64_t>(row[6].as<std::int64_t>());
    if (row[0].is_null()) {
      out.exact_holders.emplace(std::make_pair(k.document, k.exact), k.id);
    } else {
      out.band_holders.emplace(row[0].as<std::int64_t>(), k.id);
    }
    out.known.emplace(k.id, k);
  }
  return out;
}

}  // namespace

void prepare_campaign_statements(pqxx::connection& conn) {
  conn.prepare("campaign_take", std::string(sql::campaign_take));
  conn.prepare("campaign_backlog", std::string(sql::campaign_backlog));
  conn.prepare("campaign_lock", std::string(sql::campaign_lock));
  conn.prepare("proposals_lock_shared", std::string(sql::proposals_lock_shared));
  conn.prepare("campaign_candidates", std::string(sql::campaign_candidates));
  conn.prepare("campaigns_store", std::string(sql::campaigns_store));
}

std::size_t compare_batch(pqxx::connection& conn, const config::Campaigns& options,
                          std::size_t limit) {
  pqxx::work tx(conn);
  tx.exec_prepared("proposals_lock_shared");
  tx.exec_prepared("campaign_lock");
  const pqxx::result r = tx.exec_prepared("campaign_take", static_cast<int>(limit));
  std::vector<match::NewText> texts;
  texts.reserve(r.size());
  for (const pqxx::row& row : r) {
    const std::string all =
        domain::with_proposed_text(row[2].as<std::string>(), row[3].as<std::string>());
    texts.push_back({row[0].as<std::int64_t>(), row[1].as<int>(), match::signature(all)});
  }
  const match::CampaignCandidates candidates = read_candidates(tx, texts);
  const match::CampaignDecisions decisions = match::decide_campaigns(
      texts, candidates, options.similarity, static_cast<std::size_t>(options.max_candidates));
  nlohmann::json signatures = nlohmann::json::array();
  for (const match::NewText& t : texts) {
    signatures.push_back({{"id", t.id},
                          {"document", t.document},
                          {"exact", static_cast<std::int64_t>(t.signature.exact)},
                          {"minhash", match::minhash_hex(match::stored_minhash(t.signature))}});
  }
  nlohmann::json bands = nlohmann::json::array();
  for (const auto& [key, id] : decisions.new_bands) bands.push_back({key, id});
  nlohmann::json groups = nlohmann::json::array();
  for (const match::CampaignGroup& g : decisions.groups) {
    groups.push_back({{"kept", g.kept ? nlohmann::json(*g.kept) : nlohmann::json()},
                      {"representative", g.representative},
                      {"merge", g.merge},
                      {"join", g.join}});
  }
  const nlohmann::json batch = {{"signatures", std::move(signatures)},
                                {"bands", std::move(bands)},
                                {"groups", std::move(groups)}};
  tx.exec_prepared1("campaigns_store", batch.dump());
  tx.commit();
  return r.size();
}

Campaigner::Campaigner(const config::Campaigns& options, std::string url, int statement_timeout_ms,
                       IntakeBatches intake_batches, OnFold on_batch)
    : options_(options),
      on_batch_(std::move(on_batch)),
      thread_(
          "campaigns", std::chrono::milliseconds(options.interval_ms),
          [url = std::move(url), statement_timeout_ms] {
            auto conn = open_connection(url, statement_timeout_ms);
            prepare_campaign_statements(*conn);
            return conn;
          },
          [this](pqxx::connection& conn, bool busy) {
            return drain(conn, busy ? options_.backlog : 0);
          },
          std::move(intake_batches)) {
  thread_.start();
}

bool Campaigner::drain(pqxx::connection& conn, int backlog) {
  for (;;) {
    int take = options_.batch;
    if (backlog > 0) {
      pqxx::read_transaction tx(conn);
      const auto waiting =
          tx.exec_prepared1("campaign_backlog", backlog + options_.batch)[0].as<int>();
      if (waiting <= backlog) return true;
      take = std::min(take, waiting - backlog);
    }
    const auto started = std::chrono::steady_clock::now();
    const std::size_t taken = compare_batch(conn, options_, static_cast<std::size_t>(take));
    if (taken > 0 && on_batch_) {
      on_batch_("campaigns", taken,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    if (static_cast<int>(taken) < take) return true;
    if (thread_.stopping()) return false;
  }
}

}  // namespace usynys::store
