// What a handler gets: the request, the values of its route's path pattern, its query, and who
// sent it when the route needs a role. Built by the router; handlers run on the connection's
// strand and must not keep references past their coroutine.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/auth.hpp"
#include "api/query.hpp"
#include "http/server.hpp"

namespace usynys::api {

struct Call {
  const http::Request& request;
  const http::Context& context;
  std::map<std::string, std::string, std::less<>> path;  // {name} -> decoded value
  Query query;
  std::optional<Principal> principal;  // set on routes that need a role

  // The value of {name}; the router guarantees every name of the pattern is there.
  const std::string& path_value(std::string_view name) const { return path.find(name)->second; }
  // The token's holder; only on routes that need a role.
  const Principal& who() const { return *principal; }
};

}  // namespace usynys::api
