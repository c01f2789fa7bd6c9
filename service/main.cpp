// usynys: wiring only. Reads the config, loads the documents into the database, serves HTTP
// until SIGINT/SIGTERM, then drains and exits 0.
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "api/api.hpp"
#include "api/auth.hpp"
#include "api/staff.hpp"
#include "config/config.hpp"
#include "http/server.hpp"
#include "ops/log.hpp"
#include "ops/metrics.hpp"
#include "store/folder.hpp"
#include "store/staff_store.hpp"
#include "store/store.hpp"

namespace {

int usage() {
  std::cerr << "usage: usynys [--config FILE]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace usynys;
  std::filesystem::path config_path = "config/usynys.json";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else {
      return usage();
    }
  }
  try {
    config::Config cfg = config::load(config_path);
    std::vector<domain::Document> docs = config::load_documents(cfg.documents);
    // libpq reads this for every connection it opens.
    ::setenv("PGCONNECT_TIMEOUT", std::to_string(cfg.database.connect_timeout_s).c_str(), 0);

    store::StoreOptions so{cfg.database.url, cfg.database.pool_size,
                           cfg.database.statement_timeout_ms, cfg.database.connect_timeout_s,
                           cfg.database.queue_timeout_ms};
    std::map<std::string, int> ids = store::sync_documents(so, docs);
    for (const auto& d : docs) {
      ops::log("info", {{"event", "document_loaded"},
                        {"slug", d.slug},
                        {"articles_in_force", d.articles_in_force()},
                        {"sections", d.sections.size()}});
    }
    const std::string identifier_key = config::identifier_key(cfg);
    if (const std::int64_t n = store::rekey_request_fingerprints(so, identifier_key); n > 0) {
      ops::log("info", {{"event", "request_fingerprints_rekeyed"}, {"proposals", n}});
    }
    store::Store store(so, ids);
    store::IntakeOptions io;
    io.url = cfg.database.url;
    io.writers = cfg.intake.writers;
    io.batch_max = cfg.intake.batch_max;
    io.queue_capacity = cfg.intake.queue_capacity;
    io.queue_timeout = std::chrono::milliseconds(cfg.intake.queue_timeout_ms);
    io.statement_timeout_ms = cfg.intake.statement_timeout_ms;
    ops::Metrics metrics;
    io.on_batch = [&metrics](std::size_t size, double seconds) { metrics.batch(size, seconds); };
    store::Intake intake(io, ids, identifier_key);
    store::FolderOptions fo;
    fo.url = cfg.database.url;
    fo.interval = std::chrono::milliseconds(cfg.intake.fold_interval_ms);
    fo.batch = cfg.intake.fold_batch;
    fo.stats_backlog = cfg.intake.stats_backlog;
    fo.search_backlog = cfg.intake.search_backlog;
    fo.intake_batches = [&intake] { return intake.stats().batches; };
    fo.on_fold = [&metrics](const std::string& fold, std::size_t n, double seconds) {
      metrics.fold(fold, n, seconds);
    };
    store::Folder folder(fo);

    store::StaffStoreOptions sso;
    sso.url = cfg.database.url;
    sso.pool_size = cfg.staff.pool_size;
    sso.statement_timeout_ms = cfg.staff.statement_timeout_ms;
    sso.queue_timeout_ms = cfg.database.queue_timeout_ms;
    sso.export_connections = cfg.staff.export_connections;
    sso.export_statement_timeout_ms = cfg.staff.export_statement_timeout_ms;
    sso.export_fetch_rows = cfg.staff.export_fetch_rows;
    sso.export_buffer_pieces = static_cast<std::size_t>(cfg.staff.export_buffer_pieces);
    sso.export_piece_bytes = static_cast<std::size_t>(cfg.staff.export_piece_bytes);
    store::StaffStore staff_store(sso, ids);
    api::TokenCache tokens(staff_store, std::chrono::milliseconds(cfg.staff.token_refresh_ms),
                           std::chrono::milliseconds(cfg.staff.token_max_age_ms));
    tokens.load_now();
    api::StaffApi staff(docs, staff_store, tokens, cfg.database.retry_after_s);

    api::ApiOptions ao;
    ao.retry_after_s = cfg.database.retry_after_s;
    ao.staff = &staff;
    ao.rate_limit.enabled = cfg.rate_limit.enabled;
    ao.rate_limit.per_second = cfg.rate_limit.per_second;
    ao.rate_limit.burst = cfg.rate_limit.burst;
    ao.rate_limit.exempt = {cfg.rate_limit.exempt.begin(), cfg.rate_limit.exempt.end()};
    ao.rate_limit.trusted_proxies = {cfg.rate_limit.trusted_proxies.begin(),
                                     cfg.rate_limit.trusted_proxies.end()};
    http::Server* server_ptr = nullptr;
    auto gauges = [&] {
      ops::Gauges g;
      if (server_ptr != nullptr) {
        g.open_connections = server_ptr->open_connections();
        g.requests_in_flight = server_ptr->requests_in_flight();
      }
      g.intake_queue = intake.queue_depth();
      g.read_queue = store.queue_depth();
      return g;
    };
    api::Api api(std::move(docs), cfg.documents.default_slug, store, intake, metrics, gauges, ao);

    const int io_threads =
        cfg.io_threads > 0 ? cfg.io_threads
                           : std::max(1, static_cast<int>(std::thread::hardware_concurrency() / 2));
    boost::asio::io_context ioc(io_threads);
    http::ServerOptions opts;
    opts.address = cfg.listen_address;
    opts.port = cfg.port;
    opts.body_bytes = cfg.limits.body_bytes;
    opts.header_bytes = cfg.limits.header_bytes;
    opts.read_timeout = std::chrono::milliseconds(cfg.limits.read_timeout_ms);
    opts.idle_timeout = std::chrono::milliseconds(cfg.limits.idle_timeout_ms);
    opts.write_timeout = std::chrono::milliseconds(cfg.limits.write_timeout_ms);
    opts.max_connections = cfg.limits.max_connections;
    http::Server server(ioc, api, opts);
    server_ptr = &server;
    server.start();
    tokens.start(ioc.get_executor());
    ops::log("info", {{"event", "listening"},
                      {"address", cfg.listen_address},
                      {"port", server.port()},
                      {"io_threads", io_threads}});
    std::cout << "usynys: listening on " << cfg.listen_address << ":" << server.port() << std::endl;

    // Shutdown: stop accepting, let requests in flight finish (bounded), then stop.
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    boost::asio::steady_timer deadline(ioc);
    boost::asio::steady_timer poll(ioc);
    const auto drain_timeout = std::chrono::milliseconds(cfg.limits.drain_timeout_ms);
    std::function<void()> wait_drained = [&] {
      if (server.requests_in_flight() == 0) {
        ioc.stop();
        return;
      }
      poll.expires_after(std::chrono::milliseconds(10));
      poll.async_wait([&](boost::system::error_code ec) {
        if (!ec) wait_drained();
      });
    };
    signals.async_wait([&](boost::system::error_code ec, int sig) {
      if (ec) return;
      ops::log(
          "info",
          {{"event", "shutdown"}, {"signal", sig}, {"in_flight", server.requests_in_flight()}});
      server.drain();
      deadline.expires_after(drain_timeout);
      deadline.async_wait([&](boost::system::error_code e) {
        if (!e) {
          ops::log("warn",
                   {{"event", "drain_timeout"}, {"in_flight", server.requests_in_flight()}});
          ioc.stop();
        }
      });
      wait_drained();
    });

    std::vector<std::thread> threads;
    for (int i = 1; i < io_threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    intake.stop();
    folder.stop();
    store.stop();
    staff_store.stop();
    ops::log("info", {{"event", "stopped"}});
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "usynys: " << e.what() << std::endl;
    return 1;
  }
}
