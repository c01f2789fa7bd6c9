#include "cli/campaigns_command.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

#include "config/config.hpp"
#include "store/campaigner.hpp"
#include "store/db_pool.hpp"

namespace usynys::cli {
namespace {

int usage(const std::string& why) {
  std::cerr << "detect-campaigns: " << why
            << "\nusage: usynys detect-campaigns [--config FILE] [--database-url URL]\n";
  return 2;
}

}  // namespace

int campaigns_command(const std::vector<std::string>& args) {
  std::filesystem::path config_path = "config/usynys.json";
  std::optional<std::string> url;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) {
      config_path = args[++i];
    } else if (args[i] == "--database-url" && i + 1 < args.size()) {
      url = args[++i];
    } else {
      return usage("unknown argument " + args[i]);
    }
  }
  config::Config cfg;
  try {
    cfg = config::load(config_path, false);
  } catch (const std::exception& e) {
    std::cerr << "detect-campaigns: " << e.what() << '\n';
    return 2;
  }
  const std::string database = url.value_or(cfg.database.url);
  if (database.empty()) return usage("no database: give --database-url or set USYNYS_DATABASE_URL");
  try {
    auto conn = store::open_connection(database, 0);
    store::prepare_campaign_statements(*conn);
    const auto started = std::chrono::steady_clock::now();
    const auto seconds = [&] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    std::size_t compared = 0;
    auto reported = started;
    const auto batch = static_cast<std::size_t>(cfg.campaigns.batch);
    for (;;) {
      const std::size_t taken = store::compare_batch(*conn, cfg.campaigns, batch);
      compared += taken;
      const auto now = std::chrono::steady_clock::now();
      if (now - reported >= std::chrono::seconds(5) || (taken < batch && compared > 0)) {
        reported = now;
        std::fprintf(stderr, "detect-campaigns: %zu proposals compared, %.0f/s\n", compared,
                     static_cast<double>(compared) / std::max(seconds(), 1e-9));
      }
      if (taken < batch) break;
    }
    pqxx::read_transaction tx(*conn);
    const auto campaigns = tx.exec1("SELECT count(*) FROM campaigns")[0].as<std::int64_t>();
    const double s = seconds();
    std::printf("compared=%zu seconds=%.1f per_s=%.0f campaigns=%lld\n", compared, s,
                static_cast<double>(compared) / std::max(s, 1e-9),
                static_cast<long long>(campaigns));
  } catch (const std::exception& e) {
    std::cerr << "detect-campaigns: " << e.what() << '\n';
    return 3;
  }
  return 0;
}

}  // namespace usynys::cli
