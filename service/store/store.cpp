#include "store/store.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "domain/error.hpp"
#include "store/article_maps.hpp"
#include "store/db_pool.hpp"
#include "store/hash.hpp"
#include "store/sql_array.hpp"
#include "usynys/queries.hpp"

namespace usynys::store {
namespace {

struct NamedStatement {
  const char* name;
  std::string_view text;
};

// Every named statement; each connection prepares them all.
constexpr NamedStatement kStatements[] = {
    {"stats_article_counts", sql::stats_article_counts},
    {"stats_proposal_count", sql::stats_proposal_count},
    {"stats_section_counts", sql::stats_section_counts},
    {"stats_timeline", sql::stats_timeline},
    {"stats_timeline_proposals", sql::stats_timeline_proposals},
    {"stats_article_detail", sql::stats_article_detail},
    {"stats_totals_article_counts", sql::stats_totals_article_counts},
    {"stats_totals_proposal_count", sql::stats_totals_proposal_count},
    {"stats_totals_timeline", sql::stats_totals_timeline},
    {"stats_daily_article_counts", sql::stats_daily_article_counts},
    {"stats_daily_proposal_count", sql::stats_daily_proposal_count},
    {"stats_daily_section_counts", sql::stats_daily_section_counts},
    {"stats_daily_timeline", sql::stats_daily_timeline},
    {"stats_daily_timeline_proposals", sql::stats_daily_timeline_proposals},
    {"stats_estimate_article_counts", sql::stats_estimate_article_counts},
    {"stats_estimate_daily_article_counts", sql::stats_estimate_daily_article_counts},
    {"stats_estimate_timeline", sql::stats_estimate_timeline},
    {"stats_estimate_section_counts", sql::stats_estimate_section_counts},
    {"stats_estimate_daily_section_counts", sql::stats_estimate_daily_section_counts},
    {"stats_estimate_daily_timeline", sql::stats_estimate_daily_timeline},
    {"stats_via_map", sql::stats_via_map},
    {"stats_via_merged_counts", sql::stats_via_merged_counts},
    {"stats_via_section_counts", sql::stats_via_section_counts},
    {"campaign_excess_totals", sql::campaign_excess_totals},
    {"campaign_excess_daily", sql::campaign_excess_daily},
    {"campaign_excess", sql::campaign_excess},
    {"stats_campaigns", sql::stats_campaigns},
    {"article_map", sql::article_map},
    {"article_map_pairs", sql::article_map_pairs},
    {"receipt_lookup", sql::receipt_lookup},
    {"dispositions_totals", sql::dispositions_totals},
    {"dispositions_decided", sql::dispositions_decided},
    {"ping", sql::ping},
    {"stats_epoch", sql::stats_epoch},
    {"fold_backlog", sql::fold_backlog},
};

void prepare_all(pqxx::connection& c) {
  for (const NamedStatement& s : kStatements) c.prepare(s.name, std::string(s.text));
}

// Which source answers a filter: the all-time aggregate, the daily aggregates, or the raw rows.
enum class Source { totals, daily, raw };

Source source_for(const stats::Filter& f) {
  if (f.unfiltered()) return Source::totals;
  if (!f.region && f.whole_days) return Source::daily;
  return Source::raw;
}

// Runs a statistics statement: the daily form takes the filters without region, the raw form
// all of them; `extra` parameters follow the filters.
template <class... Extra>
pqxx::result exec_stats(pqxx::transaction_base& tx, Source source, const std::string& daily,
                        const std::string& raw, int doc_id, const stats::Filter& f,
                        const Extra&... extra) {
  if (source == Source::raw) {
    return tx.exec_prepared(raw, doc_id, f.submitter_type, f.channel, f.language, f.region, f.from,
                            f.to, extra...);
  }
  return tx.exec_prepared(daily, doc_id, f.submitter_type, f.channel, f.language, f.from, f.to,
                          extra...);
}

int write_document(pqxx::connection& c, const domain::Document& doc) {
  pqxx::work tx(c);
  pqxx::row r = tx.exec_params1(
      "INSERT INTO documents (slug, title, version, language, source_sha256) "
      "VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, version = EXCLUDED.version, "
      "language = EXCLUDED.language, source_sha256 = EXCLUDED.source_sha256, loaded_at = now() "
      "RETURNING id",
      doc.slug, doc.title, doc.version, doc.language, doc.sha256);
  const int id = r[0].as<int>();
  std::vector<std::optional<std::string>> section_numbers;
  std::vector<std::optional<std::string>> article_ids;
  for (const domain::Section& s : doc.sections) {
    tx.exec_params(
        "INSERT INTO sections (document_id, number, roman, title) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (document_id, number) DO UPDATE SET roman = EXCLUDED.roman, "
        "title = EXCLUDED.title",
        id, s.number, s.roman, s.title);
    section_numbers.push_back(std::to_string(s.number));
  }
  for (const domain::Article& a : doc.articles) {
    std::vector<std::optional<std::string>> labels(a.paragraph_labels.begin(),
                                                   a.paragraph_labels.end());
    tx.exec_params(
        "INSERT INTO articles (document_id, article_id, position, section_number, text, "
        "paragraph_labels, chars, repealed) VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8) "
        "ON CONFLICT (document_id, article_id) DO UPDATE SET position = EXCLUDED.position, "
        "section_number = EXCLUDED.section_number, text = EXCLUDED.text, "
        "paragraph_labels = EXCLUDED.paragraph_labels, chars = EXCLUDED.chars, "
        "repealed = EXCLUDED.repealed",
        id, a.id, a.position, a.section, a.text, text_array(labels), a.chars, a.repealed);
    article_ids.push_back(a.id);
  }
  tx.exec_params("DELETE FROM articles WHERE document_id = $1 AND article_id <> ALL ($2::text[])",
                 id, text_array(article_ids));
  tx.exec_params("DELETE FROM sections WHERE document_id = $1 AND number <> ALL ($2::int[])", id,
                 text_array(section_numbers));
  tx.commit();
  return id;
}

}  // namespace

std::map<std::string, int> sync_documents(const std::string& url,
                                          const std::vector<domain::Document>& docs) {
  return run_once(url, "loading documents", [&](pqxx::connection& c) {
    std::map<std::string, int> ids;
    {
      pqxx::read_transaction tx(c);
      pqxx::row r = tx.exec1("SELECT to_regclass('public.proposal_articles') IS NOT NULL");
      if (!r[0].as<bool>()) {
        throw std::runtime_error(
            "the database has no usynys schema: apply schema/migrations "
            "first (scripts/migrate.sh)");
      }
    }
    for (const domain::Document& doc : docs) {
      std::optional<int> id;
      {
        pqxx::read_transaction tx(c);
        pqxx::result r =
            tx.exec_params("SELECT id FROM documents WHERE slug = $1 AND source_sha256 = $2",
                           doc.slug, doc.sha256);
        if (!r.empty()) id = r[0][0].as<int>();
      }
      if (!id) {
        try {
          id = write_document(c, doc);
        } catch (const pqxx::foreign_key_violation& e) {
          throw std::runtime_error("document " + doc.slug +
                                   ": the new file drops or repeals an article that stored "
                                   "proposals reference; load it under a new slug instead");
        }
      }
      ids.emplace(doc.slug, *id);
    }
    return ids;
  });
}

std::int64_t rekey_request_fingerprints(const std::string& url, const std::string& key) {
  constexpr int kBatch = 10000;
  return run_once(url, "rekeying request fingerprints", [&](pqxx::connection& c) {
    std::int64_t total = 0;
    for (;;) {
      pqxx::work tx(c);
      pqxx::result r = tx.exec_params(
          "SELECT id, request_sha256 FROM proposals WHERE request_sha256 IS NOT NULL "
          "ORDER BY id LIMIT $1 FOR UPDATE",
          kBatch);
      if (r.empty()) break;
      std::vector<std::optional<std::string>> ids;
      std::vector<std::optional<std::string>> keyed;
      for (const pqxx::row& row : r) {
        ids.push_back(row[0].as<std::string>());
        keyed.push_back(bytea_hex(request_fingerprint(key, pqxx::binarystring(row[1]).str())));
      }
      tx.exec_params(
          "UPDATE proposals p SET request_fingerprint = k.fp, request_sha256 = NULL "
          "FROM unnest($1::bigint[], $2::bytea[]) AS k (id, fp) WHERE p.id = k.id",
          text_array(ids), text_array(keyed));
      tx.commit();
      total += static_cast<std::int64_t>(r.size());
      if (r.size() < static_cast<std::size_t>(kBatch)) break;
    }
    return total;
  });
}

int compact_stats_epoch(const std::string& url) {
  return run_once(url, "merging statistics versions", [](pqxx::connection& c) {
    pqxx::work tx(c);
    const int merged = tx.exec(std::string(sql::stats_epoch_compact))[0][0].as<int>();
    tx.commit();
    return merged;
  });
}

Store::Store(const config::Database& database, std::map<std::string, int> document_ids,
             std::function<void()> on_retry)
    : document_ids_(std::move(document_ids)) {
  PoolOptions po;
  po.url = connection_string(database);
  po.size = database.pool_size;
  po.statement_timeout_ms = database.statement_timeout_ms;
  po.queue_timeout = std::chrono::milliseconds(database.queue_timeout_ms);
  po.answer_timeout = std::chrono::milliseconds(database.answer_timeout_ms);
  po.hang_grace = std::chrono::milliseconds(database.hang_grace_ms);
  po.setup = prepare_all;
  po.on_retry = std::move(on_retry);
  pool_ = std::make_unique<DbPool>(std::move(po));
}

Store::~Store() = default;

void Store::stop() {
  pool_->stop();
}

std::size_t Store::queue_depth() const {
  return pool_->queue_depth();
}

int Store::document_id(const std::string& slug) const {
  auto it = document_ids_.find(slug);
  if (it == document_ids_.end()) {
    throw domain::Error(domain::ErrorKind::not_found, "no document " + slug);
  }
  return it->second;
}

namespace {

// Adds one article's count of one submitter type to `rows`, keyed by `index`.
void add_count(std::vector<stats::ArticleTypeCount>& rows,
               std::map<std::pair<std::string, std::string>, std::size_t>& index,
               stats::ArticleTypeCount c) {
  auto [it, added] = index.try_emplace({c.article, c.submitter_type}, rows.size());
  if (added) {
    rows.push_back(std::move(c));
    return;
  }
  stats::ArticleTypeCount& mine = rows[it->second];
  mine.proposals += c.proposals;
  mine.first_at = std::min(mine.first_at, c.first_at);
  mine.last_at = std::max(mine.last_at, c.last_at);
}

// The estimates of untagged proposals, merged into out.rows (an untagged proposal has no
// confirmed reference, so nothing is counted twice), and their number in out.estimated. The
// estimate cells answer unfiltered and whole-day reads alike.
void add_estimates(pqxx::transaction_base& tx, Source source, int doc_id, const stats::Filter& f,
                   stats::ArticleCounts& out) {
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  for (std::size_t i = 0; i < out.rows.size(); ++i) {
    index.emplace(std::make_pair(out.rows[i].article, out.rows[i].submitter_type), i);
  }
  std::int64_t estimated = 0;
  for (const pqxx::row& row : exec_stats(tx, source == Source::raw ? Source::raw : Source::daily,
                                         "stats_estimate_daily_article_counts",
                                         "stats_estimate_article_counts", doc_id, f)) {
    estimated += row[2].as<std::int64_t>();
    add_count(out.rows, index,
              {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::int64_t>(),
               row[3].as<std::string>(), row[4].as<std::string>()});
  }
  out.estimated = estimated;
}

// What campaigns count too many under `f`: from their aggregates (with or without days) when
// estimates are not counted, else from the raw rows of their members.
stats::CampaignExcess read_excess(pqxx::transaction_base& tx, Source source, int doc_id,
                                  const stats::Filter& f) {
  pqxx::result r;
  if (f.include_suggested || source == Source::raw) {
    r = tx.exec_prepared("campaign_excess", doc_id, f.submitter_type, f.channel, f.language,
                         f.region, f.from, f.to, f.include_suggested);
  } else if (source == Source::totals) {
    r = tx.exec_prepared("campaign_excess_totals", doc_id);
  } else {
    r = tx.exec_prepared("campaign_excess_daily", doc_id, f.submitter_type, f.channel, f.language,
                         f.from, f.to);
  }
  stats::CampaignExcess out;
  for (const pqxx::row& row : r) {
    const std::string level = row[0].as<std::string>();
    const auto n = row[2].as<std::int64_t>();
    if (level == "document") {
      out.proposals = n;
    } else if (level == "article") {
      out.articles[row[1].as<std::string>()] = n;
    } else {
      out.sections[row[1].as<int>()] = n;
    }
  }
  return out;
}

stats::ArticleCounts read_article_counts(pqxx::transaction_base& tx, Source source, int doc_id,
                                         const stats::Filter& f, bool with_excess = true) {
  stats::ArticleCounts out;
  pqxx::result r;
  if (source == Source::totals) {
    const pqxx::row n = tx.exec_prepared1("stats_totals_proposal_count", doc_id);
    out.proposals = n[0].as<std::int64_t>();
    out.untagged = n[1].as<std::int64_t>();
    r = tx.exec_prepared("stats_totals_article_counts", doc_id);
  } else {
    const pqxx::row n =
        exec_stats(tx, source, "stats_daily_proposal_count", "stats_proposal_count", doc_id, f)[0];
    out.proposals = n[0].as<std::int64_t>();
    out.untagged = n[1].as<std::int64_t>();
    r = exec_stats(tx, source, "stats_daily_article_counts", "stats_article_counts", doc_id, f);
  }
  for (const pqxx::row& row : r) {
    out.rows.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                        row[2].as<std::int64_t>(), row[3].as<std::string>(),
                        row[4].as<std::string>()});
  }
  if (f.include_suggested) add_estimates(tx, source, doc_id, f, out);
  if (with_excess) out.excess = read_excess(tx, source, doc_id, f);
  return out;
}

