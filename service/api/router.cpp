#include "api/router.hpp"

#include <chrono>
#include <vector>

#include "api/problem.hpp"
#include "domain/text.hpp"
#include "ops/log.hpp"

namespace usynys::api {

namespace asio = boost::asio;
namespace bhttp = http::bhttp;
using domain::FieldError;

namespace {

// The next non-empty segment of `path` (consumed from it); empty when none is left.
std::string_view next_segment(std::string_view& path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  const auto slash = path.find('/');
  const std::string_view segment = path.substr(0, slash);
  path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  return segment;
}

// True when `path` has the shape of `pattern`; the raw (still encoded) values of its {names}
// go to `values` when given. A path ending in a slash matches only a pattern spelled the same.
// Allocates nothing unless it matches and values are asked for: it runs for every route of
// every request.
bool match(std::string_view pattern, std::string_view path,
           std::map<std::string, std::string, std::less<>>* values) {
  if (pattern.size() > 1 && pattern.back() == '/') {
    if (path != pattern) return false;
    if (values != nullptr) values->clear();
    return true;
  }
  if (path.size() > 1 && path.back() == '/') return false;
  std::string_view want = pattern;
  std::string_view got = path;
  for (;;) {
    const std::string_view w = next_segment(want);
    const std::string_view g = next_segment(got);
    if (w.empty() || g.empty()) {
      if (!w.empty() || !g.empty()) return false;
      break;
    }
    if (!w.starts_with('{') && w != g) return false;
  }
  if (values == nullptr) return true;
  values->clear();
  want = pattern;
  got = path;
  for (std::string_view w = next_segment(want); !w.empty(); w = next_segment(want)) {
    const std::string_view g = next_segment(got);
    if (w.starts_with('{')) values->emplace(std::string(w.substr(1, w.size() - 2)), std::string(g));
  }
  return true;
}

}  // namespace

Router::Router(Services& services, const TokenCache& tokens, const config::RateLimit& rate_limit,
               const config::Http& http)
    : services_(services), tokens_(tokens), limiter_(rate_limit), conventions_(http) {}

const Route* Router::find(bhttp::verb method, std::string_view path,
                          std::map<std::string, std::string, std::less<>>& values,
                          std::string& allow) {
  for (const Route& r : routes()) {
    if (!match(r.pattern, path, nullptr)) continue;
    if (method != r.method) {
      if (!allow.empty()) allow += ", ";
      allow += bhttp::to_string(r.method);
      continue;
    }
    match(r.pattern, path, &values);
    return &r;
  }
  return nullptr;
}

std::uint64_t Router::streamed_body_limit(const http::Request& head) const {
  const std::string_view target = head.target();
  std::map<std::string, std::string, std::less<>> values;
  std::string allow;
  const Route* r = find(head.method(), target.substr(0, target.find('?')), values, allow);
  return r != nullptr && r->body == Body::streamed ? services_.streamed_body_bytes : 0;
}

http::Response Router::reject(bhttp::status status, const std::string& detail) {
  services_.metrics.request("unread", "-", static_cast<int>(status), 0);
  return problem(status, detail);
}

http::Response Router::error_response(const domain::Error& e) {
  switch (e.kind()) {
    case domain::ErrorKind::invalid:
      return problem(bhttp::status::unprocessable_entity, e.what(), e.fields());
    case domain::ErrorKind::not_found:
      return problem(bhttp::status::not_found, e.what());
    case domain::ErrorKind::conflict:
      services_.metrics.proposals("conflict", 1);
      return problem(bhttp::status::conflict, e.what());
    case domain::ErrorKind::unavailable: {
      services_.metrics.database_error("unavailable");
      http::Response res =
          problem(bhttp::status::service_unavailable, std::string(e.what()) + "; retry later");
      res.set(bhttp::field::retry_after, std::to_string(services_.retry_after_s));
      return res;
    }
    case domain::ErrorKind::internal:
      break;
  }
  services_.metrics.database_error("internal");
  ops::log("error", {{"event", "internal_error"}, {"error", e.what()}});
  return problem(bhttp::status::internal_server_error, "internal error");
}

asio::awaitable<http::Response> Router::handle(http::Request req, http::Context ctx) {
  const auto started = std::chrono::steady_clock::now();
  std::string route_name = "unmatched";
  const Route* matched = nullptr;
  http::Response res = co_await route(req, ctx, matched, route_name);
  conventions_.apply(req, matched, res);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  services_.metrics.request(route_name, std::string(req.method_string()),
                            static_cast<int>(res.result_int()), seconds);
  co_return res;
}

asio::awaitable<http::Response> Router::route(const http::Request& req, const http::Context& ctx,
                                              const Route*& matched, std::string& route_name) {
  const std::string_view target = req.target();
  const std::string_view path = target.substr(0, target.find('?'));
  std::string allow;
  std::map<std::string, std::string, std::less<>> raw;
  const Route* found = find(req.method(), path, raw, allow);
  if (found != nullptr) {
    route_name = std::string(found->pattern);
  } else if (!allow.empty()) {
    for (const Route& r : routes()) {
      if (match(r.pattern, path, nullptr)) {
        route_name = std::string(r.pattern);
        break;
      }
    }
  }
  if (found == nullptr && req.method() == bhttp::verb::options) {
    // A CORS preflight for a public GET of this path.
    for (const Route& r : routes()) {
      if (r.method == bhttp::verb::get && !r.role && match(r.pattern, path, nullptr)) {
        co_return conventions_.preflight(req);
      }
    }
  }
  if (found == nullptr) {
    if (allow.empty()) {
      route_name = "unmatched";
      co_return problem(bhttp::status::not_found, "no such resource");
    }
    http::Response res =
        problem(bhttp::status::method_not_allowed,
                std::string(req.method_string()) + " is not allowed here; use " + allow);
    res.set(bhttp::field::allow, allow);
    co_return res;
  }
  matched = found;
  if (found->rate_limited) {
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
  Call call{req, ctx, {}, parse_query(target), std::nullopt};
  if (found->role) {
    auto auth = authorize(tokens_, req, *found->role, services_.retry_after_s);
    if (auto* denied = std::get_if<http::Response>(&auth)) co_return std::move(*denied);
    call.principal = std::get<Principal>(std::move(auth));
  }
  // Path values are percent-decoded like query values, and one line like them.
  std::vector<FieldError> path_errors;
  for (auto& [name, value] : raw) {
    std::optional<std::string> decoded = percent_decode(value, false);
    if (!decoded || domain::has_any_control_char(*decoded)) {
      path_errors.push_back(
          {"{" + name + "}", "must be percent-encoded UTF-8 without control characters"});
    } else {
      call.path.emplace(name, std::move(*decoded));
    }
  }
  if (!path_errors.empty()) {
    co_return problem(bhttp::status::unprocessable_entity, "bad path", path_errors);
  }
  try {
    co_return co_await found->handler(services_, call);
  } catch (const domain::Error& e) {
    co_return error_response(e);
  } catch (const http::BodyError& e) {
    co_return problem(e.status(), e.what());
  } catch (const std::exception& e) {
    ops::log("error", {{"event", "internal_error"}, {"id", ctx.request_id}, {"error", e.what()}});
    co_return problem(bhttp::status::internal_server_error, "internal error");
  }
}

}  // namespace usynys::api
