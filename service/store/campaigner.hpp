// Campaigner: groups committed proposals into campaigns in the background. An insert marks each
// proposal (campaign_pending); a thread with its own connection takes marked proposals in
// batches under the campaigns' lock, computes each text's signature (match::signature), reads
// the proposals holding its band keys or exact hash, decides (match::decide_campaigns) and
// stores the decisions with campaigns_store(), which removes the marks, in one transaction.
// Several servers on one database take turns. Intake never waits for it.
#pragma once

#include <pqxx/pqxx>
#include <string>

#include "config/config.hpp"
#include "store/folder.hpp"
#include "store/periodic.hpp"

namespace usynys::store {

// Compares one batch of up to `limit` marked proposals in the transaction of `conn` and commits;
// returns how many were taken. Used by the thread and by `usynys detect-campaigns`.
std::size_t compare_batch(pqxx::connection& conn, const config::Campaigns& options,
                          std::size_t limit);
// Prepares the statements compare_batch uses on `conn`.
void prepare_campaign_statements(pqxx::connection& conn);

class Campaigner {
 public:
  // Looks for marked proposals every campaigns.interval_ms and takes campaigns.batch per
  // transaction, again at once while batches come full. While intake is busy it runs only when
  // more than campaigns.backlog proposals wait. on_batch is called after each batch stored
  // ("campaigns", proposals, seconds).
  Campaigner(const config::Campaigns& options, std::string url, int statement_timeout_ms,
             IntakeBatches intake_batches = {}, OnFold on_batch = {});
  Campaigner(const Campaigner&) = delete;
  Campaigner& operator=(const Campaigner&) = delete;

  void stop() { thread_.stop(); }

 private:
  bool drain(pqxx::connection& conn, int backlog);

  const config::Campaigns options_;
  const OnFold on_batch_;
  Periodic thread_;
};

}  // namespace usynys::store
