// config::load (strict keys, ranges, environment overrides) and config::load_document (errors
// name the file). Reads scratch files; touches no network or database.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "support/paths.hpp"
#include "support/temp_dir.hpp"

namespace {

using usynys::test::EnvGuard;
using usynys::test::TempDir;

// Removes the overrides config::load reads, so the developer's or runner's environment does not
// leak into these cases.
struct CleanEnv {
  CleanEnv() {
    env.unset("USYNYS_PORT");
    env.unset("USYNYS_DATABASE_URL");
    env.unset("USYNYS_IDENTIFIER_KEY");
  }
  EnvGuard env;
  TempDir dir{"usynys-config-test"};
};

const char* kMinimal = R"({"database": {"url": "host=/nowhere dbname=x"}})";

// The message of the std::runtime_error `f` throws; fails the test when it throws nothing.
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  BOOST_ERROR("expected std::runtime_error");
  return {};
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(config, CleanEnv)

BOOST_AUTO_TEST_CASE(defaults_apply_and_relative_paths_resolve_against_the_file) {
  auto file = dir.write("c.json", kMinimal);
  auto cfg = usynys::config::load(file);
  BOOST_TEST(cfg.port == 8080);
  BOOST_TEST(cfg.listen_address == "127.0.0.1");
  BOOST_TEST(cfg.limits.body_bytes == 65536u);
  BOOST_TEST(cfg.database.url == "host=/nowhere dbname=x");
  BOOST_TEST(cfg.documents.dir == (dir.path() / "documents").lexically_normal());
  BOOST_TEST(cfg.documents.default_slug == "kz-1995");
}

BOOST_AUTO_TEST_CASE(environment_overrides_port_database_and_key) {
  auto file = dir.write("c.json", R"({"port": 9000, "database": {"url": "host=/a dbname=a"}})");
  env.set("USYNYS_PORT", "0");
  env.set("USYNYS_DATABASE_URL", "host=/b dbname=b");
  env.set("USYNYS_IDENTIFIER_KEY", "0123456789abcdef0123456789abcdef");
  auto cfg = usynys::config::load(file);
  BOOST_TEST(cfg.port == 0);
  BOOST_TEST(cfg.database.url == "host=/b dbname=b");
  BOOST_TEST(cfg.identifier_key == "0123456789abcdef0123456789abcdef");
  BOOST_TEST(usynys::config::identifier_key(cfg) == "0123456789abcdef0123456789abcdef");
}

BOOST_AUTO_TEST_CASE(database_url_may_come_from_the_environment_only) {
  auto file = dir.write("c.json", "{}");
  BOOST_TEST(contains(error_of([&] { usynys::config::load(file); }), "USYNYS_DATABASE_URL"));
  env.set("USYNYS_DATABASE_URL", "host=/b dbname=b");
  BOOST_TEST(usynys::config::load(file).database.url == "host=/b dbname=b");
}

BOOST_AUTO_TEST_CASE(malformed_port_override_fails) {
  auto file = dir.write("c.json", kMinimal);
  for (const char* bad : {"http", "80x", "-1", "65536"}) {
    env.set("USYNYS_PORT", bad);
    BOOST_TEST(contains(error_of([&] { usynys::config::load(file); }), "USYNYS_PORT"), bad);
  }
}

BOOST_AUTO_TEST_CASE(unknown_top_level_key_fails_naming_key_and_file) {
  auto file = dir.write("c.json", R"({"database": {"url": "x"}, "prot": 8080})");
  std::string what = error_of([&] { usynys::config::load(file); });
  BOOST_TEST(contains(what, "prot"), what);
  BOOST_TEST(contains(what, file.string()), what);
}

BOOST_AUTO_TEST_CASE(unknown_nested_key_fails) {
  auto file = dir.write("c.json", R"({"database": {"url": "x"}, "limits": {"body_byte": 1}})");
  std::string what = error_of([&] { usynys::config::load(file); });
  BOOST_TEST(contains(what, "limits.body_byte"), what);
  file = dir.write("d.json", R"({"database": {"url": "x", "pool": 3}})");
  what = error_of([&] { usynys::config::load(file); });
  BOOST_TEST(contains(what, "database.pool"), what);
}

BOOST_AUTO_TEST_CASE(wrong_type_and_out_of_range_values_fail) {
  auto file = dir.write("c.json", R"({"database": {"url": "x"}, "port": "8080"})");
  BOOST_TEST(contains(error_of([&] { usynys::config::load(file); }), "port"));
  file = dir.write("d.json", R"({"database": {"url": "x"}, "port": 70000})");
  BOOST_TEST(contains(error_of([&] { usynys::config::load(file); }), "port"));
  file = dir.write("e.json", R"({"database": {"url": "x", "pool_size": 0}})");
  BOOST_TEST(contains(error_of([&] { usynys::config::load(file); }), "pool_size"));
}

BOOST_AUTO_TEST_CASE(report_language_is_one_of_the_commissions) {
  auto file = dir.write("r.json", R"({"database": {"url": "x"}, "report": {"language": "kk"}})");
  BOOST_TEST(usynys::config::load(file).report.language == "kk");
  BOOST_TEST(
      usynys::config::load(dir.write("s.json", R"({"database": {"url": "x"}})")).report.language ==
      "en");
  file = dir.write("t.json", R"({"database": {"url": "x"}, "report": {"language": "de"}})");
  const std::string what = error_of([&] { usynys::config::load(file); });
  BOOST_TEST(contains(what, "report.language must be kk, ru or en, not 'de'"), what);
}

BOOST_AUTO_TEST_CASE(cors_origins_must_be_origins) {
  auto file = dir.write("h.json", R"({"database": {"url": "x"}, "http": {"cors_origins":
      ["https://portal.example", "http://127.0.0.1:8080", "https://[::1]:443"]}})");
  const auto cfg = usynys::config::load(file);
  BOOST_TEST(cfg.http.cors_origins.size() == 3u);
  BOOST_TEST(cfg.http.gzip_min_bytes == 1024u);
  BOOST_TEST(usynys::config::load(dir.write("i.json", kMinimal)).http.cors_origins.empty());
  for (const char* bad : {"*", "portal.example", "https://portal.example/", "ftp://x",
                          "https://Portal.example", "https://x:", "https://x:123456", "https://"}) {
    BOOST_TEST_CONTEXT(bad) {
      const nlohmann::json config = {{"database", {{"url", "x"}}},
                                     {"http", {{"cors_origins", {bad}}}}};
      file = dir.write("j.json", config.dump());
      const std::string what = error_of([&] { usynys::config::load(file); });
      BOOST_TEST(contains(what, "http.cors_origins"), what);
    }
  }
  file = dir.write("k.json", R"({"database": {"url": "x"}, "http": {"gzip_min_bytes": -1}})");
  BOOST_TEST(contains(error_of([&] { usynys::config::load(file); }), "http.gzip_min_bytes"));
  BOOST_TEST(cfg.http.stats_cache_entries == 256);
  file = dir.write("l.json", R"({"database": {"url": "x"}, "http": {"stats_cache_entries": 0}})");
  BOOST_TEST(contains(error_of([&] { usynys::config::load(file); }), "http.stats_cache_entries"));
}

