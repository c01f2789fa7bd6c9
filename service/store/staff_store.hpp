// StaffStore: what analysts, moderators and admins read and change: proposals with their
// personal fields, moderation with its audit log, bearer tokens, and streamed exports. Public
// calls are awaitables that run on the staff pool's database threads (exports on their own
// threads, one connection held per export) and throw domain::Error; <pqxx/...> stays inside
// store/.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "domain/disposition.hpp"
#include "domain/proposal.hpp"
#include "match/suggest.hpp"
#include "store/import_writer.hpp"

namespace usynys::store {

class DbPool;
class ExportChannel;

// Which proposals: every field optional (absent: any). from inclusive, to exclusive (RFC 3339).
struct ProposalQuery {
  std::optional<int> document_id;
  std::optional<std::string> submitter_type;
  std::optional<std::string> channel;
  std::optional<std::string> language;
  std::optional<std::string> region;
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::optional<std::string> status;
  std::optional<std::string> article;
  std::optional<int> section;             // Section::number
  std::optional<std::string> text;        // full-text query, websearch syntax
  std::optional<std::int64_t> before_id;  // keyset: ids below this one
  std::optional<std::int64_t> id;
  std::optional<std::int64_t> limit;  // absent: all
  std::optional<std::string> external_ref;
};

// A stored proposal as staff see it.
struct ProposalRecord {
  std::int64_t id = 0;
  std::string document;  // slug
  std::string submitter_type;
  std::optional<std::string> submitter_name;
  std::optional<std::string> submitter_region;
  std::optional<std::string> identifier_hash;  // lower-case hex of the keyed hash
  std::string channel;
  std::optional<std::string> language;
  std::string kind;
  std::vector<domain::ArticleRef> articles;  // document order
  std::vector<std::string> article_sources;  // of each of articles: submitter | staff
  // An untagged proposal's estimate: its best suggestion, when it reaches the threshold.
  std::optional<match::Suggestion> estimate;
  std::string text;
  std::optional<std::string> proposed_text;
  std::string received_at;  // RFC 3339 UTC
  std::string status;       // visible | hidden
  std::optional<std::string> personal_data_purged_at;
  std::optional<std::string> external_ref;
  std::optional<std::int64_t> campaign;  // the campaign it is a member of
};

// A bearer token in force: its SHA-256 (32 raw bytes), never the token.
struct TokenRecord {
  std::string name;
  std::string role;
  std::string sha256;
};

struct ModerationResult {
  std::string from;
  std::string to;
  bool changed = false;
  std::optional<std::int64_t> audit_id;  // the audit entry written, when changed
  std::optional<std::string> at;
};

struct AuditEntry {
  std::int64_t id = 0;
  std::string at;
  std::string actor;
  std::string action;
  std::optional<std::int64_t> proposal_id;  // moderation
  std::string from;
  std::string to;
  std::string reason;
  std::optional<std::string> subject;  // other actions: what was changed
};

// A confirmation of one pair of an article map: from and to are slugs.
struct MapConfirmation {
  std::string from;
  std::string to;
  std::string article;
  std::vector<std::string> predecessors;
  std::string reason;
  std::string actor;
};

struct MapConfirmed {
  std::vector<std::string> before;  // the predecessors in force before
  bool was_confirmed = false;       // ... and whether they were confirmed ones
  std::string at;
  std::int64_t audit_id = 0;
};

// A decision recorded: what it replaced (JSON {"decision","answered_by"}, "null" when none), when
// and its audit entry; for a campaign also how many members it applies to (those without a
// decision of their own).
struct DispositionRecorded {
  std::string before;
  std::string at;
  std::int64_t audit_id = 0;
  std::int64_t applies_to_members = 0;
};

// One proposal's text and stored suggestions, for GET .../suggestions.
struct SuggestionSource {
  int document_id = 0;
  std::string language;  // as given, empty when none
  std::string text;
  std::string proposed_text;              // empty when none
  std::optional<std::string> model;       // set once the suggestions are stored ...
  std::string matched_language;           // ... with the language matched
  std::vector<match::Suggestion> stored;  // ... and the suggestions, best first
};

// A change of one proposal's confirmed references by staff. `resolve` checks the references
// against the proposal's document (given its id) and returns them; it throws
// domain::Error{invalid} naming the bad ones. It runs inside the transaction, after the
// proposal is locked.
struct ReferenceChange {
  std::int64_t id = 0;
  std::function<std::vector<domain::ArticleRef>(int document_id)> resolve;
  std::string reason;
  std::string actor;
};

struct ReferencesChanged {
  std::string before;  // JSON array of {"article","paragraph","source"}
  std::string after;
  bool changed = false;                  // false: the proposal already had these staff ones
  std::optional<std::int64_t> audit_id;  // the audit entry written, when changed
  std::optional<std::string> at;
};

// Which part of the tagging queue: untagged visible proposals of a document, oldest first.
struct QueueQuery {
  int document_id = 0;
  std::optional<std::string> language;
  std::optional<std::string> channel;
  // Keyset: after this received_at (microseconds since the epoch) and id.
  std::optional<std::pair<std::int64_t, std::int64_t>> after;
  std::int64_t limit = 50;
};

struct QueueItem {
  std::int64_t id = 0;
  std::string received_at;
  std::int64_t received_us = 0;  // the same in microseconds since the epoch, for the cursor
  std::string channel;
  std::string language;  // as matched
  std::string kind;
  std::string submitter_type;
  std::string text;
  std::vector<match::Suggestion> suggestions;
};

// A campaign as staff see it: its representative and one page of members.
struct CampaignMember {
  std::int64_t id = 0;
  std::string received_at;
  std::string status;
  std::string text;  // text, and the proposed text after a line break when there is one
};
struct CampaignRecord {
  std::int64_t id = 0;
  std::string document;   // slug
  std::int64_t size = 0;  // visible members
  std::int64_t members_total = 0;
  std::string created_at;
  std::int64_t representative_id = 0;
  std::string representative_text;      // as CampaignMember::text
  std::vector<CampaignMember> members;  // id order, after the cursor
};
struct CampaignModeration {
  std::int64_t changed = 0;  // members whose status changed
  std::optional<std::int64_t> first_audit_id;
  std::optional<std::int64_t> last_audit_id;
};

struct AuditQuery {
  std::optional<std::int64_t> before_id;
  std::optional<std::int64_t> proposal_id;
  std::optional<std::string> actor;
  std::int64_t limit = 50;
};

// Appends the text of one record to a piece of an export. Runs on an export thread: it must only
// touch its arguments.
using ExportFormatter = std::function<void(const ProposalRecord&, std::string&)>;

// The pieces of one export, produced on an export thread and pulled from an io_context. Holding
// it holds the export's connection and transaction; destroying it stops the export.
class ExportStream {
 public:
  explicit ExportStream(std::shared_ptr<ExportChannel> channel);
  ~ExportStream();
  ExportStream(const ExportStream&) = delete;
  ExportStream& operator=(const ExportStream&) = delete;

