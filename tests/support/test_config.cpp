#include "support/test_config.hpp"

#include <fstream>
#include <stdexcept>

#include "support/paths.hpp"

namespace usynys::test {

std::filesystem::path write_test_config(const std::filesystem::path& dir,
                                        const nlohmann::json& patch) {
  const std::filesystem::path repo_config = source_file("config/usynys.json");
  std::ifstream in(repo_config);
  if (!in) throw std::runtime_error("cannot read " + repo_config.string());
  nlohmann::json cfg = nlohmann::json::parse(in);
  cfg["port"] = 0;
  cfg["identifier_key_file"] = (dir / "identifier.key").string();
  cfg["documents"]["dir"] = source_file("config/documents").string();
  cfg["database"]["url"] = "";  // USYNYS_DATABASE_URL provides it
  cfg.merge_patch(patch);
  const std::filesystem::path file = dir / "usynys.json";
  std::ofstream out(file, std::ios::trunc);
  out << cfg.dump(2) << '\n';
  if (!out) throw std::runtime_error("cannot write " + file.string());
  return file;
}

}  // namespace usynys::test
