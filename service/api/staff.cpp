#include "api/staff.hpp"

#include <boost/beast/core/string.hpp>
#include <cstring>
#include <nlohmann/json.hpp>

#include "api/json_body.hpp"
#include "api/problem.hpp"
#include "domain/proposal.hpp"
#include "domain/text.hpp"
#include "ops/log.hpp"

namespace usynys::api {

namespace asio = boost::asio;
namespace bhttp = http::bhttp;
using domain::FieldError;
using nlohmann::json;

namespace {

constexpr std::int64_t kDefaultLimit = 50;
constexpr std::int64_t kMaxLimit = 500;
constexpr std::size_t kMaxSearchChars = 500;
constexpr std::size_t kMaxReasonChars = 1000;
constexpr std::size_t kMaxActorChars = 64;

const std::set<std::string, std::less<>> kStaffFilterParams = {"article", "section", "status", "q"};

// --- small parsers ------------------------------------------------------------------------

// A positive decimal id of at most 18 digits (fits an int64).
std::optional<std::int64_t> parse_id(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v <= 0) return std::nullopt;
  return v;
}

std::string to_roman(int n) {
  static constexpr std::pair<int, const char*> kNumerals[] = {
      {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
      {40, "XL"},  {10, "X"},   {9, "IX"},  {5, "V"},    {4, "IV"},  {1, "I"}};
  std::string out;
  for (const auto& [value, text] : kNumerals) {
    while (n >= value) {
      out += text;
      n -= value;
    }
  }
  return out;
}

// A section as a number ("4") or a roman numeral ("IV", "iv"), in canonical form.
std::optional<int> parse_section(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  if (s.find_first_not_of("0123456789") == std::string_view::npos) {
    if (s.size() > 3) return std::nullopt;
    int n = 0;
    for (char c : s) n = n * 10 + (c - '0');
    return n > 0 ? std::optional<int>(n) : std::nullopt;
  }
  std::string upper;
  for (char c : s) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto value = [](char c) {
    switch (c) {
      case 'I':
        return 1;
      case 'V':
        return 5;
      case 'X':
        return 10;
      case 'L':
        return 50;
      case 'C':
        return 100;
      case 'D':
        return 500;
      case 'M':
        return 1000;
      default:
        return 0;
    }
  };
  int n = 0;
  for (std::size_t i = 0; i < upper.size(); ++i) {
    const int v = value(upper[i]);
    if (v == 0) return std::nullopt;
    const int next = i + 1 < upper.size() ? value(upper[i + 1]) : 0;
    n += v < next ? -v : v;
  }
  if (n <= 0 || n > 3999 || to_roman(n) != upper) return std::nullopt;
  return n;
}

// Cursors are opaque to clients: base64url (no padding) of "<kind>:<last id>".
constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode_cursor(char kind, std::int64_t id) {
  const std::string raw = std::string(1, kind) + ":" + std::to_string(id);
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : raw) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kBase64Url[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += kBase64Url[(acc << (6 - bits)) & 63];
  return out;
}

std::optional<std::int64_t> decode_cursor(char kind, std::string_view s) {
  if (s.empty() || s.size() > 40) return std::nullopt;
  std::string raw;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    const char* p = std::strchr(kBase64Url, c);
    if (c == '\0' || p == nullptr) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(p - kBase64Url);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      raw += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  if (raw.size() < 3 || raw[0] != kind || raw[1] != ':') return std::nullopt;
  return parse_id(std::string_view(raw).substr(2));
}

// Content-Type application/json, optionally with charset=utf-8.
bool is_json(std::string_view v) {
  auto semi = v.find(';');
  std::string_view type = v.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (!boost::beast::iequals(type, "application/json")) return false;
  if (semi == std::string_view::npos) return true;
  std::string rest;
  for (char c : v.substr(semi + 1)) {
    if (c != ' ' && c != '"')
      rest += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return rest.empty() || rest == "charset=utf-8";
}

void read_limit(const Query& q, std::int64_t& limit, std::vector<FieldError>& errors) {
  limit = kDefaultLimit;
  if (const std::string* v = q.get("limit")) {
    auto n = parse_id(*v);
    if (!n || *n > kMaxLimit) {
      errors.push_back({"?limit", "must be an integer from 1 to 500"});
    } else {
      limit = *n;
    }
  }
}

void read_cursor(const Query& q, char kind, std::optional<std::int64_t>& before,
                 std::vector<FieldError>& errors) {
  if (const std::string* v = q.get("cursor")) {
    before = decode_cursor(kind, *v);
    if (!before) errors.push_back({"?cursor", "is not a cursor this list gave out"});
  }
}

// --- rendering ----------------------------------------------------------------------------

json optional_json(const std::optional<std::string>& v) {
  return v ? json(*v) : json(nullptr);
}

json record_json(const store::ProposalRecord& p) {
  json articles = json::array();
  for (const domain::ArticleRef& a : p.articles) {
    articles.push_back({{"article", a.article}, {"paragraph", optional_json(a.paragraph)}});
  }
  return {{"id", std::to_string(p.id)},
          {"document", p.document},
          {"submitter",
           {{"type", p.submitter_type},
            {"name", optional_json(p.submitter_name)},
            {"region", optional_json(p.submitter_region)},
            {"has_identifier", p.identifier_hash.has_value()},
            {"identifier_hash", optional_json(p.identifier_hash)}}},
          {"channel", p.channel},
          {"language", optional_json(p.language)},
          {"kind", p.kind},
          {"articles", std::move(articles)},
          {"text", p.text},
          {"proposed_text", optional_json(p.proposed_text)},
          {"received_at", p.received_at},
          {"status", p.status},
          {"personal_data_purged_at", optional_json(p.personal_data_purged_at)}};
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

constexpr std::string_view kCsvColumns[] = {"id",
                                            "document",
                                            "submitter_type",
                                            "submitter_name",
                                            "submitter_region",
                                            "has_identifier",
                                            "identifier_hash",
                                            "channel",
                                            "language",
                                            "kind",
                                            "articles",
                                            "text",
                                            "proposed_text",
                                            "received_at",
                                            "status",
                                            "personal_data_purged_at"};

std::string csv_header() {
  std::string out;
  for (std::string_view c : kCsvColumns) {
    if (!out.empty()) out += ',';
    out += c;
  }
  out += "\r\n";
  return out;
}

void append_csv_record(const store::ProposalRecord& p, std::string& out) {
  std::string articles;
  for (const domain::ArticleRef& a : p.articles) {
    if (!articles.empty()) articles += ';';
    articles += a.article;
    if (a.paragraph) articles += ":" + *a.paragraph;
  }
  const std::string id = std::to_string(p.id);
  // Views of the record's own strings (no temporaries); absent values are empty fields.
  auto view = [](const std::optional<std::string>& v) {
    return v ? std::string_view(*v) : std::string_view();
  };
  const std::string_view fields[] = {id,
                                     p.document,
                                     p.submitter_type,
                                     view(p.submitter_name),
                                     view(p.submitter_region),
                                     p.identifier_hash ? "true" : "false",
                                     view(p.identifier_hash),
                                     p.channel,
                                     view(p.language),
                                     p.kind,
                                     articles,
                                     p.text,
                                     view(p.proposed_text),
                                     p.received_at,
                                     p.status,
                                     view(p.personal_data_purged_at)};
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) out += ',';
    first = false;
    append_csv_field(out, f);
  }
  out += "\r\n";
}

void append_jsonl_record(const store::ProposalRecord& p, std::string& out) {
  out += dump(record_json(p));
  out += '\n';
}

// The body of an export: pieces from the export's cursor.
class ExportBody final : public http::BodyStream {
 public:
  explicit ExportBody(std::shared_ptr<store::ExportStream> stream) : stream_(std::move(stream)) {}
  asio::awaitable<std::string> next() override { co_return co_await stream_->next(); }

 private:
  std::shared_ptr<store::ExportStream> stream_;
};

http::Response bad_query(const std::vector<FieldError>& errors) {
  return problem(bhttp::status::unprocessable_entity, "bad query parameters", errors);
}

}  // namespace

void append_csv_field(std::string& out, std::string_view field) {
  // A spreadsheet runs a cell starting with one of these as a formula; submitted text is not
  // to be run on an analyst's machine.
  const bool formula =
      !field.empty() && std::string_view("=+-@\t\r").find(field.front()) != std::string_view::npos;
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    if (formula) out += '\'';
    out += field;
    return;
  }
  out += '"';
  if (formula) out += '\'';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

StaffApi::StaffApi(const std::vector<domain::Document>& documents, store::StaffStore& store,
                   TokenCache& tokens, int retry_after_s)
    : store_(store), tokens_(tokens), retry_after_s_(retry_after_s) {
  for (const domain::Document& d : documents) {
    DocumentIndex& idx = documents_[d.slug];
    for (const domain::Article& a : d.articles) idx.articles.insert(a.id);
    for (const domain::Section& s : d.sections) idx.sections.emplace(s.number, s.roman);
  }
}

void StaffApi::read_query(const Query& q, const std::set<std::string, std::less<>>& extra,
                          store::ProposalQuery& out, std::vector<FieldError>& errors) const {
  errors.insert(errors.end(), q.errors.begin(), q.errors.end());
  std::set<std::string, std::less<>> allowed = kFilterParams;
  allowed.insert(kStaffFilterParams.begin(), kStaffFilterParams.end());
  allowed.insert(extra.begin(), extra.end());
  reject_unknown(q, allowed, errors);
  // The statistics filters, read the same way; but without `document` every document counts.
  stats::Filter f = parse_filter(q, std::string(), errors);
  out.submitter_type = f.submitter_type;
  out.channel = f.channel;
  out.language = f.language;
  out.region = f.region;
  out.from = f.from;
  out.to = f.to;
  const DocumentIndex* doc = nullptr;
  if (const std::string* slug = q.get("document")) {
    auto it = documents_.find(*slug);
    auto id = store_.document_ids().find(*slug);
    if (it == documents_.end() || id == store_.document_ids().end()) {
      errors.push_back({"?document", "no document " + *slug});
    } else {
      doc = &it->second;
      out.document_id = id->second;
    }
  }
  if (const std::string* article = q.get("article")) {
    bool known = false;
    if (doc != nullptr) {
      known = doc->articles.contains(*article);
    } else {
      for (const auto& [slug, d] : documents_) known = known || d.articles.contains(*article);
    }
    if (!known) {
      errors.push_back({"?article", (doc != nullptr ? "the document has no article "
                                                    : "no document has an article ") +
                                        *article});
    } else {
      out.article = *article;
    }
  }
  if (const std::string* section = q.get("section")) {
    std::optional<int> n = parse_section(*section);
    bool known = false;
    if (n && doc != nullptr) {
      known = doc->sections.contains(*n);
    } else if (n) {
      for (const auto& [slug, d] : documents_) known = known || d.sections.contains(*n);
    }
    if (!known) {
      errors.push_back({"?section",
                        "must be a section of the document, as a roman numeral (IV) "
                        "or a number (4)"});
    } else {
      out.section = n;
    }
  }
  if (const std::string* status = q.get("status")) {
    if (*status != "visible" && *status != "hidden") {
      errors.push_back({"?status", "must be one of: visible hidden"});
    } else {
      out.status = *status;
    }
  }
  if (const std::string* text = q.get("q")) {
    std::string t = domain::normalize_text(*text);
    if (t.empty() || domain::code_points(t) > kMaxSearchChars || domain::has_control_chars(t)) {
      errors.push_back({"?q", "must be 1 to 500 printable characters"});
    } else {
      out.text = std::move(t);
    }
  }
}

asio::awaitable<http::Response> StaffApi::list_proposals(const http::Request& req) {
  auto auth = authorize(tokens_, req, Role::analyst, retry_after_s_);
  if (auto* denied = std::get_if<http::Response>(&auth)) co_return std::move(*denied);
  Query q = parse_query(req.target());
  store::ProposalQuery pq;
  std::vector<FieldError> errors;
  read_query(q, {"cursor", "limit"}, pq, errors);
  std::int64_t limit = kDefaultLimit;
  read_limit(q, limit, errors);
  read_cursor(q, 'p', pq.before_id, errors);
  if (!errors.empty()) co_return bad_query(errors);
  // One more row than asked tells whether there is a next page.
  pq.limit = limit + 1;
  std::vector<store::ProposalRecord> rows = co_await store_.proposals(std::move(pq));
  json items = json::array();
  json next = nullptr;
  for (std::size_t i = 0; i < rows.size() && i < static_cast<std::size_t>(limit); ++i) {
    items.push_back(record_json(rows[i]));
  }
  if (rows.size() > static_cast<std::size_t>(limit)) next = encode_cursor('p', rows[limit - 1].id);
  co_return json_response(bhttp::status::ok,
                          {{"items", std::move(items)}, {"next_cursor", next}, {"limit", limit}});
}

asio::awaitable<http::Response> StaffApi::get_proposal(const http::Request& req, std::string id) {
  auto auth = authorize(tokens_, req, Role::analyst, retry_after_s_);
  if (auto* denied = std::get_if<http::Response>(&auth)) co_return std::move(*denied);
  Query q = parse_query(req.target());
  std::vector<FieldError> errors = q.errors;
  reject_unknown(q, {}, errors);
  if (!errors.empty()) co_return bad_query(errors);
  std::optional<std::int64_t> n = parse_id(id);
  if (!n) co_return problem(bhttp::status::not_found, "no proposal " + id.substr(0, 64));
  store::ProposalQuery pq;
  pq.id = n;
  pq.limit = 1;
  std::vector<store::ProposalRecord> rows = co_await store_.proposals(std::move(pq));
  if (rows.empty()) co_return problem(bhttp::status::not_found, "no proposal " + id);
  co_return json_response(bhttp::status::ok, record_json(rows.front()));
}

asio::awaitable<http::Response> StaffApi::export_proposals(const http::Request& req,
                                                           std::string format) {
  auto auth = authorize(tokens_, req, Role::analyst, retry_after_s_);
  if (auto* denied = std::get_if<http::Response>(&auth)) co_return std::move(*denied);
  Query q = parse_query(req.target());
  store::ProposalQuery pq;
  std::vector<FieldError> errors;
  read_query(q, {}, pq, errors);
  if (!errors.empty()) co_return bad_query(errors);
  const bool csv = format == "csv";
  std::string header = csv ? csv_header() : std::string();
  store::ExportFormatter formatter =
      csv ? store::ExportFormatter(append_csv_record) : store::ExportFormatter(append_jsonl_record);
  std::shared_ptr<store::ExportStream> stream =
      co_await store_.export_proposals(std::move(pq), std::move(header), std::move(formatter));
  http::Response res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type,
          csv ? "text/csv; charset=utf-8; header=present" : "application/x-ndjson; charset=utf-8");
  res.set(bhttp::field::content_disposition, csv ? "attachment; filename=\"proposals.csv\""
                                                 : "attachment; filename=\"proposals.jsonl\"");
  res.set(bhttp::field::cache_control, "no-store");
  res.stream = std::make_shared<ExportBody>(std::move(stream));
  const auto& who = std::get<Principal>(auth);
  ops::log("info", {{"event", "export_started"}, {"actor", who.name}, {"format", format}});
  co_return res;
}

