// The route table is the router. Each row names a method, a path pattern ("{name}" matches one
// segment), who may call it, whether the rate limit applies, and the handler. For a request the
// router finds the rows of its path (none: 404), the one of its method (none: 405 with Allow),
// applies the rate limit (429), checks the bearer token the row asks for (401/403/503), decodes
// the path values and the query (422 for control characters or bad escapes), runs the handler,
// and renders any domain::Error as problem+json: the one catch site of a request. Then the HTTP
// conventions (conventions.hpp) apply to the answer. Adding an endpoint is one row in routes.cpp
// and its handler.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "api/auth.hpp"
#include "api/call.hpp"
#include "api/conventions.hpp"
#include "api/rate_limit.hpp"
#include "api/services.hpp"
#include "http/server.hpp"

namespace usynys::api {

using Handler = boost::asio::awaitable<http::Response> (*)(Services&, Call&);

// How the body of a request reaches its handler.
enum class Body {
  whole,     // read by the server first, within limits.body_bytes: request.body()
  streamed,  // read by the handler piece by piece, within limits.streamed_body_bytes
};

// How an answer may be stored by the client.
enum class Cache {
  none,        // as the handler says (JSON answers: no-store)
  revalidate,  // a weak ETag and Cache-Control: no-cache; If-None-Match answers 304
  shared,      // the same, public: one answer for every client (a CDN may keep it)
};

struct Route {
  http::bhttp::verb method;
  std::string_view pattern;
  std::optional<Role> role;  // the least role that may call it; nullopt: anyone, no token
  bool rate_limited;
  Handler handler;
  Body body = Body::whole;
  Cache cache = Cache::none;
};

// Every route served, in the order they are matched (routes.cpp).
std::span<const Route> routes();

class Router final : public http::Handler {
 public:
  // tokens: the staff tokens in force (routes with a role check against it).
  Router(Services& services, const TokenCache& tokens, const config::RateLimit& rate_limit,
         const config::Http& http);

  boost::asio::awaitable<http::Response> handle(http::Request req, http::Context ctx) override;
  http::Response reject(http::bhttp::status status, const std::string& detail) override;
  std::uint64_t streamed_body_limit(const http::Request& head) const override;

 private:
  // The answer of the route matching `req`; `matched` is set to that route (nullptr when no
  // route of the path serves the method) and `route_name` to its path's pattern ("unmatched"
  // when no route serves the path).
  boost::asio::awaitable<http::Response> route(const http::Request& req, const http::Context& ctx,
                                               const Route*& matched, std::string& route_name);
  http::Response error_response(const domain::Error& e);

  // The route of `method` on `path`, nullptr when none; `values` gets its raw path values and
  // `allow` every method served on the path.
  static const Route* find(http::bhttp::verb method, std::string_view path,
                           std::map<std::string, std::string, std::less<>>& values,
                           std::string& allow);

  Services& services_;
  const TokenCache& tokens_;
  RateLimiter limiter_;
  Conventions conventions_;
};

}  // namespace usynys::api