// The older document's side of a statistic read through an article map, added to `out`: its
// proposal totals, and its proposals per article of the newer document merged into out.rows
// (the two documents' proposals are disjoint, so counts add up). An article with one
// predecessor takes that article's counts, from the same source as the rest (aggregates where
// the filter allows); one with several counts their proposals once each, from the raw rows of
// just those predecessors.
void add_via(pqxx::transaction_base& tx, Source source, int from_id, int to_id,
             const stats::Filter& f, double min_score, stats::ArticleCounts& out) {
  stats::ViaCounts via;
  const stats::ArticleCounts old = read_article_counts(tx, source, from_id, f, false);
  via.proposals = old.proposals;
  via.untagged = old.untagged;
  std::map<std::string, std::vector<std::string>> successors;  // predecessor -> articles
  nlohmann::json merged = nlohmann::json::array();
  for (const pqxx::row& row : tx.exec_prepared("stats_via_map", from_id, to_id, min_score)) {
    const std::string article = row[0].as<std::string>();
    const auto predecessors =
        nlohmann::json::parse(row[1].as<std::string>()).get<std::vector<std::string>>();
    if (predecessors.empty()) continue;
    ++(row[2].as<bool>() ? via.pairs_confirmed : via.pairs_suggested);
    if (predecessors.size() == 1) {
      successors[predecessors.front()].push_back(article);
      continue;
    }
    for (const std::string& p : predecessors) {
      merged.push_back({{"article", article}, {"predecessor", p}});
    }
  }
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  for (std::size_t i = 0; i < out.rows.size(); ++i) {
    index.emplace(std::make_pair(out.rows[i].article, out.rows[i].submitter_type), i);
  }
  for (const stats::ArticleTypeCount& c : old.rows) {
    auto it = successors.find(c.article);
    if (it == successors.end()) continue;
    for (const std::string& article : it->second) {
      add_count(out.rows, index, {article, c.submitter_type, c.proposals, c.first_at, c.last_at});
    }
  }
  if (!merged.empty()) {
    for (const pqxx::row& row :
         tx.exec_prepared("stats_via_merged_counts", from_id, merged.dump(), f.submitter_type,
                          f.channel, f.language, f.region, f.from, f.to)) {
      add_count(out.rows, index,
                {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::int64_t>(),
                 row[3].as<std::string>(), row[4].as<std::string>()});
    }
  }
  out.proposals += via.proposals;
  out.untagged += via.untagged;
  out.via = via;
  out.excess.reset();
}

