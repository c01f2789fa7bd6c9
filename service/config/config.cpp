#include "config/config.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "domain/text.hpp"

namespace usynys::config {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
  throw std::runtime_error(file.string() + ": " + what);
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file, "cannot be read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

json parse_json(const std::filesystem::path& file, const std::string& text) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    fail(file, std::string("is not valid JSON: ") + e.what());
  }
}

// Walks one JSON object, rejecting keys that nobody asked for.
class Reader {
 public:
  Reader(const std::filesystem::path& file, const json& obj, std::string where)
      : file_(file), obj_(obj), where_(std::move(where)) {
    if (!obj_.is_object()) fail(file_, where_ + " must be an object");
  }
  ~Reader() = default;

  template <class T>
  void get(const char* key, T& out) {
    seen_.insert(key);
    auto it = obj_.find(key);
    if (it == obj_.end()) return;
    try {
      out = it->get<T>();
    } catch (const json::exception&) {
      fail(file_, where_ + "." + key + " has the wrong type");
    }
  }
  void get_int(const char* key, int& out, int min, int max) {
    get(key, out);
    if (out < min || out > max) {
      fail(file_, where_ + "." + key + " must be between " + std::to_string(min) + " and " +
                      std::to_string(max));
    }
  }
  const json* child(const char* key) {
    seen_.insert(key);
    auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &*it;
  }
  void finish() const {
    for (const auto& [k, v] : obj_.items()) {
      if (!seen_.contains(k)) fail(file_, "unknown key " + where_ + "." + k);
    }
  }

 private:
  const std::filesystem::path& file_;
  const json& obj_;
  std::string where_;
  std::set<std::string> seen_;
};

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& p) {
  std::filesystem::path path(p);
  return path.is_absolute() ? path : (base / path).lexically_normal();
}

std::string sha256_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? v : nullptr;
}

}  // namespace

