// The article map between two versions: the suggested map as served, confirmations by admins
// (checked, audited, kept across recomputation and flagged when an article they name goes), and
// statistics through the map equal to a recount from the proposals sent.
#include <boost/test/results_collector.hpp>
#include <boost/test/unit_test.hpp>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "staff_fixture.hpp"
#include "support/paths.hpp"
#include "support/temp_dir.hpp"
#include "support/test_config.hpp"

namespace {

using nlohmann::json;
using namespace usynys::test;
using namespace usynys::test::staff;

json get_ok(HttpClient& c, const std::string& target) {
  HttpResponse res = c.get(target);
  BOOST_TEST_REQUIRE(res.status == 200, target << ": " << res.body);
  return res.json();
}

HttpResponse put_pair(HttpClient& c, const std::string& target, const json& body,
                      const std::string& secret) {
  Headers h = bearer(secret);
  h.emplace_back("Content-Type", "application/json");
  return c.request("PUT", target, body.dump(), h);
}

std::string fields(const HttpResponse& res) {
  std::string out;
  const json problem = res.json();
  for (const json& e : problem.value("errors", json::array())) {
    out += (out.empty() ? "" : " ") + e.value("field", "");
  }
  return out;
}

void check_problem(const HttpResponse& res, int status) {
  BOOST_TEST(res.status == status, res.body);
  BOOST_TEST(res.header("Content-Type").value_or("").starts_with("application/problem+json"));
}

json read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return json::parse(in);
}