using Snapshot = pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::read_only>;

std::int64_t read_epoch(pqxx::transaction_base& tx) {
  return tx.exec_prepared1("stats_epoch")[0].as<std::int64_t>();
}

}  // namespace

boost::asio::awaitable<stats::ArticleCounts> Store::article_counts(stats::Filter f,
                                                                   std::optional<stats::Via> via) {
  const int doc_id = document_id(f.document);
  const int from_id = via ? document_id(via->from) : 0;
  const Source source = source_for(f);
  co_return co_await pool_->run<stats::ArticleCounts>([&](pqxx::connection& c) {
    // One snapshot for every statement, so that the numbers agree with each other.
    Snapshot tx(c);
    stats::ArticleCounts out = read_article_counts(tx, source, doc_id, f);
    if (via) add_via(tx, source, from_id, doc_id, f, via->min_score, out);
    out.epoch = read_epoch(tx);
    return out;
  });
}

boost::asio::awaitable<stats::SectionCounts> Store::section_counts(stats::Filter f,
                                                                   std::optional<stats::Via> via) {
  const int doc_id = document_id(f.document);
  const int from_id = via ? document_id(via->from) : 0;
  const Source source = source_for(f);
  const Source section_source = source == Source::raw ? Source::raw : Source::daily;
  co_return co_await pool_->run<stats::SectionCounts>([&](pqxx::connection& c) {
    Snapshot tx(c);
    stats::SectionCounts out;
    out.articles = read_article_counts(tx, source, doc_id, f);
    std::map<int, std::int64_t> sections;
    for (const pqxx::row& row : exec_stats(tx, section_source, "stats_daily_section_counts",
                                           "stats_section_counts", doc_id, f)) {
      sections[row[0].as<int>()] += row[1].as<std::int64_t>();
    }
    if (f.include_suggested) {
      for (const pqxx::row& row :
           exec_stats(tx, section_source, "stats_estimate_daily_section_counts",
                      "stats_estimate_section_counts", doc_id, f)) {
        sections[row[0].as<int>()] += row[1].as<std::int64_t>();
      }
    }
    if (via) {
      add_via(tx, source, from_id, doc_id, f, via->min_score, out.articles);
      for (const pqxx::row& row :
           tx.exec_prepared("stats_via_section_counts", from_id, doc_id, via->min_score,
                            f.submitter_type, f.channel, f.language, f.region, f.from, f.to)) {
        sections[row[0].as<int>()] += row[1].as<std::int64_t>();
      }
    }
    for (const auto& [number, n] : sections) out.sections.push_back({number, n});
    out.articles.epoch = read_epoch(tx);
    return out;
  });
}