asio::awaitable<http::Response> StaffApi::moderate(const http::Request& req, std::string id) {
  auto auth = authorize(tokens_, req, Role::moderator, retry_after_s_);
  if (auto* denied = std::get_if<http::Response>(&auth)) co_return std::move(*denied);
  const Principal who = std::get<Principal>(auth);
  std::optional<std::int64_t> n = parse_id(id);
  if (!n) co_return problem(bhttp::status::not_found, "no proposal " + id.substr(0, 64));
  auto ct = req.find(bhttp::field::content_type);
  if (ct == req.end() || !is_json(ct->value())) {
    co_return problem(bhttp::status::unsupported_media_type,
                      "the body must be application/json (UTF-8)");
  }
  ParsedJson parsed = parse_strict_json(req.body());
  if (!parsed.ok) co_return problem(bhttp::status::bad_request, parsed.error);
  const json& body = parsed.value;
  std::vector<FieldError> errors;
  std::string status;
  std::string reason;
  if (!body.is_object()) {
    errors.push_back({"", "must be an object with status and reason"});
  } else {
    for (const auto& [key, value] : body.items()) {
      if (key != "status" && key != "reason") {
        errors.push_back({"/" + pointer_token(key), "is not a known field"});
      }
    }
    auto s = body.find("status");
    if (s == body.end() || !s->is_string() ||
        (s->get<std::string>() != "visible" && s->get<std::string>() != "hidden")) {
      errors.push_back({"/status", "must be \"visible\" or \"hidden\""});
    } else {
      status = s->get<std::string>();
    }
    auto r = body.find("reason");
    if (r == body.end() || !r->is_string()) {
      errors.push_back({"/reason", "is required: a string of 1 to 1000 characters"});
    } else {
      reason = domain::normalize_text(r->get<std::string>());
      if (reason.empty() || domain::code_points(reason) > kMaxReasonChars) {
        errors.push_back({"/reason", "must be 1 to 1000 characters after trimming"});
      } else if (domain::has_control_chars(reason)) {
        errors.push_back({"/reason", "must not contain control characters"});
      }
    }
  }
  if (!errors.empty()) {
    co_return problem(bhttp::status::unprocessable_entity, "the moderation request is invalid",
                      errors);
  }
  std::string actor = who.name;
  store::ModerationResult m =
      co_await store_.moderate(*n, std::move(status), std::move(reason), std::move(actor));
  if (m.changed) {
    ops::log("info", {{"event", "moderation"},
                      {"actor", who.name},
                      {"proposal", *n},
                      {"from", m.from},
                      {"to", m.to},
                      {"audit_id", *m.audit_id}});
  }
  json out = {{"id", std::to_string(*n)},
              {"status", m.to},
              {"previous_status", m.from},
              {"changed", m.changed},
              {"audit_id", m.audit_id ? json(std::to_string(*m.audit_id)) : json(nullptr)},
              {"at", optional_json(m.at)}};
  co_return json_response(bhttp::status::ok, out);
}