BOOST_AUTO_TEST_CASE(malformed_or_missing_config_file_is_named) {
  auto file = dir.write("broken.json", "{ \"port\": ");
  std::string what = error_of([&] { usynys::config::load(file); });
  BOOST_TEST(contains(what, file.string()), what);
  auto missing = dir.path() / "missing.json";
  what = error_of([&] { usynys::config::load(missing); });
  BOOST_TEST(contains(what, missing.string()), what);
}

BOOST_AUTO_TEST_CASE(shipped_config_loads_both_documents) {
  env.set("USYNYS_DATABASE_URL", "host=/nowhere dbname=x");
  auto cfg = usynys::config::load(usynys::test::source_file("config/usynys.json"));
  BOOST_TEST(std::filesystem::equivalent(cfg.documents.dir,
                                         usynys::test::source_file("config/documents")));
  auto docs = usynys::config::load_documents(cfg.documents);
  BOOST_TEST_REQUIRE(docs.size() == 2u);
  std::map<std::string, const usynys::domain::Document*> by_slug;
  for (const auto& d : docs) by_slug[d.slug] = &d;
  BOOST_TEST_REQUIRE(by_slug.contains("kz-1995"));
  BOOST_TEST_REQUIRE(by_slug.contains("kz-2026-draft"));
  BOOST_TEST(by_slug["kz-1995"]->articles.size() == 102u);
  BOOST_TEST(by_slug["kz-1995"]->articles_in_force() == 101);
  BOOST_TEST(by_slug["kz-1995"]->sections.size() == 9u);
  BOOST_TEST(by_slug["kz-2026-draft"]->articles_in_force() == 96);
  BOOST_TEST(by_slug["kz-2026-draft"]->sections.size() == 11u);
  BOOST_TEST(by_slug["kz-2026-draft"]->find("97") == nullptr);
  BOOST_TEST(by_slug["kz-2026-draft"]->find("96") != nullptr);
}