boost::asio::awaitable<std::optional<domain::ArticleMap>> Store::article_map(std::string from,
                                                                             std::string to) {
  const int from_id = document_id(from);
  const int to_id = document_id(to);
  co_return co_await pool_->run<std::optional<domain::ArticleMap>>([&](pqxx::connection& c) {
    Snapshot tx(c);
    std::optional<domain::ArticleMap> map = read_article_map(tx, from_id, to_id);
    if (map) {
      map->from = from;
      map->to = to;
    }
    return map;
  });
}

boost::asio::awaitable<stats::ArticleDetailCounts> Store::article_detail(stats::Filter f,
                                                                         std::string article) {
  const int doc_id = document_id(f.document);
  co_return co_await pool_->run<stats::ArticleDetailCounts>([&](pqxx::connection& c) {
    Snapshot tx(c);
    stats::ArticleDetailCounts out;
    pqxx::result r =
        tx.exec_prepared("stats_article_detail", doc_id, f.submitter_type, f.channel, f.language,
                         f.region, f.from, f.to, article, f.include_suggested);
    for (const pqxx::row& row : r) {
      const std::string dim = row[0].as<std::string>();
      const std::int64_t n = row[2].as<std::int64_t>();
      if (dim == "all") {
        out.proposals = n;
        out.distinct_submitters = row[3].as<std::int64_t>();
        if (!row[4].is_null()) out.first_at = row[4].as<std::string>();
        if (!row[5].is_null()) out.last_at = row[5].as<std::string>();
      } else {
        out.by[dim][row[1].is_null() ? std::string() : row[1].as<std::string>()] = n;
      }
    }
    const stats::CampaignExcess excess = read_excess(tx, source_for(f), doc_id, f);
    auto e = excess.articles.find(article);
    out.proposals_unique = out.proposals - (e != excess.articles.end() ? e->second : 0);
    return out;
  });
}

