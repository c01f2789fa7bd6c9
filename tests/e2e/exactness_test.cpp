// Every statistics endpoint under many filter combinations, against a brute-force recount in SQL
// over the raw tables. The data: a few thousand random proposals (random articles, submitter
// types, channels, languages, regions, kinds and times over three weeks), some hidden at insert,
// some hidden and shown again later, a few for the draft document. Checked twice: with every
// proposal pending (not yet folded into the aggregates), then with every proposal folded.
#include <boost/test/unit_test.hpp>
#include <map>
#include <pqxx/pqxx>
#include <random>
#include <set>

#include "e2e_fixture.hpp"

namespace usynys::test {
namespace {

using nlohmann::json;

constexpr int kProposals = 3000;
const std::vector<std::string> kTypes = {"citizen", "party", "organization", "expert",
                                         "state_body"};
const std::vector<std::string> kChannels = {"web", "e-otinish", "egov", "email", "mail", "hearing"};
const std::vector<std::string> kLanguages = {"kk", "ru", "en", ""};
const std::vector<std::string> kRegions = {"Almaty", "Astana", "Shymkent", "Абай облысы", ""};
const std::vector<std::string> kKinds = {"amend", "repeal", "add", "comment"};

std::string quote(pqxx::connection& c, const std::string& s) {
  return c.quote(s);
}

// Articles in force of a document, in document order.
std::vector<std::string> articles_in_force(pqxx::connection& c, const std::string& slug) {
  pqxx::work tx(c);
  std::vector<std::string> ids;
  for (const auto& r : tx.exec("SELECT a.article_id FROM articles a JOIN documents d ON d.id = "
                               "a.document_id WHERE d.slug = " +
                               c.quote(slug) + " AND NOT a.repealed ORDER BY a.position")) {
    ids.push_back(r[0].as<std::string>());
  }
  return ids;
}

// The text of proposal `id`: every third one a copy of one of twelve form letters with one word
// left out, the others words of their own, so that the server's detector forms campaigns.
std::string letter_text(int id) {
  const auto words = [](std::mt19937& rng, int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) {
      std::string w;
      const int len = std::uniform_int_distribution<int>(3, 9)(rng);
      for (int j = 0; j < len; ++j) w += static_cast<char>('a' + rng() % 26);
      out.push_back(std::move(w));
    }
    return out;
  };
  std::mt19937 rng(static_cast<unsigned>(id % 3 == 0 ? 1000000 + (id / 3) % 12 : id));
  std::vector<std::string> w = words(rng, 30);
  if (id % 3 == 0) w.erase(w.begin() + (id / 36) % 30);
  std::string out;
  for (const std::string& x : w) out += (out.empty() ? "" : " ") + x;
  return out;
}

void load_random_proposals(pqxx::connection& c) {
  std::mt19937 rng(20260131);
  auto pick = [&](const std::vector<std::string>& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  };
  const std::vector<std::string> kz = articles_in_force(c, "kz-1995");
  const std::vector<std::string> draft = articles_in_force(c, "kz-2026-draft");
  std::string proposals;
  std::string refs;
  for (int id = 1; id <= kProposals; ++id) {
    const bool on_draft = id % 10 == 0;
    const std::vector<std::string>& arts = on_draft ? draft : kz;
    const std::string type = pick(kTypes);
    const std::string lang = pick(kLanguages);
    const std::string region = pick(kRegions);
    // Zipf-like: low positions much more often.
    std::set<std::string> chosen;
    // One in eight names no article: untagged.
    const int n = id % 8 == 3 ? 0 : std::uniform_int_distribution<int>(1, 3)(rng);
    while (static_cast<int>(chosen.size()) < n) {
      double u = std::uniform_real_distribution<double>(0, 1)(rng);
      auto at = static_cast<std::size_t>(static_cast<double>(arts.size()) * u * u * u);
      chosen.insert(arts[std::min(at, arts.size() - 1)]);
    }
    const int seconds = std::uniform_int_distribution<int>(0, 21 * 86400 - 1)(rng);
    const bool hidden = std::uniform_int_distribution<int>(0, 19)(rng) == 0;
    proposals += (proposals.empty() ? "" : ",") + std::string("(") + std::to_string(id) + "," +
                 "(SELECT id FROM documents WHERE slug = '" +
                 (on_draft ? "kz-2026-draft" : "kz-1995") + "')," + quote(c, type) + "," +
                 (type == "citizen" ? "NULL" : quote(c, "Name " + std::to_string(id))) + "," +
                 (region.empty() ? "NULL" : quote(c, region)) + "," + quote(c, pick(kChannels)) +
                 "," + (lang.empty() ? "NULL" : quote(c, lang)) + "," + quote(c, pick(kKinds)) +
                 "," + quote(c, letter_text(id)) + "," +
                 "timestamptz '2026-02-01 00:00:00+00' + interval '" + std::to_string(seconds) +
                 " seconds'," + (hidden ? "'hidden'" : "'visible'") + ")";
    for (const std::string& a : chosen) {
      refs += (refs.empty() ? "" : ",") + std::string("(") + std::to_string(id) +
              ",(SELECT document_id FROM proposals WHERE id = " + std::to_string(id) + ")," +
              quote(c, a) + ")";
    }
  }
  pqxx::work tx(c);
  tx.exec(
      "INSERT INTO proposals (id, document_id, submitter_type, submitter_name, "
      "submitter_region, channel, language, kind, text, received_at, status) VALUES " +
      proposals);
  tx.exec("INSERT INTO proposal_articles (proposal_id, document_id, article_id) VALUES " + refs);
  tx.exec("SELECT setval('proposals_id_seq', " + std::to_string(kProposals) + ")");
  // Suggestions for every proposal (random articles of its document, scores falling from a
  // random best), stored as the service stores them, in this transaction: the server's own
  // suggester never sees these proposals' marks.
  json rows = json::array();
  for (int id = 1; id <= kProposals; ++id) {
    const std::vector<std::string>& arts = id % 10 == 0 ? draft : kz;
    double score = std::uniform_real_distribution<double>(0.05, 0.95)(rng);
    json articles = json::array();
    json scores = json::array();
    std::set<std::string> chosen;
    while (chosen.size() < 5) {
      const std::string a = pick(arts);
      if (!chosen.insert(a).second) continue;
      articles.push_back(a);
      scores.push_back(score);
      score *= 0.9;
    }
    rows.push_back({{"id", id}, {"language", "ru"}, {"articles", articles}, {"scores", scores}});
  }
  BOOST_TEST(
      tx.exec_params1("SELECT suggestions_store($1::jsonb, 'test/1')", rows.dump())[0].as<int>() ==
      kProposals);
  // Moderation after the fact: hide some, and show some of them again.
  tx.exec("UPDATE proposals SET status = 'hidden' WHERE id % 37 = 0");
  tx.exec("UPDATE proposals SET status = 'visible' WHERE id % 74 = 0");
  tx.commit();
}

struct Filter {
  std::string query;  // as sent to the API
  std::string where;  // the same as SQL over proposals p
};

// Replaces the references of every proposal whose id is `mod` apart from `offset` (up to
// 3000): some get one or two other articles, some none (untagged again), as a coder would,
// through the function the service calls.
void retag(pqxx::connection& c, int mod, int offset) {
  std::mt19937 rng(static_cast<unsigned>(mod * 1000 + offset));
  const std::vector<std::string> kz = articles_in_force(c, "kz-1995");
  const std::vector<std::string> draft = articles_in_force(c, "kz-2026-draft");
  pqxx::work tx(c);
  for (int id = offset; id <= kProposals; id += mod) {
    const std::vector<std::string>& arts = id % 10 == 0 ? draft : kz;
    const int n = std::uniform_int_distribution<int>(0, 2)(rng);
    std::string list;
    std::set<std::string> chosen;
    while (static_cast<int>(chosen.size()) < n) {
      const std::string a =
          arts[std::uniform_int_distribution<std::size_t>(0, arts.size() - 1)(rng)];
      if (chosen.insert(a).second) list += (list.empty() ? "" : ",") + c.quote(a);
    }
    std::string paragraphs;
    for (int i = 0; i < n; ++i) paragraphs += std::string(i == 0 ? "" : ",") + "''";
    tx.exec("SELECT 1 FROM proposals WHERE id = " + std::to_string(id) + " FOR UPDATE");
    tx.exec("SELECT proposal_set_references(" + std::to_string(id) + ", ARRAY[" + list +
            "]::text[], ARRAY[" + paragraphs + "]::text[])");
  }
  tx.commit();
}

std::vector<Filter> filters(pqxx::connection& c) {
  const std::string doc = "p.document_id = (SELECT id FROM documents WHERE slug = 'kz-1995')";
  auto f = [&](std::string q, std::string w) {
    return Filter{std::move(q), doc + (w.empty() ? "" : " AND " + w)};
  };
  const std::string almaty = c.quote(std::string("Абай облысы"));
  return {
      f("", ""),
      f("submitter_type=organization", "p.submitter_type = 'organization'"),
      f("channel=egov", "p.channel = 'egov'"),
      f("language=kk", "p.language = 'kk'"),
      f("region=%D0%90%D0%B1%D0%B0%D0%B9%20%D0%BE%D0%B1%D0%BB%D1%8B%D1%81%D1%8B",
        "p.submitter_region = " + almaty),
      f("from=2026-02-05&to=2026-02-11",
        "p.received_at >= '2026-02-05T00:00:00Z' AND p.received_at < '2026-02-12T00:00:00Z'"),
      f("submitter_type=citizen&from=2026-02-01&to=2026-02-28",
        "p.submitter_type = 'citizen' AND p.received_at >= '2026-02-01T00:00:00Z' AND "
        "p.received_at < '2026-03-01T00:00:00Z'"),
      f("from=2026-02-03T12:30:00Z&to=2026-02-09T06:00:00%2B05:00",
        "p.received_at >= '2026-02-03T12:30:00Z' AND p.received_at < '2026-02-09T01:00:00Z'"),
      f("channel=web&language=ru&to=2026-02-14",
        "p.channel = 'web' AND p.language = 'ru' AND p.received_at < '2026-02-15T00:00:00Z'"),
      f("submitter_type=expert&region=Almaty&from=2026-02-10",
        "p.submitter_type = 'expert' AND p.submitter_region = 'Almaty' AND "
        "p.received_at >= '2026-02-10T00:00:00Z'"),
      Filter{"document=kz-2026-draft&language=en",
             "p.document_id = (SELECT id FROM documents WHERE slug = 'kz-2026-draft') AND "
             "p.language = 'en'"},
  };
}

std::string ts(const pqxx::field& f) {
  return f.is_null() ? "" : f.as<std::string>();
}

const char* kTs = "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'";

// The references counted: the confirmed ones, and with suggestions also the best suggestion of
// each untagged proposal whose score reaches the threshold, computed here from the stored
// suggestions (not from the estimate the service keeps).
std::string counted_references(bool include_suggested) {
  if (!include_suggested) return "proposal_articles";
  return "(SELECT proposal_id, document_id, article_id FROM proposal_articles UNION ALL "
         "SELECT s.proposal_id, s.document_id, s.articles[1] FROM proposal_suggestions s "
         "WHERE cardinality(s.articles) > 0 AND s.scores[1] >= (SELECT threshold FROM "
         "tagging_settings) AND NOT EXISTS (SELECT 1 FROM proposal_articles x WHERE "
         "x.proposal_id = s.proposal_id))";
}

void check_filter(HttpClient& http, pqxx::connection& c, const Filter& flt,
                  bool include_suggested = false) {
  BOOST_TEST_CONTEXT("filter ?" << flt.query << (include_suggested ? " with suggestions" : "")) {
    pqxx::work tx(c);
    const std::string counted = " FROM proposals p WHERE p.status = 'visible' AND " + flt.where;
    const std::string ref_table = counted_references(include_suggested);
    const std::string refs = " FROM " + ref_table +
                             " pa JOIN proposals p ON p.id = pa.proposal_id "
                             "WHERE p.status = 'visible' AND " +
                             flt.where;
    std::string q = flt.query.empty() ? "" : "?" + flt.query;
    if (include_suggested) q += (q.empty() ? "?" : "&") + std::string("include_suggested=true");

    // Coverage.
    json cov = http.get("/api/v1/stats/coverage" + q).json();
    const auto proposals = tx.exec1("SELECT count(*)" + counted)[0].as<std::int64_t>();
    BOOST_TEST(cov["proposals"].get<std::int64_t>() == proposals);
    // Each campaign once: a proposal stands for its campaign when it is in one.
    const std::string unit = "count(DISTINCT coalesce('c' || cm.campaign_id, 'p' || p.id))";
    const std::string members = " LEFT JOIN campaign_members cm ON cm.proposal_id = p.id ";
    const std::string unique_refs = " FROM " + ref_table +
                                    " pa JOIN proposals p ON p.id = pa.proposal_id" + members +
                                    "WHERE p.status = 'visible' AND " + flt.where;
    const auto unique = tx.exec1("SELECT " + unit + " FROM proposals p" + members +
                                 "WHERE p.status = 'visible' AND " + flt.where)[0]
                            .as<std::int64_t>();
    if (flt.query.empty()) BOOST_TEST(unique < proposals);
    BOOST_TEST(cov["proposals_unique"].get<std::int64_t>() == unique);
    const auto untagged =
        tx.exec1(
              "SELECT count(*)" + counted +
              " AND NOT EXISTS (SELECT 1 FROM proposal_articles x WHERE x.proposal_id = p.id)")[0]
            .as<std::int64_t>();
    if (flt.query.empty()) BOOST_TEST(untagged > 0);
    BOOST_TEST(cov["untagged"].get<std::int64_t>() == untagged);
    if (include_suggested) {
      const auto estimated = tx.exec1("SELECT count(*)" + refs +
                                      " AND NOT EXISTS (SELECT 1 FROM proposal_articles x WHERE "
                                      "x.proposal_id = p.id)")[0]
                                 .as<std::int64_t>();
      if (flt.query.empty()) BOOST_TEST(estimated > 0);
      BOOST_TEST(cov["estimated"] == true);
      BOOST_TEST(cov["estimated_proposals"].get<std::int64_t>() == estimated);
    } else {
      BOOST_TEST(!cov.contains("estimated"));
    }
    const json by_section = http.get("/api/v1/stats/sections" + q).json();
    BOOST_TEST(by_section["proposals"].get<std::int64_t>() == proposals);
    BOOST_TEST(by_section["untagged"].get<std::int64_t>() == untagged);
    BOOST_TEST(by_section["proposals_unique"].get<std::int64_t>() == unique);
    std::set<std::string> touched;
    for (const auto& r : tx.exec("SELECT DISTINCT pa.article_id" + refs)) {
      touched.insert(r[0].as<std::string>());
    }
    BOOST_TEST(cov["articles_touched"].get<std::size_t>() == touched.size());
    const auto totals = tx.exec1(
        "SELECT count(*), sum(a.chars), count(DISTINCT a.section_number) FROM articles a "
        "WHERE NOT a.repealed AND a.document_id = (SELECT id FROM documents WHERE slug = " +
        c.quote(cov["document"].get<std::string>()) + ")");
    const auto hit = tx.exec1(
        "SELECT coalesce(sum(a.chars), 0), count(DISTINCT a.section_number) FROM articles a "
        "WHERE (a.document_id, a.article_id) IN (SELECT DISTINCT pa.document_id, pa.article_id" +
        refs + ")");
    BOOST_TEST(cov["articles_total"].get<std::int64_t>() == totals[0].as<std::int64_t>());
    BOOST_TEST(cov["content_chars_total"].get<std::int64_t>() == totals[1].as<std::int64_t>());
    BOOST_TEST(cov["content_chars_touched"].get<std::int64_t>() == hit[0].as<std::int64_t>());
    BOOST_TEST(cov["sections_touched"].get<std::int64_t>() == hit[1].as<std::int64_t>());
    BOOST_TEST(cov["content_share"].get<double>() ==
               static_cast<double>(hit[0].as<std::int64_t>()) /
                   static_cast<double>(totals[1].as<std::int64_t>()));
    BOOST_TEST(cov["articles_share"].get<double>() ==
               static_cast<double>(touched.size()) /
                   static_cast<double>(totals[0].as<std::int64_t>()));
    BOOST_TEST(cov["untouched_articles"].size() + touched.size() == totals[0].as<std::size_t>());

    // Articles: proposals, by submitter type, first and last.
    std::map<std::string, json> expected;
    for (const auto& r : tx.exec("SELECT pa.article_id, p.submitter_type, count(*), to_char(min("
                                 "p.received_at) AT TIME ZONE 'UTC', " +
                                 std::string(kTs) +
                                 "), to_char(max(p.received_at) AT TIME ZONE "
                                 "'UTC', " +
                                 kTs + ")" + refs + " GROUP BY 1, 2")) {
      json& e = expected[r[0].as<std::string>()];
      if (e.is_null()) e = {{"proposals", 0}};
      e["proposals"] = e["proposals"].get<std::int64_t>() + r[2].as<std::int64_t>();
      e["by"][r[1].as<std::string>()] = r[2].as<std::int64_t>();
      std::string first = ts(r[3]);
      std::string last = ts(r[4]);
      if (!e.contains("first_at") || first < e["first_at"].get<std::string>())
        e["first_at"] = first;
      if (!e.contains("last_at") || last > e["last_at"].get<std::string>()) e["last_at"] = last;
    }
    for (const auto& r : tx.exec("SELECT pa.article_id, " + unit + unique_refs + " GROUP BY 1")) {
      expected[r[0].as<std::string>()]["unique"] = r[1].as<std::int64_t>();
    }
    json arts = http.get("/api/v1/stats/articles" + q).json();
    std::size_t seen = 0;
    for (const json& a : arts["articles"]) {
      const std::string id = a["article"];
      auto it = expected.find(id);
      if (it == expected.end()) {
        BOOST_TEST(a["proposals"].get<std::int64_t>() == 0, "article " << id);
        BOOST_TEST(a["proposals_unique"].get<std::int64_t>() == 0, "article " << id);
        BOOST_TEST(a["first_at"].is_null(), "article " << id);
        continue;
      }
      ++seen;
      BOOST_TEST(a["proposals"] == it->second["proposals"], "article " << id);
      BOOST_TEST(a["proposals_unique"] == it->second["unique"], "article " << id);
      BOOST_TEST(a["first_at"] == it->second["first_at"], "article " << id);
      BOOST_TEST(a["last_at"] == it->second["last_at"], "article " << id);
      for (const auto& [type, n] : it->second["by"].items()) {
        BOOST_TEST(a["by_submitter_type"][type] == n, "article " << id << " type " << type);
      }
    }
    BOOST_TEST(seen == expected.size());

    // Sections: each proposal once per section.
    std::map<int, std::int64_t> sections;
    for (const auto& r : tx.exec("SELECT a.section_number, count(DISTINCT p.id)" +
                                 std::string(" FROM ") + ref_table +
                                 std::string(" pa JOIN proposals p ON p.id "
                                             "= pa.proposal_id JOIN articles a ON a.document_id = "
                                             "pa.document_id AND a.article_id = pa.article_id "
                                             "WHERE p.status = 'visible' AND ") +
                                 flt.where + " GROUP BY 1")) {
      sections[r[0].as<int>()] = r[1].as<std::int64_t>();
    }
    std::map<int, std::int64_t> unique_sections;
    for (const auto& r :
         tx.exec("SELECT a.section_number, " + unit +
                 unique_refs.substr(0, unique_refs.rfind("WHERE p.status")) +
                 " JOIN articles a ON a.document_id = pa.document_id AND a.article_id = "
                 "pa.article_id " +
                 unique_refs.substr(unique_refs.rfind("WHERE p.status")) + " GROUP BY 1")) {
      unique_sections[r[0].as<int>()] = r[1].as<std::int64_t>();
    }
    const json sections_answer = http.get("/api/v1/stats/sections" + q).json();
    for (const json& s : sections_answer["sections"]) {
      BOOST_TEST(s["proposals"].get<std::int64_t>() == sections[s["number"].get<int>()],
                 "section " << s["section"]);
      BOOST_TEST(
          s["proposals_unique"].get<std::int64_t>() == unique_sections[s["number"].get<int>()],
          "section " << s["section"]);
    }

    // Timeline: proposals per day and the articles first touched that day.
    std::map<std::string, std::int64_t> per_day, untagged_per_day;
    for (const auto& r :
         tx.exec("SELECT ((p.received_at AT TIME ZONE 'UTC')::date)::text, count(*), "
                 "count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM proposal_articles x "
                 "WHERE x.proposal_id = p.id))" +
                 counted + " GROUP BY 1")) {
      per_day[r[0].as<std::string>()] = r[1].as<std::int64_t>();
      untagged_per_day[r[0].as<std::string>()] = r[2].as<std::int64_t>();
    }
    std::map<std::string, std::int64_t> fresh;
    for (const auto& r : tx.exec("SELECT first_day, count(*) FROM (SELECT pa.article_id, min(("
                                 "p.received_at AT TIME ZONE 'UTC')::date)::text AS first_day" +
                                 refs + " GROUP BY 1) f GROUP BY 1")) {
      fresh[r[0].as<std::string>()] = r[1].as<std::int64_t>();
    }
    std::int64_t cumulative = 0;
    std::size_t buckets = 0;
    const json timeline = http.get("/api/v1/stats/timeline" + q).json();
    for (const json& b : timeline["timeline"]) {
      const std::string day = b["bucket"];
      ++buckets;
      cumulative += fresh[day];
      BOOST_TEST(b["proposals"].get<std::int64_t>() == per_day[day], "day " << day);
      BOOST_TEST(b["untagged"].get<std::int64_t>() == untagged_per_day[day], "day " << day);
      BOOST_TEST(b["articles_new"].get<std::int64_t>() == fresh[day], "day " << day);
      BOOST_TEST(b["articles_touched"].get<std::int64_t>() == cumulative, "day " << day);
    }
    std::set<std::string> days;
    for (const auto& [d, n] : per_day) days.insert(d);
    BOOST_TEST(buckets == days.size());

    // The same by week (weeks start on Monday).
    const std::string week = "(date_trunc('week', p.received_at AT TIME ZONE 'UTC')::date)::text";
    std::map<std::string, std::int64_t> per_week, fresh_weekly;
    for (const auto& r : tx.exec("SELECT " + week + ", count(*)" + counted + " GROUP BY 1")) {
      per_week[r[0].as<std::string>()] = r[1].as<std::int64_t>();
    }
    for (const auto& r : tx.exec("SELECT first_week, count(*) FROM (SELECT pa.article_id, min(" +
                                 week + ") AS first_week" + refs + " GROUP BY 1) f GROUP BY 1")) {
      fresh_weekly[r[0].as<std::string>()] = r[1].as<std::int64_t>();
    }
    const std::string by_week =
        "/api/v1/stats/timeline" + q + (q.empty() ? "?" : "&") + "bucket=week";
    const json weekly = http.get(by_week).json();
    BOOST_TEST(weekly["timeline"].size() == per_week.size(), by_week);
    for (const json& b : weekly["timeline"]) {
      const std::string w = b["bucket"];
      BOOST_TEST(b["proposals"].get<std::int64_t>() == per_week[w], "week " << w);
      BOOST_TEST(b["articles_new"].get<std::int64_t>() == fresh_weekly[w], "week " << w);
    }

    // One article's breakdowns, for the most and a least referenced article.
    for (const auto& r : tx.exec("(SELECT pa.article_id" + refs +
                                 " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1) UNION ALL "
                                 "(SELECT pa.article_id" +
                                 refs + " GROUP BY 1 ORDER BY count(*), 1 LIMIT 1)")) {
      const std::string id = r[0].as<std::string>();
      json one = http.get("/api/v1/stats/articles/" + id + q).json();
      const std::string mine = refs + " AND pa.article_id = " + c.quote(id);
      BOOST_TEST(one["proposals"].get<std::int64_t>() ==
                 tx.exec1("SELECT count(*)" + mine)[0].as<std::int64_t>());
      BOOST_TEST(one["proposals_unique"].get<std::int64_t>() ==
                 tx.exec1("SELECT " + unit + unique_refs + " AND pa.article_id = " + c.quote(id))[0]
                     .as<std::int64_t>());
      for (const auto& row : tx.exec("SELECT p.channel, count(*)" + mine + " GROUP BY 1")) {
        BOOST_TEST(one["by_channel"][row[0].as<std::string>()].get<std::int64_t>() ==
                   row[1].as<std::int64_t>());
      }
      for (const auto& row : tx.exec("SELECT coalesce(p.submitter_region, 'unspecified'), "
                                     "count(*)" +
                                     mine + " GROUP BY 1")) {
        BOOST_TEST(one["by_region"][row[0].as<std::string>()].get<std::int64_t>() ==
                   row[1].as<std::int64_t>());
      }
      for (const auto& row : tx.exec("SELECT p.kind, count(*)" + mine + " GROUP BY 1")) {
        BOOST_TEST(one["by_kind"][row[0].as<std::string>()].get<std::int64_t>() ==
                   row[1].as<std::int64_t>());
      }
      for (const auto& row : tx.exec("SELECT ((p.received_at AT TIME ZONE 'UTC')::date)::text, "
                                     "count(*)" +
                                     mine + " GROUP BY 1")) {
        BOOST_TEST(one["by_day"][row[0].as<std::string>()].get<std::int64_t>() ==
                   row[1].as<std::int64_t>());
      }
    }
  }
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(exactness, E2eCase)

BOOST_AUTO_TEST_CASE(every_statistic_equals_a_recount_over_the_raw_tables) {
  load_random_proposals(db.connection());
  HttpClient http = client();
  // The server's detector compares every proposal (its marks are not held).
  BOOST_TEST_REQUIRE(
      db.count_when("SELECT count(*) FROM campaign_pending", 0, std::chrono::seconds(60)) == 0);
  BOOST_TEST(db.count("SELECT count(DISTINCT campaign_id) FROM campaign_members") >= 12);
  {
    // Every proposal pending: holding their marks keeps the server's fold from taking them.
    Db holder;
    pqxx::work hold(holder.connection());
    BOOST_TEST(hold.exec("SELECT proposal_id FROM stats_pending FOR SHARE").size() ==
               static_cast<std::size_t>(kProposals));
    BOOST_TEST_CONTEXT("all pending") {
      for (const Filter& f : filters(db.connection())) check_filter(http, db.connection(), f);
    }
    // Coders retag some pending proposals: the fold counts what they leave.
    retag(db.connection(), 13, 5);
    BOOST_TEST_CONTEXT("all pending, some retagged") {
      for (const Filter& f : filters(db.connection())) {
        check_filter(http, db.connection(), f);
        check_filter(http, db.connection(), f, true);
      }
    }
  }
  {
    pqxx::work tx(db.connection());
    tx.exec("SELECT stats_fold(1000000)");
    tx.commit();
  }
  BOOST_TEST(db.count("SELECT count(*) FROM stats_pending") == 0);
  BOOST_TEST_CONTEXT("all folded") {
    for (const Filter& f : filters(db.connection())) check_filter(http, db.connection(), f);
  }
  // Retagging and moderation of folded proposals move the aggregates and the estimates.
  retag(db.connection(), 11, 3);
  {
    pqxx::work tx(db.connection());
    tx.exec("UPDATE proposals SET status = 'hidden' WHERE id % 29 = 0");
    tx.exec("UPDATE proposals SET status = 'visible' WHERE id % 58 = 0");
    tx.commit();
  }
  BOOST_TEST_CONTEXT("folded, retagged and moderated") {
    for (const Filter& f : filters(db.connection())) {
      check_filter(http, db.connection(), f);
      check_filter(http, db.connection(), f, true);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_server_folds_and_indexes_committed_proposals_by_itself) {
  usynys::test::TempDir dir("usynys-fold");
  auto server = usynys::test::launch_server(dir);
  HttpClient http(server->port());
  for (int i = 0; i < 5; ++i) {
    BOOST_REQUIRE_EQUAL(http.post_json("/api/v1/proposals", proposal({"1", "40"}).dump()).status,
                        201);
  }
  // Folding runs every intake.fold_interval_ms; wait for it, bounded.
  BOOST_TEST(
      db.count_when(
          "SELECT (SELECT count(*) FROM stats_pending) + (SELECT count(*) FROM search_pending)",
          0) == 0);
  BOOST_TEST(db.count("SELECT coalesce(sum(proposals), 0) FROM stats_article_totals") == 10);
  BOOST_TEST(db.count("SELECT count(*) FROM proposal_search") == 5);
  BOOST_TEST(http.get("/api/v1/stats/coverage").json()["proposals"] == 5);
  BOOST_TEST(http.get("/metrics").body.find("usynys_folded_proposals_total{fold=\"stats_fold\"}") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(hiding_and_showing_a_proposal_moves_every_statistic_at_once) {
  HttpClient http = client();
  auto post = http.post_json("/api/v1/proposals", proposal({"1", "40", "83-1"}).dump());
  BOOST_REQUIRE_EQUAL(post.status, 201);
  const std::string id = post.json()["id"];
  BOOST_TEST(http.get("/api/v1/stats/coverage").json()["articles_touched"] == 3);
  auto moderate = [&](const char* status) {
    pqxx::work tx(db.connection());
    tx.exec_params("UPDATE proposals SET status = $1 WHERE id = $2", status, id);
    tx.commit();
  };
  moderate("hidden");
  json hidden = http.get("/api/v1/stats/coverage").json();
  BOOST_TEST(hidden["articles_touched"] == 0);
  BOOST_TEST(hidden["proposals"] == 0);
  BOOST_TEST(http.get("/api/v1/stats/articles/40").json()["first_at"].is_null());
  moderate("visible");
  BOOST_TEST(http.get("/api/v1/stats/coverage").json()["articles_touched"] == 3);
  BOOST_TEST(http.get("/api/v1/stats/articles/40").json()["first_at"] ==
             post.json()["received_at"]);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace usynys::test
