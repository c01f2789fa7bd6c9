// usynys: wiring only. Reads the config, loads the documents into the database, builds the
// stores and the router, serves HTTP until SIGINT/SIGTERM, then drains and exits 0.
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/auth.hpp"
#include "api/router.hpp"
#include "cli/campaigns_command.hpp"
#include "cli/check_config_command.hpp"
#include "cli/import_command.hpp"
#include "cli/map_command.hpp"
#include "cli/suggest_command.hpp"
#include "config/config.hpp"
#include "http/server.hpp"
#include "match/vocabulary.hpp"
#include "ops/log.hpp"
#include "ops/metrics.hpp"
#include "ops/systemd.hpp"
#include "store/article_maps.hpp"
#include "store/campaigner.hpp"
#include "store/folder.hpp"
#include "store/intake.hpp"
#include "store/staff_store.hpp"
#include "store/store.hpp"
#include "store/suggester.hpp"

namespace {

int usage() {
  std::cerr << "usage: usynys [--config FILE] [--print-config]\n"
               "       usynys --version\n"
               "       usynys check-config FILE\n"
               "       usynys import [--channel CHANNEL] [--document SLUG] [--dry-run] "
               "[--errors FILE] [--database-url URL] [--config FILE] FILE...\n"
               "       usynys map-articles [--config FILE] [--parameters JSON] FROM TO\n"
               "       usynys suggest-articles [--config FILE] [--document SLUG] [--limit N]\n"
               "       usynys detect-campaigns [--config FILE] [--database-url URL]\n";
  return 2;
}

// SIGINT/SIGTERM: stop accepting, let requests in flight finish (up to the drain timeout),
// then stop the io_context.
class Shutdown {
 public:
  Shutdown(boost::asio::io_context& ioc, usynys::http::Server& server,
           std::chrono::milliseconds drain)
      : ioc_(ioc),
        server_(server),
        drain_(drain),
        signals_(ioc, SIGINT, SIGTERM),
        deadline_(ioc),
        poll_(ioc) {
    signals_.async_wait([this](boost::system::error_code ec, int sig) {
      if (!ec) begin(sig);
    });
  }

 private:
  void begin(int sig) {
    usynys::ops::log(
        "info",
        {{"event", "shutdown"}, {"signal", sig}, {"in_flight", server_.requests_in_flight()}});
    usynys::ops::notify_stopping();
    server_.drain();
    deadline_.expires_after(drain_);
    deadline_.async_wait([this](boost::system::error_code e) {
      if (e) return;
      usynys::ops::log("warn",
                       {{"event", "drain_timeout"}, {"in_flight", server_.requests_in_flight()}});
      ioc_.stop();
    });
    wait_drained();
  }
  void wait_drained() {
    if (server_.requests_in_flight() == 0) {
      ioc_.stop();
      return;
    }
    poll_.expires_after(std::chrono::milliseconds(10));
    poll_.async_wait([this](boost::system::error_code ec) {
      if (!ec) wait_drained();
    });
  }

