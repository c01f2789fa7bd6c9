#include "store/staff_store.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <condition_variable>
#include <deque>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "domain/error.hpp"
#include "domain/text.hpp"
#include "store/db_pool.hpp"
#include "store/sql_array.hpp"
#include "store/store.hpp"
#include "usynys/queries.hpp"

namespace usynys::store {

namespace asio = boost::asio;

namespace {

struct NamedStatement {
  const char* name;
  std::string_view text;
};

// The staff statements; every staff and export connection prepares them all.
constexpr NamedStatement kStaffStatements[] = {
    {"staff_proposals", sql::staff_proposals},
    {"staff_proposal_status_for_update", sql::staff_proposal_status_for_update},
    {"staff_set_proposal_status", sql::staff_set_proposal_status},
    {"staff_audit_append", sql::staff_audit_append},
    {"staff_audit_append_map", sql::staff_audit_append_map},
    {"staff_audit_append_articles", sql::staff_audit_append_articles},
    {"staff_proposal_suggestions", sql::staff_proposal_suggestions},
    {"staff_tagging_queue", sql::staff_tagging_queue},
    {"staff_proposal_for_tagging", sql::staff_proposal_for_tagging},
    {"staff_set_references", sql::staff_set_references},
    {"staff_proposal_references", sql::staff_proposal_references},
    {"staff_map_pair_for_update", sql::staff_map_pair_for_update},
    {"staff_confirm_map_pair", sql::staff_confirm_map_pair},
    {"staff_audit_list", sql::staff_audit_list},
    {"staff_active_tokens", sql::staff_active_tokens},
    {"staff_campaign", sql::staff_campaign},
    {"staff_campaign_members", sql::staff_campaign_members},
    {"staff_campaign_for_moderation", sql::staff_campaign_for_moderation},
    {"staff_moderate_campaign", sql::staff_moderate_campaign},
    {"campaign_lock_shared", sql::campaign_lock_shared},
    {"staff_disposition_lock", sql::staff_disposition_lock},
    {"staff_decide", sql::staff_decide},
};

constexpr const char* kExportCursor = "usynys_export";

void prepare_staff(pqxx::connection& c) {
  {
    // The optional filters ("$n IS NULL OR ...") only simplify away, and the full-text
    // branches only use their index, when each execution is planned with its values.
    pqxx::nontransaction tx(c);
    tx.exec("SET plan_cache_mode = force_custom_plan");
  }
  for (const NamedStatement& s : kStaffStatements) c.prepare(s.name, std::string(s.text));
  ImportWriter::prepare(c);
}

domain::Error unavailable(const std::string& why) {
  return domain::Error(domain::ErrorKind::unavailable, why);
}

std::optional<std::string> optional_text(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}

// Runs fn once more after a deadlock or a serialization failure; a second one propagates.
template <class F>
auto retry_once_on_conflict(F&& fn) -> decltype(fn()) {
  for (int attempt = 0;; ++attempt) {
    try {
      return fn();
    } catch (const pqxx::deadlock_detected&) {
      if (attempt > 0) throw;
    } catch (const pqxx::serialization_failure&) {
      if (attempt > 0) throw;
    }
  }
}

// Suggestions from parallel arrays of article ids and scores.
std::vector<match::Suggestion> read_suggestions(const pqxx::field& articles,
                                                const pqxx::field& scores) {
  std::vector<std::string> ids = array_strings(articles);
  const std::vector<std::string> values = array_strings(scores);
  std::vector<match::Suggestion> out;
  out.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size() && i < values.size(); ++i) {
    out.push_back({std::move(ids[i]), std::stod(values[i])});
  }
  return out;
}

// Reads one row of staff_proposals.
ProposalRecord read_record(const pqxx::row& row) {
  ProposalRecord p;
  p.id = row[0].as<std::int64_t>();
  p.document = row[1].as<std::string>();
  p.submitter_type = row[2].as<std::string>();
  p.submitter_name = optional_text(row[3]);
  p.submitter_region = optional_text(row[4]);
  p.identifier_hash = optional_text(row[5]);
  p.channel = row[6].as<std::string>();
  p.language = optional_text(row[7]);
  p.kind = row[8].as<std::string>();
  p.text = row[9].as<std::string>();
  p.proposed_text = optional_text(row[10]);
  p.received_at = row[11].as<std::string>();
  p.status = row[12].as<std::string>();
  p.personal_data_purged_at = optional_text(row[13]);
  p.external_ref = optional_text(row[15]);
  p.article_sources = array_strings(row[16]);
  if (!row[19].is_null()) p.campaign = row[19].as<std::int64_t>();
  if (!row[17].is_null()) {
    p.estimate = match::Suggestion{row[17].as<std::string>(), row[18].as<double>()};
  }
  pqxx::array_parser refs = row[14].as_array();
  std::size_t index = 0;
  for (;;) {
    auto [what, value] = refs.get_next();
    if (what == pqxx::array_parser::done) break;
    if (what != pqxx::array_parser::string_value) continue;
    // "article" or "article:paragraph"; article ids hold no colon.
    domain::ArticleRef ref;
    const auto colon = value.find(':');
    ref.article = value.substr(0, colon);
    if (colon != std::string::npos) ref.paragraph = value.substr(colon + 1);
    ref.index = index++;
    p.articles.push_back(std::move(ref));
  }
  return p;
}

std::vector<TokenRecord> read_tokens(const pqxx::result& r) {
  std::vector<TokenRecord> out;
  for (const pqxx::row& row : r) {
    out.push_back(
        {row[0].as<std::string>(), row[1].as<std::string>(), pqxx::binarystring(row[2]).str()});
  }
  return out;
}

pqxx::result exec_proposals(pqxx::transaction_base& tx, const ProposalQuery& q) {
  return tx.exec_prepared("staff_proposals", q.document_id, q.submitter_type, q.channel, q.language,
                          q.region, q.from, q.to, q.status, q.article, q.section, q.text,
                          q.before_id, q.id, q.limit, q.external_ref);
}

}  // namespace

