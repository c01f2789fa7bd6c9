#include "config/config.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "domain/text.hpp"

namespace usynys::config {

// Field names are the keys of the file.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Limits, body_bytes, header_bytes,
                                                streamed_body_bytes, read_timeout_ms,
                                                idle_timeout_ms, write_timeout_ms, max_connections,
                                                drain_timeout_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Database, url, pool_size, statement_timeout_ms,
                                                connect_timeout_s, queue_timeout_ms, retry_after_s,
                                                answer_timeout_ms, hang_grace_ms, keepalives_idle_s,
                                                keepalives_interval_s, keepalives_count,
                                                tcp_user_timeout_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Intake, writers, batch_max, queue_capacity,
                                                queue_timeout_ms, statement_timeout_ms,
                                                fold_interval_ms, fold_batch, stats_backlog,
                                                search_backlog, fold_statement_timeout_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Staff, pool_size, statement_timeout_ms,
                                                token_refresh_ms, token_max_age_ms,
                                                export_connections, export_statement_timeout_ms,
                                                export_fetch_rows, export_buffer_pieces,
                                                export_piece_bytes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Tagging, estimate_threshold, suggest_interval_ms,
                                                suggest_batch, suggest_backlog, suggestions_kept)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Campaigns, similarity, interval_ms, batch, backlog,
                                                max_candidates)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Receipts, answer_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Report, language)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Http, gzip_min_bytes, stats_cache_entries,
                                                stats_compute_spacing_ms, cors_origins)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RateLimit, enabled, per_second, burst, exempt,
                                                trusted_proxies, max_clients)

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

// The allowed range of every number in the file, by its dotted key.
struct Range {
  const char* key;
  double min;
  double max;
};

constexpr Range kRanges[] = {
    {"port", 0, 65535},
    {"io_threads", 0, 64},
    {"database.pool_size", 1, 256},
    {"database.statement_timeout_ms", 1, 3600000},
    {"database.connect_timeout_s", 1, 60},
    {"database.queue_timeout_ms", 1, 60000},
    {"database.retry_after_s", 1, 3600},
    {"database.answer_timeout_ms", 100, 3600000},
    {"database.hang_grace_ms", 1, 600000},
    {"database.keepalives_idle_s", 1, 7200},
    {"database.keepalives_interval_s", 1, 600},
    {"database.keepalives_count", 1, 100},
    {"database.tcp_user_timeout_ms", 0, 3600000},
    {"intake.writers", 1, 64},
    {"intake.batch_max", 1, 10000},
    {"intake.queue_capacity", 1, 10000000},
    {"intake.queue_timeout_ms", 1, 60000},
    {"intake.statement_timeout_ms", 1, 3600000},
    {"intake.fold_interval_ms", 1, 3600000},
    {"intake.fold_batch", 1, 1000000},
    {"intake.stats_backlog", 0, 100000000},
    {"intake.search_backlog", 0, 100000000},
    {"intake.fold_statement_timeout_ms", 1, 3600000},
    {"rate_limit.per_second", 1e-6, 1e9},
    {"rate_limit.burst", 1, 1e9},
    {"rate_limit.max_clients", 1, 100000000},
    {"staff.pool_size", 1, 256},
    {"staff.statement_timeout_ms", 1, 3600000},
    {"staff.token_refresh_ms", 100, 60000},
    {"staff.token_max_age_ms", 200, 600000},
    {"staff.export_connections", 1, 64},
    {"staff.export_statement_timeout_ms", 1, 3600000},
    {"staff.export_fetch_rows", 1, 100000},
    {"staff.export_buffer_pieces", 1, 1024},
    {"staff.export_piece_bytes", 1024, 16 * 1024 * 1024},
    {"http.gzip_min_bytes", 0, 16 * 1024 * 1024},
    {"http.stats_cache_entries", 1, 100000},
    {"http.stats_compute_spacing_ms", 0, 10000},
    {"limits.body_bytes", 1024, 16 * 1024 * 1024},
    {"limits.header_bytes", 1024, 1024 * 1024},
    {"limits.streamed_body_bytes", 1024, 68719476736.0},
    {"limits.read_timeout_ms", 10, 3600000},
    {"limits.idle_timeout_ms", 10, 3600000},
    {"limits.write_timeout_ms", 10, 3600000},
    {"limits.max_connections", 1, 1000000},
    {"limits.drain_timeout_ms", 0, 3600000},
    {"documents.map_min_score", 0, 1},
    {"tagging.estimate_threshold", 0, 1},
    {"tagging.suggest_interval_ms", 1, 3600000},
    {"tagging.suggest_batch", 1, 100000},
    {"tagging.suggest_backlog", 0, 100000000},
    {"tagging.suggestions_kept", 5, 100},
    {"campaigns.similarity", 0.05, 1},
    {"campaigns.interval_ms", 1, 3600000},
    {"campaigns.batch", 1, 100000},
    {"campaigns.backlog", 0, 100000000},
    {"campaigns.max_candidates", 1, 1000},
    {"receipts.answer_ms", 1, 10000},
};

