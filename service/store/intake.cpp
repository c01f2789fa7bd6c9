#include "store/intake.hpp"

#include <pqxx/pqxx>
#include <set>

#include "domain/error.hpp"
#include "domain/receipt.hpp"
#include "store/db_pool.hpp"
#include "store/deadlines.hpp"
#include "store/hash.hpp"
#include "store/sql_array.hpp"
#include "store/watchdog.hpp"
#include "usynys/queries.hpp"

namespace usynys::store {

struct Intake::Item {
  std::chrono::steady_clock::time_point enqueued = std::chrono::steady_clock::now();
  int document_id = 0;
  domain::ValidProposal proposal;
  std::optional<std::string> key;
  std::optional<std::string> fingerprint;          // raw keyed fingerprint, with a key only
  std::optional<std::string> content_fingerprint;  // raw, with an external reference only
  std::optional<std::string> identifier_hash;      // bytea hex literal
  Done done;
  // Filled by the writer.
  std::int64_t id = 0;
  bool stored = false;
  domain::StoredProposal result;
  std::exception_ptr error;
};

namespace {

using ItemPtr = std::unique_ptr<Intake::Item>;

domain::Error unavailable(const std::string& why) {
  return domain::Error(domain::ErrorKind::unavailable, why);
}

std::optional<std::string> hex_or_null(const std::optional<std::string>& raw) {
  if (!raw) return std::nullopt;
  return bytea_hex(*raw);
}

void prepare(pqxx::connection& c) {
  c.prepare("next_proposal_ids", std::string(sql::next_proposal_ids));
  c.prepare("insert_proposals_batch", std::string(sql::insert_proposals_batch));
  c.prepare("insert_proposal_articles_batch", std::string(sql::insert_proposal_articles_batch));
  c.prepare("find_by_idempotency_keys", std::string(sql::find_by_idempotency_keys));
  c.prepare("find_by_external_refs", std::string(sql::find_by_external_refs));
}

// A proposal stored before under the key or the external reference of a request.
struct Previous {
  std::int64_t id;
  std::optional<std::string> fingerprint;  // none once its personal data was purged
  std::string received_at;
};

std::optional<std::string> optional_bytes(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return pqxx::binarystring(f).str();
}

// The answer to a request whose key or reference is taken: the first proposal again when its
// fingerprint is the request's, else a conflict. `what` names what is taken.
void answer_taken(Intake::Item& it, const Previous& prev,
                  const std::optional<std::string>& fingerprint, const std::string& what) {
  if (!prev.fingerprint) {
    it.error = std::make_exception_ptr(domain::Error(
        domain::ErrorKind::conflict, "the proposal stored under this " + what +
                                         " had its personal data purged; its request can no "
                                         "longer be compared"));
  } else if (prev.fingerprint != fingerprint) {
    it.error = std::make_exception_ptr(domain::Error(
        domain::ErrorKind::conflict, "this " + what + " was used with a different request"));
  } else {
    it.result.id = prev.id;
    it.result.received_at = prev.received_at;
    it.result.replayed = true;
  }
}

// Inserts `items` in one transaction, each with the hash of its receipt under `key`, and fills
// each item's result or error; calls before_commit once the statements ran. Throws (pqxx or domain
// errors) when the transaction as a whole fails; nothing is then stored.
void insert_batch(pqxx::connection& c, const std::string& key, std::vector<ItemPtr>& items,
                  const std::function<void()>& before_commit) {
  pqxx::work tx(c);
  pqxx::result ids = tx.exec_prepared("next_proposal_ids", static_cast<int>(items.size()));
  std::vector<std::optional<std::string>> id, doc, type, name, region, ident, channel, lang, kind,
      text, proposed, idempotency_key, fingerprint, external_ref, content_fingerprint, receipt;
  for (std::size_t i = 0; i < items.size(); ++i) {
    Intake::Item& it = *items[i];
    const domain::ValidProposal& p = it.proposal;
    it.id = ids[static_cast<pqxx::result::size_type>(i)][0].as<std::int64_t>();
    id.push_back(std::to_string(it.id));
    doc.push_back(std::to_string(it.document_id));
    type.push_back(p.submitter_type);
    name.push_back(p.submitter_name);
    region.push_back(p.submitter_region);
    ident.push_back(it.identifier_hash);
    channel.push_back(p.channel);
    lang.push_back(p.language);
    kind.push_back(p.kind);
    text.push_back(p.text);
    proposed.push_back(p.proposed_text);
    idempotency_key.push_back(it.key);
    fingerprint.push_back(hex_or_null(it.fingerprint));
    external_ref.push_back(p.external_ref);
    content_fingerprint.push_back(hex_or_null(it.content_fingerprint));
    receipt.push_back(bytea_hex(receipt_hash(receipt_for(key, it.id))));
  }
  pqxx::result stored = tx.exec_prepared(
      "insert_proposals_batch", text_array(id), text_array(doc), text_array(type), text_array(name),
      text_array(region), text_array(ident), text_array(channel), text_array(lang),
      text_array(kind), text_array(text), text_array(proposed), text_array(idempotency_key),
      text_array(fingerprint), text_array(external_ref), text_array(content_fingerprint),
      text_array(receipt));
  std::map<std::int64_t, std::string> received;
  for (const pqxx::row& r : stored)
    received.emplace(r[0].as<std::int64_t>(), r[1].as<std::string>());

  std::vector<std::optional<std::string>> ref_id, ref_doc, ref_article, ref_paragraph;
  std::vector<std::optional<std::string>> taken_keys, taken_channels, taken_refs;
  for (ItemPtr& it : items) {
    auto found = received.find(it->id);
    if (found == received.end()) {
      if (it->key) taken_keys.push_back(it->key);
      if (it->proposal.external_ref) {
        taken_channels.push_back(it->proposal.channel);
        taken_refs.push_back(it->proposal.external_ref);
      }
      continue;
    }
    it->stored = true;
    it->result.id = it->id;
    it->result.received_at = found->second;
    for (const domain::ArticleRef& a : it->proposal.articles) {
      ref_id.push_back(std::to_string(it->id));
      ref_doc.push_back(std::to_string(it->document_id));
      ref_article.push_back(a.article);
      ref_paragraph.push_back(a.paragraph);
    }
  }
  if (!ref_id.empty()) {
    tx.exec_prepared("insert_proposal_articles_batch", text_array(ref_id), text_array(ref_doc),
                     text_array(ref_article), text_array(ref_paragraph));
  }
  // Keys and references already held: by this very request before (answer it again) or by
  // another request (a conflict). A key decides first, then the reference.
  std::map<std::string, Previous> by_key;
  if (!taken_keys.empty()) {
    for (const pqxx::row& r :
         tx.exec_prepared("find_by_idempotency_keys", text_array(taken_keys))) {
      by_key[r[0].as<std::string>()] = {r[1].as<std::int64_t>(), optional_bytes(r[2]),
                                        r[3].as<std::string>()};
    }
  }
  std::map<std::pair<std::string, std::string>, Previous> by_ref;
  if (!taken_refs.empty()) {
    for (const pqxx::row& r : tx.exec_prepared("find_by_external_refs", text_array(taken_channels),
                                               text_array(taken_refs))) {
      by_ref[{r[0].as<std::string>(), r[1].as<std::string>()}] = {
          r[2].as<std::int64_t>(), optional_bytes(r[3]), r[4].as<std::string>()};
    }
  }
  for (ItemPtr& it : items) {
    if (it->stored) continue;
    const domain::ValidProposal& p = it->proposal;
    if (auto k = it->key ? by_key.find(*it->key) : by_key.end(); k != by_key.end()) {
      answer_taken(*it, k->second, it->fingerprint, "Idempotency-Key");
    } else if (auto r = p.external_ref ? by_ref.find({p.channel, *p.external_ref}) : by_ref.end();
               r != by_ref.end()) {
      answer_taken(*it, r->second, it->content_fingerprint, "channel and external_ref");
    } else {
      it->error = std::make_exception_ptr(
          domain::Error(domain::ErrorKind::internal, "a proposal was neither stored nor found"));
    }
  }
  before_commit();
  tx.commit();
}

}  // namespace

Intake::Intake(const config::Intake& intake, std::string url,
               std::map<std::string, int> document_ids, std::string identifier_key,
               OnBatch on_batch, int hang_grace_ms, std::function<void()> on_retry)
    : options_(intake),
      url_(std::move(url)),
      on_batch_(std::move(on_batch)),
      hang_grace_ms_(hang_grace_ms),
      on_retry_(std::move(on_retry)),
      document_ids_(std::move(document_ids)),
      identifier_key_(std::move(identifier_key)) {
  for (std::size_t size = 1;; size *= 2) {
    stats_.batch_size_buckets.push_back(0);
    if (size >= options_.batch_max) break;
  }
  for (int i = 0; i < options_.writers; ++i) threads_.emplace_back([this] { writer(); });
  reaper_ = std::thread([this] { reaper(); });
}

Intake::~Intake() {
  stop();
}

void Intake::accept(domain::ValidProposal p, std::optional<std::string> key,
                    const std::string& fingerprint, Done done) {
  auto item = std::make_unique<Item>();
  auto doc = document_ids_.find(p.document);
  item->document_id = doc == document_ids_.end() ? 0 : doc->second;
  if (p.identifier) item->identifier_hash = bytea_hex(hmac_sha256(identifier_key_, *p.identifier));
  if (key) item->fingerprint = request_fingerprint(identifier_key_, sha256(fingerprint));
  if (p.external_ref) {
    item->content_fingerprint = content_fingerprint(identifier_key_, domain::content_signature(p));
  }
  item->key = std::move(key);
  item->proposal = std::move(p);
  item->done = std::move(done);
  if (item->document_id == 0) {
    item->done(std::make_exception_ptr(domain::Error(domain::ErrorKind::not_found,
                                                     "no document " + item->proposal.document)),
               {});
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < options_.queue_capacity) {
      queue_.push_back(std::move(item));
      ready_.notify_one();
      if (queue_.size() == 1) reap_.notify_one();
      if (database_down_ && live_writers_ == 0) {
        // No writer could connect at its last attempt: one tries again now rather than at its
        // next interval, and answers the proposal at once if the database still refuses.
        connect_now_ = true;
        reconnect_.notify_one();
      }
      return;
    }
    ++stats_.rejected_full;
  }
  item->done(std::make_exception_ptr(unavailable(stopping_ ? "the service is shutting down"
                                                           : "too many proposals are waiting")),
             {});
}