Config load(const std::filesystem::path& path) {
  Config cfg;
  const std::filesystem::path base = path.parent_path().empty() ? "." : path.parent_path();
  json root = parse_json(path, read_file(path));
  Reader r(path, root, "config");
  r.get("listen_address", cfg.listen_address);
  int port = cfg.port;
  r.get_int("port", port, 0, 65535);
  cfg.port = static_cast<std::uint16_t>(port);
  r.get_int("io_threads", cfg.io_threads, 0, 64);
  std::string key_file = "../var/identifier.key";
  r.get("identifier_key_file", key_file);
  cfg.identifier_key_file = resolve(base, key_file);

  if (const json* db = r.child("database")) {
    Reader d(path, *db, "database");
    d.get("url", cfg.database.url);
    d.get_int("pool_size", cfg.database.pool_size, 1, 256);
    d.get_int("statement_timeout_ms", cfg.database.statement_timeout_ms, 1, 3600000);
    d.get_int("connect_timeout_s", cfg.database.connect_timeout_s, 1, 60);
    d.get_int("queue_timeout_ms", cfg.database.queue_timeout_ms, 1, 60000);
    d.get_int("retry_after_s", cfg.database.retry_after_s, 1, 3600);
    d.finish();
  }
  if (const json* in = r.child("intake")) {
    Reader d(path, *in, "intake");
    int batch = static_cast<int>(cfg.intake.batch_max);
    int capacity = static_cast<int>(cfg.intake.queue_capacity);
    d.get_int("writers", cfg.intake.writers, 1, 64);
    d.get_int("batch_max", batch, 1, 10000);
    d.get_int("queue_capacity", capacity, 1, 10000000);
    d.get_int("queue_timeout_ms", cfg.intake.queue_timeout_ms, 1, 60000);
    d.get_int("statement_timeout_ms", cfg.intake.statement_timeout_ms, 1, 3600000);
    d.get_int("fold_interval_ms", cfg.intake.fold_interval_ms, 1, 3600000);
    d.get_int("fold_batch", cfg.intake.fold_batch, 1, 1000000);
    d.get_int("stats_backlog", cfg.intake.stats_backlog, 0, 100000000);
    d.get_int("search_backlog", cfg.intake.search_backlog, 0, 100000000);
    d.get_int("fold_statement_timeout_ms", cfg.intake.fold_statement_timeout_ms, 1, 3600000);
    cfg.intake.batch_max = static_cast<std::size_t>(batch);
    cfg.intake.queue_capacity = static_cast<std::size_t>(capacity);
    d.finish();
  }
  if (const json* rl = r.child("rate_limit")) {
    Reader d(path, *rl, "rate_limit");
    d.get("enabled", cfg.rate_limit.enabled);
    d.get("per_second", cfg.rate_limit.per_second);
    d.get("burst", cfg.rate_limit.burst);
    d.get("exempt", cfg.rate_limit.exempt);
    d.get("trusted_proxies", cfg.rate_limit.trusted_proxies);
    d.get_int("max_clients", cfg.rate_limit.max_clients, 1, 100000000);
    if (!(cfg.rate_limit.per_second > 0) || !(cfg.rate_limit.burst >= 1)) {
      fail(path, "rate_limit.per_second must be positive and rate_limit.burst at least 1");
    }
    d.finish();
  }
  if (const json* st = r.child("staff")) {
    Reader d(path, *st, "staff");
    d.get_int("pool_size", cfg.staff.pool_size, 1, 256);
    d.get_int("statement_timeout_ms", cfg.staff.statement_timeout_ms, 1, 3600000);
    d.get_int("token_refresh_ms", cfg.staff.token_refresh_ms, 100, 60000);
    d.get_int("token_max_age_ms", cfg.staff.token_max_age_ms, 200, 600000);
    d.get_int("export_connections", cfg.staff.export_connections, 1, 64);
    d.get_int("export_statement_timeout_ms", cfg.staff.export_statement_timeout_ms, 1, 3600000);
    d.get_int("export_fetch_rows", cfg.staff.export_fetch_rows, 1, 100000);
    d.get_int("export_buffer_pieces", cfg.staff.export_buffer_pieces, 1, 1024);
    d.get_int("export_piece_bytes", cfg.staff.export_piece_bytes, 1024, 16 * 1024 * 1024);
    if (cfg.staff.token_max_age_ms <= cfg.staff.token_refresh_ms) {
      fail(path, "staff.token_max_age_ms must be greater than staff.token_refresh_ms");
    }
    d.finish();
  }
  std::string docs_dir = "documents";
  if (const json* docs = r.child("documents")) {
    Reader d(path, *docs, "documents");
    d.get("dir", docs_dir);
    d.get("default", cfg.documents.default_slug);
    d.get("slugs", cfg.documents.slugs);
    d.finish();
  }
  cfg.documents.dir = resolve(base, docs_dir);
  if (const json* lim = r.child("limits")) {
    Reader l(path, *lim, "limits");
    int body = static_cast<int>(cfg.limits.body_bytes);
    int header = static_cast<int>(cfg.limits.header_bytes);
    l.get_int("body_bytes", body, 1024, 16 * 1024 * 1024);
    l.get_int("header_bytes", header, 1024, 1024 * 1024);
    cfg.limits.body_bytes = static_cast<std::size_t>(body);
    cfg.limits.header_bytes = static_cast<std::size_t>(header);
    l.get_int("read_timeout_ms", cfg.limits.read_timeout_ms, 10, 3600000);
    l.get_int("idle_timeout_ms", cfg.limits.idle_timeout_ms, 10, 3600000);
    l.get_int("write_timeout_ms", cfg.limits.write_timeout_ms, 10, 3600000);
    l.get_int("max_connections", cfg.limits.max_connections, 1, 1000000);
    l.get_int("drain_timeout_ms", cfg.limits.drain_timeout_ms, 0, 3600000);
    l.finish();
  }
  r.finish();

  if (const char* v = env("USYNYS_PORT")) {
    char* end = nullptr;
    long p = std::strtol(v, &end, 10);
    if (*end != '\0' || p < 0 || p > 65535) {
      throw std::runtime_error("USYNYS_PORT must be a port number, not '" + std::string(v) + "'");
    }
    cfg.port = static_cast<std::uint16_t>(p);
  }
  if (const char* v = env("USYNYS_DATABASE_URL")) cfg.database.url = v;
  if (const char* v = env("USYNYS_IDENTIFIER_KEY")) cfg.identifier_key = v;
  if (cfg.database.url.empty()) {
    fail(path, "database.url is empty and USYNYS_DATABASE_URL is not set");
  }
  return cfg;
}