BOOST_AUTO_TEST_CASE(malformed_document_file_is_named) {
  auto file = dir.write("broken-doc.json", R"({"title": "x", "sections": [)");
  std::string what = error_of([&] { usynys::config::load_document(file, "broken"); });
  BOOST_TEST(contains(what, "broken-doc.json"), what);
  BOOST_TEST(contains(what, "JSON"), what);
}

BOOST_AUTO_TEST_CASE(document_with_wrong_shape_is_named) {
  auto file = dir.write("shape.json", R"({"title": "x", "sections": [{"number": 1}]})");
  std::string what = error_of([&] { usynys::config::load_document(file, "shape"); });
  BOOST_TEST(contains(what, "shape.json"), what);

  file = dir.write("ids.json", R"({"title": "x", "sections": [{"number": 1, "articles": [
      {"id": "one", "text": "t"}]}]})");
  what = error_of([&] { usynys::config::load_document(file, "ids"); });
  BOOST_TEST(contains(what, "ids.json"), what);
  BOOST_TEST(contains(what, "'one'"), what);

  file = dir.write("twice.json", R"({"title": "x", "sections": [{"number": 1, "articles": [
      {"id": "1", "text": "t"}, {"id": "1", "text": "u"}]}]})");
  what = error_of([&] { usynys::config::load_document(file, "twice"); });
  BOOST_TEST(contains(what, "appears twice"), what);

  file = dir.write("empty.json", R"({"title": "x", "sections": [{"number": 1, "articles": [
      {"id": "1"}]}]})");
  what = error_of([&] { usynys::config::load_document(file, "empty"); });
  BOOST_TEST(contains(what, "no text"), what);
}

BOOST_AUTO_TEST_CASE(document_chars_default_to_code_points_of_the_text) {
  auto file = dir.write("chars.json", R"({"title": "x", "sections": [{"number": 1, "articles": [
      {"id": "1", "text": "Қазақстан"}, {"id": "2", "text": "abc", "chars": 10},
      {"id": "3", "repealed": true}]}]})");
  auto d = usynys::config::load_document(file, "chars");
  BOOST_TEST(d.find("1")->chars == 9);
  BOOST_TEST(d.find("2")->chars == 10);
  BOOST_TEST(d.find("3")->chars == 0);
  BOOST_TEST(d.chars_in_force() == 19);
  BOOST_TEST(d.articles_in_force() == 2);
  BOOST_TEST(d.slug == "chars");
  BOOST_TEST(d.sha256.size() == 64u);
}