std::size_t Intake::queue_depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

IntakeStats Intake::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Intake::record(std::size_t batch_size, double commit_seconds) {
  if (on_batch_) on_batch_(batch_size, commit_seconds);
  std::lock_guard lock(mutex_);
  ++stats_.batches;
  stats_.commit_seconds_sum += commit_seconds;
  std::size_t bucket = 0;
  for (std::size_t size = 1; size < batch_size && bucket + 1 < stats_.batch_size_buckets.size();
       size *= 2) {
    ++bucket;
  }
  ++stats_.batch_size_buckets[bucket];
}

void Intake::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  reap_.notify_all();
  reconnect_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  if (reaper_.joinable()) reaper_.join();
  // What no writer could take (none could connect) is answered now.
  std::deque<ItemPtr> left;
  {
    std::lock_guard lock(mutex_);
    left.swap(queue_);
  }
  for (ItemPtr& it : left) {
    it->done(std::make_exception_ptr(unavailable("the service is shutting down")), {});
  }
}

void Intake::reaper() {
  // On stop, the writers answer what is still queued.
  reap_at_deadlines(mutex_, reap_, queue_, stopping_, queue_timeout(), [this](auto& expired) {
    {
      std::lock_guard lock(mutex_);
      stats_.failed += expired.size();
    }
    for (ItemPtr& it : expired) {
      it->done(std::make_exception_ptr(unavailable("the database is too slow to answer")), {});
    }
  });
}

