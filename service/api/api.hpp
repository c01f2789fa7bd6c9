// The HTTP API: routes every request of ../API contract to its resource, renders answers and
// problem+json errors. One catch site per request.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/query.hpp"
#include "api/rate_limit.hpp"
#include "domain/document.hpp"
#include "domain/proposal.hpp"
#include "http/server.hpp"
#include "ops/metrics.hpp"
#include "store/intake.hpp"
#include "store/store.hpp"

namespace usynys::api {

class StaffApi;

struct ApiOptions {
  int retry_after_s = 2;
  RateLimitOptions rate_limit;
  StaffApi* staff = nullptr;  // staff resources (tokens); answered 503 when null
};

// A route as the router matches it: method and path pattern ("/api/v1/documents/{slug}").
struct RouteInfo {
  std::string method;
  std::string pattern;
};

class Api final : public http::Handler {
 public:
  // gauges: read at each /metrics scrape (connections and queues owned elsewhere).
  Api(std::vector<domain::Document> documents, std::string default_document, store::Store& store,
      store::Intake& intake, ops::Metrics& metrics, std::function<ops::Gauges()> gauges,
      ApiOptions options);

  boost::asio::awaitable<http::Response> handle(http::Request req, http::Context ctx) override;
  http::Response reject(http::bhttp::status status, const std::string& detail) override;

  // Every route served, for the API description's completeness check.
  static std::vector<RouteInfo> routes();

 private:
  using Params = std::map<std::string, std::string>;
  boost::asio::awaitable<http::Response> route(const http::Request& req, const http::Context& ctx,
                                               std::string& route_name);
  boost::asio::awaitable<http::Response> dispatch(const http::Request& req, const Params& params,
                                                  const std::string& route);

  // The staff routes (staff.hpp); nullopt for any other route.
  boost::asio::awaitable<std::optional<http::Response>> dispatch_staff(const http::Request& req,
                                                                       const Params& params,
                                                                       const std::string& route);
  boost::asio::awaitable<http::Response> post_proposal(const http::Request& req);
  boost::asio::awaitable<http::Response> stats_coverage(const http::Request& req);
  boost::asio::awaitable<http::Response> stats_articles(const http::Request& req);
  boost::asio::awaitable<http::Response> stats_article(const http::Request& req,
                                                       const std::string& id);
  boost::asio::awaitable<http::Response> stats_sections(const http::Request& req);
  boost::asio::awaitable<http::Response> stats_timeline(const http::Request& req);
  // Reads the statistics filters and `extra` parameters; a 422 answer when any is bad.
  std::optional<http::Response> read_filter(const Query& q,
                                            const std::set<std::string, std::less<>>& extra,
                                            stats::Filter& f, const domain::Document*& doc);
  http::Response list_documents(const http::Request& req);
  http::Response get_document(const http::Request& req, const std::string& slug);
  boost::asio::awaitable<http::Response> readyz();
  http::Response error_response(const domain::Error& e);

  const domain::Document* find_document(const std::string& slug) const;

  std::map<std::string, domain::Document> documents_;
  std::string default_document_;
  store::Store& store_;
  store::Intake& intake_;
  ops::Metrics& metrics_;
  std::function<ops::Gauges()> gauges_;
  ApiOptions options_;
  RateLimiter limiter_;
};

}  // namespace usynys::api