void write_json_file(const std::filesystem::path& path, const json& j) {
  std::ofstream out(path, std::ios::trunc);
  out << j.dump(1) << '\n';
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// Drops article `id` from a document file.
void drop_article(json& file, const std::string& id) {
  for (json& s : file.at("sections")) {
    json& list = s.at("articles");
    for (auto it = list.begin(); it != list.end(); ++it) {
      if ((*it).at("id") == id) {
        list.erase(it);
        return;
      }
    }
  }
  throw std::runtime_error("no article " + id);
}

// A server of its own on two documents of its own, test-old (the Russian 1995 text) and test-new
// (the draft), copied into `dir`, test-new mapped from test-old; its documents and map share the
// test database with the other servers under slugs no other case uses.
class MapServer {
 public:
  explicit MapServer(const TempDir& dir) : dir_(dir) {
    std::filesystem::create_directories(docs());
    if (!std::filesystem::exists(docs() / "old.json")) {
      std::filesystem::copy_file(source_file("config/documents/kz-constitution.ru.json"),
                                 docs() / "old.json");
      std::filesystem::copy_file(source_file("config/documents/kz-constitution-2026-draft.ru.json"),
                                 docs() / "new.json");
    }
    // The repository's document files are not among this server's.
    const json repo_config = read_json_file(source_file("config/usynys.json"));
    json slugs = json::object();
    for (const auto& [file, slug] : repo_config.at("documents").at("slugs").items()) {
      slugs[file] = nullptr;
    }
    slugs["old.json"] = "test-old";
    slugs["new.json"] = "test-new";
    const json patch = {
        {"documents",
         {{"dir", docs().string()},
          {"default", "test-old"},
          {"slugs", slugs},
          {"reference_languages", {{"kz-1995", nullptr}, {"kz-2026-draft", nullptr}}},
          {"maps", {{"kz-2026-draft", nullptr}, {"test-new", "test-old"}}},
          {"vocabularies", {{"kz-1995", nullptr}}}}}};
    const auto config = write_test_config(dir_.path(), patch);
    EnvOverrides env = {{"USYNYS_PORT", "0"},
                        {"USYNYS_DATABASE_URL", database_url()},
                        {"USYNYS_IDENTIFIER_KEY", "staff-identifier-key-0123456789abcdef"}};
    server_ =
        std::make_unique<ServerProcess>(server_binary(), config, env, std::chrono::seconds(60));
  }
  ~MapServer() {
    namespace ut = boost::unit_test;
    if (!ut::results_collector.results(ut::framework::current_test_case().p_id).passed() ||
        std::uncaught_exceptions() > 0) {
      std::cerr << "---- output of the map server ----\n"
                << server_->output() << "---- end ----" << std::endl;
    }
    server_->terminate(std::chrono::seconds(10));
  }
  std::filesystem::path docs() const { return dir_.path() / "docs"; }
  HttpClient client() const { return HttpClient(server_->port(), std::chrono::seconds(60)); }
  std::string output() const { return server_->output(); }

 private:
  const TempDir& dir_;
  std::unique_ptr<ServerProcess> server_;
};

// Forgets the map of the test documents of earlier runs (confirmations included).
void forget_test_maps(Db& db) {
  pqxx::work tx(db.connection());
  tx.exec(
      "DELETE FROM article_maps WHERE to_document_id IN "
      "(SELECT id FROM documents WHERE slug = 'test-new')");
  tx.commit();
}

const json* pair_of(const json& map, const std::string& article) {
  for (const json& p : map.at("pairs")) {
    if (p.at("article") == article) return &p;
  }
  return nullptr;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(staff_article_map, StaffCase)

BOOST_AUTO_TEST_CASE(the_suggested_map_has_one_pair_per_draft_article_in_document_order) {
  auto c = client();
  const json map = get_ok(c, "/api/v1/documents/kz-2026-draft/map?from=kz-1995");
  BOOST_TEST(map.at("from") == "kz-1995");
  BOOST_TEST(map.at("to") == "kz-2026-draft");
  BOOST_TEST(!map.at("method").get<std::string>().empty());
  BOOST_TEST(map.at("flagged").empty());
  const json draft = get_ok(c, "/api/v1/documents/kz-2026-draft");
  std::vector<std::string> order;
  for (const json& s : draft.at("sections")) {
    for (const json& a : s.at("articles")) order.push_back(a.at("id"));
  }
  const json& pairs = map.at("pairs");
  BOOST_TEST_REQUIRE(pairs.size() == order.size());
  const json old = get_ok(c, "/api/v1/documents/kz-1995");
  std::set<std::string> old_ids;
  for (const json& s : old.at("sections")) {
    for (const json& a : s.at("articles")) {
      if (!a.at("repealed").get<bool>()) old_ids.insert(a.at("id"));
    }
  }
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const json& p = pairs[i];
    BOOST_TEST(p.at("article") == order[i]);
    BOOST_TEST(p.at("status") == "suggested");
    const double score = p.at("score").get<double>();
    BOOST_TEST((score >= 0 && score <= 1), p.dump());
    for (const json& id : p.at("predecessors")) BOOST_TEST(old_ids.contains(id), p.dump());
    BOOST_TEST(p.at("counted") == (score >= map.at("min_score").get<double>()), p.dump());
  }
  // Citizenship: draft Art. 13 takes over Art. 10 of 1995.
  BOOST_TEST(pair_of(map, "13")->at("predecessors") == json::array({"10"}));
  // Unknown documents, a missing or wrong ?from, a document without a map.
  check_problem(c.get("/api/v1/documents/nope/map?from=kz-1995"), 404);
  HttpResponse res = c.get("/api/v1/documents/kz-2026-draft/map");
  check_problem(res, 422);
  BOOST_TEST(fields(res) == "?from");
  res = c.get("/api/v1/documents/kz-2026-draft/map?from=kz-2026-draft");
  check_problem(res, 422);
  BOOST_TEST(res.json()["errors"][0]["message"].get<std::string>().find("kz-1995") !=
             std::string::npos);
  check_problem(c.get("/api/v1/documents/kz-1995/map?from=kz-2026-draft"), 422);
  check_problem(c.get("/api/v1/documents/kz-2026-draft/map?from=kz-1995&x=1"), 422);
  res = c.get("/api/v1/stats/coverage?via=kz-2026-draft");
  check_problem(res, 422);
  BOOST_TEST(fields(res) == "?via");
  check_problem(c.get("/api/v1/stats/timeline?document=kz-2026-draft&via=kz-1995"), 422);
}

BOOST_AUTO_TEST_CASE(statistics_through_the_map_equal_a_recount_of_the_proposals) {
  auto c = client();
  const json map = get_ok(c, "/api/v1/documents/kz-2026-draft/map?from=kz-1995");
  // Old article -> the draft articles that take it over through counted pairs.
  std::map<std::string, std::set<std::string>> successors;
  std::map<std::string, int> section_of;
  std::vector<std::string> merged;  // the predecessors of one article that merges several
  for (const json& p : map.at("pairs")) {
    if (!p.at("counted").get<bool>()) continue;
    for (const json& old : p.at("predecessors")) successors[old].insert(p.at("article"));
    if (merged.empty() && p.at("predecessors").size() >= 2) {
      merged = p.at("predecessors").get<std::vector<std::string>>();
    }
  }
  BOOST_TEST_REQUIRE(merged.size() >= 2u, "the map merges no articles");
  const json draft = get_ok(c, "/api/v1/documents/kz-2026-draft");
  std::map<std::string, std::int64_t> chars;
  for (const json& s : draft.at("sections")) {
    for (const json& a : s.at("articles")) {
      section_of[a.at("id")] = s.at("number").get<int>();
      chars[a.at("id")] = a.at("chars").get<std::int64_t>();
    }
  }
  std::vector<std::string> old_ids;
  const json old_document = get_ok(c, "/api/v1/documents/kz-1995");
  for (const json& s : old_document.at("sections")) {
    for (const json& a : s.at("articles")) {
      if (!a.at("repealed").get<bool>()) old_ids.push_back(a.at("id"));
    }
  }
  std::vector<std::string> new_ids;
  for (const auto& [id, n] : section_of) new_ids.push_back(id);

  // Proposals on both documents, with several references each (merged and split articles meet
  // in one proposal), a few untagged, under two submitter types and two regions.
  struct Sent {
    std::string type;
    std::string region;
    std::set<std::string> touched;  // draft articles, through the map for kz-1995
    bool untagged = false;
  };
  std::vector<Sent> sent;
  std::mt19937_64 rng(15);
  for (int i = 0; i < 70; ++i) {
    const bool old = i % 3 != 0;
    const std::vector<std::string>& ids = old ? old_ids : new_ids;
    std::set<std::string> refs;
    const int n = i % 10 == 0 ? 0 : 1 + static_cast<int>(rng() % 4);
    while (static_cast<int>(refs.size()) < n) refs.insert(ids[rng() % ids.size()]);
    // Old articles that merged into one draft article, together.
    if (old && i % 7 == 1) refs.insert(merged.begin(), merged.end());
    Sent s{i % 2 == 0 ? "citizen" : "party", i % 4 < 2 ? "Astana" : "Almaty", {}, refs.empty()};
    for (const std::string& r : refs) {
      if (!old) {
        s.touched.insert(r);
      } else if (auto it = successors.find(r); it != successors.end()) {
        s.touched.insert(it->second.begin(), it->second.end());
      }
    }
    json body = proposal("a proposal through the map",
                         json(std::vector<std::string>(refs.begin(), refs.end())));
    body["document"] = old ? "kz-1995" : "kz-2026-draft";
    body["submitter"] = {{"type", s.type}, {"region", s.region}};
    if (s.type == "party") body["submitter"]["name"] = "Party " + std::to_string(i);
    post_proposal(c, body);
    sent.push_back(std::move(s));
  }

  for (const std::string filter : {"", "&submitter_type=party", "&region=Astana"}) {
    std::map<std::string, std::map<std::string, std::int64_t>> by_article;  // article -> type
    std::map<int, std::int64_t> by_section;
    std::int64_t proposals = 0;
    std::int64_t untagged = 0;
    for (const Sent& s : sent) {
      if (filter == "&submitter_type=party" && s.type != "party") continue;
      if (filter == "&region=Astana" && s.region != "Astana") continue;
      ++proposals;
      untagged += s.untagged;
      std::set<int> sections;
      for (const std::string& a : s.touched) {
        ++by_article[a][s.type];
        sections.insert(section_of.at(a));
      }
      for (int n : sections) ++by_section[n];
    }
    std::int64_t chars_touched = 0;
    for (const auto& [a, types] : by_article) chars_touched += chars.at(a);

    const std::string q = "?document=kz-2026-draft&via=kz-1995" + filter;
    const json coverage = get_ok(c, "/api/v1/stats/coverage" + q);
    BOOST_TEST(coverage.at("proposals") == proposals, filter);
    BOOST_TEST(coverage.at("untagged") == untagged, filter);
    BOOST_TEST(coverage.at("articles_touched") == by_article.size(), filter);
    BOOST_TEST(coverage.at("content_chars_touched") == chars_touched, filter);
    BOOST_TEST(coverage.at("via").at("document") == "kz-1995");
    BOOST_TEST(coverage.at("via").at("pairs_confirmed") == 0);
    BOOST_TEST(coverage.at("via").at("pairs_suggested").get<std::int64_t>() > 80);

    const json articles = get_ok(c, "/api/v1/stats/articles" + q);
    for (const json& a : articles.at("articles")) {
      const std::string id = a.at("article");
      std::int64_t want = 0;
      for (const auto& [type, n] : by_article[id]) {
        want += n;
        BOOST_TEST(a.at("by_submitter_type").at(type) == n, filter << " " << id << " " << type);
      }
      BOOST_TEST(a.at("proposals") == want, filter << " article " << id);
    }
    const json sections = get_ok(c, "/api/v1/stats/sections" + q);
    BOOST_TEST(sections.at("proposals") == proposals, filter);
    for (const json& s : sections.at("sections")) {
      const int n = s.at("number").get<int>();
      BOOST_TEST(s.at("proposals") == by_section[n], filter << " section " << n);
    }
    // Without ?via only the draft's own proposals count.
    const json own = get_ok(c, "/api/v1/stats/coverage?document=kz-2026-draft" + filter);
    BOOST_TEST(own.at("proposals").get<std::int64_t>() < proposals, filter);
    BOOST_TEST(!own.contains("via"));
  }
}

BOOST_AUTO_TEST_CASE(confirmations_are_checked_audited_and_outlive_a_recomputed_map) {
  forget_test_maps(db);
  TempDir dir("usynys-map");
  const std::string admin = tokens().admin.secret;
  const std::string target = "/api/v1/documents/test-new/map/13?from=test-old";
  std::string first_computed_at;
  {
    MapServer s(dir);
    auto c = s.client();
    const json before = get_ok(c, "/api/v1/documents/test-new/map?from=test-old");
    first_computed_at = before.at("computed_at");
    BOOST_TEST(pair_of(before, "13")->at("predecessors") == json::array({"10"}));
    const json body = {{"predecessors", {"10", 11}}, {"reason", "citizenship and its loss"}};
    // Roles, the article, the documents.
    check_problem(c.request("PUT", target, body.dump(), {{"Content-Type", "application/json"}}),
                  401);
    check_problem(put_pair(c, target, body, tokens().moderator.secret), 403);
    check_problem(put_pair(c, "/api/v1/documents/test-new/map/999?from=test-old", body, admin),
                  404);
    check_problem(put_pair(c, "/api/v1/documents/test-new/map/13?from=kz-1995", body, admin), 422);
    // Bodies that break the rules: each names its field, and nothing changes.
    HttpResponse res = put_pair(
        c, target, {{"predecessors", {"10", "10", "84", "999", true}}, {"reason", " "}}, admin);
    check_problem(res, 422);
    BOOST_TEST(fields(res) ==
               "/predecessors/1 /predecessors/2 /predecessors/3 /predecessors/4 /reason");
    res = put_pair(c, target, {{"predecessors", "10"}, {"reason", "x"}, {"extra", 1}}, admin);
    check_problem(res, 422);
    BOOST_TEST(fields(res) == "/extra /predecessors");
    check_problem(put_pair(c, target, json::array(), admin), 422);
    BOOST_TEST(get_ok(c, "/api/v1/documents/test-new/map?from=test-old") == before);

    // Confirm 13 as 10 and 11, 1 as new, 5 as it was suggested.
    res = put_pair(c, target, body, admin);
    BOOST_TEST_REQUIRE(res.status == 200, res.body);
    json done = res.json();
    BOOST_TEST(done.at("predecessors") == json::array({"10", "11"}));
    BOOST_TEST(done.at("previous").at("predecessors") == json::array({"10"}));
    BOOST_TEST(done.at("previous").at("status") == "suggested");
    BOOST_TEST(done.at("status") == "confirmed");
    const std::string audit_id = done.at("audit_id");
    res = put_pair(c, "/api/v1/documents/test-new/map/1?from=test-old",
                   {{"predecessors", json::array()}, {"reason", "treated as new"}}, admin);
    BOOST_TEST_REQUIRE(res.status == 200, res.body);
    const json five = *pair_of(before, "5");
    res = put_pair(c, "/api/v1/documents/test-new/map/5?from=test-old",
                   {{"predecessors", five.at("predecessors")}, {"reason", "as suggested"}}, admin);
    BOOST_TEST_REQUIRE(res.status == 200, res.body);
    // 96 has a confirmation too: it will disappear from the file.
    res = put_pair(c, "/api/v1/documents/test-new/map/96?from=test-old",
                   {{"predecessors", {"98"}}, {"reason", "final provisions"}}, admin);
    BOOST_TEST_REQUIRE(res.status == 200, res.body);

    const json after = get_ok(c, "/api/v1/documents/test-new/map?from=test-old");
    const json& p13 = *pair_of(after, "13");
    BOOST_TEST(p13.at("status") == "confirmed");
    BOOST_TEST(p13.at("score").is_null());
    BOOST_TEST(p13.at("predecessors") == json::array({"10", "11"}));
    BOOST_TEST(p13.at("confirmed").at("by") == tokens().admin.name);
    BOOST_TEST(p13.at("confirmed").at("reason") == "citizenship and its loss");
    BOOST_TEST(p13.at("counted") == true);
    BOOST_TEST(pair_of(after, "1")->at("predecessors").empty());

    // The audit log: who, what, from, to, why.
    res = c.get("/api/v1/audit?limit=10", bearer(admin));
    BOOST_TEST_REQUIRE(res.status == 200, res.body);
    bool found = false;
    const json audit = res.json();
    for (const json& e : audit.at("items")) {
      if (e.at("id") != audit_id) continue;
      found = true;
      BOOST_TEST(e.at("action") == "article_map");
      BOOST_TEST(e.at("subject") == "test-new/13 from test-old");
      BOOST_TEST(e.at("proposal_id").is_null());
      BOOST_TEST(e.at("from") == R"(["10"])");
      BOOST_TEST(e.at("to") == R"(["10","11"])");
      BOOST_TEST(e.at("actor") == tokens().admin.name);
      BOOST_TEST(e.at("reason") == "citizenship and its loss");
    }
    BOOST_TEST(found, res.body);

    // Through the map, a proposal on old 11 now counts for draft 13.
    json body11 = proposal("loss of citizenship", json::array({"11"}));
    body11["document"] = "test-old";
    post_proposal(c, body11);
    const json articles = get_ok(c, "/api/v1/stats/articles?document=test-new&via=test-old");
    for (const json& a : articles.at("articles")) {
      if (a.at("article") == "13") BOOST_TEST(a.at("proposals") == 1);
    }
    BOOST_TEST(articles.at("via").at("pairs_confirmed") == 3);
  }

  // A new version of both files: old 11 and draft 96 are gone, a draft text changed.
  json old_file = read_json_file(dir.path() / "docs" / "old.json");
  drop_article(old_file, "11");
  write_json_file(dir.path() / "docs" / "old.json", old_file);
  json new_file = read_json_file(dir.path() / "docs" / "new.json");
  drop_article(new_file, "96");
  write_json_file(dir.path() / "docs" / "new.json", new_file);
  db.truncate_proposals();  // the proposal on old 11 would keep it from being dropped
  {
    MapServer s(dir);
    auto c = s.client();
    BOOST_TEST(s.output().find("article_map_computed") != std::string::npos, s.output());
    const json map = get_ok(c, "/api/v1/documents/test-new/map?from=test-old");
    BOOST_TEST(map.at("computed_at") != first_computed_at);
    BOOST_TEST(map.at("pairs").size() == 95u);
    // 13 names the vanished 11: flagged, set aside, the suggestion stands in; kept all the same.
    const json& p13 = *pair_of(map, "13");
    BOOST_TEST(p13.at("status") == "suggested");
    BOOST_TEST(p13.at("flag").get<std::string>().find("article 11") != std::string::npos);
    BOOST_TEST(p13.at("confirmed").at("predecessors") == json::array({"10", "11"}));
    // 1 and 5 survive as confirmed.
    BOOST_TEST(pair_of(map, "1")->at("status") == "confirmed");
    BOOST_TEST(pair_of(map, "1")->at("predecessors").empty());
    BOOST_TEST(pair_of(map, "5")->at("status") == "confirmed");
    // 96 is gone from the document: listed as flagged, not dropped.
    BOOST_TEST_REQUIRE(map.at("flagged").size() == 1u);
    BOOST_TEST(map.at("flagged")[0].at("article") == "96");
    BOOST_TEST(map.at("flagged")[0].at("confirmed").at("predecessors") == json::array({"98"}));
    // Confirming 13 again clears the flag.
    HttpResponse res = put_pair(c, target, {{"predecessors", {"10"}}, {"reason", "again"}}, admin);
    BOOST_TEST_REQUIRE(res.status == 200, res.body);
    BOOST_TEST(res.json().at("previous").at("status") == "suggested");
    const json again = get_ok(c, "/api/v1/documents/test-new/map?from=test-old");
    BOOST_TEST(pair_of(again, "13")->at("status") == "confirmed");
    BOOST_TEST(!pair_of(again, "13")->contains("flag"));
  }
  // The same files once more: nothing is recomputed.
  {
    MapServer s(dir);
    BOOST_TEST(s.output().find("article_map_unchanged") != std::string::npos, s.output());
  }
}

BOOST_AUTO_TEST_SUITE_END()
