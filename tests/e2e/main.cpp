// e2e tier: the real usynys binary and PostgreSQL, over real sockets.
#define BOOST_TEST_MODULE usynys_e2e
#include <boost/test/unit_test.hpp>
#include <iostream>

#include "e2e_fixture.hpp"
#include "support/paths.hpp"
#include "support/test_config.hpp"

namespace usynys::test {
namespace {

struct SharedServer {
  bool tried = false;
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<ServerProcess> server;
  std::string failure;
};

SharedServer& state() {
  static SharedServer s;
  return s;
}

// Stops the shared server (SIGTERM) after the last case, if a case started it.
struct GlobalServer {
  GlobalServer() = default;
  ~GlobalServer() {
    if (state().server) {
      try {
        int code = state().server->terminate(std::chrono::seconds(20));
        if (code != 0) {
          std::cerr << "usynys e2e: the shared server exited with status " << code
                    << "; its output:\n"
                    << state().server->output() << std::endl;
        }
      } catch (const std::exception& e) {
        std::cerr << "usynys e2e: " << e.what() << std::endl;
      }
    }
    state().server.reset();
    state().dir.reset();
  }
};

}  // namespace

EnvOverrides server_environment() {
  return {{"USYNYS_PORT", "0"},
          {"USYNYS_DATABASE_URL", database_url()},
          {"USYNYS_IDENTIFIER_KEY", "e2e-identifier-key-0123456789abcdef"}};
}

std::unique_ptr<ServerProcess> launch_server(const TempDir& dir, const nlohmann::json& patch) {
  nlohmann::json merged = {{"limits", {{"drain_timeout_ms", 5000}}}};
  merged.merge_patch(patch);
  auto config = write_test_config(dir.path(), merged);
  return std::make_unique<ServerProcess>(server_binary(), config, server_environment(),
                                         std::chrono::seconds(60));
}

ServerProcess& shared_server() {
  SharedServer& s = state();
  if (!s.tried) {
    // Started by the first case that needs it; a failure fails that case and every later one.
    s.tried = true;
    try {
      database_url();  // fail early and clearly without a database
      s.dir = std::make_unique<TempDir>("usynys-e2e");
      // The shared server never folds by itself: cases see committed proposals pending until
      // they fold them (stats_fold), so that nothing folds behind a case's back. Folding by the
      // server is tested on a server of its own.
      // Its public GET endpoints may be read by pages of one origin (CORS).
      s.server = launch_server(*s.dir, {{"intake", {{"fold_interval_ms", 3600000}}},
                                        {"http", {{"cors_origins", {kCorsOrigin}}}}});
    } catch (const std::exception& e) {
      s.failure = e.what();
    }
  }
  if (!s.server) throw std::runtime_error("the shared usynys server is not running: " + s.failure);
  return *s.server;
}

}  // namespace usynys::test

using usynys::test::GlobalServer;
BOOST_TEST_GLOBAL_FIXTURE(GlobalServer);
