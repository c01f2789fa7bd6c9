// The route table: one row per endpoint of the HTTP contract (service/api/openapi.json describes
// the same rows; a unit test keeps the two equal).
#include "api/handlers.hpp"
#include "api/router.hpp"

namespace usynys::api {
namespace {

using http::bhttp::verb;

constexpr std::optional<Role> kPublic = std::nullopt;
constexpr bool kLimited = true;
constexpr bool kUnlimited = false;  // operations: probes and scrapes are never throttled
constexpr Body kWhole = Body::whole;
constexpr Cache kRevalidate = Cache::revalidate;  // documents, the description, console files
constexpr Cache kShared = Cache::shared;          // statistics every visitor of a page reads

// clang-format off
constexpr Route kRoutes[] = {
    {verb::post, "/api/v1/proposals",                 kPublic,         kLimited,   proposals::submit},
    {verb::get,  "/api/v1/receipts/{receipt}",        kPublic,         kLimited,   receipts::get},
    {verb::get,  "/api/v1/proposals",                 Role::analyst,   kLimited,   staff_proposals::list},
    {verb::get,  "/api/v1/proposals/{id}",            Role::analyst,   kLimited,   staff_proposals::get},
    {verb::post, "/api/v1/proposals/{id}/moderation", Role::moderator, kLimited,   moderation::moderate},
    {verb::get,  "/api/v1/proposals/{id}/suggestions", Role::analyst,  kLimited,   tagging::suggestions},
    {verb::put,  "/api/v1/proposals/{id}/articles",   Role::coder,     kLimited,   tagging::set_articles},
    {verb::get,  "/api/v1/tagging/queue",             Role::coder,     kLimited,   tagging::queue},
    {verb::get,  "/api/v1/campaigns/{id}",            Role::analyst,   kLimited,   campaigns::get},
    {verb::post, "/api/v1/campaigns/{id}/moderation", Role::moderator, kLimited,   moderation::moderate_campaign},
    {verb::put,  "/api/v1/proposals/{id}/disposition", Role::moderator, kLimited,  dispositions::decide_proposal},
    {verb::put,  "/api/v1/campaigns/{id}/disposition", Role::moderator, kLimited,  dispositions::decide_campaign},
    {verb::get,  "/api/v1/export/proposals.csv",      Role::analyst,   kLimited,   exports::csv},
    {verb::get,  "/api/v1/export/proposals.jsonl",    Role::analyst,   kLimited,   exports::jsonl},
    {verb::get,  "/api/v1/audit",                     Role::admin,     kLimited,   audit::list},
    {verb::post, "/api/v1/imports",                   Role::admin,     kLimited,   imports::run, Body::streamed},
    {verb::get,  "/api/v1/stats/coverage",            kPublic,         kLimited,   statistics::coverage, kWhole, kShared},
    {verb::get,  "/api/v1/stats/articles",            kPublic,         kLimited,   statistics::articles, kWhole, kShared},
    {verb::get,  "/api/v1/stats/articles/{id}",       kPublic,         kLimited,   statistics::article},
    {verb::get,  "/api/v1/stats/sections",            kPublic,         kLimited,   statistics::sections, kWhole, kShared},
    {verb::get,  "/api/v1/stats/campaigns",           kPublic,         kLimited,   campaigns::stats},
    {verb::get,  "/api/v1/stats/dispositions",        kPublic,         kLimited,   dispositions::stats},
    {verb::get,  "/api/v1/stats/timeline",            kPublic,         kLimited,   statistics::timeline},
    {verb::get,  "/api/v1/documents",                 kPublic,         kLimited,   documents::list, kWhole, kRevalidate},
    {verb::get,  "/api/v1/documents/{slug}",          kPublic,         kLimited,   documents::get, kWhole, kRevalidate},
    {verb::get,  "/api/v1/documents/{slug}/map",      kPublic,         kLimited,   article_maps::get, kWhole, kRevalidate},
    {verb::put,  "/api/v1/documents/{slug}/map/{article}", Role::admin, kLimited,  article_maps::confirm},
    {verb::get,  "/api/v1/session",                   Role::analyst,   kLimited,   session::get},
    {verb::get,  "/console",                          kPublic,         kLimited,   console::redirect},
    {verb::get,  "/console/",                         kPublic,         kLimited,   console::index, kWhole, kRevalidate},
    {verb::get,  "/console/{file}",                   kPublic,         kLimited,   console::file, kWhole, kRevalidate},
    {verb::get,  "/api/v1/openapi.json",              kPublic,         kLimited,   operations::openapi, kWhole, kRevalidate},
    {verb::get,  "/healthz",                          kPublic,         kUnlimited, operations::healthz},
    {verb::get,  "/readyz",                           kPublic,         kUnlimited, operations::readyz},
    {verb::get,  "/metrics",                          kPublic,         kUnlimited, operations::metrics},
};
// clang-format on

}  // namespace

std::span<const Route> routes() {
  return kRoutes;
}

}  // namespace usynys::api