boost::asio::awaitable<stats::DispositionCounts> Store::dispositions(
    std::string document, std::optional<std::string> submitter_type,
    std::optional<std::string> article) {
  const int doc_id = document_id(document);
  co_return co_await pool_->run<stats::DispositionCounts>([&](pqxx::connection& c) {
    Snapshot tx(c);
    stats::DispositionCounts out;
    for (const pqxx::row& row :
         tx.exec_prepared("dispositions_totals", doc_id, submitter_type, article)) {
      out.proposals[row[0].as<std::string>()][row[1].as<std::string>()] = row[2].as<std::int64_t>();
    }
    for (const pqxx::row& row :
         tx.exec_prepared("dispositions_decided", doc_id, submitter_type, article)) {
      const std::string dimension = row[0].as<std::string>();
      if (dimension == "answered") {
        out.answered[row[1].as<std::string>()] = row[3].as<std::int64_t>();
      } else {
        out.decided[dimension][row[1].as<std::string>()][row[2].as<std::string>()] =
            row[3].as<std::int64_t>();
      }
    }
    return out;
  });
}

boost::asio::awaitable<std::optional<domain::ProposalReceipt>> Store::receipt(std::string digest) {
  co_return co_await pool_->run<std::optional<domain::ProposalReceipt>>(
      [&](pqxx::connection& c) -> std::optional<domain::ProposalReceipt> {
        pqxx::read_transaction tx(c);
        const pqxx::result r = tx.exec_prepared("receipt_lookup", bytea_hex(digest));
        if (r.empty()) return std::nullopt;
        const pqxx::row row = r[0];
        domain::ProposalReceipt out;
        out.id = row[0].as<std::int64_t>();
        out.document = row[1].as<std::string>();
        out.received_at = row[2].as<std::string>();
        out.hidden = row[3].as<std::string>() == "hidden";
        out.articles = array_strings(row[4]);
        if (!row[5].is_null()) {
          domain::StandingDisposition sd;
          sd.disposition.decision = row[5].as<std::string>();
          sd.disposition.reason = row[6].as<std::string>();
          if (!row[7].is_null()) sd.disposition.answered_document = row[7].as<std::string>();
          sd.disposition.answered_articles = array_strings(row[8]);
          sd.decided_at = row[9].as<std::string>();
          sd.applies_to = row[10].as<std::string>();
          out.disposition = std::move(sd);
        }
        return out;
      });
}

