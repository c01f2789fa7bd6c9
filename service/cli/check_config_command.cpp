#include "cli/check_config_command.hpp"

#include <iostream>

#include "config/config.hpp"
#include "domain/document.hpp"
#include "match/vocabulary.hpp"

namespace usynys::cli {

int check_config_command(const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0].starts_with("-")) {
    std::cerr << "usage: usynys check-config FILE\n";
    return 2;
  }
  try {
    const config::Config cfg = config::load(args[0], false);
    const domain::Catalog catalog = config::load_catalog(cfg.documents);
    for (const auto& [slug, file] : cfg.documents.vocabularies) {
      const domain::Document* doc = catalog.find(slug);
      if (doc != nullptr) (void)match::load_vocabulary(file, *doc);
    }
    for (const auto& [slug, d] : catalog.documents) {
      std::cout << slug << ": " << d.articles_in_force() << " articles in force, "
                << d.sections.size() << " sections, languages";
      for (const std::string& l : d.languages) std::cout << ' ' << l;
      std::cout << (slug == catalog.default_slug ? " (default)" : "") << '\n';
    }
    for (const auto& [to, from] : catalog.predecessors) {
      std::cout << "map: " << from << " -> " << to << '\n';
    }
    std::cout << "ok\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "check-config: " << e.what() << '\n';
    return 1;
  }
}

}  // namespace usynys::cli