// A writer's connection; `live` counts the writers holding one.
struct Intake::Connection {
  explicit Connection(std::atomic<int>& live_writers) : live(live_writers) {}
  ~Connection() { drop(); }
  bool usable() const { return conn && conn->is_open() && !closed_by_server(*conn); }
  void hold(std::unique_ptr<pqxx::connection> fresh) {
    if (!conn) ++live;
    conn = std::move(fresh);
  }
  void drop() {
    if (conn) --live;
    conn.reset();
  }
  std::atomic<int>& live;
  std::unique_ptr<pqxx::connection> conn;
};

bool Intake::connect(Connection& c) {
  try {
    auto fresh = open_connection(url_, options_.statement_timeout_ms);
    prepare(*fresh);
    c.hold(std::move(fresh));
    database_down_ = false;
    return true;
  } catch (const std::exception&) {
    c.drop();
    database_down_ = true;
    return false;
  }
}

std::exception_ptr Intake::write(std::vector<ItemPtr>& batch, Connection& writer_conn,
                                 std::unique_lock<std::mutex>& statements) {
  std::unique_ptr<pqxx::connection>& conn = writer_conn.conn;
  const auto bound = std::chrono::milliseconds(options_.statement_timeout_ms + hang_grace_ms_);
  for (int attempt = 0;; ++attempt) {
    bool committing = false;
    std::optional<Watchdog::Id> hang;
    try {
      if (!writer_conn.usable() && !connect(writer_conn)) {
        return std::make_exception_ptr(unavailable("the database is unreachable"));
      }
      const int fd = conn->sock();
      // The statements, then the commit, each within the statement timeout and the grace;
      // past that the network is presumed silent and the socket shut down.
      hang =
          watchdog_.arm(std::chrono::steady_clock::now() + bound, Watchdog::shut_down_socket(fd));
      const auto started = std::chrono::steady_clock::now();
      const auto before_commit = [&] {
        if (statements.owns_lock()) statements.unlock();
        watchdog_.cancel(*hang);
        hang =
            watchdog_.arm(std::chrono::steady_clock::now() + bound, Watchdog::shut_down_socket(fd));
        committing = true;
      };
      try {
        insert_batch(*conn, identifier_key_, batch, before_commit);
      } catch (const pqxx::broken_connection&) {
        throw;
      } catch (const pqxx::in_doubt_error&) {
        throw;
      } catch (const pqxx::sql_error& e) {
        // Connection-class failures fail the batch; anything else is one row's fault: each
        // proposal is tried alone so that its neighbours are not refused with it.
        const std::string& state = e.sqlstate();
        if (batch.size() == 1 || state.rfind("08", 0) == 0 || state.rfind("57", 0) == 0) throw;
        for (ItemPtr& it : batch) {
          std::vector<ItemPtr> one;
          one.push_back(std::move(it));
          try {
            insert_batch(*conn, identifier_key_, one, [] {});
          } catch (...) {
            one.front()->error = domain_error(std::current_exception());
          }
          it = std::move(one.front());
        }
      }
      watchdog_.cancel(*hang);
      record(batch.size(),
             std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      return nullptr;
    } catch (...) {
      const std::exception_ptr failure = std::current_exception();
      if (hang) watchdog_.cancel(*hang);
      if (conn && !conn->is_open()) writer_conn.drop();
      // Broken before its commit was sent, the batch cannot have committed: once more, on a
      // fresh connection, while its proposals are within their queue timeout (a connection cut
      // off by a silent network must not make them wait for another). A break during the
      // commit leaves it in doubt: answered 503.
      const auto oldest = batch.front()->enqueued;
      if (attempt == 0 && !committing && connection_lost(failure) &&
          std::chrono::steady_clock::now() < oldest + queue_timeout()) {
        writer_conn.drop();
        for (ItemPtr& it : batch) {
          it->id = 0;
          it->stored = false;
          it->result = {};
          it->error = nullptr;
        }
        if (on_retry_) on_retry_();
        continue;
      }
      return domain_error(failure);
    }
  }
}

void Intake::answer_unreachable(std::unique_lock<std::mutex>& lock,
                                std::chrono::steady_clock::time_point attempted) {
  // What was queued before the failed attempt began has seen the database refuse: answered now
  // rather than at its queue timeout. What came later waits for an attempt of its own.
  std::vector<ItemPtr> refused;
  while (!queue_.empty() && queue_.front()->enqueued <= attempted) {
    refused.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  stats_.failed += refused.size();
  lock.unlock();
  for (ItemPtr& it : refused) {
    it->done(std::make_exception_ptr(unavailable("the database is unreachable")), {});
  }
  lock.lock();
}

void Intake::writer() {
  Connection conn(live_writers_);
  for (;;) {
    // A writer holds a live connection before it takes proposals: a proposal waits in the queue,
    // where its queue timeout bounds the wait, never for a connection attempt.
    if (!conn.usable()) {
      conn.drop();
      const auto attempted = std::chrono::steady_clock::now();
      if (!connect(conn)) {
        std::unique_lock lock(mutex_);
        if (stopping_) return;  // stop() answers what is left
        if (live_writers_ == 0) answer_unreachable(lock, attempted);
        reconnect_.wait_for(lock, std::chrono::milliseconds(250),
                            [this] { return stopping_ || connect_now_; });
        connect_now_ = false;
        continue;
      }
    }
    std::vector<ItemPtr> batch;
    std::unique_lock statements(statements_);
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued was answered
      // The connection may have been closed while this writer waited (a restart): the batch
      // goes back to the front of the queue, in order, while it connects again.
      if (!conn.usable()) {
        lock.unlock();
        statements.unlock();
        conn.drop();
        continue;
      }
      while (!queue_.empty() && batch.size() < options_.batch_max) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    // A proposal that waited too long is answered unavailable and never stored.
    const auto now = std::chrono::steady_clock::now();
    std::vector<ItemPtr> fresh;
    for (ItemPtr& it : batch) {
      if (now - it->enqueued > queue_timeout()) {
        it->done(std::make_exception_ptr(unavailable("the database is too slow to answer")), {});
      } else {
        fresh.push_back(std::move(it));
      }
    }
    if (fresh.empty()) continue;

    const std::exception_ptr batch_error = write(fresh, conn, statements);
    std::uint64_t stored = 0, replays = 0, conflicts = 0, failed = 0;
    for (ItemPtr& it : fresh) {
      std::exception_ptr e = batch_error ? batch_error : it->error;
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const domain::Error& de) {
          (de.kind() == domain::ErrorKind::conflict ? conflicts : failed) += 1;
        } catch (...) {
          ++failed;
        }
        it->done(e, {});
        continue;
      }
      it->result.document = it->proposal.document;
      for (const auto& a : it->proposal.articles) it->result.articles.push_back(a.article);
      it->result.receipt = domain::format_receipt(receipt_for(identifier_key_, it->result.id));
      (it->result.replayed ? replays : stored) += 1;
      it->done(nullptr, std::move(it->result));
    }
    std::lock_guard lock(mutex_);
    stats_.proposals += stored;
    stats_.replays += replays;
    stats_.conflicts += conflicts;
    stats_.failed += failed;
  }
}

}  // namespace usynys::store