// Checks `given` against `defaults`: every key must be known, of the default's type (an integer
// where the default is one), a nested section an object; an empty default object is a map of
// strings (documents.slugs, documents.reference_languages, documents.maps).
void check_shape(const std::filesystem::path& file, const json& given, const json& defaults,
                 const std::string& where) {
  const std::string prefix = where.empty() ? "" : where + ".";
  if (!given.is_object()) fail(file, (where.empty() ? "the file" : where) + " must be an object");
  for (const auto& [key, value] : given.items()) {
    auto d = defaults.find(key);
    if (d == defaults.end())
      fail(file, "unknown key " + (where.empty() ? "config" : where) + "." + key);
    const std::string name = prefix + key;
    const bool same_type =
        d->is_number_integer() ? value.is_number_integer()
        : d->is_number()       ? value.is_number()
        : d->is_array()
            ? value.is_array() && std::all_of(value.begin(), value.end(),
                                              [](const json& v) { return v.is_string(); })
            : d->type() == value.type();
    if (!same_type) fail(file, name + " has the wrong type");
    if (d->is_object() && !d->empty()) {
      check_shape(file, value, *d, name);
    } else if (d->is_object()) {
      for (const auto& [k, v] : value.items()) {
        if (!v.is_string())
          fail(file, std::string(name).append(".").append(k).append(" must be a string"));
      }
    }
  }
}

void check_ranges(const std::filesystem::path& file, const json& merged) {
  for (const Range& r : kRanges) {
    const json* v = &merged;
    std::string_view key = r.key;
    while (!key.empty()) {
      const auto dot = key.find('.');
      v = &v->at(std::string(key.substr(0, dot)));
      key = dot == std::string_view::npos ? std::string_view() : key.substr(dot + 1);
    }
    const double x = v->get<double>();
    if (!(x >= r.min && x <= r.max)) {
      std::ostringstream what;
      what << r.key << " must be between " << r.min << " and " << r.max;
      fail(file, what.str());
    }
  }
}

// An origin as browsers send it: http or https, a host of letters, digits, dots and dashes (or a
// bracketed IPv6 address), an optional port, nothing after.
bool valid_origin(std::string_view o) {
  std::string_view rest;
  if (o.starts_with("https://")) {
    rest = o.substr(8);
  } else if (o.starts_with("http://")) {
    rest = o.substr(7);
  } else {
    return false;
  }
  if (rest.empty()) return false;
  std::string_view host = rest;
  std::string_view port;
  if (rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return false;
    host = rest.substr(1, close - 1);
    if (host.empty() || host.find_first_not_of("0123456789abcdefABCDEF:.") != host.npos) {
      return false;
    }
    rest.remove_prefix(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return false;
    port = rest.empty() ? rest : rest.substr(1);
  } else {
    const auto colon = rest.find(':');
    host = rest.substr(0, colon);
    if (colon != std::string_view::npos) port = rest.substr(colon + 1);
    if (host.empty() ||
        host.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") != host.npos) {
      return false;
    }
    if (colon != std::string_view::npos && port.empty()) return false;
  }
  return port.size() <= 5 && port.find_first_not_of("0123456789") == port.npos;
}

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

// documents.vocabularies as the file spells it.
std::map<std::string, std::string> vocabulary_files(const Documents& cfg) {
  std::map<std::string, std::string> out;
  for (const auto& [slug, file] : cfg.vocabularies) out[slug] = file.string();
  return out;
}

}  // namespace