BOOST_AUTO_TEST_CASE(shipped_kz_1995_is_one_document_in_three_languages_weighed_in_russian) {
  env.set("USYNYS_DATABASE_URL", "host=/nowhere dbname=x");
  auto cfg = usynys::config::load(usynys::test::source_file("config/usynys.json"));
  const auto catalog = usynys::config::load_catalog(cfg.documents);
  const usynys::domain::Document* d = catalog.find("kz-1995");
  BOOST_TEST_REQUIRE(d != nullptr);
  BOOST_TEST(d->languages == (std::vector<std::string>{"en", "kk", "ru"}));
  BOOST_TEST(d->language == "ru");
  BOOST_TEST(d->chars_in_force() == 81685);
  BOOST_TEST(d->chars_in_force("ru") == 81685);
  BOOST_TEST(d->chars_in_force("en") == 89666);
  BOOST_TEST(d->chars_in_force("kk") == 82361);
  const auto* a = d->find("1");
  BOOST_TEST(a->texts.size() == 3u);
  BOOST_TEST(a->text == a->texts.at("ru"));
  BOOST_TEST(a->texts.at("kk").find("Қазақстан") != std::string::npos);
  BOOST_TEST(catalog.find("kz-2026-draft")->languages == (std::vector<std::string>{"ru"}));
}

namespace {

// A document file of two articles in `language`; `labels` are article 2's paragraph labels.
std::string language_file(const std::string& language, const std::string& labels = R"(["1", "2"])",
                          const std::string& text = "text") {
  return R"({"title": "t", "language": ")" + language +
         R"(", "sections": [{"number": 1, "articles": [{"id": "1", "text": ")" + text +
         R"("}, {"id": "2", "text": "two", "paragraph_labels": )" + labels + "}]}]}";
}

}  // namespace

BOOST_AUTO_TEST_CASE(files_of_one_document_in_several_languages_merge_when_they_agree) {
  std::filesystem::create_directories(dir.path() / "docs");
  dir.write("docs/a.json", language_file("en", R"(["1", "2"])", "Kazakhstan"));
  dir.write("docs/a.kk.json", language_file("kk", R"(["1", "2"])", "Қазақстан Республикасы"));
  usynys::config::Documents cfg;
  cfg.dir = dir.path() / "docs";
  cfg.default_slug = "doc";
  cfg.slugs = {{"a.json", "doc"}, {"a.kk.json", "doc"}};
  // Two languages and no reference named: refused, naming both.
  std::string what = error_of([&] { usynys::config::load_documents(cfg); });
  BOOST_TEST(contains(what, "reference_languages"), what);
  BOOST_TEST(contains(what, "en, kk"), what);
  cfg.reference_languages = {{"doc", "kk"}};
  const auto docs = usynys::config::load_documents(cfg);
  BOOST_TEST_REQUIRE(docs.size() == 1u);
  const auto& d = docs.front();
  BOOST_TEST(d.language == "kk");
  BOOST_TEST(d.find("1")->text == "Қазақстан Республикасы");
  BOOST_TEST(d.find("1")->chars == 22);
  BOOST_TEST(d.find("1")->chars_by_language.at("en") == 10);
  BOOST_TEST(d.find("1")->texts.at("en") == "Kazakhstan");
  BOOST_TEST(d.chars_in_force("en") == 13);
  BOOST_TEST(d.chars_in_force() == 25);
  // A reference language without a file, and a reference for a document that does not exist.
  cfg.reference_languages = {{"doc", "ru"}};
  what = error_of([&] { usynys::config::load_documents(cfg); });
  BOOST_TEST(contains(what, "'ru'"), what);
  cfg.reference_languages = {{"doc", "kk"}, {"other", "ru"}};
  what = error_of([&] { usynys::config::load_documents(cfg); });
  BOOST_TEST(contains(what, "'other'"), what);
}

