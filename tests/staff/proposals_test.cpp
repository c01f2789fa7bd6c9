// Proposals for staff: every field of one proposal, filters and their 422s, keyset pagination
// over thousands of rows while new proposals arrive, full-text search in Russian, English and
// Kazakh.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <regex>
#include <set>
#include <thread>

#include "staff_fixture.hpp"

namespace {

using nlohmann::json;
using namespace usynys::test;
using namespace usynys::test::staff;

json get_json(HttpClient& c, const std::string& target) {
  HttpResponse res = c.get(target, bearer(tokens().analyst.secret));
  BOOST_TEST_REQUIRE(res.status == 200, target << ": " << res.status << " " << res.body);
  return res.json();
}

// The ids of the first page (up to 500) for a query string.
std::set<std::string> ids_for(HttpClient& c, const std::string& query) {
  json page = get_json(c, "/api/v1/proposals?limit=500" + (query.empty() ? "" : "&" + query));
  std::set<std::string> ids;
  for (const json& item : page.at("items")) ids.insert(item.at("id").get<std::string>());
  return ids;
}

std::string fields_of(const HttpResponse& res) {
  std::string s;
  json j = res.json();
  for (const json& e : j.value("errors", json::array())) {
    s += (s.empty() ? "" : " ") + e.value("field", std::string("?"));
  }
  return s;
}

std::string today_utc(Db& db) {
  pqxx::read_transaction tx(db.connection());
  return tx.exec1("SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD')")[0]
      .as<std::string>();
}

std::string url_encode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(staff_proposals, StaffCase)

BOOST_AUTO_TEST_CASE(one_proposal_shows_every_field_and_the_identifier_only_hashed) {
  auto c = client();
  std::mt19937_64 rng(7);
  const std::string iin = valid_iin(rng);
  json body = {
      {"document", "kz-1995"},
      {"submitter",
       {{"type", "party"}, {"name", "Партия «Тест»"}, {"region", "Алматы"}, {"identifier", iin}}},
      {"channel", "egov"},
      {"language", "ru"},
      {"kind", "amend"},
      {"articles", json::array({{{"article", "83-1"}, {"paragraph", "2"}}, "33"})},
      {"text", "Текст предложения"},
      {"proposed_text", "Новая редакция"}};
  const std::string id = post_proposal(c, body);
  json p = get_json(c, "/api/v1/proposals/" + id);
  BOOST_TEST(p.at("id") == id);
  BOOST_TEST(p.at("document") == "kz-1995");
  BOOST_TEST(p.at("submitter").at("type") == "party");
  BOOST_TEST(p.at("submitter").at("name") == "Партия «Тест»");
  BOOST_TEST(p.at("submitter").at("region") == "Алматы");
  BOOST_TEST(p.at("submitter").at("has_identifier") == true);
  const std::string hash = p.at("submitter").at("identifier_hash").get<std::string>();
  BOOST_TEST(std::regex_match(hash, std::regex("[0-9a-f]{64}")), hash);
  BOOST_TEST(p.dump().find(iin) == std::string::npos, "the identifier is never returned");
  BOOST_TEST(p.at("channel") == "egov");
  BOOST_TEST(p.at("language") == "ru");
  BOOST_TEST(p.at("kind") == "amend");
  // Document order: 33 before 83-1.
  BOOST_TEST(
      p.at("articles") == json::parse(R"([{"article":"33","paragraph":null,"source":"submitter"},
                          {"article":"83-1","paragraph":"2","source":"submitter"}])"),
      p.at("articles").dump());
  BOOST_TEST(p.at("text") == "Текст предложения");
  BOOST_TEST(p.at("proposed_text") == "Новая редакция");
  BOOST_TEST(p.at("status") == "visible");
  BOOST_TEST(p.at("personal_data_purged_at").is_null());
  BOOST_TEST(std::regex_match(p.at("received_at").get<std::string>(),
                              std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")));

  // The same identifier gives the same hash (repeat submitters), another one another hash.
  json again = proposal("Second proposal by the same person.");
  again["submitter"]["identifier"] = iin;
  json other = proposal("A proposal by someone else.");
  other["submitter"]["identifier"] = valid_iin(rng);
  json anonymous = proposal("No identifier.");
  const std::string id2 = post_proposal(c, again);
  const std::string id3 = post_proposal(c, other);
  const std::string id4 = post_proposal(c, anonymous);
  BOOST_TEST(get_json(c, "/api/v1/proposals/" + id2).at("submitter").at("identifier_hash") == hash);
  BOOST_TEST(get_json(c, "/api/v1/proposals/" + id3).at("submitter").at("identifier_hash") != hash);
  json none = get_json(c, "/api/v1/proposals/" + id4).at("submitter");
  BOOST_TEST(none.at("has_identifier") == false);
  BOOST_TEST(none.at("identifier_hash").is_null());
  BOOST_TEST(none.at("name").is_null());

  HttpResponse missing = c.get("/api/v1/proposals/999999", bearer(tokens().analyst.secret));
  BOOST_TEST(missing.status == 404, missing.body);
  HttpResponse garbage = c.get("/api/v1/proposals/abc", bearer(tokens().analyst.secret));
  BOOST_TEST(garbage.status == 404, garbage.body);
  HttpResponse unknown = c.get("/api/v1/proposals/" + id + "?x=1", bearer(tokens().analyst.secret));
  BOOST_TEST(unknown.status == 422, unknown.body);
}

BOOST_AUTO_TEST_CASE(filters_select_the_matching_proposals) {
  auto c = client();
  json a = proposal("Article one.", {"1"});
  a["submitter"] = {{"type", "party"}, {"name", "Party A"}, {"region", "Алматы"}};
  a["channel"] = "egov";
  a["language"] = "en";
  json b = proposal("Article thirty-three.", {"33"});
  b["language"] = "ru";
  json d = proposal("Article 83-1, paragraph 2.",
                    json::array({{{"article", "83-1"}, {"paragraph", "2"}}}));
  d["language"] = "kk";
  json draft = proposal("On the draft.", {"1"});
  draft["document"] = "kz-2026-draft";
  const std::string ia = post_proposal(c, a);
  const std::string ib = post_proposal(c, b);
  const std::string id = post_proposal(c, d);
  const std::string idraft = post_proposal(c, draft);
  HttpResponse hide = c.post_json("/api/v1/proposals/" + ib + "/moderation",
                                  R"({"status":"hidden","reason":"filter test"})",
                                  bearer(tokens().moderator.secret));
  BOOST_TEST_REQUIRE(hide.status == 200, hide.body);

  using Ids = std::set<std::string>;
  BOOST_TEST((ids_for(c, "") == Ids{ia, ib, id, idraft}));
  BOOST_TEST((ids_for(c, "document=kz-1995") == Ids{ia, ib, id}));
  BOOST_TEST((ids_for(c, "document=kz-2026-draft") == Ids{idraft}));
  BOOST_TEST((ids_for(c, "article=33") == Ids{ib}));
  BOOST_TEST((ids_for(c, "article=83-1") == Ids{id}));
  BOOST_TEST((ids_for(c, "document=kz-1995&article=1") == Ids{ia}));
  BOOST_TEST((ids_for(c, "section=II") == Ids{ib}));
  BOOST_TEST((ids_for(c, "section=2&document=kz-1995") == Ids{ib}));
  BOOST_TEST((ids_for(c, "section=vii") == Ids{id}));
  BOOST_TEST((ids_for(c, "submitter_type=party") == Ids{ia}));
  BOOST_TEST((ids_for(c, "channel=egov") == Ids{ia}));
  BOOST_TEST((ids_for(c, "language=kk") == Ids{id}));
  BOOST_TEST((ids_for(c, "region=" + url_encode("Алматы")) == Ids{ia}));
  BOOST_TEST((ids_for(c, "status=hidden") == Ids{ib}));
  BOOST_TEST((ids_for(c, "status=visible&document=kz-1995") == Ids{ia, id}));
  const std::string today = today_utc(db);
  BOOST_TEST((ids_for(c, "from=" + today) == Ids{ia, ib, id, idraft}));
  BOOST_TEST((ids_for(c, "to=2020-01-01") == Ids{}));
  BOOST_TEST((ids_for(c, "from=2020-01-01T00:00:00Z&to=" + today) == Ids{ia, ib, id, idraft}));

  const std::pair<std::string, std::string> bad[] = {
      {"article=999", "?article"},
      {"document=kz-1995&article=83-9", "?article"},
      {"section=XXX", "?section"},
      {"section=IIII", "?section"},
      {"section=0", "?section"},
      {"status=deleted", "?status"},
      {"submitter_type=robot", "?submitter_type"},
      {"channel=fax", "?channel"},
      {"language=de", "?language"},
      {"from=2026-13-01", "?from"},
      {"to=yesterday", "?to"},
      {"document=kz-1993", "?document"},
      {"q=", "?q"},
      {"limit=0", "?limit"},
      {"limit=501", "?limit"},
      {"limit=ten", "?limit"},
      {"cursor=not-a-cursor", "?cursor"},
      {"cursor=YTox", "?cursor"},  // an audit cursor ("a:1")
      {"colour=red", "?colour"},
  };
  for (const auto& [query, field] : bad) {
    HttpResponse res = c.get("/api/v1/proposals?" + query, bearer(tokens().analyst.secret));
    BOOST_TEST(res.status == 422, query << ": " << res.status << " " << res.body);
    if (res.status == 422) BOOST_TEST(fields_of(res) == field, query << ": " << res.body);
  }
  // Every bad parameter at once.
  HttpResponse many =
      c.get("/api/v1/proposals?status=x&limit=0&section=Q", bearer(tokens().analyst.secret));
  BOOST_TEST(many.status == 422);
  BOOST_TEST(fields_of(many) == "?section ?status ?limit", many.body);
}

BOOST_AUTO_TEST_CASE(pages_have_no_duplicates_or_gaps_while_proposals_arrive) {
  const std::int64_t seeded = seed_proposals(db, 3000);
  std::atomic<bool> stop{false};
  std::atomic<int> arrived{0};
  std::vector<std::string> posted;
  std::thread writer([&] {
    HttpClient w(port(), std::chrono::seconds(30));
    for (int i = 0; i < 400 && !stop; ++i) {
      HttpResponse res =
          w.post_json("/api/v1/proposals", proposal("Arriving " + std::to_string(i)).dump());
      if (res.status != 201) break;
      posted.push_back(res.json().at("id").get<std::string>());
      ++arrived;
    }
  });
  auto c = client();
  std::vector<std::int64_t> seen;
  std::string cursor;
  int pages = 0;
  for (; pages < 1000; ++pages) {
    json page =
        get_json(c, "/api/v1/proposals?limit=137" + (cursor.empty() ? "" : "&cursor=" + cursor));
    BOOST_TEST(page.at("limit") == 137);
    for (const json& item : page.at("items"))
      seen.push_back(std::stoll(item.at("id").get<std::string>()));
    if (page.at("next_cursor").is_null()) break;
    cursor = page.at("next_cursor").get<std::string>();
  }
  stop = true;
  writer.join();
  BOOST_TEST_MESSAGE(pages + 1 << " pages, " << seen.size() << " proposals, " << arrived
                               << " arrived while paging");
  BOOST_TEST(arrived > 0, "proposals arrived while the pages were read");
  for (std::size_t i = 1; i < seen.size(); ++i) {
    BOOST_TEST_REQUIRE(seen[i] < seen[i - 1], "ids strictly descending at " << i);
  }
  std::set<std::int64_t> unique(seen.begin(), seen.end());
  BOOST_TEST(unique.size() == seen.size(), "no duplicates");
  for (std::int64_t id = 1; id <= seeded; ++id) {
    BOOST_TEST_REQUIRE(unique.contains(id), "no gap: proposal " << id << " is missing");
  }
  std::set<std::int64_t> arrived_ids;
  for (const std::string& s : posted) arrived_ids.insert(std::stoll(s));
  for (std::int64_t id : unique) {
    BOOST_TEST_REQUIRE((id <= seeded || arrived_ids.contains(id)), "unexpected id " << id);
  }
}

BOOST_AUTO_TEST_CASE(search_stems_russian_and_english_and_matches_kazakh_words) {
  auto c = client();
  json ru = proposal("Предлагаю изменить текст конституция страны должна защищать права");
  ru["language"] = "ru";
  json en = proposal("This amendment changes the wording of the article");
  en["language"] = "en";
  json kk = proposal("Қазақстан Республикасының Конституциясы туралы ұсыныс");
  kk["language"] = "kk";
  json plain = proposal("Simple sentences without a language");
  json proposed = proposal("Short text");
  proposed["language"] = "en";
  proposed["proposed_text"] = "Replacement wording about elections";
  const std::string iru = post_proposal(c, ru);
  const std::string ien = post_proposal(c, en);
  const std::string ikk = post_proposal(c, kk);
  const std::string iplain = post_proposal(c, plain);
  const std::string iproposed = post_proposal(c, proposed);

  using Ids = std::set<std::string>;
  auto q = [&](const std::string& text) { return ids_for(c, "q=" + url_encode(text)); };
  // The same answers whether the vectors are computed on the fly (pending) or stored.
  auto check = [&] {
    BOOST_TEST((q("конституции") == Ids{iru}), "Russian stemming: конституции finds конституция");
    BOOST_TEST((q("Конституция") == Ids{iru}), "Kazakh is matched by exact words, not stems");
    BOOST_TEST((q("Конституциясы") == Ids{ikk}), "a Kazakh word finds itself");
    BOOST_TEST((q("республикасының") == Ids{ikk}), "case-insensitive");
    BOOST_TEST((q("amendments") == Ids{ien}), "English stemming: amendments finds amendment");
    BOOST_TEST((q("sentences") == Ids{iplain}));
    BOOST_TEST((q("sentence") == Ids{}), "no stemming without a language");
    BOOST_TEST((q("election") == Ids{iproposed}), "proposed_text is searched too");
    BOOST_TEST((q("\"текст конституции\"") == Ids{iru}), "web search phrases");
    BOOST_TEST((q("конституции -права") == Ids{}), "web search exclusion");
    BOOST_TEST((q("amendment or конституции") == Ids{iru, ien}));
    BOOST_TEST((ids_for(c, "language=en&q=" + url_encode("wording")) == Ids{ien, iproposed}));
    BOOST_TEST((ids_for(c, "language=ru&q=amendments") == Ids{}));
    // Search terms of only stop words match nothing rather than failing.
    BOOST_TEST((q("the") == Ids{}));
  };
  // The staff tests' server never folds by itself (staff_fixture.cpp).
  BOOST_TEST(db.count("SELECT count(*) FROM search_pending") == 5);
  BOOST_TEST_CONTEXT("pending") {
    check();
  }
  {
    pqxx::work tx(db.connection());
    tx.exec("SELECT search_fold(1000)");
    tx.commit();
  }
  BOOST_TEST(db.count("SELECT count(*) FROM search_pending") == 0);
  BOOST_TEST(db.count("SELECT count(*) FROM proposal_search") == 5);
  BOOST_TEST_CONTEXT("stored") {
    check();
  }
}

BOOST_AUTO_TEST_SUITE_END()
