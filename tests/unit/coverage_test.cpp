// stats::compute_coverage on a hand-made document and on the shipped kz-1995 document, whose
// expected numbers are computed here from the JSON file independently of config::load_document.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "config/config.hpp"
#include "stats/coverage.hpp"
#include "support/paths.hpp"

namespace {

using usynys::domain::Article;
using usynys::domain::Document;

// Two sections; article "3" repealed; "2-1" subnumbered.
Document small_document() {
  Document d;
  d.slug = "small";
  d.sections = {{1, "I", "One"}, {2, "II", "Two"}, {3, "III", "Only repealed"}};
  auto art = [](std::string id, int pos, int section, std::int64_t chars, bool repealed) {
    Article a;
    a.id = std::move(id);
    a.position = pos;
    a.section = section;
    a.chars = chars;
    a.repealed = repealed;
    a.text = repealed ? "" : "text";
    return a;
  };
  d.articles = {art("1", 1, 1, 100, false), art("2", 2, 1, 300, false), art("2-1", 3, 2, 50, false),
                art("3", 4, 3, 0, true), art("4", 5, 2, 550, false)};
  d.index();
  return d;
}

nlohmann::json kz_1995_json() {
  std::ifstream in(usynys::test::source_file("config/documents/kz-constitution.json"));
  BOOST_TEST_REQUIRE(static_cast<bool>(in), "config/documents/kz-constitution.json is readable");
  return nlohmann::json::parse(in);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(coverage)

BOOST_AUTO_TEST_CASE(nothing_touched_gives_zero_shares_and_every_article_untouched) {
  Document d = small_document();
  auto c = usynys::stats::compute_coverage(d, {}, 0);
  BOOST_TEST(c.articles_total == 4);
  BOOST_TEST(c.sections_total == 2, "a section holding only repealed articles counts in no total");
  BOOST_TEST(c.content_chars_total == 1000);
  BOOST_TEST(c.articles_touched == 0);
  BOOST_TEST(c.articles_share == 0.0);
  BOOST_TEST(c.content_share == 0.0);
  BOOST_TEST(c.untouched_articles == (std::vector<std::string>{"1", "2", "2-1", "4"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(touched_articles_give_article_section_and_content_shares) {
  Document d = small_document();
  auto c = usynys::stats::compute_coverage(d, {"2", "2-1"}, 7);
  BOOST_TEST(c.proposals == 7);
  BOOST_TEST(c.articles_touched == 2);
  BOOST_TEST(c.articles_share == 2.0 / 4.0);
  BOOST_TEST(c.sections_touched == 2);
  BOOST_TEST(c.sections_share == 1.0);
  BOOST_TEST(c.content_chars_touched == 350);
  BOOST_TEST(c.content_share == 350.0 / 1000.0);
  BOOST_TEST(c.untouched_articles == (std::vector<std::string>{"1", "4"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(repealed_and_unknown_ids_are_ignored) {
  Document d = small_document();
  auto c = usynys::stats::compute_coverage(d, {"3", "99", "1"}, 1);
  BOOST_TEST(c.articles_touched == 1);
  BOOST_TEST(c.sections_touched == 1);
  BOOST_TEST(c.content_chars_touched == 100);
  BOOST_TEST(c.sections_share == 0.5);
}

BOOST_AUTO_TEST_CASE(document_without_articles_in_force_has_zero_shares) {
  Document d;
  d.sections = {{1, "I", "Gone"}};
  Article a;
  a.id = "1";
  a.section = 1;
  a.repealed = true;
  d.articles = {a};
  d.index();
  auto c = usynys::stats::compute_coverage(d, {"1"}, 1);
  BOOST_TEST(c.articles_total == 0);
  BOOST_TEST(c.articles_share == 0.0);
  BOOST_TEST(c.sections_share == 0.0);
  BOOST_TEST(c.content_share == 0.0);
}

BOOST_AUTO_TEST_CASE(kz_1995_totals_match_the_document_file) {
  const nlohmann::json file = kz_1995_json();
  Document d = usynys::config::load_document(
      usynys::test::source_file("config/documents/kz-constitution.json"), "kz-1995");
  std::int64_t chars = 0;
  int articles = 0;
  int in_force = 0;
  for (const auto& s : file.at("sections")) {
    for (const auto& a : s.at("articles")) {
      ++articles;
      if (a.value("repealed", false)) continue;
      ++in_force;
      chars += a.at("chars").get<std::int64_t>();
    }
  }
  BOOST_TEST(articles == 102);
  BOOST_TEST(in_force == 101);
  BOOST_TEST(chars == 89666);
  BOOST_TEST(d.articles.size() == 102u);
  BOOST_TEST(d.articles_in_force() == 101);
  BOOST_TEST(d.sections_in_force() == 9);
  BOOST_TEST(d.chars_in_force() == 89666);
  const Article* repealed = d.find("84");
  BOOST_TEST_REQUIRE(repealed != nullptr);
  BOOST_TEST(repealed->repealed);
  const Article* a83 = d.find("83");
  const Article* a83_1 = d.find("83-1");
  BOOST_TEST_REQUIRE((a83 != nullptr && a83_1 != nullptr));
  BOOST_TEST(a83_1->position == a83->position + 1, "83-1 comes right after 83");
  const Article* a41 = d.find("41");
  BOOST_TEST_REQUIRE(a41 != nullptr);
  BOOST_TEST(a41->has_paragraph("3-1"));
  BOOST_TEST(!a41->has_paragraph("7"));
}

BOOST_AUTO_TEST_CASE(kz_1995_coverage_of_articles_1_40_and_83_1) {
  const nlohmann::json file = kz_1995_json();
  const std::set<std::string> touched = {"1", "40", "83-1"};
  std::int64_t expected_chars = 0;
  std::set<int> expected_sections;
  for (const auto& s : file.at("sections")) {
    for (const auto& a : s.at("articles")) {
      if (touched.contains(a.at("id").get<std::string>())) {
        expected_chars += a.at("chars").get<std::int64_t>();
        expected_sections.insert(s.at("number").get<int>());
      }
    }
  }
  BOOST_TEST(expected_sections.size() == 3u);

  Document d = usynys::config::load_document(
      usynys::test::source_file("config/documents/kz-constitution.json"), "kz-1995");
  auto c = usynys::stats::compute_coverage(d, touched, 2);
  BOOST_TEST(c.proposals == 2);
  BOOST_TEST(c.articles_touched == 3);
  BOOST_TEST(c.articles_total == 101);
  BOOST_TEST(c.articles_share == 3.0 / 101.0);
  BOOST_TEST(c.sections_total == 9);
  BOOST_TEST(c.sections_touched == 3);
  BOOST_TEST(c.sections_share == 3.0 / 9.0);
  BOOST_TEST(c.content_chars_total == 89666);
  BOOST_TEST(c.content_chars_touched == expected_chars);
  BOOST_TEST(c.content_share == static_cast<double>(expected_chars) / 89666.0);
  BOOST_TEST(c.untouched_articles.size() == 98u);
  for (const std::string& id : c.untouched_articles) {
    BOOST_TEST(!touched.contains(id), id);
    BOOST_TEST(id != "84", "the repealed article is listed as untouched");
  }
}

BOOST_AUTO_TEST_SUITE_END()
