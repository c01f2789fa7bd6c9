// The documents served: list, structure without texts, texts on request, unknown slugs.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "e2e_fixture.hpp"
#include "support/paths.hpp"

namespace {

using nlohmann::json;
using usynys::test::check_problem;
using usynys::test::E2eCase;

// The article objects of a kz-1995 file (default: the reference language's, Russian), in
// document order.
std::vector<json> file_articles(const std::string& name = "kz-constitution.ru.json") {
  const std::string path = "config/documents/" + name;
  std::ifstream in(usynys::test::source_file(path));
  if (!in) throw std::runtime_error("cannot read " + path);
  json file = json::parse(in);
  std::vector<json> out;
  for (const auto& s : file.at("sections")) {
    for (const auto& a : s.at("articles")) out.push_back(a);
  }
  return out;
}

std::vector<json> served_articles(const json& doc) {
  std::vector<json> out;
  for (const auto& s : doc.at("sections")) {
    for (const auto& a : s.at("articles")) out.push_back(a);
  }
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(documents, E2eCase)

BOOST_AUTO_TEST_CASE(list_names_both_documents_and_the_default) {
  auto c = client();
  auto res = c.get("/api/v1/documents");
  BOOST_TEST_REQUIRE(res.status == 200, res.body);
  json list = res.json()["documents"];
  BOOST_TEST_REQUIRE(list.is_array());
  std::map<std::string, json> by_slug;
  for (const auto& d : list) by_slug[d.value("slug", "")] = d;
  BOOST_TEST_REQUIRE(by_slug.contains("kz-1995"));
  BOOST_TEST_REQUIRE(by_slug.contains("kz-2026-draft"));
  BOOST_TEST(by_slug["kz-1995"]["default"] == true);
  BOOST_TEST(by_slug["kz-1995"]["articles_total"] == 101);
  BOOST_TEST(by_slug["kz-1995"]["sections_total"] == 9);
  BOOST_TEST(by_slug["kz-1995"]["title"].is_string());
  BOOST_TEST(by_slug["kz-1995"]["version"].is_string());
  BOOST_TEST(by_slug["kz-2026-draft"]["default"] == false);
  BOOST_TEST(by_slug["kz-2026-draft"]["articles_total"] == 96);
  BOOST_TEST(by_slug["kz-2026-draft"]["sections_total"] == 11);
}

BOOST_AUTO_TEST_CASE(kz_1995_structure_has_102_articles_without_texts) {
  auto c = client();
  auto res = c.get("/api/v1/documents/kz-1995");
  BOOST_TEST_REQUIRE(res.status == 200, res.body);
  json doc = res.json();
  BOOST_TEST(doc["slug"] == "kz-1995");
  BOOST_TEST(doc["sections"].size() == 9u);
  auto served = served_articles(doc);
  auto file = file_articles();
  BOOST_TEST_REQUIRE(served.size() == 102u);
  BOOST_TEST_REQUIRE(file.size() == served.size());
  for (std::size_t i = 0; i < served.size(); ++i) {
    const json& a = served[i];
    const std::string id = file[i]["id"].get<std::string>();
    BOOST_TEST(a["id"] == id, "article " << i << " in document order");
    BOOST_TEST(!a.contains("text"), "article " << id << " has no text without ?text=1");
    BOOST_TEST(a["repealed"] == (id == "84"), "article " << id);
    BOOST_TEST(a["chars"] == (id == "84" ? json(0) : file[i]["chars"]), "article " << id);
    BOOST_TEST(a["paragraph_labels"] == file[i]["paragraph_labels"], "article " << id);
    BOOST_TEST(a.contains("section"));
    BOOST_TEST(a["chars_by_language"].size() == 3u, "article " << id);
    BOOST_TEST(a["chars_by_language"]["ru"] == a["chars"], "article " << id);
  }
  BOOST_TEST(doc["languages"] == json({"en", "kk", "ru"}));
  BOOST_TEST(doc["reference_language"] == "ru");
  BOOST_TEST(doc["content_chars_total"] == 81685);
  // Each language's chars are its own file's.
  for (const auto& [language, name] : std::map<std::string, std::string>{
           {"en", "kz-constitution.json"}, {"kk", "kz-constitution.kk.json"}}) {
    const auto theirs = file_articles(name);
    for (std::size_t i = 0; i < served.size(); ++i) {
      const std::string id = theirs[i]["id"].get<std::string>();
      BOOST_TEST(
          served[i]["chars_by_language"][language] == (id == "84" ? json(0) : theirs[i]["chars"]),
          language << " article " << id);
    }
  }
  // 83-1 comes right after 83.
  for (std::size_t i = 0; i + 1 < served.size(); ++i) {
    if (served[i]["id"] == "83") BOOST_TEST(served[i + 1]["id"] == "83-1");
  }
}

BOOST_AUTO_TEST_CASE(texts_are_included_with_text_1_in_the_language_asked) {
  auto c = client();
  for (const auto& [query, name] :
       std::vector<std::pair<std::string, std::string>>{{"", "kz-constitution.ru.json"},
                                                        {"&lang=ru", "kz-constitution.ru.json"},
                                                        {"&lang=kk", "kz-constitution.kk.json"},
                                                        {"&lang=en", "kz-constitution.json"}}) {
    auto res = c.get("/api/v1/documents/kz-1995?text=1" + query);
    BOOST_TEST_REQUIRE(res.status == 200, query);
    auto served = served_articles(res.json());
    auto file = file_articles(name);
    BOOST_TEST(res.json()["text_language"] == json::parse(std::ifstream(usynys::test::source_file(
                                                  "config/documents/" + name)))["language"]);
    BOOST_TEST_REQUIRE(served.size() == file.size());
    for (std::size_t i = 0; i < served.size(); ++i) {
      BOOST_TEST(served[i].value("text", "<missing>") == file[i].value("text", ""),
                 query << " text of article " << file[i]["id"]);
    }
  }
  for (const char* path :
       {"/api/v1/documents/kz-1995?text=1&lang=de", "/api/v1/documents/kz-2026-draft?lang=kk"}) {
    auto res = c.get(path);
    check_problem(res, 422);
    BOOST_TEST(res.json()["errors"][0]["field"] == "?lang", path);
  }
  BOOST_TEST(c.get("/api/v1/documents/kz-2026-draft?text=1&lang=ru").status == 200);
}

BOOST_AUTO_TEST_CASE(draft_structure_has_96_articles) {
  auto c = client();
  auto res = c.get("/api/v1/documents/kz-2026-draft");
  BOOST_TEST_REQUIRE(res.status == 200);
  auto served = served_articles(res.json());
  BOOST_TEST(served.size() == 96u);
  BOOST_TEST(res.json()["sections"].size() == 11u);
}

BOOST_AUTO_TEST_CASE(unknown_document_is_404) {
  auto c = client();
  check_problem(c.get("/api/v1/documents/kz-1937"), 404);
}

BOOST_AUTO_TEST_SUITE_END()