  // The next piece; empty once the export is complete. Throws domain::Error when the export
  // failed (or the service stops) before its end.
  boost::asio::awaitable<std::string> next();

 private:
  friend class StaffStore;
  std::shared_ptr<ExportChannel> channel_;
  std::optional<std::string> first_;  // read ahead at the start, to report failures early
};

class StaffStore {
 public:
  // The staff pool and the export pool of `staff`, on `database` (its url and queue timeout).
  // document_ids: slug -> id from sync_documents. Opens connections lazily.
  // identifier_key: for what imports hash (as the intake does).
  StaffStore(const config::Staff& staff, const config::Database& database,
             std::map<std::string, int> document_ids, std::string identifier_key = {},
             std::function<void()> on_retry = {});
  ~StaffStore();
  StaffStore(const StaffStore&) = delete;
  StaffStore& operator=(const StaffStore&) = delete;

  // Synchronous, for start-up (no io_context runs yet): the tokens in force. Throws
  // std::runtime_error when the database cannot be read or lacks the api_tokens table.
  std::vector<TokenRecord> load_tokens_now();
  // The tokens in force, read through the staff pool.
  boost::asio::awaitable<std::vector<TokenRecord>> active_tokens();

  // Proposals matching q, newest first (id descending), at most q.limit.
  boost::asio::awaitable<std::vector<ProposalRecord>> proposals(ProposalQuery q);