asio::awaitable<http::Response> StaffApi::list_audit(const http::Request& req) {
  auto auth = authorize(tokens_, req, Role::admin, retry_after_s_);
  if (auto* denied = std::get_if<http::Response>(&auth)) co_return std::move(*denied);
  Query q = parse_query(req.target());
  std::vector<FieldError> errors = q.errors;
  reject_unknown(q, {"cursor", "limit", "proposal", "actor"}, errors);
  store::AuditQuery aq;
  read_limit(q, aq.limit, errors);
  read_cursor(q, 'a', aq.before_id, errors);
  if (const std::string* p = q.get("proposal")) {
    aq.proposal_id = parse_id(*p);
    if (!aq.proposal_id) errors.push_back({"?proposal", "must be a proposal id"});
  }
  if (const std::string* a = q.get("actor")) {
    if (a->empty() || a->size() > kMaxActorChars) {
      errors.push_back({"?actor", "must be a token name (1 to 64 characters)"});
    } else {
      aq.actor = *a;
    }
  }
  if (!errors.empty()) co_return bad_query(errors);
  const std::int64_t limit = aq.limit;
  aq.limit = limit + 1;
  std::vector<store::AuditEntry> rows = co_await store_.audit(std::move(aq));
  json items = json::array();
  for (std::size_t i = 0; i < rows.size() && i < static_cast<std::size_t>(limit); ++i) {
    const store::AuditEntry& e = rows[i];
    items.push_back({{"id", std::to_string(e.id)},
                     {"at", e.at},
                     {"actor", e.actor},
                     {"action", e.action},
                     {"proposal_id", std::to_string(e.proposal_id)},
                     {"from", e.from},
                     {"to", e.to},
                     {"reason", e.reason}});
  }
  json next = nullptr;
  if (rows.size() > static_cast<std::size_t>(limit)) next = encode_cursor('a', rows[limit - 1].id);
  co_return json_response(bhttp::status::ok,
                          {{"items", std::move(items)}, {"next_cursor", next}, {"limit", limit}});
}

}  // namespace usynys::api
