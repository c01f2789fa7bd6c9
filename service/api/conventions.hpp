// HTTP conventions applied by the router to every answer after its handler, so that no handler
// repeats them: revalidation (a weak ETag and 304) for the routes that ask for it, public
// revalidation for answers every client shares (statistics), gzip for
// clients that accept it, and CORS for the public GET endpoints from the configured origins.
#pragma once

#include <string>
#include <string_view>

#include "config/config.hpp"
#include "http/server.hpp"

namespace usynys::api {

struct Route;
enum class Cache;

class Conventions {
 public:
  explicit Conventions(config::Http cfg);

  // Applies every convention to `res`, the answer to `req` from `route` (nullptr when no route
  // matched the request).
  void apply(const http::Request& req, const Route* route, http::Response& res) const;

  // The answer to an OPTIONS request on a path a public GET route serves: 204, with the CORS
  // preflight headers when the request's Origin is allowed.
  http::Response preflight(const http::Request& req) const;

 private:
  bool allowed(std::string_view origin) const;
  void revalidate(const http::Request& req, Cache cache, http::Response& res) const;
  void compress(const http::Request& req, http::Response& res) const;

  config::Http cfg_;
};

// True when an Accept-Encoding value admits gzip: "gzip" or "*" with a q-value above 0, and gzip
// not refused by name.
bool accepts_gzip(std::string_view accept_encoding);

// True when an If-None-Match value names `tag` (weak comparison) or is "*".
bool none_match(std::string_view if_none_match, std::string_view tag);

// The weak entity tag of a body: W/"<24 hex digits of its SHA-256>".
std::string entity_tag(std::string_view body);

// `data` as one gzip member (RFC 1952).
std::string gzip(std::string_view data);

}  // namespace usynys::api