BOOST_AUTO_TEST_CASE(languages_that_disagree_are_refused_with_the_first_difference) {
  std::filesystem::create_directories(dir.path() / "docs");
  usynys::config::Documents cfg;
  cfg.dir = dir.path() / "docs";
  cfg.default_slug = "doc";
  cfg.slugs = {{"a.json", "doc"}, {"b.json", "doc"}};
  cfg.reference_languages = {{"doc", "ru"}};
  dir.write("docs/a.json", language_file("ru"));
  // Paragraph labels.
  dir.write("docs/b.json", language_file("kk", R"(["1", "3"])"));
  std::string what = error_of([&] { usynys::config::load_documents(cfg); });
  BOOST_TEST(contains(what, "b.json: article 2 has paragraphs 1,3 where a.json has 1,2"), what);
  // An article missing.
  dir.write("docs/b.json", R"({"title": "t", "language": "kk", "sections": [{"number": 1,
      "articles": [{"id": "1", "text": "t"}]}]})");
  what = error_of([&] { usynys::config::load_documents(cfg); });
  BOOST_TEST(contains(what, "b.json has no article 2"), what);
  // A section numbered otherwise.
  dir.write("docs/b.json", R"({"title": "t", "language": "kk", "sections": [{"number": 2,
      "articles": [{"id": "1", "text": "t"}, {"id": "2", "text": "t"}]}]})");
  what = error_of([&] { usynys::config::load_documents(cfg); });
  BOOST_TEST(contains(what, "b.json has section 2 where a.json has section 1"), what);
  // The same language twice.
  dir.write("docs/b.json", language_file("ru"));
  what = error_of([&] { usynys::config::load_documents(cfg); });
  BOOST_TEST(contains(what, "second file of document 'doc' in language 'ru'"), what);
  // Agreeing files load.
  dir.write("docs/b.json", language_file("kk"));
  BOOST_TEST(usynys::config::load_documents(cfg).front().languages ==
             (std::vector<std::string>{"kk", "ru"}));
}

BOOST_AUTO_TEST_CASE(article_maps_must_name_two_documents_that_share_the_language) {
  std::filesystem::create_directories(dir.path() / "docs");
  dir.write("docs/old.json", language_file("en"));
  dir.write("docs/new.json", language_file("ru"));
  usynys::config::Documents cfg;
  cfg.dir = dir.path() / "docs";
  cfg.default_slug = "old";
  cfg.maps = {{"new", "old"}};
  std::string what = error_of([&] { usynys::config::load_catalog(cfg); });
  BOOST_TEST(contains(what, "documents.maps.new: old has no text in ru"), what);
  cfg.maps = {{"new", "gone"}};
  what = error_of([&] { usynys::config::load_catalog(cfg); });
  BOOST_TEST(contains(what, "no document gone"), what);
  cfg.maps = {{"new", "new"}};
  what = error_of([&] { usynys::config::load_catalog(cfg); });
  BOOST_TEST(contains(what, "cannot map onto itself"), what);
  dir.write("docs/old.json", language_file("ru"));
  cfg.maps = {{"new", "old"}};
  cfg.map_min_score = 0.5;
  const auto catalog = usynys::config::load_catalog(cfg);
  BOOST_TEST(catalog.predecessors.at("new") == "old");
  BOOST_TEST(catalog.map_min_score == 0.5);
}

BOOST_AUTO_TEST_CASE(vocabularies_must_name_a_document_and_an_existing_file) {
  std::filesystem::create_directories(dir.path() / "docs");
  dir.write("docs/old.json", language_file("en"));
  // A vocabulary file beside the documents (named relative to them) is not a document.
  dir.write("docs/old.vocabulary.json", R"({"document": "old", "articles": {}})");
  auto file = dir.write("c.json", R"({"database": {"url": "x"}, "documents": {"dir": "docs",
      "default": "old", "vocabularies": {"old": "old.vocabulary.json"}}})");
  auto cfg = usynys::config::load(file);
  BOOST_TEST(cfg.documents.vocabularies.at("old") ==
             (dir.path() / "docs" / "old.vocabulary.json").lexically_normal());
  BOOST_TEST(usynys::config::load_catalog(cfg.documents).documents.size() == 1u);
  cfg.documents.vocabularies = {{"gone", dir.path() / "docs" / "old.vocabulary.json"}};
  std::string what = error_of([&] { usynys::config::load_catalog(cfg.documents); });
  BOOST_TEST(contains(what, "documents.vocabularies.gone: no document gone"), what);
  cfg.documents.vocabularies = {{"old", dir.path() / "docs" / "missing.json"}};
  what = error_of([&] { usynys::config::load_catalog(cfg.documents); });
  BOOST_TEST(contains(what, "documents.vocabularies.old: no file"), what);
  file = dir.write("d.json", R"({"database": {"url": "x"}, "documents": {"vocabularies": []}})");
  what = error_of([&] { usynys::config::load(file); });
  BOOST_TEST(contains(what, "documents.vocabularies has the wrong type"), what);
  file = dir.write("e.json",
                   R"({"database": {"url": "x"}, "documents": {"vocabularies": {"old": 1}}})");
  what = error_of([&] { usynys::config::load(file); });
  BOOST_TEST(contains(what, "documents.vocabularies.old must be a string"), what);
}

