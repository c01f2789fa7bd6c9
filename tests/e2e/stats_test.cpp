// Statistics over the HTTP API: coverage of kz-1995 computed independently from the document
// file, the draft counted only in its own statistics, filters and their errors.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "e2e_fixture.hpp"
#include "support/paths.hpp"

namespace {

using nlohmann::json;
using usynys::test::check_problem;
using usynys::test::E2eCase;
using usynys::test::problem_fields;
using usynys::test::proposal;

json document_file(const char* name) {
  std::ifstream in(usynys::test::source_file(std::string("config/documents/") + name));
  if (!in) throw std::runtime_error(std::string("cannot read config/documents/") + name);
  return json::parse(in);
}

void post_ok(usynys::test::HttpClient& c, const json& body) {
  auto res = c.post_json("/api/v1/proposals", body.dump());
  BOOST_TEST_REQUIRE(res.status == 201, res.body);
}

json get_ok(usynys::test::HttpClient& c, const std::string& target) {
  auto res = c.get(target);
  BOOST_TEST_REQUIRE(res.status == 200, target << ": " << res.body);
  return res.json();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(stats, E2eCase)

BOOST_AUTO_TEST_CASE(coverage_of_articles_1_40_and_83_1_matches_the_document_files) {
  // The content share in each language, recounted from that language's file; the reference
  // language (Russian) weighs content_share itself.
  const std::set<std::string> touched = {"1", "40", "83-1"};
  struct Recount {
    std::int64_t chars_touched = 0, chars_total = 0;
    std::set<int> sections_touched;
    int sections_total = 0, in_force = 0;
  };
  std::map<std::string, Recount> by_language;
  for (const auto& [language, name] :
       std::map<std::string, const char*>{{"en", "kz-constitution.json"},
                                          {"ru", "kz-constitution.ru.json"},
                                          {"kk", "kz-constitution.kk.json"}}) {
    const json file = document_file(name);
    BOOST_TEST_REQUIRE(file.at("language") == language);
    Recount& r = by_language[language];
    for (const auto& s : file.at("sections")) {
      bool live = false;
      for (const auto& a : s.at("articles")) {
        if (a.value("repealed", false)) continue;
        live = true;
        ++r.in_force;
        r.chars_total += a.at("chars").get<std::int64_t>();
        if (touched.contains(a.at("id").get<std::string>())) {
          r.chars_touched += a.at("chars").get<std::int64_t>();
          r.sections_touched.insert(s.at("number").get<int>());
        }
      }
      r.sections_total += live ? 1 : 0;
    }
    BOOST_TEST_REQUIRE(r.in_force == 101);
  }
  BOOST_TEST_REQUIRE(by_language["en"].chars_total == 89666);
  BOOST_TEST_REQUIRE(by_language["ru"].chars_total == 81685);
  const Recount& ru = by_language["ru"];

  auto c = client();
  post_ok(c, proposal({"1", "40"}));
  post_ok(c, proposal({{{"article", "83-1"}, {"paragraph", "2"}}, "1"}));

  json cov = get_ok(c, "/api/v1/stats/coverage");
  BOOST_TEST(cov["document"] == "kz-1995");
  BOOST_TEST(cov["proposals"] == 2);
  BOOST_TEST(cov["articles_total"] == 101);
  BOOST_TEST(cov["articles_touched"] == 3);
  BOOST_TEST(cov["articles_share"].get<double>() == 3.0 / 101.0);
  BOOST_TEST(cov["sections_total"] == ru.sections_total);
  BOOST_TEST(cov["sections_total"] == 9);
  BOOST_TEST(cov["sections_touched"] == ru.sections_touched.size());
  BOOST_TEST(cov["sections_touched"] == 3);
  BOOST_TEST(cov["sections_share"].get<double>() == 3.0 / 9.0);
  BOOST_TEST(cov["content_chars_total"] == 81685);
  BOOST_TEST(cov["content_chars_touched"] == ru.chars_touched);
  BOOST_TEST(cov["content_share"].get<double>() ==
             static_cast<double>(ru.chars_touched) / static_cast<double>(ru.chars_total));
  BOOST_TEST_REQUIRE(cov["content_share_by_language"].size() == 3u);
  for (const auto& [language, r] : by_language) {
    BOOST_TEST(cov["content_share_by_language"][language].get<double>() ==
                   static_cast<double>(r.chars_touched) / static_cast<double>(r.chars_total),
               language);
  }
  BOOST_TEST(cov["content_share_by_language"]["ru"] == cov["content_share"]);
  const json& untouched = cov["untouched_articles"];
  BOOST_TEST(untouched.size() == 98u);
  for (const auto& id : untouched) {
    BOOST_TEST(!touched.contains(id.get<std::string>()), id);
    BOOST_TEST(id != "84", "a repealed article is in no total");
  }
}

BOOST_AUTO_TEST_CASE(empty_database_has_zero_coverage) {
  auto c = client();
  json cov = get_ok(c, "/api/v1/stats/coverage");
  BOOST_TEST(cov["proposals"] == 0);
  BOOST_TEST(cov["articles_touched"] == 0);
  BOOST_TEST(cov["articles_share"] == 0);
  BOOST_TEST(cov["content_share"] == 0);
  BOOST_TEST(cov["untouched_articles"].size() == 101u);
}

BOOST_AUTO_TEST_CASE(draft_proposals_count_only_in_the_draft) {
  auto c = client();
  json body = proposal({"96", "1"});
  body["document"] = "kz-2026-draft";
  post_ok(c, body);

  json def = get_ok(c, "/api/v1/stats/coverage");
  BOOST_TEST(def["document"] == "kz-1995");
  BOOST_TEST(def["proposals"] == 0);
  BOOST_TEST(def["articles_touched"] == 0);

  json draft = get_ok(c, "/api/v1/stats/coverage?document=kz-2026-draft");
  BOOST_TEST(draft["document"] == "kz-2026-draft");
  BOOST_TEST(draft["proposals"] == 1);
  BOOST_TEST(draft["articles_touched"] == 2);
  BOOST_TEST(draft["articles_total"] == 96);
  BOOST_TEST(draft["sections_total"] == 11);
  BOOST_TEST(draft["articles_share"].get<double>() == 2.0 / 96.0);
}

BOOST_AUTO_TEST_CASE(articles_statistics_list_every_article_with_zeros) {
  auto c = client();
  post_ok(c, proposal({"41", "1"}));
  json party = proposal({"41"});
  party["submitter"] = {{"type", "party"}, {"name", "Amanat"}};
  post_ok(c, party);

  json stats = get_ok(c, "/api/v1/stats/articles");
  BOOST_TEST(stats["document"] == "kz-1995");
  const json& list = stats["articles"];
  BOOST_TEST(list.size() >= 101u);
  std::map<std::string, json> by_id;
  for (const auto& a : list) by_id[a.value("article", "")] = a;
  BOOST_TEST_REQUIRE(by_id.contains("41"));
  BOOST_TEST(by_id["41"]["proposals"] == 2);
  BOOST_TEST(by_id["41"]["by_submitter_type"]["citizen"] == 1);
  BOOST_TEST(by_id["41"]["by_submitter_type"]["party"] == 1);
  BOOST_TEST(by_id["41"]["first_at"].is_string());
  BOOST_TEST(by_id["1"]["proposals"] == 1);
  BOOST_TEST(by_id["2"]["proposals"] == 0, "untouched articles are listed with zeros");
  BOOST_TEST(by_id["83-1"]["proposals"] == 0);
}

BOOST_AUTO_TEST_CASE(filters_select_the_counted_proposals) {
  auto c = client();
  post_ok(c, proposal({"1"}));
  json party = proposal({"2"});
  party["submitter"] = {{"type", "party"}, {"name", "Amanat"}, {"region", "Astana"}};
  party["channel"] = "egov";
  party["language"] = "ru";
  post_ok(c, party);

  auto touched = [&](const std::string& query) {
    json cov = get_ok(c, "/api/v1/stats/coverage" + query);
    return std::make_pair(cov["proposals"].get<int>(), cov["articles_touched"].get<int>());
  };
  BOOST_TEST((touched("") == std::make_pair(2, 2)));
  BOOST_TEST((touched("?submitter_type=party") == std::make_pair(1, 1)));
  BOOST_TEST((touched("?submitter_type=citizen") == std::make_pair(1, 1)));
  BOOST_TEST((touched("?submitter_type=expert") == std::make_pair(0, 0)));
  BOOST_TEST((touched("?channel=egov") == std::make_pair(1, 1)));
  BOOST_TEST((touched("?language=ru") == std::make_pair(1, 1)));
  BOOST_TEST((touched("?region=Astana") == std::make_pair(1, 1)));
  BOOST_TEST((touched("?from=2000-01-01") == std::make_pair(2, 2)));
  BOOST_TEST((touched("?to=2000-01-01") == std::make_pair(0, 0)));
  BOOST_TEST((touched("?from=2000-01-01T00:00:00Z&to=2999-12-31") == std::make_pair(2, 2)));
}

BOOST_AUTO_TEST_CASE(bad_filter_values_are_422_naming_the_parameter) {
  auto c = client();
  const std::pair<const char*, const char*> cases[] = {
      {"?submitter_type=alien", "?submitter_type"},
      {"?channel=fax", "?channel"},
      {"?language=de", "?language"},
      {"?from=yesterday", "?from"},
      {"?to=2026-02-30", "?to"},
      {"?document=kz-1937", "?document"},
      {"?colour=red", "?colour"},
      {"?region=%FF", "?region"},
  };
  for (const auto& [query, field] : cases) {
    for (const char* path : {"/api/v1/stats/coverage", "/api/v1/stats/articles"}) {
      auto res = c.get(std::string(path) + query);
      check_problem(res, 422);
      BOOST_TEST(problem_fields(res) == field, path << query << ": " << res.body);
    }
  }
}

BOOST_AUTO_TEST_CASE(time_bounds_finer_than_microseconds_keep_their_meaning) {
  auto c = client();
  auto res = c.post_json("/api/v1/proposals", proposal({"1"}).dump());
  BOOST_TEST_REQUIRE(res.status == 201, res.body);
  // "2026-12-01T08:00:00.935531Z": one more digit puts the bound just after the proposal.
  std::string at = res.json().at("received_at").get<std::string>();
  BOOST_TEST_REQUIRE(at.size() == 27, at);
  const std::string after = at.substr(0, 26) + "4Z";
  auto proposals = [&](const std::string& query) {
    return get_ok(c, "/api/v1/stats/coverage" + query).at("proposals").get<int>();
  };
  BOOST_TEST(proposals("?to=" + after) == 1, "received before " << after);
  BOOST_TEST(proposals("?from=" + after) == 0, "received before " << after);
  BOOST_TEST(proposals("?from=" + at) == 1);
  BOOST_TEST(proposals("?to=" + at) == 0);
}

BOOST_AUTO_TEST_CASE(utc_offsets_up_to_23_59_are_answered_on_every_statistic) {
  auto c = client();
  post_ok(c, proposal({"1"}));
  for (const char* path :
       {"/api/v1/stats/coverage", "/api/v1/stats/articles", "/api/v1/stats/articles/1",
        "/api/v1/stats/sections", "/api/v1/stats/timeline"}) {
    for (const char* query : {"?to=2999-12-01T20:00:00%2B16:00", "?from=2000-12-01T20:00:00-23:59",
                              "?to=2999-12-01T20:00:00.1234567%2B23:59"}) {
      auto res = c.get(std::string(path) + query);
      BOOST_TEST(res.status == 200, path << query << ": " << res.body);
    }
  }
  auto metrics = c.get("/metrics");
  BOOST_TEST(
      metrics.body.find("usynys_database_errors_total{kind=\"internal\"}") == std::string::npos,
      "no internal database error");
}

BOOST_AUTO_TEST_CASE(control_characters_in_filters_are_422_naming_the_parameter) {
  auto c = client();
  const std::pair<const char*, const char*> cases[] = {{"?region=Almaty%00anything", "?region"},
                                                       {"?region=A%0Ab", "?region"},
                                                       {"?channel=web%00", "?channel"},
                                                       {"?to=2026-01-01%00", "?to"}};
  for (const char* path :
       {"/api/v1/stats/coverage", "/api/v1/stats/articles", "/api/v1/stats/articles/1",
        "/api/v1/stats/sections", "/api/v1/stats/timeline"}) {
    for (const auto& [query, field] : cases) {
      auto res = c.get(std::string(path) + query);
      check_problem(res, 422);
      BOOST_TEST(problem_fields(res) == field, path << query << ": " << res.body);
    }
  }
}

BOOST_AUTO_TEST_CASE(path_values_are_decoded_and_refused_with_control_characters) {
  auto c = client();
  for (const auto& [target, field] :
       {std::pair<std::string, std::string>{"/api/v1/stats/articles/1%00", "{id}"},
        {"/api/v1/stats/articles/1%0A", "{id}"},
        {"/api/v1/stats/articles/%ZZ", "{id}"},
        {"/api/v1/documents/kz-1995%00x", "{slug}"}}) {
    auto res = c.get(target);
    check_problem(res, 422);
    BOOST_TEST(problem_fields(res) == field, target << ": " << res.body);
  }
  BOOST_TEST(c.get("/api/v1/documents/kz%2D1995").status == 200);
  BOOST_TEST(c.get("/api/v1/stats/articles/83%2D1").json().at("article") == "83-1");
}

BOOST_AUTO_TEST_CASE(sections_are_read_from_one_snapshot_while_moderation_runs) {
  auto c = client();
  post_ok(c, proposal({"1", "2"}));
  std::atomic<bool> done{false};
  std::atomic<int> flips{0};
  // Hides and shows the proposal as fast as the database lets it, as moderation would.
  std::thread moderator([&] {
    usynys::test::Db db2;
    for (int i = 0; !done && i < 20000; ++i) {
      pqxx::work tx(db2.connection());
      tx.exec(i % 2 == 0 ? "UPDATE proposals SET status = 'hidden'"
                         : "UPDATE proposals SET status = 'visible'");
      tx.commit();
      ++flips;
    }
  });
  int contradictions = 0;
  int hidden = 0;
  int reads = 0;
  for (; reads < 300; ++reads) {
    auto res = c.get("/api/v1/stats/sections");
    if (res.status != 200) {
      BOOST_ERROR(res.body);
      break;
    }
    const json answer = res.json();
    const json& first = answer.at("sections").at(0);
    const bool articles = first.at("articles_touched").get<int>() > 0;
    const bool proposals = first.at("proposals").get<int>() > 0;
    contradictions += articles != proposals ? 1 : 0;
    hidden += proposals ? 0 : 1;
  }
  done = true;
  moderator.join();
  BOOST_TEST_MESSAGE(reads << " reads, " << flips << " status changes, " << hidden << " hidden");
  BOOST_TEST(flips > 50);
  BOOST_TEST(hidden > 0, "the reads saw the proposal hidden too");
  BOOST_TEST(contradictions == 0,
             contradictions << " of " << reads << " answers disagreed with themselves");
}

BOOST_AUTO_TEST_SUITE_END()
