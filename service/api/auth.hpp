// Bearer tokens for staff: roles, the cache of tokens in force and the check of a request's
// Authorization header. Tokens are compared by SHA-256 digest, in constant time; a token is
// never logged or kept in clear.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "http/server.hpp"
#include "store/staff_store.hpp"

namespace usynys::api {

// Each role can do what the roles before it can: an analyst reads proposals and exports them, a
// coder also sets their article references, a moderator also changes their status, an admin
// also reads the audit log.
enum class Role { analyst = 1, coder = 2, moderator = 3, admin = 4 };

std::optional<Role> parse_role(std::string_view name);
const char* role_name(Role role);

struct Principal {
  std::string name;  // the token's name, as the audit log records it
  Role role = Role::analyst;
};

// The tokens in force, as last read from the database. The cache is replaced every `refresh`
// by a background coroutine (through the staff pool: no query on an io thread), so that a new
// or revoked token takes effect within `refresh` plus one query, without a restart. When the
// last successful read is older than `max_age` (the database does not answer), every token is
// refused with 503 rather than trusting a list that may hold revoked tokens.
class TokenCache {
 public:
  // Refreshes every staff.token_refresh_ms; stale after staff.token_max_age_ms.
  TokenCache(store::StaffStore& store, const config::Staff& staff);

  // Synchronous first read, for start-up. Throws std::runtime_error.
  void load_now();
  // Starts the refresh loop on `ex`; it ends when the io_context stops.
  void start(const boost::asio::any_io_executor& ex);

  // The holder of this bearer token, nullopt when no token in force matches. Every token in
  // force is compared (CRYPTO_memcmp of the digests), so the time taken says nothing about
  // which or how much matched. Thread-safe.
  std::optional<Principal> find(std::string_view token) const;
  // False when the last successful refresh is older than max_age.
  bool fresh() const;

 private:
  struct Entry {
    std::string sha256;  // 32 raw bytes
    Principal principal;
  };
  static boost::asio::awaitable<void> refresh_loop(TokenCache* self);
  void replace(const std::vector<store::TokenRecord>& tokens);

  store::StaffStore& store_;
  std::chrono::milliseconds refresh_;
  std::chrono::milliseconds max_age_;
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
  std::chrono::steady_clock::time_point loaded_at_{};
  bool loaded_ = false;
};

// Checks the request's "Authorization: Bearer <token>" against the cache: the principal when it
// holds at least `needed`, else the answer to send: 401 (with WWW-Authenticate: Bearer) for a
// missing or unknown token, 403 for a role below `needed`, 503 when the cache is stale.
std::variant<Principal, http::Response> authorize(const TokenCache& tokens,
                                                  const http::Request& req, Role needed,
                                                  int retry_after_s);

}  // namespace usynys::api