  boost::asio::io_context& ioc_;
  usynys::http::Server& server_;
  std::chrono::milliseconds drain_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer deadline_;
  boost::asio::steady_timer poll_;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace usynys;
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    std::cout << "usynys " << USYNYS_VERSION << '\n';
    return 0;
  }
  if (argc >= 2 && std::string_view(argv[1]) == "check-config") {
    return cli::check_config_command(std::vector<std::string>(argv + 2, argv + argc));
  }
  if (argc >= 2 && std::string_view(argv[1]) == "import") {
    return cli::import_command(std::vector<std::string>(argv + 2, argv + argc));
  }
  if (argc >= 2 && std::string_view(argv[1]) == "map-articles") {
    return cli::map_command(std::vector<std::string>(argv + 2, argv + argc));
  }
  if (argc >= 2 && std::string_view(argv[1]) == "suggest-articles") {
    return cli::suggest_command(std::vector<std::string>(argv + 2, argv + argc));
  }
  if (argc >= 2 && std::string_view(argv[1]) == "detect-campaigns") {
    return cli::campaigns_command(std::vector<std::string>(argv + 2, argv + argc));
  }
  std::filesystem::path config_path = "config/usynys.json";
  bool print_config = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else if (arg == "--print-config") {
      print_config = true;
    } else {
      return usage();
    }
  }
  try {
    const config::Config cfg = config::load(config_path, !print_config);
    if (print_config) {
      std::cout << config::describe(cfg).dump(2) << std::endl;
      return 0;
    }
    domain::Catalog catalog = config::load_catalog(cfg.documents);
    // libpq reads this for every connection it opens.
    ::setenv("PGCONNECT_TIMEOUT", std::to_string(cfg.database.connect_timeout_s).c_str(), 0);
    const std::string url = store::connection_string(cfg.database);

    std::vector<domain::Document> docs;
    for (const auto& [slug, d] : catalog.documents) docs.push_back(d);
    const std::map<std::string, int> ids = store::sync_documents(url, docs);
    for (const auto& [slug, d] : catalog.documents) {
      ops::log("info", {{"event", "document_loaded"},
                        {"slug", slug},
                        {"articles_in_force", d.articles_in_force()},
                        {"sections", d.sections.size()}});
    }
    for (const store::MapSync& m : store::sync_article_maps(url, catalog, ids)) {
      ops::log("info", {{"event", m.computed ? "article_map_computed" : "article_map_unchanged"},
                        {"from", m.from},
                        {"to", m.to},
                        {"pairs", m.pairs},
                        {"flagged", m.flagged}});
    }
    const std::string identifier_key = config::identifier_key(cfg);
    if (const std::int64_t n = store::rekey_request_fingerprints(url, identifier_key); n > 0) {
      ops::log("info", {{"event", "request_fingerprints_rekeyed"}, {"proposals", n}});
    }

    store::compact_stats_epoch(url);

    store::ArticleIndexes indexes;
    for (const auto& [slug, d] : catalog.documents) {
      match::Vocabulary vocabulary;
      if (auto v = cfg.documents.vocabularies.find(slug); v != cfg.documents.vocabularies.end()) {
        vocabulary = match::load_vocabulary(v->second, d);
      }
      indexes.emplace(ids.at(slug),
                      store::DocumentIndex{
                          std::make_shared<const match::ArticleIndex>(d, vocabulary), d.language});
    }
    if (store::configure_tagging(url, cfg.tagging.estimate_threshold)) {
      ops::log("info", {{"event", "suggestions_recomputing"},
                        {"model", match::kSuggestModel},
                        {"estimate_threshold", cfg.tagging.estimate_threshold}});
    }

    ops::Metrics metrics;
    store::Store store(cfg.database, ids, [&metrics] { metrics.retry("read"); });
    store::Intake intake(
        cfg.intake, url, ids, identifier_key,
        [&metrics](std::size_t size, double s) { metrics.batch(size, s); },
        cfg.database.hang_grace_ms, [&metrics] { metrics.retry("intake"); });
    store::Folder folder(
        cfg.intake, url, [&intake] { return intake.stats().batches; },
        [&metrics](const std::string& fold, std::size_t n, double s) { metrics.fold(fold, n, s); });
    store::Suggester suggester(
        cfg.tagging, url, cfg.intake.fold_statement_timeout_ms, indexes,
        [&intake] { return intake.stats().batches; },
        [&metrics](const std::string& what, std::size_t n, double s) { metrics.fold(what, n, s); });
    store::Campaigner campaigner(
        cfg.campaigns, url, cfg.intake.fold_statement_timeout_ms,
        [&intake] { return intake.stats().batches; },
        [&metrics](const std::string& what, std::size_t n, double s) { metrics.fold(what, n, s); });
    store::StaffStore staff_store(cfg.staff, cfg.database, ids, identifier_key,
                                  [&metrics] { metrics.retry("staff"); });
    api::TokenCache tokens(staff_store, cfg.staff);
    tokens.load_now();

    const int io_threads =
        cfg.io_threads > 0 ? cfg.io_threads
                           : std::max(1, static_cast<int>(std::thread::hardware_concurrency() / 2));
    boost::asio::io_context ioc(io_threads);
    http::Server* server_ptr = nullptr;
    api::StatsCache stats_cache(
        store, metrics, static_cast<std::size_t>(cfg.http.stats_cache_entries),
        std::chrono::milliseconds(cfg.http.stats_compute_spacing_ms), cfg.http.gzip_min_bytes);
    api::Services services{catalog,
                           store,
                           intake,
                           staff_store,
                           indexes,
                           metrics,
                           stats_cache,
                           [&] {
                             ops::Gauges g;
                             if (server_ptr != nullptr) {
                               g.open_connections = server_ptr->open_connections();
                               g.requests_in_flight = server_ptr->requests_in_flight();
                             }
                             g.intake_queue = intake.queue_depth();
                             g.intake_queue_capacity = cfg.intake.queue_capacity;
                             g.read_queue = store.queue_depth();
                             return g;
                           },
                           cfg.database.retry_after_s,
                           cfg.limits.streamed_body_bytes,
                           cfg.tagging,
                           std::chrono::milliseconds(cfg.receipts.answer_ms)};
    api::Router router(services, tokens, cfg.rate_limit, cfg.http);
    http::Server server(ioc, router, cfg.listen_address, cfg.port, cfg.limits);
    server_ptr = &server;
    // SIGTERM and SIGINT drain from here on: before READY, so that a stop sent the moment the
    // service is ready drains too (and says STOPPING) instead of killing the process.
    Shutdown shutdown(ioc, server, std::chrono::milliseconds(cfg.limits.drain_timeout_ms));
    server.start();
    tokens.start(ioc.get_executor());
    ops::log("info", {{"event", "listening"},
                      {"address", cfg.listen_address},
                      {"port", server.port()},
                      {"io_threads", io_threads}});
    std::cout << "usynys: listening on " << cfg.listen_address << ":" << server.port() << std::endl;
    ops::notify_ready();  // the documents are synced: the database has answered
    ops::Watchdog watchdog(ioc);

    std::vector<std::thread> threads;
    for (int i = 1; i < io_threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    // Writers answer what is queued, then the folds and pools stop.
    intake.stop();
    folder.stop();
    suggester.stop();
    campaigner.stop();
    store.stop();
    staff_store.stop();
    ops::log("info", {{"event", "stopped"}});
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "usynys: " << e.what() << std::endl;
    return 1;
  }
}