// A bounded hand-over of export pieces from one producer thread to one consumer coroutine.
// The producer blocks while `capacity` pieces wait; the consumer suspends while none does.
class ExportChannel {
 public:
  using Deliver = std::function<void(std::exception_ptr, std::string)>;

  explicit ExportChannel(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // Producer: hands over a piece, waiting for room. False when the consumer is gone or the
  // service stops: the producer should give up.
  bool push(std::string piece) {
    Deliver waiter;
    {
      std::unique_lock lock(mutex_);
      room_.wait(lock, [this] { return cancelled_ || pieces_.size() < capacity_; });
      if (cancelled_) return false;
      if (waiter_) {
        waiter = std::move(waiter_);
        waiter_ = nullptr;
      } else {
        pieces_.push_back(std::move(piece));
        return true;
      }
    }
    waiter(nullptr, std::move(piece));
    return true;
  }

  // Producer: the end of the export (error null) or its failure. Only the first call counts.
  void finish(const std::exception_ptr& error) {
    Deliver waiter;
    {
      std::lock_guard lock(mutex_);
      if (finished_) return;
      finished_ = true;
      error_ = error;
      if (pieces_.empty() && waiter_) {
        waiter = std::move(waiter_);
        waiter_ = nullptr;
      }
    }
    if (waiter) waiter(error, std::string());
  }

  // Consumer gone, or the service stops: the producer gives up, a waiting consumer fails.
  void cancel() {
    Deliver waiter;
    std::exception_ptr stopped;
    {
      std::lock_guard lock(mutex_);
      if (cancelled_) return;
      cancelled_ = true;
      finished_ = true;
      pieces_.clear();
      // Whatever was still to come is lost: the consumer must not take this for the end.
      error_ = std::make_exception_ptr(unavailable("the export was stopped"));
      waiter = std::move(waiter_);
      waiter_ = nullptr;
      stopped = error_;
    }
    room_.notify_all();
    if (waiter) waiter(stopped, std::string());
  }

  // Consumer: the next piece; empty at the end. Resumes on the awaiting coroutine's executor.
  asio::awaitable<std::string> pop() {
    auto initiate = [this](auto handler) {
      auto ex = asio::get_associated_executor(handler);
      auto shared = std::make_shared<decltype(handler)>(std::move(handler));
      Deliver deliver = [ex, shared](std::exception_ptr e, std::string s) {
        asio::post(
            ex, [shared, e, s = std::move(s)]() mutable { std::move (*shared)(e, std::move(s)); });
      };
      std::unique_lock lock(mutex_);
      if (!pieces_.empty()) {
        std::string piece = std::move(pieces_.front());
        pieces_.pop_front();
        lock.unlock();
        room_.notify_one();
        deliver(nullptr, std::move(piece));
      } else if (finished_) {
        std::exception_ptr e = error_;
        lock.unlock();
        deliver(e, std::string());
      } else {
        waiter_ = std::move(deliver);
      }
    };
    return asio::async_initiate<const asio::use_awaitable_t<>&,
                                void(std::exception_ptr, std::string)>(std::move(initiate),
                                                                       asio::use_awaitable);
  }

 private:
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable room_;
  std::deque<std::string> pieces_;
  bool finished_ = false;
  bool cancelled_ = false;
  std::exception_ptr error_;
  Deliver waiter_;
};

namespace {

struct ExportJob {
  ProposalQuery query;
  std::string header;
  ExportFormatter format;
  int fetch_rows = 1000;
  std::size_t piece_bytes = 262144;
  std::shared_ptr<ExportChannel> channel;
};

// Runs on an export thread with that thread's connection, for the whole export: a read-only
// snapshot, a cursor over staff_proposals, FETCH by FETCH, pieces handed to the channel.
void produce_export(pqxx::connection& c, const ExportJob& job) {
  ExportChannel& ch = *job.channel;
  try {
    pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::read_only> tx(c);
    const ProposalQuery& q = job.query;
    const std::optional<std::int64_t> no_limit;
    const std::optional<std::int64_t> no_keyset;
    tx.exec_params(std::string("DECLARE ") + kExportCursor + " NO SCROLL CURSOR FOR " +
                       std::string(sql::staff_proposals),
                   q.document_id, q.submitter_type, q.channel, q.language, q.region, q.from, q.to,
                   q.status, q.article, q.section, q.text, no_keyset, q.id, no_limit,
                   q.external_ref);
    const std::string fetch =
        "FETCH FORWARD " + std::to_string(job.fetch_rows) + " FROM " + kExportCursor;
    std::string piece = job.header;
    for (;;) {
      pqxx::result r = tx.exec(fetch);
      for (const pqxx::row& row : r) {
        job.format(read_record(row), piece);
        if (piece.size() >= job.piece_bytes) {
          if (!ch.push(std::move(piece))) return;
          piece.clear();
        }
      }
      if (r.size() < static_cast<std::size_t>(job.fetch_rows)) break;
    }
    if (!piece.empty() && !ch.push(std::move(piece))) return;
    tx.commit();
    ch.finish(nullptr);
  } catch (...) {
    ch.finish(domain_error(std::current_exception()));
  }
}

// Queues the export on the export pool; a refusal (busy, unreachable, stopping) ends the
// channel with that error.
asio::awaitable<void> run_export(DbPool* pool, std::function<int(pqxx::connection&)> job,
                                 std::shared_ptr<ExportChannel> channel) {
  try {
    co_await pool->run<int>(std::move(job));
  } catch (...) {
    channel->finish(std::current_exception());
  }
}

}  // namespace

ExportStream::ExportStream(std::shared_ptr<ExportChannel> channel) : channel_(std::move(channel)) {}

ExportStream::~ExportStream() {
  channel_->cancel();
}

asio::awaitable<std::string> ExportStream::next() {
  if (first_) {
    std::string piece = std::move(*first_);
    first_.reset();
    co_return piece;
  }
  co_return co_await channel_->pop();
}

StaffStore::StaffStore(const config::Staff& staff, const config::Database& database,
                       std::map<std::string, int> document_ids, std::string identifier_key,
                       std::function<void()> on_retry)
    : options_(staff),
      url_(connection_string(database)),
      document_ids_(std::move(document_ids)),
      import_writer_(document_ids_, std::move(identifier_key)) {
  PoolOptions po;
  po.url = url_;
  po.size = options_.pool_size;
  po.statement_timeout_ms = options_.statement_timeout_ms;
  po.queue_timeout = std::chrono::milliseconds(database.queue_timeout_ms);
  po.hang_grace = std::chrono::milliseconds(database.hang_grace_ms);
  // A staff read is answered within its statement timeout and the grace, whatever the network.
  po.answer_timeout = std::chrono::milliseconds(options_.statement_timeout_ms) + po.hang_grace;
  po.setup = prepare_staff;
  po.on_retry = std::move(on_retry);
  pool_ = std::make_unique<DbPool>(po);
  // An export is one job for its whole length: no answer deadline, only the statement's.
  po.size = options_.export_connections;
  po.statement_timeout_ms = options_.export_statement_timeout_ms;
  po.answer_timeout = std::chrono::milliseconds(0);
  export_pool_ = std::make_unique<DbPool>(std::move(po));
}

StaffStore::~StaffStore() {
  stop();
}

void StaffStore::stop() {
  std::vector<std::weak_ptr<ExportChannel>> live;
  {
    std::lock_guard lock(exports_mutex_);
    live.swap(exports_);
  }
  for (auto& w : live) {
    if (auto ch = w.lock()) ch->cancel();
  }
  export_pool_->stop();
  pool_->stop();
}

std::size_t StaffStore::queue_depth() const {
  return pool_->queue_depth() + export_pool_->queue_depth();
}

std::vector<TokenRecord> StaffStore::load_tokens_now() {
  return run_once(url_, "reading tokens", [](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    if (!tx.exec1("SELECT to_regclass('public.api_tokens') IS NOT NULL")[0].as<bool>()) {
      throw std::runtime_error(
          "the database has no api_tokens table: apply schema/migrations "
          "first (scripts/migrate.sh)");
    }
    return read_tokens(tx.exec(std::string(sql::staff_active_tokens)));
  });
}

asio::awaitable<std::vector<TokenRecord>> StaffStore::active_tokens() {
  co_return co_await pool_->run<std::vector<TokenRecord>>([](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return read_tokens(tx.exec_prepared("staff_active_tokens"));
  });
}

asio::awaitable<std::vector<ProposalRecord>> StaffStore::proposals(ProposalQuery q) {
  co_return co_await pool_->run<std::vector<ProposalRecord>>([&q](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<ProposalRecord> out;
    for (const pqxx::row& row : exec_proposals(tx, q)) out.push_back(read_record(row));
    return out;
  });
}

asio::awaitable<ModerationResult> StaffStore::moderate(std::int64_t id, std::string status,
                                                       std::string reason, std::string actor) {
  co_return co_await pool_->run<ModerationResult>([&](pqxx::connection& c) {
    // Moderation and a statistics fold both lock the proposal and aggregate cells, in another
    // order, so a deadlock is possible: one retry.
    return retry_once_on_conflict([&] {
      pqxx::work tx(c);
      pqxx::result r = tx.exec_prepared("staff_proposal_status_for_update", id);
      if (r.empty()) {
        throw domain::Error(domain::ErrorKind::not_found, "no proposal " + std::to_string(id));
      }
      ModerationResult out;
      out.from = r[0][0].as<std::string>();
      out.to = status;
      out.changed = out.from != status;
      if (out.changed) {
        tx.exec_prepared("staff_set_proposal_status", id, status);
        pqxx::row a = tx.exec_prepared1("staff_audit_append", actor, id, out.from, status, reason);
        out.audit_id = a[0].as<std::int64_t>();
        out.at = a[1].as<std::string>();
      }
      tx.commit();
      return out;
    });
  });
}

asio::awaitable<std::vector<AuditEntry>> StaffStore::audit(AuditQuery q) {
  co_return co_await pool_->run<std::vector<AuditEntry>>([&q](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<AuditEntry> out;
    for (const pqxx::row& row :
         tx.exec_prepared("staff_audit_list", q.before_id, q.proposal_id, q.actor, q.limit)) {
      AuditEntry e{row[0].as<std::int64_t>(),
                   row[1].as<std::string>(),
                   row[2].as<std::string>(),
                   row[3].as<std::string>(),
                   {},
                   row[5].as<std::string>(),
                   row[6].as<std::string>(),
                   row[7].as<std::string>(),
                   {}};
      if (!row[4].is_null()) e.proposal_id = row[4].as<std::int64_t>();
      if (!row[8].is_null()) e.subject = row[8].as<std::string>();
      out.push_back(std::move(e));
    }
    return out;
  });
}

namespace {

std::string text_with_proposed(const pqxx::field& text, const pqxx::field& proposed) {
  return domain::with_proposed_text(text.as<std::string>(), proposed.as<std::string>());
}

}  // namespace

asio::awaitable<CampaignRecord> StaffStore::campaign(std::int64_t id,
                                                     std::optional<std::int64_t> after,
                                                     std::int64_t limit) {
  co_return co_await pool_->run<CampaignRecord>([&](pqxx::connection& c) {
    using Snapshot = pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::read_only>;
    Snapshot tx(c);
    const pqxx::result r = tx.exec_prepared("staff_campaign", id);
    if (r.empty()) {
      throw domain::Error(domain::ErrorKind::not_found, "no campaign " + std::to_string(id));
    }
    const pqxx::row& row = r[0];
    CampaignRecord out;
    out.id = id;
    out.document = row[0].as<std::string>();
    out.size = row[1].as<std::int64_t>();
    out.members_total = row[2].as<std::int64_t>();
    out.created_at = row[3].as<std::string>();
    out.representative_id = row[4].as<std::int64_t>();
    out.representative_text = text_with_proposed(row[5], row[6]);
    for (const pqxx::row& m : tx.exec_prepared("staff_campaign_members", id, after, limit)) {
      out.members.push_back({m[0].as<std::int64_t>(), m[1].as<std::string>(),
                             m[2].as<std::string>(), text_with_proposed(m[3], m[4])});
    }
    return out;
  });
}

asio::awaitable<DispositionRecorded> StaffStore::decide(bool campaign, std::int64_t id,
                                                        domain::Disposition d, std::string actor) {
  co_return co_await pool_->run<DispositionRecorded>([&](pqxx::connection& c) {
    pqxx::work tx(c);
    // A campaign's decision waits for a merge in progress, which moves it.
    if (campaign) tx.exec_prepared("campaign_lock_shared");
    const std::string kind = campaign ? "campaign" : "proposal";
    tx.exec_prepared("staff_disposition_lock", kind, id);
    std::vector<std::optional<std::string>> articles(d.answered_articles.begin(),
                                                     d.answered_articles.end());
    const pqxx::result r = tx.exec_prepared("staff_decide", kind, id, d.decision, d.reason,
                                            d.answered_document, text_array(articles), actor);
    if (r.empty()) {
      throw domain::Error(
          domain::ErrorKind::not_found,
          std::string(campaign ? "no campaign " : "no proposal ") + std::to_string(id));
    }
    DispositionRecorded out;
    out.before = r[0][0].is_null() ? "null" : r[0][0].as<std::string>();
    out.audit_id = r[0][1].as<std::int64_t>();
    out.at = r[0][2].as<std::string>();
    out.applies_to_members = r[0][3].as<std::int64_t>();
    tx.commit();
    return out;
  });
}

asio::awaitable<CampaignModeration> StaffStore::moderate_campaign(std::int64_t id,
                                                                  std::string status,
                                                                  std::string reason,
                                                                  std::string actor) {
  co_return co_await pool_->run<CampaignModeration>([&](pqxx::connection& c) {
    return retry_once_on_conflict([&] {
      pqxx::work tx(c);
      tx.exec_prepared("campaign_lock_shared");
      if (!tx.exec_prepared1("staff_campaign_for_moderation", id)[0].as<bool>()) {
        throw domain::Error(domain::ErrorKind::not_found, "no campaign " + std::to_string(id));
      }
      const pqxx::row r = tx.exec_prepared1("staff_moderate_campaign", id, status, actor, reason);
      CampaignModeration out;
      out.changed = r[0].as<std::int64_t>();
      if (!r[1].is_null()) out.first_audit_id = r[1].as<std::int64_t>();
      if (!r[2].is_null()) out.last_audit_id = r[2].as<std::int64_t>();
      tx.commit();
      return out;
    });
  });
}

asio::awaitable<SuggestionSource> StaffStore::suggestion_source(std::int64_t id) {
  co_return co_await pool_->run<SuggestionSource>([id](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    const pqxx::result r = tx.exec_prepared("staff_proposal_suggestions", id);
    if (r.empty()) {
      throw domain::Error(domain::ErrorKind::not_found, "no proposal " + std::to_string(id));
    }
    const pqxx::row& row = r[0];
    SuggestionSource out{row[0].as<int>(),
                         row[1].as<std::string>(),
                         row[2].as<std::string>(),
                         row[3].as<std::string>(),
                         std::nullopt,
                         {},
                         {}};
    if (!row[4].is_null()) {
      out.model = row[4].as<std::string>();
      out.matched_language = row[5].as<std::string>();
      out.stored = read_suggestions(row[6], row[7]);
    }
    return out;
  });
}

namespace {

// References as the audit log keeps them: [{"article","paragraph","source"}].
std::string references_json(const std::vector<domain::ArticleRef>& refs, const char* source) {
  nlohmann::json out = nlohmann::json::array();
  for (const domain::ArticleRef& r : refs) {
    out.push_back({{"article", r.article},
                   {"paragraph", r.paragraph ? nlohmann::json(*r.paragraph) : nlohmann::json()},
                   {"source", source}});
  }
  return out.dump();
}

// The same references, in any order, all set by staff.
bool same_staff_references(const pqxx::result& old, const std::vector<domain::ArticleRef>& refs) {
  if (old.size() != refs.size()) return false;
  std::set<std::pair<std::string, std::string>> mine;
  for (const domain::ArticleRef& r : refs) mine.emplace(r.article, r.paragraph.value_or(""));
  for (const pqxx::row& row : old) {
    if (row[2].as<std::string>() != "staff") return false;
    if (mine.count({row[0].as<std::string>(), row[1].is_null() ? "" : row[1].as<std::string>()}) ==
        0) {
      return false;
    }
  }
  return true;
}

}  // namespace

asio::awaitable<ReferencesChanged> StaffStore::set_references(ReferenceChange change) {
  co_return co_await pool_->run<ReferencesChanged>([&change](pqxx::connection& c) {
    // Like moderation, this locks the proposal and then aggregate cells, which a fold locks in
    // another order: one retry after a deadlock.
    return retry_once_on_conflict([&] {
      pqxx::work tx(c);
      const pqxx::result p = tx.exec_prepared("staff_proposal_for_tagging", change.id);
      if (p.empty()) {
        throw domain::Error(domain::ErrorKind::not_found,
                            "no proposal " + std::to_string(change.id));
      }
      const std::vector<domain::ArticleRef> refs = change.resolve(p[0][0].as<int>());
      ReferencesChanged out;
      const pqxx::result old = tx.exec_prepared("staff_proposal_references", change.id);
      out.after = references_json(refs, "staff");
      if (same_staff_references(old, refs)) {
        out.before = out.after;
        return out;
      }
      std::vector<std::optional<std::string>> articles;
      std::vector<std::optional<std::string>> paragraphs;
      articles.reserve(refs.size());
      paragraphs.reserve(refs.size());
      for (const domain::ArticleRef& r : refs) {
        articles.emplace_back(r.article);
        paragraphs.emplace_back(r.paragraph.value_or(""));
      }
      out.before = tx.exec_prepared1("staff_set_references", change.id, text_array(articles),
                                     text_array(paragraphs))[0]
                       .as<std::string>();
      out.changed = true;
      const pqxx::row a = tx.exec_prepared1("staff_audit_append_articles", change.actor, change.id,
                                            out.before, out.after, change.reason);
      out.audit_id = a[0].as<std::int64_t>();
      out.at = a[1].as<std::string>();
      tx.commit();
      return out;
    });
  });
}

asio::awaitable<std::vector<QueueItem>> StaffStore::tagging_queue(QueueQuery q) {
  co_return co_await pool_->run<std::vector<QueueItem>>([&q](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::optional<std::int64_t> after_us;
    std::optional<std::int64_t> after_id;
    if (q.after) {
      after_us = q.after->first;
      after_id = q.after->second;
    }
    std::vector<QueueItem> out;
    for (const pqxx::row& row : tx.exec_prepared("staff_tagging_queue", q.document_id, q.language,
                                                 q.channel, after_us, after_id, q.limit)) {
      QueueItem item;
      item.id = row[0].as<std::int64_t>();
      item.received_at = row[1].as<std::string>();
      item.channel = row[2].as<std::string>();
      item.language = row[3].as<std::string>();
      item.kind = row[4].as<std::string>();
      item.submitter_type = row[5].as<std::string>();
      item.text = row[6].as<std::string>();
      item.suggestions = read_suggestions(row[7], row[8]);
      item.received_us = row[9].as<std::int64_t>();
      out.push_back(std::move(item));
    }
    return out;
  });
}

asio::awaitable<MapConfirmed> StaffStore::confirm_map_pair(MapConfirmation m) {
  auto id_of = [this](const std::string& slug) {
    auto it = document_ids_.find(slug);
    if (it == document_ids_.end()) {
      throw domain::Error(domain::ErrorKind::not_found, "no document " + slug);
    }
    return it->second;
  };
  const int from_id = id_of(m.from);
  const int to_id = id_of(m.to);
  co_return co_await pool_->run<MapConfirmed>([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const pqxx::result r = tx.exec_prepared("staff_map_pair_for_update", from_id, to_id, m.article);
    if (r.empty()) {
      throw domain::Error(
          domain::ErrorKind::not_found,
          "the map " + m.from + " -> " + m.to + " has no pair for article " + m.article);
    }
    MapConfirmed out;
    out.before = nlohmann::json::parse(r[0][0].as<std::string>()).get<std::vector<std::string>>();
    out.was_confirmed = r[0][1].as<bool>();
    std::vector<std::optional<std::string>> after(m.predecessors.begin(), m.predecessors.end());
    out.at = tx.exec_prepared1("staff_confirm_map_pair", from_id, to_id, m.article,
                               text_array(after), m.actor, m.reason)[0]
                 .as<std::string>();
    const pqxx::row a = tx.exec_prepared1(
        "staff_audit_append_map", m.actor, m.to + "/" + m.article + " from " + m.from,
        nlohmann::json(out.before).dump(), nlohmann::json(m.predecessors).dump(), m.reason);
    out.audit_id = a[0].as<std::int64_t>();
    tx.commit();
    return out;
  });
}

asio::awaitable<std::vector<ImportOutcome>> StaffStore::import_batch(std::vector<ImportRow> rows,
                                                                     bool dry_run) {
  co_return co_await pool_->run<std::vector<ImportOutcome>>(
      [this, &rows, dry_run](pqxx::connection& c) {
        // A reference taken meanwhile by another writer: once more, with it seen as stored.
        try {
          return import_writer_.write(c, rows, dry_run);
        } catch (const pqxx::unique_violation&) {
          return import_writer_.write(c, rows, dry_run);
        }
      });
}

asio::awaitable<std::shared_ptr<ExportStream>> StaffStore::export_proposals(
    ProposalQuery q, std::string header, ExportFormatter format) {
  auto channel = std::make_shared<ExportChannel>(options_.export_buffer_pieces);
  {
    std::lock_guard lock(exports_mutex_);
    std::erase_if(exports_, [](const std::weak_ptr<ExportChannel>& w) { return w.expired(); });
    exports_.push_back(channel);
  }
  auto job = std::make_shared<ExportJob>();
  job->query = std::move(q);
  job->header = std::move(header);
  job->format = std::move(format);
  job->fetch_rows = options_.export_fetch_rows;
  job->piece_bytes = options_.export_piece_bytes;
  job->channel = channel;
  std::function<int(pqxx::connection&)> fn = [job](pqxx::connection& c) {
    produce_export(c, *job);
    return 0;
  };
  auto stream = std::make_shared<ExportStream>(channel);
  const auto ex = co_await asio::this_coro::executor;
  DbPool* pool = export_pool_.get();
  asio::co_spawn(ex, run_export(pool, std::move(fn), channel), asio::detached);
  // The first piece (at least the header) or the failure to start.
  std::string first = co_await channel->pop();
  stream->first_ = std::move(first);
  co_return stream;
}

}  // namespace usynys::store
