#include "cli/map_command.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "match/article_map.hpp"

namespace usynys::cli {
namespace {

int usage(const std::string& why) {
  std::cerr << "map-articles: " << why
            << "\nusage: usynys map-articles [--config FILE] [--parameters JSON] FROM TO\n";
  return 2;
}

// Overrides the fields of `p` named in `j`; false on an unknown name or a non-number.
bool apply(const nlohmann::json& j, match::MapParameters& p, std::string& why) {
  if (!j.is_object()) {
    why = "--parameters must be a JSON object";
    return false;
  }
  for (const auto& [name, value] : j.items()) {
    if (!value.is_number()) {
      why = "--parameters: " + name + " must be a number";
      return false;
    }
    const double v = value.get<double>();
    if (name == "match_min") {
      p.match_min = v;
    } else if (name == "merge_ratio") {
      p.merge_ratio = v;
    } else if (name == "merge_min") {
      p.merge_min = v;
    } else if (name == "order_weight") {
      p.order_weight = v;
    } else if (name == "order_spread") {
      p.order_spread = v;
    } else if (name == "section_weight") {
      p.section_weight = v;
    } else if (name == "anchor_min") {
      p.anchor_min = v;
    } else {
      why = "--parameters: no parameter " + name;
      return false;
    }
  }
  return true;
}

}  // namespace

int map_command(const std::vector<std::string>& args) {
  std::filesystem::path config_path = "config/usynys.json";
  match::MapParameters parameters;
  std::vector<std::string> slugs;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) {
      config_path = args[++i];
    } else if (args[i] == "--parameters" && i + 1 < args.size()) {
      const nlohmann::json j = nlohmann::json::parse(args[++i], nullptr, false);
      std::string why;
      if (j.is_discarded()) return usage("--parameters is not JSON");
      if (!apply(j, parameters, why)) return usage(why);
    } else if (!args[i].empty() && args[i][0] == '-') {
      return usage("unknown option " + args[i]);
    } else {
      slugs.push_back(args[i]);
    }
  }
  if (slugs.size() != 2) return usage("name two documents, FROM and TO");
  try {
    const config::Config cfg = config::load(config_path, false);
    const domain::Catalog catalog = config::load_catalog(cfg.documents);
    const domain::Document* from = catalog.find(slugs[0]);
    const domain::Document* to = catalog.find(slugs[1]);
    if (from == nullptr) return usage("no document " + slugs[0]);
    if (to == nullptr) return usage("no document " + slugs[1]);
    for (const match::PairSuggestion& s :
         match::suggest_map(*from, *to, to->language, parameters)) {
      nlohmann::json candidates = nlohmann::json::array();
      for (const match::Candidate& c : s.candidates) {
        candidates.push_back({{"article", c.article}, {"score", c.score}});
      }
      std::cout << nlohmann::json{{"article", s.article},
                                  {"predecessors", s.predecessors},
                                  {"score", s.score},
                                  {"candidates", std::move(candidates)}}
                       .dump()
                << '\n';
    }
  } catch (const std::exception& e) {
    std::cerr << "map-articles: " << e.what() << '\n';
    return 2;
  }
  return 0;
}

}  // namespace usynys::cli
