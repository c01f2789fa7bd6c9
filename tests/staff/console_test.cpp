// The staff console as served: its files from the binary with a strict Content-Security-Policy
// and no framing, revalidated by entity tag; its message catalogue complete in every language;
// and GET /api/v1/session, which tells the console who holds a token.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "staff_fixture.hpp"
#include "support/paths.hpp"

namespace {

using nlohmann::json;
using namespace usynys::test;
using namespace usynys::test::staff;

void check_protected(const HttpResponse& res, const std::string& what) {
  const std::string csp = res.header("Content-Security-Policy").value_or("");
  BOOST_TEST(csp.find("default-src 'none'") != std::string::npos, what << ": " << csp);
  BOOST_TEST(csp.find("script-src 'self'") != std::string::npos, what << ": " << csp);
  BOOST_TEST(csp.find("frame-ancestors 'none'") != std::string::npos, what << ": " << csp);
  BOOST_TEST(csp.find("unsafe-inline") == std::string::npos, what << ": " << csp);
  BOOST_TEST(res.header("X-Frame-Options").value_or("") == "DENY", what);
  BOOST_TEST(res.header("X-Content-Type-Options").value_or("") == "nosniff", what);
}

std::string source(const std::string& path) {
  std::ifstream in(source_file(path));
  BOOST_TEST_REQUIRE(static_cast<bool>(in), path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(staff_console, StaffCase)

BOOST_AUTO_TEST_CASE(the_page_and_its_files_are_served_with_a_strict_policy) {
  auto c = client();
  const HttpResponse page = c.get("/console/");
  BOOST_TEST_REQUIRE(page.status == 200, page.body);
  BOOST_TEST(page.header("Content-Type").value_or("") == "text/html; charset=utf-8");
  check_protected(page, "/console/");
  BOOST_TEST(page.body == source("service/console/index.html"));
  // No inline script or style: every script is a file of the console.
  BOOST_TEST(!std::regex_search(page.body, std::regex("<script(?![^>]*\\bsrc=)")));
  BOOST_TEST(page.body.find("style=") == std::string::npos);

  const HttpResponse app = c.get("/console/app.js");
  BOOST_TEST_REQUIRE(app.status == 200);
  BOOST_TEST(app.header("Content-Type").value_or("") == "text/javascript; charset=utf-8");
  BOOST_TEST(app.body == source("service/console/app.js"));
  check_protected(app, "app.js");
  BOOST_TEST(c.get("/console/style.css").header("Content-Type").value_or("") ==
             "text/css; charset=utf-8");

  const HttpResponse to_page = c.get("/console");
  BOOST_TEST(to_page.status == 308);
  BOOST_TEST(to_page.header("Location").value_or("") == "/console/");

  const HttpResponse missing = c.get("/console/nothing.js");
  BOOST_TEST(missing.status == 404);
  BOOST_TEST(missing.header("Content-Type").value_or("").starts_with("application/problem+json"));
  check_protected(missing, "a missing file");
  BOOST_TEST(c.get("/console/..%2Fapp.js").status == 404);
  BOOST_TEST(c.get("/console/app.js/").status == 404);
  BOOST_TEST(c.request("POST", "/console/app.js", "", {}).status == 405);
}

BOOST_AUTO_TEST_CASE(an_unchanged_file_is_revalidated_without_its_body) {
  auto c = client();
  const HttpResponse first = c.get("/console/tagging.js");
  const std::string tag = first.header("ETag").value_or("");
  BOOST_TEST_REQUIRE(tag.size() > 2);
  BOOST_TEST(first.header("Cache-Control").value_or("") == "no-cache");
  const HttpResponse again = c.get("/console/tagging.js", {{"If-None-Match", tag}});
  BOOST_TEST(again.status == 304);
  BOOST_TEST(again.body.empty());
  BOOST_TEST(again.header("ETag").value_or("") == tag);
  BOOST_TEST(c.get("/console/tagging.js", {{"If-None-Match", "\"other\""}}).status == 200);
  BOOST_TEST(c.get("/console/app.js").header("ETag").value_or("") != tag);
}

BOOST_AUTO_TEST_CASE(every_text_of_the_console_is_in_every_language) {
  auto c = client();
  const HttpResponse res = c.get("/console/messages.json");
  BOOST_TEST_REQUIRE(res.status == 200);
  const json catalogue = json::parse(res.body);
  BOOST_TEST_REQUIRE(catalogue.contains("en"));
  std::set<std::string> keys;
  for (const auto& [k, v] : catalogue["en"].items()) keys.insert(k);
  for (const std::string lang : {"kk", "ru"}) {
    BOOST_TEST_REQUIRE(catalogue.contains(lang), lang);
    std::set<std::string> have;
    for (const auto& [k, v] : catalogue[lang].items()) {
      have.insert(k);
      BOOST_TEST(!v.get<std::string>().empty(), lang << "." << k << " is empty");
    }
    BOOST_TEST((have == keys), lang << " has other keys than en");
  }
  // Every key the page and the scripts name is in the catalogue.
  std::string code = source("service/console/index.html");
  for (const auto& f : {"app.js", "campaigns.js", "dispositions.js", "documents.js", "moderate.js",
                        "moderation.js", "overview.js", "session.js", "tagging.js"}) {
    code += source(std::string("service/console/") + f);
  }
  const std::regex named(R"re((?:data-i18n(?:-[a-z-]+)?="|\bt\("|figure\(")([a-z_]+)")re");
  std::size_t checked = 0;
  for (auto it = std::sregex_iterator(code.begin(), code.end(), named);
       it != std::sregex_iterator(); ++it, ++checked) {
    BOOST_TEST(keys.contains((*it)[1].str()), "no message " << (*it)[1].str());
  }
  BOOST_TEST(checked > 80u);
}

BOOST_AUTO_TEST_CASE(the_session_names_the_holder_and_role_of_a_token) {
  auto c = client();
  const Tokens& t = tokens();
  for (const auto& [token, role] :
       {std::pair{t.analyst, "analyst"}, std::pair{t.coder, "coder"},
        std::pair{t.moderator, "moderator"}, std::pair{t.admin, "admin"}}) {
    const HttpResponse res = c.get("/api/v1/session", bearer(token.secret));
    BOOST_TEST_REQUIRE(res.status == 200, res.body);
    BOOST_TEST(res.json() == (json{{"name", token.name}, {"role", role}}));
    BOOST_TEST(res.header("Cache-Control").value_or("") == "no-store");
  }
  BOOST_TEST(c.get("/api/v1/session").status == 401);
  BOOST_TEST(c.get("/api/v1/session", bearer(std::string(64, 'a'))).status == 401);
  const HttpResponse bad = c.get("/api/v1/session?x=1", bearer(t.coder.secret));
  BOOST_TEST(bad.status == 422);
  BOOST_TEST(bad.body.find("?x") != std::string::npos, bad.body);
  BOOST_TEST(server().output().find(t.coder.secret) == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