BOOST_AUTO_TEST_CASE(the_readme_lists_every_key_with_the_default_of_the_code) {
  std::ifstream in(usynys::test::source_file("README.md"));
  BOOST_TEST_REQUIRE(static_cast<bool>(in));
  const nlohmann::json defaults = usynys::config::describe(usynys::config::Config{});
  // "a.b" -> the default as the README writes it: `text` for strings, plain numbers and
  // booleans, `[...]` for lists, "empty" for an empty string.
  auto written = [&](const std::string& key) -> std::optional<std::string> {
    const nlohmann::json* v = &defaults;
    std::size_t start = 0;
    for (;;) {
      const std::size_t dot = key.find('.', start);
      const std::string part = key.substr(start, dot - start);
      if (!v->is_object() || !v->contains(part)) return std::nullopt;
      v = &(*v)[part];
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (v->is_string()) {
      return v->get<std::string>().empty() ? "empty" : "`" + v->get<std::string>() + "`";
    }
    if (v->is_array()) {
      std::string list = "[";
      for (const auto& e : *v) list += (list.size() > 1 ? ", " : "") + e.dump();
      return "`" + list + "]`";
    }
    if (v->is_number_float() && v->get<double>() == static_cast<double>(v->get<long>())) {
      return std::to_string(v->get<long>());
    }
    return v->dump();
  };
  std::set<std::string> listed;
  std::string line;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (line == "## Configuration") in_table = true;
    if (!in_table) continue;
    if (line.starts_with("## ") && line != "## Configuration") break;
    if (!line.starts_with("| `")) continue;
    // | `k1`, `k2` | d1, d2 | meaning |
    const std::size_t second = line.find(" | ", 2);
    const std::size_t third = line.find(" | ", second + 3);
    const std::string keys = line.substr(2, second - 2);
    const std::string values = line.substr(second + 3, third - second - 3);
    std::vector<std::string> names;
    for (std::size_t at = 0; (at = keys.find('`', at)) != std::string::npos;) {
      const std::size_t end = keys.find('`', at + 1);
      names.push_back(keys.substr(at + 1, end - at - 1));
      at = end + 1;
    }
    std::vector<std::string> given;
    if (names.size() == 1) {
      given.push_back(values);
    } else {
      for (std::size_t at = 0;;) {
        const std::size_t comma = values.find(", ", at);
        given.push_back(values.substr(at, comma - at));
        if (comma == std::string::npos) break;
        at = comma + 2;
      }
    }
    BOOST_TEST_REQUIRE(names.size() == given.size(), line);
    for (std::size_t i = 0; i < names.size(); ++i) {
      listed.insert(names[i]);
      if (given[i] == "see file") continue;
      BOOST_TEST(written(names[i]).value_or("<not a key>") == given[i], names[i]);
    }
  }
  // Both ways: every key of the code is in the table.
  for (const auto& [section, value] : defaults.items()) {
    if (!value.is_object() || section == "documents") {
      if (!value.is_object()) BOOST_TEST(listed.contains(section), section);
      continue;
    }
    for (const auto& [key, v] : value.items()) {
      BOOST_TEST(listed.contains(section + "." + key),
                 section + "." + key << " is not in the README");
    }
  }
  for (const char* key : {"documents.dir", "documents.default", "documents.slugs"}) {
    BOOST_TEST(listed.contains(key), key);
  }
}

BOOST_AUTO_TEST_SUITE_END()
