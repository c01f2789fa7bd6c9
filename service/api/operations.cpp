// Operations: liveness, readiness (the database answers), Prometheus metrics, and the API
// description.
#include "api/handlers.hpp"
#include "api/problem.hpp"
#include "usynys/openapi.hpp"

namespace usynys::api::operations {

namespace bhttp = http::bhttp;

Answer healthz(Services& /*s*/, Call& /*call*/) {
  co_return json_response(bhttp::status::ok, {{"status", "ok"}});
}

Answer readyz(Services& s, Call& /*call*/) {
  if (co_await s.store.ping()) co_return json_response(bhttp::status::ok, {{"status", "ready"}});
  http::Response res = problem(bhttp::status::service_unavailable, "the database does not answer");
  res.set(bhttp::field::retry_after, std::to_string(s.retry_after_s));
  co_return res;
}

Answer metrics(Services& s, Call& /*call*/) {
  http::Response res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  res.set(bhttp::field::cache_control, "no-store");
  ops::Gauges g = s.gauges();
  // One read of the database per scrape: whether it answers, and what waits for the folds.
  if (const auto backlog = co_await s.store.fold_backlog(ops::kBacklogCap)) {
    g.database_up = true;
    g.stats_backlog = backlog->stats;
    g.search_backlog = backlog->search;
  }
  res.body() = s.metrics.render(g);
  co_return res;
}

Answer openapi(Services& /*s*/, Call& /*call*/) {
  http::Response res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, "application/json");
  res.body() = std::string(embedded::openapi);
  co_return res;
}

}  // namespace usynys::api::operations