  // Sets a proposal's status and, when it changes, appends who, when, from, to and why to the
  // audit log, in one transaction. Throws domain::Error{not_found} for an unknown id.
  boost::asio::awaitable<ModerationResult> moderate(std::int64_t id, std::string status,
                                                    std::string reason, std::string actor);

  boost::asio::awaitable<std::vector<AuditEntry>> audit(AuditQuery q);
  // Campaign `id` with up to `limit` members after id `after`; not_found when there is none.
  boost::asio::awaitable<CampaignRecord> campaign(std::int64_t id,
                                                  std::optional<std::int64_t> after,
                                                  std::int64_t limit);
  // Sets the status of every member of campaign `id`, each change audited, in one transaction;
  // not_found when there is no such campaign.
  boost::asio::awaitable<CampaignModeration> moderate_campaign(std::int64_t id, std::string status,
                                                               std::string reason,
                                                               std::string actor);

  // Records `d` as the standing decision on proposal `id` (campaign: false) or campaign `id`
  // (campaign: true), audited, in one transaction; not_found when there is no such one.
  boost::asio::awaitable<DispositionRecorded> decide(bool campaign, std::int64_t id,
                                                     domain::Disposition d, std::string actor);

  // A proposal's text and stored suggestions. Throws domain::Error{not_found}.
  boost::asio::awaitable<SuggestionSource> suggestion_source(std::int64_t id);

  // Replaces a proposal's confirmed references by staff ones and appends the old and new ones
  // to the audit log, in one transaction that also moves every statistic. Throws
  // domain::Error{not_found} for an unknown id, what `resolve` throws for bad references.
  boost::asio::awaitable<ReferencesChanged> set_references(ReferenceChange c);

  boost::asio::awaitable<std::vector<QueueItem>> tagging_queue(QueueQuery q);

  // Confirms or corrects one pair of a stored article map and appends it to the audit log, in
  // one transaction. Throws domain::Error{not_found} when the map holds no pair for the article
  // (the map is not stored, or the article is not in it).
  boost::asio::awaitable<MapConfirmed> confirm_map_pair(MapConfirmation c);

  // Writes one batch of an import (ImportWriter::write) in one transaction on the staff pool.
  boost::asio::awaitable<std::vector<ImportOutcome>> import_batch(std::vector<ImportRow> rows,
                                                                  bool dry_run);

  // Starts exporting every proposal matching q (q.limit and q.before_id are ignored) through a
  // server-side cursor in one read-only snapshot, and waits for the first piece, so that a busy
  // or unreachable database is reported here (domain::Error{unavailable}) rather than mid-body.
  // `header` starts the first piece; each record is appended by `format`.
  boost::asio::awaitable<std::shared_ptr<ExportStream>> export_proposals(ProposalQuery q,
                                                                         std::string header,
                                                                         ExportFormatter format);

  std::size_t queue_depth() const;
  // Ends every export in progress and joins the database threads.
  void stop();

  const std::map<std::string, int>& document_ids() const { return document_ids_; }

 private:
  const config::Staff options_;
  const std::string url_;
  std::map<std::string, int> document_ids_;
  ImportWriter import_writer_;
  std::unique_ptr<DbPool> pool_;
  std::unique_ptr<DbPool> export_pool_;
  std::mutex exports_mutex_;
  std::vector<std::weak_ptr<ExportChannel>> exports_;
};

}  // namespace usynys::store