json describe(const Config& cfg) {
  return {{"listen_address", cfg.listen_address},
          {"port", cfg.port},
          {"io_threads", cfg.io_threads},
          {"identifier_key_file", cfg.identifier_key_file.string()},
          {"database", cfg.database},
          {"intake", cfg.intake},
          {"rate_limit", cfg.rate_limit},
          {"staff", cfg.staff},
          {"tagging", cfg.tagging},
          {"campaigns", cfg.campaigns},
          {"receipts", cfg.receipts},
          {"report", cfg.report},
          {"http", cfg.http},
          {"documents",
           {{"dir", cfg.documents.dir.string()},
            {"default", cfg.documents.default_slug},
            {"slugs", cfg.documents.slugs},
            {"reference_languages", cfg.documents.reference_languages},
            {"maps", cfg.documents.maps},
            {"map_min_score", cfg.documents.map_min_score},
            {"vocabularies", vocabulary_files(cfg.documents)}}},
          {"limits", cfg.limits}};
}

Config load(const std::filesystem::path& path, bool need_database) {
  const std::filesystem::path base = path.parent_path().empty() ? "." : path.parent_path();
  const json given = parse_json(path, read_file(path));
  json merged = describe(Config{});
  check_shape(path, given, merged, "");
  merged.merge_patch(given);
  check_ranges(path, merged);
  Config cfg;
  cfg.listen_address = merged.at("listen_address").get<std::string>();
  cfg.port = merged.at("port").get<std::uint16_t>();
  cfg.io_threads = merged.at("io_threads").get<int>();
  cfg.identifier_key_file = resolve(base, merged.at("identifier_key_file").get<std::string>());
  cfg.database = merged.at("database").get<Database>();
  cfg.intake = merged.at("intake").get<Intake>();
  cfg.rate_limit = merged.at("rate_limit").get<RateLimit>();
  cfg.staff = merged.at("staff").get<Staff>();
  cfg.tagging = merged.at("tagging").get<Tagging>();
  cfg.campaigns = merged.at("campaigns").get<Campaigns>();
  cfg.receipts = merged.at("receipts").get<Receipts>();
  cfg.report = merged.at("report").get<Report>();
  if (cfg.report.language != "kk" && cfg.report.language != "ru" && cfg.report.language != "en") {
    fail(path, "report.language must be kk, ru or en, not '" + cfg.report.language + "'");
  }
  cfg.http = merged.at("http").get<Http>();
  for (const std::string& origin : cfg.http.cors_origins) {
    if (!valid_origin(origin)) {
      fail(path, "http.cors_origins: '" + origin +
                     "' is not an origin (scheme://host or scheme://host:port, no path)");
    }
  }
  cfg.limits = merged.at("limits").get<Limits>();
  const json& docs = merged.at("documents");
  cfg.documents.dir = resolve(base, docs.at("dir").get<std::string>());
  cfg.documents.default_slug = docs.at("default").get<std::string>();
  cfg.documents.slugs = docs.at("slugs").get<std::map<std::string, std::string>>();
  cfg.documents.reference_languages =
      docs.at("reference_languages").get<std::map<std::string, std::string>>();
  cfg.documents.maps = docs.at("maps").get<std::map<std::string, std::string>>();
  cfg.documents.map_min_score = docs.at("map_min_score").get<double>();
  for (const auto& [slug, file] : docs.at("vocabularies").items()) {
    // Beside the documents: relative to documents.dir.
    cfg.documents.vocabularies[slug] = resolve(cfg.documents.dir, file.get<std::string>());
  }
  if (cfg.staff.token_max_age_ms <= cfg.staff.token_refresh_ms) {
    fail(path, "staff.token_max_age_ms must be greater than staff.token_refresh_ms");
  }

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
  if (need_database && cfg.database.url.empty()) {
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
      if (!doc.language.empty()) doc.section_titles[doc.language][sec.number] = sec.title;
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
        if (!doc.language.empty()) {
          art.texts[doc.language] = art.text;
          art.chars_by_language[doc.language] = art.chars;
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
  if (!doc.language.empty()) doc.languages = {doc.language};
  doc.index();
  return doc;
}

namespace {

// One file of a document in one language, loaded.
struct Version {
  std::filesystem::path file;
  domain::Document doc;
};

std::string labels_text(const std::vector<std::string>& labels) {
  return labels.empty() ? "none" : domain::join(labels, ",");
}

// The parts, joined.
std::string joined(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out += p;
  return out;
}

// The first way `other` differs from `ref` in sections, article ids, paragraph labels or
// repeal; empty when they agree.
std::string first_difference(const Version& ref, const Version& other) {
  const std::string theirs = other.file.filename().string();
  const std::string ours = ref.file.filename().string();
  const auto& rs = ref.doc.sections;
  const auto& os = other.doc.sections;
  for (std::size_t i = 0; i < std::max(rs.size(), os.size()); ++i) {
    if (i >= os.size()) return joined({theirs, " has no section ", std::to_string(rs[i].number)});
    if (i >= rs.size() || rs[i].number != os[i].number) {
      return joined({theirs, " has section ", std::to_string(os[i].number), " where ", ours,
                     i < rs.size() ? " has section " + std::to_string(rs[i].number)
                                   : std::string(" has none")});
    }
  }
  const auto& ra = ref.doc.articles;
  const auto& oa = other.doc.articles;
  for (std::size_t i = 0; i < std::max(ra.size(), oa.size()); ++i) {
    if (i >= oa.size()) return joined({theirs, " has no article ", ra[i].id});
    if (i >= ra.size())
      return joined({theirs, " has article ", oa[i].id, ", which ", ours, " lacks"});
    const domain::Article& r = ra[i];
    const domain::Article& o = oa[i];
    if (r.id != o.id) {
      return joined({theirs, " has article ", o.id, " where ", ours, " has article ", r.id});
    }
    if (r.section != o.section) {
      return joined({theirs, " puts article ", r.id, " in section ", std::to_string(o.section),
                     ", ", ours, " in section ", std::to_string(r.section)});
    }
    if (r.paragraph_labels != o.paragraph_labels) {
      return joined({theirs, ": article ", r.id, " has paragraphs ",
                     labels_text(o.paragraph_labels), " where ", ours, " has ",
                     labels_text(r.paragraph_labels)});
    }
    if (r.repealed != o.repealed) {
      return joined({theirs, ": article ", r.id, o.repealed ? " is" : " is not", " repealed, in ",
                     ours, r.repealed ? " it is" : " it is not"});
    }
  }
  return {};
}

// The files of one slug as one document: the reference language's text and chars, every
// language's texts and chars beside them. The files must agree in structure.
domain::Document merge_versions(const std::string& slug, std::vector<Version> versions,
                                const Documents& cfg) {
  std::set<std::string> languages;
  for (const Version& v : versions) {
    if (versions.size() > 1 && v.doc.language.empty()) {
      fail(v.file, "has no language, and document '" + slug + "' has several files");
    }
    if (!languages.insert(v.doc.language).second) {
      fail(v.file,
           "is a second file of document '" + slug + "' in language '" + v.doc.language + "'");
    }
  }
  std::string reference;
  if (auto it = cfg.reference_languages.find(slug); it != cfg.reference_languages.end()) {
    reference = it->second;
  } else if (versions.size() == 1) {
    reference = versions.front().doc.language;
  } else {
    throw std::runtime_error(
        cfg.dir.string() + ": document '" + slug + "' is in " + domain::join(languages, ", ") +
        ": documents.reference_languages must name the one that weighs " + "content shares");
  }
  auto ref = std::find_if(versions.begin(), versions.end(),
                          [&](const Version& v) { return v.doc.language == reference; });
  if (ref == versions.end()) {
    throw std::runtime_error(cfg.dir.string() + ": documents.reference_languages gives '" +
                             reference + "' for document '" + slug + "', which has no file in it");
  }
  std::iter_swap(versions.begin(), ref);
  for (std::size_t i = 1; i < versions.size(); ++i) {
    const std::string difference = first_difference(versions.front(), versions[i]);
    if (!difference.empty()) {
      throw std::runtime_error(joined(
          {cfg.dir.string(), ": the languages of document '", slug, "' disagree: ", difference}));
    }
  }
  domain::Document doc = std::move(versions.front().doc);
  std::string hashes = doc.sha256;
  for (std::size_t i = 1; i < versions.size(); ++i) {
    Version& v = versions[i];
    for (std::size_t a = 0; a < doc.articles.size(); ++a) {
      domain::Article& art = doc.articles[a];
      art.texts[v.doc.language] = std::move(v.doc.articles[a].text);
      art.chars_by_language[v.doc.language] = v.doc.articles[a].chars;
    }
    for (auto& [language, titles] : v.doc.section_titles) {
      doc.section_titles[language] = std::move(titles);
    }
    hashes += v.doc.sha256;
  }
  if (versions.size() > 1) {
    doc.languages.assign(languages.begin(), languages.end());
    doc.sha256 = sha256_hex(hashes);
  }
  doc.index();
  return doc;
}

}  // namespace

std::vector<domain::Document> load_documents(const Documents& cfg) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(cfg.dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json" &&
        !entry.path().filename().string().ends_with(".vocabulary.json")) {
      files.push_back(entry.path());
    }
  }
  if (ec) throw std::runtime_error(cfg.dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::map<std::string, std::vector<Version>> by_slug;
  for (const auto& f : files) {
    auto it = cfg.slugs.find(f.filename().string());
    std::string slug = it != cfg.slugs.end() ? it->second : f.stem().string();
    by_slug[slug].push_back({f, load_document(f, slug)});
  }
  std::vector<domain::Document> docs;
  std::set<std::string> slugs;
  for (auto& [slug, versions] : by_slug) {
    slugs.insert(slug);
    docs.push_back(merge_versions(slug, std::move(versions), cfg));
  }
  for (const auto& [slug, language] : cfg.reference_languages) {
    if (!slugs.contains(slug)) {
      throw std::runtime_error(cfg.dir.string() + ": documents.reference_languages names '" + slug +
                               "', which is not among the document files");
    }
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

namespace {

// What is wrong with the article map onto `to` from `from`, or empty.
std::string map_problem(const domain::Catalog& catalog, const std::string& to,
                        const std::string& from) {
  const domain::Document* newer = catalog.find(to);
  const domain::Document* older = catalog.find(from);
  if (newer == nullptr) return "no document " + to;
  if (older == nullptr) return "no document " + from;
  if (to == from) return "a document cannot map onto itself";
  if (std::find(older->languages.begin(), older->languages.end(), newer->language) ==
      older->languages.end()) {
    std::string out = from;
    out.append(" has no text in ").append(newer->language);
    return out.append(", the reference language of ").append(to);
  }
  return {};
}

// What is wrong with the vocabulary of `slug` in `file`, or empty.
std::string vocabulary_problem(const domain::Catalog& catalog, const std::string& slug,
                               const std::filesystem::path& file) {
  if (catalog.find(slug) == nullptr) return "no document " + slug;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return "no file " + file.string();
  return {};
}

}  // namespace

domain::Catalog load_catalog(const Documents& cfg) {
  domain::Catalog catalog;
  catalog.default_slug = cfg.default_slug;
  for (domain::Document& d : load_documents(cfg)) {
    std::string slug = d.slug;
    catalog.documents.emplace(std::move(slug), std::move(d));
  }
  for (const auto& [to, from] : cfg.maps) {
    if (std::string problem = map_problem(catalog, to, from); !problem.empty()) {
      throw std::runtime_error(
          cfg.dir.string().append(": documents.maps.").append(to).append(": ").append(problem));
    }
  }
  for (const auto& [slug, file] : cfg.vocabularies) {
    if (std::string problem = vocabulary_problem(catalog, slug, file); !problem.empty()) {
      throw std::runtime_error(cfg.dir.string()
                                   .append(": documents.vocabularies.")
                                   .append(slug)
                                   .append(": ")
                                   .append(problem));
    }
  }
  catalog.predecessors.insert(cfg.maps.begin(), cfg.maps.end());
  catalog.map_min_score = cfg.map_min_score;
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
