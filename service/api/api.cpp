#include "api/api.hpp"

#include <boost/beast/core/string.hpp>

#include "api/json_body.hpp"
#include "api/problem.hpp"
#include "api/proposal_dto.hpp"
#include "api/query.hpp"
#include "api/staff.hpp"
#include "domain/text.hpp"
#include "ops/log.hpp"
#include "stats/coverage.hpp"
#include "usynys/openapi.hpp"

namespace usynys::api {

namespace asio = boost::asio;
namespace bhttp = http::bhttp;
using domain::FieldError;
using nlohmann::json;

namespace {

struct Route {
  bhttp::verb method;
  const char* pattern;
};

// The routing table. Route names are their patterns.
constexpr Route kRoutes[] = {
    {bhttp::verb::post, "/api/v1/proposals"},
    {bhttp::verb::get, "/api/v1/proposals"},
    {bhttp::verb::get, "/api/v1/proposals/{id}"},
    {bhttp::verb::post, "/api/v1/proposals/{id}/moderation"},
    {bhttp::verb::get, "/api/v1/export/proposals.csv"},
    {bhttp::verb::get, "/api/v1/export/proposals.jsonl"},
    {bhttp::verb::get, "/api/v1/audit"},
    {bhttp::verb::get, "/api/v1/stats/coverage"},
    {bhttp::verb::get, "/api/v1/stats/articles"},
    {bhttp::verb::get, "/api/v1/stats/articles/{id}"},
    {bhttp::verb::get, "/api/v1/stats/sections"},
    {bhttp::verb::get, "/api/v1/stats/timeline"},
    {bhttp::verb::get, "/api/v1/documents"},
    {bhttp::verb::get, "/api/v1/documents/{slug}"},
    {bhttp::verb::get, "/api/v1/openapi.json"},
    {bhttp::verb::get, "/healthz"},
    {bhttp::verb::get, "/readyz"},
    {bhttp::verb::get, "/metrics"},
};

// Operations endpoints are never rate limited.
bool is_operations_route(std::string_view route) {
  return route == "/healthz" || route == "/readyz" || route == "/metrics";
}

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  return out;
}

bool match(std::string_view pattern, std::string_view path,
           std::map<std::string, std::string>& params) {
  auto want = segments(pattern);
  auto got = segments(path);
  if (want.size() != got.size() || (path.size() > 1 && path.back() == '/')) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i].starts_with('{')) {
      found.emplace(std::string(want[i].substr(1, want[i].size() - 2)), std::string(got[i]));
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

// Content-Type must be application/json, optionally with charset=utf-8.
bool is_json_content_type(std::string_view v) {
  auto semi = v.find(';');
  std::string_view type = v.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (!boost::beast::iequals(type, "application/json")) return false;
  if (semi == std::string_view::npos) return true;
  std::string params(v.substr(semi + 1));
  std::string lower;
  for (char c : params) {
    if (c != ' ' && c != '"')
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower.empty() || lower == "charset=utf-8";
}

// 1 to 200 printable ASCII characters.
bool valid_idempotency_key(std::string_view k) {
  if (k.empty() || k.size() > 200) return false;
  for (char c : k) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

json article_counts_json(const domain::Article& a, const domain::Document& doc) {
  json by_type = json::object();
  for (std::string_view t : domain::kSubmitterTypes) by_type[std::string(t)] = 0;
  const domain::Section* s = doc.find_section(a.section);
  return {
      {"article", a.id},        {"section", s != nullptr ? s->roman : std::to_string(a.section)},
      {"repealed", a.repealed}, {"chars", a.chars},
      {"proposals", 0},         {"by_submitter_type", by_type},
      {"first_at", nullptr},    {"last_at", nullptr}};
}

}  // namespace

Api::Api(std::vector<domain::Document> documents, std::string default_document, store::Store& store,
         store::Intake& intake, ops::Metrics& metrics, std::function<ops::Gauges()> gauges,
         ApiOptions options)
    : default_document_(std::move(default_document)),
      store_(store),
      intake_(intake),
      metrics_(metrics),
      gauges_(std::move(gauges)),
      options_(options),
      limiter_(options_.rate_limit) {
  for (auto& d : documents) {
    std::string slug = d.slug;
    documents_.emplace(slug, std::move(d));
  }
}

std::vector<RouteInfo> Api::routes() {
  std::vector<RouteInfo> out;
  for (const Route& r : kRoutes)
    out.push_back({std::string(bhttp::to_string(r.method)), r.pattern});
  return out;
}

http::Response Api::reject(bhttp::status status, const std::string& detail) {
  metrics_.request("unread", "-", static_cast<int>(status), 0);
  return problem(status, detail);
}

const domain::Document* Api::find_document(const std::string& slug) const {
  auto it = documents_.find(slug);
  return it == documents_.end() ? nullptr : &it->second;
}

http::Response Api::error_response(const domain::Error& e) {
  switch (e.kind()) {
    case domain::ErrorKind::invalid:
      return problem(bhttp::status::unprocessable_entity, e.what(), e.fields());
    case domain::ErrorKind::not_found:
      return problem(bhttp::status::not_found, e.what());
    case domain::ErrorKind::conflict:
      metrics_.proposals("conflict", 1);
      return problem(bhttp::status::conflict, e.what());
    case domain::ErrorKind::unavailable: {
      metrics_.database_error("unavailable");
      http::Response res =
          problem(bhttp::status::service_unavailable, std::string(e.what()) + "; retry later");
      res.set(bhttp::field::retry_after, std::to_string(options_.retry_after_s));
      return res;
    }
    case domain::ErrorKind::internal:
      break;
  }
  metrics_.database_error("internal");
  ops::log("error", {{"event", "internal_error"}, {"error", e.what()}});
  return problem(bhttp::status::internal_server_error, "internal error");
}

asio::awaitable<http::Response> Api::handle(http::Request req, http::Context ctx) {
  const auto started = std::chrono::steady_clock::now();
  std::string route_name = "unmatched";
  http::Response res = co_await route(req, ctx, route_name);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.request(route_name, std::string(req.method_string()), res.result_int(), seconds);
  co_return res;
}

asio::awaitable<http::Response> Api::route(const http::Request& req, const http::Context& ctx,
                                           std::string& route_name) {
  const std::string_view target = req.target();
  const std::string_view path = target.substr(0, target.find('?'));
  std::string allow;
  try {
    for (const Route& r : kRoutes) {
      Params params;
      if (!match(r.pattern, path, params)) continue;
      route_name = r.pattern;
      if (req.method() != r.method) {
        if (!allow.empty()) allow += ", ";
        allow += bhttp::to_string(r.method);
        continue;
      }
      if (!is_operations_route(route_name)) {
        auto fwd = req.find("X-Forwarded-For");
        const std::string client = limiter_.client_address(
            ctx.peer, fwd == req.end() ? std::string_view() : std::string_view(fwd->value()));
        int retry_after = 1;
        if (!limiter_.allow(client, retry_after)) {
          http::Response res = problem(bhttp::status::too_many_requests,
                                       "too many requests from this address; slow down");
          res.set(bhttp::field::retry_after, std::to_string(retry_after));
          co_return res;
        }
      }
      // Path values are percent-decoded like query values, and one line like them.
      std::vector<FieldError> path_errors;
      for (auto& [param, value] : params) {
        std::optional<std::string> decoded = percent_decode(value, false);
        if (!decoded || domain::has_any_control_char(*decoded)) {
          path_errors.push_back(
              {"{" + param + "}", "must be percent-encoded UTF-8 without control characters"});
        } else {
          value = std::move(*decoded);
        }
      }
      if (!path_errors.empty()) {
        co_return problem(bhttp::status::unprocessable_entity, "bad path", path_errors);
      }
      const std::string name = route_name;
      co_return co_await dispatch(req, params, name);
    }
  } catch (const domain::Error& e) {
    co_return error_response(e);
  } catch (const std::exception& e) {
    ops::log("error", {{"event", "internal_error"}, {"id", ctx.request_id}, {"error", e.what()}});
    co_return problem(bhttp::status::internal_server_error, "internal error");
  }
  if (!allow.empty()) {
    http::Response res =
        problem(bhttp::status::method_not_allowed,
                std::string(req.method_string()) + " is not allowed here; use " + allow);
    res.set(bhttp::field::allow, allow);
    co_return res;
  }
  route_name = "unmatched";
  co_return problem(bhttp::status::not_found, "no such resource");
}

asio::awaitable<std::optional<http::Response>> Api::dispatch_staff(const http::Request& req,
                                                                   const Params& params,
                                                                   const std::string& route) {
  const bool staff_route = route == "/api/v1/proposals" || route == "/api/v1/proposals/{id}" ||
                           route == "/api/v1/proposals/{id}/moderation" ||
                           route.starts_with("/api/v1/export/") || route == "/api/v1/audit";
  if (!staff_route) co_return std::nullopt;
  if (options_.staff == nullptr) {
    co_return problem(bhttp::status::service_unavailable, "staff access is not configured");
  }
  StaffApi& staff = *options_.staff;
  if (route == "/api/v1/proposals") co_return co_await staff.list_proposals(req);
  if (route == "/api/v1/audit") co_return co_await staff.list_audit(req);
  if (route == "/api/v1/export/proposals.csv") {
    std::string format = "csv";
    co_return co_await staff.export_proposals(req, std::move(format));
  }
  if (route == "/api/v1/export/proposals.jsonl") {
    std::string format = "jsonl";
    co_return co_await staff.export_proposals(req, std::move(format));
  }
  std::string id = params.at("id");
  if (route == "/api/v1/proposals/{id}") co_return co_await staff.get_proposal(req, std::move(id));
  co_return co_await staff.moderate(req, std::move(id));
}

asio::awaitable<http::Response> Api::dispatch(const http::Request& req, const Params& params,
                                              const std::string& route) {
  if (route == "/api/v1/proposals" && req.method() == bhttp::verb::post) {
    co_return co_await post_proposal(req);
  }
  if (auto res = co_await dispatch_staff(req, params, route)) co_return std::move(*res);
  if (route == "/api/v1/stats/coverage") co_return co_await stats_coverage(req);
  if (route == "/api/v1/stats/articles") co_return co_await stats_articles(req);
  if (route == "/api/v1/stats/articles/{id}") {
    const std::string id = params.at("id");
    co_return co_await stats_article(req, id);
  }
  if (route == "/api/v1/stats/sections") co_return co_await stats_sections(req);
  if (route == "/api/v1/stats/timeline") co_return co_await stats_timeline(req);
  if (route == "/api/v1/documents") co_return list_documents(req);
  if (route == "/api/v1/documents/{slug}") co_return get_document(req, params.at("slug"));
  if (route == "/api/v1/openapi.json") {
    http::Response res{bhttp::status::ok, 11};
    res.set(bhttp::field::content_type, "application/json");
    res.body() = std::string(embedded::openapi);
    co_return res;
  }
  if (route == "/healthz") co_return json_response(bhttp::status::ok, {{"status", "ok"}});
  if (route == "/readyz") co_return co_await readyz();
  if (route == "/metrics") {
    http::Response res{bhttp::status::ok, 11};
    res.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    res.set(bhttp::field::cache_control, "no-store");
    res.body() = metrics_.render(gauges_());
    co_return res;
  }
  co_return problem(bhttp::status::not_found, "no such resource");
}

asio::awaitable<http::Response> Api::post_proposal(const http::Request& req) {
  auto ct = req.find(bhttp::field::content_type);
  if (ct == req.end() || !is_json_content_type(ct->value())) {
    co_return problem(bhttp::status::unsupported_media_type,
                      "the body must be application/json (UTF-8)");
  }
  std::optional<std::string> key;
  if (auto k = req.find("Idempotency-Key"); k != req.end()) {
    if (!valid_idempotency_key(k->value())) {
      co_return problem(bhttp::status::bad_request,
                        "Idempotency-Key must be 1 to 200 printable ASCII characters");
    }
    key = std::string(k->value());
  }
  ParsedJson parsed = parse_strict_json(req.body());
  if (!parsed.ok) co_return problem(bhttp::status::bad_request, parsed.error);

  std::vector<FieldError> errors;
  domain::ProposalInput in = map_proposal(parsed.value, errors);
  const std::string slug = in.document.value_or(default_document_);
  const domain::Document* doc = find_document(slug);
  domain::ValidProposal valid;
  if (doc == nullptr) {
    errors.push_back({"/document", "no document " + slug});
  } else if (parsed.value.is_object()) {
    // Rule checks; a field whose shape was already wrong is not reported twice, nor is a rule
    // of its parent that only broke because the field could not be mapped (an array left
    // empty by entries of the wrong type).
    for (FieldError& e : domain::validate(in, *doc, valid)) {
      bool known = false;
      for (const FieldError& m : errors) {
        known = known || e.field == m.field || e.field.starts_with(m.field + "/") ||
                m.field.starts_with(e.field + "/");
      }
      if (!known) errors.push_back(std::move(e));
    }
  }
  if (!errors.empty()) {
    co_return problem(bhttp::status::unprocessable_entity,
                      "the proposal breaks " + std::to_string(errors.size()) +
                          (errors.size() == 1 ? " rule" : " rules"),
                      errors);
  }
  // The fingerprint of a request is its canonical JSON: same content, same fingerprint. Only
  // an idempotency key needs one.
  std::string fingerprint = key ? parsed.value.dump() : std::string();
  domain::StoredProposal stored =
      co_await intake_.submit(std::move(valid), std::move(key), std::move(fingerprint));
  http::Response res = json_response(bhttp::status::created, stored_proposal_json(stored));
  res.set(bhttp::field::location, "/api/v1/proposals/" + std::to_string(stored.id));
  if (stored.replayed) res.set("Idempotent-Replayed", "true");
  metrics_.proposals(stored.replayed ? "replayed" : "stored", 1);
  co_return res;
}

std::optional<http::Response> Api::read_filter(const Query& q,
                                               const std::set<std::string, std::less<>>& extra,
                                               stats::Filter& f, const domain::Document*& doc) {
  std::vector<FieldError> errors = q.errors;
  std::set<std::string, std::less<>> allowed = kFilterParams;
  allowed.insert(extra.begin(), extra.end());
  reject_unknown(q, allowed, errors);
  f = parse_filter(q, default_document_, errors);
  doc = find_document(f.document);
  if (doc == nullptr) errors.push_back({"?document", "no document " + f.document});
  if (errors.empty()) return std::nullopt;
  return problem(bhttp::status::unprocessable_entity, "bad query parameters", errors);
}

asio::awaitable<http::Response> Api::stats_coverage(const http::Request& req) {
  stats::Filter f;
  const domain::Document* doc = nullptr;
  if (auto bad = read_filter(parse_query(req.target()), {}, f, doc)) co_return std::move(*bad);
  store::ArticleCounts counts = co_await store_.article_counts(f);
  std::set<std::string> touched;
  for (const auto& row : counts.rows) touched.insert(row.article);
  stats::Coverage c = stats::compute_coverage(*doc, touched, counts.proposals);
  co_return json_response(bhttp::status::ok, {{"document", doc->slug},
                                              {"proposals", c.proposals},
                                              {"articles_total", c.articles_total},
                                              {"articles_touched", c.articles_touched},
                                              {"articles_share", c.articles_share},
                                              {"sections_total", c.sections_total},
                                              {"sections_touched", c.sections_touched},
                                              {"sections_share", c.sections_share},
                                              {"content_chars_total", c.content_chars_total},
                                              {"content_chars_touched", c.content_chars_touched},
                                              {"content_share", c.content_share},
                                              {"untouched_articles", c.untouched_articles}});
}

asio::awaitable<http::Response> Api::stats_articles(const http::Request& req) {
  stats::Filter f;
  const domain::Document* doc = nullptr;
  if (auto bad = read_filter(parse_query(req.target()), {}, f, doc)) co_return std::move(*bad);
  store::ArticleCounts counts = co_await store_.article_counts(f);
  std::map<std::string, json, std::less<>> by_article;
  for (const domain::Article& a : doc->articles)
    by_article.emplace(a.id, article_counts_json(a, *doc));
  for (const auto& row : counts.rows) {
    auto it = by_article.find(row.article);
    if (it == by_article.end()) continue;
    json& j = it->second;
    j["proposals"] = j["proposals"].get<std::int64_t>() + row.proposals;
    j["by_submitter_type"][row.submitter_type] = row.proposals;
    if (j["first_at"].is_null() || row.first_at < j["first_at"].get<std::string>())
      j["first_at"] = row.first_at;
    if (j["last_at"].is_null() || row.last_at > j["last_at"].get<std::string>())
      j["last_at"] = row.last_at;
  }
  json list = json::array();
  for (const domain::Article& a : doc->articles) list.push_back(std::move(by_article[a.id]));
  co_return json_response(bhttp::status::ok,
                          {{"document", doc->slug}, {"articles", std::move(list)}});
}

asio::awaitable<http::Response> Api::stats_article(const http::Request& req,
                                                   const std::string& id) {
  stats::Filter f;
  const domain::Document* doc = nullptr;
  if (auto bad = read_filter(parse_query(req.target()), {}, f, doc)) co_return std::move(*bad);
  const domain::Article* a = doc->find(id);
  if (a == nullptr)
    co_return problem(bhttp::status::not_found, "document " + doc->slug + " has no article " + id);
  const std::string article = a->id;
  store::ArticleDetail d = co_await store_.article_detail(f, article);
  json out = article_counts_json(*a, *doc);
  out["document"] = doc->slug;
  out["proposals"] = d.proposals;
  out["distinct_submitters"] = d.distinct_submitters;
  if (!d.first_at.empty()) out["first_at"] = d.first_at;
  if (!d.last_at.empty()) out["last_at"] = d.last_at;
  for (const char* dim : {"submitter_type", "channel", "language", "region", "kind", "day"}) {
    json by = dim == std::string_view("submitter_type") ? out["by_submitter_type"] : json::object();
    for (const auto& [key, n] : d.by[dim]) {
      json& slot = by[key.empty() ? std::string(domain::kNoRegion) : key];
      slot = (slot.is_number() ? slot.get<std::int64_t>() : 0) + n;
    }
    out[std::string("by_") + dim] = std::move(by);
  }
  co_return json_response(bhttp::status::ok, out);
}

asio::awaitable<http::Response> Api::stats_sections(const http::Request& req) {
  stats::Filter f;
  const domain::Document* doc = nullptr;
  if (auto bad = read_filter(parse_query(req.target()), {}, f, doc)) co_return std::move(*bad);
  store::SectionStats stats = co_await store_.section_stats(f);
  const store::ArticleCounts& counts = stats.articles;
  const std::vector<store::SectionCount>& sections = stats.sections;
  std::set<std::string> touched;
  for (const auto& row : counts.rows) touched.insert(row.article);
  json list = json::array();
  for (const domain::Section& s : doc->sections) {
    int total = 0;
    int hit = 0;
    std::int64_t chars_total = 0;
    std::int64_t chars_hit = 0;
    for (const domain::Article& a : doc->articles) {
      if (a.section != s.number || a.repealed) continue;
      ++total;
      chars_total += a.chars;
      if (touched.contains(a.id)) {
        ++hit;
        chars_hit += a.chars;
      }
    }
    std::int64_t proposals = 0;
    for (const auto& sc : sections) {
      if (sc.section == s.number) proposals = sc.proposals;
    }
    list.push_back({{"section", s.roman},
                    {"number", s.number},
                    {"title", s.title},
                    {"articles_total", total},
                    {"articles_touched", hit},
                    {"proposals", proposals},
                    {"content_chars_total", chars_total},
                    {"content_chars_touched", chars_hit},
                    {"content_share", chars_total == 0 ? 0.0
                                                       : static_cast<double>(chars_hit) /
                                                             static_cast<double>(chars_total)}});
  }
  co_return json_response(bhttp::status::ok,
                          {{"document", doc->slug}, {"sections", std::move(list)}});
}

asio::awaitable<http::Response> Api::stats_timeline(const http::Request& req) {
  Query q = parse_query(req.target());
  stats::Filter f;
  const domain::Document* doc = nullptr;
  if (auto bad = read_filter(q, {"bucket"}, f, doc)) co_return std::move(*bad);
  std::string bucket = "day";
  if (const std::string* b = q.get("bucket")) {
    if (*b != "day" && *b != "week") {
      co_return problem(bhttp::status::unprocessable_entity, "bad query parameters",
                        {{"?bucket", "must be day or week"}});
    }
    bucket = *b;
  }
  store::TimelineCounts t = co_await store_.timeline(f, bucket);
  // An article is new in the first bucket in which it is referenced.
  std::map<std::string, std::vector<std::string>> fresh;
  std::set<std::string> seen;
  for (const auto& [when, article] : t.article_buckets) {
    if (seen.insert(article).second) fresh[when].push_back(article);
  }
  std::set<std::string> buckets;
  for (const auto& [when, n] : t.proposals) buckets.insert(when);
  for (const auto& [when, ids] : fresh) buckets.insert(when);
  std::set<std::string> touched;
  json list = json::array();
  for (const std::string& when : buckets) {
    std::vector<std::string>& ids = fresh[when];
    touched.insert(ids.begin(), ids.end());
    stats::Coverage c = stats::compute_coverage(*doc, touched, 0);
    // Document order for the new articles.
    std::vector<std::string> ordered;
    for (const domain::Article& a : doc->articles) {
      if (std::find(ids.begin(), ids.end(), a.id) != ids.end()) ordered.push_back(a.id);
    }
    list.push_back({{"bucket", when},
                    {"proposals", t.proposals[when]},
                    {"articles_new", ordered.size()},
                    {"new_articles", ordered},
                    {"articles_touched", c.articles_touched},
                    {"articles_share", c.articles_share},
                    {"sections_touched", c.sections_touched},
                    {"content_share", c.content_share}});
  }
  co_return json_response(
      bhttp::status::ok,
      {{"document", doc->slug}, {"bucket", bucket}, {"timeline", std::move(list)}});
}

http::Response Api::list_documents(const http::Request& req) {
  Query q = parse_query(req.target());
  std::vector<FieldError> errors = q.errors;
  reject_unknown(q, {}, errors);
  if (!errors.empty())
    return problem(bhttp::status::unprocessable_entity, "bad query parameters", errors);
  json list = json::array();
  for (const auto& [slug, d] : documents_) {
    list.push_back({{"slug", d.slug},
                    {"title", d.title},
                    {"version", d.version},
                    {"language", d.language},
                    {"articles_total", d.articles_in_force()},
                    {"sections_total", d.sections_in_force()},
                    {"content_chars_total", d.chars_in_force()},
                    {"default", d.slug == default_document_}});
  }
  return json_response(bhttp::status::ok, {{"documents", std::move(list)}});
}

http::Response Api::get_document(const http::Request& req, const std::string& slug) {
  Query q = parse_query(req.target());
  std::vector<FieldError> errors = q.errors;
  reject_unknown(q, {"text"}, errors);
  const std::string* text = q.get("text");
  if (text != nullptr && *text != "0" && *text != "1")
    errors.push_back({"?text", "must be 0 or 1"});
  if (!errors.empty())
    return problem(bhttp::status::unprocessable_entity, "bad query parameters", errors);
  const domain::Document* d = find_document(slug);
  if (d == nullptr) return problem(bhttp::status::not_found, "no document " + slug);
  const bool with_text = text != nullptr && *text == "1";
  json sections = json::array();
  for (const domain::Section& s : d->sections) {
    json articles = json::array();
    for (const domain::Article& a : d->articles) {
      if (a.section != s.number) continue;
      json j = {{"id", a.id},
                {"section", s.roman},
                {"paragraph_labels", a.paragraph_labels},
                {"chars", a.chars},
                {"repealed", a.repealed}};
      if (with_text) j["text"] = a.text;
      articles.push_back(std::move(j));
    }
    sections.push_back({{"section", s.roman},
                        {"number", s.number},
                        {"title", s.title},
                        {"articles", std::move(articles)}});
  }
  return json_response(bhttp::status::ok, {{"slug", d->slug},
                                           {"title", d->title},
                                           {"version", d->version},
                                           {"language", d->language},
                                           {"articles_total", d->articles_in_force()},
                                           {"sections_total", d->sections_in_force()},
                                           {"content_chars_total", d->chars_in_force()},
                                           {"default", d->slug == default_document_},
                                           {"sections", std::move(sections)}});
}

asio::awaitable<http::Response> Api::readyz() {
  if (co_await store_.ping()) co_return json_response(bhttp::status::ok, {{"status", "ready"}});
  http::Response res = problem(bhttp::status::service_unavailable, "the database does not answer");
  res.set(bhttp::field::retry_after, std::to_string(options_.retry_after_s));
  co_return res;
}

}  // namespace usynys::api