boost::asio::awaitable<stats::CampaignList> Store::campaigns(std::string document, int min_size,
                                                             int limit) {
  const int doc_id = document_id(document);
  co_return co_await pool_->run<stats::CampaignList>([&](pqxx::connection& c) {
    Snapshot tx(c);
    stats::CampaignList out;
    for (const pqxx::row& row : tx.exec_prepared("stats_campaigns", doc_id, min_size, limit)) {
      out.campaigns = row[7].as<std::int64_t>();
      out.members = row[8].as<std::int64_t>();
      if (row[0].is_null()) continue;
      stats::CampaignFigures f;
      f.id = row[0].as<std::int64_t>();
      f.size = row[1].as<std::int64_t>();
      f.articles = nlohmann::json::parse(row[2].as<std::string>()).get<std::vector<std::string>>();
      if (!row[3].is_null()) f.first_at = row[3].as<std::string>();
      if (!row[4].is_null()) f.last_at = row[4].as<std::string>();
      f.by_channel = nlohmann::json::parse(row[5].as<std::string>())
                         .get<std::map<std::string, std::int64_t>>();
      f.by_submitter_type = nlohmann::json::parse(row[6].as<std::string>())
                                .get<std::map<std::string, std::int64_t>>();
      out.largest.push_back(std::move(f));
    }
    return out;
  });
}

