// Service configuration: a JSON file plus a few environment overrides. The only code that
// reads configuration files and the environment. The structs below hold every default, once:
// a key missing from the file keeps it, and each component takes its section.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "domain/document.hpp"

namespace usynys::config {

struct Limits {
  std::size_t body_bytes = 65536;
  std::size_t header_bytes = 16384;
  std::uint64_t streamed_body_bytes = 268435456;  // a streamed body (POST /api/v1/imports)
  int read_timeout_ms = 10000;                    // a whole request, headers and body
  int idle_timeout_ms = 30000;                    // keep-alive wait for the next request
  int write_timeout_ms = 10000;
  int max_connections = 1024;
  int drain_timeout_ms = 10000;  // shutdown: how long requests in flight may finish
};

struct Database {
  std::string url;  // libpq connection string or URI
  int pool_size = 4;
  int statement_timeout_ms = 5000;
  int connect_timeout_s = 1;
  int queue_timeout_ms = 1500;   // a request waiting longer for a connection gets 503
  int retry_after_s = 2;         // Retry-After on 503
  int answer_timeout_ms = 1800;  // a read not answered this long after it arrived gets 503
  int hang_grace_ms = 500;  // a statement past its timeout by this much: connection presumed cut
  // TCP keepalives and user timeout of every connection (libpq parameters), so that a network
  // that stops answering breaks connections within seconds.
  int keepalives_idle_s = 5;
  int keepalives_interval_s = 2;
  int keepalives_count = 2;
  int tcp_user_timeout_ms = 3000;
};

// Group commit of submissions.
struct Intake {
  int writers = 2;  // writer threads, each with its own connection
  std::size_t batch_max = 256;
  std::size_t queue_capacity = 10000;
  int queue_timeout_ms = 1000;  // a proposal waiting longer is answered 503, never stored
  int statement_timeout_ms = 1000;
  int fold_interval_ms = 250;  // how often committed proposals are folded into the aggregates
  int fold_batch = 10000;      // proposals per fold transaction at most
  // Proposals left pending while intake is busy, per fold (see store::Folder).
  int stats_backlog = 20000;
  int search_backlog = 20000;
  int fold_statement_timeout_ms = 60000;  // bounds each fold statement
};

// Staff access: bearer tokens, proposal reads, moderation and exports.
struct Staff {
  int pool_size = 2;  // connections for staff reads and moderation
  int statement_timeout_ms = 5000;
  int token_refresh_ms = 2000;  // how often the tokens in force are read again
  int token_max_age_ms = 5000;  // tokens older than this are not trusted (503)
  int export_connections = 2;   // exports at once, each holding one connection
  int export_statement_timeout_ms = 60000;
  int export_fetch_rows = 1000;     // rows per FETCH from an export's cursor
  int export_buffer_pieces = 4;     // pieces an export may run ahead of its client
  int export_piece_bytes = 262144;  // a piece is handed to the client once it is this large
};

// Per-client-address rate limit (token bucket).
struct RateLimit {
  bool enabled = true;
  double per_second = 10;
  double burst = 40;
  std::vector<std::string> exempt{"127.0.0.1", "::1"};
  std::vector<std::string> trusted_proxies;
  int max_clients = 100000;  // client addresses remembered at most
};

// Article suggestions, computed after commit for every proposal by a thread with its own
// connection, batch by batch.
struct Tagging {
  // From this score the best suggestion of an untagged proposal is its estimate, counted by
  // statistics asked to include_suggested.
  double estimate_threshold = 0.7;
  int suggest_interval_ms = 250;  // how often pending proposals are looked for
  int suggest_batch = 500;        // proposals per transaction at most
  int suggest_backlog = 100000;   // while intake is busy, wait until this many are pending
  int suggestions_kept = 10;      // suggestions stored per proposal, best first
};

// Campaigns: near-duplicate proposals grouped after commit by a thread with its own connection,
// batch by batch.
struct Campaigns {
  // Two texts are near-duplicates from this estimated Jaccard similarity of their word
  // shingles up.
  double similarity = 0.5;
  int interval_ms = 250;    // how often pending proposals are looked for
  int batch = 1000;         // proposals per transaction at most
  int backlog = 100000;     // while intake is busy, wait until this many are pending
  int max_candidates = 16;  // candidates verified per proposal at most (most shared bands first)
};

// Receipts: the codes submitters follow their proposals with.
struct Receipts {
  // GET /api/v1/receipts/{receipt} answers this long after the request, whether the code is known
  // or not, so that the time of the answer tells nothing.
  int answer_ms = 100;
};

// The nightly report (scripts/nightly-report reads this section of the same file).
struct Report {
  std::string language = "en";  // kk, ru or en: headings, labels and titles; --lang overrides it
};

// HTTP conventions for every answer.
struct Http {
  // Textual answers of at least this many bytes (and every export) are gzip-compressed for a
  // client that accepts gzip.
  std::size_t gzip_min_bytes = 1024;
  // Statistics answers kept for reuse while nothing they count changes (the least recently
  // asked are dropped first).
  int stats_cache_entries = 256;
  // At least this long between two computations of one statistics answer while what it counts
  // keeps changing (requests meanwhile wait for the next); bounds what a crowd costs the
  // database during a burst of proposals.
  int stats_compute_spacing_ms = 50;
  // Origins (scheme://host[:port]) whose pages may read the public GET endpoints (CORS); none
  // by default.
  std::vector<std::string> cors_origins;
};

struct Documents {
  std::filesystem::path dir = "documents";  // relative: to the config file's directory
  std::string default_slug = "kz-1995";
  // file name -> slug; others use the file stem. Several files with one slug are the document
  // in several languages (each file's `language`).
  std::map<std::string, std::string> slugs;
  // slug -> the language whose chars weigh content shares; a document in one language needs
  // none here.
  std::map<std::string, std::string> reference_languages;
  // Article maps: newer slug -> the older slug whose articles it takes over. The map is
  // suggested from the texts in the newer document's reference language, which the older one
  // must have too.
  std::map<std::string, std::string> maps;
  // Suggested pairs count in statistics through a map (?via=) from this score up; confirmed
  // pairs always count.
  double map_min_score = 0.3;
  // Article vocabularies: slug -> the file of everyday terms for its articles (the JSON shape
  // of config/documents/*.vocabulary.json); relative: to `dir`. Files
  // named *.vocabulary.json in `dir` are never documents.
  std::map<std::string, std::filesystem::path> vocabularies;
};

struct Config {
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = 8080;
  int io_threads = 0;  // 0: half the CPUs, at least one
  Database database;
  Intake intake;
  RateLimit rate_limit;
  Staff staff;
  Documents documents;
  Tagging tagging;
  Campaigns campaigns;
  Receipts receipts;
  Report report;
  Http http;
  Limits limits;
  // HMAC key for submitter identifiers; relative: to the config file's directory.
  std::filesystem::path identifier_key_file = "../var/identifier.key";
  std::string identifier_key;  // from USYNYS_IDENTIFIER_KEY only, else the file
};

// Reads `path`: every key optional (the struct's default when absent), named as the struct's
// field; relative paths inside it resolve against the file's directory. Applies USYNYS_PORT,
// USYNYS_DATABASE_URL, USYNYS_IDENTIFIER_KEY. Throws std::runtime_error naming the file and the
// problem (unknown keys, wrong types, out-of-range values, and no database URL unless
// `need_database` is false).
Config load(const std::filesystem::path& path, bool need_database = true);

// The configuration as the file would spell it (identifier_key left out): with Config{}, every
// default.
nlohmann::json describe(const Config& cfg);

// Parses one document file (the JSON shape of config/documents/*.json). Throws
// std::runtime_error naming the file and the problem.
domain::Document load_document(const std::filesystem::path& file, const std::string& slug);

// Every *.json in cfg.documents.dir but *.vocabulary.json, sorted by file name; the default
// must be among them.
std::vector<domain::Document> load_documents(const Documents& cfg);
// The same as a catalog, with cfg.default_slug as its default. Also checks that every
// vocabulary names a document of the catalog and an existing file (its content is read by
// match::load_vocabulary).
domain::Catalog load_catalog(const Documents& cfg);

// Reads the identifier HMAC key: cfg.identifier_key when set, else the key file, created with
// 32 random bytes (mode 0600) when missing. Throws std::runtime_error on failure.
std::string identifier_key(const Config& cfg);

}  // namespace usynys::config