domain::Document load_document(const std::filesystem::path& file, const std::string& slug) {
  const std::string raw = read_file(file);
  json j = parse_json(file, raw);
  domain::Document doc;
  doc.slug = slug;
  doc.sha256 = sha256_hex(raw);
  try {
    if (!j.is_object()) fail(file, "must hold a JSON object");
    doc.title = j.at("title").get<std::string>();
    doc.version = j.value("version", std::string());
    doc.language = j.value("language", std::string());
    const json& sections = j.at("sections");
    if (!sections.is_array() || sections.empty()) fail(file, "sections must be a non-empty array");
    std::set<int> numbers;
    int position = 0;
    for (std::size_t si = 0; si < sections.size(); ++si) {
      const json& s = sections[si];
      const std::string where = "sections[" + std::to_string(si) + "]";
      domain::Section sec;
      sec.number = s.at("number").get<int>();
      if (sec.number <= 0 || !numbers.insert(sec.number).second) {
        fail(file, where + ".number must be a unique positive integer");
      }
      sec.roman = s.value("roman", std::to_string(sec.number));
      sec.title = s.value("title", std::string());
      const json& arts = s.at("articles");
      if (!arts.is_array()) fail(file, where + ".articles must be an array");
      for (std::size_t ai = 0; ai < arts.size(); ++ai) {
        const json& a = arts[ai];
        const std::string awhere = where + ".articles[" + std::to_string(ai) + "]";
        domain::Article art;
        art.id = a.at("id").get<std::string>();
        bool id_ok = !art.id.empty() && art.id.size() <= 16 && std::isdigit(art.id[0]) != 0 &&
                     std::all_of(art.id.begin(), art.id.end(),
                                 [](char c) { return std::isdigit(c) != 0 || c == '-'; }) &&
                     art.id.back() != '-' && std::count(art.id.begin(), art.id.end(), '-') <= 1;
        if (!id_ok)
          fail(file, awhere + ".id '" + art.id + "' is not an article number like 41 or 83-1");
        if (doc.find(art.id) != nullptr) fail(file, awhere + ".id '" + art.id + "' appears twice");
        art.position = ++position;
        art.section = sec.number;
        art.text = a.value("text", std::string());
        if (!domain::valid_utf8(art.text)) fail(file, awhere + ".text is not valid UTF-8");
        art.repealed = a.value("repealed", false);
        art.paragraph_labels = a.value("paragraph_labels", std::vector<std::string>{});
        std::set<std::string> labels(art.paragraph_labels.begin(), art.paragraph_labels.end());
        if (labels.size() != art.paragraph_labels.size()) {
          fail(file, awhere + ".paragraph_labels has a label twice");
        }
        if (a.contains("chars")) {
          art.chars = a.at("chars").get<std::int64_t>();
          if (art.chars < 0) fail(file, awhere + ".chars must not be negative");
        } else {
          art.chars = static_cast<std::int64_t>(domain::code_points(art.text));
        }
        if (art.repealed) {
          art.chars = 0;
        } else if (art.text.empty()) {
          fail(file, awhere + " (article " + art.id + ") has no text and is not repealed");
        }
        doc.articles.push_back(std::move(art));
        doc.index();
      }
      doc.sections.push_back(std::move(sec));
    }
  } catch (const json::exception& e) {
    fail(file, std::string("does not have the document shape: ") + e.what());
  }
  if (doc.articles.empty()) fail(file, "has no articles");
  doc.index();
  return doc;
}

std::vector<domain::Document> load_documents(const Documents& cfg) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(cfg.dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  }
  if (ec) throw std::runtime_error(cfg.dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<domain::Document> docs;
  std::set<std::string> slugs;
  for (const auto& f : files) {
    auto it = cfg.slugs.find(f.filename().string());
    std::string slug = it != cfg.slugs.end() ? it->second : f.stem().string();
    if (!slugs.insert(slug).second) fail(f, "document slug '" + slug + "' is used twice");
    docs.push_back(load_document(f, slug));
  }
  for (const auto& [file, slug] : cfg.slugs) {
    if (!std::filesystem::exists(cfg.dir / file)) {
      throw std::runtime_error(cfg.dir.string() + ": documents.slugs names missing file " + file);
    }
  }
  if (!slugs.contains(cfg.default_slug)) {
    throw std::runtime_error(cfg.dir.string() + ": default document '" + cfg.default_slug +
                             "' is not among the document files");
  }
  return docs;
}

domain::Catalog load_catalog(const Documents& cfg) {
  domain::Catalog catalog;
  catalog.default_slug = cfg.default_slug;
  for (domain::Document& d : load_documents(cfg)) {
    std::string slug = d.slug;
    catalog.documents.emplace(std::move(slug), std::move(d));
  }
  return catalog;
}

std::string identifier_key(const Config& cfg) {
  if (!cfg.identifier_key.empty()) return cfg.identifier_key;
  const auto& file = cfg.identifier_key_file;
  if (std::filesystem::exists(file)) {
    std::string key = read_file(file);
    if (key.size() < 16) fail(file, "identifier key is shorter than 16 bytes");
    return key;
  }
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no random bytes for the key");
  std::filesystem::create_directories(file.parent_path());
  std::string key(reinterpret_cast<const char*>(bytes), sizeof bytes);
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) fail(file, "cannot be written");
    out << key;
  }
  ::chmod(file.c_str(), 0600);
  return key;
}

}  // namespace usynys::config