boost::asio::awaitable<stats::TimelineCounts> Store::timeline(stats::Filter f, std::string bucket) {
  const int doc_id = document_id(f.document);
  const bool unfiltered = source_for(f) == Source::totals;
  const Source source = source_for(f) == Source::raw ? Source::raw : Source::daily;
  co_return co_await pool_->run<stats::TimelineCounts>([&](pqxx::connection& c) {
    Snapshot tx(c);
    stats::TimelineCounts out;
    for (const pqxx::row& row : exec_stats(tx, source, "stats_daily_timeline_proposals",
                                           "stats_timeline_proposals", doc_id, f, bucket)) {
      out.proposals[row[0].as<std::string>()] = row[1].as<std::int64_t>();
      out.untagged[row[0].as<std::string>()] = row[2].as<std::int64_t>();
    }
    // Without filters each article's first bucket comes from the all-time aggregate, a few
    // hundred rows, instead of every daily cell.
    const pqxx::result buckets =
        unfiltered
            ? tx.exec_prepared("stats_totals_timeline", doc_id, bucket)
            : exec_stats(tx, source, "stats_daily_timeline", "stats_timeline", doc_id, f, bucket);
    for (const pqxx::row& row : buckets) {
      out.article_buckets.emplace_back(row[0].as<std::string>(), row[1].as<std::string>());
    }
    if (f.include_suggested) {
      for (const pqxx::row& row : exec_stats(tx, source, "stats_estimate_daily_timeline",
                                             "stats_estimate_timeline", doc_id, f, bucket)) {
        out.article_buckets.emplace_back(row[0].as<std::string>(), row[1].as<std::string>());
      }
    }
    std::sort(out.article_buckets.begin(), out.article_buckets.end());
    return out;
  });
}

boost::asio::awaitable<bool> Store::ping() {
  try {
    co_return co_await pool_->run<bool>([](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      return tx.exec_prepared1("ping")[0].as<int>() == 1;
    });
  } catch (const std::exception&) {
    co_return false;
  }
}

boost::asio::awaitable<std::int64_t> Store::stats_epoch() {
  co_return co_await pool_->run<std::int64_t>([](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return read_epoch(tx);
  });
}

boost::asio::awaitable<std::optional<Store::FoldBacklog>> Store::fold_backlog(int cap) {
  try {
    co_return co_await pool_->run<std::optional<FoldBacklog>>([cap](pqxx::connection& c) {
      pqxx::read_transaction tx(c);
      const pqxx::row r = tx.exec_prepared1("fold_backlog", cap);
      return FoldBacklog{r[0].as<std::int64_t>(), r[1].as<std::int64_t>()};
    });
  } catch (const std::exception&) {
    co_return std::nullopt;
  }
}

}  // namespace usynys::store
