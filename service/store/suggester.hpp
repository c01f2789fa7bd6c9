// Suggester: computes the article suggestions of committed proposals in the background. An
// insert marks each proposal (suggest_pending); a thread with its own connection takes marked
// proposals in batches, ranks each text against its document's articles (match::ArticleIndex)
// and stores the suggestions with suggestions_store(), which also sets each proposal's estimate
// and removes the marks, in the transaction that took them. Several servers on one database
// take disjoint marks. Intake never waits for it.
#pragma once

#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "config/config.hpp"
#include "match/suggest.hpp"
#include "store/folder.hpp"
#include "store/periodic.hpp"

namespace usynys::store {

// What the proposals of one document are ranked against.
struct DocumentIndex {
  std::shared_ptr<const match::ArticleIndex> index;
  std::string reference_language;  // for a text whose language cannot be told
};
// Document id -> its index.
using ArticleIndexes = std::map<int, DocumentIndex>;

// The suggestions of one proposal: the language of its text (given, else detected, else the
// document's reference language) and the `limit` best articles for its text and proposed text.
struct RankedText {
  std::string language;
  std::vector<match::Suggestion> suggestions;
};
RankedText rank_text(const DocumentIndex& doc, const std::string& text,
                     const std::string& proposed_text, std::string language, std::size_t limit);

// Records the model and threshold (tagging_configure) and marks every proposal again when they
// changed; returns whether they did. Throws std::runtime_error when the database cannot be
// reached.
bool configure_tagging(const std::string& url, double threshold);

class Suggester {
 public:
  // Looks for marked proposals every tagging.suggest_interval_ms and takes tagging.suggest_batch
  // per transaction, again at once while batches come full. While intake is busy (it committed
  // since the previous round) it runs only when more than tagging.suggest_backlog proposals
  // wait, yielding the CPU to submissions. on_batch is called after each batch stored
  // ("suggest", proposals, seconds).
  Suggester(const config::Tagging& tagging, std::string url, int statement_timeout_ms,
            ArticleIndexes indexes, IntakeBatches intake_batches = {}, OnFold on_batch = {});
  Suggester(const Suggester&) = delete;
  Suggester& operator=(const Suggester&) = delete;

  // Finishes the batch in progress, if any, and joins the thread.
  void stop() { thread_.stop(); }

 private:
  // Takes and stores batches until one comes short; false when stopping.
  bool drain(pqxx::connection& conn, int backlog);

  const config::Tagging options_;
  const ArticleIndexes indexes_;
  const OnFold on_batch_;
  Periodic thread_;
};

}  // namespace usynys::store
