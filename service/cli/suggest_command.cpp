#include "cli/suggest_command.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "match/suggest.hpp"
#include "match/vocabulary.hpp"

namespace usynys::cli {
namespace {

int usage(const std::string& why) {
  std::cerr << "suggest-articles: " << why
            << "\nusage: usynys suggest-articles [--config FILE] [--document SLUG] [--limit N] "
               "< texts.jsonl\n";
  return 2;
}

}  // namespace

int suggest_command(const std::vector<std::string>& args) {
  std::filesystem::path config_path = "config/usynys.json";
  std::string slug;
  std::size_t limit = 5;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) {
      config_path = args[++i];
    } else if (args[i] == "--document" && i + 1 < args.size()) {
      slug = args[++i];
    } else if (args[i] == "--limit" && i + 1 < args.size()) {
      const std::string& n = args[++i];
      if (n.empty() || n.size() > 3 || n.find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(n) == 0) {
        return usage("--limit must be 1 to 999");
      }
      limit = std::stoul(n);
    } else {
      return usage("unknown argument " + args[i]);
    }
  }
  try {
    const config::Config cfg = config::load(config_path, false);
    const domain::Catalog catalog = config::load_catalog(cfg.documents);
    if (slug.empty()) slug = catalog.default_slug;
    const domain::Document* doc = catalog.find(slug);
    if (doc == nullptr) return usage("no document " + slug);
    match::Vocabulary vocabulary;
    if (auto v = cfg.documents.vocabularies.find(slug); v != cfg.documents.vocabularies.end()) {
      vocabulary = match::load_vocabulary(v->second, *doc);
    }
    const match::ArticleIndex index(*doc, vocabulary);
    std::string line;
    for (std::size_t number = 1; std::getline(std::cin, line); ++number) {
      if (line.empty()) continue;
      const nlohmann::json in = nlohmann::json::parse(line, nullptr, false);
      if (in.is_discarded() || !in.is_object() || !in.contains("text") || !in["text"].is_string()) {
        return usage("line " + std::to_string(number) + ": not an object with a text");
      }
      const std::string text = in["text"].get<std::string>();
      std::string language = in.value("language", std::string());
      if (language.empty()) language = match::detect_language(text);
      nlohmann::json suggestions = nlohmann::json::array();
      for (const match::Suggestion& s : index.rank(text, language, limit)) {
        suggestions.push_back({{"article", s.article}, {"score", s.score}});
      }
      std::cout << nlohmann::json{{"id", in.value("id", nlohmann::json())},
                                  {"language", language},
                                  {"suggestions", std::move(suggestions)},
                                  {"model", match::kSuggestModel}}
                       .dump()
                << '\n';
    }
  } catch (const std::exception& e) {
    std::cerr << "suggest-articles: " << e.what() << '\n';
    return 2;
  }
  return 0;
}

}  // namespace usynys::cli
