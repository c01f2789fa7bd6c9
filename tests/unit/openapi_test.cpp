// The API description (service/api/openapi.json, served at /api/v1/openapi.json) documents every
// route the router serves, under the same path pattern and lower-case method.
#include <boost/test/unit_test.hpp>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "api/router.hpp"
#include "support/paths.hpp"

BOOST_AUTO_TEST_SUITE(openapi_description)

BOOST_AUTO_TEST_CASE(every_route_is_described) {
  const auto file = usynys::test::source_file("service/api/openapi.json");
  std::ifstream in(file);
  BOOST_TEST_REQUIRE(static_cast<bool>(in), "cannot read service/api/openapi.json");
  nlohmann::json spec = nlohmann::json::parse(in);
  BOOST_TEST(spec.value("openapi", "").starts_with("3."));
  BOOST_TEST_REQUIRE(spec.contains("paths"));
  const nlohmann::json& paths = spec["paths"];

  const auto routes = usynys::api::routes();
  BOOST_TEST_REQUIRE(!routes.empty());
  for (const auto& route : routes) {
    std::string method;
    for (char c : std::string(usynys::http::bhttp::to_string(route.method)))
      method += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string pattern(route.pattern);
    const bool described =
        paths.contains(pattern) && paths[pattern].is_object() && paths[pattern].contains(method);
    BOOST_TEST(described, "service/api/openapi.json lacks paths[\"" << pattern << "\"]." << method);
  }
}

BOOST_AUTO_TEST_CASE(every_described_operation_is_a_route) {
  const auto file = usynys::test::source_file("service/api/openapi.json");
  std::ifstream in(file);
  BOOST_TEST_REQUIRE(static_cast<bool>(in), "cannot read service/api/openapi.json");
  const nlohmann::json spec = nlohmann::json::parse(in);
  std::set<std::pair<std::string, std::string>> served;
  for (const auto& route : usynys::api::routes()) {
    std::string method;
    for (char c : std::string(usynys::http::bhttp::to_string(route.method)))
      method += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    served.emplace(std::string(route.pattern), method);
  }
  static const std::set<std::string> kMethods = {"get",   "put",     "post", "delete",
                                                 "patch", "options", "head", "trace"};
  for (const auto& [path, item] : spec.at("paths").items()) {
    for (const auto& [method, operation] : item.items()) {
      if (!kMethods.contains(method)) continue;  // parameters, summary, ...
      BOOST_TEST(served.contains({path, method}),
                 "openapi.json describes " << method << " " << path << ", which no route serves");
    }
  }
}

// Each row's access matches what the description says of its security.
BOOST_AUTO_TEST_CASE(routes_with_a_role_are_described_with_bearer_security) {
  const auto file = usynys::test::source_file("service/api/openapi.json");
  std::ifstream in(file);
  const nlohmann::json spec = nlohmann::json::parse(in);
  for (const auto& route : usynys::api::routes()) {
    std::string method;
    for (char c : std::string(usynys::http::bhttp::to_string(route.method)))
      method += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const nlohmann::json& op = spec.at("paths").at(std::string(route.pattern)).at(method);
    const bool bearer =
        op.contains("security") && op["security"].dump().find("bearer") != std::string::npos;
    BOOST_TEST(bearer == route.role.has_value(), method << " " << route.pattern);
  }
}

BOOST_AUTO_TEST_SUITE_END()
