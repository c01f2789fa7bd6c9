#include "api/auth.hpp"

#include <openssl/crypto.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>

#include "api/problem.hpp"
#include "ops/log.hpp"
#include "store/hash.hpp"

namespace usynys::api {

namespace asio = boost::asio;
namespace bhttp = http::bhttp;

std::optional<Role> parse_role(std::string_view name) {
  if (name == "analyst") return Role::analyst;
  if (name == "coder") return Role::coder;
  if (name == "moderator") return Role::moderator;
  if (name == "admin") return Role::admin;
  return std::nullopt;
}

const char* role_name(Role role) {
  switch (role) {
    case Role::analyst:
      return "analyst";
    case Role::coder:
      return "coder";
    case Role::moderator:
      return "moderator";
    case Role::admin:
      return "admin";
  }
  return "unknown";
}

TokenCache::TokenCache(store::StaffStore& store, const config::Staff& staff)
    : store_(store),
      refresh_(std::chrono::milliseconds(staff.token_refresh_ms)),
      max_age_(std::chrono::milliseconds(staff.token_max_age_ms)) {}

void TokenCache::load_now() {
  replace(store_.load_tokens_now());
}

void TokenCache::replace(const std::vector<store::TokenRecord>& tokens) {
  std::vector<Entry> fresh;
  for (const store::TokenRecord& t : tokens) {
    auto role = parse_role(t.role);
    if (!role || t.sha256.size() != 32) continue;  // the table's checks make this unreachable
    fresh.push_back({t.sha256, {t.name, *role}});
  }
  std::lock_guard lock(mutex_);
  entries_ = std::move(fresh);
  loaded_at_ = std::chrono::steady_clock::now();
  loaded_ = true;
}

void TokenCache::start(const asio::any_io_executor& ex) {
  TokenCache* self = this;
  asio::co_spawn(ex, refresh_loop(self), asio::detached);
}

asio::awaitable<void> TokenCache::refresh_loop(TokenCache* self) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  bool failing = false;
  for (;;) {
    // While the database does not answer, try again sooner: a cache that goes stale refuses
    // every token, and must not stay stale long after the database is back.
    timer.expires_after(failing ? std::min(self->refresh_, std::chrono::milliseconds(250))
                                : self->refresh_);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    try {
      std::vector<store::TokenRecord> tokens = co_await self->store_.active_tokens();
      self->replace(tokens);
      if (failing) ops::log("info", {{"event", "token_refresh_recovered"}});
      failing = false;
    } catch (const std::exception& e) {
      // Logged once per outage; the cache goes stale after max_age and then refuses tokens.
      if (!failing) ops::log("warn", {{"event", "token_refresh_failed"}, {"error", e.what()}});
      failing = true;
    }
  }
}

std::optional<Principal> TokenCache::find(std::string_view token) const {
  const std::string digest = store::sha256(token);
  std::lock_guard lock(mutex_);
  const Entry* found = nullptr;
  for (const Entry& e : entries_) {
    // No early exit: every entry is compared whatever matched before.
    const bool same = CRYPTO_memcmp(e.sha256.data(), digest.data(), digest.size()) == 0;
    if (same) found = &e;
  }
  if (found == nullptr) return std::nullopt;
  return found->principal;
}

bool TokenCache::fresh() const {
  std::lock_guard lock(mutex_);
  return loaded_ && std::chrono::steady_clock::now() - loaded_at_ <= max_age_;
}

namespace {

http::Response unauthorized(const std::string& detail, bool token_given) {
  http::Response res = problem(bhttp::status::unauthorized, detail);
  res.set(bhttp::field::www_authenticate, token_given
                                              ? "Bearer realm=\"usynys\", error=\"invalid_token\""
                                              : "Bearer realm=\"usynys\"");
  return res;
}

// The token of "Bearer <token>" (scheme case-insensitive), nullopt for anything else.
std::optional<std::string_view> bearer_token(std::string_view value) {
  constexpr std::string_view kScheme = "bearer";
  if (value.size() <= kScheme.size() ||
      !boost::beast::iequals(value.substr(0, kScheme.size()), kScheme) ||
      value[kScheme.size()] != ' ') {
    return std::nullopt;
  }
  std::string_view token = value.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty() || token.size() > 512) return std::nullopt;
  for (char c : token) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' ||
                    c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
    if (!ok) return std::nullopt;
  }
  return token;
}

}  // namespace

std::variant<Principal, http::Response> authorize(const TokenCache& tokens,
                                                  const http::Request& req, Role needed,
                                                  int retry_after_s) {
  auto header = req.find(bhttp::field::authorization);
  if (header == req.end()) {
    return unauthorized("this resource needs an Authorization: Bearer token", false);
  }
  std::optional<std::string_view> token = bearer_token(header->value());
  if (!token) return unauthorized("the Authorization header is not a Bearer token", true);
  if (!tokens.fresh()) {
    http::Response res =
        problem(bhttp::status::service_unavailable, "tokens cannot be checked now; retry later");
    res.set(bhttp::field::retry_after, std::to_string(retry_after_s));
    return res;
  }
  std::optional<Principal> who = tokens.find(*token);
  if (!who) return unauthorized("the token is unknown or revoked", true);
  if (static_cast<int>(who->role) < static_cast<int>(needed)) {
    return problem(bhttp::status::forbidden, std::string("this needs the ") + role_name(needed) +
                                                 " role; the token has " + role_name(who->role));
  }
  return *who;
}

}  // namespace usynys::api
